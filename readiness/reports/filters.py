"""The filters and sorts of the lists of report files, the team's and the
published ones (readiness/core/filtering.py)."""

from typing import Annotated

from django.db.models import QuerySet
from ninja import Field, Schema

from readiness.assessments.models import Assessment
from readiness.core.choices import OneOf
from readiness.core.filtering import PageQuery
from readiness.core.history import Actor
from readiness.core.pagination import Ordering, Page, SortField, paginate
from readiness.reports import services
from readiness.reports.formats import FORMAT_NAMES
from readiness.reports.models import Report

REPORT_ORDER = Ordering(
    {"requested": SortField("requested_at"), "status": SortField("status")},
    default="-requested",
)

PUBLISHED_REPORT_ORDER = Ordering(
    {"language": SortField("language"), "format": SortField("format")}, default="language"
)


class FileFilters(Schema):
    format: Annotated[str, OneOf(FORMAT_NAMES)] | None = None
    language: Annotated[str, OneOf(services.LANGUAGE_CODES)] | None = None

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        if self.format:
            reports = reports.filter(format=self.format)
        if self.language:
            reports = reports.filter(language=self.language)
        return reports


class ReportFilters(FileFilters):
    status: Annotated[str, OneOf(Report.Status.values)] | None = None
    sort: Annotated[str, OneOf(REPORT_ORDER.choices)] | None = Field(
        None, description="A column, `-column` for descending; `-requested` by default."
    )

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        reports = super().apply(reports)
        return reports.filter(status=self.status) if self.status else reports


class PublishedReportFilters(FileFilters):
    sort: Annotated[str, OneOf(PUBLISHED_REPORT_ORDER.choices)] | None = Field(
        None, description="A column, `-column` for descending; `language` by default."
    )


def report_page(
    actor: Actor, assessment: Assessment, filters: ReportFilters, page: PageQuery
) -> Page[Report]:
    reports = filters.apply(services.reports_of(actor, assessment))
    return paginate(reports, REPORT_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit)


def published_report_page(
    slug: str, filters: PublishedReportFilters, page: PageQuery
) -> Page[Report]:
    """One page of services.published_reports: the newest file per format and language."""
    newest = [report.pk for report in services.published_reports(slug)]
    reports = Report.objects.filter(pk__in=newest).defer("content").select_related("publication")
    return paginate(
        filters.apply(reports),
        PUBLISHED_REPORT_ORDER,
        sort=filters.sort,
        cursor=page.cursor,
        limit=page.limit,
    )
