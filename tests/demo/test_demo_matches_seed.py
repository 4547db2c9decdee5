"""The demo assessment against the seed report it was entered from
(../shared/seeds/003_…, read in place): questions per dimension, the rating
printed in each question's heading, and each dimension's OVERALL row."""

import re
from collections import Counter

import pytest

from readiness.demo.services import demo_document
from tests.conftest import SEED_REPORT

pytestmark = pytest.mark.skipif(
    not SEED_REPORT.exists(), reason="../shared is not beside the clone"
)

COLOUR = re.compile(r"\b(YELLOW\s*/\s*GREEN|YELLOW\s*/\s*RED|YELLOW|GREEN|RED)\b")
CODES = {
    "YELLOW/GREEN": "yellow_green",
    "YELLOW/RED": "yellow_red",
    "YELLOW": "yellow",
    "GREEN": "green",
    "RED": "red",
}
IMPORTANCE = {
    "Very High": "very_high",
    "High": "high",
    "Medium High": "medium_high",
    "Medium": "medium",
}
DIMENSION = re.compile(r"^#+\s*\**\s*(\d)\.\s+[A-Z]")


def level(text: str) -> str | None:
    found = COLOUR.findall(text)
    return CODES[re.sub(r"\s", "", found[-1])] if found else None


def parse(first_heading: str) -> dict[str, object]:
    """Questions (in order, per dimension) with their heading rating, and the
    OVERALL rows, from the section that starts at `first_heading`."""
    lines = SEED_REPORT.read_text(encoding="utf-8").splitlines()
    start = lines.index(first_heading)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("# Conclusion"))
    questions: dict[str, list[str]] = {}
    overall: list[tuple[str, str | None]] = []
    dimension = None
    for index in range(start, end):
        line = lines[index]
        if match := DIMENSION.match(line):
            dimension = match.group(1)
            questions[dimension] = []
        elif line.startswith("#") and "?" in line and dimension:
            rating = level(line.split("?")[-1]) or next(
                level(following) for following in lines[index + 1 : index + 4] if following.strip()
            )
            questions[dimension].append(rating)
        elif re.match(r"(<b>)?OVERALL(</b>)?\t", line):
            importance = next(
                (code for name, code in IMPORTANCE.items() if f"\t{name}\t" in line), None
            )
            overall.append((level(line), importance))
    return {"questions": questions, "overall": overall}


def demo_framework(key: str) -> dict:
    return next(f for f in demo_document()["frameworks"] if f["key"] == key)


@pytest.mark.parametrize(
    ("key", "first_heading", "counts"),
    [
        ("dgra", "# 1. Leadership And Governance", [17, 9, 5, 10, 9, 10, 6]),
        ("odra", "# 1. Senior Leadership", [5, 6, 8, 7, 4, 5, 4, 4]),
    ],
)
def test_the_demo_holds_every_question_with_the_reports_rating(
    key: str, first_heading: str, counts: list[int]
) -> None:
    seed = parse(first_heading)
    seed_questions: dict[str, list[str]] = seed["questions"]  # type: ignore[assignment]
    assert [len(q) for q in seed_questions.values()] == counts
    demo = demo_framework(key)
    assert [len(d["questions"]) for d in demo["dimensions"]] == counts
    for dimension, seed_ratings in zip(demo["dimensions"], seed_questions.values(), strict=True):
        demo_ratings = [q["rating"]["level"] for q in dimension["questions"]]
        assert demo_ratings == seed_ratings, f"{key} dimension {dimension['key']}"
        assert Counter(demo_ratings) == Counter(seed_ratings)
        assert all(q["evidence"] for q in dimension["questions"])


@pytest.mark.parametrize(
    ("key", "first_heading"),
    [("dgra", "# 1. Leadership And Governance"), ("odra", "# 1. Senior Leadership")],
)
def test_each_dimension_verdict_is_the_reports_overall_row(key: str, first_heading: str) -> None:
    seed_overall = parse(first_heading)["overall"]
    demo = demo_framework(key)
    demo_overall = [
        (d["verdict"]["level"], d["verdict"].get("importance")) for d in demo["dimensions"]
    ]
    assert demo_overall == seed_overall


def test_the_disagreements_between_headings_and_tables_are_noted() -> None:
    dgra = {q["key"]: q for d in demo_framework("dgra")["dimensions"] for q in d["questions"]}
    for key in ["1.4", "1.6", "1.14", "2.2"]:
        assert "table" in dgra[key]["rating"]["rationale"].lower(), key
