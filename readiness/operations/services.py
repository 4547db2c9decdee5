"""Worker heartbeats: each job worker records that it is alive every
HEARTBEAT_SECONDS, from a thread of its own, so that an idle worker is seen
as alive and a killed one stops beating. With each beat it also recovers the
jobs that workers gone silent left running."""

import datetime
import logging
import os
import socket
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from readiness.catalogues import tasks as catalogue_tasks
from readiness.operations.models import WorkerHeartbeat
from readiness.reports import tasks as report_tasks

HEARTBEAT_SECONDS = settings.WORKER_HEARTBEAT_SECONDS
# A worker that has not beaten for this long (several missed beats) is gone.
WORKER_FRESH = datetime.timedelta(seconds=6 * HEARTBEAT_SECONDS)
# Rows of workers gone for this long are removed (each start has a new id).
FORGET_AFTER = datetime.timedelta(days=1)
# Tries of a job in all: one that takes its worker down each time (too large
# for the memory, say) then fails rather than taking every worker down.
JOB_ATTEMPTS = 2

logger = logging.getLogger("readiness.jobs")


def record_heartbeat(worker_id: str, started_at: datetime.datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "beat_at": now,
        },
    )
    WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()


class Heartbeat:
    """Beats now and then every HEARTBEAT_SECONDS from a thread of its own,
    until stop(): used as a context manager around the worker's loop so that
    no beat outlives the worker (or the test that ran it)."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._keep_beating, name="heartbeat", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        try:
            record_heartbeat(self.worker_id, self.started_at)
        except DatabaseError as error:
            # The monitor sees the missing heartbeat; the worker keeps going.
            logger.warning("heartbeat of worker %s not recorded: %s", self.worker_id, error)
            return
        try:
            recover_abandoned_jobs()
        except Exception:
            # Whatever goes wrong, the beats must go on: a worker that stops
            # beating is taken for dead and its own job would be run again.
            logger.exception("worker %s could not recover abandoned jobs", self.worker_id)

    def _keep_beating(self) -> None:
        try:
            while True:
                self._beat()
                close_old_connections()
                if self._stop.wait(HEARTBEAT_SECONDS):
                    return
        finally:
            connection.close()


class WorkerGone(Exception):
    """What a job failed of when its worker stopped in the middle of it."""


@dataclass(frozen=True)
class RecoveredJob:
    job_id: str
    worker_id: str
    queued_again: bool


def last_claimer(job: DBTaskResult) -> str:
    # django-tasks-db appends the worker's id at each claim.
    return str(job.worker_ids[-1]) if job.worker_ids else ""


def claimer_gone(
    job: DBTaskResult, beats: dict[str, datetime.datetime], now: datetime.datetime
) -> bool:
    """The worker running the job has stopped beating. One that never beat
    (a `--batch` run) is only taken for gone once the job has run for
    FORGET_AFTER, as are workers whose rows were forgotten."""
    beat = beats.get(last_claimer(job))
    if beat is None:
        return job.started_at is None or job.started_at < now - FORGET_AFTER
    return beat < now - WORKER_FRESH


def recover_abandoned_jobs() -> list[RecoveredJob]:
    """The jobs left running by workers that are gone (killed, out of
    memory, their machine lost): queued again for another worker, or failed
    once tried JOB_ATTEMPTS times; their reports say so. Only those jobs are
    locked, each by one recoverer (on SQLite: the database, and only when
    there is something to recover), so several workers may recover at once."""
    now = timezone.now()
    beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "beat_at"))
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    gone = [
        job.pk for job in running.only("worker_ids", "started_at") if claimer_gone(job, beats, now)
    ]
    recovered: list[RecoveredJob] = []
    if not gone:
        return recovered
    with exclusive_transaction(DBTaskResult.objects.db):
        for job in running.filter(pk__in=gone).select_for_update(skip_locked=True):
            if not claimer_gone(job, beats, now):  # claimed again meanwhile
                continue
            worker_id = last_claimer(job)
            queued_again = len(job.worker_ids) < JOB_ATTEMPTS
            if queued_again:
                job.status = TaskResultStatus.READY
                job.started_at = None
                job.save(update_fields=["status", "started_at"])
            else:
                job.set_failed(WorkerGone(f"worker {worker_id} stopped during the job"))
            report_tasks.worker_gone(job.task_path, job.args_kwargs["args"], queued_again)
            catalogue_tasks.worker_gone(job.task_path, job.args_kwargs["args"], queued_again)
            logger.warning(
                "job %s: worker %s is gone; %s",
                job.id,
                worker_id,
                "queued again" if queued_again else f"failed after {JOB_ATTEMPTS} tries",
            )
            recovered.append(RecoveredJob(str(job.id), worker_id, queued_again))
    return recovered
