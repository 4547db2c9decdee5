"""The report files of a publication, for the public page of the review app:
a template tag, so that reviews (below reports) need not import reports."""

from typing import Any

from django import template

from readiness.reports.services import published_reports

register = template.Library()


@register.inclusion_tag("reports/_published_files.html")
def published_files(slug: str) -> dict[str, Any]:
    return {"slug": slug, "reports": published_reports(slug)}
