"""`readiness db_worker`: django-tasks-db's worker, which also records a
heartbeat for /healthz. It has the same name so that every way of starting a
worker (scripts/start, docs/operations.md) beats; readiness.operations comes
before django_tasks_db in INSTALLED_APPS for this command to win."""

import contextlib
import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django_tasks_db.management.commands import db_worker

from readiness.core.commands import ReadinessCommand
from readiness.operations.services import Heartbeat


class Command(ReadinessCommand, db_worker.Command):
    # Lazy, as ReadinessCommand allows; django-tasks-db's Command says str.
    help = format_lazy(  # type: ignore[assignment]
        "{} {}", db_worker.Command.help, gettext_lazy("Records a heartbeat for /healthz.")
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # With --reload only the child process runs jobs, so only it beats. A
        # --batch run (the tests, a cron job) is over before anyone looks.
        runs_jobs = not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        beating = runs_jobs and not options["batch"]
        with Heartbeat(options["worker_id"]) if beating else contextlib.nullcontext():
            super().handle(*args, **options)
