from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from readiness.assessments import services as assessment_services
from readiness.assessments.models import Assessment
from readiness.core.errors import InvalidInput, NotFound
from readiness.core.responses import attachment
from readiness.reports import content, services, tasks
from readiness.reports.formats import FORMAT_NAMES, html
from readiness.reports.models import Report


def assessment_for(request: HttpRequest, slug: str) -> Assessment:
    try:
        return assessment_services.get_assessment(request.user, slug)
    except NotFound as error:
        raise Http404(str(error)) from None


def page_context(assessment: Assessment, request: HttpRequest) -> dict:
    reports = services.reports_of(request.user, assessment)
    return {
        "assessment": assessment,
        "reports": reports,
        "busy": any(r.status in (Report.Status.QUEUED, Report.Status.RUNNING) for r in reports),
        "formats": FORMAT_NAMES,
        "languages": settings.LANGUAGES,
        "publications": assessment.publications.order_by("-number"),
        "current_language": (get_language() or "en").split("-")[0],
    }


@login_required
@require_http_methods(["GET", "POST"])
def reports_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for a report; follow the jobs' progress; download the files."""
    assessment = assessment_for(request, slug)
    error = None
    if request.method == "POST":
        publication = request.POST.get("publication", "")
        try:
            tasks.request_report(
                request.user,
                assessment,
                request.POST.get("format", ""),
                request.POST.get("language", ""),
                int(publication) if publication.isdigit() else None,
            )
        except (InvalidInput, NotFound) as problem:
            error = str(problem)
        else:
            if not request.htmx:  # type: ignore[attr-defined]
                return redirect("reports:list", slug=slug)
    context = {**page_context(assessment, request), "error": error}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "reports/_jobs.html", context, status=422 if error else 200)
    return render(request, "reports/reports.html", context, status=422 if error else 200)


@login_required
@require_GET
def jobs_fragment(request: HttpRequest, slug: str) -> HttpResponse:
    """The list of reports, polled while one is being rendered."""
    assessment = assessment_for(request, slug)
    return render(request, "reports/_jobs.html", page_context(assessment, request))


@login_required
@require_GET
def download(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    assessment = assessment_for(request, slug)
    try:
        report, data = services.report_file(request.user, assessment, report_id)
    except NotFound as error:
        raise Http404(str(error)) from None
    return attachment(data, services.content_type(report), report.file_name)


# The report page is self-contained (the same HTML makes the PDF): its styles are
# inline and its charts data: images. It runs no script and submits nothing.
report_policy = csp_replace(
    {
        "style-src": [UNSAFE_INLINE],
        "img-src": ["data:"],
        "script-src": [NONE],
        "form-action": [NONE],
    }
)


@login_required
@require_GET
@report_policy  # type: ignore[arg-type]  # django-csp types a view as taking the request only
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The report as a printable page in the browser, made now."""
    assessment = assessment_for(request, slug)
    language = request.GET.get("lang") or (get_language() or "en").split("-")[0]
    if language not in services.LANGUAGE_CODES:
        language = "en"
    publication = services.report_publication(assessment, None)
    document = content.compose(services.report_source(assessment, publication), language)
    return HttpResponse(html.page(document))


@require_GET
def published_file(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    """A report file of the published version: open to everyone."""
    try:
        report, data = services.published_report_file(slug, report_id)
    except NotFound as error:
        raise Http404(str(error)) from None
    return attachment(data, services.content_type(report), report.file_name)
