import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import StrictBool

from readiness.assessments import services as assessment_services
from readiness.assessments.access import access_to
from readiness.assessments.api import Key, Slug
from readiness.assessments.models import Assessment
from readiness.assessments.permissions import State
from readiness.core.api_errors import PUBLIC_ERRORS, READ_ERRORS, WRITE_ERRORS
from readiness.core.api_pages import page_out, page_schema
from readiness.core.choices import OneOf
from readiness.core.conditional import last_change, set_last_modified
from readiness.core.errors import InvalidInput
from readiness.core.filtering import PageQuery
from readiness.core.history import acting_user
from readiness.core.text import LongText
from readiness.reviews import selectors, services
from readiness.reviews.checklist import recorded_coverage, recorded_gaps
from readiness.reviews.filters import CommentFilters, PublishedFilters, comment_page, published_page
from readiness.reviews.models import Comment

router = Router(tags=["review"])
public_router = Router(tags=["published"], auth=None)

ObjectId = Annotated[int, Path(ge=1, le=2**53)]


class WorkflowIn(Schema):
    state: Annotated[str, OneOf(State.values)]
    gaps_reason: LongText = Field(
        "",
        description="Publishing while required items of the readiness checklist are open: "
        "why (shown with the publication). Refused when nothing required is open.",
    )


class ReadinessItemOut(Schema):
    code: str = Field(description="E.g. `unrated_questions`, `open_comments`.")
    required: bool = Field(description="Open required items block publishing without a reason.")
    count: int
    label: str
    keys: list[str] = Field(description="What is open: question or dimension keys, thread ids.")


class ReadinessOut(Schema):
    ready: bool
    questions: int
    rated: int
    coverage: str = Field(description='E.g. "62 of 66 questions rated".')
    items: list[ReadinessItemOut]


class WorkflowOut(Schema):
    state: str
    next_states: list[str] = Field(description="The states this user may move it to now.")
    publications: int


class CommentIn(Schema):
    text: LongText
    framework: Key | None = None
    dimension: Key | None = None
    question: Key | None = None
    reply_to: int | None = Field(None, ge=1, le=2**53)


class CommentOut(Schema):
    id: int
    thread: int | None
    author: str | None
    text: str
    framework: str | None
    dimension: str | None
    question: str | None
    created_at: datetime.datetime
    resolved: bool


class ResolutionIn(Schema):
    resolved: StrictBool  # a JSON boolean, not 0 or "yes", as the schema says


class TrackingOut(Schema):
    action: str
    date: datetime.date
    percent: int
    status: str
    note: str


class PublicationOut(Schema):
    slug: str
    title: str
    number: int
    published_at: datetime.datetime
    submitted_by: str | None = Field(description="Who submitted it for review (null: the system).")
    approved_by: str | None = Field(description="Who approved it; never its submitter.")
    published_by: str | None
    document: dict[str, Any]
    plans: list[dict[str, Any]] = Field(description="The action plans as published.")
    gaps_reason: str = Field(
        description="Why it was published with required checklist items open; empty if none were."
    )
    coverage: str = Field(
        description='E.g. "62 of 66 questions rated" (empty for older publications).'
    )
    gaps: list[str] = Field(description="The required checklist items open when published.")
    tracking: list[TrackingOut] = Field(
        description="Progress reported since publication; the published plans do not change."
    )


class PublishedSummary(Schema):
    slug: str
    title: str
    number: int
    published_at: datetime.datetime


def workflow_out(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    access = access_to(acting_user(request.user), assessment)
    return {
        "state": assessment.state,
        "next_states": [s for s in State.values if access.may_move_to(s)],
        "publications": assessment.publications.count(),
    }


def comment_out(comment: Comment) -> dict[str, Any]:
    target = comment.question or comment.dimension
    return {
        "id": comment.pk,
        "thread": comment.parent_id,
        "author": comment.author.get_username() if comment.author else None,
        "text": comment.text,
        "framework": target.framework.key if target else None,
        "dimension": comment.dimension.key if comment.dimension else None,
        "question": comment.question.key if comment.question else None,
        "created_at": comment.created_at,
        "resolved": (comment.parent or comment).resolved_at is not None,
    }


@router.get(
    "/{slug}/workflow", response={200: WorkflowOut, **READ_ERRORS}, summary="Workflow state"
)
def workflow(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    return workflow_out(request, assessment_services.get_assessment(request.user, slug))


@router.post(
    "/{slug}/workflow", response={200: WorkflowOut, **WRITE_ERRORS}, summary="Move the workflow"
)
def move_workflow(request: HttpRequest, slug: Slug, payload: WorkflowIn) -> dict[str, Any]:
    """Submit for review, request changes, approve, publish, start a new
    draft or archive; who may do which step is part of the API contract."""
    assessment = assessment_services.get_assessment(request.user, slug)
    moved = services.move_to(
        actor=request.user,
        assessment=assessment,
        target=payload.state,
        gaps_reason=payload.gaps_reason,
    )
    return workflow_out(request, moved)


@router.get(
    "/{slug}/readiness",
    response={200: ReadinessOut, **READ_ERRORS},
    summary="Readiness to publish",
)
def readiness(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """The checklist publishing asks for: unrated questions, dimensions without
    a verdict, unreconciled disagreements and open comments (required), and
    ratings citing no evidence (advice)."""
    assessment = assessment_services.get_assessment(request.user, slug)
    found = services.readiness_of(request.user, assessment)
    return {
        "ready": found.ready,
        "questions": found.questions,
        "rated": found.rated,
        "coverage": found.coverage,
        "items": [
            {
                "code": item.code,
                "required": item.required,
                "count": item.count,
                "label": item.label,
                "keys": item.keys,
            }
            for item in found.items
        ],
    }


@router.get(
    "/{slug}/comments", response={200: page_schema(CommentOut), **READ_ERRORS}, summary="Comments"
)
def list_comments(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    filters: Query[CommentFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    assessment = assessment_services.get_assessment(request.user, slug)
    found = comment_page(assessment, filters, page)
    set_last_modified(response, last_change([assessment.pk], entities=("comment",)))
    return page_out(request, found, comment_out)


@router.post("/{slug}/comments", response={201: CommentOut, **WRITE_ERRORS}, summary="Comment")
def add_comment(request: HttpRequest, slug: Slug, payload: CommentIn) -> Status[dict[str, Any]]:
    """On the assessment (no target), a dimension (framework + dimension), a
    question (framework + question), or a reply to a thread (reply_to)."""
    assessment = assessment_services.get_assessment(request.user, slug)
    dimension = question = None
    if payload.question:
        if not payload.framework:
            raise InvalidInput.single("framework", _("required with question"))
        question = assessment_services.assessment_question(
            assessment, payload.framework, payload.question
        )
    elif payload.dimension:
        if not payload.framework:
            raise InvalidInput.single("framework", _("required with dimension"))
        dimension = assessment_services.assessment_dimension(
            assessment, payload.framework, payload.dimension
        )
    comment = services.add_comment(
        actor=request.user,
        assessment=assessment,
        text=payload.text,
        dimension=dimension,
        question=question,
        reply_to=payload.reply_to,
    )
    return Status(201, comment_out(comment))


@router.post(
    "/{slug}/comments/{comment_id}/resolution",
    response={200: CommentOut, **WRITE_ERRORS},
    summary="Resolve or reopen a thread",
)
def resolve_thread(
    request: HttpRequest, slug: Slug, comment_id: ObjectId, payload: ResolutionIn
) -> dict[str, Any]:
    assessment = assessment_services.get_assessment(request.user, slug)
    thread = services.set_thread_resolved(
        actor=request.user, assessment=assessment, thread_id=comment_id, resolved=payload.resolved
    )
    return comment_out(thread)


@public_router.get(
    "",
    response={200: page_schema(PublishedSummary), **PUBLIC_ERRORS},
    summary="Published assessments",
)
def list_published(
    request: HttpRequest, filters: Query[PublishedFilters], page: Query[PageQuery]
) -> dict[str, Any]:
    """Open to everyone, signed in or not."""

    def published_out(assessment: Assessment) -> dict[str, Any]:
        latest = max(assessment.publications.all(), key=lambda p: p.number)
        return {
            "slug": assessment.slug,
            "title": latest.document["assessment"]["title"],
            "number": latest.number,
            "published_at": latest.published_at,
        }

    return page_out(request, published_page(filters, page), published_out)


@public_router.get(
    "/{slug}", response={200: PublicationOut, **PUBLIC_ERRORS}, summary="A published assessment"
)
def published(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """Exactly what was approved and published, whatever happened since."""
    publication = services.latest_publication(slug)
    return {
        "slug": slug,
        "title": publication.document["assessment"]["title"],
        "number": publication.number,
        "published_at": publication.published_at,
        "submitted_by": selectors.signatory(publication.submitted_by),
        "approved_by": selectors.signatory(publication.approved_by),
        "published_by": selectors.signatory(publication.published_by),
        "document": publication.document,
        "plans": publication.plans,
        "gaps_reason": publication.gaps_reason,
        "coverage": recorded_coverage(publication.readiness),
        "gaps": recorded_gaps(publication.readiness),
        "tracking": [
            {
                "action": update.action.key,
                "date": update.date,
                "percent": update.percent,
                "status": update.status,
                "note": update.note,
            }
            for update in selectors.tracking_since(publication)
        ],
    }
