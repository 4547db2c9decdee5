"""Every write to an assessment goes through these functions: the web views,
the REST API, the CLI and the importer all call them. Each one validates its
input (raising InvalidInput naming the field), checks the version the caller
based its edit on (raising EditConflict), and records the change in history."""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from readiness.assessments.models import (
    Assessment,
    AssessmentFramework,
    DimensionVerdict,
    Evidence,
    QuestionRating,
)
from readiness.assessments.rollup import Suggestion
from readiness.assessments.selectors import rated_levels, suggestion
from readiness.core.errors import EditConflict, FieldError, InvalidInput, NotFound
from readiness.core.history import Actor, acting_user, check_version, record_change
from readiness.frameworks.models import Dimension, Framework, Question, RatingLevel

TEXT_LIMITS = {"title": 300, "reference_title": 500, "author": 200, "subject_name": 300}


# --- validation helpers -------------------------------------------------------


def subject_errors(kind: str, code: str, name: str) -> list[FieldError]:
    if kind not in Assessment.SubjectKind.values:
        return [
            FieldError(
                "subject_kind", _("must be one of: %s") % ", ".join(Assessment.SubjectKind.values)
            )
        ]
    if kind == Assessment.SubjectKind.SUBDIVISION:
        if pycountry.subdivisions.get(code=code) is None:
            return [
                FieldError("subject_code", _("%s is not an ISO 3166-2 subdivision code") % code)
            ]
    elif pycountry.countries.get(alpha_2=code) is None:
        return [
            FieldError("subject_code", _("%s is not an ISO 3166-1 alpha-2 country code") % code)
        ]
    if kind == Assessment.SubjectKind.AGENCY and not name.strip():
        return [FieldError("subject_name", _("an agency needs a name"))]
    return []


def text_errors(fields: dict[str, str], required: Iterable[str] = ()) -> list[FieldError]:
    errors = [
        FieldError(name, _("must not be empty")) for name in required if not fields[name].strip()
    ]
    for name, value in fields.items():
        limit = TEXT_LIMITS.get(name)
        if limit and len(value) > limit:
            errors.append(FieldError(name, _("at most %d characters") % limit))
    return errors


def url_errors(field: str, url: str) -> list[FieldError]:
    if not url:
        return []
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return [FieldError(field, _("must be an http(s) URL"))]
    if len(url) > 1000:
        return [FieldError(field, _("at most %d characters") % 1000)]
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


def rating_snapshot(rating: QuestionRating) -> dict[str, Any]:
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
    errors = text_errors({"title": title, "subject_name": subject_name}, required=["title"])
    try:
        validate_slug(slug)
        if len(slug) > 80:
            raise ValidationError("too long")
    except ValidationError:
        errors.append(FieldError("slug", _("letters, digits, '-' and '_' only, at most 80")))
    else:
        if Assessment.objects.filter(slug=slug).exists():
            errors.append(FieldError("slug", _("an assessment named %s exists already") % slug))
    errors += subject_errors(subject_kind, subject_code, subject_name)
    if period_start and period_end and period_end < period_start:
        errors.append(FieldError("period_end", _("must not be before the period start")))
    if not frameworks:
        errors.append(FieldError("frameworks", _("choose at least one framework")))
    if len({f.pk for f in frameworks}) != len(frameworks):
        errors.append(FieldError("frameworks", _("each framework only once")))
    raise_if(errors)
    assessment = Assessment.objects.create(
        slug=slug,
        title=title.strip(),
        subject_kind=subject_kind,
        subject_code=subject_code,
        subject_name=subject_name.strip() if subject_kind == Assessment.SubjectKind.AGENCY else "",
        period_start=period_start,
        period_end=period_end,
        description=description,
        created_by=acting_user(actor),
    )
    AssessmentFramework.objects.bulk_create(
        AssessmentFramework(assessment=assessment, framework=framework, order=order)
        for order, framework in enumerate(frameworks, start=1)
    )
    record_change(
        assessment_id=assessment.pk,
        entity="assessment",
        entity_id=assessment.pk,
        actor=actor,
        before=None,
        after={
            "slug": slug,
            "title": assessment.title,
            "subject": [subject_kind, subject_code, assessment.subject_name],
            "frameworks": [f"{f.key} {f.version}" for f in frameworks],
        },
    )
    return assessment


def get_framework_for_use(key: str, version: str, path: str = "frameworks") -> Framework:
    framework = (
        Framework.objects.prefetch_related("levels", "importance_levels")
        .filter(key=key, version=version)
        .first()
    )
    if framework is None:
        raise InvalidInput.single(
            path,
            _("framework %(key)s %(version)s is not loaded") % {"key": key, "version": version},
        )
    return framework


def get_assessment(slug: str) -> Assessment:
    try:
        return Assessment.objects.get(slug=slug)
    except Assessment.DoesNotExist:
        raise NotFound(_("no assessment named %s") % slug) from None


def assessment_question(assessment: Assessment, framework_key: str, question_key: str) -> Question:
    question = (
        Question.objects.select_related("framework", "dimension", "importance")
        .filter(
            framework__key=framework_key,
            key=question_key,
            framework__in=assessment.frameworks.all(),
        )
        .first()
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
    )
    if dimension is None:
        raise NotFound(
            _("dimension %(fw)s %(d)s is not in this assessment")
            % {"fw": framework_key, "d": dimension_key}
        )
    return dimension


# --- evidence -----------------------------------------------------------------


def evidence_errors(
    *, sign: str, text: str, source_kind: str, reference_title: str, reference_url: str, author: str
) -> list[FieldError]:
    errors = text_errors(
        {"text": text, "reference_title": reference_title, "author": author}, required=["text"]
    )
    if sign not in Evidence.Sign.values:
        errors.append(FieldError("sign", _("must be one of: %s") % " ".join(Evidence.Sign.values)))
    if source_kind not in Evidence.SourceKind.values:
        errors.append(
            FieldError(
                "source_kind", _("must be one of: %s") % ", ".join(Evidence.SourceKind.values)
            )
        )
    return errors + url_errors("reference_url", reference_url)


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
    raise_if(
        evidence_errors(
            sign=sign,
            text=text,
            source_kind=source_kind,
            reference_title=reference_title,
            reference_url=reference_url,
            author=author,
        )
    )
    framework_of_assessment(assessment, question.framework)
    evidence = Evidence.objects.create(
        assessment=assessment,
        question=question,
        sign=sign,
        text=text.strip(),
        source_kind=source_kind,
        reference_title=reference_title.strip(),
        reference_url=reference_url.strip(),
        date=date,
        author=author.strip(),
        created_by=acting_user(actor),
    )
    record_change(
        assessment_id=assessment.pk,
        entity="evidence",
        entity_id=evidence.pk,
        actor=actor,
        before=None,
        after=evidence_snapshot(evidence),
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
    for name, value in changes.items():
        setattr(evidence, name, value.strip() if isinstance(value, str) else value)
    raise_if(
        evidence_errors(
            sign=evidence.sign,
            text=evidence.text,
            source_kind=evidence.source_kind,
            reference_title=evidence.reference_title,
            reference_url=evidence.reference_url,
            author=evidence.author,
        )
    )
    evidence.version += 1
    evidence.save()
    record_change(
        assessment_id=assessment.pk,
        entity="evidence",
        entity_id=evidence.pk,
        actor=actor,
        before=before,
        after=evidence_snapshot(evidence),
    )
    return evidence


@transaction.atomic
def delete_evidence(
    *, actor: Actor, assessment: Assessment, evidence_id: int, expected_version: int | None
) -> None:
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
    )


# --- ratings ------------------------------------------------------------------


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
) -> QuestionRating:
    """Set a question's rating. `expected_version` is the version the user
    saw: None when they saw no rating yet."""
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
    rating = (
        QuestionRating.objects.select_for_update(of=("self",))
        .select_related("level", "question")
        .filter(assessment=assessment, question=question)
        .first()
    )
    if rating is None:
        if expected_version is not None:
            raise EditConflict(
                message=_("This rating was removed in the meantime; nothing was saved."),
                current_version=0,
            )
        try:
            with transaction.atomic():
                rating = QuestionRating.objects.create(
                    assessment=assessment,
                    question=question,
                    level=level,
                    rationale=rationale.strip(),
                    updated_by=acting_user(actor),
                )
        except IntegrityError:
            current = QuestionRating.objects.get(assessment=assessment, question=question)
            raise EditConflict(
                message=_(
                    "Someone else rated this question in the meantime; your rating was not saved."
                ),
                current_version=current.version,
                current=rating_snapshot(current),
            ) from None
        rating.cited_evidence.set(cited)
        before = None
    else:
        before = rating_snapshot(rating)
        check_version(
            what=_("This rating"),
            current_version=rating.version,
            expected_version=expected_version,
            current=before,
        )
        rating.level = level
        rating.rationale = rationale.strip()
        rating.updated_by = acting_user(actor)
        rating.version += 1
        rating.save()
        rating.cited_evidence.set(cited)
    record_change(
        assessment_id=assessment.pk,
        entity="rating",
        entity_id=rating.pk,
        actor=actor,
        before=before,
        after=rating_snapshot(rating),
    )
    return rating


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
    suggestion = dimension_suggestion(assessment, dimension)
    override_reason = override_reason.strip()
    if suggestion.level is not None and suggestion.level != level and not override_reason:
        raise InvalidInput.single(
            "override_reason",
            _("the suggested rating is %(suggested)s; say why the verdict differs")
            % {"suggested": suggestion.level},
        )
    if suggestion.level == level:
        override_reason = ""
    verdict = (
        DimensionVerdict.objects.select_for_update(of=("self",))
        .select_related("level", "importance", "dimension")
        .filter(assessment=assessment, dimension=dimension)
        .first()
    )
    fields = {
        "level": level,
        "importance": importance,
        "commentary": commentary.strip(),
        "override_reason": override_reason,
        "updated_by": acting_user(actor),
    }
    if verdict is None:
        if expected_version is not None:
            raise EditConflict(
                message=_("This verdict was removed in the meantime; nothing was saved."),
                current_version=0,
            )
        try:
            with transaction.atomic():
                verdict = DimensionVerdict.objects.create(
                    assessment=assessment, dimension=dimension, **fields
                )
        except IntegrityError:
            current = DimensionVerdict.objects.get(assessment=assessment, dimension=dimension)
            raise EditConflict(
                message=_(
                    "Someone else recorded this verdict in the meantime; yours was not saved."
                ),
                current_version=current.version,
                current=verdict_snapshot(current),
            ) from None
        before = None
    else:
        before = verdict_snapshot(verdict)
        check_version(
            what=_("This verdict"),
            current_version=verdict.version,
            expected_version=expected_version,
            current=before,
        )
        for name, value in fields.items():
            setattr(verdict, name, value)
        verdict.version += 1
        verdict.save()
    record_change(
        assessment_id=assessment.pk,
        entity="verdict",
        entity_id=verdict.pk,
        actor=actor,
        before=before,
        after=verdict_snapshot(verdict),
    )
    return verdict
