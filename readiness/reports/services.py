"""Rendering reports: synchronously (CLI, the in-app HTML page) or as a
background job (web and API) whose progress and file are kept in a Report
row. Everyone on the assessment's team may render its reports."""

import logging

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.assessments.access import require
from readiness.assessments.models import Assessment
from readiness.assessments.permissions import Action, State
from readiness.core.errors import FieldError, InvalidInput, NotFound
from readiness.core.history import Actor, acting_user
from readiness.reports import content, source
from readiness.reports.formats import FORMAT_NAMES, formats
from readiness.reports.models import Report
from readiness.reviews.models import Publication
from readiness.reviews.services import latest_publication

logger = logging.getLogger(__name__)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def check_choice(format_name: str, language: str) -> None:
    errors = []
    if format_name not in FORMAT_NAMES:
        errors.append(FieldError("format", _("must be one of: %s") % ", ".join(FORMAT_NAMES)))
    if language not in LANGUAGE_CODES:
        errors.append(FieldError("language", _("must be one of: %s") % ", ".join(LANGUAGE_CODES)))
    if errors:
        raise InvalidInput(errors)


def report_publication(assessment: Assessment, number: int | None) -> Publication | None:
    """The publication a report is made from: the one asked for; else, once
    the assessment is published, its latest; else None (the working draft)."""
    publications = assessment.publications.order_by("-number")
    if number is not None:
        publication = publications.filter(number=number).first()
        if publication is None:
            raise NotFound(_("no published version %s") % number)
        return publication
    if assessment.state in (State.PUBLISHED, State.ARCHIVED):
        return publications.first()
    return None


def report_source(assessment: Assessment, publication: Publication | None) -> source.ReportSource:
    if publication is None:
        return source.working_draft(assessment)
    return source.published(publication)


def file_name(
    assessment: Assessment, publication: Publication | None, fmt: str, language: str
) -> str:
    version = f"v{publication.number}" if publication else "draft"
    return f"{assessment.slug}-{version}-{language}.{formats()[fmt].extension}"


def render(
    actor: Actor,
    assessment: Assessment,
    format_name: str,
    language: str,
    publication_number: int | None = None,
) -> tuple[str, bytes]:
    """Render now; the file's name and its bytes."""
    check_choice(format_name, language)
    require(actor, assessment, Action.VIEW)
    publication = report_publication(assessment, publication_number)
    document = content.compose(report_source(assessment, publication), language)
    name = file_name(assessment, publication, format_name, language)
    return name, formats()[format_name].render(document)


def new_report(
    actor: Actor,
    assessment: Assessment,
    format_name: str,
    language: str,
    publication_number: int | None = None,
) -> Report:
    """The Report row a background job fills in (tasks.request_report queues it)."""
    check_choice(format_name, language)
    require(actor, assessment, Action.VIEW)
    publication = report_publication(assessment, publication_number)
    return Report.objects.create(
        assessment=assessment,
        publication=publication,
        format=format_name,
        language=language,
        file_name=file_name(assessment, publication, format_name, language),
        requested_by=acting_user(actor),
    )


def progress(report: Report, percent: int) -> None:
    report.progress = percent
    report.save(update_fields=["progress", "status"])


def run_report(report_id: int) -> None:
    """The job: compose, render, keep the file; a failure is recorded on the
    report for the person waiting for it."""
    report = Report.objects.select_related("assessment", "publication").get(pk=report_id)
    report.status = Report.Status.RUNNING
    progress(report, 10)
    try:
        report_data = report_source(report.assessment, report.publication)
        progress(report, 30)
        document = content.compose(report_data, report.language)
        progress(report, 50)
        report.content = formats()[report.format].render(document)
        report.status = Report.Status.DONE
        report.progress = 100
    except Exception as error:
        logger.exception("report %s failed", report_id)
        report.status = Report.Status.FAILED
        report.error = str(error) or error.__class__.__name__
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "progress", "content", "error", "finished_at"])


def worker_gone(report_id: int, queued_again: bool) -> None:
    """The worker rendering the report stopped in the middle: it waits for
    another, or has failed. The file is kept only once whole (run_report
    writes it last), so nothing partial is left either way."""
    unfinished = Report.objects.filter(pk=report_id).exclude(status=Report.Status.DONE)
    if queued_again:
        unfinished.update(status=Report.Status.QUEUED, progress=0)
    else:
        unfinished.update(
            status=Report.Status.FAILED,
            error=_("The worker rendering this report stopped. Request the report again."),
            finished_at=timezone.now(),
        )


def reports_of(actor: Actor, assessment: Assessment) -> QuerySet[Report]:
    require(actor, assessment, Action.VIEW)
    return assessment.reports.defer("content").select_related("publication", "requested_by")


def get_report(actor: Actor, assessment: Assessment, report_id: int) -> Report:
    require(actor, assessment, Action.VIEW)
    report = assessment.reports.select_related("publication").filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("no report %s") % report_id)
    return report


def report_file(actor: Actor, assessment: Assessment, report_id: int) -> tuple[Report, bytes]:
    report = get_report(actor, assessment, report_id)
    if report.status != Report.Status.DONE or report.content is None:
        raise NotFound(_("report %s is not ready") % report_id)
    return report, bytes(report.content)  # PostgreSQL gives a memoryview


def published_reports(slug: str) -> list[Report]:
    """The files made from the latest published version, the newest per
    format and language: open to everyone, like the published version."""
    publication = latest_publication(slug)
    newest: dict[tuple[str, str], Report] = {}
    done = publication.reports.filter(status=Report.Status.DONE).select_related("publication")
    done = done.defer("content")
    for report in done.order_by("-finished_at", "-id"):
        newest.setdefault((report.format, report.language), report)
    return sorted(newest.values(), key=lambda r: (r.language, FORMAT_NAMES.index(r.format)))


def published_report_file(slug: str, report_id: int) -> tuple[Report, bytes]:
    if not any(report.pk == report_id for report in published_reports(slug)):
        raise NotFound(_("no published report %s") % report_id)
    report = Report.objects.get(pk=report_id)
    return report, bytes(report.content or b"")


def content_type(report: Report) -> str:
    return formats()[report.format].content_type
