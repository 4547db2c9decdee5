"""Hostile YAML and JSON documents through every door that reads them: the
CLI (`frameworks validate|load`, `assessment import`, `plan import`) and the
API (assessment import, plan import). Each is refused with an error naming
the file or body and the place, changes no row, and shows no traceback; the
CLI process ends by itself with exit code 1 (never a signal)."""

import copy
import io
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.actionplans.models import Action
from readiness.actionplans.services import import_plan
from readiness.assessments import documents
from readiness.assessments.models import Evidence
from readiness.core import readers
from readiness.core.errors import InvalidInput
from readiness.demo.services import DEMO_PLANS, demo_document
from readiness.frameworks.services import builtin_framework_files
from tests.conftest import client_for
from tests.hostile.conftest import (
    assert_no_traceback,
    assert_refused,
    row_counts,
    rows_unchanged,
    run_readiness,
)

pytestmark = pytest.mark.django_db

DEEP = 100_000
# Nine levels of nine aliases: 9**9 (387 million) strings once expanded.
BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


# --- valid documents to spoil ------------------------------------------------------


def framework_data() -> dict[str, Any]:
    """The smallest built-in framework, under a key of its own."""
    path = next(p for p in builtin_framework_files() if p.name.startswith("od4b"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["key"] = "hostile"
    return data


def assessment_data() -> dict[str, Any]:
    document = copy.deepcopy(demo_document())
    document["assessment"]["slug"] = "hostile"
    document["frameworks"] = document["frameworks"][:1]
    document["frameworks"][0]["dimensions"] = document["frameworks"][0]["dimensions"][:1]
    return document


def plan_data() -> dict[str, Any]:
    """One action of the demo's DGRA plan, under a key the demo does not use."""
    plan = yaml.safe_load(DEMO_PLANS[0].read_text(encoding="utf-8"))
    action = plan["actions"][0]
    action["key"] = "hostile-1"
    plan["actions"] = [action]
    return plan


def as_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")


def as_yaml(data: Any) -> bytes:
    # Through JSON first: shared sub-objects would otherwise be written as aliases.
    plain = json.loads(as_json(data))
    return yaml.safe_dump(plain, allow_unicode=True, sort_keys=False).encode("utf-8")


# --- the doors ------------------------------------------------------------------------
# Each takes the bytes of a document and returns the error text it answered with,
# after checking that the refusal changed no row and carried no traceback.


def cli_refusal(tmp_path: Path, name: str, content: bytes, *command: str) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    stderr = io.StringIO()
    with rows_unchanged(), pytest.raises(CommandError) as raised:
        call_command(*command, str(path), stderr=stderr)
    text = stderr.getvalue() + str(raised.value)
    assert_no_traceback(text)
    assert str(path) in text
    return text


def frameworks_validate(tmp_path: Path, content: bytes) -> str:
    return cli_refusal(tmp_path, "framework.yaml", content, "frameworks", "validate")


def frameworks_load(tmp_path: Path, content: bytes) -> str:
    return cli_refusal(tmp_path, "framework.yaml", content, "frameworks", "load")


def plan_import(tmp_path: Path, content: bytes) -> str:
    return cli_refusal(tmp_path, "plan.yaml", content, "plan", "import")


def assessment_import(tmp_path: Path, content: bytes) -> str:
    return cli_refusal(tmp_path, "assessment.json", content, "assessment", "import")


def api_refusal(client: Client, url: str, content: bytes) -> str:
    with rows_unchanged():
        response = client.post(url, content, content_type="application/json")
    assert response.status_code in (400, 422), response.content[:500]
    text = response.content.decode("utf-8")
    assert_no_traceback(text)
    return text


def staff_client() -> Client:
    return client_for(User.objects.get(username="demo"))


def api_assessment_import(tmp_path: Path, content: bytes) -> str:
    return api_refusal(staff_client(), "/api/v1/assessments/import", content)


def api_plan_import(tmp_path: Path, content: bytes) -> str:
    return api_refusal(staff_client(), "/api/v1/assessments/vietnam-2019/plan/import", content)


Door = Callable[[Path, bytes], str]
YAML_DOORS: list[Door] = [frameworks_validate, frameworks_load, plan_import]
JSON_DOORS: list[Door] = [assessment_import, api_assessment_import, api_plan_import]
# A valid document of each door's kind, to spoil, and how that door's files are written.
VALID: dict[Door, tuple[Callable[[], dict[str, Any]], Callable[[Any], bytes]]] = {
    frameworks_validate: (framework_data, as_yaml),
    frameworks_load: (framework_data, as_yaml),
    plan_import: (plan_data, as_yaml),
    assessment_import: (assessment_data, as_json),
    api_assessment_import: (assessment_data, as_json),
    api_plan_import: (plan_data, as_json),
}


def valid_bytes(door: Door) -> bytes:
    data, encode = VALID[door]
    return encode(data())


ALL_DOORS = YAML_DOORS + JSON_DOORS


def door_ids(door: Door) -> str:
    return door.__name__


# --- nesting, aliases, tags -------------------------------------------------------


@pytest.mark.parametrize("door", ALL_DOORS, ids=door_ids)
def test_deep_nesting_is_refused_at_the_limit(door: Door, tmp_path: Path) -> None:
    message = door(tmp_path, b"[" * DEEP + b"]" * DEEP)
    assert "nested deeper than 64 levels" in message
    assert "line 1, column 65" in message


@pytest.mark.parametrize("door", ALL_DOORS, ids=door_ids)
def test_nesting_inside_a_valid_document_is_refused_too(door: Door, tmp_path: Path) -> None:
    data, encode = VALID[door]
    spoiled = data()
    spoiled["format"] = nest([], 70)
    assert "nested deeper than 64 levels" in door(tmp_path, encode(spoiled))


@pytest.mark.parametrize("door", YAML_DOORS, ids=door_ids)
def test_an_alias_bomb_is_refused_before_it_is_expanded(door: Door, tmp_path: Path) -> None:
    message = door(tmp_path, BILLION_LAUGHS.encode("utf-8"))
    assert "expands to more than 500,000 nodes" in message
    assert "line " in message


def test_deep_nesting_and_an_alias_bomb_are_refused_in_well_under_a_second() -> None:
    """Measured on the reader alone (the doors add Django's fixed costs)."""
    for read, text in [
        (readers.read_yaml, BILLION_LAUGHS),
        (readers.read_yaml, "[" * DEEP + "]" * DEEP),
        (readers.read_json, "[" * DEEP + "]" * DEEP),
    ]:
        started = time.perf_counter()
        with pytest.raises(InvalidInput):
            read(text, "hostile", max_bytes=readers.MAX_PLAN_BYTES)
        assert time.perf_counter() - started < 0.25


def test_more_aliases_than_the_limit_are_refused(tmp_path: Path) -> None:
    text = "x: &x 1\nlist: [" + ", ".join(["*x"] * 101) + "]\n"
    assert "more than 100 aliases" in frameworks_validate(tmp_path, text.encode("utf-8"))


def test_a_self_referring_alias_is_refused(tmp_path: Path) -> None:
    message = plan_import(tmp_path, b"actions: &loop [*loop]\n")
    assert "line 1, column 17" in message and "refers to a node that contains it" in message


@pytest.mark.parametrize("door", YAML_DOORS, ids=door_ids)
def test_python_tags_are_refused_and_nothing_runs(door: Door, tmp_path: Path) -> None:
    witness = tmp_path / "pwned"
    text = valid_bytes(door).decode("utf-8") + (
        f'note: !!python/object/apply:os.system ["touch {witness}"]\n'
    )
    message = door(tmp_path, text.encode("utf-8"))
    assert "the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed" in message
    assert "line " in message
    assert not witness.exists()


def test_other_non_core_tags_are_refused(tmp_path: Path) -> None:
    for tag in ("!!binary aGVsbG8=", "!!set {a}", "!custom x"):
        message = plan_import(tmp_path, f"format: {tag}\n".encode())
        assert "is not allowed" in message and "line 1, column 9" in message


def test_duplicate_keys_are_refused_with_their_line(tmp_path: Path) -> None:
    text = valid_bytes(frameworks_validate).decode("utf-8") + "key: other\n"
    message = frameworks_validate(tmp_path, text.encode("utf-8"))
    assert "duplicate key 'key'" in message and f"line {text.count(chr(10))}, column 1" in message


@pytest.mark.parametrize("door", JSON_DOORS, ids=door_ids)
def test_duplicate_keys_in_json_are_refused(door: Door, tmp_path: Path) -> None:
    content = b'{"format": "readiness-assessment/1", "format": "x"}'
    assert "duplicate key 'format'" in door(tmp_path, content)


@pytest.mark.parametrize("door", JSON_DOORS, ids=door_ids)
@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_numbers_json_does_not_have_are_refused(door: Door, constant: str, tmp_path: Path) -> None:
    content = b'{"format": "readiness-assessment/1", "x": ' + constant.encode() + b"}"
    assert f"not a finite number: {constant}" in door(tmp_path, content)


def test_yaml_nan_and_overlong_numbers_are_refused(tmp_path: Path) -> None:
    assert "not a finite number: .nan" in plan_import(tmp_path, b"format: .nan\n")
    message = plan_import(tmp_path, b"format: " + b"9" * 5000 + b"\n")
    assert "longer than 100 characters" in message and "line 1, column 9" in message
    message = plan_import(tmp_path, b"plan_start: 2019-13-45\n")
    assert "2019-13-45 cannot be read" in message and "line 1, column 13" in message


def test_a_json_number_with_thousands_of_digits_is_refused(tmp_path: Path) -> None:
    content = b'{"format": ' + b"9" * 5000 + b"}"
    assert "a number longer than 100 digits" in assessment_import(tmp_path, content)


# --- encodings and characters --------------------------------------------------------


@pytest.mark.parametrize("door", ALL_DOORS, ids=door_ids)
def test_text_that_is_not_utf8_is_refused_with_the_byte_offset(door: Door, tmp_path: Path) -> None:
    valid = valid_bytes(door)
    offset = valid.index(b"\n") if b"\n" in valid else 20
    latin1 = valid[:offset] + "é".encode("latin-1") + valid[offset:]
    message = door(tmp_path, latin1)
    assert f"byte {offset} (line 1)" in message
    assert "not UTF-8 text: the byte 0xE9 cannot be decoded" in message


@pytest.mark.parametrize("door", ALL_DOORS, ids=door_ids)
def test_utf16_text_is_refused_with_advice(door: Door, tmp_path: Path) -> None:
    assert "is UTF-16 text; save it as UTF-8" in door(
        tmp_path, valid_bytes(door).decode().encode("utf-16")
    )


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "framework.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + as_yaml(framework_data()))
    output = io.StringIO()
    call_command("frameworks", "validate", str(path), stdout=output)
    assert f"{path}: valid (hostile 2.8" in output.getvalue()


@pytest.mark.parametrize("door", YAML_DOORS, ids=door_ids)
def test_raw_control_characters_in_yaml_are_refused_with_their_line(
    door: Door, tmp_path: Path
) -> None:
    message = door(tmp_path, b"format: x\nkey: a\x01b\n")
    assert "the character U+0001 is not allowed in YAML text" in message
    assert "line 2, column 7" in message


@pytest.mark.parametrize("door", JSON_DOORS, ids=door_ids)
def test_raw_control_characters_in_json_are_refused_with_their_line(
    door: Door, tmp_path: Path
) -> None:
    message = door(tmp_path, b'{"format":\n "a\x01b"}')
    assert "not valid JSON: a control character inside a text" in message
    assert "line 2, column 4" in message


def test_an_escaped_nul_in_a_yaml_text_is_refused_naming_the_field(tmp_path: Path) -> None:
    plan = plan_data()
    plan["actions"][0]["title"] = "before\x00after"
    assert "actions[0].title" in plan_import(tmp_path, as_yaml(plan))
    framework = framework_data()
    framework["dimensions"][0]["title"]["en"] = "a\x00b"
    assert "dimensions[0].title.en" in frameworks_validate(tmp_path, as_yaml(framework))


def test_an_escaped_nul_or_control_character_in_json_is_refused_naming_the_field(
    tmp_path: Path,
) -> None:
    for character in ("\x00", "\x07"):
        document = assessment_data()
        document["assessment"]["title"] = f"a{character}b"
        assert "assessment.title" in assessment_import(tmp_path, as_json(document))


@pytest.mark.parametrize("door", [api_assessment_import, api_plan_import], ids=door_ids)
def test_an_escaped_nul_in_an_api_body_is_refused(door: Door, tmp_path: Path) -> None:
    assert "U+0000" in door(tmp_path, b'{"format": "a\\u0000b"}')


RTL = "\u202eRTL override\u202c and \u2067isolate\u2069"


def test_right_to_left_controls_in_evidence_are_stored_verbatim(tmp_path: Path) -> None:
    document = assessment_data()
    question = document["frameworks"][0]["dimensions"][0]["questions"][0]
    question["evidence"][0]["text"] = RTL
    path = tmp_path / "rtl.json"
    path.write_bytes(as_json(document))
    call_command("assessment", "import", str(path), stdout=io.StringIO())
    assert Evidence.objects.filter(assessment__slug="hostile", text=RTL).count() == 1


def test_right_to_left_controls_in_a_plan_are_stored_verbatim(tmp_path: Path) -> None:
    plan = plan_data()
    plan["actions"][0]["title"] = RTL
    path = tmp_path / "rtl.yaml"
    path.write_bytes(as_yaml(plan))
    call_command("plan", "import", str(path), stdout=io.StringIO())
    assert Action.objects.get(key="hostile-1").title == RTL


def test_right_to_left_controls_through_the_api_are_stored_verbatim() -> None:
    plan = plan_data()
    plan["actions"][0]["title"] = RTL
    response = staff_client().post(
        "/api/v1/assessments/vietnam-2019/plan/import", as_json(plan), "application/json"
    )
    assert response.status_code == 201, response.content
    assert Action.objects.get(key="hostile-1").title == RTL


# --- sizes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("door", "limit"),
    [
        (frameworks_validate, readers.MAX_FRAMEWORK_BYTES),
        (plan_import, readers.MAX_PLAN_BYTES),
        (assessment_import, readers.MAX_ASSESSMENT_BYTES),
    ],
    ids=["framework", "plan", "assessment"],
)
def test_an_oversized_file_is_refused_without_reading_it(
    door: Door, limit: int, tmp_path: Path
) -> None:
    """A sparse file of 64 GiB: reading it would take minutes and all memory."""
    path = tmp_path / "huge"
    with path.open("wb") as file:
        file.truncate(64 * 1024**3)
    command = {
        frameworks_validate: ("frameworks", "validate"),
        plan_import: ("plan", "import"),
        assessment_import: ("assessment", "import"),
    }[door]
    stderr = io.StringIO()
    with rows_unchanged(), pytest.raises(CommandError) as raised:
        call_command(*command, str(path), stderr=stderr)
    assert f"{path}: larger than the limit of {limit:,} bytes" in stderr.getvalue() + str(
        raised.value
    )


def test_a_file_just_over_the_limit_is_refused_and_one_at_it_is_read(tmp_path: Path) -> None:
    limit = readers.MAX_PLAN_BYTES
    padding = b"# " + b"x" * (limit - 3) + b"\n"
    assert len(padding) == limit
    path = tmp_path / "plan.yaml"
    path.write_bytes(padding)
    assert readers.read_file(path, limit) == padding
    assert "larger than the limit" in plan_import(tmp_path, padding + b"\n")


@pytest.mark.parametrize("extra", [1, 5 * 1024 * 1024])
def test_an_oversized_api_body_is_refused_as_too_large(extra: int) -> None:
    body = b'{"format": "' + b"x" * (10 * 1024 * 1024 + extra) + b'"}'
    client = staff_client()
    with rows_unchanged():
        response = client.post("/api/v1/assessments/import", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["message"].startswith("The request body is larger than the limit")


def test_an_oversized_field_is_refused_naming_it(tmp_path: Path) -> None:
    document = assessment_data()
    document["assessment"]["title"] = "t" * 301
    assert "assessment.title" in assessment_import(tmp_path, as_json(document))
    assert "assessment.title" in api_assessment_import(tmp_path, as_json(document))


def small_question(key: str) -> dict[str, Any]:
    return {"key": key, "text": {"en": "Is it so?", "vi": "Có phải không?"}}


def small_dimension(order: int, questions: int) -> dict[str, Any]:
    return {
        "key": f"d{order}",
        "order": order,
        "title": {"en": "A dimension", "vi": "Một khía cạnh"},
        "questions": [small_question(f"{order}.{q}") for q in range(1, questions + 1)],
    }


def framework_of(dimensions: list[dict[str, Any]]) -> bytes:
    framework = framework_data()
    framework["importance_scale"] = None
    framework["dimensions"] = dimensions
    return as_yaml(framework)


def test_a_framework_of_5000_questions_is_refused_at_once(tmp_path: Path) -> None:
    content = framework_of([small_dimension(d, 100) for d in range(1, 51)])
    message = frameworks_validate(tmp_path, content)
    assert "dimensions: 5000 questions in all; the limit is 2000" in message


def test_too_many_dimensions_or_questions_in_one_are_refused_naming_the_list(
    tmp_path: Path,
) -> None:
    message = frameworks_validate(tmp_path, framework_of([small_dimension(1, 301)]))
    assert "dimensions[0].questions: must have at most 300 items" in message
    message = frameworks_validate(
        tmp_path, framework_of([small_dimension(d, 1) for d in range(1, 52)])
    )
    assert "dimensions: must have at most 50 items" in message


def test_a_framework_at_every_limit_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "framework.yaml"
    # 50 dimensions, one of 300 questions, 2,000 questions in all.
    dimensions = [small_dimension(1, 300)] + [small_dimension(d, 35) for d in range(2, 51)]
    dimensions[-1] = small_dimension(50, 2000 - 300 - 35 * 48)
    path.write_bytes(framework_of(dimensions))
    output = io.StringIO()
    call_command("frameworks", "validate", str(path), stdout=output)
    assert "valid (hostile 2.8, 50 dimensions, 2000 questions)" in output.getvalue()


# --- wrong types and nulls ----------------------------------------------------------


def test_wrong_types_and_nulls_are_refused_naming_the_field(tmp_path: Path) -> None:
    framework = framework_data()
    framework["dimensions"][0]["questions"] = None
    framework["rating_scale"][0]["score"] = "high"
    message = frameworks_validate(tmp_path, as_yaml(framework))
    assert "dimensions[0].questions" in message and "rating_scale[0].score" in message

    plan = plan_data()
    plan["actions"][0]["key"] = None
    plan["actions"][0]["start_month"] = [1]
    message = plan_import(tmp_path, as_yaml(plan))
    assert "actions[0].key" in message and "actions[0].start_month" in message

    document = assessment_data()
    document["assessment"]["title"] = 5
    document["frameworks"][0]["dimensions"] = None
    for door in (assessment_import, api_assessment_import):
        message = door(tmp_path, as_json(document))
        assert "assessment.title" in message and "frameworks[0].dimensions" in message

    for door in ALL_DOORS:
        assert door(tmp_path, b"[]" if door in JSON_DOORS else b"- a list\n")


# --- the CLI in its own process: no signal, no traceback, exit code 1 -----------------


def test_the_cli_refuses_hostile_framework_files_without_crashing(
    migrated_var: Path, tmp_path: Path
) -> None:
    files = {
        "deep.yaml": (b"[" * DEEP + b"]" * DEEP, "nested deeper than 64 levels"),
        "bomb.yaml": (BILLION_LAUGHS.encode(), "expands to more than 500,000 nodes"),
        "tag.yaml": (b"key: !!python/object/apply:os.getcwd []\n", "is not allowed"),
        "latin1.yaml": (b"key: caf\xe9\n", "byte 8 (line 1)"),
    }
    for name, (content, _) in files.items():
        (tmp_path / name).write_bytes(content)
    sparse = tmp_path / "huge.yaml"
    with sparse.open("wb") as file:
        file.truncate(64 * 1024**3)
    paths = [str(tmp_path / name) for name in files] + [str(sparse)]
    for action in ("validate", "load"):
        result = run_readiness(migrated_var, "frameworks", action, *paths)
        assert_refused(
            result,
            *(f"{tmp_path / name}: line" for name in ("deep.yaml", "bomb.yaml", "tag.yaml")),
            *(message for _, message in files.values()),
            f"{sparse}: larger than the limit",
        )


@pytest.mark.parametrize(
    ("command", "name", "content", "message"),
    [
        (("plan", "import"), "deep.yaml", b"[" * DEEP + b"]" * DEEP, "nested deeper than 64"),
        (("plan", "import"), "latin1.yaml", b"format: x\ntitle: caf\xe9\n", "byte 20 (line 2)"),
        (("assessment", "import"), "deep.json", b"[" * DEEP + b"]" * DEEP, "nested deeper than"),
    ],
    ids=["plan-deep", "plan-not-utf8", "assessment-deep"],
)
def test_the_cli_refuses_hostile_documents_without_crashing(
    migrated_var: Path,
    tmp_path: Path,
    command: tuple[str, str],
    name: str,
    content: bytes,
    message: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_refused(run_readiness(migrated_var, *command, str(path)), str(path), message)


def test_a_missing_file_is_one_line(migrated_var: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    result = run_readiness(migrated_var, "assessment", "import", str(missing))
    assert_refused(result, f"{missing}: cannot be read: No such file or directory")


def test_without_a_database_the_cli_says_what_to_run(tmp_path: Path) -> None:
    result = run_readiness(tmp_path / "nothing-here", "frameworks", "list")
    assert_refused(result, "there is no database at", "run: readiness migrate")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nothing-here").exists()


def test_a_database_without_tables_gets_the_same_advice(tmp_path: Path) -> None:
    (tmp_path / "readiness.sqlite3").touch()
    result = run_readiness(tmp_path, "assessment", "list")
    assert_refused(result, "the database has no tables yet; run: readiness migrate")
    assert len(result.stderr.strip().splitlines()) == 1


# --- generated inputs ---------------------------------------------------------------

# Without the line separators PyYAML's dumper writes unquoted (and so loses).
texts = st.text(
    st.characters(exclude_characters="\x85\u2028\u2029", exclude_categories=["Cs"]),
    max_size=20,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**15), max_value=10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=40,
)


def depth_of(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    return 0


def nest(value: Any, levels: int) -> Any:
    for _ in range(levels):
        value = [value]
    return value


@settings(max_examples=150, deadline=None)
@given(json_values, st.integers(min_value=0, max_value=80))
def test_json_trees_round_trip_or_are_refused_for_depth(value: Any, extra: int) -> None:
    value = nest(value, extra)
    text = json.dumps(value)
    if depth_of(value) > readers.MAX_DEPTH:
        with pytest.raises(InvalidInput, match="nested deeper than 64 levels"):
            readers.read_json(text, "tree.json", max_bytes=readers.MAX_ASSESSMENT_BYTES)
    else:
        assert readers.read_json(text, "tree.json", max_bytes=readers.MAX_ASSESSMENT_BYTES) == value


@settings(max_examples=100, deadline=None)
@given(json_values, st.integers(min_value=0, max_value=80))
def test_yaml_trees_round_trip_or_are_refused_for_depth(value: Any, extra: int) -> None:
    value = nest(value, extra)
    # No line folding: PyYAML's emitter folds a double-quoted string after an
    # escaped space deep inside (["0\x1f 0"] nested 40 times) into text that
    # PyYAML's own loaders, C and Python, read back without the space.
    text = yaml.safe_dump(value, allow_unicode=True, width=float("inf"))
    if depth_of(value) > readers.MAX_DEPTH:
        with pytest.raises(InvalidInput, match="nested deeper than 64 levels"):
            readers.read_yaml(text, "tree.yaml", max_bytes=readers.MAX_PLAN_BYTES)
    else:
        assert readers.read_yaml(text, "tree.yaml", max_bytes=readers.MAX_PLAN_BYTES) == value


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_are_read_or_refused_cleanly(raw: bytes) -> None:
    for read in (readers.read_json, readers.read_yaml):
        try:
            read(raw, "random", max_bytes=readers.MAX_PLAN_BYTES)
        except InvalidInput as error:
            assert str(error).startswith("random: ")
            assert all(e.message for e in error.errors)


def spoil(document: Any, path: list[int], replacement: Any) -> Any:
    """`document` with the node that `path` picks (indexes into the children at
    each level, modulo their number) replaced by `replacement`."""
    document = copy.deepcopy(document)
    parent, key = None, None
    node = document
    for step in path:
        if not isinstance(node, dict | list) or not node:
            break
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        key = children[step % len(children)][0]
        parent, node = node, node[key]
    if parent is None:
        return replacement
    parent[key] = replacement
    return document


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(min_value=0, max_value=50), max_size=8), json_values)
def test_spoiled_assessment_documents_import_whole_or_not_at_all(
    path: list[int], replacement: Any
) -> None:
    text = as_json(spoil(assessment_data(), path, replacement))
    before = row_counts()
    try:
        data = readers.read_json(text, "spoiled.json", max_bytes=readers.MAX_ASSESSMENT_BYTES)
        assessment = documents.import_assessment(None, data, "spoiled.json")
    except InvalidInput as error:
        assert str(error).startswith("spoiled.json: ")
        assert row_counts() == before
        return
    # Accepted: the evidence stored is the evidence the document lists.
    sent = [
        item["text"].strip()
        for framework in data["frameworks"]
        for dimension in framework["dimensions"]
        for question in dimension.get("questions", [])
        for item in question.get("evidence", [])
    ]
    stored = list(assessment.evidence.values_list("text", flat=True))
    assert sorted(stored) == sorted(sent)
    assert assessment.slug == data["assessment"]["slug"]
    assessment.delete()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(min_value=0, max_value=50), max_size=6), json_values)
def test_spoiled_plans_import_whole_or_not_at_all(path: list[int], replacement: Any) -> None:
    text = as_yaml(spoil(plan_data(), path, replacement))
    before = row_counts()
    try:
        data = readers.read_yaml(text, "spoiled.yaml", max_bytes=readers.MAX_PLAN_BYTES)
        created = import_plan(None, data, "spoiled.yaml")
    except InvalidInput as error:
        assert str(error).startswith("spoiled.yaml: ")
        assert row_counts() == before
        return
    # Accepted: the actions stored are the ones the plan lists, by key and title.
    assert sorted((a.key, a.title) for a in created) == sorted(
        (a["key"], a["title"].strip()) for a in data["actions"]
    )
    for action in created:
        action.delete()


def test_the_largest_legitimate_documents_are_well_within_the_limits() -> None:
    demo = (Path(documents.__file__).parents[1] / "demo" / "vietnam-2019.yaml").stat().st_size
    assert demo * 20 < readers.MAX_ASSESSMENT_BYTES
    assert max(p.stat().st_size for p in DEMO_PLANS) * 20 < readers.MAX_PLAN_BYTES
    largest = max(p.stat().st_size for p in builtin_framework_files())
    assert largest * 20 < readers.MAX_FRAMEWORK_BYTES
