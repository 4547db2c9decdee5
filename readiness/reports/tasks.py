"""The background job that renders reports (`manage.py db_worker`), and the
one way to queue it: the web and the API call `request_report`. Jobs call
the services, never the other way round."""

from typing import Any

from django.db import transaction
from django_tasks import task

from readiness.assessments.models import Assessment
from readiness.core.history import Actor
from readiness.reports import services
from readiness.reports.models import Report


@task()
def render_report(report_id: int) -> None:
    try:
        services.run_report(report_id)
    except BaseException:
        # Ended before run_report recorded the outcome (a second SIGTERM to
        # the worker, which then exits): django-tasks-db records the job as
        # failed, and so does the report, which would say "rendering" for ever.
        services.worker_gone(report_id, queued_again=False)
        raise


def worker_gone(task_path: str, args: list[Any], queued_again: bool) -> None:
    """A job whose worker stopped in the middle of it was queued again or
    failed (readiness.operations recovers such jobs); its report says so."""
    if task_path == render_report.module_path:
        services.worker_gone(args[0], queued_again)


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
