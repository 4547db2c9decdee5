"""Report jobs per minute with one and with two job workers on PostgreSQL,
in the same run; the ratio two/one is printed.

    .venv/bin/python benchmarks/jobs.py [--jobs 60] [--format xlsx]

On the PostgreSQL server of DATABASE_URL (new databases on it, dropped at
the end), else on a throw-away server started like scripts/postgres.sh does.

Each round starts from a copy of one migrated database holding a small
assessment (DGRA dimension 1 of the demo), starts the workers
(`readiness db_worker`, polling every 0.1 s) and waits for their
heartbeats, then queues all the jobs in one transaction through the service
(readiness.reports.tasks.request_report), half in English and half in
Vietnamese. The time is the database's own: from the first job queued to the
last finished. Every job must have succeeded after exactly one claim; the
exit status is 1 otherwise.
"""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.concurrent_edits import postgres  # noqa: E402

READINESS = [sys.executable, "-c", "from readiness.cli import main; main()"]
SLUG = "jobs-benchmark"
JOBS = "django_tasks_database_dbtaskresult"  # django-tasks-db's table
SETUP = f"""
import copy
from readiness.assessments.documents import import_assessment
from readiness.demo.services import demo_document
document = copy.deepcopy(demo_document())
document["assessment"]["slug"] = {SLUG!r}
document["frameworks"] = document["frameworks"][:1]
document["frameworks"][0]["dimensions"] = document["frameworks"][0]["dimensions"][:1]
import_assessment(None, document)
"""
ENQUEUE = """
from django.db import transaction
from readiness.assessments.models import Assessment
from readiness.reports.tasks import request_report
assessment = Assessment.objects.get(slug={slug!r})
with transaction.atomic():
    for number in range({jobs}):
        request_report(None, assessment, {format!r}, ("en", "vi")[number % 2])
"""


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@contextmanager
def new_database(server: str, template: str | None = None) -> Iterator[str]:
    name = f"readiness_jobs_{secrets.token_hex(4)}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(urlsplit(template).path[1:]))
    with psycopg.connect(with_database(server, "postgres"), autocommit=True) as admin:
        admin.execute(create)
    try:
        yield with_database(server, name)
    finally:
        with psycopg.connect(with_database(server, "postgres"), autocommit=True) as admin:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            admin.execute(drop.format(sql.Identifier(name)))


def readiness(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([*READINESS, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"readiness {' '.join(args)} failed:\n{done.stderr[-3000:]}")


def query(url: str, text: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as connection:
        return connection.execute(text).fetchall()


def wait_for(what: str, done: Callable[[], bool], seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what}: not within {seconds} seconds")
        time.sleep(0.5)  # the times are the database's: polling less disturbs less


def one_round(
    env: dict[str, str], url: str, workers: int, jobs: int, fmt: str
) -> tuple[float, Counter]:
    """Seconds from the first job queued to the last finished, and the jobs run by each worker."""
    env = {**env, "DATABASE_URL": url}
    command = [*READINESS, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]
    with tempfile.TemporaryFile("w+") as log:
        running = [
            subprocess.Popen(
                [*command, "--worker-id", f"worker-{n}"], env=env, cwd=ROOT, stderr=log
            )
            for n in range(1, workers + 1)
        ]
        try:
            beating = "SELECT count(*) FROM operations_workerheartbeat"
            wait_for("the workers", lambda: query(url, beating)[0][0] == workers, 120)
            readiness(
                env, "shell", "--no-imports", "-c", ENQUEUE.format(slug=SLUG, jobs=jobs, format=fmt)
            )
            finished = f"SELECT count(*) FROM {JOBS} WHERE finished_at IS NOT NULL"
            wait_for("the jobs", lambda: query(url, finished)[0][0] == jobs)
        finally:
            for process in running:
                process.send_signal(signal.SIGTERM)
            for process in running:
                process.wait(timeout=60)
    rows = query(url, f"SELECT status, worker_ids, enqueued_at, finished_at FROM {JOBS}")
    failures = [row for row in rows if row[0] != "SUCCESSFUL" or len(row[1]) != 1]
    if failures:
        raise SystemExit(f"{len(failures)} jobs failed or ran more than once: {failures[:3]}")
    done = Counter(row[1][0] for row in rows)
    seconds = (max(row[3] for row in rows) - min(row[2] for row in rows)).total_seconds()
    return seconds, done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=60)
    parser.add_argument("--format", default="xlsx", choices=["html", "pdf", "docx", "xlsx"])
    options = parser.parse_args()
    given = os.environ.get("DATABASE_URL", "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "readiness.settings",
        "READINESS_ENV": "development",
        "PYTHONPATH": str(ROOT),
    }
    with nullcontext(given) if given else postgres() as server:
        with new_database(server) as template:
            readiness({**env, "DATABASE_URL": template}, "migrate", "--noinput", "-v", "0")
            readiness({**env, "DATABASE_URL": template}, "shell", "--no-imports", "-c", SETUP)
            print(f"{options.jobs} {options.format} reports of a small assessment, PostgreSQL")
            per_minute = {}
            for workers in (1, 2):
                with new_database(server, template) as url:
                    seconds, done = one_round(env, url, workers, options.jobs, options.format)
                per_minute[workers] = options.jobs / seconds * 60
                shares = ", ".join(f"{done[w]}" for w in sorted(done))
                print(
                    f"{workers} worker{'s' if workers > 1 else ' '}: {seconds:6.1f} s,"
                    f" {per_minute[workers]:6.1f} jobs per minute (jobs per worker: {shares})"
                )
            ratio = per_minute[2] / per_minute[1]
            print(f"ratio two workers / one: {ratio:.2f} (on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
