"""Read models for pages and the API, each in a fixed number of queries
(the number must not grow with the number of questions)."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from readiness.assessments.access import access_to
from readiness.assessments.agreement import Agreement, dimension_agreement
from readiness.assessments.models import (
    Assessment,
    Assignment,
    DimensionVerdict,
    Evidence,
    IndependentRating,
    QuestionRating,
)
from readiness.assessments.permissions import Action
from readiness.assessments.rollup import Suggestion, contradicts_evidence, half, suggest_level
from readiness.core.errors import NotFound
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Dimension, Framework, Question, RatingLevel


@dataclass
class QuestionState:
    question: Question
    evidence: list[Evidence]
    rating: QuestionRating | IndependentRating | None
    own_rating: IndependentRating | None
    cited_ids: set[int]
    contradicts: bool
    # What the rating form shows: the stored rating, or what the user posted.
    form_values: dict[str, Any] = field(default_factory=dict)
    # The framework's recommended actions, offered when the rating is low.
    recommendations: list[dict[str, str]] = field(default_factory=list)
    disagrees: bool = False  # independent assessors' ratings differ (when visible)
    assigned: bool = False  # assigned to the user who looks at it


@dataclass
class DimensionState:
    dimension: Dimension
    verdict: DimensionVerdict | None
    suggestion: Suggestion
    question_count: int
    rated_count: int
    questions: list[QuestionState] = field(default_factory=list)
    # Which part of a long dimension `questions` holds (see QUESTIONS_PER_PART).
    part: int = 1
    parts: int = 1
    first_number: int = 1  # the position in the dimension of the first question shown

    @property
    def part_numbers(self) -> range:
        return range(1, self.parts + 1)

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.questions) - 1

    @property
    def differs(self) -> bool:
        return (
            self.verdict is not None
            and self.suggestion.level is not None
            and self.verdict.level_id != self.suggestion.level.pk
        )


@dataclass
class FrameworkState:
    framework: Framework
    levels: list[RatingLevel]
    dimensions: list[DimensionState]


def assessment_frameworks(assessment: Assessment) -> list[Framework]:
    return [
        link.framework
        for link in assessment.framework_links.select_related("framework").prefetch_related(
            "framework__levels", "framework__importance_levels", "framework__dimensions"
        )
    ]


Rated = list[tuple[int, float | None]]  # (rating level id, question importance weight)


def rated_levels(assessment: Assessment, dimension: Dimension | None = None) -> dict[int, Rated]:
    """Per dimension id, only what the suggestion needs from each rating."""
    ratings = assessment.ratings.all()
    if dimension is not None:
        ratings = ratings.filter(question__dimension=dimension)
    rated: dict[int, Rated] = defaultdict(list)
    for dimension_id, level_id, weight in ratings.values_list(
        "question__dimension_id", "level_id", "question__importance__weight"
    ):
        rated[dimension_id].append((level_id, weight))
    return rated


def suggestion(rated: Rated, levels: list[RatingLevel]) -> Suggestion:
    level_by_id = {level.pk: level for level in levels}
    return suggest_level(((level_by_id[lid], weight or 1.0) for lid, weight in rated), levels)


def overview(assessment: Assessment) -> list[FrameworkState]:
    """Every dimension of every framework with its verdict and suggestion."""
    frameworks = assessment_frameworks(assessment)
    question_counts: dict[int, int] = defaultdict(int)
    for dimension_id in Question.objects.filter(framework__in=frameworks).values_list(
        "dimension_id", flat=True
    ):
        question_counts[dimension_id] += 1
    rated_by_dimension = rated_levels(assessment)
    verdicts = {
        v.dimension_id: v
        for v in assessment.verdicts.select_related("level", "importance", "dimension__framework")
    }
    states = []
    for framework in frameworks:
        levels = list(framework.levels.all())
        states.append(
            FrameworkState(
                framework=framework,
                levels=levels,
                dimensions=[
                    DimensionState(
                        dimension=dimension,
                        verdict=verdicts.get(dimension.pk),
                        suggestion=suggestion(rated_by_dimension[dimension.pk], levels),
                        question_count=question_counts[dimension.pk],
                        rated_count=len(rated_by_dimension[dimension.pk]),
                    )
                    for dimension in framework.dimensions.all()
                ],
            )
        )
    return states


# A dimension of more questions than this is shown in parts, so that its page
# stays well under a second to build even at the framework size limits
# (300 questions in one dimension take about 2.5 s to render in one page).
QUESTIONS_PER_PART = 50


def dimension_workspace(
    assessment: Assessment,
    states: list[FrameworkState],
    dimension: Dimension,
    user: User | None = None,
    *,
    part: int = 1,
    question_id: int | None = None,
) -> DimensionState:
    """One part of a dimension's questions with their evidence and ratings:
    `part` (from 1), or the part that holds `question_id`. In independent
    mode, `user`'s own ratings are what the rating form edits."""
    framework_state = next(s for s in states if s.framework.pk == dimension.framework_id)
    dimension_state = next(d for d in framework_state.dimensions if d.dimension.pk == dimension.pk)
    questions = list(Question.objects.filter(dimension=dimension).select_related("importance"))
    dimension_state.parts = max(1, -(-len(questions) // QUESTIONS_PER_PART))
    if question_id is not None:
        index = next((i for i, q in enumerate(questions) if q.pk == question_id), 0)
        part = index // QUESTIONS_PER_PART + 1
    if not 1 <= part <= dimension_state.parts:
        raise NotFound(_("This dimension has no part %(part)s.") % {"part": part})
    start = (part - 1) * QUESTIONS_PER_PART
    questions = questions[start : start + QUESTIONS_PER_PART]
    dimension_state.part, dimension_state.first_number = part, start + 1
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in Evidence.objects.filter(assessment=assessment, question__in=questions).order_by(
        "id"
    ):
        evidence[item.question_id].append(item)
    ratings = {
        r.question_id: r
        for r in QuestionRating.objects.filter(assessment=assessment, question__in=questions)
        .select_related("level", "updated_by")
        .prefetch_related("cited_evidence")
    }
    own: dict[int, IndependentRating] = {}
    if assessment.independent_rating and user is not None:
        own = {
            r.question_id: r
            for r in IndependentRating.objects.filter(
                assessment=assessment, question__in=questions, assessor=user
            )
            .select_related("level", "assessor")
            .prefetch_related("cited_evidence")
        }
    dimension_state.questions = [
        question_state(
            question,
            evidence[question.pk],
            ratings.get(question.pk),
            framework_state.levels,
            own=own.get(question.pk),
            independent=assessment.independent_rating,
        )
        for question in questions
    ]
    return dimension_state


def question_state(
    question: Question,
    evidence: list[Evidence],
    rating: QuestionRating | IndependentRating | None,
    levels: list[RatingLevel],
    *,
    own: IndependentRating | None = None,
    independent: bool = False,
) -> QuestionState:
    """`rating` is the agreed one (or a single assessor's, for the API);
    `own` the user's private rating in independent mode."""
    cited_ids = {e.pk for e in rating.cited_evidence.all()} if rating else set()
    considered = [e.sign for e in evidence if e.pk in cited_ids] or [e.sign for e in evidence]
    edited = own if independent else rating
    edited_cites = {e.pk for e in edited.cited_evidence.all()} if edited else set()
    return QuestionState(
        question=question,
        evidence=evidence,
        rating=rating,
        own_rating=own,
        cited_ids=cited_ids,
        contradicts=rating is not None and contradicts_evidence(rating.level, levels, considered),
        recommendations=question.recommended_actions
        if rating is not None and half(rating.level, levels) < 0
        else [],
        form_values={
            "level": edited.level.code if edited else "",
            "rationale": edited.rationale if edited else "",
            "cited": edited_cites,
            "version": edited.version if edited else "",
        },
    )


def workspace_revision(assessment: Assessment) -> int:
    """Grows with every change to the assessment (content, team, mode, state):
    what a cached workspace page is keyed by."""
    changes = ChangeRecord.objects.filter(assessment=assessment).order_by("-id")
    return changes.values_list("id", flat=True).first() or 0


def evidence_citations(evidence: Evidence) -> int:
    """How many ratings (agreed or independent) cite the item."""
    agreed = QuestionRating.objects.filter(cited_evidence=evidence).count()
    return agreed + IndependentRating.objects.filter(cited_evidence=evidence).count()


def latest_change(assessment: Assessment, entity: str, entity_id: int) -> ChangeRecord | None:
    return (
        ChangeRecord.objects.filter(assessment=assessment, entity=entity, entity_id=entity_id)
        .order_by("-id")
        .first()
    )


def changed_questions(
    assessment: Assessment, dimension: Dimension, user: User | None, since: int
) -> list[int]:
    """The questions of the dimension whose evidence, rating or comments
    others changed after change `since` (independent ratings stay private)."""
    changes = ChangeRecord.objects.filter(
        assessment=assessment, question__dimension=dimension, id__gt=since
    ).exclude(entity="independent_rating")
    if user is not None:
        changes = changes.exclude(actor=user)
    return sorted(set(changes.values_list("question_id", flat=True)))


def assignments_of(assessment: Assessment) -> QuerySet[Assignment]:
    return assessment.assignments.select_related(
        "user", "dimension__framework", "question__framework", "question__dimension"
    ).order_by("user__username", "id")


def my_questions(assessment: Assessment, user: User | None) -> QuerySet[Question]:
    """The questions assigned to `user`, one by one or with their dimension,
    in the frameworks' order."""
    if user is None:
        return Question.objects.none()
    mine = assessment.assignments.filter(user=user)
    return (
        Question.objects.filter(framework__in=assessment.frameworks.all())
        .filter(
            Q(pk__in=mine.values("question_id")) | Q(dimension_id__in=mine.values("dimension_id"))
        )
        .select_related("framework", "dimension")
        .order_by("framework__key", "dimension__order", "order", "id")
    )


def question_history(
    assessment: Assessment, question: Question, user: User | None
) -> QuerySet[ChangeRecord]:
    """Every recorded change to the question's evidence and ratings, newest
    first. Independent ratings of others stay hidden until reconciliation."""
    changes = ChangeRecord.objects.filter(assessment=assessment, question=question).select_related(
        "actor"
    )
    if not access_to(user, assessment).reconciliation_allows(Action.SEE_RECONCILIATION):
        others = ~Q(actor=user) if user is not None else Q()
        changes = changes.exclude(others, entity="independent_rating")
    return changes.order_by("-at", "-id")


@dataclass
class ReconciliationRow:
    question: Question
    ratings: list[IndependentRating]
    agreed: QuestionRating | None
    spread: int  # how many scale steps apart the assessors are
    by_assessor: list[IndependentRating | None] = field(default_factory=list)

    @property
    def disagrees(self) -> bool:
        return self.spread > 0


def assessors_of(ratings: list[list[IndependentRating]]) -> list[User]:
    """The assessors who rated, in the order of their columns (by name)."""
    return sorted(
        {rating.assessor for row in ratings for rating in row}, key=lambda u: u.get_username()
    )


def reconciliation(
    assessment: Assessment, dimension: Dimension
) -> tuple[list[ReconciliationRow], Agreement]:
    """Each assessor's rating per question, the spread, and the agreement
    statistics of the dimension (Grey ratings count as missing)."""
    levels = list(dimension.framework.levels.all())
    order = {level.pk: position for position, level in enumerate(levels)}
    questions = list(Question.objects.filter(dimension=dimension))
    by_question: dict[int, list[IndependentRating]] = defaultdict(list)
    for rating in (
        IndependentRating.objects.filter(assessment=assessment, question__in=questions)
        .select_related("level", "assessor")
        .prefetch_related("cited_evidence")
        .order_by("assessor__username")
    ):
        by_question[rating.question_id].append(rating)
    agreed = {
        r.question_id: r
        for r in QuestionRating.objects.filter(
            assessment=assessment, question__in=questions
        ).select_related("level")
    }
    assessors = assessors_of(list(by_question.values()))
    rows = []
    for question in questions:
        mine = {rating.assessor_id: rating for rating in by_question[question.pk]}
        scored = [order[r.level_id] for r in by_question[question.pk] if r.level.score is not None]
        rows.append(
            ReconciliationRow(
                question=question,
                ratings=by_question[question.pk],
                agreed=agreed.get(question.pk),
                spread=max(scored) - min(scored) if scored else 0,
                by_assessor=[mine.get(assessor.pk) for assessor in assessors],
            )
        )
    return rows, dimension_agreement(
        [
            {
                r.assessor_id: order[r.level_id] if r.level.score is not None else None
                for r in row.ratings
            }
            for row in rows
        ]
    )
