from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q

from readiness.actionplans.models import Action, ActionUpdate
from readiness.assessments.models import Assessment
from readiness.frameworks.models import Dimension, Framework, ImportanceLevel, Question, RatingLevel
from readiness.reviews.models import Comment, Publication


@dataclass
class Thread:
    root: Comment
    replies: list[Comment] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.root.resolved_at is not None


def threads(assessment: Assessment, where: Q) -> list[Thread]:
    """Threads whose root matches `where`, with their replies, in one query."""
    comments = (
        assessment.comments.filter(where | Q(parent__in=assessment.comments.filter(where)))
        .select_related("author", "resolved_by")
        .order_by("created_at", "id")
    )
    roots: dict[int, Thread] = {}
    replies: list[Comment] = []
    for comment in comments:
        if comment.parent_id is None:
            roots[comment.pk] = Thread(comment)
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in roots:
            roots[reply.parent_id].replies.append(reply)
    return list(roots.values())


def threads_by_question(
    assessment: Assessment, questions: list[Question]
) -> dict[int, list[Thread]]:
    grouped: dict[int, list[Thread]] = defaultdict(list)
    for thread in threads(assessment, Q(parent__isnull=True, question__in=questions)):
        assert thread.root.question_id is not None
        grouped[thread.root.question_id].append(thread)
    return grouped


def dimension_threads(assessment: Assessment, dimension: Dimension) -> list[Thread]:
    return threads(assessment, Q(parent__isnull=True, dimension=dimension, question__isnull=True))


def assessment_threads(assessment: Assessment) -> list[Thread]:
    return threads(
        assessment, Q(parent__isnull=True, dimension__isnull=True, question__isnull=True)
    )


@dataclass
class PublishedQuestion:
    question: Question
    level: RatingLevel | None
    rationale: str
    evidence: list[dict[str, Any]]


@dataclass
class PublishedDimension:
    dimension: Dimension
    level: RatingLevel | None
    importance: ImportanceLevel | None
    commentary: str
    override_reason: str
    questions: list[PublishedQuestion]


@dataclass
class PublishedFramework:
    framework: Framework
    dimensions: list[PublishedDimension]


def published_view(publication: Publication) -> list[PublishedFramework]:
    """The frozen document joined with its (immutable) framework versions, for
    display in the reader's language."""
    result = []
    for fw in publication.document["frameworks"]:
        framework = Framework.objects.prefetch_related(
            "levels", "importance_levels", "dimensions"
        ).get(key=fw["key"], version=fw["version"])
        levels = {level.code: level for level in framework.levels.all()}
        importance = {i.code: i for i in framework.importance_levels.all()}
        dimensions = {d.key: d for d in framework.dimensions.all()}
        questions = {q.key: q for q in framework.questions.all()}
        published_dimensions = []
        for dim in fw["dimensions"]:
            verdict = dim.get("verdict") or {}
            published_dimensions.append(
                PublishedDimension(
                    dimension=dimensions[dim["key"]],
                    level=levels.get(verdict.get("level", "")),
                    importance=importance.get(verdict.get("importance") or ""),
                    commentary=verdict.get("commentary", ""),
                    override_reason=verdict.get("override_reason", ""),
                    questions=[
                        PublishedQuestion(
                            question=questions[q["key"]],
                            level=levels.get((q.get("rating") or {}).get("level", "")),
                            rationale=(q.get("rating") or {}).get("rationale", ""),
                            evidence=q["evidence"],
                        )
                        for q in dim["questions"]
                    ],
                )
            )
        result.append(PublishedFramework(framework, published_dimensions))
    return result


def latest_publications() -> list[Publication]:
    latest: dict[int, Publication] = {}
    for publication in Publication.objects.select_related("assessment").order_by("number"):
        latest[publication.assessment_id] = publication
    return sorted(latest.values(), key=lambda p: p.published_at, reverse=True)


def signatory(user: User | None) -> str | None:
    """How a publication names the people who submitted, approved and
    published it (None: the system, run by the operator)."""
    return (user.get_full_name() or user.get_username()) if user else None


def tracking_since(publication: Publication) -> list[ActionUpdate]:
    """Progress reported on the plan since this publication, oldest first:
    shown beside the frozen plan, never merged into it."""
    return list(
        ActionUpdate.objects.filter(
            action__assessment_id=publication.assessment_id,
            after_publication=True,
            created_at__gte=publication.published_at,
        )
        .select_related("action")
        .order_by("date", "id")
    )


@dataclass
class PublishedAction:
    framework: str
    key: str
    title: str
    phase: str
    responsible: str
    start_month: int
    end_month: int


def published_plan(publication: Publication) -> list[PublishedAction]:
    """The action plans exactly as frozen by the publication."""
    return [
        PublishedAction(
            framework=plan["framework"],
            key=action["key"],
            title=action["title"],
            phase=str(Action.Phase(action["phase"]).label),
            responsible=action["responsible"],
            start_month=action["start_month"],
            end_month=action["start_month"] + action["duration_months"] - 1,
        )
        for plan in publication.plans
        for action in plan["actions"]
    ]
