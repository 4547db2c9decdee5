"""The background job that renders reports (`manage.py db_worker`), and the
one way to queue it: the web and the API call `request_report`. Jobs call
the services, never the other way round."""

from django.db import transaction
from django_tasks import task

from readiness.assessments.models import Assessment
from readiness.core.history import Actor
from readiness.reports import services
from readiness.reports.models import Report


@task()
def render_report(report_id: int) -> None:
    services.run_report(report_id)


@transaction.atomic
def request_report(
    actor: Actor,
    assessment: Assessment,
    format_name: str,
    language: str,
    publication_number: int | None = None,
) -> Report:
    """Queue a report; its row shows the job's progress and keeps the file."""
    report = services.new_report(actor, assessment, format_name, language, publication_number)
    render_report.enqueue(report.pk)
    return report
