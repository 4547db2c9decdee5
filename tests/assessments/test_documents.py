import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.assessments import documents
from readiness.assessments.models import Assessment, Evidence, QuestionRating
from readiness.core.errors import InvalidInput
from readiness.core.models import ChangeRecord
from readiness.core.readers import MAX_ASSESSMENT_BYTES, read_json
from readiness.demo.services import demo_document

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (
        Assessment.objects.count(),
        Evidence.objects.count(),
        QuestionRating.objects.count(),
        ChangeRecord.objects.count(),
    )


def small_document() -> dict[str, Any]:
    document = copy.deepcopy(demo_document())
    document["assessment"]["slug"] = "small"
    for framework in document["frameworks"]:
        framework["dimensions"] = framework["dimensions"][:2]
    return document


def test_export_import_export_gives_identical_output(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = documents.dumps(documents.export_assessment(demo))
    demo.delete()
    assert not Evidence.objects.exists()
    imported = documents.import_assessment(None, json.loads(first))
    second = documents.dumps(documents.export_assessment(imported))
    assert first == second


def test_the_cli_round_trip_gives_identical_files(demo, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    exported = tmp_path / "vietnam.json"
    call_command("assessment", "export", "vietnam-2019", "-o", str(exported))
    demo.delete()
    call_command("assessment", "import", str(exported))
    assert "imported vietnam-2019" in capsys.readouterr().out
    again = tmp_path / "again.json"
    call_command("assessment", "export", "vietnam-2019", "-o", str(again))
    assert exported.read_bytes() == again.read_bytes()


def test_the_demo_export_holds_every_rated_question(demo) -> None:  # type: ignore[no-untyped-def]
    document = documents.export_assessment(demo)
    rated = sum(
        1
        for f in document["frameworks"]
        for d in f["dimensions"]
        for q in d["questions"]
        if "rating" in q
    )
    assert rated == 66 + 43


def test_an_unknown_question_is_refused_with_its_path_and_nothing_is_created() -> None:
    document = small_document()
    document["frameworks"][1]["dimensions"][1]["questions"][2]["key"] = "9.9"
    before = counts()
    with pytest.raises(InvalidInput) as raised:
        documents.import_assessment(None, document, "small.json")
    assert [e.path for e in raised.value.errors] == ["frameworks[1].dimensions[1].questions[2].key"]
    assert str(raised.value).startswith("small.json: ")
    assert counts() == before


def test_a_failure_late_in_the_document_rolls_everything_back() -> None:
    document = small_document()
    last_question = document["frameworks"][1]["dimensions"][1]["questions"][-1]
    last_question["rating"]["level"] = "ultraviolet"
    before = counts()
    with pytest.raises(InvalidInput) as raised:
        documents.import_assessment(None, document)
    assert raised.value.errors[0].path.endswith(".rating.level")
    assert counts() == before


def test_a_cite_beyond_the_evidence_list_is_refused() -> None:
    document = small_document()
    question = document["frameworks"][0]["dimensions"][0]["questions"][0]
    question["rating"]["cites"] = [len(question["evidence"])]
    with pytest.raises(InvalidInput) as raised:
        documents.import_assessment(None, document)
    assert raised.value.errors[0].path == "frameworks[0].dimensions[0].questions[0].rating.cites[0]"


def test_a_verdict_that_differs_without_reason_is_refused() -> None:
    document = small_document()
    verdict = document["frameworks"][0]["dimensions"][0]["verdict"]
    assert verdict["override_reason"]
    verdict["override_reason"] = ""
    with pytest.raises(InvalidInput) as raised:
        documents.import_assessment(None, document)
    assert raised.value.errors[0].path == "frameworks[0].dimensions[0].verdict.override_reason"


def test_an_existing_slug_is_refused(demo) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        documents.import_assessment(None, demo_document())
    assert raised.value.errors[0].path == "assessment.slug"


def test_broken_json_names_the_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "format": "readiness-assessment/1",\n  oops\n}', encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("assessment", "import", str(broken))
    assert "broken.json: line 3" in str(raised.value)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)


def mutate(data: Any, path: list[int], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    if isinstance(data, dict) and data:
        key = list(data)[head % len(data)]
        return {**data, key: mutate(data[key], rest, value)}
    if isinstance(data, list) and data:
        index = head % len(data)
        return [*data[:index], mutate(data[index], rest, value), *data[index + 1 :]]
    return value


TINY = {
    "format": "readiness-assessment/1",
    "assessment": {"slug": "tiny", "title": "Tiny", "subject": {"kind": "country", "code": "VN"}},
    "frameworks": [
        {
            "key": "dgra",
            "version": "2018",
            "dimensions": [
                {
                    "key": "1",
                    "verdict": {"level": "red", "commentary": "c", "override_reason": "r"},
                    "questions": [
                        {
                            "key": "1.1",
                            "evidence": [
                                {
                                    "sign": "-",
                                    "text": "t",
                                    "source_kind": "interview",
                                    "reference_url": "https://example.org",
                                    "date": "2018-01-20",
                                }
                            ],
                            "rating": {"level": "red", "rationale": "r", "cites": [0]},
                        }
                    ],
                }
            ],
        }
    ],
}


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(path=st.lists(st.integers(min_value=0, max_value=20), max_size=8), value=json_values)
def test_any_mutated_document_is_imported_whole_or_refused_without_a_trace(
    path: list[int], value: Any
) -> None:
    data = mutate(TINY, path, value)
    before = counts()
    try:
        assessment = documents.import_assessment(None, data, "fuzz.json")
    except InvalidInput as error:
        assert error.errors
        assert counts() == before
    else:
        check_accepted_as_given(data, documents.export_assessment(assessment))
        assessment.delete()


def same_text(given: str, stored: str) -> bool:
    """Stored text has its newlines normalised and its ends stripped."""
    return given.split() == stored.split()


def same_key(given: str, stored: str) -> bool:
    return given.strip().lower() == stored.strip().lower()


def check_accepted_as_given(given: dict[str, Any], exported: dict[str, Any]) -> None:
    """What an accepted document says is what the created assessment holds."""
    info, stored = given["assessment"], exported["assessment"]
    assert same_key(info["slug"], stored["slug"]) and same_text(info["title"], stored["title"])
    assert info["subject"]["kind"] == stored["subject"]["kind"]
    assert [(f["key"], f["version"]) for f in given["frameworks"]] == [
        (f["key"], f["version"]) for f in exported["frameworks"]
    ]
    for framework, stored_framework in zip(
        given["frameworks"], exported["frameworks"], strict=True
    ):
        stored_dimensions = {d["key"]: d for d in stored_framework["dimensions"]}
        for dimension in framework["dimensions"]:
            stored_dimension = stored_dimensions[dimension["key"]]
            if dimension.get("verdict"):
                verdict = stored_dimension["verdict"]
                assert same_key(dimension["verdict"]["level"], verdict["level"])
                assert same_text(dimension["verdict"].get("commentary", ""), verdict["commentary"])
            stored_questions = {q["key"]: q for q in stored_dimension["questions"]}
            for question in dimension.get("questions", []):
                stored_question = stored_questions[question["key"]]
                evidence = question.get("evidence", [])
                assert [(e["sign"], e["source_kind"]) for e in evidence] == [
                    (e["sign"], e["source_kind"]) for e in stored_question["evidence"]
                ]
                for item, stored_item in zip(evidence, stored_question["evidence"], strict=True):
                    assert same_text(item["text"], stored_item["text"])
                if question.get("rating"):
                    rating = stored_question["rating"]
                    assert same_key(question["rating"]["level"], rating["level"])
                    assert sorted(set(question["rating"].get("cites", []))) == rating["cites"]
                else:
                    assert "rating" not in stored_question


def test_an_unchanged_tiny_document_is_imported_as_given() -> None:
    assessment = documents.import_assessment(None, copy.deepcopy(TINY), "tiny.json")
    exported = documents.export_assessment(assessment)
    check_accepted_as_given(TINY, exported)
    question = exported["frameworks"][0]["dimensions"][0]["questions"][0]
    assert question["evidence"][0]["date"] == "2018-01-20"
    assert question["rating"] == {"level": "red", "rationale": "r", "cites": [0]}


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=100))
def test_any_bytes_are_parsed_or_refused_cleanly(raw: bytes) -> None:
    try:
        documents.validate_document(
            read_json(raw, "raw.json", max_bytes=MAX_ASSESSMENT_BYTES), "raw.json"
        )
    except InvalidInput as error:
        assert str(error).startswith("raw.json")
