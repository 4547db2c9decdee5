"""Bounded readers for the YAML and JSON documents the project imports
(framework files, assessment documents, action plans, API request bodies).

Every door reads through these, so hostile input is refused here, before any
Python object is built from it: too large, nested too deep, a YAML alias bomb,
a tag that would build something other than plain data, duplicate keys, text
that is not UTF-8. The refusal is an `InvalidInput` naming the source and the
place (line and column, or byte offset); nothing has been changed by then.
The limits are named constants so that the format documents can cite them."""

import codecs
import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.core.errors import InvalidInput

# --- limits ---------------------------------------------------------------------
# Sizes are in bytes of UTF-8 and are checked before anything is parsed (for a
# file, before it is read whole).

# The largest built-in framework (dgra-2018.yaml) is 91 KB for 66 questions,
# about 1.4 KB a question: 4 MiB holds the MAX_FRAMEWORK_QUESTIONS of the schema
# at that density, with room to spare.
MAX_FRAMEWORK_BYTES = 4 * 1024 * 1024
# The demo assessment exported as JSON is 443 KB (its YAML source 343 KB):
# 10 MiB is more than twenty times the largest legitimate document we know.
MAX_ASSESSMENT_BYTES = 10 * 1024 * 1024
# The largest demo plan is 40 KB for 40 actions: 2 MiB is fifty times that.
MAX_PLAN_BYTES = 2 * 1024 * 1024
# An API request body may carry a whole assessment document, the largest of
# the documents above (Django's DATA_UPLOAD_MAX_MEMORY_SIZE is a wider net).
MAX_REQUEST_BODY_BYTES = MAX_ASSESSMENT_BYTES
# A data catalogue (readiness/catalogues/readers). CKAN JSON is read as a
# stream, one package at a time, so its bound is on bytes read, not memory:
# a CKAN package with a few resources is 3-8 KB, so 1 GiB holds the 100,000
# datasets of the benchmark with room to spare.
MAX_CATALOGUE_BYTES = 1024 * 1024 * 1024
# RDF (RDF/XML, Turtle, JSON-LD) and CSV are parsed whole: the real DCAT
# records we test with are 10-30 KB a dataset, so 64 MiB is a few thousand.
MAX_GRAPH_BYTES = 64 * 1024 * 1024
# Triples of one RDF graph: a DCAT dataset with ten distributions is about
# 150; a million is several thousand datasets.
MAX_TRIPLES = 1_000_000
# Datasets in one catalogue file: twice the benchmark's 100,000 (the largest
# national portals, data.gov and data.gov.uk, hold a few hundred thousand).
MAX_DATASETS = 200_000
# Mappings and lists inside one another. The formats need about ten levels;
# 64 is generous and keeps every recursive step after parsing (the C YAML
# composer, pydantic, our own walks) far from the stack's end.
MAX_DEPTH = 64
# YAML aliases (`*name`) in one file. None of the shipped files uses any;
# 100 allows real reuse while a billion-laughs bomb needs far more expansion.
MAX_ALIASES = 100
# Nodes (scalars, lists, mappings) once every alias is expanded. The demo
# assessment has about 6,000; this stops an alias bomb before it is built.
MAX_NODES = 500_000
# Digits in one number: Python refuses to convert more than 4,300 anyway,
# and no field of ours needs more than a handful.
MAX_NUMBER_DIGITS = 100

# The tags of YAML's core schema that build plain data; `!!python/…`,
# `!!binary`, `!!set` and application tags are refused.
SAFE_TAGS = frozenset(
    {"!"}
    | {
        f"tag:yaml.org,2002:{name}"
        for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
    }
)

# What Python's JSON parser says (JSONDecodeError.msg), in the reader's language.
JSON_PROBLEMS = {
    "Expecting value": gettext_lazy("a value is missing"),
    "Expecting property name enclosed in double quotes": gettext_lazy(
        "a name in double quotes is expected"
    ),
    "Expecting ':' delimiter": gettext_lazy("a colon (:) is expected"),
    "Expecting ',' delimiter": gettext_lazy("a comma (,) is expected"),
    "Unterminated string starting at": gettext_lazy("a text is not closed by its quote"),
    "Invalid control character at": gettext_lazy("a control character inside a text"),
    "Extra data": gettext_lazy("more data after the end of the value"),
    "Invalid \\escape": gettext_lazy("an invalid escape with a backslash in a text"),
    "Invalid \\uXXXX escape": gettext_lazy("an invalid Unicode escape in a text"),
}

YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A JSON string (an unterminated one runs to the end: the parser reports it);
# the possessive `*+` keeps the scans linear on any input.
JSON_STRING_PATTERN = r'"(?:[^"\\]|\\.)*+"?'
JSON_STRING = re.compile(JSON_STRING_PATTERN, re.DOTALL)
JSON_TOKEN = re.compile(JSON_STRING_PATTERN + r"|[\[\]{}]", re.DOTALL)
JSON_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
SQUARE = str.maketrans("{}", "[]")


def refuse(path: str, message: str, source: str) -> NoReturn:
    raise InvalidInput.single(path, message, source)


def at_line(line: int, column: int) -> str:
    return _("line %(line)d, column %(column)d") % {"line": line, "column": column}


# --- bytes and text ---------------------------------------------------------------


def read_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a file, refused without reading it whole when it is larger
    than `max_bytes` (the size is checked again on reading: special files)."""
    source = str(path)
    try:
        if path.stat().st_size > max_bytes:
            refuse("", too_large(max_bytes), source)
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as error:
        refuse("", _("cannot be read: %s") % (error.strerror or error), source)
    if len(data) > max_bytes:
        refuse("", too_large(max_bytes), source)
    return data


def too_large(max_bytes: int) -> str:
    return _("larger than the limit of %(limit)s bytes") % {"limit": f"{max_bytes:,}"}


def decode(data: bytes | str, source: str, max_bytes: int) -> str:
    """UTF-8 text of at most `max_bytes`, without a byte order mark."""
    if isinstance(data, str):
        # A character is at least one byte: only a close call needs encoding.
        if len(data) > max_bytes or (
            len(data) * 4 > max_bytes and len(data.encode("utf-8", "surrogatepass")) > max_bytes
        ):
            refuse("", too_large(max_bytes), source)
        return data.removeprefix("\ufeff")
    if len(data) > max_bytes:
        refuse("", too_large(max_bytes), source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        refuse("", _("is UTF-16 text; save it as UTF-8"), source)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        offset = error.start
        line = data.count(b"\n", 0, offset) + 1
        refuse(
            _("byte %(offset)d (line %(line)d)") % {"offset": offset, "line": line},
            _("not UTF-8 text: the byte 0x%(byte)02X cannot be decoded; save it as UTF-8")
            % {"byte": data[offset]},
            source,
        )


# --- YAML -------------------------------------------------------------------------


class BoundedYamlLoader(YamlLoader):  # type: ignore[misc, valid-type]
    """The safe loader (C if available), run only on event streams that
    `check_yaml_events` has passed; numbers and dates are built by the
    constructors below."""


class RefusedValue(yaml.constructor.ConstructorError):
    """A scalar that is valid YAML but not a value we accept."""


def number_or_date(tag: str) -> None:
    """Wrap the safe constructor of `tag`: an overlong number, a float that is
    not finite (`.nan`, `1e999`) or an impossible date (`2019-13-45`) is
    refused with its line instead of raising deep inside the loader."""
    build = BoundedYamlLoader.yaml_constructors[tag]

    def construct(loader: Any, node: yaml.ScalarNode) -> Any:
        def refused(message: str) -> RefusedValue:
            return RefusedValue(None, None, message, node.start_mark)

        if len(node.value) > MAX_NUMBER_DIGITS:
            raise refused(
                _("a number or date longer than %(limit)d characters")
                % {"limit": MAX_NUMBER_DIGITS}
            )
        try:
            value = build(loader, node)
        except (ValueError, OverflowError) as error:
            raise refused(
                _("%(value)s cannot be read: %(error)s") % {"value": node.value, "error": error}
            ) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise refused(_("not a finite number: %s") % node.value)
        return value

    BoundedYamlLoader.add_constructor(tag, construct)


for core_tag in ("int", "float", "timestamp"):
    number_or_date(f"tag:yaml.org,2002:{core_tag}")


def read_yaml(data: bytes | str, source: str, *, max_bytes: int) -> Any:
    """Parse one YAML document of plain data within the limits above."""
    text = decode(data, source, max_bytes)
    try:
        check_yaml_events(yaml.parse(text, Loader=YamlLoader), source)
        return yaml.load(text, Loader=BoundedYamlLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = at_line(mark.line + 1, mark.column + 1) if mark else ""
        problem = error.problem or error.context or ""
        refuse(
            where,
            problem if isinstance(error, RefusedValue) else _("not valid YAML: %s") % problem,
            source,
        )
    except yaml.reader.ReaderError as error:
        character = chr(error.character) if isinstance(error.character, int) else error.character
        offset = text.find(character)
        line = text.count("\n", 0, offset) + 1
        refuse(
            at_line(line, offset - text.rfind("\n", 0, offset)),
            _("the character U+%04X is not allowed in YAML text") % ord(character),
            source,
        )
    except yaml.YAMLError as error:
        refuse("", _("not valid YAML: %s") % error, source)


class Frame:
    """An open sequence or mapping during the event scan."""

    __slots__ = ("anchor", "deepest", "depth", "expect_key", "is_mapping", "keys", "start")

    def __init__(self, event: Any, depth: int, nodes: int) -> None:
        self.anchor: str | None = event.anchor
        self.depth = depth
        self.deepest = depth
        self.start = nodes
        self.is_mapping = isinstance(event, yaml.MappingStartEvent)
        self.expect_key = True
        self.keys: set[str] = set()


def check_yaml_events(events: Iterable[Any], source: str) -> None:
    """Refuse, from the parser's event stream alone (no objects built, no
    recursion), what would be dangerous or ambiguous to load."""
    stack: list[Frame] = []
    # anchor → (nodes it expands to, levels of nesting it adds)
    anchors: dict[str, tuple[int, int]] = {}
    nodes = aliases = documents = 0

    def fail(event: Any, message: str) -> NoReturn:
        mark = event.start_mark
        refuse(at_line(mark.line + 1, mark.column + 1), message, source)

    def finish_node(event: Any, size: int, height: int) -> None:
        """A node is complete: count it, and check it against its mapping."""
        nonlocal nodes
        nodes += size
        if nodes > MAX_NODES:
            fail(event, _("expands to more than %(limit)s nodes") % {"limit": f"{MAX_NODES:,}"})
        if not stack:
            return
        parent = stack[-1]
        parent.deepest = max(parent.deepest, parent.depth + height)
        if parent.deepest > MAX_DEPTH:
            fail(event, _("nested deeper than %(limit)d levels") % {"limit": MAX_DEPTH})
        if parent.is_mapping:
            if parent.expect_key and isinstance(event, yaml.ScalarEvent):
                if event.value in parent.keys:
                    fail(event, _("duplicate key %s") % repr(event.value))
                parent.keys.add(event.value)
            parent.expect_key = not parent.expect_key

    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                fail(event, _("holds more than one YAML document"))
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in SAFE_TAGS:
            fail(event, _("the tag %s is not allowed") % tag)
        if isinstance(event, yaml.CollectionStartEvent):
            depth = len(stack) + 1
            if depth > MAX_DEPTH:
                fail(event, _("nested deeper than %(limit)d levels") % {"limit": MAX_DEPTH})
            nodes += 1
            stack.append(Frame(event, depth, nodes))
        elif isinstance(event, yaml.CollectionEndEvent):
            frame = stack.pop()
            size = nodes - frame.start + 1
            nodes = frame.start - 1
            height = frame.deepest - frame.depth + 1
            if frame.anchor is not None:
                anchors[frame.anchor] = (size, height)
            finish_node(event, size, height)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                anchors[event.anchor] = (1, 0)
            finish_node(event, 1, 0)
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                fail(event, _("more than %(limit)d aliases") % {"limit": MAX_ALIASES})
            if event.anchor not in anchors:
                if any(frame.anchor == event.anchor for frame in stack):
                    fail(event, _("the alias *%s refers to a node that contains it") % event.anchor)
                fail(event, _("the alias *%s has no anchor before it") % event.anchor)
            finish_node(event, *anchors[event.anchor])


# --- JSON -------------------------------------------------------------------------


def read_json(data: bytes | str, source: str, *, max_bytes: int) -> Any:
    """Parse one JSON value within the limits above; NaN and Infinity, which
    JSON does not have, are refused, and so are duplicate keys in an object."""
    text = decode(data, source, max_bytes)
    check_json_depth(text, source)
    try:
        return json.loads(
            text,
            parse_constant=refuse_json_constant,
            parse_float=finite_float,
            parse_int=bounded_int,
            object_pairs_hook=object_without_duplicates,
        )
    except json.JSONDecodeError as error:
        problem = JSON_PROBLEMS.get(error.msg, error.msg)
        refuse(at_line(error.lineno, error.colno), _("not valid JSON: %s") % problem, source)
    except JsonValueError as error:
        refuse("", str(error), source)


def check_json_depth(text: str, source: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH by counting the brackets outside
    strings: flat scans (in C), before the recursive parser sees the text."""
    brackets = JSON_NOT_BRACKET.sub("", JSON_STRING.sub("", text)).translate(SQUARE)
    # Each pass removes the innermost pairs, one level everywhere at once.
    for _level in range(MAX_DEPTH):
        if not brackets:
            return
        brackets = brackets.replace("[]", "")
    if not brackets:
        return
    # Too deep, or unbalanced (then the parser reports it): find the place.
    depth = 0
    for token in JSON_TOKEN.finditer(text):
        depth += BRACKET_STEP.get(token.group(), 0)
        if depth > MAX_DEPTH:
            offset = token.start()
            line = text.count("\n", 0, offset) + 1
            column = offset - text.rfind("\n", 0, offset)
            refuse(
                at_line(line, column),
                _("nested deeper than %(limit)d levels") % {"limit": MAX_DEPTH},
                source,
            )


class JsonValueError(ValueError):
    """A value the JSON parser read but we refuse; the message says which."""


def refuse_json_constant(name: str) -> NoReturn:
    raise JsonValueError(_("not a finite number: %s") % name)


def finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonValueError(_("not a finite number: %s") % text)
    return value


def bounded_int(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS:
        raise JsonValueError(
            _("a number longer than %(limit)d digits") % {"limit": MAX_NUMBER_DIGITS}
        )
    return int(text)


def object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) < len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise JsonValueError(_("duplicate key %s") % repr(key))
            seen.add(key)
    return result
