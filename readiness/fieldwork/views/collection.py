"""Offline collection in the web: a framework's XLSForm, and the submissions
imported from KoboToolbox and ODK Central with the ratings they propose."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from readiness.assessments.access import access_to, check_editable_state
from readiness.assessments.models import Assessment
from readiness.assessments.permissions import Action
from readiness.assessments.selectors import assessment_frameworks
from readiness.assessments.services.assessments import get_assessment
from readiness.core.errors import EditConflict, InvalidInput
from readiness.core.filtering import PageQuery, read_query
from readiness.core.history import acting_user
from readiness.core.responses import attachment
from readiness.fieldwork import xlsform
from readiness.fieldwork.filters import ProposalFilters
from readiness.fieldwork.forms import DecisionForm, SubmissionsForm
from readiness.fieldwork.models import ProposedRating
from readiness.fieldwork.services import submissions as services
from readiness.frameworks.services import get_framework


@login_required
@require_GET
def framework_xlsform(request: HttpRequest, key: str, version: str) -> HttpResponse:
    framework = get_framework(key, version)
    return attachment(
        xlsform.build_xlsform(framework), xlsform.CONTENT_TYPE, xlsform.xlsform_filename(framework)
    )


def submissions_address(assessment: Assessment) -> str:
    return reverse("fieldwork:submissions", args=[assessment.slug])


def submissions_response(
    request: HttpRequest, assessment: Assessment, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The forms to collect with, the import form and the proposed ratings,
    filtered and paged as in the API, each beside the rating it would change."""
    user = acting_user(request.user)
    filters = read_query(ProposalFilters, request.GET)
    paging = read_query(PageQuery, request.GET)
    page = services.proposal_page(
        assessment, status=filters.status, cursor=paging.cursor, limit=paging.limit
    )
    ratings = services.current_ratings(
        request.user, assessment, [proposal.question_id for proposal in page.items]
    )
    rows = [(proposal, ratings.get(proposal.question_id)) for proposal in page.items]
    context = {
        "assessment": assessment,
        "access": access_to(user, assessment),
        "frameworks": assessment_frameworks(assessment),
        "page": page,
        "rows": rows,
        "filters": filters,
        "statuses": ProposedRating.Status.choices,
        "form": SubmissionsForm(),
        **extra,
    }
    return render(request, "fieldwork/submissions.html", context, status=status)


@login_required
@require_GET
def submissions(request: HttpRequest, slug: str) -> HttpResponse:
    return submissions_response(request, get_assessment(request.user, slug))


@login_required
@require_GET
def imports(request: HttpRequest, slug: str) -> HttpResponse:
    """Every import of submissions, newest first."""
    assessment = get_assessment(request.user, slug)
    paging = read_query(PageQuery, request.GET)
    page = services.import_page(assessment, cursor=paging.cursor, limit=paging.limit)
    return render(request, "fieldwork/imports.html", {"assessment": assessment, "page": page})


def editable_assessment(request: HttpRequest, slug: str) -> Assessment:
    assessment = get_assessment(request.user, slug, Action.EDIT)
    check_editable_state(assessment)
    return assessment


@login_required
@require_POST
def import_submissions(request: HttpRequest, slug: str) -> HttpResponse:
    """All or nothing: the counts and warnings as a message, or the errors,
    naming the row and field, above the form."""
    assessment = editable_assessment(request, slug)
    form = SubmissionsForm(request.POST, request.FILES)
    if not form.is_valid():
        return submissions_response(request, assessment, status=422, form=form)
    upload = form.cleaned_data["file"]
    source = upload.name or "upload"
    try:
        outcome = services.import_submissions(
            actor=request.user,
            assessment=assessment,
            data=services.read_upload(upload, source),
            source=source,
        )
    except InvalidInput as error:
        return submissions_response(request, assessment, status=422, form=form, error=error)
    messages.success(
        request,
        _(
            "%(read)d submissions read: %(added)d added, %(skipped)d imported before; "
            "%(evidence)d evidence items, %(proposals)d ratings proposed"
        )
        % {
            "read": outcome.read,
            "added": outcome.added,
            "skipped": outcome.skipped,
            "evidence": outcome.evidence_added,
            "proposals": outcome.proposals_added,
        },
    )
    for warning in outcome.warnings:
        messages.warning(request, warning)
    return redirect(submissions_address(assessment))


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, proposal_id: int, decision: str) -> HttpResponse:
    """Accept or dismiss; a refusal or a conflict (someone decided or rated
    in between) is said as a message, and the list shows what is stored now."""
    assessment = editable_assessment(request, slug)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The decision was not understood; please try again."))
        return redirect(submissions_address(assessment))
    data = form.cleaned_data
    try:
        if decision == "accept":
            services.accept_proposal(
                actor=request.user,
                assessment=assessment,
                proposal_id=proposal_id,
                expected_version=data["version"],
                replace_rating_version=data["replace_rating_version"],
            )
            messages.success(request, _("The proposed rating is recorded."))
        else:
            services.dismiss_proposal(
                actor=request.user,
                assessment=assessment,
                proposal_id=proposal_id,
                expected_version=data["version"],
            )
            messages.success(request, _("The proposed rating is dismissed."))
    except (InvalidInput, EditConflict) as error:
        messages.error(request, str(error))
    return redirect(submissions_address(assessment))
