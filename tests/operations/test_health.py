"""/healthz: for the proxy or the monitor, no login, counts only."""

import datetime
import json
import socket

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from readiness.operations import selectors
from readiness.operations.models import WorkerHeartbeat
from readiness.operations.services import record_heartbeat
from readiness.reports.tasks import render_report

KEYS = {
    "status",
    "database",
    "workers",
    "last_heartbeat_seconds",
    "pending_jobs",
    "oldest_pending_seconds",
}


def beat(seconds_ago: float, worker_id: str = "worker-1") -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        host="h",
        pid=1,
        started_at=now - datetime.timedelta(hours=1),
        beat_at=now - datetime.timedelta(seconds=seconds_ago),
    )


@pytest.mark.django_db
def test_healthy_with_the_database_and_a_live_worker(anonymous_client: Client) -> None:
    beat(seconds_ago=5)
    response = anonymous_client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == KEYS
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["workers"] == 1
    assert 5 <= body["last_heartbeat_seconds"] < 60
    assert body["pending_jobs"] == 0
    assert body["oldest_pending_seconds"] is None
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_unavailable_without_a_worker(anonymous_client: Client) -> None:
    response = anonymous_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["workers"] == 0
    assert response.json()["last_heartbeat_seconds"] is None


@pytest.mark.django_db
def test_a_worker_silent_for_two_minutes_counts_as_gone(anonymous_client: Client) -> None:
    beat(seconds_ago=120)
    response = anonymous_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["workers"] == 0
    assert 120 <= response.json()["last_heartbeat_seconds"] < 130


@pytest.mark.django_db
def test_pending_jobs_are_counted_with_the_longest_wait(
    anonymous_client: Client, demo: object
) -> None:
    beat(seconds_ago=1)
    render_report.enqueue(1)
    render_report.enqueue(2)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=300))
    body = anonymous_client.get("/healthz").json()
    assert body["pending_jobs"] == 2
    assert 300 <= body["oldest_pending_seconds"] < 330


class UnreachableDatabase:
    def cursor(self) -> None:
        raise OperationalError("connection refused")


@pytest.mark.django_db
def test_unavailable_when_the_database_does_not_answer(
    anonymous_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "connection", UnreachableDatabase())
    response = anonymous_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert "refused" not in response.content.decode()


@pytest.mark.django_db
def test_the_answer_names_no_worker_host_or_process(anonymous_client: Client) -> None:
    record_heartbeat("worker-on-this-host", timezone.now())
    text = anonymous_client.get("/healthz").content.decode()
    assert socket.gethostname() not in text
    assert "worker-on-this-host" not in text
    assert set(json.loads(text)) == KEYS


@pytest.mark.django_db
def test_a_heartbeat_replaces_the_last_one_of_its_worker() -> None:
    started = timezone.now()
    record_heartbeat("w", started)
    record_heartbeat("w", started)
    assert WorkerHeartbeat.objects.count() == 1


@pytest.mark.django_db
def test_heartbeats_of_workers_gone_for_a_day_are_forgotten() -> None:
    beat(seconds_ago=25 * 3600, worker_id="long-gone")
    record_heartbeat("alive", timezone.now())
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


@pytest.mark.django_db
def test_writes_are_refused(anonymous_client: Client) -> None:
    assert anonymous_client.post("/healthz").status_code == 405


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_over_https_the_health_check_still_answers_plain_http() -> None:
    beat(seconds_ago=1)
    client = Client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
