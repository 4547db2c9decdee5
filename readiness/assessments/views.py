"""Web views: parse the form, call a service, render. HTMX requests get the
changed fragment back; other requests get the whole page (the forms work
without JavaScript)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.assessments import selectors, services
from readiness.assessments.access import access_to, require_reconciliation, visible_assessments
from readiness.assessments.forms import AssessmentForm, EvidenceForm, RatingForm, VerdictForm
from readiness.assessments.models import Assessment, Evidence
from readiness.assessments.permissions import Action, Role, may_create_assessments
from readiness.assessments.selectors import (
    DimensionState,
    dimension_workspace,
    overview,
)
from readiness.core.errors import EditConflict, InvalidInput, NotFound
from readiness.core.history import acting_user
from readiness.frameworks.models import Dimension, Question
from readiness.reviews.selectors import assessment_threads, dimension_threads, threads_by_question


def assessment_or_404(request: HttpRequest, slug: str, action: Action = Action.VIEW) -> Assessment:
    """The assessment if the user may do `action` (Forbidden is a 403, via
    ServiceErrorMiddleware); a 404 for non-members."""
    try:
        return services.get_assessment(request.user, slug, action)
    except NotFound as error:
        raise Http404(str(error)) from None


def add_service_errors(form: Any, error: InvalidInput) -> None:
    for item in error.errors:
        field = item.path if item.path in form.fields else None
        form.add_error(field, item.message)


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    assessments = visible_assessments(request.user).prefetch_related("frameworks")
    return render(
        request,
        "assessments/list.html",
        {"assessments": assessments, "may_create": may_create_assessments(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest) -> HttpResponse:
    services.require_may_create(request.user)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.create_assessment(
                actor=request.user,
                slug=data["slug"],
                title=data["title"],
                subject_kind=data["subject_kind"],
                subject_code=data["subject_code"],
                subject_name=data["subject_name"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                description=data["description"],
                frameworks=list(data["frameworks"]),
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        else:
            return redirect("assessments:overview", slug=assessment.slug)
    status = 422 if form.errors else 200
    return render(request, "assessments/create.html", {"form": form}, status=status)


@login_required
@require_GET
def assessment_overview(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = assessment_or_404(request, slug)
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "access": access_to(acting_user(request.user), assessment),
            "framework_states": overview(assessment),
            "roles": Role.choices,
            "assessment_threads": assessment_threads(assessment),
        },
    )


def workspace_context(
    request: HttpRequest, assessment: Assessment, framework_key: str, dimension_key: str
) -> dict[str, Any]:
    states = overview(assessment)
    framework_state = next((s for s in states if s.framework.key == framework_key), None)
    if framework_state is None:
        raise Http404(_("This assessment does not use that framework."))
    dimension = next(
        (d.dimension for d in framework_state.dimensions if d.dimension.key == dimension_key),
        None,
    )
    if dimension is None:
        raise Http404(_("No such dimension."))
    user = acting_user(request.user)
    dimension_state = dimension_workspace(assessment, states, dimension, user)
    comments = threads_by_question(assessment, [q.question for q in dimension_state.questions])
    for state in dimension_state.questions:
        state.threads = comments.get(state.question.pk, [])
    return {
        "assessment": assessment,
        "access": access_to(user, assessment),
        "framework_states": states,
        "framework_state": framework_state,
        "dimension_state": dimension_state,
        "dimension_threads": dimension_threads(assessment, dimension),
    }


@login_required
@require_GET
def dimension_page(
    request: HttpRequest, slug: str, framework_key: str, dimension_key: str
) -> HttpResponse:
    assessment = assessment_or_404(request, slug)
    context = workspace_context(request, assessment, framework_key, dimension_key)
    return render(request, "assessments/workspace.html", context)


def question_response(
    request: HttpRequest,
    assessment: Assessment,
    question_id: int,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """Re-render one question (and the dimension summary beside it)."""
    dimension = (
        Dimension.objects.select_related("framework").filter(questions__pk=question_id).first()
    )
    if dimension is None:
        raise Http404(_("No such question."))
    context = workspace_context(request, assessment, dimension.framework.key, dimension.key)
    dimension_state: DimensionState = context["dimension_state"]
    state = next(q for q in dimension_state.questions if q.question.pk == question_id)
    if not request.htmx and status == 200:  # type: ignore[attr-defined]
        url = reverse(
            "assessments:dimension", args=[assessment.slug, dimension.framework.key, dimension.key]
        )
        return redirect(f"{url}#q-{question_id}")
    rating_form = extra.get("rating_form")
    if rating_form is not None:
        state.form_values = {
            "level": rating_form.data.get("level", ""),
            "rationale": rating_form.data.get("rationale", ""),
            "cited": {int(v) for v in rating_form.data.getlist("cited_evidence") if v.isdigit()},
            "version": rating_form.data.get("version", ""),
        }
    conflict = extra.get("conflict")
    if conflict is not None:
        # The user has now seen the other value: saving again is a deliberate
        # overwrite, so the form carries the current version.
        state.form_values["version"] = conflict.current_version or ""
        extra["conflict_level"] = next(
            (
                lvl
                for lvl in context["framework_state"].levels
                if lvl.code == conflict.current.get("level")
            ),
            None,
        )
    context.update(extra, focus_question=question_id)
    if not request.htmx:  # type: ignore[attr-defined]
        return render(request, "assessments/workspace.html", context, status=status)
    context.update(q=state, oob_summary=True)
    return render(request, "assessments/_question_response.html", context)


def question_of(assessment: Assessment, question_id: int) -> Any:
    question = (
        Question.objects.select_related("framework", "dimension")
        .filter(pk=question_id, framework__in=assessment.frameworks.all())
        .first()
    )
    if question is None:
        raise Http404(_("No such question in this assessment."))
    return question


@login_required
@require_POST
def add_evidence(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    assessment = assessment_or_404(request, slug, Action.EDIT)
    question = question_of(assessment, question_id)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            services.add_evidence(
                actor=request.user, assessment=assessment, question=question, **form.cleaned_data
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        else:
            return question_response(request, assessment, question.pk, added_evidence=True)
    return question_response(request, assessment, question.pk, status=422, evidence_form=form)


@login_required
@require_POST
def rate_question(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    assessment = assessment_or_404(request, slug, Action.EDIT)
    question = question_of(assessment, question_id)
    evidence_ids = list(
        Evidence.objects.filter(assessment=assessment, question=question).values_list(
            "pk", flat=True
        )
    )
    form = RatingForm(request.POST, evidence_ids=evidence_ids)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.rate_question(
                actor=request.user,
                assessment=assessment,
                question=question,
                level_code=data["level"],
                rationale=data["rationale"],
                cited_evidence_ids=data["cited_evidence"],
                expected_version=data["version"],
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            return question_response(
                request, assessment, question.pk, status=409, rating_form=form, conflict=conflict
            )
        else:
            return question_response(request, assessment, question.pk, saved_rating=True)
    return question_response(request, assessment, question.pk, status=422, rating_form=form)


@login_required
@require_POST
def record_verdict(
    request: HttpRequest, slug: str, framework_key: str, dimension_key: str
) -> HttpResponse:
    assessment = assessment_or_404(request, slug, Action.EDIT)
    try:
        dimension = services.assessment_dimension(assessment, framework_key, dimension_key)
    except NotFound as error:
        raise Http404(str(error)) from None
    form = VerdictForm(request.POST)
    conflict = None
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_verdict(
                actor=request.user,
                assessment=assessment,
                dimension=dimension,
                level_code=data["level"],
                importance_code=data["importance"] or None,
                commentary=data["commentary"],
                override_reason=data["override_reason"],
                expected_version=data["version"],
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        except EditConflict as error:
            conflict = error
        else:
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, _("Verdict saved."))
                return redirect("assessments:dimension", slug, framework_key, dimension_key)
            saved = True
    context = workspace_context(request, assessment, framework_key, dimension_key)
    context.update(
        verdict_form=None if saved else form, verdict_conflict=conflict, saved_verdict=saved
    )
    status = 200 if saved else 409 if conflict else 422
    template = "assessments/_summary.html" if request.htmx else "assessments/workspace.html"  # type: ignore[attr-defined]
    if request.htmx:  # type: ignore[attr-defined]
        status = 200  # htmx swaps only successful responses; the fragment shows the errors
    return render(request, template, context, status=status)


@login_required
@require_POST
def set_member(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = assessment_or_404(request, slug)
    username = request.POST.get("username", "").strip()
    try:
        if request.POST.get("remove"):
            services.remove_member(actor=request.user, assessment=assessment, username=username)
        else:
            services.set_member(
                actor=request.user,
                assessment=assessment,
                username=username,
                role=request.POST.get("role", ""),
            )
    except InvalidInput as error:
        messages.error(request, str(error))
    return redirect("assessments:overview", slug=slug)


@login_required
@require_POST
def set_rating_mode(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = assessment_or_404(request, slug)
    services.set_rating_mode(
        actor=request.user,
        assessment=assessment,
        independent=request.POST.get("independent") == "1",
        reconciliation_open=request.POST.get("reconciliation_open") == "1",
    )
    messages.success(request, _("Rating mode saved."))
    return redirect("assessments:overview", slug=slug)


@login_required
@require_GET
def question_history(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    assessment = assessment_or_404(request, slug)
    question = question_of(assessment, question_id)
    user = acting_user(request.user)
    return render(
        request,
        "assessments/_history.html",
        {
            "assessment": assessment,
            "access": access_to(user, assessment),
            "question": question,
            "changes": selectors.question_history(assessment, question, user),
        },
    )


@login_required
@require_POST
def restore_change(request: HttpRequest, slug: str, change_id: int) -> HttpResponse:
    assessment = assessment_or_404(request, slug)
    change = services.restore_change(actor=request.user, assessment=assessment, change_id=change_id)
    messages.success(request, _("The earlier value is restored."))
    if change.question_id is not None:
        question = Question.objects.select_related("framework", "dimension").get(
            pk=change.question_id
        )
        url = reverse(
            "assessments:dimension",
            args=[slug, question.framework.key, question.dimension.key],
        )
        return redirect(f"{url}#q-{question.pk}")
    return redirect("assessments:overview", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def reconcile(
    request: HttpRequest, slug: str, framework_key: str, dimension_key: str
) -> HttpResponse:
    assessment = assessment_or_404(request, slug)
    dimension = services.assessment_dimension(assessment, framework_key, dimension_key)
    require_reconciliation(request.user, assessment, Action.SEE_RECONCILIATION)
    errors: dict[int, str] = {}
    if request.method == "POST":
        question = question_of(assessment, int(request.POST.get("question") or 0))
        version = request.POST.get("version")
        try:
            services.record_agreed_rating(
                actor=request.user,
                assessment=assessment,
                question=question,
                level_code=request.POST.get("level", ""),
                rationale=request.POST.get("rationale", ""),
                expected_version=int(version) if version and version.isdigit() else None,
            )
        except (InvalidInput, EditConflict) as error:
            errors[question.pk] = str(error)
        else:
            url = reverse("assessments:reconcile", args=[slug, framework_key, dimension_key])
            return redirect(f"{url}#q-{question.pk}")
    rows, agreement = selectors.reconciliation(assessment, dimension)
    return render(
        request,
        "assessments/reconcile.html",
        {
            "assessment": assessment,
            "access": access_to(acting_user(request.user), assessment),
            "dimension": dimension,
            "levels": list(dimension.framework.levels.all()),
            "rows": rows,
            "agreement": agreement,
            "errors": errors,
        },
        status=422 if errors else 200,
    )
