"""The assessment document's rules, against documents written by hand: what
an export holds for questions with evidence but no rating (and the reverse),
for verdicts without rated questions, importance and periods; the exact text
of a dump; the fixed number of queries of an export."""

import copy
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth.models import User

from readiness.assessments import documents
from readiness.assessments.models import Membership
from readiness.core.errors import InvalidInput
from readiness.core.models import ChangeRecord

pytestmark = pytest.mark.django_db

# Everything a document may say, with the unusual combinations: evidence on an
# unrated question (1.1), a rating without evidence (1.2), a rating citing only
# the second of two items (1.3), verdicts on dimensions with no rated question
# (dgra 2, which overrides the suggested grey; odra 1 and 3, which agree with
# it, one with an importance), and questions and dimensions that say nothing
# (dgra 1.4 and 3–7, odra 2), which an export leaves out, also between two
# that say something. Written out in full: it is also what the export must
# give back, field for field.
GIVEN: dict[str, Any] = {
    "format": "readiness-assessment/1",
    "assessment": {
        "slug": "hand-written",
        "title": "Hand-written",
        "subject": {"kind": "agency", "code": "VN", "name": "Ministry of Information"},
        "period_start": "2019-01-07",
        "period_end": "2019-06-28",
        "description": "Every field once.",
    },
    "frameworks": [
        {
            "key": "dgra",
            "version": "2018",
            "dimensions": [
                {
                    "key": "1",
                    "questions": [
                        {
                            "key": "1.1",
                            "evidence": [
                                {
                                    "sign": "+",
                                    "text": "A data portal exists.",
                                    "source_kind": "website",
                                    "reference_title": "Portal",
                                    "reference_url": "https://data.example.org",
                                    "date": "2019-02-01",
                                    "author": "Lan",
                                }
                            ],
                        },
                        {
                            "key": "1.2",
                            "evidence": [],
                            "rating": {
                                "level": "yellow",
                                "rationale": "Said, not shown.",
                                "cites": [],
                            },
                        },
                        {
                            "key": "1.3",
                            "evidence": [
                                {
                                    "sign": "-",
                                    "text": "No budget line.",
                                    "source_kind": "interview",
                                    "reference_title": "",
                                    "reference_url": "",
                                    "date": None,
                                    "author": "",
                                },
                                {
                                    "sign": "o",
                                    "text": "A decree is drafted.",
                                    "source_kind": "document",
                                    "reference_title": "Draft decree",
                                    "reference_url": "",
                                    "date": "2019-03-15",
                                    "author": "",
                                },
                            ],
                            "rating": {"level": "yellow_red", "rationale": "", "cites": [1]},
                        },
                        {
                            "key": "1.5",
                            "evidence": [],
                            "rating": {"level": "red", "rationale": "", "cites": []},
                        },
                    ],
                },
                {
                    "key": "2",
                    "verdict": {
                        "level": "yellow",
                        "importance": None,
                        "commentary": "Nothing rated yet.",
                        "override_reason": "Interviews point to yellow.",
                    },
                    "questions": [],
                },
            ],
        },
        {
            "key": "odra",
            "version": "3.1",
            "dimensions": [
                {
                    "key": "1",
                    "verdict": {
                        "level": "grey",
                        "importance": "high",
                        "commentary": "",
                        "override_reason": "",
                    },
                    "questions": [],
                },
                {
                    "key": "3",
                    "verdict": {
                        "level": "grey",
                        "importance": None,
                        "commentary": "",
                        "override_reason": "",
                    },
                    "questions": [],
                },
            ],
        },
    ],
}


def test_an_export_gives_back_exactly_the_document_it_was_imported_from() -> None:
    assessment = documents.import_assessment(None, copy.deepcopy(GIVEN), "given.json")
    assert documents.export_assessment(assessment) == GIVEN


def test_a_document_without_period_or_rating_exports_nulls_and_empty_texts() -> None:
    given = {
        "format": "readiness-assessment/1",
        "assessment": {
            "slug": "bare",
            "title": "Bare",
            "subject": {"kind": "country", "code": "VN"},
        },
        "frameworks": [{"key": "dgra", "version": "2018"}],
    }
    assessment = documents.import_assessment(None, given, "bare.json")
    assert documents.export_assessment(assessment) == {
        "format": "readiness-assessment/1",
        "assessment": {
            "slug": "bare",
            "title": "Bare",
            "subject": {"kind": "country", "code": "VN", "name": ""},
            "period_start": None,
            "period_end": None,
            "description": "",
        },
        "frameworks": [{"key": "dgra", "version": "2018", "dimensions": []}],
    }


def test_an_export_takes_the_same_seven_queries_for_the_demo_as_for_a_small_document(
    demo, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    # Frameworks, their dimensions, their questions, evidence, ratings, cited
    # evidence, verdicts: one query each, however many rows.
    small = documents.import_assessment(None, copy.deepcopy(GIVEN), "given.json")
    for assessment in (small, demo):
        with django_assert_num_queries(7):
            documents.export_assessment(assessment)


def test_a_dump_is_indented_by_two_keeps_vietnamese_letters_and_ends_with_a_newline() -> None:
    dumped = documents.dumps({"title": "Đánh giá", "cites": [0, 2]})
    assert dumped == '{\n  "title": "Đánh giá",\n  "cites": [\n    0,\n    2\n  ]\n}\n'


def refusal(data: Any, *source: str) -> str:
    with pytest.raises(InvalidInput) as raised:
        documents.import_assessment(None, data, *source)
    return str(raised.value)


def test_forbidden_characters_are_refused_before_the_fields_are_checked() -> None:
    # Alone, the format would also lack `assessment` and `frameworks`; the
    # character is the one error reported, with the file and the position.
    assert refusal({"format": "readiness-assessment/1\x00"}, "doc.json") == (
        "doc.json: format: must not contain the control character U+0000 (character 23)"
    )


def test_a_refused_document_names_its_file_on_every_line_and_nothing_without_one() -> None:
    assert refusal({"format": "readiness-assessment/1"}, "doc.json") == (
        "doc.json: assessment: required\ndoc.json: frameworks: required"
    )
    assert refusal({"format": "readiness-assessment/1"}) == (
        "assessment: required\nframeworks: required"
    )
    with pytest.raises(InvalidInput) as raised:
        documents.validate_document({"format": "readiness-assessment/1"})
    assert str(raised.value) == "assessment: required\nframeworks: required"


def with_change(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(GIVEN)
    change(document)
    return document


def test_an_unknown_framework_is_named_by_its_place_in_the_list() -> None:
    def unknown(document: dict[str, Any]) -> None:
        document["frameworks"][1]["version"] = "9.9"

    assert refusal(with_change(unknown), "doc.json") == (
        "doc.json: frameworks[1]: framework odra 9.9 is not loaded"
    )


def test_an_unknown_dimension_is_named_with_its_framework() -> None:
    def unknown(document: dict[str, Any]) -> None:
        document["frameworks"][0]["dimensions"][1]["key"] = "99"

    assert refusal(with_change(unknown), "doc.json") == (
        "doc.json: frameworks[0].dimensions[1].key: dgra has no dimension '99'"
    )


def test_a_question_of_another_dimension_is_refused_with_its_dimension() -> None:
    def elsewhere(document: dict[str, Any]) -> None:
        document["frameworks"][0]["dimensions"][0]["questions"][1]["key"] = "2.1"

    assert refusal(with_change(elsewhere), "doc.json") == (
        "doc.json: frameworks[0].dimensions[0].questions[1].key: dimension 1 has no question '2.1'"
    )


def test_a_refused_evidence_field_is_named_by_its_place_in_the_document() -> None:
    def bad_link(document: dict[str, Any]) -> None:
        question = document["frameworks"][0]["dimensions"][0]["questions"][2]
        question["evidence"][1]["reference_url"] = "ftp://example.org/decree"

    message = refusal(with_change(bad_link), "doc.json")
    path = "frameworks[0].dimensions[0].questions[2].evidence[1].reference_url"
    assert message.startswith(f"doc.json: {path}: ")


def test_a_cite_beyond_the_evidence_says_how_many_items_there_are() -> None:
    def beyond(document: dict[str, Any]) -> None:
        document["frameworks"][0]["dimensions"][0]["questions"][2]["rating"]["cites"] = [0, 2]

    assert refusal(with_change(beyond), "doc.json") == (
        "doc.json: frameworks[0].dimensions[0].questions[2].rating.cites[1]: "
        "there are only 2 evidence items"
    )


def test_everything_an_import_creates_is_recorded_as_done_by_the_importer(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ASSESSMENT_CREATORS = "everyone"
    lead = User.objects.create_user(username="importer", password="x")
    assessment = documents.import_assessment(lead, copy.deepcopy(GIVEN), "given.json")
    records = ChangeRecord.objects.filter(assessment=assessment)
    assert {record.actor_id for record in records} == {lead.pk}
    kinds = Counter(record.entity for record in records)
    # Three evidence items, three ratings and three verdicts in GIVEN.
    assert (kinds["evidence"], kinds["rating"], kinds["verdict"]) == (3, 3, 3)
    assert Membership.objects.get(assessment=assessment).user == lead
