"""Evidence items: adding, editing and deleting them."""

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from readiness.assessments.access import require_editable
from readiness.assessments.models import Assessment, Evidence, IndependentRating, QuestionRating
from readiness.assessments.services._common import framework_of_assessment, raise_if
from readiness.core.errors import FieldError, NotFound
from readiness.core.history import Actor, acting_user, check_version, record_change
from readiness.core.links import url_errors
from readiness.core.text import LONG, NAME, SHORT, clean_text
from readiness.frameworks.models import Question


def evidence_snapshot(evidence: Evidence) -> dict[str, Any]:
    return {
        "question": evidence.question.key,
        "sign": evidence.sign,
        "text": evidence.text,
        "source_kind": evidence.source_kind,
        "reference_title": evidence.reference_title,
        "reference_url": evidence.reference_url,
        "date": evidence.date.isoformat() if evidence.date else None,
        "author": evidence.author,
        "version": evidence.version,
    }


def cleaned_evidence(values: dict[str, Any]) -> dict[str, Any]:
    """The fields of an evidence item as stored, or InvalidInput naming every
    field at fault. Only `date` may be None (no date)."""
    nulls = [name for name, value in values.items() if value is None and name != "date"]
    raise_if([FieldError(name, _("must not be null")) for name in nulls])
    errors: list[FieldError] = []
    cleaned = {
        **values,
        "text": clean_text(values["text"], LONG, "text", errors, required=True),
        "reference_title": clean_text(values["reference_title"], NAME, "reference_title", errors),
        "reference_url": values["reference_url"].strip(),
        "author": clean_text(values["author"], SHORT, "author", errors),
    }
    sign, source_kind = values["sign"], values["source_kind"]
    if sign not in Evidence.Sign.values:
        errors.append(FieldError("sign", _("must be one of: %s") % " ".join(Evidence.Sign.values)))
    if source_kind not in Evidence.SourceKind.values:
        errors.append(
            FieldError(
                "source_kind", _("must be one of: %s") % ", ".join(Evidence.SourceKind.values)
            )
        )
    raise_if(errors + url_errors("reference_url", cleaned["reference_url"]))
    return cleaned


@transaction.atomic
def add_evidence(
    *,
    actor: Actor,
    assessment: Assessment,
    question: Question,
    sign: str,
    text: str,
    source_kind: str,
    reference_title: str = "",
    reference_url: str = "",
    date: datetime.date | None = None,
    author: str = "",
) -> Evidence:
    require_editable(actor, assessment)
    fields = cleaned_evidence(
        {
            "sign": sign,
            "text": text,
            "source_kind": source_kind,
            "reference_title": reference_title,
            "reference_url": reference_url,
            "date": date,
            "author": author,
        }
    )
    framework_of_assessment(assessment, question.framework)
    evidence = Evidence.objects.create(
        assessment=assessment, question=question, created_by=acting_user(actor), **fields
    )
    record_change(
        assessment_id=assessment.pk,
        entity="evidence",
        entity_id=evidence.pk,
        actor=actor,
        before=None,
        after=evidence_snapshot(evidence),
        question_id=evidence.question_id,
    )
    return evidence


def locked_evidence(evidence_id: int, assessment: Assessment) -> Evidence:
    evidence = (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("question")
        .filter(pk=evidence_id, assessment=assessment)
        .first()
    )
    if evidence is None:
        raise NotFound(_("no evidence item %s in this assessment") % evidence_id)
    return evidence


@transaction.atomic
def update_evidence(
    *,
    actor: Actor,
    assessment: Assessment,
    evidence_id: int,
    expected_version: int | None,
    changes: dict[str, Any],
) -> Evidence:
    require_editable(actor, assessment)
    evidence = locked_evidence(evidence_id, assessment)
    before = evidence_snapshot(evidence)
    check_version(
        what=_("This evidence item"),
        current_version=evidence.version,
        expected_version=expected_version,
        current=before,
    )
    editable = {"sign", "text", "source_kind", "reference_title", "reference_url", "date", "author"}
    unknown = set(changes) - editable
    raise_if([FieldError(name, _("cannot be changed")) for name in sorted(unknown)])
    current = {name: getattr(evidence, name) for name in editable}
    for name, value in cleaned_evidence({**current, **changes}).items():
        setattr(evidence, name, value)
    evidence.version += 1
    evidence.save()
    record_change(
        assessment_id=assessment.pk,
        entity="evidence",
        entity_id=evidence.pk,
        actor=actor,
        before=before,
        after=evidence_snapshot(evidence),
        question_id=evidence.question_id,
    )
    return evidence


@transaction.atomic
def delete_evidence(
    *, actor: Actor, assessment: Assessment, evidence_id: int, expected_version: int | None
) -> None:
    require_editable(actor, assessment)
    evidence = locked_evidence(evidence_id, assessment)
    before = evidence_snapshot(evidence)
    check_version(
        what=_("This evidence item"),
        current_version=evidence.version,
        expected_version=expected_version,
        current=before,
    )
    # The deletion also removes the ratings' citations of the item: its
    # history keeps them, so that restoring the item cites it again.
    cited_by = citing_ratings(evidence)
    evidence.delete()
    record_change(
        assessment_id=assessment.pk,
        entity="evidence",
        entity_id=evidence_id,
        actor=actor,
        before={**before, "cited_by": cited_by},
        after=None,
        question_id=evidence.question_id,
    )


def citing_ratings(evidence: Evidence) -> dict[str, list[int]]:
    """The ratings that cite the item, under the names history gives them."""
    return {
        "rating": sorted(
            QuestionRating.objects.filter(cited_evidence=evidence).values_list("pk", flat=True)
        ),
        "independent_rating": sorted(
            IndependentRating.objects.filter(cited_evidence=evidence).values_list("pk", flat=True)
        ),
    }
