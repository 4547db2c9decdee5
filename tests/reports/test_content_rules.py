"""The report's content part by part (readiness/reports/content/), on two small
hand-made frameworks and a hand-made assessment and plan, without importing or
rendering anything: each expected block, cell and sheet row is written out here
from the data below (docs/testing.md, mutation testing).

ALPHA: levels Strong 3 / Partial 2 / Weak 1 / Unknown (no score), importance
Key (weight 4) and Minor (weight 1), readiness labels, dimensions A1–A3.
BETA: levels Yes 1 / No 0, no importance, no readiness, no source URL."""

import datetime
from typing import Any

import pytest
from django.utils import translation

from readiness.frameworks.services import load_framework, validate_framework_data
from readiness.reports import content
from readiness.reports.content._common import anchor, load_frameworks
from readiness.reports.content.chapters import (
    conclusion,
    dimension_section,
    executive_summary,
    methodology,
)
from readiness.reports.content.front import cover_lines, introduction, status_line, subject
from readiness.reports.content.plans import action_plan, plan_gantt
from readiness.reports.document import (
    Bullet,
    Bullets,
    Cell,
    Chart,
    Document,
    Gantt,
    GanttBar,
    Heading,
    Mark,
    Paragraph,
    Table,
)
from readiness.reports.source import ReportSource

pytestmark = pytest.mark.django_db

STRONG = Mark("Strong", "#006400", "#ffffff")
PARTIAL = Mark("Partial", "#ffd700", "#000000")
WEAK = Mark("Weak", "#8b0000", "#ffffff")
UNKNOWN = Mark("Unknown", "#9e9e9e", "#000000")
YES = Mark("Yes", "#006400", "#ffffff")
NO = Mark("No", "#8b0000", "#ffffff")
CRITICAL = "#b03a2e"  # the plan grid's bar on the critical path
BAR = "#2b5c8a"  # and off it


def text(en: str) -> dict[str, str]:
    return {"en": en, "vi": f"{en} (vi)"}


def level(code: str, label: str, colour: str, text_colour: str, score: float | None) -> dict:
    return {
        "code": code,
        "label": text(label),
        "description": text(f"{label} evidence."),
        "colour": colour,
        "text_colour": text_colour,
        "score": score,
    }


SIGNS = [
    {"code": "+", "label": text("For")},
    {"code": "-", "label": text("Against")},
    {"code": "o", "label": text("Neutral")},
]

ALPHA = {
    "format": "readiness-framework/1",
    "key": "alpha",
    "version": "1",
    "title": text("Alpha Readiness Framework"),
    "short_title": text("ALPHA"),
    "description": text("Alpha measures readiness."),
    "source": {"citation": text("Alpha handbook, 2020."), "url": "https://example.org/alpha"},
    "rating_scale": [
        {**level("strong", "Strong", "#006400", "#ffffff", 3), "readiness": text("Ready")},
        {**level("partial", "Partial", "#ffd700", "#000000", 2), "readiness": text("Nearly")},
        {**level("weak", "Weak", "#8b0000", "#ffffff", 1), "readiness": text("Not ready")},
        level("unknown", "Unknown", "#9e9e9e", "#000000", None),
    ],
    "importance_scale": [
        {"code": "key", "label": text("Key"), "weight": 4},
        {"code": "minor", "label": text("Minor"), "weight": 1},
    ],
    "evidence_signs": SIGNS,
    "dimensions": [
        {
            "key": "A1",
            "order": 1,
            "title": text("Leadership"),
            "context": text("Who leads the work."),
            "questions": [
                {
                    "key": "A1.1",
                    "short_title": text("Champion"),
                    "text": text("Is there a champion?"),
                    "importance": "key",
                },
                {"key": "A1.2", "text": text("Is there a budget?"), "importance": "minor"},
                {"key": "A1.3", "text": text("Is there a law?"), "importance": "minor"},
            ],
        },
        {
            "key": "A2",
            "order": 2,
            "title": text("Data"),
            "questions": [{"key": "A2.1", "text": text("Is data published?"), "importance": "key"}],
        },
        {
            "key": "A3",
            "order": 3,
            "title": text("Demand"),
            "questions": [
                {"key": "A3.1", "text": text("Do people ask for data?"), "importance": "minor"}
            ],
        },
    ],
}

BETA = {
    "format": "readiness-framework/1",
    "key": "beta",
    "version": "2",
    "title": text("Beta Framework"),
    "short_title": text("BETA"),
    "description": text("Beta is short."),
    "source": {"citation": text("Beta notes.")},
    "rating_scale": [
        level("yes", "Yes", "#006400", "#ffffff", 1),
        level("no", "No", "#8b0000", "#ffffff", 0),
    ],
    "evidence_signs": SIGNS,
    "dimensions": [
        {
            "key": "B1",
            "order": 1,
            "title": text("Openness"),
            "questions": [{"key": "B1.1", "text": text("Is it open?")}],
        },
        {
            "key": "B2",
            "order": 2,
            "title": text("Reuse"),
            "questions": [{"key": "B2.1", "text": text("Is it reused?")}],
        },
    ],
}


def assessment_document() -> dict[str, Any]:
    """A1 rated against its suggestion, A2 as suggested, A3 judged Unknown with
    nothing rated; B1 judged, B2 not in the document at all."""
    rating: dict[str, Any] = {"cites": []}
    return {
        "format": "readiness-assessment/1",
        "assessment": {
            "slug": "alpha-test",
            "title": "Alpha test assessment",
            "subject": {"kind": "country", "code": "VN", "name": ""},
            "period_start": "2026-01-15",
            "period_end": "2026-06-30",
            "description": "First paragraph.\n\n  \n\n Second paragraph.  ",
        },
        "frameworks": [
            {
                "key": "alpha",
                "version": "1",
                "dimensions": [
                    {
                        "key": "A1",
                        "verdict": {
                            "level": "weak",
                            "importance": "key",
                            "commentary": "Nobody leads.",
                            "override_reason": "The minister left.",
                        },
                        "questions": [
                            {
                                "key": "A1.1",
                                "evidence": [
                                    {
                                        "sign": "+",
                                        "text": "A champion was named.",
                                        "source_kind": "interview",
                                        "reference_title": "Minutes",
                                        "reference_url": "https://example.org/m",
                                        "date": "2026-02-01",
                                        "author": "Lan",
                                    },
                                    # Without the optional keys.
                                    {
                                        "sign": "-",
                                        "text": "The champion left.",
                                        "source_kind": "document",
                                    },
                                ],
                                "rating": {
                                    **rating,
                                    "level": "strong",
                                    "rationale": "Named in 2025.",
                                },
                            },
                            {
                                "key": "A1.2",
                                "evidence": [],
                                "rating": {
                                    **rating,
                                    "level": "weak",
                                    "rationale": "No budget line.",
                                },
                            },
                            {
                                "key": "A1.3",
                                "evidence": [
                                    {
                                        "sign": "o",
                                        "text": "A draft law exists.",
                                        "source_kind": "rumour",  # not a known kind: kept as is
                                        "date": None,
                                    }
                                ],
                            },
                        ],
                    },
                    {
                        "key": "A2",
                        "verdict": {
                            "level": "strong",
                            "importance": "minor",
                            "commentary": "Data flows.",
                            "override_reason": "",
                        },
                        "questions": [
                            {"key": "A2.1", "evidence": [], "rating": {**rating, "level": "strong"}}
                        ],
                    },
                    {
                        "key": "A3",
                        "verdict": {
                            "level": "unknown",
                            "importance": None,
                            "commentary": "Too early.",
                        },
                        "questions": [],
                    },
                ],
            },
            {
                "key": "beta",
                "version": "2",
                "dimensions": [
                    {
                        "key": "B1",
                        "verdict": {"level": "yes", "commentary": "Open."},
                        "questions": [
                            {
                                "key": "B1.1",
                                "evidence": [],
                                "rating": {**rating, "level": "yes", "rationale": "Portal exists."},
                            }
                        ],
                    }
                ],
            },
        ],
    }


def alpha_plan() -> dict[str, Any]:
    """P1 → P3 is the critical path (months 1–2, then 3–14): P3 also follows
    P4 (month 1) and P2 follows P1 but ends in month 6; P4 lacks every optional
    key."""
    action = {"description": "", "supporting": [], "depends_on": [], "questions": []}
    return {
        "format": "readiness-action-plan/1",
        "framework": "alpha",
        "plan_start": "2026-03-01",
        "organisations": [
            {"abbreviation": "GSO", "name": text("GSO")},
            {"abbreviation": "MIC", "name": text("Ministry of Information")},
        ],
        "actions": [
            {
                **action,
                "key": "P1",
                "title": "Name a champion",
                "description": "Choose one person.",
                "dimensions": ["A1"],
                "phase": "immediate",
                "responsible": "MIC",
                "supporting": ["GSO", "XYZ"],
                "start_month": 1,
                "duration_months": 2,
                "months": "Q1",
                "cost_text": "",
                "cost": {"min": 20000, "max": 30000, "currency": "USD"},
                "priority": "high",
                "questions": ["A1.1", "A1.2"],
            },
            {
                **action,
                "key": "P2",
                "title": "Fund the office",
                "dimensions": ["A1", "A2"],
                "phase": "short",
                "responsible": "GSO",
                "start_month": 3,
                "duration_months": 4,
                "months": "",
                "cost_text": "Staff time",
                "priority": None,
                "depends_on": ["P1"],
            },
            {
                **action,
                "key": "P3",
                "title": "Publish data",
                "description": "Open the portal.",
                "dimensions": ["A2"],
                "phase": "medium",
                "responsible": "XYZ",
                "start_month": 3,
                "duration_months": 12,
                "cost_text": "",
                "cost": {"min": 5000, "max": 5000, "currency": "USD"},
                "priority": "low",
                "depends_on": ["P1", "P4"],
                "questions": ["A2.1"],
            },
            {
                "key": "P4",
                "title": "Train users",
                "dimensions": ["A1"],
                "phase": "immediate",
                "responsible": "MIC",
                "supporting": [],
                "start_month": 1,
                "duration_months": 1,
                "priority": "medium",
                "depends_on": [],
                "questions": [],
            },
        ],
    }


DRAFT_DAY = datetime.date(2026, 3, 5)


@pytest.fixture
def source() -> ReportSource:
    for framework in (ALPHA, BETA):
        load_framework(validate_framework_data(framework))
    return ReportSource(assessment_document(), [alpha_plan()], None, DRAFT_DAY)


def compose(source: ReportSource, language: str = "en") -> Document:
    return content.compose(source, language)


# _common: the frameworks of the report and their helpers


def test_each_framework_of_the_report_is_a_chapter_numbered_from_two(
    source: ReportSource,
) -> None:
    alpha, beta = load_frameworks(source)
    assert (alpha.framework.key, alpha.number, beta.framework.key, beta.number) == (
        "alpha",
        2,
        "beta",
        3,
    )
    assert [lvl.code for lvl in alpha.levels] == ["strong", "partial", "weak", "unknown"]
    assert [d.key for d in alpha.dimensions] == ["A1", "A2", "A3"]
    assert {d: [q.key for q in qs] for d, qs in alpha.questions.items()} == {
        alpha.dimensions[0].pk: ["A1.1", "A1.2", "A1.3"],
        alpha.dimensions[1].pk: ["A2.1"],
        alpha.dimensions[2].pk: ["A3.1"],
    }
    assert sorted(alpha.content) == ["A1", "A2", "A3"]
    assert alpha.plan is not None and alpha.plan["framework"] == "alpha"
    assert beta.plan is None


def test_a_frameworks_helpers_find_levels_verdicts_and_questions(source: ReportSource) -> None:
    alpha, beta = load_frameworks(source)
    a1, _a2, a3 = alpha.dimensions
    assert alpha.level("weak") is alpha.levels[2]
    assert alpha.level("green") is None
    assert alpha.level(None) is None
    assert alpha.verdict(a3) == {"level": "unknown", "importance": None, "commentary": "Too early."}
    assert beta.verdict(beta.dimensions[1]) == {}  # B2 is not in the document
    rows = [(q.key, part.get("rating", {}).get("level")) for q, part in alpha.question_rows(a1)]
    assert rows == [("A1.1", "strong"), ("A1.2", "weak"), ("A1.3", None)]
    assert [(q.key, part) for q, part in beta.question_rows(beta.dimensions[1])] == [("B2.1", {})]
    assert alpha.importance_label("key") == "Key"
    assert alpha.importance_label("minor") == "Minor"
    assert alpha.importance_label(None) == ""
    assert alpha.importance_label("nonsense") == ""


def test_the_suggestion_weighs_each_question_by_its_importance(source: ReportSource) -> None:
    alpha, beta = load_frameworks(source)
    a1, a2, a3 = alpha.dimensions
    # A1: Strong (3) × Key (4) and Weak (1) × Minor (1): 13 / 5 = 2.6, nearest
    # Strong; unweighted (3 + 1) / 2 = 2 would be Partial. A1.3 is not rated.
    suggested = alpha.suggested_level(a1)
    assert suggested is not None and suggested.code == "strong"
    suggested = alpha.suggested_level(a2)
    assert suggested is not None and suggested.code == "strong"
    assert alpha.suggested_level(a3) is None  # nothing rated
    suggested = beta.suggested_level(beta.dimensions[0])
    assert suggested is not None and suggested.code == "yes"


def test_questions_rated_only_unknown_suggest_the_unscored_level(source: ReportSource) -> None:
    source.document["frameworks"][0]["dimensions"][2]["questions"] = [
        {"key": "A3.1", "evidence": [], "rating": {"level": "unknown", "cites": []}}
    ]
    alpha = load_frameworks(source)[0]
    suggested = alpha.suggested_level(alpha.dimensions[2])
    assert suggested is not None and suggested.code == "unknown"


def test_the_report_uses_the_framework_version_the_assessment_names(
    source: ReportSource,
) -> None:
    # Another version of ALPHA, and another framework with ALPHA's version.
    load_framework(validate_framework_data({**ALPHA, "version": "0", "title": text("Old Alpha")}))
    load_framework(validate_framework_data({**BETA, "key": "gamma", "version": "1"}))
    alpha, beta = load_frameworks(source)
    assert (alpha.framework.key, alpha.framework.version, alpha.framework.title["en"]) == (
        "alpha",
        "1",
        "Alpha Readiness Framework",
    )
    assert (beta.framework.key, beta.framework.version) == ("beta", "2")


def test_the_frameworks_are_read_in_five_queries_each_and_none_later(
    source: ReportSource, django_assert_num_queries: Any
) -> None:
    # Per framework: the framework, its levels, importance levels and
    # dimensions, then its questions with their importance.
    with django_assert_num_queries(10):
        frameworks = load_frameworks(source)
    with django_assert_num_queries(0):
        for data in frameworks:
            for dimension in data.dimensions:
                data.suggested_level(dimension)
                data.importance_label(data.verdict(dimension).get("importance"))


def test_an_anchor_joins_its_parts_without_dots_or_spaces() -> None:
    assert anchor("alpha", "q", "A1.1") == "alpha-q-A1_1"
    assert anchor("two words", "x.y.z") == "two_words-x_y_z"


# front: cover, status line and introduction


def test_the_cover_names_the_subject_the_period_and_the_draft(source: ReportSource) -> None:
    with translation.override("en"):
        assert cover_lines(source) == [
            "Prepared for: Viet Nam",
            "Assessment period: January 15, 2026 to June 30, 2026",
            "Working draft of March 5, 2026, not published",
        ]


def test_a_period_without_its_end_is_left_off_the_cover(source: ReportSource) -> None:
    del source.document["assessment"]["period_end"]
    with translation.override("en"):
        assert cover_lines(source) == [
            "Prepared for: Viet Nam",
            "Working draft of March 5, 2026, not published",
        ]
    source.document["assessment"]["period_end"] = "2026-06-30"
    source.document["assessment"]["period_start"] = None
    with translation.override("en"):
        assert len(cover_lines(source)) == 2


def test_a_publication_with_gaps_says_which_and_the_leads_reason() -> None:
    document = assessment_document()
    source = ReportSource(
        document,
        [],
        3,
        DRAFT_DAY,
        readiness={
            "rated": 3,
            "questions": 7,
            "open": {"unrated_questions": 4, "dimensions_without_verdict": 1, "open_comments": 0},
        },
        gaps_reason="The deadline came.",
    )
    with translation.override("en"):
        assert status_line(source) == "Published version 3, March 5, 2026"
        assert cover_lines(source)[2:] == [
            "Published version 3, March 5, 2026",
            "Published with gaps: 3 of 7 questions rated; 4 questions are not rated; "
            "1 dimension has no verdict.",
            "The lead's reason: The deadline came.",
        ]


def test_an_agencys_report_names_the_agency_and_its_country(source: ReportSource) -> None:
    source.document["assessment"]["subject"] = {
        "kind": "agency",
        "code": "VN",
        "name": "General Statistics Office",
    }
    with translation.override("en"):
        assert subject(source) == "General Statistics Office (Viet Nam)"
    del source.document["assessment"]["subject"]["name"]
    with translation.override("en"):
        assert subject(source) == " (Viet Nam)"


def test_the_introduction_keeps_the_description_paragraphs_and_lists_the_frameworks(
    source: ReportSource,
) -> None:
    with translation.override("en"):
        blocks = introduction(source, load_frameworks(source))
    assert blocks == [
        Heading(1, "1. Introduction", "introduction"),
        Paragraph("First paragraph."),
        Paragraph("Second paragraph."),
        Paragraph("This report assesses Viet Nam with the following frameworks:"),
        Bullets(
            [
                Bullet("Alpha Readiness Framework", lead="ALPHA, version 1:"),
                Bullet("Beta Framework", lead="BETA, version 2:"),
            ]
        ),
        Paragraph(
            "Each chapter gives an executive summary, the methodology, the evidence and "
            "rating for every primary question of each dimension, a conclusion and the "
            "action plan. The data annex (a spreadsheet) lists every question, evidence "
            "item, verdict and action."
        ),
    ]


def test_an_assessment_without_a_description_starts_with_the_frameworks(
    source: ReportSource,
) -> None:
    del source.document["assessment"]["description"]
    with translation.override("en"):
        blocks = introduction(source, load_frameworks(source))
    assert blocks[1] == Paragraph("This report assesses Viet Nam with the following frameworks:")


# chapters: executive summary, methodology, dimensions, conclusion


def test_the_headings_number_chapters_dimensions_and_plan_sections(source: ReportSource) -> None:
    report = compose(source)
    assert [(h.level, h.text, h.anchor) for h in report.headings(deepest=4)] == [
        (1, "1. Introduction", "introduction"),
        (1, "2. Alpha Readiness Framework", "alpha"),
        (2, "Executive summary", "alpha-summary"),
        (2, "Methodology", "alpha-methodology"),
        (2, "2.1 Leadership", "alpha-A1"),
        (3, "A1.1 Is there a champion?", "alpha-q-A1_1"),
        (3, "A1.2 Is there a budget?", "alpha-q-A1_2"),
        (3, "A1.3 Is there a law?", "alpha-q-A1_3"),
        (3, "Assessment of Leadership", "alpha-A1-assessment"),
        (2, "2.2 Data", "alpha-A2"),
        (3, "A2.1 Is data published?", "alpha-q-A2_1"),
        (3, "Assessment of Data", "alpha-A2-assessment"),
        (2, "2.3 Demand", "alpha-A3"),
        (3, "A3.1 Do people ask for data?", "alpha-q-A3_1"),
        (3, "Assessment of Demand", "alpha-A3-assessment"),
        (2, "Conclusion", "alpha-conclusion"),
        (2, "Action plan", "alpha-plan"),
        (3, "Leadership", "alpha-plan-A1"),
        (4, "Immediate", "alpha-plan-A1-immediate"),
        (4, "Short term", "alpha-plan-A1-short"),
        (3, "Data", "alpha-plan-A2"),
        (4, "Medium term", "alpha-plan-A2-medium"),
        (3, "Tabular view", "alpha-plan-grid"),
        (1, "3. Beta Framework", "beta"),
        (2, "Executive summary", "beta-summary"),
        (2, "Methodology", "beta-methodology"),
        (2, "3.1 Openness", "beta-B1"),
        (3, "B1.1 Is it open?", "beta-q-B1_1"),
        (3, "Assessment of Openness", "beta-B1-assessment"),
        (2, "3.2 Reuse", "beta-B2"),
        (3, "B2.1 Is it reused?", "beta-q-B2_1"),
        (3, "Assessment of Reuse", "beta-B2-assessment"),
        (2, "Conclusion", "beta-conclusion"),
    ]


def test_the_executive_summary_counts_and_tabulates_the_verdicts(source: ReportSource) -> None:
    alpha = load_frameworks(source)[0]
    with translation.override("en"):
        blocks = executive_summary(alpha, "Viet Nam")
    assert blocks == [
        Heading(2, "Executive summary", "alpha-summary"),
        Paragraph(
            "ALPHA rates Viet Nam on 3 dimensions. 3 of 5 primary questions are rated, on "
            "the basis of 3 evidence items."
        ),
        Table(
            "ALPHA readiness assessment results",
            [
                [
                    Cell("Dimension", bold=True),
                    Cell("Importance", bold=True),
                    Cell("Overall rating", bold=True),
                    Cell("Readiness", bold=True),
                ]
            ],
            [
                [Cell("A1. Leadership"), Cell("Key"), Cell("Weak", mark=WEAK), Cell("Not ready")],
                [Cell("A2. Data"), Cell("Minor"), Cell("Strong", mark=STRONG), Cell("Ready")],
                [Cell("A3. Demand"), Cell(""), Cell("Unknown", mark=UNKNOWN), Cell("")],
            ],
        ),
        Chart(
            caption="Ratings of the primary questions per dimension (ALPHA)",
            dimensions=["A1. Leadership", "A2. Data", "A3. Demand"],
            levels=[STRONG, PARTIAL, WEAK, UNKNOWN],
            counts=[[1, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0]],
            verdicts=["Weak", "Strong", "Unknown"],
            count_label="Questions",
        ),
    ]


def test_a_framework_without_importance_or_readiness_has_neither_column(
    source: ReportSource,
) -> None:
    beta = load_frameworks(source)[1]
    with translation.override("en"):
        blocks = executive_summary(beta, "Viet Nam")
    assert blocks[1:3] == [
        Paragraph(
            "BETA rates Viet Nam on 2 dimensions. 1 of 2 primary questions are rated, on "
            "the basis of 0 evidence items."
        ),
        Table(
            "BETA readiness assessment results",
            [[Cell("Dimension", bold=True), Cell("Overall rating", bold=True)]],
            [
                [Cell("B1. Openness"), Cell("Yes", mark=YES)],
                [Cell("B2. Reuse"), Cell("Not rated")],
            ],
        ),
    ]
    chart = blocks[3]
    assert isinstance(chart, Chart)
    assert (chart.levels, chart.counts, chart.verdicts) == (
        [YES, NO],
        [[1, 0], [0, 0]],
        ["Yes", "Not rated"],
    )


def test_the_readiness_columns_are_translated_in_vietnamese(source: ReportSource) -> None:
    alpha = load_frameworks(source)[0]
    with translation.override("vi"):
        summary = executive_summary(alpha, "Việt Nam")[2]
        scale = methodology(alpha)[3]
    assert isinstance(summary, Table) and isinstance(scale, Table)
    assert summary.header[0][3] == Cell("Mức độ sẵn sàng", bold=True)
    assert scale.header[0][2] == Cell("Mức độ sẵn sàng", bold=True)


def test_the_methodology_gives_the_scale_signs_importance_and_source(
    source: ReportSource,
) -> None:
    alpha = load_frameworks(source)[0]
    with translation.override("en"):
        blocks = methodology(alpha)
    assert blocks == [
        Heading(2, "Methodology", "alpha-methodology"),
        Paragraph("Alpha measures readiness."),
        Paragraph(
            "Within each dimension the assessment considers a set of primary questions "
            "and, for each, notes the evidence that favours or weighs against readiness. "
            "Each question and each dimension is rated on this scale:"
        ),
        Table(
            "Rating scale",
            [
                [
                    Cell("Rating", bold=True),
                    Cell("Meaning", bold=True),
                    Cell("Readiness", bold=True),
                ]
            ],
            [
                [Cell("Strong", mark=STRONG), Cell("Strong evidence."), Cell("Ready")],
                [Cell("Partial", mark=PARTIAL), Cell("Partial evidence."), Cell("Nearly")],
                [Cell("Weak", mark=WEAK), Cell("Weak evidence."), Cell("Not ready")],
                [Cell("Unknown", mark=UNKNOWN), Cell("Unknown evidence."), Cell("")],
            ],
        ),
        Paragraph("Each evidence item carries a sign:"),
        Bullets(
            [Bullet("For", sign="+"), Bullet("Against", sign="-"), Bullet("Neutral", sign="o")]
        ),
        Paragraph("Key, Minor", lead="Importance of a question or dimension:"),
        Paragraph("Alpha Readiness Framework, version 1. Alpha handbook, 2020.", lead="Source:"),
        Paragraph("https://example.org/alpha", lead="Methodology online:"),
        Paragraph(
            "The suggested rating of a dimension is the importance-weighted mean of its "
            "question ratings, rounded to the nearest level; the team may choose another "
            "rating and then gives its reason."
        ),
    ]


def test_the_methodology_of_a_plain_framework_leaves_out_what_it_lacks(
    source: ReportSource,
) -> None:
    beta = load_frameworks(source)[1]
    with translation.override("en"):
        blocks = methodology(beta)
    assert blocks[3] == Table(
        "Rating scale",
        [[Cell("Rating", bold=True), Cell("Meaning", bold=True)]],
        [
            [Cell("Yes", mark=YES), Cell("Yes evidence.")],
            [Cell("No", mark=NO), Cell("No evidence.")],
        ],
    )
    # No importance levels and no methodology online: the source, then the rule.
    assert len(blocks) == 8
    assert blocks[6] == Paragraph("Beta Framework, version 2. Beta notes.", lead="Source:")


def test_a_dimension_section_shows_each_question_and_the_overridden_verdict(
    source: ReportSource,
) -> None:
    alpha = load_frameworks(source)[0]
    with translation.override("en"):
        blocks = dimension_section(alpha, alpha.dimensions[0], 1)
    header = [
        Cell("Question area", bold=True),
        Cell("Importance", bold=True),
        Cell("Rating", bold=True),
        Cell("Commentary", bold=True),
    ]
    assert blocks == [
        Heading(2, "2.1 Leadership", "alpha-A1", mark=WEAK),
        Paragraph("Who leads the work."),
        Heading(3, "A1.1 Is there a champion?", "alpha-q-A1_1", mark=STRONG),
        Paragraph("Key", lead="Importance:"),
        Bullets(
            [Bullet("A champion was named.", sign="+"), Bullet("The champion left.", sign="-")]
        ),
        Heading(3, "A1.2 Is there a budget?", "alpha-q-A1_2", mark=WEAK),
        Paragraph("Minor", lead="Importance:"),
        Paragraph("No evidence recorded."),
        Heading(3, "A1.3 Is there a law?", "alpha-q-A1_3", mark=Mark("Not rated", "", "")),
        Paragraph("Minor", lead="Importance:"),
        Bullets([Bullet("A draft law exists.", sign="o")]),
        Heading(3, "Assessment of Leadership", "alpha-A1-assessment"),
        Table(
            "Assessment of Leadership",
            [header],
            [
                [
                    Cell("A1.1 Champion"),
                    Cell("Key"),
                    Cell("Strong", mark=STRONG, bold=True),
                    Cell("Named in 2025."),
                ],
                [
                    Cell("A1.2 Is there a budget?"),
                    Cell("Minor"),
                    Cell("Weak", mark=WEAK, bold=True),
                    Cell("No budget line."),
                ],
                [
                    Cell("A1.3 Is there a law?"),
                    Cell("Minor"),
                    Cell("Not rated", bold=True),
                    Cell(""),
                ],
                [
                    Cell("OVERALL", bold=True),
                    Cell("Key"),
                    Cell("Weak", mark=WEAK, bold=True),
                    Cell("Nobody leads."),
                ],
            ],
        ),
        Paragraph(
            "The question ratings suggest Strong; the team rated the dimension Weak because: "
            "The minister left.",
            lead="Overall rating differs from the suggestion.",
        ),
    ]


def test_a_verdict_as_suggested_or_without_reason_adds_no_explanation(
    source: ReportSource,
) -> None:
    alpha, beta = load_frameworks(source)
    with translation.override("en"):
        data = dimension_section(alpha, alpha.dimensions[1], 2)
        unjudged = dimension_section(beta, beta.dimensions[1], 2)
    assert data[0] == Heading(2, "2.2 Data", "alpha-A2", mark=STRONG)
    assert data[-1] == Table(
        "Assessment of Data",
        [
            [
                Cell("Question area", bold=True),
                Cell("Importance", bold=True),
                Cell("Rating", bold=True),
                Cell("Commentary", bold=True),
            ]
        ],
        [
            [
                Cell("A2.1 Is data published?"),
                Cell("Key"),
                Cell("Strong", mark=STRONG, bold=True),
                Cell(""),
            ],
            [
                Cell("OVERALL", bold=True),
                Cell("Minor"),
                Cell("Strong", mark=STRONG, bold=True),
                Cell("Data flows."),
            ],
        ],
    )
    assert unjudged == [
        Heading(2, "3.2 Reuse", "beta-B2"),
        Heading(3, "B2.1 Is it reused?", "beta-q-B2_1", mark=Mark("Not rated", "", "")),
        Paragraph("No evidence recorded."),
        Heading(3, "Assessment of Reuse", "beta-B2-assessment"),
        Table(
            "Assessment of Reuse",
            [
                [
                    Cell("Question area", bold=True),
                    Cell("Rating", bold=True),
                    Cell("Commentary", bold=True),
                ]
            ],
            [
                [Cell("B2.1 Is it reused?"), Cell("Not rated", bold=True), Cell("")],
                [Cell("OVERALL", bold=True), Cell("Not rated", bold=True), Cell("")],
            ],
        ),
    ]


def test_a_reason_given_for_the_suggested_level_is_not_called_a_difference(
    source: ReportSource,
) -> None:
    a2 = source.document["frameworks"][0]["dimensions"][1]
    a2["verdict"]["override_reason"] = "Kept."
    alpha = load_frameworks(source)[0]
    blocks = dimension_section(alpha, alpha.dimensions[1], 2)
    assert isinstance(blocks[-1], Table)


def test_a_reason_with_nothing_to_suggest_is_not_called_a_difference(
    source: ReportSource,
) -> None:
    a3 = source.document["frameworks"][0]["dimensions"][2]
    a3["verdict"]["override_reason"] = "Nobody answered."
    alpha = load_frameworks(source)[0]
    blocks = dimension_section(alpha, alpha.dimensions[2], 3)
    assert isinstance(blocks[-1], Table)


def test_the_conclusion_names_the_strongest_and_weakest_scored_dimensions(
    source: ReportSource,
) -> None:
    alpha = load_frameworks(source)[0]
    with translation.override("en"):
        blocks = conclusion(alpha)
    assert blocks == [
        Heading(2, "Conclusion", "alpha-conclusion"),
        Paragraph("Strongest: Data. Weakest: Leadership."),
        Bullets(
            [
                Bullet("Nobody leads.", lead="Leadership:", mark=WEAK),
                Bullet("Data flows.", lead="Data:", mark=STRONG),
                Bullet("Too early.", lead="Demand:", mark=UNKNOWN),
            ]
        ),
    ]


def test_the_conclusion_names_every_dimension_that_shares_the_top_or_bottom_score(
    source: ReportSource,
) -> None:
    dimensions = source.document["frameworks"][0]["dimensions"]
    dimensions[2]["verdict"]["level"] = "strong"
    dimensions[0]["verdict"]["level"] = "partial"
    alpha = load_frameworks(source)[0]
    with translation.override("en"):
        blocks = conclusion(alpha)
    assert blocks[1] == Paragraph("Strongest: Data, Demand. Weakest: Leadership.")


def test_a_level_scored_zero_counts_as_the_weakest(source: ReportSource) -> None:
    source.document["frameworks"][1]["dimensions"].append(
        {"key": "B2", "verdict": {"level": "no", "commentary": ""}, "questions": []}
    )
    beta = load_frameworks(source)[1]
    with translation.override("en"):
        blocks = conclusion(beta)
    assert blocks[1] == Paragraph("Strongest: Openness. Weakest: Reuse.")


def test_dimensions_all_scored_zero_are_both_strongest_and_weakest(source: ReportSource) -> None:
    # B2 as the format allows it at its shortest: a verdict's level, nothing else.
    beta_dimensions = source.document["frameworks"][1]["dimensions"]
    beta_dimensions[0]["verdict"]["level"] = "no"
    beta_dimensions.append({"key": "B2", "verdict": {"level": "no"}})
    beta = load_frameworks(source)[1]
    with translation.override("en"):
        summary = executive_summary(beta, "Viet Nam")[1]
        blocks = conclusion(beta)
    assert summary == Paragraph(
        "BETA rates Viet Nam on 2 dimensions. 1 of 2 primary questions are rated, on "
        "the basis of 0 evidence items."
    )
    assert blocks[1:] == [
        Paragraph("Strongest: Openness, Reuse. Weakest: Openness, Reuse."),
        Bullets(
            [
                Bullet("Open.", lead="Openness:", mark=NO),
                Bullet("", lead="Reuse:", mark=NO),
            ]
        ),
    ]


def test_a_conclusion_with_nothing_scored_only_lists_the_verdicts(source: ReportSource) -> None:
    source.document["frameworks"][0]["dimensions"] = [
        source.document["frameworks"][0]["dimensions"][2]
    ]
    alpha = load_frameworks(source)[0]
    with translation.override("en"):
        blocks = conclusion(alpha)
    assert blocks == [
        Heading(2, "Conclusion", "alpha-conclusion"),
        Bullets([Bullet("Too early.", lead="Demand:", mark=UNKNOWN)]),
    ]


# plans: the action plan, its Gantt chart and grid


def test_the_action_plan_lists_each_action_by_dimension_and_phase(source: ReportSource) -> None:
    alpha = load_frameworks(source)[0]
    assert alpha.plan is not None
    with translation.override("en"):
        blocks = action_plan(alpha, alpha.plan)
    critical = Bullet("yes", lead="On the critical path:")
    assert blocks[:-2] == [
        Heading(2, "Action plan", "alpha-plan"),
        Paragraph("4 actions over 14 months. Month 1 is March 2026."),
        Paragraph("Name a champion → Publish data", lead="Critical path:"),
        Heading(3, "Leadership", "alpha-plan-A1"),
        Heading(4, "Immediate", "alpha-plan-A1-immediate"),
        Paragraph("Choose one person.", lead="Name a champion"),
        Bullets(
            [
                Bullet("MIC (Ministry of Information)", lead="Responsible:"),
                Bullet("GSO, XYZ", lead="Supporting:"),
                Bullet("Q1 (months 1 to 2)", lead="Time needed:"),
                Bullet("20,000–30,000 USD", lead="Cost:"),
                Bullet("High", lead="Priority:"),
                Bullet("A1.1, A1.2", lead="Raises questions:"),
                critical,
            ]
        ),
        Paragraph("", lead="Train users"),
        Bullets(
            [
                Bullet("MIC (Ministry of Information)", lead="Responsible:"),
                Bullet("months 1 to 1", lead="Time needed:"),
                Bullet("Medium", lead="Priority:"),
            ]
        ),
        Heading(4, "Short term", "alpha-plan-A1-short"),
        Paragraph("", lead="Fund the office"),
        Bullets(
            [
                Bullet("GSO", lead="Responsible:"),
                Bullet("months 3 to 6", lead="Time needed:"),
                Bullet("Staff time", lead="Cost:"),
                Bullet("P1 Name a champion", lead="After:"),
            ]
        ),
        Heading(3, "Data", "alpha-plan-A2"),
        Heading(4, "Medium term", "alpha-plan-A2-medium"),
        Paragraph("Open the portal.", lead="Publish data"),
        Bullets(
            [
                Bullet("XYZ", lead="Responsible:"),
                Bullet("months 3 to 14", lead="Time needed:"),
                Bullet("5,000 USD", lead="Cost:"),
                Bullet("Low", lead="Priority:"),
                Bullet("P1 Name a champion; P4 Train users", lead="After:"),
                Bullet("A2.1", lead="Raises questions:"),
                critical,
            ]
        ),
        Heading(3, "Tabular view", "alpha-plan-grid"),
    ]


def test_the_plans_gantt_chart_has_a_bar_per_action_in_the_plans_order(
    source: ReportSource,
) -> None:
    alpha = load_frameworks(source)[0]
    assert alpha.plan is not None
    with translation.override("en"):
        gantt = action_plan(alpha, alpha.plan)[-2]
    assert gantt == Gantt(
        caption="Gantt chart: each action's months; the critical path is hatched and marked *.",
        bars=(
            GanttBar("Name a champion", 1, 2, True),
            GanttBar("Train users", 1, 1, False),
            GanttBar("Fund the office", 3, 6, False),
            GanttBar("Publish data", 3, 14, True),
        ),
        months=14,
        month_label="Month of the plan (month 1: March 2026)",
        critical_label="critical path",
        other_label="other actions",
    )


def test_a_short_plan_without_a_start_is_charted_over_a_year_of_plan_months() -> None:
    with translation.override("en"):
        gantt = plan_gantt([("a", "Alone", 2, 3)], [], None)
        empty = plan_gantt([], [], None)
    assert (gantt.bars, gantt.months, gantt.month_label) == (
        (GanttBar("Alone", 2, 4, False),),
        12,
        "Month of the plan",
    )
    assert (empty.bars, empty.months) == ((), 12)


def test_the_plan_grid_fills_each_actions_months(source: ReportSource) -> None:
    alpha = load_frameworks(source)[0]
    assert alpha.plan is not None
    with translation.override("en"):
        grid = action_plan(alpha, alpha.plan)[-1]

    def bars(fill: str, first: int, last: int) -> list[Cell]:
        return [Cell(fill=fill if first <= month <= last else "") for month in range(1, 15)]

    heads = ["03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "01", "02", "03", "04"]
    assert grid == Table(
        "Tabular view: a bar per action over the plan's months; * marks the critical path.",
        [
            [
                Cell("Action", bold=True),
                Cell("Responsible", bold=True),
                Cell("Cost", bold=True),
                Cell("Y1", bold=True, span=12),
                Cell("Y2", bold=True, span=2),
            ],
            [Cell(), Cell(), Cell(), *[Cell(head) for head in heads]],
        ],
        [
            [Cell("Leadership", bold=True, span=17)],
            [
                Cell("* Name a champion"),
                Cell("MIC"),
                Cell("20,000–30,000 USD"),
                *bars(CRITICAL, 1, 2),
            ],
            [Cell("Train users"), Cell("MIC"), Cell(""), *bars(BAR, 1, 1)],
            [Cell("Fund the office"), Cell("GSO"), Cell("Staff time"), *bars(BAR, 3, 6)],
            [Cell("Data", bold=True, span=17)],
            [Cell("* Publish data"), Cell("XYZ"), Cell("5,000 USD"), *bars(CRITICAL, 3, 14)],
        ],
        kind="grid",
    )


def test_a_plan_without_a_start_or_critical_chain_numbers_its_months(
    source: ReportSource,
) -> None:
    plan = {
        "framework": "alpha",
        "plan_start": None,
        "organisations": [],
        "actions": [
            {
                "key": "S1",
                "title": "Start",
                "dimensions": ["A3"],
                "phase": "long",
                "responsible": "MIC",
                "supporting": [],
                "start_month": 1,
                "duration_months": 3,
                "depends_on": [],
                "questions": [],
            }
        ],
    }
    alpha = load_frameworks(source)[0]
    with translation.override("en"):
        blocks = action_plan(alpha, plan)
    assert blocks[:2] == [
        Heading(2, "Action plan", "alpha-plan"),
        Paragraph("1 action over 3 months."),
    ]
    # A single action is a chain of one.
    assert blocks[2] == Paragraph("Start", lead="Critical path:")
    grid = blocks[-1]
    assert isinstance(grid, Table)
    assert grid.header[0][3:] == [Cell("Y1", bold=True, span=12)]
    assert grid.header[1][3:] == [Cell(str(month)) for month in range(1, 13)]
    assert grid.rows[1][3:] == [Cell(fill=CRITICAL if month <= 3 else "") for month in range(1, 13)]


def test_a_plan_of_one_month_says_so_in_the_singular_in_both_languages(
    source: ReportSource,
) -> None:
    action = {
        "key": "S1",
        "title": "Start",
        "dimensions": ["A3"],
        "phase": "short",
        "responsible": "MIC",
        "supporting": [],
        "start_month": 1,
        "duration_months": 1,
        "depends_on": [],
        "questions": [],
    }
    plan = {"framework": "alpha", "plan_start": None, "organisations": [], "actions": [action]}
    alpha = load_frameworks(source)[0]
    with translation.override("en"):
        assert action_plan(alpha, plan)[1] == Paragraph("1 action over 1 month.")
    with translation.override("vi"):
        assert action_plan(alpha, plan)[1] == Paragraph("1 hành động trong 1 tháng.")


# annex: the data annex's sheets


def test_the_data_annex_lists_every_question_evidence_verdict_and_action(
    source: ReportSource,
) -> None:
    sheets = compose(source).sheets
    assert [(sheet.name, sheet.header, sheet.rows) for sheet in sheets] == [
        (
            "Questions",
            [
                "Framework",
                "Dimension",
                "Question",
                "Question text",
                "Importance",
                "Rating",
                "Commentary",
                "Evidence items",
            ],
            [
                [
                    "ALPHA",
                    "A1",
                    "A1.1",
                    "Is there a champion?",
                    "Key",
                    "Strong",
                    "Named in 2025.",
                    2,
                ],
                [
                    "ALPHA",
                    "A1",
                    "A1.2",
                    "Is there a budget?",
                    "Minor",
                    "Weak",
                    "No budget line.",
                    0,
                ],
                ["ALPHA", "A1", "A1.3", "Is there a law?", "Minor", "", "", 1],
                ["ALPHA", "A2", "A2.1", "Is data published?", "Key", "Strong", "", 0],
                ["ALPHA", "A3", "A3.1", "Do people ask for data?", "Minor", "", "", 0],
                ["BETA", "B1", "B1.1", "Is it open?", "", "Yes", "Portal exists.", 0],
                ["BETA", "B2", "B2.1", "Is it reused?", "", "", "", 0],
            ],
        ),
        (
            "Evidence",
            [
                "Framework",
                "Dimension",
                "Question",
                "Sign",
                "Evidence",
                "Source",
                "Reference",
                "Reference URL",
                "Date",
                "Collected by",
            ],
            [
                [
                    "ALPHA",
                    "A1",
                    "A1.1",
                    "+",
                    "A champion was named.",
                    "Interview",
                    "Minutes",
                    "https://example.org/m",
                    "2026-02-01",
                    "Lan",
                ],
                ["ALPHA", "A1", "A1.1", "-", "The champion left.", "Document", "", "", "", ""],
                ["ALPHA", "A1", "A1.3", "o", "A draft law exists.", "rumour", "", "", "", ""],
            ],
        ),
        (
            "Verdicts",
            [
                "Framework",
                "Dimension",
                "Importance",
                "Suggested rating",
                "Overall rating",
                "Commentary",
                "Reason for differing from the suggestion",
            ],
            [
                [
                    "ALPHA",
                    "A1. Leadership",
                    "Key",
                    "Strong",
                    "Weak",
                    "Nobody leads.",
                    "The minister left.",
                ],
                ["ALPHA", "A2. Data", "Minor", "Strong", "Strong", "Data flows.", ""],
                ["ALPHA", "A3. Demand", "", "", "Unknown", "Too early.", ""],
                ["BETA", "B1. Openness", "", "Yes", "Yes", "Open.", ""],
                ["BETA", "B2. Reuse", "", "", "", "", ""],
            ],
        ),
        (
            "Actions",
            [
                "Framework",
                "Action",
                "Title",
                "Dimensions",
                "Phase",
                "Responsible",
                "Supporting",
                "Start month",
                "Duration in months",
                "Cost",
                "Priority",
                "Depends on",
                "Questions",
            ],
            [
                [
                    "ALPHA",
                    "P1",
                    "Name a champion",
                    "A1",
                    "Immediate",
                    "MIC",
                    "GSO, XYZ",
                    1,
                    2,
                    "20,000–30,000 USD",
                    "High",
                    "",
                    "A1.1, A1.2",
                ],
                [
                    "ALPHA",
                    "P2",
                    "Fund the office",
                    "A1, A2",
                    "Short term",
                    "GSO",
                    "",
                    3,
                    4,
                    "Staff time",
                    "",
                    "P1",
                    "",
                ],
                [
                    "ALPHA",
                    "P3",
                    "Publish data",
                    "A2",
                    "Medium term",
                    "XYZ",
                    "",
                    3,
                    12,
                    "5,000 USD",
                    "Low",
                    "P1, P4",
                    "A2.1",
                ],
                [
                    "ALPHA",
                    "P4",
                    "Train users",
                    "A1",
                    "Immediate",
                    "MIC",
                    "",
                    1,
                    1,
                    "",
                    "Medium",
                    "",
                    "",
                ],
            ],
        ),
    ]


def test_the_data_annexs_sheets_are_named_in_vietnamese(source: ReportSource) -> None:
    sheets = compose(source, "vi").sheets
    assert [sheet.name for sheet in sheets] == ["Câu hỏi", "Bằng chứng", "Kết luận", "Hành động"]
