import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Body, Field, File, Query, Router, Schema, Status, UploadedFile
from pydantic import StringConstraints

from readiness.actionplans import selectors, services, spreadsheet
from readiness.actionplans.filters import (
    ActionFilters,
    DeletedActionFilters,
    action_page,
    critical_keys,
    deleted_action_page,
)
from readiness.actionplans.models import Action
from readiness.actionplans.services import ActionKey
from readiness.assessments import services as assessment_services
from readiness.assessments.api import ObjectId, Slug
from readiness.core import spreadsheets
from readiness.core.api_errors import ACTION_ERRORS, READ_ERRORS, UPLOAD_ERRORS, WRITE_ERRORS
from readiness.core.api_pages import page_out, page_schema
from readiness.core.choices import OneOf
from readiness.core.conditional import last_change, set_last_modified
from readiness.core.filtering import PageQuery
from readiness.core.links import WebUrl
from readiness.core.responses import attachment
from readiness.core.text import KeyText, LongText, NameText, ShortText

router = Router(tags=["action plans"])


class ProgressOut(Schema):
    date: datetime.date
    note: str
    percent: int
    status: str
    evidence_url: str
    author: str | None
    after_publication: bool = Field(
        description="Reported after publication: tracking, not a change to the published plan."
    )


class ActionOut(Schema):
    key: str
    title: str
    description: str
    framework: str
    dimensions: list[str]
    questions: list[str]
    phase: str
    responsible: str
    supporting: list[str]
    start_month: int
    duration_months: int
    end_month: int
    months_text: str
    cost_min: Decimal | None
    cost_max: Decimal | None
    currency: str
    cost_text: str
    priority: str
    status: str
    depends_on: list[str]
    on_critical_path: bool
    note: str
    progress: list[ProgressOut]
    version: int


class PlanOut(Schema):
    plan_start: datetime.date | None
    months: int
    critical_path: list[str]
    actions: list[ActionOut]


class ScheduleIn(Schema):
    start_month: int = Field(ge=1, le=240)
    duration_months: int = Field(ge=1, le=240)
    depends_on: list[ActionKey] = []
    version: int


class ProgressIn(Schema):
    date: datetime.date
    note: LongText
    percent: int = Field(ge=0, le=100)
    status: Annotated[str, OneOf(Action.Status.values)]
    evidence_url: WebUrl = ""


def action_out(action: Action, critical: set[str]) -> dict[str, Any]:
    dimensions = list(action.dimensions.all())
    return {
        "key": action.key,
        "title": action.title,
        "description": action.description,
        "framework": dimensions[0].framework.key if dimensions else "",
        "dimensions": [d.key for d in dimensions],
        "questions": [q.key for q in action.questions.all()],
        "phase": action.phase,
        "responsible": action.responsible.abbreviation,
        "supporting": [o.abbreviation for o in action.supporting.all()],
        "start_month": action.start_month,
        "duration_months": action.duration_months,
        "end_month": action.end_month,
        "months_text": action.months_text,
        "cost_min": action.cost_min,
        "cost_max": action.cost_max,
        "currency": action.currency,
        "cost_text": action.cost_text,
        "priority": action.priority,
        "status": action.status,
        "depends_on": sorted(a.key for a in action.depends_on.all()),
        "on_critical_path": action.key in critical,
        "note": action.note,
        "progress": [
            {
                "date": u.date,
                "note": u.note,
                "percent": u.percent,
                "status": u.status,
                "evidence_url": u.evidence_url,
                "author": u.author.get_username() if u.author else None,
                "after_publication": u.after_publication,
            }
            for u in action.updates.all()
        ],
        "version": action.version,
    }


@router.get("/{slug}/plan", response={200: PlanOut, **READ_ERRORS}, summary="The action plan")
def action_plan(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    assessment = assessment_services.get_assessment(request.user, slug)
    view = selectors.plan(assessment)
    critical = set(view.critical)
    return {
        "plan_start": assessment.plan_start,
        "months": view.months,
        "critical_path": view.critical,
        "actions": [action_out(a, critical) for a in view.actions],
    }


@router.get(
    "/{slug}/plan/actions",
    response={200: page_schema(ActionOut), **READ_ERRORS},
    summary="The plan's actions, a page at a time",
)
def list_actions(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    filters: Query[ActionFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    """Filtered and sorted (docs/api.md); `on_critical_path` is of the whole plan."""
    assessment = assessment_services.get_assessment(request.user, slug)
    found = action_page(assessment, filters, page, timezone.localdate())
    critical = critical_keys(assessment)
    set_last_modified(response, last_change([assessment.pk], entities=("action",)))
    return page_out(request, found, lambda a: action_out(a, critical))


@router.get(
    "/{slug}/plan.xlsx",
    response={200: None, **READ_ERRORS},
    summary="The action plan as an XLSX workbook",
)
def plan_workbook(request: HttpRequest, slug: Slug) -> HttpResponse:
    assessment = assessment_services.get_assessment(request.user, slug)
    return attachment(
        spreadsheet.export_plan(assessment), spreadsheet.CONTENT_TYPE, f"{slug}-action-plan.xlsx"
    )


@router.post(
    "/{slug}/plan.xlsx",
    response={201: list[str], **UPLOAD_ERRORS},
    summary="Import actions from an XLSX workbook",
)
def import_workbook(
    request: HttpRequest, slug: Slug, workbook: File[UploadedFile]
) -> Status[list[str]]:
    """All or nothing; errors name the sheet, row and column."""
    assessment = assessment_services.get_assessment(request.user, slug)
    created = spreadsheet.import_plan_workbook(
        request.user,
        assessment,
        spreadsheets.read_upload(workbook),
        workbook.name or "workbook.xlsx",
    )
    return Status(201, [a.key for a in created])


@router.post(
    "/{slug}/plan/import", response={201: list[str], **WRITE_ERRORS}, summary="Import actions"
)
def import_plan(
    request: HttpRequest, slug: Slug, document: Body[dict[str, Any]]
) -> Status[list[str]]:
    """Add the actions of a `readiness-action-plan/1` document, all or nothing."""
    assessment_services.get_assessment(request.user, slug)
    created = services.import_plan(request.user, {**document, "assessment": slug})
    return Status(201, [a.key for a in created])


@router.put(
    "/{slug}/plan/{key}/schedule",
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Move an action or change its prerequisites",
)
def reschedule(
    request: HttpRequest, slug: Slug, key: ActionKey, payload: ScheduleIn
) -> dict[str, Any]:
    assessment = assessment_services.get_assessment(request.user, slug)
    action = services.reschedule(
        actor=request.user,
        assessment=assessment,
        key=key,
        start_month=payload.start_month,
        duration_months=payload.duration_months,
        depends_on=payload.depends_on,
        expected_version=payload.version,
    )
    return action_out(action, set(selectors.plan(assessment).critical))


@router.post(
    "/{slug}/plan/{key}/progress",
    response={201: ProgressOut, **WRITE_ERRORS},
    summary="Report progress on an action",
)
def record_progress(
    request: HttpRequest, slug: Slug, key: ActionKey, payload: ProgressIn
) -> Status[dict[str, Any]]:
    assessment = assessment_services.get_assessment(request.user, slug)
    update = services.record_progress(
        actor=request.user,
        assessment=assessment,
        key=key,
        date=payload.date,
        note=payload.note,
        percent=payload.percent,
        status=payload.status,
        evidence_url=payload.evidence_url,
    )
    return Status(
        201,
        {
            "date": update.date,
            "note": update.note,
            "percent": update.percent,
            "status": update.status,
            "evidence_url": update.evidence_url,
            "author": update.author.get_username() if update.author else None,
            "after_publication": update.after_publication,
        },
    )


class ActionChangesIn(Schema):
    """The fields to change, named as in a plan document
    (docs/action-plan-format.md); those left out keep their value."""

    key: ActionKey | None = None
    title: Annotated[NameText, StringConstraints(min_length=1)] | None = None
    description: LongText | None = None
    dimensions: list[KeyText] | None = Field(default=None, min_length=1)
    questions: list[KeyText] | None = None
    phase: Annotated[str, OneOf(Action.Phase.values)] | None = None
    responsible: ShortText | None = None  # an acronym of the register
    supporting: list[ShortText] | None = None
    start_month: int | None = Field(default=None, ge=1, le=240)
    duration_months: int | None = Field(default=None, ge=1, le=240)
    months: ShortText | None = None
    cost: services.CostDoc | None = None
    cost_text: ShortText | None = None
    priority: Annotated[str, OneOf(Action.Priority.values)] | None = None
    depends_on: list[ActionKey] | None = None
    source: NameText | None = None
    note: LongText | None = None
    version: int


class DeletedActionOut(Schema):
    change_id: int
    key: str
    title: str
    deleted_at: datetime.datetime
    deleted_by: str | None


@router.get(
    "/{slug}/plan/deleted",
    response={200: page_schema(DeletedActionOut), **READ_ERRORS},
    summary="Deleted actions that can be restored",
)
def deleted_actions(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    filters: Query[DeletedActionFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    # Declared before `/{slug}/plan/{key}`, whose address would take it first.
    assessment = assessment_services.get_assessment(request.user, slug)
    found = deleted_action_page(assessment, filters, page)
    set_last_modified(response, last_change([assessment.pk], entities=("action",)))
    return page_out(
        request,
        found,
        lambda change: {
            "change_id": change.pk,
            "key": (change.before or {})["key"],
            "title": (change.before or {})["title"],
            "deleted_at": change.at,
            "deleted_by": change.actor.get_username() if change.actor else None,
        },
    )


@router.patch(
    "/{slug}/plan/{key}",
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Change an action",
)
def update_action(
    request: HttpRequest, slug: Slug, key: ActionKey, payload: ActionChangesIn
) -> dict[str, Any]:
    """Only the fields sent change (`cost: null` removes the cost); a stale
    `version` gets 409 with the current action."""
    assessment = assessment_services.get_assessment(request.user, slug)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    action = services.update_action(
        actor=request.user,
        assessment=assessment,
        key=key,
        changes=changes,
        expected_version=payload.version,
    )
    return action_out(action, set(selectors.plan(assessment).critical))


@router.delete(
    "/{slug}/plan/{key}",
    response={204: None, **ACTION_ERRORS},
    summary="Delete an action",
)
def delete_action(
    request: HttpRequest, slug: Slug, key: ActionKey, version: int, confirm: bool = False
) -> Status[None]:
    """With its progress reports. When other actions start after it, 422
    names them unless `confirm=true`. It can be restored (`…/plan/deleted`)."""
    assessment = assessment_services.get_assessment(request.user, slug)
    services.delete_action(
        actor=request.user,
        assessment=assessment,
        key=key,
        expected_version=version,
        confirmed=confirm,
    )
    return Status(204, None)


@router.post(
    "/{slug}/plan/deleted/{change_id}/restore",
    response={201: ActionOut, **ACTION_ERRORS},
    summary="Restore a deleted action",
)
def restore_action(request: HttpRequest, slug: Slug, change_id: ObjectId) -> Status[dict[str, Any]]:
    """As it was deleted, with its progress reports and dependencies."""
    assessment = assessment_services.get_assessment(request.user, slug)
    action = services.restore_action(actor=request.user, assessment=assessment, change_id=change_id)
    return Status(201, action_out(action, set(selectors.plan(assessment).critical)))
