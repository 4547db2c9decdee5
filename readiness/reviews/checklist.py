"""What stands between an assessment and its publication, defined once: the
publish step (services.move_to) refuses while a required item is open unless
the lead publishes "with gaps" and says why, and the overview page, the API
and the CLI show the same list. Computed in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from readiness.assessments.models import Assessment, IndependentRating
from readiness.assessments.selectors import assessment_frameworks
from readiness.frameworks.models import Dimension, Question

EXAMPLES = 5  # keys named per item: enough to start with, short enough to read


# The items that block publishing without a reason; "uncited_ratings" is advice
# only: a rating may rest on the question's evidence as a whole.
REQUIRED = (
    "unrated_questions",
    "dimensions_without_verdict",
    "unreconciled_disagreements",
    "open_comments",
)


def item_label(code: str, n: int) -> str:
    labels = {
        "unrated_questions": ngettext(
            "%(n)d question is not rated", "%(n)d questions are not rated", n
        ),
        "dimensions_without_verdict": ngettext(
            "%(n)d dimension has no verdict", "%(n)d dimensions have no verdict", n
        ),
        "unreconciled_disagreements": ngettext(
            "%(n)d question where the assessors disagree has no agreed rating",
            "%(n)d questions where the assessors disagree have no agreed rating",
            n,
        ),
        "open_comments": ngettext(
            "%(n)d comment thread is open", "%(n)d comment threads are open", n
        ),
        "uncited_ratings": ngettext(
            "%(n)d rating cites no evidence", "%(n)d ratings cite no evidence", n
        ),
    }
    return labels[code] % {"n": n}


@dataclass(frozen=True)
class Item:
    code: str
    keys: list[str]  # what is open, e.g. "DGRA 2.3"

    @property
    def required(self) -> bool:
        return self.code in REQUIRED

    @property
    def count(self) -> int:
        return len(self.keys)

    @property
    def is_open(self) -> bool:
        return bool(self.keys)

    @property
    def label(self) -> str:
        return item_label(self.code, self.count)

    @property
    def examples(self) -> str:
        shown = ", ".join(self.keys[:EXAMPLES])
        return shown + (" …" if self.count > EXAMPLES else "")


@dataclass(frozen=True)
class Checklist:
    questions: int
    rated: int
    items: list[Item]

    @property
    def open_required(self) -> list[Item]:
        return [item for item in self.items if item.required and item.is_open]

    @property
    def ready(self) -> bool:
        return not self.open_required

    @property
    def coverage(self) -> str:
        return coverage_text(self.rated, self.questions)

    def record(self) -> dict[str, Any]:
        """What a publication keeps of it: the coverage and the open counts."""
        return {
            "questions": self.questions,
            "rated": self.rated,
            "open": {item.code: item.count for item in self.items if item.is_open},
        }


def coverage_text(rated: int, questions: int) -> str:
    return ngettext(
        "%(rated)d of %(questions)d question rated",
        "%(rated)d of %(questions)d questions rated",
        questions,
    ) % {"rated": rated, "questions": questions}


def recorded_coverage(readiness: dict[str, Any]) -> str:
    """The coverage a publication kept (Publication.readiness); empty for one
    published before the checklist existed."""
    if not readiness:
        return ""
    return coverage_text(readiness["rated"], readiness["questions"])


def recorded_gaps(readiness: dict[str, Any]) -> list[str]:
    """The required items a publication was published with, as sentences."""
    opened = readiness.get("open", {}) if readiness else {}
    return [item_label(code, opened[code]) for code in REQUIRED if opened.get(code)]


def question_key(question: Question) -> str:
    return f"{question.framework.key} {question.key}"


def checklist(assessment: Assessment) -> Checklist:
    frameworks = assessment_frameworks(assessment)  # in the assessment's order
    rank = {framework.pk: index for index, framework in enumerate(frameworks)}
    questions = sorted(
        Question.objects.filter(framework__in=frameworks).select_related("framework", "dimension"),
        key=lambda q: (rank[q.framework_id], q.dimension.order, q.order),
    )
    dimensions = sorted(
        Dimension.objects.filter(framework__in=frameworks).select_related("framework"),
        key=lambda d: (rank[d.framework_id], d.order),
    )
    citations = dict(
        assessment.ratings.annotate(cited=Count("cited_evidence")).values_list(
            "question_id", "cited"
        )
    )
    with_verdict = set(assessment.verdicts.values_list("dimension_id", flat=True))
    independent: dict[int, set[int]] = defaultdict(set)
    if assessment.independent_rating:
        for question_id, level_id in IndependentRating.objects.filter(
            assessment=assessment
        ).values_list("question_id", "level_id"):
            independent[question_id].add(level_id)
    open_threads = assessment.comments.filter(parent__isnull=True, resolved_at__isnull=True)
    thread_ids = [f"#{pk}" for pk in open_threads.order_by("id").values_list("id", flat=True)]
    items = [
        Item(
            "unrated_questions",
            [question_key(q) for q in questions if q.pk not in citations],
        ),
        Item(
            "dimensions_without_verdict",
            [f"{d.framework.key} {d.key}" for d in dimensions if d.pk not in with_verdict],
        ),
        Item(
            "unreconciled_disagreements",
            [
                question_key(q)
                for q in questions
                if len(independent[q.pk]) > 1 and q.pk not in citations
            ],
        ),
        Item("open_comments", thread_ids),
        Item(
            "uncited_ratings",
            [question_key(q) for q in questions if citations.get(q.pk) == 0],
        ),
    ]
    return Checklist(questions=len(questions), rated=len(citations), items=items)


def refusal(found: Checklist) -> str:
    """Why publishing without a reason is refused."""
    return _(
        "Not ready to publish: %(open)s. Complete these, or publish with gaps and give the reason."
    ) % {"open": "; ".join(item.label for item in found.open_required)}
