from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from readiness.assessments import services as assessment_services
from readiness.assessments.access import access_to
from readiness.assessments.models import Assessment
from readiness.assessments.permissions import State
from readiness.core.errors import InvalidInput, NotFound
from readiness.core.history import acting_user
from readiness.core.text import LONG, TextField
from readiness.frameworks.models import Dimension, Question
from readiness.reviews import selectors, services
from readiness.reviews.checklist import recorded_coverage, recorded_gaps


class CommentForm(forms.Form):
    text = TextField(max_length=LONG)
    question = forms.IntegerField(required=False, min_value=1)
    dimension = forms.IntegerField(required=False, min_value=1)
    reply_to = forms.IntegerField(required=False, min_value=1)


def assessment_for(request: HttpRequest, slug: str) -> Assessment:
    try:
        return assessment_services.get_assessment(request.user, slug)
    except NotFound as error:
        raise Http404(str(error)) from None


def comments_block(
    request: HttpRequest,
    assessment: Assessment,
    *,
    question: Question | None,
    dimension: Dimension | None,
    **extra: Any,
) -> HttpResponse:
    """The comment threads of one target, as the workspace shows them."""
    if question is not None:
        found = selectors.threads_by_question(assessment, [question]).get(question.pk, [])
    elif dimension is not None:
        found = selectors.dimension_threads(assessment, dimension)
    else:
        found = selectors.assessment_threads(assessment)
    return render(
        request,
        "reviews/_comments.html",
        {
            "assessment": assessment,
            "access": access_to(acting_user(request.user), assessment),
            "threads": found,
            "comment_question": question,
            "comment_dimension": dimension,
            **extra,
        },
    )


def back_to(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """Back to the page the form was sent from if it is on this site, else the overview:
    a Referer is the client's say, and may name any address."""
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(referer)
    return redirect(assessment_url(assessment))


def assessment_url(assessment: Assessment) -> str:
    return reverse("assessments:overview", args=[assessment.slug])


@login_required
@require_POST
def add_comment(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = assessment_for(request, slug)
    form = CommentForm(request.POST)
    question = dimension = None
    error = None
    if form.is_valid():
        data = form.cleaned_data
        frameworks = assessment.frameworks.all()
        if data["question"]:
            question = Question.objects.filter(
                pk=data["question"], framework__in=frameworks
            ).first()
            if question is None:
                raise Http404(_("No such question in this assessment."))
        elif data["dimension"]:
            dimension = Dimension.objects.filter(
                pk=data["dimension"], framework__in=frameworks
            ).first()
            if dimension is None:
                raise Http404(_("No such dimension in this assessment."))
        try:
            services.add_comment(
                actor=request.user,
                assessment=assessment,
                text=data["text"],
                question=question,
                dimension=dimension,
                reply_to=data["reply_to"],
            )
        except InvalidInput as invalid:
            error = str(invalid)
    elif not request.POST.get("text", "").strip():
        error = _("Write a comment first.")
    else:
        error = "; ".join(
            f"{name}: {' '.join(str(p) for p in problems)}"
            for name, problems in form.errors.items()
        )
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        return back_to(request, assessment)
    return comments_block(
        request, assessment, question=question, dimension=dimension, comment_error=error
    )


@login_required
@require_POST
def resolve_thread(request: HttpRequest, slug: str, comment_id: int) -> HttpResponse:
    assessment = assessment_for(request, slug)
    thread = services.set_thread_resolved(
        actor=request.user,
        assessment=assessment,
        thread_id=comment_id,
        resolved=request.POST.get("resolved") == "1",
    )
    if not request.htmx:  # type: ignore[attr-defined]
        return back_to(request, assessment)
    return comments_block(request, assessment, question=thread.question, dimension=thread.dimension)


@login_required
@require_POST
def move_workflow(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = assessment_for(request, slug)
    target = request.POST.get("state", "")
    services.move_to(
        actor=request.user,
        assessment=assessment,
        target=target,
        gaps_reason=request.POST.get("gaps_reason", ""),
    )
    if target in State.values:
        messages.success(
            request, _("The assessment is now %(state)s.") % {"state": State(target).label}
        )
    return redirect("assessments:overview", slug=slug)


@require_GET
def published(request: HttpRequest, slug: str) -> HttpResponse:
    """The published version: open to everyone, exactly as approved."""
    try:
        publication = services.latest_publication(slug)
    except NotFound as error:
        raise Http404(str(error)) from None
    return render(
        request,
        "reviews/published.html",
        {
            "publication": publication,
            "view": selectors.published_view(publication),
            "signed": {
                "submitted_by": selectors.signatory(publication.submitted_by),
                "approved_by": selectors.signatory(publication.approved_by),
                "published_by": selectors.signatory(publication.published_by),
            },
            "coverage": recorded_coverage(publication.readiness),
            "gaps": recorded_gaps(publication.readiness),
            "plan": selectors.published_plan(publication),
            "tracking": selectors.tracking_since(publication),
        },
    )


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reviews/published_list.html", {"publications": selectors.latest_publications()}
    )
