"""The health of an installation, for /healthz: is the database reachable,
has a job worker beaten recently, how many jobs wait and for how long."""

import datetime
from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from readiness.operations.models import WorkerHeartbeat
from readiness.operations.services import WORKER_FRESH


@dataclass(frozen=True)
class Health:
    database: bool
    workers: int = 0
    last_heartbeat_seconds: float | None = None
    pending_jobs: int = 0
    oldest_pending_seconds: float | None = None

    @property
    def healthy(self) -> bool:
        return self.database and self.workers > 0

    def as_dict(self) -> dict[str, object]:
        return {
            "status": "ok" if self.healthy else "unavailable",
            "database": "ok" if self.database else "unreachable",
            "workers": self.workers,
            "last_heartbeat_seconds": self.last_heartbeat_seconds,
            "pending_jobs": self.pending_jobs,
            "oldest_pending_seconds": self.oldest_pending_seconds,
        }


def seconds_since(moment: datetime.datetime | None, now: datetime.datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def health() -> Health:
    """Three small queries; any database error means the database is unreachable."""
    now = timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last_beat = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True)
        latest = last_beat.first()
        workers = WorkerHeartbeat.objects.filter(beat_at__gte=now - WORKER_FRESH).count()
        pending = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
            oldest=Min("enqueued_at"), count=Count("pk")
        )
    except DatabaseError:
        return Health(database=False)
    return Health(
        database=True,
        workers=workers,
        last_heartbeat_seconds=seconds_since(latest, now),
        pending_jobs=pending["count"],
        oldest_pending_seconds=seconds_since(pending["oldest"], now),
    )
