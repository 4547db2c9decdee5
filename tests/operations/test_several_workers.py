"""Several web processes and several job workers on one PostgreSQL database,
as real processes: gunicorn with two processes takes report requests through
the API, two `readiness db_worker` processes render them; each job runs once
and none is lost. A worker killed (SIGKILL) in the middle of a job leaves it
to the other worker, which queues it again once the dead one's heartbeat is
old, and renders it whole.

The reports are XLSX files of a small assessment (DGRA dimension 1 of the
demo): the format that renders fastest, still a real report job."""

import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.hostile.conftest import READINESS, ROOT
from tests.operations.databases import ON_POSTGRESQL, ok, separate_database
from tests.operations.test_production_start import (
    GUNICORN,
    free_port,
    get_json,
    production_environment,
    stop,
)

pytestmark = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="several workers on one queue is the PostgreSQL setup (row locks, SKIP LOCKED); "
    "the PostgreSQL pass runs this with DATABASE_URL set",
)

SLUG = "several-workers"
SETUP = f"""
from django.contrib.auth.models import User
from readiness.accounts.services import create_token
from readiness.assessments.documents import import_assessment
from tests.reports.conftest import small_document
user = User.objects.create_user("runner", is_staff=True, is_superuser=True)
import_assessment(user, small_document({SLUG!r}))
print(create_token(user, "jobs")[1])
"""
XLSX_MAGIC = b"PK\x03\x04"  # a ZIP file, as every XLSX is
WAITING_FOR_A_LOCK = (
    "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A migrated database with the small assessment and an administrator's
    API token, copied for each test: (its URL, the token)."""
    env = production_environment(tmp_path_factory.mktemp("template"), None)
    with separate_database() as url:
        assert url is not None
        env["DATABASE_URL"] = url
        ok(env, "migrate", "--noinput", "-v", "0")
        token = ok(env, "shell", "--no-imports", "-c", SETUP).strip()
        yield url, token


@pytest.fixture
def database(installation: tuple[str, str]) -> Iterator[str]:
    with separate_database(template=installation[0]) as url:
        assert url is not None
        yield url


class Processes:
    """gunicorn and the workers of one test, stopped at its end."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = free_port()
        self.web: subprocess.Popen[str] | None = None
        self.workers: dict[str, subprocess.Popen[str]] = {}
        self.logs: dict[str, str] = {}

    def start(self, command: list[str]) -> subprocess.Popen[str]:
        return subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def start_web(self) -> None:
        # The access log names the gunicorn process (%(p)s) that served each
        # request. --preload: both processes are ready once one answers.
        self.web = self.start(
            [
                str(GUNICORN),
                "readiness.wsgi",
                "--preload",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "-",
                "--access-logformat",
                "served-by=%(p)s %(m)s %(U)s %(s)s",
            ]
        )
        self.wait_for(lambda: self.health()[0] != 0, "the web processes")

    def start_workers(self, *worker_ids: str) -> None:
        for worker_id in worker_ids:
            command = [*READINESS, "db_worker", "--no-reload", "--worker-id", worker_id]
            self.workers[worker_id] = self.start(command)
        self.wait_for(lambda: self.health()[1].get("workers") == len(worker_ids), "the workers")

    def health(self) -> tuple[int, dict[str, Any]]:
        try:
            return get_json(f"http://127.0.0.1:{self.port}/healthz")
        except OSError:  # not listening yet
            return 0, {}

    def wait_for(self, done: Callable[[], object], what: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while not done():
            running = [p for p in [self.web, *self.workers.values()] if p is not None]
            assert all(p.poll() in (None, -signal.SIGKILL) for p in running), "a process ended"
            assert time.monotonic() < deadline, f"{what}: not within {seconds} seconds"
            time.sleep(0.3)

    def request_report(self, token: str, language: str) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/v1/assessments/{SLUG}/reports",
            data=json.dumps({"format": "xlsx", "language": language}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 202
            return int(json.load(response)["id"])

    def stop_all(self) -> None:
        for worker_id, worker in self.workers.items():
            if worker_id not in self.logs:
                self.logs[worker_id] = stop(worker)
        if self.web is not None and "web" not in self.logs:
            # gunicorn's access log is on standard output, the application's on standard error.
            if self.web.poll() is None:
                self.web.send_signal(signal.SIGTERM)
            out, err = self.web.communicate(timeout=30)
            self.logs["web"] = out + err


@pytest.fixture
def processes(database: str, tmp_path: Path) -> Iterator[Processes]:
    started = Processes(production_environment(tmp_path, database))
    try:
        yield started
    finally:
        started.stop_all()


def rows(database: str, query: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(database, autocommit=True) as connection:
        return connection.execute(query, params).fetchall()


def reports(database: str) -> list[tuple[Any, ...]]:
    return rows(
        database,
        "SELECT id, status, progress, error, substring(content from 1 for 4)"
        " FROM reports_report ORDER BY id",
    )


def jobs(database: str) -> list[tuple[Any, ...]]:
    """(id, status, worker ids in the order of their claims, report id) of every job."""
    found = rows(
        database,
        "SELECT id::text, status, worker_ids, args_kwargs FROM django_tasks_database_dbtaskresult",
    )
    return [(job, status, workers, args["args"][0]) for job, status, workers, args in found]


def runs_logged(log: str, job_id: str) -> int:
    return log.count(f"Task id={job_id} path=readiness.reports.tasks.render_report state=RUNNING")


def test_two_web_processes_and_two_workers_run_each_of_fifty_report_jobs_once(
    processes: Processes, installation: tuple[str, str], database: str
) -> None:
    processes.start_web()
    processes.start_workers("worker-a", "worker-b")
    with ThreadPoolExecutor(4) as requests:  # at once, so that both web processes answer
        languages = ["en", "vi"] * 25
        requested = list(
            requests.map(lambda lang: processes.request_report(installation[1], lang), languages)
        )
    processes.wait_for(
        lambda: [status for _id, status, *_rest in reports(database)] == ["done"] * 50,
        "fifty reports",
        seconds=120,
    )
    processes.stop_all()

    assert len(set(requested)) == 50
    assert reports(database) == [(pk, "done", 100, "", XLSX_MAGIC) for pk in sorted(requested)]
    found = jobs(database)
    assert sorted(report for *_job, report in found) == sorted(requested)
    assert {status for _job, status, _workers, _report in found} == {"SUCCESSFUL"}
    assert all(len(workers) == 1 for _job, _status, workers, _report in found)
    assert {workers[0] for _job, _status, workers, _report in found} == {"worker-a", "worker-b"}
    both_logs = processes.logs["worker-a"] + processes.logs["worker-b"]
    assert [runs_logged(both_logs, job) for job, *_rest in found] == [1] * 50
    served_by = {
        line.split()[0]
        for line in processes.logs["web"].splitlines()
        if line.startswith("served-by=") and " POST /api/v1/" in line
    }
    assert len(served_by) == 2
    assert "Traceback" not in both_logs + processes.logs["web"]


def test_a_worker_killed_in_the_middle_of_a_report_leaves_it_to_the_other_whole(
    processes: Processes, installation: tuple[str, str], database: str
) -> None:
    processes.env["WORKER_HEARTBEAT_SECONDS"] = "1"  # a killed worker is gone after 6 s
    processes.start_web()
    report = processes.request_report(installation[1], "vi")
    with psycopg.connect(database) as lock:
        # The job's first write to its report waits for this lock: the job is
        # under way, and stays so, until the worker is killed.
        lock.execute("SELECT id FROM reports_report WHERE id = %s FOR UPDATE", (report,))
        processes.start_workers("worker-a", "worker-b")
        processes.wait_for(lambda: jobs(database)[0][1] == "RUNNING", "the job's start")
        processes.wait_for(
            lambda: rows(database, WAITING_FOR_A_LOCK),
            "the job's first write",
        )
        [(job_id, _status, [claimer], _report)] = jobs(database)
        survivor = ({"worker-a", "worker-b"} - {claimer}).pop()
        killed = processes.workers[claimer]
        [(beating_pid,)] = rows(
            database, "SELECT pid FROM operations_workerheartbeat WHERE worker_id = %s", claimer
        )
        assert beating_pid == killed.pid
        os.kill(killed.pid, signal.SIGKILL)
        assert killed.wait(timeout=30) == -signal.SIGKILL
        assert jobs(database) == [(job_id, "RUNNING", [claimer], report)]
        assert reports(database) == [(report, "queued", 0, "", None)]
        lock.rollback()

    processes.wait_for(lambda: reports(database)[0][1] == "done", "the report", seconds=90)
    processes.stop_all()

    assert reports(database) == [(report, "done", 100, "", XLSX_MAGIC)]
    assert jobs(database) == [(job_id, "SUCCESSFUL", [claimer, survivor], report)]
    survivor_log = processes.logs[survivor]
    assert f"job {job_id}: worker {claimer} is gone; queued again" in survivor_log
    assert runs_logged(survivor_log, job_id) == 1
    assert "Traceback" not in survivor_log
