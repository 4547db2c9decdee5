"""What a report says, checked on the composed Document (no rendering): the
counts of the executive summary and the suggested dimension rating."""

import copy
from typing import Any

import pytest

from readiness.assessments.documents import import_assessment
from readiness.demo.services import demo_document
from readiness.reports import content, services
from readiness.reports.document import Document, Paragraph

pytestmark = pytest.mark.django_db

DGRA_QUESTIONS = 66  # in all dimensions of DGRA 2018; the demo rates each of them
DGRA_DIMENSION_1_EVIDENCE = 90  # evidence items of dimension 1 in the demo file


def one_dimension(slug: str, framework_index: int) -> dict[str, Any]:
    """The demo's first dimension of one framework, without its verdict."""
    document = copy.deepcopy(demo_document())
    document["assessment"]["slug"] = slug
    framework = document["frameworks"][framework_index]
    framework["dimensions"] = framework["dimensions"][:1]
    del framework["dimensions"][0]["verdict"]
    document["frameworks"] = [framework]
    return document


def compose(document: dict[str, Any], language: str = "en") -> Document:
    assessment = import_assessment(None, document)
    return content.compose(services.report_source(assessment, None), language)


def paragraphs(report: Document) -> list[Paragraph]:
    return [block for block in report.blocks if isinstance(block, Paragraph)]


def test_the_summary_counts_rated_questions_not_questions_with_evidence() -> None:
    document = one_dimension("half-rated", 0)
    questions = document["frameworks"][0]["dimensions"][0]["questions"]
    for question in questions[2:]:
        del question["rating"]  # the evidence stays
    report = compose(document)
    summary = (
        f"DGRA rates Viet Nam on 7 dimensions. 2 of {DGRA_QUESTIONS} primary questions are "
        f"rated, on the basis of {DGRA_DIMENSION_1_EVIDENCE} evidence items."
    )
    assert summary in [p.text for p in paragraphs(report)]


def test_an_assessment_with_nothing_rated_says_so() -> None:
    document = one_dimension("unrated", 0)
    for question in document["frameworks"][0]["dimensions"][0]["questions"]:
        del question["rating"]
    texts = [p.text for p in paragraphs(compose(document))]
    assert any(
        "0 of 66 primary questions are rated, on the basis of 90 evidence" in t for t in texts
    )


def weighted_odra(slug: str) -> dict[str, Any]:
    """ODRA's Senior Leadership with 1.1 (Very High, weight 4) Green and 1.3 and
    1.5 (Medium, weight 1) Red: the weighted mean (4·5 + 1 + 1) / 6 = 3.67 is
    nearest Yellow/Green; unweighted, (5 + 1 + 1) / 3 = 2.33 would be Yellow/Red."""
    document = one_dimension(slug, 1)
    dimension = document["frameworks"][0]["dimensions"][0]
    levels = {"1.1": "green", "1.3": "red", "1.5": "red"}
    for question in dimension["questions"]:
        question.pop("rating", None)
        if question["key"] in levels:
            question["rating"] = {"level": levels[question["key"]], "rationale": "", "cites": []}
    dimension["verdict"] = {
        "level": "red",
        "importance": "very_high",
        "commentary": "Leadership is absent.",
        "override_reason": "The minister left.",
    }
    return document


def test_the_suggested_dimension_rating_weighs_questions_by_importance() -> None:
    report = compose(weighted_odra("weighted"))
    differs = [
        p for p in paragraphs(report) if p.lead == "Overall rating differs from the suggestion."
    ]
    assert [p.text for p in differs] == [
        "The question ratings suggest Yellow/Green; the team rated the dimension Red because: "
        "The minister left."
    ]
    verdicts = next(sheet for sheet in report.sheets if sheet.name == "Verdicts")
    header = verdicts.header
    row = dict(zip(header, verdicts.rows[0], strict=True))
    assert row["Suggested rating"] == "Yellow/Green"
    assert row["Overall rating"] == "Red"
    assert row["Reason for differing from the suggestion"] == "The minister left."
    assert len(verdicts.rows) == 8  # one per ODRA dimension, judged or not
