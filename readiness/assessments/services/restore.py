"""Bringing back an earlier value from history, as a new change made
through the ordinary services."""

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from readiness.assessments.access import require_editable, require_reconciliation
from readiness.assessments.models import Assessment, DimensionVerdict, Evidence, QuestionRating
from readiness.assessments.permissions import Action
from readiness.assessments.services._common import level_by_code
from readiness.assessments.services.evidence import add_evidence, update_evidence
from readiness.assessments.services.ratings import cite_again, save_agreed_rating
from readiness.assessments.services.verdicts import record_verdict
from readiness.core.errors import InvalidInput, NotFound
from readiness.core.history import Actor
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Question


@transaction.atomic
def restore_change(*, actor: Actor, assessment: Assessment, change_id: int) -> ChangeRecord:
    """Bring back the value an evidence item, rating or verdict had right after
    an earlier change (or before it, for a deletion). The restore is itself a
    new change, made through the ordinary services."""
    require_editable(actor, assessment)
    change = ChangeRecord.objects.filter(assessment=assessment, pk=change_id).first()
    if change is None:
        raise NotFound(_("no change %s in this assessment") % change_id)
    value = change.after if change.after is not None else change.before
    if change.entity not in {"evidence", "rating", "verdict"} or value is None:
        raise InvalidInput.single("change", _("this change cannot be restored"))
    if change.entity == "evidence":
        restore_evidence(actor, assessment, change, value)
    elif change.entity == "rating":
        if assessment.independent_rating:
            # The agreed rating follows the reconciliation rules, restored or not.
            require_reconciliation(actor, assessment, Action.RECONCILE)
        current = QuestionRating.objects.get(pk=change.entity_id)
        existing = set(
            Evidence.objects.filter(pk__in=value["cited_evidence"]).values_list("pk", flat=True)
        )
        save_agreed_rating(
            actor,
            assessment,
            current.question,
            level_by_code(current.question.framework, value["level"]),
            value["rationale"],
            list(Evidence.objects.filter(pk__in=existing)),
            current.version,
        )
    else:
        verdict = DimensionVerdict.objects.select_related("dimension__framework").get(
            pk=change.entity_id
        )
        record_verdict(
            actor=actor,
            assessment=assessment,
            dimension=verdict.dimension,
            level_code=value["level"],
            importance_code=value["importance"],
            commentary=value["commentary"],
            override_reason=value["override_reason"] or _("Restored from an earlier version."),
            expected_version=verdict.version,
        )
    # The restored item's own change; restoring evidence may change ratings too.
    return ChangeRecord.objects.filter(assessment=assessment, entity=change.entity).latest("id")


def restore_evidence(
    actor: Actor, assessment: Assessment, change: ChangeRecord, value: dict[str, Any]
) -> None:
    fields = {
        "sign": value["sign"],
        "text": value["text"],
        "source_kind": value["source_kind"],
        "reference_title": value["reference_title"],
        "reference_url": value["reference_url"],
        "date": datetime.date.fromisoformat(value["date"]) if value["date"] else None,
        "author": value["author"],
    }
    current = Evidence.objects.filter(pk=change.entity_id, assessment=assessment).first()
    if current is None:
        if change.question_id is None:
            raise InvalidInput.single("change", _("this change cannot be restored"))
        question = Question.objects.select_related("framework").get(pk=change.question_id)
        evidence = add_evidence(actor=actor, assessment=assessment, question=question, **fields)
        cite_again(actor, assessment, evidence, value.get("cited_by", {}))
    else:
        update_evidence(
            actor=actor,
            assessment=assessment,
            evidence_id=current.pk,
            expected_version=current.version,
            changes=fields,
        )
