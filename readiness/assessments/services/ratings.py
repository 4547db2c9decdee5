"""Question ratings: each assessor's in independent mode, and the agreed
rating, directly or through reconciliation."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from readiness.assessments.access import require_editable, require_reconciliation
from readiness.assessments.models import Assessment, Evidence, IndependentRating, QuestionRating
from readiness.assessments.permissions import Action
from readiness.assessments.services._common import (
    framework_of_assessment,
    level_by_code,
    save_versioned,
)
from readiness.core.errors import InvalidInput
from readiness.core.history import Actor, acting_user, record_change
from readiness.core.text import LONG, checked_text
from readiness.frameworks.models import Question, RatingLevel


def rating_snapshot(rating: QuestionRating | IndependentRating) -> dict[str, Any]:
    return {
        "question": rating.question.key,
        "level": rating.level.code,
        "rationale": rating.rationale,
        "cited_evidence": sorted(e.pk for e in rating.cited_evidence.all()),
        "version": rating.version,
    }


def independent_snapshot(rating: IndependentRating) -> dict[str, Any]:
    return {**rating_snapshot(rating), "assessor": rating.assessor.get_username()}


def rating_inputs(
    assessment: Assessment, question: Question, level_code: str, cited_evidence_ids: Iterable[int]
) -> tuple[RatingLevel, list[Evidence]]:
    framework_of_assessment(assessment, question.framework)
    level = level_by_code(question.framework, level_code)
    cited_ids = sorted(set(cited_evidence_ids))
    cited = list(
        Evidence.objects.filter(pk__in=cited_ids, assessment=assessment, question=question)
    )
    if len(cited) != len(cited_ids):
        missing = sorted(set(cited_ids) - {e.pk for e in cited})
        raise InvalidInput.single(
            "cited_evidence",
            _("not evidence of this question: %s") % ", ".join(map(str, missing)),
        )
    return level, cited


def save_rating(
    *,
    model: type[QuestionRating] | type[IndependentRating],
    lookup: dict[str, Any],
    fields: dict[str, Any],
    cited: list[Evidence],
    expected_version: int | None,
    actor: Actor,
    assessment: Assessment,
) -> Any:
    """Create or update one rating row with version check and history."""
    snapshot = rating_snapshot if model is QuestionRating else independent_snapshot
    rationale = checked_text(fields["rationale"], LONG, "rationale")
    rating, before = save_versioned(
        model=model,
        lookup=lookup,
        fields={**fields, "rationale": rationale},
        expected_version=expected_version,
        snapshot=snapshot,
        what=_("This rating"),
    )
    rating.cited_evidence.set(cited)
    record_change(
        assessment_id=assessment.pk,
        entity="rating" if model is QuestionRating else "independent_rating",
        entity_id=rating.pk,
        actor=actor,
        before=before,
        after=snapshot(rating),
        question_id=rating.question_id,
    )
    return rating


@transaction.atomic
def rate_question(
    *,
    actor: Actor,
    assessment: Assessment,
    question: Question,
    level_code: str,
    rationale: str = "",
    cited_evidence_ids: Iterable[int] = (),
    expected_version: int | None,
) -> QuestionRating | IndependentRating:
    """Rate a question. `expected_version` is the version the user saw: None
    when they saw no rating yet. In independent mode this is the actor's own
    private rating; the agreed rating is recorded by `record_agreed_rating`."""
    require_editable(actor, assessment)
    level, cited = rating_inputs(assessment, question, level_code, cited_evidence_ids)
    user = acting_user(actor)
    if assessment.independent_rating and user is not None:
        return save_rating(
            model=IndependentRating,
            lookup={"assessment": assessment, "question": question, "assessor": user},
            fields={"level": level, "rationale": rationale},
            cited=cited,
            expected_version=expected_version,
            actor=actor,
            assessment=assessment,
        )
    return save_agreed_rating(
        actor, assessment, question, level, rationale, cited, expected_version
    )


def save_agreed_rating(
    actor: Actor,
    assessment: Assessment,
    question: Question,
    level: RatingLevel,
    rationale: str,
    cited: list[Evidence],
    expected_version: int | None,
) -> QuestionRating:
    rating: QuestionRating = save_rating(
        model=QuestionRating,
        lookup={"assessment": assessment, "question": question},
        fields={"level": level, "rationale": rationale, "updated_by": acting_user(actor)},
        cited=cited,
        expected_version=expected_version,
        actor=actor,
        assessment=assessment,
    )
    return rating


def cite_again(
    actor: Actor, assessment: Assessment, evidence: Evidence, cited_by: dict[str, list[int]]
) -> None:
    """Cite `evidence`, a restored item, in the ratings that cited it when it
    was deleted (`cited_by`, as the deletion's history holds it). Each rating
    keeps its level and rationale; citing again is a change of the rating."""
    question = evidence.question
    for agreed in QuestionRating.objects.filter(
        pk__in=cited_by.get("rating", []), assessment=assessment, question=question
    ):
        cited = [*agreed.cited_evidence.all(), evidence]
        save_agreed_rating(
            actor, assessment, question, agreed.level, agreed.rationale, cited, agreed.version
        )
    for own in IndependentRating.objects.filter(
        pk__in=cited_by.get("independent_rating", []), assessment=assessment, question=question
    ).select_related("assessor"):
        save_rating(
            model=IndependentRating,
            lookup={"assessment": assessment, "question": question, "assessor": own.assessor},
            fields={"level": own.level, "rationale": own.rationale},
            cited=[*own.cited_evidence.all(), evidence],
            expected_version=own.version,
            actor=actor,
            assessment=assessment,
        )


@transaction.atomic
def record_agreed_rating(
    *,
    actor: Actor,
    assessment: Assessment,
    question: Question,
    level_code: str,
    rationale: str = "",
    cited_evidence_ids: Iterable[int] = (),
    expected_version: int | None,
) -> QuestionRating:
    """The team's agreed rating, recorded by the lead during reconciliation."""
    require_editable(actor, assessment)
    require_reconciliation(actor, assessment, Action.RECONCILE)
    level, cited = rating_inputs(assessment, question, level_code, cited_evidence_ids)
    return save_agreed_rating(
        actor, assessment, question, level, rationale, cited, expected_version
    )
