"""The background jobs of the inventory (`readiness db_worker`): a portal's
harvest and a check of a catalogue's links. They are queued by the services
(`start_harvest`, `start_link_check`), which create the run they work on."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from readiness.catalogues import harvest as harvesting
from readiness.catalogues import reachability
from readiness.catalogues.models import CatalogueRun


def ended_unexpectedly(run_id: int) -> None:
    """The run says so instead of "running" for ever (the job failed, or its
    worker stopped); a harvest keeps its cursor and can be started again."""
    CatalogueRun.objects.filter(pk=run_id, status=CatalogueRun.Status.RUNNING).update(
        status=CatalogueRun.Status.FAILED,
        error=_("The job ended before it finished; start it again."),
        finished_at=timezone.now(),
    )


@task()
def harvest(run_id: int) -> None:
    run = CatalogueRun.objects.select_related("catalogue__assessment", "created_by").get(pk=run_id)
    try:
        harvesting.harvest_catalogue(
            run,
            max_datasets=int(run.limits["max_datasets"]),
            max_seconds=float(run.limits["max_seconds"]),
            pause_seconds=harvesting.PAUSE_SECONDS,
        )
    except BaseException:
        ended_unexpectedly(run_id)
        raise


@task()
def check_links(run_id: int) -> None:
    run = CatalogueRun.objects.select_related("catalogue__assessment", "created_by").get(pk=run_id)
    try:
        reachability.check_links(run)
    except BaseException:
        ended_unexpectedly(run_id)
        raise


def worker_gone(task_path: str, args: list[Any], queued_again: bool) -> None:
    """A job whose worker stopped in the middle of it was queued again (a
    harvest then resumes from its cursor) or failed (readiness.operations
    recovers such jobs); its run says which."""
    if task_path not in (harvest.module_path, check_links.module_path):
        return
    if queued_again:
        CatalogueRun.objects.filter(pk=args[0], status=CatalogueRun.Status.RUNNING).update(
            status=CatalogueRun.Status.QUEUED
        )
    else:
        ended_unexpectedly(args[0])
