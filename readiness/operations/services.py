"""Worker heartbeats: each job worker records that it is alive every
HEARTBEAT_SECONDS, from a thread of its own, so that an idle worker is seen
as alive and a killed one stops beating."""

import datetime
import logging
import os
import socket
import threading

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from readiness.operations.models import WorkerHeartbeat

HEARTBEAT_SECONDS = 10
# Rows of workers gone for this long are removed (each start has a new id).
FORGET_AFTER = datetime.timedelta(days=1)

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

    def _keep_beating(self) -> None:
        try:
            while True:
                self._beat()
                close_old_connections()
                if self._stop.wait(HEARTBEAT_SECONDS):
                    return
        finally:
            connection.close()
