import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Body, Field, File, Path, Router, Schema, Status, UploadedFile
from pydantic import StringConstraints

from readiness.actionplans import selectors, services, spreadsheet
from readiness.actionplans.models import Action, Organisation
from readiness.actionplans.services import ActionKey
from readiness.api.errors import READ_ERRORS, UPLOAD_ERRORS, WRITE_ERRORS
from readiness.assessments import services as assessment_services
from readiness.assessments.api import Slug
from readiness.core import spreadsheets
from readiness.core.choices import OneOf
from readiness.core.links import WebUrl
from readiness.core.responses import attachment
from readiness.core.text import LongText, NameText

router = Router(tags=["action plans"])
register_router = Router(tags=["organisations register"])


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


class OrganisationName(Schema):
    en: NameText
    vi: NameText


class OrganisationIn(Schema):
    abbreviation: Annotated[str, StringConstraints(max_length=30)]
    name: OrganisationName
    kind: Organisation.Kind


class OrganisationOut(Schema):
    country: str
    abbreviation: str
    name: dict[str, str]
    kind: str


@register_router.post(
    "/{country}",
    response={201: OrganisationOut, **WRITE_ERRORS},
    summary="Add an organisation to a country's register",
)
def add_organisation(
    request: HttpRequest,
    country: Annotated[str, Path(pattern=r"^[A-Z]{2}$")],
    payload: OrganisationIn,
) -> Status[dict[str, Any]]:
    """Register owners only (actionplans.add_organisation, or a site
    administrator); a plan import never adds to the register for others."""
    organisation = services.add_organisation(request.user, country, payload.dict())
    return Status(
        201,
        {
            "country": organisation.country_code,
            "abbreviation": organisation.abbreviation,
            "name": organisation.name,
            "kind": organisation.kind,
        },
    )
