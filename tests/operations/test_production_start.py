"""The production start of docs/operations.md, for real: deployment settings
from the environment, gunicorn with two web processes and one job worker
(`readiness db_worker`); /healthz answers 200 once the worker beats, and each
request is one line in the log. On a SQLite file, and in the PostgreSQL pass
on a new database given by DATABASE_URL."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.hostile.conftest import READINESS, ROOT
from tests.operations.databases import separate_database

GUNICORN = Path(sys.executable).with_name("gunicorn")


def production_environment(var_dir: Path, database_url: str | None) -> dict[str, str]:
    chosen = {"READINESS_ENV", "SECRET_KEY", "DEBUG", "HTTPS", "DATABASE_URL", "ALLOWED_HOSTS"}
    inherited = {k: v for k, v in os.environ.items() if k not in chosen}
    return {
        **inherited,
        "READINESS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "READINESS_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "readiness.settings",
        "PYTHONPATH": str(ROOT),
        **({"DATABASE_URL": database_url} if database_url else {}),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get_json(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def wait_until_healthy(url: str, processes: list[subprocess.Popen[str]]) -> Any:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert all(p.poll() is None for p in processes), "a process ended early"
        try:
            status, body = get_json(url)
        except OSError:  # not listening yet, or too slow on a busy machine
            status, body = 0, None
        if status == 200:
            return body
        time.sleep(0.5)
    raise AssertionError(f"not healthy within two minutes: {status} {body}")


def stop(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        _out, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _out, err = process.communicate()
    return err


def test_gunicorn_and_a_worker_start_healthy_and_log_each_request(tmp_path: Path) -> None:
    with separate_database() as database_url:
        start_and_check(production_environment(tmp_path, database_url))


def start_and_check(env: dict[str, str]) -> None:
    migrated = subprocess.run(
        [*READINESS, "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    port = free_port()
    options: dict[str, Any] = {
        "env": env,
        "cwd": ROOT,
        "stdout": subprocess.PIPE,
        "stderr": subprocess.PIPE,
        "text": True,
    }
    worker = subprocess.Popen([*READINESS, "db_worker", "--no-reload"], **options)
    web = subprocess.Popen(
        [str(GUNICORN), "readiness.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        **options,
    )
    try:
        body = wait_until_healthy(f"http://127.0.0.1:{port}/healthz", [worker, web])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=60) as page:
            login_status = page.status
    finally:
        worker_log, web_log = stop(worker), stop(web)
    assert body == {
        "status": "ok",
        "database": "ok",
        "workers": 1,
        "last_heartbeat_seconds": body["last_heartbeat_seconds"],
        "pending_jobs": 0,
        "oldest_pending_seconds": None,
    }
    assert login_status == 200
    assert "INFO readiness.requests GET /healthz 200 " in web_log
    assert "INFO readiness.requests GET /accounts/login/ 200 " in web_log
    assert "Traceback" not in web_log + worker_log
    assert "INFO django_tasks_db Starting worker" in worker_log
