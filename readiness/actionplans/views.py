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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.actionplans import selectors, services, spreadsheet
from readiness.actionplans.filters import ActionFilters, action_page, critical_keys, is_overdue
from readiness.actionplans.forms import ActionForm, owners_for
from readiness.actionplans.models import Action
from readiness.actionplans.schedule import month_labels
from readiness.assessments import services as assessment_services
from readiness.assessments.access import access_to, check_editable_state
from readiness.assessments.models import Assessment
from readiness.assessments.permissions import Action as Permission
from readiness.core import spreadsheets
from readiness.core.errors import EditConflict, InvalidInput, NotFound
from readiness.core.filtering import PageQuery, read_query
from readiness.core.history import acting_user
from readiness.core.responses import attachment
from readiness.core.text import clean_identifier
from readiness.registry.forms import OwnersForm


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
    """The plan's actions as the plan page and the grid show them, in the
    order of selectors.plan (the frameworks' order of dimensions)."""
    today = timezone.localdate()
    critical = set(view.critical)
    rows = []
    for action in view.actions:
        dimensions = list(action.dimensions.all())
        updates = list(action.updates.all())
        rows.append(
            Row(
                action=action,
                framework=dimensions[0].framework.key,
                dimension=dimensions[0],
                critical=action.key in critical,
                overdue=is_overdue(action, assessment.plan_start, today),
                percent=updates[-1].percent if updates else 0,
            )
        )
    return rows


@login_required
@require_GET
def plan_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan by dimension and phase, as in the report's Action Plan."""
    return plan_response(request, assessment_for(request, slug))


def plan_response(
    request: HttpRequest,
    assessment: Assessment,
    status: int = 200,
    form: ActionForm | None = None,
    owners: OwnersForm | None = None,
) -> HttpResponse:
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
    access = access_to(acting_user(request.user), assessment)
    if form is None and access.can_edit_now:
        form = ActionForm(assessment=assessment, initial=request.GET.dict())
    return render(
        request,
        "actionplans/plan.html",
        {
            "assessment": assessment,
            "access": access,
            "rows": rows,
            "actions": [r.action for r in rows],
            "agency": agency,
            "agencies": sorted({r.action.responsible.abbreviation for r in all_rows}),
            "critical": selectors.critical_actions(view),
            "form": form,
            "owners": owners or owners_for(assessment),
            "statuses": Action.Status.choices,
            "summaries": selectors.progress_summaries(view.actions),
            "timeline": selectors.timeline(view.actions)[:50],
            "today": timezone.localdate(),
            "deleted": services.deleted_actions(assessment) if access.can_edit_now else [],
        },
        status=status,
    )


@login_required
@require_GET
def action_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan's actions, searched, filtered, sorted and paged as in the API."""
    assessment = assessment_for(request, slug)
    today = timezone.localdate()
    filters = read_query(ActionFilters, request.GET)
    page = action_page(assessment, filters, read_query(PageQuery, request.GET), today)
    critical = critical_keys(assessment)
    rows = [
        (action, action.key in critical, is_overdue(action, assessment.plan_start, today))
        for action in page.items
    ]
    return render(
        request,
        "actionplans/action_list.html",
        {
            "assessment": assessment,
            "page": page,
            "rows": rows,
            "filters": filters,
            "phases": Action.Phase.choices,
            "statuses": Action.Status.choices,
        },
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
            "critical": selectors.critical_actions(view),
        },
    )


@login_required
@require_POST
def add_action(request: HttpRequest, slug: str) -> HttpResponse:
    """Add one action; a refusal shows the form again, as typed, with each
    error beside its field."""
    assessment = assessment_for(request, slug, Permission.EDIT)
    check_editable_state(assessment)
    form = ActionForm(request.POST, assessment=assessment)
    owners = owners_for(assessment, data=request.POST)
    if form.is_valid() and owners.is_valid():
        try:
            action = services.add_action(
                request.user, assessment, form.framework_key(), form.document(owners)
            )
        except InvalidInput as error:
            form.add_service_errors(owners, error)
        else:
            messages.success(request, _("Action added."))
            return redirect(f"{reverse('actionplans:plan', args=[slug])}#action-{action.key}")
    return plan_response(request, assessment, status=422, form=form, owners=owners)


def action_for(assessment: Assessment, key: str) -> Action:
    action = (
        assessment.actions.select_related("responsible")
        .prefetch_related("dimensions__framework", "supporting", "depends_on")
        .filter(key=clean_identifier(key) or "")
        .first()
    )
    if action is None:
        raise Http404(_("no action %s") % key)
    return action


@login_required
@require_http_methods(["GET", "POST"])
def edit_action(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Edit one action; a save based on an older version is refused (409)
    and shows what was saved in the meantime beside what was typed."""
    assessment = assessment_for(request, slug, Permission.EDIT)
    check_editable_state(assessment)
    action = action_for(assessment, key)
    conflict = None
    if request.method == "GET":
        form = ActionForm.for_action(assessment, action)
        owners = owners_for(assessment, action)
    else:
        form = ActionForm(request.POST, assessment=assessment, action=action)
        owners = owners_for(assessment, action, data=request.POST)
        if form.is_valid() and owners.is_valid():
            try:
                saved = services.update_action(
                    actor=request.user,
                    assessment=assessment,
                    key=action.key,
                    changes=form.document(owners),
                    expected_version=form.cleaned_data["version"],
                )
            except InvalidInput as error:
                form.add_service_errors(owners, error)
            except EditConflict as error:
                conflict = error
                # Saving again, having seen the stored action, is a deliberate overwrite.
                data = request.POST.copy()
                data["version"] = str(error.current_version)
                form.data = data
            else:
                messages.success(request, _("The action is saved."))
                return redirect(f"{reverse('actionplans:plan', args=[slug])}#action-{saved.key}")
    status = 409 if conflict else 422 if form.errors or owners.errors else 200
    return render(
        request,
        "actionplans/action_form.html",
        {
            "assessment": assessment,
            "action": action,
            "form": form,
            "owners": owners,
            "conflict": conflict,
            "dependents": services.dependents(action),
        },
        status=status,
    )


@login_required
@require_POST
def delete_action(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Delete one action. When others start after it, a page first asks to
    confirm; the deletion can be undone on the plan page."""
    assessment = assessment_for(request, slug, Permission.EDIT)
    check_editable_state(assessment)
    action = action_for(assessment, key)
    version = request.POST.get("version", "")
    try:
        services.delete_action(
            actor=request.user,
            assessment=assessment,
            key=action.key,
            expected_version=int(version) if version.isdigit() else None,
            confirmed=request.POST.get("confirmed") == "yes",
        )
    except InvalidInput:  # others depend on it: ask first
        return render(
            request,
            "actionplans/action_delete.html",
            {"assessment": assessment, "action": action, "dependents": services.dependents(action)},
        )
    except EditConflict as error:
        messages.error(request, str(error))
        return redirect("actionplans:edit-action", slug=slug, key=action.key)
    messages.success(
        request,
        _("“%(title)s” is deleted. It can be restored below, under “Deleted actions”.")
        % {"title": action.title},
    )
    return redirect(f"{reverse('actionplans:plan', args=[slug])}#deleted-actions")


@login_required
@require_POST
def restore_action(request: HttpRequest, slug: str, change_id: int) -> HttpResponse:
    assessment = assessment_for(request, slug, Permission.EDIT)
    check_editable_state(assessment)
    try:
        action = services.restore_action(
            actor=request.user, assessment=assessment, change_id=change_id
        )
    except InvalidInput as error:
        messages.error(request, str(error))
        return redirect("actionplans:plan", slug=slug)
    messages.success(request, _("“%(title)s” is restored.") % {"title": action.title})
    return redirect(f"{reverse('actionplans:plan', args=[slug])}#action-{action.key}")


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
