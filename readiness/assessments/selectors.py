"""Read models for pages and the API, each in a fixed number of queries
(the number must not grow with the number of questions)."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from readiness.assessments.models import Assessment, DimensionVerdict, Evidence, QuestionRating
from readiness.assessments.rollup import Suggestion, contradicts_evidence, suggest_level
from readiness.frameworks.models import Dimension, Framework, Question, RatingLevel


@dataclass
class QuestionState:
    question: Question
    evidence: list[Evidence]
    rating: QuestionRating | None
    cited_ids: set[int]
    contradicts: bool
    # What the rating form shows: the stored rating, or what the user posted.
    form_values: dict[str, Any] = field(default_factory=dict)


@dataclass
class DimensionState:
    dimension: Dimension
    verdict: DimensionVerdict | None
    suggestion: Suggestion
    question_count: int
    rated_count: int
    questions: list[QuestionState] = field(default_factory=list)

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


def dimension_workspace(
    assessment: Assessment, states: list[FrameworkState], dimension: Dimension
) -> DimensionState:
    """One dimension's questions with their evidence and ratings."""
    framework_state = next(s for s in states if s.framework.pk == dimension.framework_id)
    dimension_state = next(d for d in framework_state.dimensions if d.dimension.pk == dimension.pk)
    questions = list(Question.objects.filter(dimension=dimension).select_related("importance"))
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
    dimension_state.questions = [
        question_state(
            question, evidence[question.pk], ratings.get(question.pk), framework_state.levels
        )
        for question in questions
    ]
    return dimension_state


def question_state(
    question: Question,
    evidence: list[Evidence],
    rating: QuestionRating | None,
    levels: list[RatingLevel],
) -> QuestionState:
    cited_ids = {e.pk for e in rating.cited_evidence.all()} if rating else set()
    considered = [e.sign for e in evidence if e.pk in cited_ids] or [e.sign for e in evidence]
    return QuestionState(
        question=question,
        evidence=evidence,
        rating=rating,
        cited_ids=cited_ids,
        contradicts=rating is not None and contradicts_evidence(rating.level, levels, considered),
        form_values={
            "level": rating.level.code if rating else "",
            "rationale": rating.rationale if rating else "",
            "cited": cited_ids,
            "version": rating.version if rating else "",
        },
    )
