import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from readiness.actionplans import selectors, services, spreadsheet
from readiness.actionplans.models import Action, Organisation
from readiness.actionplans.schedule import add_months, month_labels
from readiness.assessments import services as assessment_services
from readiness.assessments.access import access_to, check_editable_state
from readiness.assessments.models import Assessment
from readiness.assessments.permissions import Action as Permission
from readiness.core import spreadsheets
from readiness.core.errors import InvalidInput, NotFound
from readiness.core.history import acting_user
from readiness.core.responses import attachment
from readiness.frameworks.models import Dimension


def assessment_for(
    request: HttpRequest, slug: str, action: Permission = Permission.VIEW
) -> Assessment:
    try:
        return assessment_services.get_assessment(request.user, slug, action)
    except NotFound as error:
        raise Http404(str(error)) from None


@dataclass
class Row:
    action: Action
    framework: str
    dimension: Any
    critical: bool
    overdue: bool
    percent: int


def rows_of(assessment: Assessment, view: selectors.PlanView) -> list[Row]:
    today = timezone.localdate()
    rows = []
    for action in view.actions:
        dimensions = list(action.dimensions.all())
        updates = list(action.updates.all())
        ends = (
            add_months(assessment.plan_start, action.end_month) if assessment.plan_start else None
        )
        rows.append(
            Row(
                action=action,
                framework=dimensions[0].framework.key,
                dimension=dimensions[0],
                critical=action.key in view.critical,
                overdue=bool(ends and ends <= today and action.status not in {"done", "dropped"}),
                percent=updates[-1].percent if updates else 0,
            )
        )
    phase_order = {phase: position for position, phase in enumerate(Action.Phase.values)}
    rows.sort(
        key=lambda r: (
            r.framework,
            r.dimension.order,
            phase_order[r.action.phase],
            r.action.start_month,
            r.action.key,
        )
    )
    return rows


@login_required
@require_GET
def plan_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan by dimension and phase, as in the report's Action Plan."""
    return plan_response(request, assessment_for(request, slug))


def plan_response(request: HttpRequest, assessment: Assessment, status: int = 200) -> HttpResponse:
    """The plan page; 422 when it shows why a form sent from it was refused."""
    view = selectors.plan(assessment)
    agency = request.GET.get("agency", "")
    all_rows = rows_of(assessment, view)
    rows = [
        r
        for r in all_rows
        if not agency
        or r.action.responsible.abbreviation == agency
        or agency in {o.abbreviation for o in r.action.supporting.all()}
    ]
    return render(
        request,
        "actionplans/plan.html",
        {
            "assessment": assessment,
            "access": access_to(acting_user(request.user), assessment),
            "rows": rows,
            "agency": agency,
            "agencies": sorted({r.action.responsible.abbreviation for r in all_rows}),
            "critical": view.critical,
            "organisations": Organisation.objects.filter(country_code=assessment.subject_code[:2]),
            "dimensions": [
                d
                for f in assessment.frameworks.prefetch_related("dimensions")
                for d in f.dimensions.all()
            ],
            "all_actions": view.actions,
            "phases": Action.Phase.choices,
            "statuses": Action.Status.choices,
            "summaries": selectors.progress_summaries(view.actions),
            "timeline": selectors.timeline(view.actions)[:50],
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_GET
def grid_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The Tabular View: a bar per action over the plan's months."""
    assessment = assessment_for(request, slug)
    view = selectors.plan(assessment)
    months = month_labels(assessment.plan_start, max(view.months, 12))
    years = [
        {"number": y, "span": sum(1 for m in months if m["year"] == y)}
        for y in sorted({m["year"] for m in months})
    ]
    return render(
        request,
        "actionplans/grid.html",
        {
            "assessment": assessment,
            "rows": rows_of(assessment, view),
            "months": months,
            "years": years,
            "critical": view.critical,
        },
    )


@login_required
@require_POST
def add_action(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = assessment_for(request, slug, Permission.EDIT)
    check_editable_state(assessment)
    post = request.POST
    dimension = (
        Dimension.objects.filter(
            pk=post.get("dimension") or 0, framework__in=assessment.frameworks.all()
        )
        .select_related("framework")
        .first()
    )
    if dimension is None:
        messages.error(request, _("Choose a dimension."))
        return redirect("actionplans:plan", slug=slug)
    action = {
        "key": post.get("key", "").strip(),
        "title": post.get("title", "").strip(),
        "description": post.get("description", ""),
        "dimensions": [dimension.key],
        "phase": post.get("phase", ""),
        "responsible": post.get("responsible", ""),
        "start_month": int(post["start_month"]) if post.get("start_month", "").isdigit() else 0,
        "duration_months": int(post["duration_months"])
        if post.get("duration_months", "").isdigit()
        else 0,
        "cost_text": post.get("cost_text", ""),
        "depends_on": post.getlist("depends_on"),
    }
    try:
        services.import_plan(
            request.user,
            {
                "format": services.FORMAT,
                "assessment": slug,
                "framework": dimension.framework.key,
                "actions": [action],
            },
        )
    except InvalidInput as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Action added."))
    return redirect("actionplans:plan", slug=slug)


@login_required
@require_GET
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = assessment_for(request, slug)
    return attachment(
        spreadsheet.export_plan(assessment), spreadsheet.CONTENT_TYPE, f"{slug}-action-plan.xlsx"
    )


@login_required
@require_POST
def import_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = assessment_for(request, slug, Permission.EDIT)
    check_editable_state(assessment)
    upload = request.FILES.get("workbook")
    if upload is None:
        messages.error(request, _("Choose a workbook to import."))
    else:
        try:
            created = spreadsheet.import_plan_workbook(
                request.user, assessment, spreadsheets.read_upload(upload), upload.name or ""
            )
        except InvalidInput as error:
            messages.error(request, str(error))
            return plan_response(request, assessment, status=422)
        else:
            messages.success(request, _("%d actions imported.") % len(created))
    return redirect("actionplans:plan", slug=slug)


@login_required
@require_POST
def record_progress(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    assessment = assessment_for(request, slug)  # the service says who may track, and when
    post = request.POST
    try:
        when = datetime.date.fromisoformat(post.get("date", ""))
        percent = int(post.get("percent", ""))
    except ValueError:
        messages.error(request, _("Give a date and a percentage."))
    else:
        try:
            services.record_progress(
                actor=request.user,
                assessment=assessment,
                key=key,
                date=when,
                note=post.get("note", ""),
                percent=percent,
                status=post.get("status", ""),
                evidence_url=post.get("evidence_url", ""),
            )
        except InvalidInput as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Progress recorded."))
    return redirect(f"{reverse('actionplans:plan', args=[slug])}#action-{key}")
