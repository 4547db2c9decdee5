"""Creating an assessment, editing its details, and finding an assessment,
its frameworks, questions and dimensions for the other services and doors."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from readiness.assessments.access import check_editable_state, require, require_editable
from readiness.assessments.models import Assessment, AssessmentFramework, Membership
from readiness.assessments.permissions import Action, Role, may_create_assessments
from readiness.assessments.services._common import raise_if
from readiness.core.errors import FieldError, Forbidden, InvalidInput, NotFound
from readiness.core.history import Actor, acting_user, check_version, record_change
from readiness.core.text import LONG, NAME, SHORT, SLUG, clean_identifier, clean_text, is_storable
from readiness.frameworks.models import Dimension, Framework, Question
from readiness.registry import services as registry


def subject_errors(kind: str, code: str, name: str) -> list[FieldError]:
    if kind not in Assessment.SubjectKind.values:
        return [
            FieldError(
                "subject_kind", _("must be one of: %s") % ", ".join(Assessment.SubjectKind.values)
            )
        ]
    level = "subdivision" if kind == Assessment.SubjectKind.SUBDIVISION else "country"
    code_errors = registry.subject_errors(level, code)
    if code_errors:
        return code_errors
    if kind == Assessment.SubjectKind.AGENCY and not name.strip():
        return [FieldError("subject_name", _("an agency needs a name"))]
    return []


def cleaned_details(
    errors: list[FieldError],
    *,
    title: str,
    subject_kind: str,
    subject_code: str,
    subject_name: str,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    description: str,
) -> dict[str, Any]:
    """The details of an assessment as stored, for creating and for editing;
    problems are added to `errors`, naming the field."""
    title = clean_text(title, NAME, "title", errors, required=True)
    subject_name = clean_text(subject_name, NAME, "subject_name", errors)
    description = clean_text(description, LONG, "description", errors)
    # ISO codes are upper-case.
    subject_code = clean_text(subject_code, SHORT, "subject_code", errors).upper()
    errors += subject_errors(subject_kind, subject_code, subject_name)
    if period_start and period_end and period_end < period_start:
        errors.append(FieldError("period_end", _("must not be before the period start")))
    return {
        "title": title,
        "subject_kind": subject_kind,
        "subject_code": subject_code,
        "subject_name": subject_name if subject_kind == Assessment.SubjectKind.AGENCY else "",
        "period_start": period_start,
        "period_end": period_end,
        "description": description,
    }


def require_may_create(actor: Actor) -> None:
    if not may_create_assessments(actor):
        raise Forbidden(_("You may not create assessments on this site."))


@transaction.atomic
def create_assessment(
    *,
    actor: Actor,
    slug: str,
    title: str,
    subject_kind: str,
    subject_code: str,
    subject_name: str = "",
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    description: str = "",
    frameworks: Sequence[Framework],
) -> Assessment:
    require_may_create(actor)
    errors: list[FieldError] = []
    details = cleaned_details(
        errors,
        title=title,
        subject_kind=subject_kind,
        subject_code=subject_code,
        subject_name=subject_name,
        period_start=period_start,
        period_end=period_end,
        description=description,
    )
    # Slugs are matched and stored lower-case.
    slug = clean_identifier(slug) or ""
    try:
        validate_slug(slug)
        if len(slug) > SLUG:
            raise ValidationError("too long")
    except ValidationError:
        errors.append(FieldError("slug", _("letters, digits, '-' and '_' only, at most %d") % SLUG))
    else:
        if Assessment.objects.filter(slug=slug).exists():
            errors.append(FieldError("slug", _("an assessment named %s exists already") % slug))
    if not frameworks:
        errors.append(FieldError("frameworks", _("choose at least one framework")))
    if len({f.pk for f in frameworks}) != len(frameworks):
        errors.append(FieldError("frameworks", _("each framework only once")))
    raise_if(errors)
    assessment = Assessment.objects.create(slug=slug, **details, created_by=acting_user(actor))
    AssessmentFramework.objects.bulk_create(
        AssessmentFramework(assessment=assessment, framework=framework, order=order)
        for order, framework in enumerate(frameworks, start=1)
    )
    creator = acting_user(actor)
    if creator is not None:
        Membership.objects.create(assessment=assessment, user=creator, role=Role.LEAD)
    record_change(
        assessment_id=assessment.pk,
        entity="assessment",
        entity_id=assessment.pk,
        actor=actor,
        before=None,
        after={
            "slug": slug,
            "title": assessment.title,
            "subject": [subject_kind, assessment.subject_code, assessment.subject_name],
            "frameworks": [f"{f.key} {f.version}" for f in frameworks],
        },
    )
    return assessment


def details_snapshot(assessment: Assessment) -> dict[str, Any]:
    return {
        "title": assessment.title,
        "subject": [assessment.subject_kind, assessment.subject_code, assessment.subject_name],
        "period_start": assessment.period_start.isoformat() if assessment.period_start else None,
        "period_end": assessment.period_end.isoformat() if assessment.period_end else None,
        "description": assessment.description,
        "version": assessment.version,
    }


def require_details_editable(actor: Actor, assessment: Assessment) -> None:
    """Whether the edit form may be offered: the checks of update_details, in
    its order (role, then state, then lead), without locking the row."""
    require(actor, assessment, Action.EDIT)
    check_editable_state(assessment)
    require(actor, assessment, Action.MANAGE_TEAM)


@transaction.atomic
def update_details(
    *,
    actor: Actor,
    assessment: Assessment,
    expected_version: int | None,
    title: str,
    subject_kind: str,
    subject_code: str,
    subject_name: str = "",
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    description: str = "",
) -> Assessment:
    """Change the title, subject, period and description (the lead, in a
    draft). The short name and the frameworks stay: addresses and ratings
    depend on them. `expected_version` is the version the user saw."""
    require_editable(actor, assessment)
    require(actor, assessment, Action.MANAGE_TEAM)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    before = details_snapshot(assessment)
    check_version(
        what=_("The assessment's details"),
        current_version=assessment.version,
        expected_version=expected_version,
        current=before,
    )
    errors: list[FieldError] = []
    details = cleaned_details(
        errors,
        title=title,
        subject_kind=subject_kind,
        subject_code=subject_code,
        subject_name=subject_name,
        period_start=period_start,
        period_end=period_end,
        description=description,
    )
    raise_if(errors)
    for name, value in details.items():
        setattr(assessment, name, value)
    assessment.version += 1
    assessment.save()
    record_change(
        assessment_id=assessment.pk,
        entity="assessment",
        entity_id=assessment.pk,
        actor=actor,
        before=before,
        after=details_snapshot(assessment),
    )
    return assessment


def get_framework_for_use(key: str, version: str, path: str = "frameworks") -> Framework:
    framework = (
        Framework.objects.prefetch_related("levels", "importance_levels")
        .filter(key=key, version=version)
        .first()
        if is_storable(key) and is_storable(version)
        else None
    )
    if framework is None:
        raise InvalidInput.single(
            path,
            _("framework %(key)s %(version)s is not loaded") % {"key": key, "version": version},
        )
    return framework


def get_assessment(actor: Actor, slug: str, action: Action = Action.VIEW) -> Assessment:
    """The working draft named `slug`, if the actor may do `action` on it;
    NotFound for everyone who is not a member. Slugs are matched whatever
    their case: they are stored lower-case."""
    name = clean_identifier(slug)
    assessment = Assessment.objects.filter(slug=name).first() if name else None
    if assessment is None:
        raise NotFound(_("no assessment named %s") % slug)
    require(actor, assessment, action)
    return assessment


def assessment_question(assessment: Assessment, framework_key: str, question_key: str) -> Question:
    question = (
        Question.objects.select_related("framework", "dimension", "importance")
        .filter(
            framework__key=framework_key,
            key=question_key,
            framework__in=assessment.frameworks.all(),
        )
        .first()
        if is_storable(framework_key) and is_storable(question_key)
        else None
    )
    if question is None:
        raise NotFound(
            _("question %(fw)s %(q)s is not in this assessment")
            % {"fw": framework_key, "q": question_key}
        )
    return question


def assessment_dimension(
    assessment: Assessment, framework_key: str, dimension_key: str
) -> Dimension:
    dimension = (
        Dimension.objects.select_related("framework")
        .filter(
            framework__key=framework_key,
            key=dimension_key,
            framework__in=assessment.frameworks.all(),
        )
        .first()
        if is_storable(framework_key) and is_storable(dimension_key)
        else None
    )
    if dimension is None:
        raise NotFound(
            _("dimension %(fw)s %(d)s is not in this assessment")
            % {"fw": framework_key, "d": dimension_key}
        )
    return dimension
