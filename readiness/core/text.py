"""The text rule, defined once for every door (web, API, CLI, importers).

A stored text has its line breaks normalised to LF (browsers send textarea
newlines as CRLF) and may not hold a character that XML 1.0 cannot carry —
DOCX and XLSX exports are XML — nor DEL: that refuses the C0 control
characters other than tab and newline (NUL, which PostgreSQL cannot store,
among them), DEL, lone surrogates (no UTF-8 encoding exists for them) and
U+FFFE/U+FFFF. The literal text "%00" or "\\u0000" is ordinary text.

Each kind of field has one maximum length, used by the services
(`clean_text`), the API schemas and document models (the Annotated types
below, which also put `maxLength` into the OpenAPI schema) and the forms
(`max_length`, rendered as `maxlength`). Model columns are at least as long.
"""

import re
from typing import Annotated, Any

from django import forms
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core.core_schema import CoreSchema

from readiness.core.errors import FieldError, InvalidInput

# Maximum lengths by kind of field. The longest texts of the demo assessment
# (readiness/demo/*.yaml) and built-in frameworks are about 10 % of each limit
# or less, except where noted: generous headroom, while a report of a few
# hundred evidence items stays a few hundred pages at most.
KEY = 40  # action keys, framework, dimension and question keys, level codes
SLUG = 80  # assessment short names, typed in addresses and on the command line
LABEL = 100  # API token names
SHORT = 200  # one-line notes: evidence author (longest 26), cost and time as written (117)
NAME = 300  # titles and names (longest 185), reference titles (183), sources (203)
URL = 1_000  # links (longest 260)
LONG = 20_000  # evidence, rationale, commentary, descriptions, notes, comments (longest 668)

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


# Characters XML 1.0 cannot hold: C0 controls other than tab, newline and
# carriage return, lone surrogates and the two non-characters. New text cannot
# hold them (FORBIDDEN); exports drop them from what was stored before.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """The text without the characters XML cannot hold (DOCX and XLSX are
    XML). Dropped, not replaced, so a published report renders as it did."""
    return NOT_XML.sub("", text)


def normalise_newlines(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def forbidden_character_message(value: str) -> str | None:
    """Why `value` (newlines already normalised) cannot be stored, or None."""
    match = FORBIDDEN.search(value)
    if match is None:
        return None
    return _("must not contain the control character %(code)s (character %(position)d)") % {
        "code": f"U+{ord(match.group()):04X}",
        "position": match.start() + 1,
    }


def clean_text(
    value: str, limit: int, field: str, errors: list[FieldError], *, required: bool = False
) -> str:
    """The text as it is stored (newlines normalised, stripped); a problem
    is added to `errors` under the name `field`."""
    text = normalise_newlines(value).strip()
    problem = forbidden_character_message(text)
    if problem is None and required and not text:
        problem = _("must not be empty")
    if problem is None and len(text) > limit:
        problem = _("at most %d characters") % limit
    if problem is not None:
        errors.append(FieldError(field, problem))
    return text


def checked_text(value: str, limit: int, field: str, *, required: bool = False) -> str:
    """`clean_text` for a single field: InvalidInput at once."""
    errors: list[FieldError] = []
    text = clean_text(value, limit, field, errors, required=required)
    if errors:
        raise InvalidInput(errors)
    return text


def is_storable(value: str) -> bool:
    """False for a name no stored row can have: lookups by it find nothing
    (and never reach PostgreSQL, which refuses NUL in a query)."""
    return FORBIDDEN.search(value) is None


def clean_identifier(value: str) -> str | None:
    """A slug or key as looked up and stored: stripped and lower-case, or
    None when no slug or key can look like this (a control character)."""
    text = value.strip().lower()
    return text if is_storable(text) else None


def forbidden_path(data: Any, path: str = "") -> tuple[str, str] | None:
    """The path of the first string or key in a parsed document that breaks
    the rule, with the reason; None when there is none."""
    if isinstance(data, str):
        problem = forbidden_character_message(normalise_newlines(data))
        return (path, problem) if problem else None
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and FORBIDDEN.search(key):
                return (path or _("(a key)"), forbidden_character_message(key) or "")
            found = forbidden_path(value, where)
            if found is not None:
                return found
    if isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found = forbidden_path(value, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def refuse_forbidden_characters(data: Any, source: str = "") -> None:
    """InvalidInput naming the path of the first string that breaks the rule."""
    found = forbidden_path(data)
    if found is not None:
        raise InvalidInput.single(found[0], found[1], source)


class TextField(forms.CharField):
    """A form field whose length is counted as stored: browsers send each
    newline of a textarea as CRLF, and `maxlength` counts it once."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return normalise_newlines(text) if isinstance(text, str) else text


# --- the same rule as pydantic types (API schemas, document models) ----------


def _normalised(value: Any) -> Any:
    return normalise_newlines(value) if isinstance(value, str) else value


def _allowed(value: str) -> str:
    problem = forbidden_character_message(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _lowered(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


class _AllowedCharacters(AfterValidator):
    """`_allowed`, and said in the JSON schema as a `pattern` (FORBIDDEN less
    CR, which `Normalised` turns into LF), so that API clients and generated
    requests know it. Lone surrogates are left out: JSON text cannot carry them."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            **handler(core_schema),
            "pattern": "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\ufffe\\uffff]*$",
        }


Normalised = BeforeValidator(_normalised)
Allowed = _AllowedCharacters(_allowed)
Lowered = BeforeValidator(_lowered)  # slugs and keys matched whatever their case

LabelText = Annotated[str, StringConstraints(max_length=LABEL), Normalised, Allowed]
ShortText = Annotated[str, StringConstraints(max_length=SHORT), Normalised, Allowed]
NameText = Annotated[str, StringConstraints(max_length=NAME), Normalised, Allowed]
UrlText = Annotated[str, StringConstraints(max_length=URL), Normalised, Allowed]
LongText = Annotated[str, StringConstraints(max_length=LONG), Normalised, Allowed]
# Keys and slugs: the syntax says which characters, the kind how many.
KeyText = Annotated[str, StringConstraints(pattern=rf"^[A-Za-z0-9][A-Za-z0-9._-]{{0,{KEY - 1}}}$")]
SlugText = Annotated[str, StringConstraints(pattern=rf"^[-a-zA-Z0-9_]{{1,{SLUG}}}$")]
