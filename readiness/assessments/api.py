import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Body, Field, Path, Query, Router, Schema, Status
from pydantic import StrictBool, StringConstraints

from readiness.assessments import documents, selectors, services
from readiness.assessments.access import require_reconciliation, visible_assessments
from readiness.assessments.filters import (
    AssessmentFilters,
    AssignedQuestionFilters,
    AssignmentFilters,
    ChangeFilters,
    EvidenceFilters,
    HistoryFilters,
    RatingFilters,
    TeamFilters,
    VerdictFilters,
    assessment_page,
    assignment_page,
    change_page,
    evidence_page,
    my_question_page,
    question_history_page,
    rating_page,
    team_page,
    verdict_page,
)
from readiness.assessments.models import (
    Assessment,
    Evidence,
    IndependentRating,
    Membership,
    QuestionRating,
)
from readiness.assessments.permissions import Action, Role
from readiness.assessments.selectors import assessment_frameworks, overview, question_state
from readiness.core.api_errors import ACTION_ERRORS, READ_ERRORS, WRITE_ERRORS
from readiness.core.api_pages import page_out, page_schema
from readiness.core.choices import OneOf
from readiness.core.conditional import (
    expected_version,
    last_change,
    required_version,
    set_last_modified,
    set_version_tag,
)
from readiness.core.filtering import PageQuery
from readiness.core.models import ChangeRecord
from readiness.core.text import KeyText, LongText, NameText, ShortText, SlugText, UrlText
from readiness.frameworks.models import Framework

router = Router(tags=["assessments"])


Key = KeyText
Slug = SlugText  # any case: the services match slugs case-insensitively
ObjectId = Annotated[int, Path(ge=1, le=2**53)]
# Django's username rule (UnicodeUsernameValidator), so that the schema refuses
# what no account can be called.
Username = Annotated[str, Path(pattern=r"^[\w.@+-]{1,150}$")]
Sign = Annotated[str, OneOf(Evidence.Sign.values)]
SourceKind = Annotated[str, OneOf(Evidence.SourceKind.values)]


class FrameworkRef(Schema):
    key: Key
    version: Annotated[str, StringConstraints(min_length=1, max_length=20)]


class SubjectSchema(Schema):
    kind: Annotated[str, OneOf(Assessment.SubjectKind.values)]
    code: Annotated[str, StringConstraints(min_length=2, max_length=10)]
    name: NameText = ""


class AssessmentIn(Schema):
    slug: Slug
    title: NameText
    subject: SubjectSchema
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    description: LongText = ""
    frameworks: list[FrameworkRef]


class AssessmentOut(Schema):
    slug: str
    title: str
    subject: SubjectSchema
    subject_display: str
    period_start: datetime.date | None
    period_end: datetime.date | None
    description: str
    frameworks: list[FrameworkRef]
    version: int = Field(description="Of the details; send it back to change them.")


class DetailsIn(Schema):
    """The editable details: the short name and the frameworks stay."""

    version: int = Field(ge=1, le=2**53, description="The version you based the change on.")
    title: NameText
    subject: SubjectSchema
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    description: LongText = ""


class SuggestionOut(Schema):
    level: str | None
    mean: float | None
    counted: int
    excluded: int


class DimensionSummaryOut(Schema):
    framework: str
    dimension: str
    question_count: int
    rated_count: int
    suggested: SuggestionOut
    verdict: "VerdictOut | None"


class AssessmentDetail(AssessmentOut):
    dimensions: list[DimensionSummaryOut]


class EvidenceIn(Schema):
    framework: Key
    question: Key
    sign: Sign
    text: LongText
    source_kind: SourceKind
    reference_title: NameText = ""
    reference_url: UrlText = ""
    date: datetime.date | None = None
    author: ShortText = ""


class EvidencePatch(Schema):
    """Fields left out stay as they are; null is refused (422) except for
    `date`, where it means no date."""

    version: int | None = Field(
        None, description='The version the change is based on; or send it as `If-Match: "3"`.'
    )
    sign: Sign | None = None
    text: LongText | None = None
    source_kind: SourceKind | None = None
    reference_title: NameText | None = None
    reference_url: UrlText | None = None
    date: datetime.date | None = None
    author: ShortText | None = None


class EvidenceOut(Schema):
    id: int
    framework: str
    question: str
    sign: str
    text: str
    source_kind: str
    reference_title: str
    reference_url: str
    date: datetime.date | None
    author: str
    version: int


class RatingIn(Schema):
    level: Key
    rationale: LongText = ""
    cited_evidence: list[Annotated[int, Field(ge=1, le=2**53)]] = []
    version: int | None = Field(
        None, description="The version the change is based on; null when there was no rating."
    )


class RatingOut(Schema):
    framework: str
    question: str
    level: str
    rationale: str
    cited_evidence: list[int]
    contradicts_evidence: bool
    assessor: str | None = Field(
        description="Set on an assessor's own rating in independent mode; null on the agreed one."
    )
    version: int


class VerdictIn(Schema):
    level: Key
    importance: Key | None = None
    commentary: LongText = ""
    override_reason: LongText = ""
    version: int | None = Field(
        None, description="The version the change is based on; null when there was no verdict."
    )


class VerdictOut(Schema):
    framework: str
    dimension: str
    level: str
    importance: str | None
    commentary: str
    override_reason: str
    version: int


DimensionSummaryOut.model_rebuild()


def assessment_out(assessment: Assessment, frameworks: list[Framework]) -> dict[str, Any]:
    return {
        "slug": assessment.slug,
        "title": assessment.title,
        "subject": {
            "kind": assessment.subject_kind,
            "code": assessment.subject_code,
            "name": assessment.subject_name,
        },
        "subject_display": assessment.subject_display,
        "period_start": assessment.period_start,
        "period_end": assessment.period_end,
        "description": assessment.description,
        "frameworks": [{"key": f.key, "version": f.version} for f in frameworks],
        "version": assessment.version,
    }


def evidence_out(item: Evidence) -> dict[str, Any]:
    return {
        "id": item.pk,
        "framework": item.question.framework.key,
        "question": item.question.key,
        "sign": item.sign,
        "text": item.text,
        "source_kind": item.source_kind,
        "reference_title": item.reference_title,
        "reference_url": item.reference_url,
        "date": item.date,
        "author": item.author,
        "version": item.version,
    }


def rating_out(
    rating: QuestionRating | IndependentRating, evidence: list[Evidence]
) -> dict[str, Any]:
    """`evidence`: the question's evidence items, for the contradiction flag."""
    question = rating.question
    state = question_state(question, evidence, rating, list(question.framework.levels.all()))
    return {
        "framework": question.framework.key,
        "question": question.key,
        "level": rating.level.code,
        "rationale": rating.rationale,
        "cited_evidence": sorted(state.cited_ids),
        "contradicts_evidence": state.contradicts,
        "assessor": rating.assessor.get_username()
        if isinstance(rating, IndependentRating)
        else None,
        "version": rating.version,
    }


def verdict_out(verdict: Any) -> dict[str, Any]:
    return {
        "framework": verdict.dimension.framework.key,
        "dimension": verdict.dimension.key,
        "level": verdict.level.code,
        "importance": verdict.importance.code if verdict.importance else None,
        "commentary": verdict.commentary,
        "override_reason": verdict.override_reason,
        "version": verdict.version,
    }


@router.get(
    "", response={200: page_schema(AssessmentOut), **READ_ERRORS}, summary="List assessments"
)
def list_assessments(
    request: HttpRequest,
    response: HttpResponse,
    filters: Query[AssessmentFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    """The assessments the caller may open, a page at a time (docs/api.md)."""
    found = assessment_page(request.user, filters, page)
    set_last_modified(response, last_change(visible_assessments(request.user).values("pk")))
    return page_out(request, found, lambda a: assessment_out(a, list(a.frameworks.all())))


@router.post("", response={201: AssessmentOut, **WRITE_ERRORS}, summary="Create an assessment")
def create_assessment(request: HttpRequest, payload: AssessmentIn) -> Status[dict[str, Any]]:
    services.require_may_create(request.user)  # before the input is looked at
    frameworks = [
        services.get_framework_for_use(ref.key, ref.version, f"frameworks[{index}]")
        for index, ref in enumerate(payload.frameworks)
    ]
    assessment = services.create_assessment(
        actor=request.user,
        slug=payload.slug,
        title=payload.title,
        subject_kind=payload.subject.kind,
        subject_code=payload.subject.code,
        subject_name=payload.subject.name,
        period_start=payload.period_start,
        period_end=payload.period_end,
        description=payload.description,
        frameworks=frameworks,
    )
    return Status(201, assessment_out(assessment, frameworks))


@router.post("/import", response={201: AssessmentOut, **WRITE_ERRORS}, summary="Import a document")
def import_assessment(
    request: HttpRequest, document: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    """Create an assessment from a `readiness-assessment/1` document, all or nothing."""
    assessment = documents.import_assessment(request.user, document)
    return Status(201, assessment_out(assessment, assessment_frameworks(assessment)))


@router.get("/{slug}", response={200: AssessmentDetail, **READ_ERRORS}, summary="One assessment")
def assessment_detail(request: HttpRequest, response: HttpResponse, slug: Slug) -> dict[str, Any]:
    assessment = services.get_assessment(request.user, slug)
    set_last_modified(response, last_change([assessment.pk]) or assessment.created_at)
    states = overview(assessment)
    return {
        **assessment_out(assessment, [s.framework for s in states]),
        "dimensions": [
            {
                "framework": fs.framework.key,
                "dimension": ds.dimension.key,
                "question_count": ds.question_count,
                "rated_count": ds.rated_count,
                "suggested": {
                    "level": ds.suggestion.level.code if ds.suggestion.level else None,
                    "mean": ds.suggestion.mean,
                    "counted": ds.suggestion.counted,
                    "excluded": ds.suggestion.excluded,
                },
                "verdict": verdict_out(ds.verdict) if ds.verdict else None,
            }
            for fs in states
            for ds in fs.dimensions
        ],
    }


@router.put(
    "/{slug}/details", response={200: AssessmentOut, **WRITE_ERRORS}, summary="Edit the details"
)
def update_details(request: HttpRequest, slug: Slug, payload: DetailsIn) -> dict[str, Any]:
    """Title, subject, period and description, by the lead in a draft; a
    stale `version` gets 409 with the details now stored."""
    assessment = services.update_details(
        actor=request.user,
        assessment=services.get_assessment(request.user, slug),
        expected_version=payload.version,
        title=payload.title,
        subject_kind=payload.subject.kind,
        subject_code=payload.subject.code,
        subject_name=payload.subject.name,
        period_start=payload.period_start,
        period_end=payload.period_end,
        description=payload.description,
    )
    return assessment_out(assessment, assessment_frameworks(assessment))


@router.get("/{slug}/export", response={200: dict[str, Any], **READ_ERRORS}, summary="Export")
def export_assessment(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """The assessment as a `readiness-assessment/1` document."""
    return documents.export_assessment(services.get_assessment(request.user, slug))


@router.get(
    "/{slug}/evidence",
    response={200: page_schema(EvidenceOut), **READ_ERRORS},
    summary="Evidence",
)
def list_evidence(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    filters: Query[EvidenceFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    """An assessment's evidence, a page at a time (docs/api.md)."""
    assessment = services.get_assessment(request.user, slug)
    found = evidence_page(assessment, filters, page)
    set_last_modified(response, last_change([assessment.pk], entities=("evidence",)))
    return page_out(request, found, evidence_out)


@router.post(
    "/{slug}/evidence", response={201: EvidenceOut, **WRITE_ERRORS}, summary="Add an evidence item"
)
def add_evidence(request: HttpRequest, slug: Slug, payload: EvidenceIn) -> Status[dict[str, Any]]:
    assessment = services.get_assessment(request.user, slug)
    question = services.assessment_question(assessment, payload.framework, payload.question)
    item = services.add_evidence(
        actor=request.user,
        assessment=assessment,
        question=question,
        **payload.dict(exclude={"framework", "question"}),
    )
    return Status(201, evidence_out(item))


@router.patch(
    "/{slug}/evidence/{evidence_id}",
    response={200: EvidenceOut, **WRITE_ERRORS},
    summary="Change an evidence item",
)
def update_evidence(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    evidence_id: ObjectId,
    payload: EvidencePatch,
) -> dict[str, Any]:
    assessment = services.get_assessment(request.user, slug)
    changes = payload.dict(exclude={"version"}, exclude_unset=True)
    item = services.update_evidence(
        actor=request.user,
        assessment=assessment,
        evidence_id=evidence_id,
        expected_version=required_version(request, payload.version),
        changes=changes,
    )
    set_version_tag(response, item.version)
    return evidence_out(item)


@router.delete(
    "/{slug}/evidence/{evidence_id}",
    response={204: None, **ACTION_ERRORS},
    summary="Delete an evidence item (kept in history)",
)
def delete_evidence(
    request: HttpRequest, slug: Slug, evidence_id: ObjectId, version: int | None = None
) -> Status[None]:
    """`version`, or `If-Match: "3"`: the version the deletion is based on."""
    assessment = services.get_assessment(request.user, slug)
    services.delete_evidence(
        actor=request.user,
        assessment=assessment,
        evidence_id=evidence_id,
        expected_version=required_version(request, version),
    )
    return Status(204, None)


@router.get(
    "/{slug}/ratings", response={200: page_schema(RatingOut), **READ_ERRORS}, summary="Ratings"
)
def list_ratings(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    filters: Query[RatingFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    """The agreed ratings, a page at a time (docs/api.md)."""
    assessment = services.get_assessment(request.user, slug)
    found = rating_page(assessment, filters, page)
    set_last_modified(response, last_change([assessment.pk], entities=("rating", "evidence")))
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    page_questions = [r.question_id for r in found.items]
    for item in assessment.evidence.filter(question_id__in=page_questions).order_by("id"):
        evidence[item.question_id].append(item)
    return page_out(request, found, lambda r: rating_out(r, evidence[r.question_id]))


def save_rating_with(
    save: Callable[..., QuestionRating | IndependentRating],
    request: HttpRequest,
    slug: str,
    framework: str,
    question: str,
    payload: RatingIn,
) -> dict[str, Any]:
    """Rate a question through `save` (the own or the agreed rating)."""
    assessment = services.get_assessment(request.user, slug)
    target = services.assessment_question(assessment, framework, question)
    rating = save(
        actor=request.user,
        assessment=assessment,
        question=target,
        level_code=payload.level,
        rationale=payload.rationale,
        cited_evidence_ids=payload.cited_evidence,
        expected_version=expected_version(request, payload.version),
    )
    return rating_out(rating, list(Evidence.objects.filter(assessment=assessment, question=target)))


@router.put(
    "/{slug}/ratings/{framework}/{question}",
    response={200: RatingOut, **WRITE_ERRORS},
    summary="Rate a question",
)
def rate_question(
    request: HttpRequest, slug: Slug, framework: Key, question: Key, payload: RatingIn
) -> dict[str, Any]:
    return save_rating_with(services.rate_question, request, slug, framework, question, payload)


@router.get(
    "/{slug}/verdicts", response={200: page_schema(VerdictOut), **READ_ERRORS}, summary="Verdicts"
)
def list_verdicts(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    filters: Query[VerdictFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    assessment = services.get_assessment(request.user, slug)
    found = verdict_page(assessment, filters, page)
    set_last_modified(response, last_change([assessment.pk], entities=("verdict",)))
    return page_out(request, found, verdict_out)


@router.put(
    "/{slug}/verdicts/{framework}/{dimension}",
    response={200: VerdictOut, **WRITE_ERRORS},
    summary="Record a dimension verdict",
)
def record_verdict(
    request: HttpRequest, slug: Slug, framework: Key, dimension: Key, payload: VerdictIn
) -> dict[str, Any]:
    assessment = services.get_assessment(request.user, slug)
    target = services.assessment_dimension(assessment, framework, dimension)
    verdict = services.record_verdict(
        actor=request.user,
        assessment=assessment,
        dimension=target,
        level_code=payload.level,
        importance_code=payload.importance,
        commentary=payload.commentary,
        override_reason=payload.override_reason,
        expected_version=expected_version(request, payload.version),
    )
    return verdict_out(verdict)


class MemberOut(Schema):
    username: str
    role: str
    version: int


class MemberIn(Schema):
    role: Annotated[str, OneOf(Role.values)]
    version: int | None = Field(
        None,
        ge=0,
        le=2**53,
        description="The membership's version you saw (0: not on the team yet); a stale one "
        "gets 409. Without it the role is set whatever happened in between.",
    )


class RatingModeIn(Schema):
    # Strict: a JSON boolean, not 0 or "yes", as the schema says.
    independent: StrictBool
    reconciliation_open: StrictBool = False


class RatingModeOut(Schema):
    independent: bool
    reconciliation_open: bool


class ChangeOut(Schema):
    id: int
    entity: str
    entity_id: int
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    actor: str | None
    at: datetime.datetime


class ReconciliationQuestionOut(Schema):
    question: str
    ratings: list[RatingOut]
    agreed: RatingOut | None
    spread: int


class AgreementOut(Schema):
    questions_compared: int
    full_agreement: int
    share: float | None
    alpha: float | None = Field(description="Krippendorff's alpha for ordinal data")


class ReconciliationOut(Schema):
    framework: str
    dimension: str
    questions: list[ReconciliationQuestionOut]
    agreement: AgreementOut


def member_out(membership: Membership) -> dict[str, Any]:
    return {
        "username": membership.user.get_username(),
        "role": membership.role,
        "version": membership.version,
    }


def change_out(change: ChangeRecord) -> dict[str, Any]:
    return {
        "id": change.pk,
        "entity": change.entity,
        "entity_id": change.entity_id,
        "action": change.action,
        "before": change.before,
        "after": change.after,
        "actor": change.actor.get_username() if change.actor else None,
        "at": change.at,
    }


changes_router = Router(tags=["changes"])


class FeedChangeOut(ChangeOut):
    assessment: str = Field(description="The short name of the assessment changed.")


@changes_router.get(
    "",
    response={200: page_schema(FeedChangeOut), **READ_ERRORS},
    summary="What changed in the assessments the caller may open",
)
def list_changes(
    request: HttpRequest,
    response: HttpResponse,
    filters: Query[ChangeFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    """The history, oldest first: to sync, keep the `id` of the last change
    seen and ask again with `after` (docs/api.md)."""
    found = change_page(request.user, filters, page)
    set_last_modified(response, max((c.at for c in found.items), default=None))
    return page_out(request, found, lambda c: {**change_out(c), "assessment": c.assessment.slug})


@router.get(
    "/{slug}/team", response={200: page_schema(MemberOut), **READ_ERRORS}, summary="The team"
)
def list_team(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    filters: Query[TeamFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    assessment = services.get_assessment(request.user, slug)
    found = team_page(assessment, filters, page)
    set_last_modified(response, last_change([assessment.pk], entities=("team",)))
    return page_out(request, found, member_out)


@router.put(
    "/{slug}/team/{username}",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Add a member or change their role",
)
def set_member(
    request: HttpRequest,
    slug: Slug,
    username: Username,
    payload: MemberIn,
) -> dict[str, Any]:
    assessment = services.get_assessment(request.user, slug)
    membership = services.set_member(
        actor=request.user,
        assessment=assessment,
        username=username,
        role=payload.role,
        expected_version=payload.version,
    )
    return member_out(membership)


@router.delete(
    "/{slug}/team/{username}", response={204: None, **ACTION_ERRORS}, summary="Remove a member"
)
def remove_member(
    request: HttpRequest, slug: Slug, username: Username, version: int | None = None
) -> Status[None]:
    """With `version` (the one you saw) a stale removal gets 409."""
    assessment = services.get_assessment(request.user, slug)
    services.remove_member(
        actor=request.user,
        assessment=assessment,
        username=username,
        expected_version=version,
    )
    return Status(204, None)


@router.put(
    "/{slug}/rating-mode", response={200: RatingModeOut, **WRITE_ERRORS}, summary="Rating mode"
)
def set_rating_mode(request: HttpRequest, slug: Slug, payload: RatingModeIn) -> dict[str, Any]:
    """Independent mode: each assessor's ratings stay private until the lead
    opens reconciliation."""
    assessment = services.get_assessment(request.user, slug)
    services.set_rating_mode(
        actor=request.user,
        assessment=assessment,
        independent=payload.independent,
        reconciliation_open=payload.reconciliation_open,
    )
    return {
        "independent": assessment.independent_rating,
        "reconciliation_open": assessment.reconciliation_open,
    }


@router.get(
    "/{slug}/history/{framework}/{question}",
    response={200: page_schema(ChangeOut), **READ_ERRORS},
    summary="A question's history",
)
def question_history(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    framework: Key,
    question: Key,
    filters: Query[HistoryFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    """Newest first, a page at a time (docs/api.md)."""
    assessment = services.get_assessment(request.user, slug)
    target = services.assessment_question(assessment, framework, question)
    found = question_history_page(assessment, target, request.user, filters, page)
    set_last_modified(response, max((c.at for c in found.items), default=None))
    return page_out(request, found, change_out)


@router.post(
    "/{slug}/changes/{change_id}/restore",
    response={200: ChangeOut, **ACTION_ERRORS},
    summary="Restore an earlier value",
)
def restore_change(request: HttpRequest, slug: Slug, change_id: ObjectId) -> dict[str, Any]:
    """Brings back the value right after that change (before it, for a
    deletion); the restore is recorded as a new change."""
    assessment = services.get_assessment(request.user, slug)
    return change_out(
        services.restore_change(actor=request.user, assessment=assessment, change_id=change_id)
    )


@router.get(
    "/{slug}/reconciliation/{framework}/{dimension}",
    response={200: ReconciliationOut, **READ_ERRORS},
    summary="Independent ratings side by side",
)
def reconciliation(
    request: HttpRequest, slug: Slug, framework: Key, dimension: Key
) -> dict[str, Any]:
    assessment = services.get_assessment(request.user, slug)
    target = services.assessment_dimension(assessment, framework, dimension)
    require_reconciliation(request.user, assessment, Action.SEE_RECONCILIATION)
    rows, stats = selectors.reconciliation(assessment, target)
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in assessment.evidence.filter(question__dimension=target).order_by("id"):
        evidence[item.question_id].append(item)
    return {
        "framework": framework,
        "dimension": dimension,
        "questions": [
            {
                "question": row.question.key,
                "ratings": [rating_out(r, evidence[row.question.pk]) for r in row.ratings],
                "agreed": rating_out(row.agreed, evidence[row.question.pk]) if row.agreed else None,
                "spread": row.spread,
            }
            for row in rows
        ],
        "agreement": {
            "questions_compared": stats.questions_compared,
            "full_agreement": stats.full_agreement,
            "share": stats.share,
            "alpha": stats.alpha,
        },
    }


@router.put(
    "/{slug}/agreed-ratings/{framework}/{question}",
    response={200: RatingOut, **WRITE_ERRORS},
    summary="Record the agreed rating",
)
def record_agreed_rating(
    request: HttpRequest, slug: Slug, framework: Key, question: Key, payload: RatingIn
) -> dict[str, Any]:
    """The lead's reconciled rating in independent mode."""
    return save_rating_with(
        services.record_agreed_rating, request, slug, framework, question, payload
    )


class AssignmentIn(Schema):
    username: Annotated[str, StringConstraints(pattern=r"^[\w.@+-]{1,150}$")]
    framework: Key
    dimension: Key | None = Field(None, description="A whole dimension, or …")
    question: Key | None = Field(None, description="… one question (give one of the two).")


class AssignmentOut(Schema):
    id: int
    username: str
    framework: str
    dimension: str | None
    question: str | None


class AssignedQuestionOut(Schema):
    framework: str
    dimension: str
    question: str


def assignment_out(assignment: Any) -> dict[str, Any]:
    return {"id": assignment.pk, **services.assignment_snapshot(assignment)}


@router.get(
    "/{slug}/assignments",
    response={200: page_schema(AssignmentOut), **READ_ERRORS},
    summary="Who is assigned which dimension or question",
)
def list_assignments(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    filters: Query[AssignmentFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    assessment = services.get_assessment(request.user, slug)
    found = assignment_page(assessment, filters, page)
    set_last_modified(response, last_change([assessment.pk], entities=("assignment",)))
    return page_out(request, found, assignment_out)


@router.post(
    "/{slug}/assignments",
    response={201: AssignmentOut, **WRITE_ERRORS},
    summary="Assign a dimension or a question to a team member (the lead)",
)
def assign(request: HttpRequest, slug: Slug, payload: AssignmentIn) -> Status[dict[str, Any]]:
    assessment = services.get_assessment(request.user, slug)
    assignment = services.assign(
        actor=request.user,
        assessment=assessment,
        username=payload.username,
        framework_key=payload.framework,
        dimension_key=payload.dimension,
        question_key=payload.question,
    )
    return Status(201, assignment_out(assignment))


@router.delete(
    "/{slug}/assignments/{assignment_id}",
    response={204: None, **ACTION_ERRORS},
    summary="Remove an assignment (the lead)",
)
def unassign(request: HttpRequest, slug: Slug, assignment_id: ObjectId) -> Status[None]:
    assessment = services.get_assessment(request.user, slug)
    services.unassign(actor=request.user, assessment=assessment, assignment_id=assignment_id)
    return Status(204, None)


@router.get(
    "/{slug}/my-questions",
    response={200: page_schema(AssignedQuestionOut), **READ_ERRORS},
    summary="The questions assigned to the caller",
)
def my_questions(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    filters: Query[AssignedQuestionFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    assessment = services.get_assessment(request.user, slug)
    found = my_question_page(assessment, request.user, filters, page)
    set_last_modified(response, last_change([assessment.pk], entities=("assignment",)))
    return page_out(
        request,
        found,
        lambda q: {"framework": q.framework.key, "dimension": q.dimension.key, "question": q.key},
    )
