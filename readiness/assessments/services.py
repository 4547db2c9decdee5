"""Every write to an assessment goes through these functions: the web views,
the REST API, the CLI and the importer all call them. Each one checks the
actor's role (access.require), validates its input (raising InvalidInput
naming the field), checks the version the caller based its edit on (raising
EditConflict), and records the change in history."""

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from readiness.assessments.access import (
    check_editable_state,
    require,
    require_editable,
    require_reconciliation,
    require_team_change,
)
from readiness.assessments.models import (
    Assessment,
    AssessmentFramework,
    Assignment,
    DimensionVerdict,
    DimensionVisit,
    Evidence,
    IndependentRating,
    Membership,
    QuestionRating,
)
from readiness.assessments.permissions import Action, Role, allowed, may_create_assessments
from readiness.assessments.rollup import Suggestion
from readiness.assessments.selectors import rated_levels, suggestion
from readiness.core.errors import EditConflict, FieldError, Forbidden, InvalidInput, NotFound
from readiness.core.history import Actor, acting_user, check_version, record_change
from readiness.core.links import url_errors
from readiness.core.models import ChangeRecord
from readiness.core.text import (
    LONG,
    NAME,
    SHORT,
    SLUG,
    checked_text,
    clean_identifier,
    clean_text,
    is_storable,
)
from readiness.frameworks.models import Dimension, Framework, Question, RatingLevel
from readiness.registry import services as registry

# --- validation helpers -------------------------------------------------------


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


def raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(errors)


def level_by_code(framework: Framework, code: str, field: str = "level") -> RatingLevel:
    level = next((lvl for lvl in framework.levels.all() if lvl.code == code), None)
    if level is None:
        codes = ", ".join(lvl.code for lvl in framework.levels.all())
        raise InvalidInput.single(
            field, _("%(code)r is not one of: %(codes)s") % {"code": code, "codes": codes}
        )
    return level


def framework_of_assessment(assessment: Assessment, framework: Framework) -> None:
    if not AssessmentFramework.objects.filter(assessment=assessment, framework=framework).exists():
        raise NotFound(_("%(framework)s is not used by this assessment") % {"framework": framework})


# --- snapshots for history ---------------------------------------------------


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


def rating_snapshot(rating: QuestionRating | IndependentRating) -> dict[str, Any]:
    return {
        "question": rating.question.key,
        "level": rating.level.code,
        "rationale": rating.rationale,
        "cited_evidence": sorted(e.pk for e in rating.cited_evidence.all()),
        "version": rating.version,
    }


def verdict_snapshot(verdict: DimensionVerdict) -> dict[str, Any]:
    return {
        "dimension": verdict.dimension.key,
        "level": verdict.level.code,
        "importance": verdict.importance.code if verdict.importance else None,
        "commentary": verdict.commentary,
        "override_reason": verdict.override_reason,
        "version": verdict.version,
    }


# --- assessments --------------------------------------------------------------


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


# --- evidence -----------------------------------------------------------------


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
    evidence.delete()
    record_change(
        assessment_id=assessment.pk,
        entity="evidence",
        entity_id=evidence_id,
        actor=actor,
        before=before,
        after=None,
        question_id=evidence.question_id,
    )


# --- ratings ------------------------------------------------------------------


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


def save_versioned(
    *,
    model: type[Any],
    lookup: dict[str, Any],
    fields: dict[str, Any],
    expected_version: int | None,
    snapshot: Callable[[Any], dict[str, Any]],
    what: str,
) -> tuple[Any, dict[str, Any] | None]:
    """Create or update the one row `lookup` names, refusing a save based on
    another version than the stored one (EditConflict). Returns the row and
    its snapshot before the change (None when it was created)."""
    row: Any = model.objects.select_for_update(of=("self",)).filter(**lookup).first()
    if row is None:
        if expected_version is not None:
            raise EditConflict(
                message=_("%(what)s was removed in the meantime; nothing was saved.")
                % {"what": what},
                current_version=0,
            )
        try:
            with transaction.atomic():
                row = model.objects.create(**lookup, **fields)
        except IntegrityError:
            current: Any = model.objects.get(**lookup)
            raise EditConflict(
                message=_("%(what)s was saved by someone else in the meantime; yours was not.")
                % {"what": what},
                current_version=current.version,
                current=snapshot(current),
            ) from None
        return row, None
    before = snapshot(row)
    check_version(
        what=what, current_version=row.version, expected_version=expected_version, current=before
    )
    for name, value in fields.items():
        setattr(row, name, value)
    row.version += 1
    row.save()
    return row, before


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


# --- dimension verdicts ------------------------------------------------------------


def dimension_suggestion(assessment: Assessment, dimension: Dimension) -> Suggestion:
    rated = rated_levels(assessment, dimension)[dimension.pk]
    return suggestion(rated, list(dimension.framework.levels.all()))


@transaction.atomic
def record_verdict(
    *,
    actor: Actor,
    assessment: Assessment,
    dimension: Dimension,
    level_code: str,
    commentary: str = "",
    override_reason: str = "",
    importance_code: str | None = None,
    expected_version: int | None,
) -> DimensionVerdict:
    require_editable(actor, assessment)
    framework = dimension.framework
    framework_of_assessment(assessment, framework)
    level = level_by_code(framework, level_code)
    importance = None
    if importance_code:
        importance = next(
            (i for i in framework.importance_levels.all() if i.code == importance_code), None
        )
        if importance is None:
            codes = ", ".join(i.code for i in framework.importance_levels.all())
            raise InvalidInput.single(
                "importance",
                _("%(code)r is not one of: %(codes)s")
                % {"code": importance_code, "codes": codes or "—"},
            )
    errors: list[FieldError] = []
    commentary = clean_text(commentary, LONG, "commentary", errors)
    override_reason = clean_text(override_reason, LONG, "override_reason", errors)
    raise_if(errors)
    suggestion = dimension_suggestion(assessment, dimension)
    if suggestion.level is not None and suggestion.level != level and not override_reason:
        raise InvalidInput.single(
            "override_reason",
            _("the suggested rating is %(suggested)s; say why the verdict differs")
            % {"suggested": suggestion.level},
        )
    if suggestion.level == level:
        override_reason = ""
    fields = {
        "level": level,
        "importance": importance,
        "commentary": commentary,
        "override_reason": override_reason,
        "updated_by": acting_user(actor),
    }
    verdict, before = save_versioned(
        model=DimensionVerdict,
        lookup={"assessment": assessment, "dimension": dimension},
        fields=fields,
        expected_version=expected_version,
        snapshot=verdict_snapshot,
        what=_("This verdict"),
    )
    record_change(
        assessment_id=assessment.pk,
        entity="verdict",
        entity_id=verdict.pk,
        actor=actor,
        before=before,
        after=verdict_snapshot(verdict),
    )
    return verdict


# --- team and rating mode ------------------------------------------------------


def team_snapshot(assessment: Assessment) -> dict[str, Any]:
    return {
        m.user.get_username(): m.role
        for m in assessment.memberships.select_related("user").order_by("user__username")
    }


def check_member_version(
    assessment: Assessment, username: str, expected_version: int | None
) -> Membership | None:
    """The membership as stored (locked), or None. A caller that claims the
    version it saw (0: not on the team) gets EditConflict if it changed since;
    one that claims none (the API's and CLI's plain set) is not checked."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, user__username=username)
        .first()
        if is_storable(username)
        else None
    )
    if expected_version == 0 and membership is not None:
        raise EditConflict(
            message=_("%(name)s is on the team already, as %(role)s.")
            % {"name": username, "role": Role(membership.role).label},
            current_version=membership.version,
            current={"username": username, "role": membership.role},
        )
    if expected_version is not None:
        check_version(
            what=_("%(name)s's membership") % {"name": username},
            current_version=membership.version if membership else 0,
            expected_version=expected_version,
            current={"username": username, "role": membership.role} if membership else {},
        )
    return membership


@transaction.atomic
def set_member(
    *,
    actor: Actor,
    assessment: Assessment,
    username: str,
    role: str,
    expected_version: int | None = None,
) -> Membership:
    """Add a user to the team, or change their role."""
    require_team_change(actor, assessment)
    if role not in Role.values:
        raise InvalidInput.single("role", _("must be one of: %s") % ", ".join(Role.values))
    user = (
        User.objects.filter(username=username, is_active=True).first()
        if is_storable(username)
        else None
    )
    if user is None:
        raise InvalidInput.single("username", _("no active user %s") % username)
    before = team_snapshot(assessment)
    membership = check_member_version(assessment, username, expected_version)
    if membership is None:
        membership = Membership.objects.create(assessment=assessment, user=user, role=role)
    elif membership.role != role:
        membership.role = role
        membership.version += 1
        membership.save(update_fields=["role", "version"])
    if not assessment.memberships.filter(role=Role.LEAD).exists():
        raise InvalidInput.single("role", _("the team needs at least one lead"))
    record_change(
        assessment_id=assessment.pk,
        entity="team",
        entity_id=assessment.pk,
        actor=actor,
        before=before,
        after=team_snapshot(assessment),
    )
    return membership


@transaction.atomic
def remove_member(
    *, actor: Actor, assessment: Assessment, username: str, expected_version: int | None = None
) -> None:
    require_team_change(actor, assessment)
    before = team_snapshot(assessment)
    membership = check_member_version(assessment, username, expected_version)
    if membership is None:
        raise NotFound(_("%s is not on the team") % username)
    membership.delete()
    if not assessment.memberships.filter(role=Role.LEAD).exists():
        raise InvalidInput.single("username", _("the team needs at least one lead"))
    record_change(
        assessment_id=assessment.pk,
        entity="team",
        entity_id=assessment.pk,
        actor=actor,
        before=before,
        after=team_snapshot(assessment),
    )


def mode_snapshot(assessment: Assessment) -> dict[str, Any]:
    return {
        "independent_rating": assessment.independent_rating,
        "reconciliation_open": assessment.reconciliation_open,
    }


@transaction.atomic
def set_rating_mode(
    *, actor: Actor, assessment: Assessment, independent: bool, reconciliation_open: bool
) -> Assessment:
    """Independent mode keeps each assessor's ratings private until the lead
    opens reconciliation."""
    require_editable(actor, assessment)
    require(actor, assessment, Action.MANAGE_TEAM)
    before = mode_snapshot(assessment)
    assessment.independent_rating = independent
    assessment.reconciliation_open = independent and reconciliation_open
    assessment.save(update_fields=["independent_rating", "reconciliation_open"])
    record_change(
        assessment_id=assessment.pk,
        entity="assessment",
        entity_id=assessment.pk,
        actor=actor,
        before=before,
        after=mode_snapshot(assessment),
    )
    return assessment


# --- restoring an earlier value ---------------------------------------------------


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
    return ChangeRecord.objects.filter(assessment=assessment).latest("id")


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
        add_evidence(actor=actor, assessment=assessment, question=question, **fields)
    else:
        update_evidence(
            actor=actor,
            assessment=assessment,
            evidence_id=current.pk,
            expected_version=current.version,
            changes=fields,
        )


# --- visits to the workspace -----------------------------------------------------


def record_visit(user: User, assessment: Assessment, dimension: Dimension, revision: int) -> int:
    """Note that `user` saw the dimension at change `revision`; returns the
    change their "changed since my last visit" counts from. A first visit
    marks nothing; a visit that finds nothing new keeps the earlier marks."""
    visit, created = DimensionVisit.objects.get_or_create(
        assessment=assessment,
        user=user,
        dimension=dimension,
        defaults={"seen_change_id": revision, "previous_change_id": revision},
    )
    if not created and revision > visit.seen_change_id:
        visit.previous_change_id, visit.seen_change_id = visit.seen_change_id, revision
        visit.save(update_fields=["previous_change_id", "seen_change_id", "visited_at"])
    return visit.previous_change_id


# --- assignments -------------------------------------------------------------------


def assignment_snapshot(assignment: Assignment) -> dict[str, Any]:
    target = assignment.dimension or assignment.question
    assert target is not None  # the check constraint: one or the other
    return {
        "username": assignment.user.get_username(),
        "framework": target.framework.key,
        "dimension": assignment.dimension.key if assignment.dimension else None,
        "question": assignment.question.key if assignment.question else None,
    }


@transaction.atomic
def assign(
    *,
    actor: Actor,
    assessment: Assessment,
    username: str,
    framework_key: str,
    dimension_key: str | None = None,
    question_key: str | None = None,
) -> Assignment:
    """The lead assigns a dimension or one question (exactly one of the two)
    to a team member who may rate: a lead or an assessor. Part of the team's
    organisation, so under the team's rule (frozen while under review)."""
    require_team_change(actor, assessment)
    if (dimension_key is None) == (question_key is None):
        raise InvalidInput.single("dimension", _("give a dimension or a question, not both"))
    member = (
        assessment.memberships.select_related("user")
        .filter(user__username=username, user__is_active=True)
        .first()
        if is_storable(username)
        else None
    )
    if member is None:
        raise InvalidInput.single("username", _("%s is not on the team") % username)
    if not allowed(Role(member.role), Action.EDIT):
        raise InvalidInput.single("username", _("%s may not rate questions") % username)
    if dimension_key is not None:
        target: dict[str, Any] = {
            "dimension": assessment_dimension(assessment, framework_key, dimension_key)
        }
    else:
        target = {"question": assessment_question(assessment, framework_key, str(question_key))}
    assignment, created = Assignment.objects.get_or_create(
        assessment=assessment,
        user=member.user,
        **target,
        defaults={"assigned_by": acting_user(actor)},
    )
    if created:
        record_change(
            assessment_id=assessment.pk,
            entity="assignment",
            entity_id=assignment.pk,
            actor=actor,
            before=None,
            after=assignment_snapshot(assignment),
        )
    return assignment


@transaction.atomic
def unassign(*, actor: Actor, assessment: Assessment, assignment_id: int) -> None:
    require_team_change(actor, assessment)
    assignment = (
        Assignment.objects.select_related("user", "dimension__framework", "question__framework")
        .filter(assessment=assessment, pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise NotFound(_("no assignment %s in this assessment") % assignment_id)
    before = assignment_snapshot(assignment)
    assignment.delete()
    record_change(
        assessment_id=assessment.pk,
        entity="assignment",
        entity_id=assignment_id,
        actor=actor,
        before=before,
        after=None,
    )
