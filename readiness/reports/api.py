import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Body, Field, Query, Router, Schema, Status

from readiness.assessments import services as assessment_services
from readiness.assessments.api import Slug
from readiness.core.api_errors import PUBLIC_ERRORS, READ_ERRORS, WRITE_ERRORS
from readiness.core.api_pages import page_out, page_schema
from readiness.core.choices import OneOf
from readiness.core.filtering import PageQuery
from readiness.core.responses import attachment
from readiness.reports import services, tasks
from readiness.reports.filters import (
    PublishedReportFilters,
    ReportFilters,
    published_report_page,
    report_page,
)
from readiness.reports.formats import FORMAT_NAMES
from readiness.reports.models import Report

router = Router(tags=["reports"])
public_router = Router(tags=["published"], auth=None)


class ReportRequest(Schema):
    format: Annotated[str, OneOf(FORMAT_NAMES)]
    language: Annotated[str, OneOf(services.LANGUAGE_CODES)]
    publication: int | None = Field(
        None, ge=1, description="a published version; default: the latest once published"
    )


class ReportOut(Schema):
    id: int
    format: str
    language: str
    publication: int | None
    status: str
    progress: int
    error: str
    file_name: str
    requested_by: str | None
    requested_at: datetime.datetime
    finished_at: datetime.datetime | None


def report_out(report: Report) -> ReportOut:
    return ReportOut(
        id=report.pk,
        format=report.format,
        language=report.language,
        publication=report.publication.number if report.publication else None,
        status=report.status,
        progress=report.progress,
        error=report.error,
        file_name=report.file_name,
        requested_by=report.requested_by.get_username() if report.requested_by else None,
        requested_at=report.requested_at,
        finished_at=report.finished_at,
    )


@router.get(
    "/{slug}/reports", response={200: page_schema(ReportOut), **READ_ERRORS}, summary="Report files"
)
def list_reports(
    request: HttpRequest, slug: Slug, filters: Query[ReportFilters], page: Query[PageQuery]
) -> dict[str, Any]:
    assessment = assessment_services.get_assessment(request.user, slug)
    return page_out(request, report_page(request.user, assessment, filters, page), report_out)


@router.post(
    "/{slug}/reports", response={202: ReportOut, **WRITE_ERRORS}, summary="Make a report file"
)
def request_report(
    request: HttpRequest, slug: Slug, body: Body[ReportRequest]
) -> Status[ReportOut]:
    """Queued for the background worker; poll the report until its status is
    `done`, then fetch its file."""
    assessment = assessment_services.get_assessment(request.user, slug)
    report = tasks.request_report(
        request.user, assessment, body.format, body.language, body.publication
    )
    return Status(202, report_out(report))


@router.get(
    "/{slug}/reports/{report_id}",
    response={200: ReportOut, **READ_ERRORS},
    summary="A report's progress",
)
def get_report(request: HttpRequest, slug: Slug, report_id: int) -> ReportOut:
    assessment = assessment_services.get_assessment(request.user, slug)
    return report_out(services.get_report(request.user, assessment, report_id))


@router.get(
    "/{slug}/reports/{report_id}/file",
    response={200: None, **READ_ERRORS},
    summary="A finished report's file",
)
def report_file(request: HttpRequest, slug: Slug, report_id: int) -> HttpResponse:
    assessment = assessment_services.get_assessment(request.user, slug)
    report, data = services.report_file(request.user, assessment, report_id)
    return attachment(data, services.content_type(report), report.file_name)


class PublishedReportOut(Schema):
    id: int
    format: str
    language: str
    publication: int
    file_name: str
    finished_at: datetime.datetime | None


@public_router.get(
    "/{slug}/reports",
    response={200: page_schema(PublishedReportOut), **PUBLIC_ERRORS},
    summary="Report files of a published assessment",
)
def list_published_reports(
    request: HttpRequest,
    slug: Slug,
    filters: Query[PublishedReportFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    """Files made from the latest published version; open to everyone."""
    return page_out(
        request,
        published_report_page(slug, filters, page),
        lambda r: PublishedReportOut(
            id=r.pk,
            format=r.format,
            language=r.language,
            publication=r.publication.number if r.publication else 0,
            file_name=r.file_name,
            finished_at=r.finished_at,
        ),
    )


@public_router.get(
    "/{slug}/reports/{report_id}/file",
    response={200: None, **PUBLIC_ERRORS},
    summary="A report file of a published assessment",
)
def published_report_file(request: HttpRequest, slug: Slug, report_id: int) -> HttpResponse:
    report, data = services.published_report_file(slug, report_id)
    return attachment(data, services.content_type(report), report.file_name)
