"""Web views: parse the form, call a service, render. HTMX requests get the
changed fragment back; other requests get the whole page (the forms work
without JavaScript)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.assessments import selectors, services
from readiness.assessments.access import access_to, check_editable_state, require_reconciliation
from readiness.assessments.filters import (
    AssessmentFilters,
    EvidenceFilters,
    assessment_page,
    evidence_page,
)
from readiness.assessments.forms import (
    AssessmentDetailsForm,
    AssessmentForm,
    EvidenceForm,
    RatingForm,
    VerdictForm,
)
from readiness.assessments.models import Assessment, Evidence
from readiness.assessments.permissions import (
    NEW_MEMBER_ROLE,
    Action,
    Role,
    State,
    may_create_assessments,
)
from readiness.assessments.selectors import (
    DimensionState,
    dimension_workspace,
    overview,
)
from readiness.core.bilingual import pick
from readiness.core.errors import EditConflict, InvalidInput, NotFound
from readiness.core.filtering import PageQuery, read_query
from readiness.core.history import acting_user
from readiness.frameworks.models import Dimension, Framework, Question


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
    """Searched, filtered, sorted and paged as the API's list, its state in the address."""
    filters = read_query(AssessmentFilters, request.GET)
    page = assessment_page(request.user, filters, read_query(PageQuery, request.GET))
    return render(
        request,
        "assessments/list.html",
        {
            "page": page,
            "filters": filters,
            "states": State.choices,
            "frameworks": sorted(set(Framework.objects.values_list("key", flat=True))),
            "may_create": may_create_assessments(request.user),
        },
    )


@login_required
@require_GET
def evidence_list(request: HttpRequest, slug: str) -> HttpResponse:
    """All of an assessment's evidence, searched, filtered, sorted and paged."""
    assessment = assessment_or_404(request, slug)
    filters = read_query(EvidenceFilters, request.GET)
    page = evidence_page(assessment, filters, read_query(PageQuery, request.GET))
    return render(
        request,
        "assessments/evidence_list.html",
        {
            "assessment": assessment,
            "page": page,
            "filters": filters,
            "frameworks": selectors.assessment_frameworks(assessment),
            "signs": Evidence.Sign.choices,
            "source_kinds": Evidence.SourceKind.choices,
        },
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
    return overview_page(request, assessment_or_404(request, slug))


def overview_page(request: HttpRequest, assessment: Assessment, status: int = 200) -> HttpResponse:
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "access": access_to(acting_user(request.user), assessment),
            "framework_states": overview(assessment),
            "roles": Role.choices,
            "new_member_role": NEW_MEMBER_ROLE,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_details(request: HttpRequest, slug: str) -> HttpResponse:
    """The lead changes the title, subject, period and description; a save
    based on a stale version is refused (409) and shows what is stored now."""
    assessment = assessment_or_404(request, slug)
    services.require_details_editable(request.user, assessment)
    form = AssessmentDetailsForm(
        request.POST or None,
        initial={
            **{name: getattr(assessment, name) for name in AssessmentDetailsForm.DETAILS},
            "version": assessment.version,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_details(
                actor=request.user,
                assessment=assessment,
                expected_version=data["version"],
                **{name: data[name] for name in AssessmentDetailsForm.DETAILS},
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        except EditConflict as error:
            conflict = error
            # Saving again, having seen the stored details, is a deliberate overwrite.
            typed = request.POST.copy()
            typed["version"] = str(error.current_version)
            form = AssessmentDetailsForm(typed)
        else:
            messages.success(request, _("The details are saved."))
            return redirect("assessments:overview", slug=slug)
    status = 409 if conflict else 422 if form.errors else 200
    return render(
        request,
        "assessments/details.html",
        {"assessment": assessment, "form": form, "conflict": conflict},
        status=status,
    )


def workspace_context(
    request: HttpRequest,
    assessment: Assessment,
    framework_key: str,
    dimension_key: str,
    *,
    question_id: int | None = None,
) -> dict[str, Any]:
    """What the workspace of a dimension shows: the part of its questions that
    holds `question_id`, else the part the address asks for."""
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
    access = access_to(user, assessment)
    part, asked_question = requested_place(request)
    try:
        dimension_state = dimension_workspace(
            assessment,
            states,
            dimension,
            user,
            part=part,
            question_id=question_id or asked_question,
        )
    except NotFound as error:
        raise Http404(str(error)) from None
    if access.sees_reconciliation:
        rows, _agreement = selectors.reconciliation(assessment, dimension)
        disagreeing = {row.question.pk for row in rows if row.disagrees}
        for state in dimension_state.questions:
            state.disagrees = state.question.pk in disagreeing
    mine = {question.pk for question in selectors.my_questions(assessment, user)}
    for state in dimension_state.questions:
        state.assigned = state.question.pk in mine
    dimensions = framework_state.dimensions
    position = next(i for i, d in enumerate(dimensions) if d.dimension.pk == dimension.pk)
    return {
        "assessment": assessment,
        "access": access,
        "framework_states": states,
        "framework_state": framework_state,
        "dimension_state": dimension_state,
        "framework_progress": (
            sum(d.rated_count for d in dimensions),
            sum(d.question_count for d in dimensions),
        ),
        # Where "next unrated" goes once this dimension is done: the next one
        # in the framework's order (coming round to the first) with gaps.
        "next_unrated_dimension": next(
            (
                d
                for d in dimensions[position + 1 :] + dimensions[:position]
                if d.rated_count < d.question_count
            ),
            None,
        )
        # In a dimension shown in parts, the unrated questions may be in another part.
        if dimension_state.rated_count == dimension_state.question_count
        or dimension_state.parts == 1
        else None,
    }


def requested_place(request: HttpRequest) -> tuple[int, int | None]:
    """The part of a long dimension the address asks for (`?part=2`), or the
    question whose part it wants (`?question=ID`, from links to a question)."""
    question = request.GET.get("question", "")
    if question.isascii() and question.isdigit():
        return 1, int(question)
    part = request.GET.get("part", "1")
    if not (part.isascii() and part.isdigit()):
        raise Http404(_("This dimension has no part %(part)s.") % {"part": part})
    return int(part), None


# The workspace body is cached by revision: its key holds the assessment's
# latest change (every change to its content, team, mode or state leaves a
# ChangeRecord), the user (role, own ratings), language and time zone. Forms
# in the cached HTML carry a placeholder for the CSRF token, filled per request.
WORKSPACE_CACHE_SECONDS = 3600
CSRF_PLACEHOLDER = "__workspace_csrf_token__"


def workspace_cache_key(
    request: HttpRequest, assessment: Assessment, revision: int, page: str
) -> str:
    user = acting_user(request.user)
    who = f"{user.pk}:{int(user.is_superuser)}" if user is not None else "system"
    place = f"{get_language()}:{timezone.get_current_timezone_name()}"
    # The creation time too: SQLite may give a deleted assessment's ids to a new one.
    made = assessment.created_at.timestamp()
    return f"workspace:{assessment.pk}:{made}:{revision}:{who}:{place}:{page}"


@login_required
@require_GET
def dimension_page(
    request: HttpRequest, slug: str, framework_key: str, dimension_key: str
) -> HttpResponse:
    assessment = assessment_or_404(request, slug)
    try:
        dimension = services.assessment_dimension(assessment, framework_key, dimension_key)
    except NotFound as error:
        raise Http404(str(error)) from None
    revision = selectors.workspace_revision(assessment)
    # The marks of what changed since the last visit are per visit, so they
    # stay out of the cached body: the page's script applies them.
    since = services.record_visit(request.user, assessment, dimension, revision)  # type: ignore[arg-type]
    part, question_id = requested_place(request)
    place = f"{framework_key}:{dimension_key}:{part}:{question_id or ''}"
    key = workspace_cache_key(request, assessment, revision, place)
    cached = cache.get(key)
    if cached is None:
        context = workspace_context(request, assessment, framework_key, dimension_key)
        body = render_to_string(
            "assessments/_workspace_body.html",
            {**context, "csrf_token": CSRF_PLACEHOLDER},
            request=request,
        )
        title = f"{pick(context['dimension_state'].dimension.title)} · {assessment.title}"
        cached = (title, body)
        cache.set(key, cached, WORKSPACE_CACHE_SECONDS)
    title, body = cached
    return render(
        request,
        "assessments/workspace.html",
        {
            "workspace_title": title,
            "changed_questions": selectors.changed_questions(
                assessment, dimension, acting_user(request.user), since
            ),
            # The body was escaped when it was rendered.
            "workspace_body": mark_safe(body.replace(CSRF_PLACEHOLDER, get_token(request))),
        },
    )


def question_response(
    request: HttpRequest,
    assessment: Assessment,
    question_id: int,
    status: int = 200,
    keep_page: bool = False,
    **extra: Any,
) -> HttpResponse:
    """Re-render one question (and the dimension summary beside it). Without
    htmx a success redirects to the page, unless `keep_page` (a form or a
    question to answer is shown in the question)."""
    dimension = (
        Dimension.objects.select_related("framework").filter(questions__pk=question_id).first()
    )
    if dimension is None:
        raise Http404(_("No such question."))
    context = workspace_context(
        request, assessment, dimension.framework.key, dimension.key, question_id=question_id
    )
    dimension_state: DimensionState = context["dimension_state"]
    state = next(q for q in dimension_state.questions if q.question.pk == question_id)
    if not request.htmx and status == 200 and not keep_page:  # type: ignore[attr-defined]
        url = reverse(
            "assessments:dimension", args=[assessment.slug, dimension.framework.key, dimension.key]
        )
        return redirect(f"{url}?question={question_id}#q-{question_id}")
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


# Who may be given questions to work on: those who may rate them.
RATERS = {Role.LEAD, Role.ASSESSOR}
EVIDENCE_FIELDS = (
    "sign",
    "text",
    "source_kind",
    "reference_title",
    "reference_url",
    "date",
    "author",
)


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
            fields = {name: form.cleaned_data[name] for name in EVIDENCE_FIELDS}
            services.add_evidence(
                actor=request.user, assessment=assessment, question=question, **fields
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        else:
            return question_response(request, assessment, question.pk, added_evidence=True)
    return question_response(request, assessment, question.pk, status=422, evidence_form=form)


def evidence_of(assessment: Assessment, evidence_id: int) -> Evidence:
    evidence = Evidence.objects.filter(pk=evidence_id, assessment=assessment).first()
    if evidence is None:
        raise Http404(_("No such evidence item in this assessment."))
    return evidence


@login_required
@require_http_methods(["GET", "POST"])
def edit_evidence(request: HttpRequest, slug: str, evidence_id: int) -> HttpResponse:
    """The evidence form in place of the item; a save based on a stale version
    is refused (409) and shows what is stored now, keeping what was typed."""
    assessment = assessment_or_404(request, slug, Action.EDIT)
    check_editable_state(assessment)  # the form is offered only where it can be saved
    evidence = evidence_of(assessment, evidence_id)
    if request.method == "GET":
        form = EvidenceForm(
            initial={
                **{name: getattr(evidence, name) for name in EVIDENCE_FIELDS},
                "version": evidence.version,
            }
        )
        return question_response(
            request,
            assessment,
            evidence.question_id,
            keep_page=True,
            editing_evidence=evidence.pk,
            evidence_edit_form=form,
        )
    form = EvidenceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_evidence(
                actor=request.user,
                assessment=assessment,
                evidence_id=evidence.pk,
                expected_version=data.pop("version"),
                changes=data,
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            # Saving again, having seen the stored item, is a deliberate overwrite.
            seen = request.POST.copy()
            seen["version"] = str(conflict.current_version)
            form = EvidenceForm(seen)
            form.is_valid()
            return question_response(
                request,
                assessment,
                evidence.question_id,
                status=409,
                editing_evidence=evidence.pk,
                evidence_edit_form=form,
                evidence_conflict=conflict,
            )
        else:
            return question_response(
                request, assessment, evidence.question_id, saved_evidence=evidence.pk
            )
    return question_response(
        request,
        assessment,
        evidence.question_id,
        status=422,
        editing_evidence=evidence.pk,
        evidence_edit_form=form,
    )


@login_required
@require_POST
def delete_evidence(request: HttpRequest, slug: str, evidence_id: int) -> HttpResponse:
    """Deleting an item a rating cites asks first; the deletion can be undone
    from the question's history (the answer offers it at once)."""
    assessment = assessment_or_404(request, slug, Action.EDIT)
    evidence = evidence_of(assessment, evidence_id)
    version = request.POST.get("version", "")
    citations = selectors.evidence_citations(evidence)
    if citations and request.POST.get("confirm") != "1":
        return question_response(
            request,
            assessment,
            evidence.question_id,
            keep_page=True,
            confirm_delete=evidence.pk,
            citations=citations,
        )
    try:
        services.delete_evidence(
            actor=request.user,
            assessment=assessment,
            evidence_id=evidence.pk,
            expected_version=int(version) if version.isdigit() else None,
        )
    except EditConflict as conflict:
        return question_response(
            request, assessment, evidence.question_id, status=409, evidence_conflict=conflict
        )
    return question_response(
        request,
        assessment,
        evidence.question_id,
        deleted_evidence=selectors.latest_change(assessment, "evidence", evidence.pk),
    )


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
    version = request.POST.get("version", "")
    expected_version = int(version) if version.isdigit() else None
    try:
        if request.POST.get("remove"):
            services.remove_member(
                actor=request.user,
                assessment=assessment,
                username=username,
                expected_version=expected_version,
            )
        else:
            services.set_member(
                actor=request.user,
                assessment=assessment,
                username=username,
                role=request.POST.get("role", ""),
                expected_version=expected_version,
            )
    except InvalidInput as error:
        messages.error(request, str(error))
    except EditConflict as conflict:
        messages.error(request, str(conflict))
        return overview_page(request, assessment, status=409)
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
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest, slug: str) -> HttpResponse:
    """Who works on which dimension or question; the lead assigns and removes."""
    assessment = assessment_or_404(request, slug)
    user = acting_user(request.user)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.unassign(
                    actor=request.user,
                    assessment=assessment,
                    assignment_id=int(request.POST["remove"])
                    if request.POST["remove"].isdigit()
                    else 0,
                )
            else:
                framework_key, _sep, target = request.POST.get("target", "").partition(":")
                kind, _sep, key = target.partition(":")
                services.assign(
                    actor=request.user,
                    assessment=assessment,
                    username=request.POST.get("username", ""),
                    framework_key=framework_key,
                    dimension_key=key if kind == "dimension" else None,
                    question_key=key if kind == "question" else None,
                )
        except (InvalidInput, NotFound) as problem:
            error = str(problem)
        else:
            messages.success(request, _("The assignments are saved."))
            return redirect("assessments:assignments", slug=slug)
    return render(
        request,
        "assessments/assignments.html",
        {
            "assessment": assessment,
            "access": access_to(user, assessment),
            "assignments": selectors.assignments_of(assessment),
            "members": [
                m for m in assessment.memberships.select_related("user") if m.role in RATERS
            ],
            "frameworks": selectors.assessment_frameworks(assessment),
            "questions": Question.objects.filter(framework__in=assessment.frameworks.all())
            .select_related("framework", "dimension")
            .order_by("framework__key", "order"),
            "error": error,
        },
        status=422 if error else 200,
    )


@login_required
@require_GET
def my_questions(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = assessment_or_404(request, slug)
    return render(
        request,
        "assessments/my_questions.html",
        {
            "assessment": assessment,
            "questions": selectors.my_questions(assessment, acting_user(request.user)),
        },
    )


@login_required
@require_GET
def question_history(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    assessment = assessment_or_404(request, slug)
    question = question_of(assessment, question_id)
    user = acting_user(request.user)
    # The panel inside the workspace, or a page of its own without JavaScript.
    template = "_history.html" if request.htmx else "question_history.html"  # type: ignore[attr-defined]
    return render(
        request,
        f"assessments/{template}",
        {
            "assessment": assessment,
            "access": access_to(user, assessment),
            "question": question,
            "changes": selectors.question_history(assessment, question, user),
            # The changes store level codes; the panel shows their labels.
            "levels": question.framework.levels.all(),
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
        return redirect(f"{url}?question={question.pk}#q-{question.pk}")
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
            "assessors": selectors.assessors_of([row.ratings for row in rows]),
            "agreement": agreement,
            "errors": errors,
        },
        status=422 if errors else 200,
    )
