"""Jobs left running by a worker that is gone: every worker's heartbeat and
`readiness jobs recover` queue them again once, then fail them; the report
waiting for the job says so. Jobs of live workers are left alone. (With real
processes and a real kill: test_several_workers.py.)"""

import datetime
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from readiness.assessments.models import Assessment
from readiness.operations import services
from readiness.operations.models import WorkerHeartbeat
from readiness.reports import services as report_services
from readiness.reports.models import Report
from readiness.reports.tasks import render_report, request_report
from tests.hostile.conftest import READINESS, ROOT, readiness_env


def beat(worker_id: str, seconds_ago: float) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        host="h",
        pid=1,
        started_at=now - datetime.timedelta(hours=1),
        beat_at=now - datetime.timedelta(seconds=seconds_ago),
    )


def running_report(demo: Assessment, *claims: str) -> tuple[Report, DBTaskResult]:
    """A report whose job was claimed by these workers in turn, the last one
    in the middle of it (its progress saved, no file yet)."""
    report = request_report(None, demo, "xlsx", "en")
    job = DBTaskResult.objects.get(args_kwargs__args=[report.pk])
    for worker_id in claims:
        job.claim(worker_id)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, progress=30)
    return report, job


def states(report: Report, job: DBTaskResult) -> tuple[str, int, str, str, list[str]]:
    report.refresh_from_db()
    job.refresh_from_db()
    return report.status, report.progress, report.error, job.status, job.worker_ids


@pytest.mark.django_db
def test_the_job_of_a_worker_silent_for_a_minute_is_queued_again(demo: Assessment) -> None:
    beat("gone", seconds_ago=61)
    report, job = running_report(demo, "gone")
    output = StringIO()
    call_command("jobs", "recover", stdout=output)
    assert states(report, job) == ("queued", 0, "", "READY", ["gone"])
    assert report.content is None
    assert output.getvalue() == f"job {job.id} of worker gone, which is gone: queued again\n"


@pytest.mark.django_db
def test_a_job_that_lost_its_worker_twice_fails_and_its_report_says_why(demo: Assessment) -> None:
    beat("first", seconds_ago=3600)
    beat("second", seconds_ago=61)
    report, job = running_report(demo, "first", "second")
    call_command("jobs", "recover", stdout=StringIO())
    assert states(report, job) == (
        "failed",
        30,
        "The worker rendering this report stopped. Request the report again.",
        "FAILED",
        ["first", "second"],
    )
    assert job.exception_class_path == "readiness.operations.services.WorkerGone"
    assert "worker second stopped during the job" in job.traceback
    assert report.finished_at is not None


@pytest.mark.django_db
def test_the_jobs_of_live_workers_and_of_recent_batch_runs_are_left_alone(
    demo: Assessment,
) -> None:
    beat("live", seconds_ago=30)
    live = running_report(demo, "live")
    batch = running_report(demo, "batch-run-without-heartbeat")
    output = StringIO()
    call_command("jobs", "recover", stdout=output)
    assert states(*live) == ("running", 30, "", "RUNNING", ["live"])
    assert states(*batch) == ("running", 30, "", "RUNNING", ["batch-run-without-heartbeat"])
    assert output.getvalue() == "no jobs of workers that are gone\n"


@pytest.mark.django_db
def test_a_job_running_for_a_day_under_a_worker_that_never_beat_is_queued_again(
    demo: Assessment,
) -> None:
    report, job = running_report(demo, "batch-run-without-heartbeat")
    DBTaskResult.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    assert [j.worker_id for j in services.recover_abandoned_jobs()] == [
        "batch-run-without-heartbeat"
    ]
    assert states(report, job) == ("queued", 0, "", "READY", ["batch-run-without-heartbeat"])


@pytest.mark.django_db
def test_a_report_whose_file_was_written_stays_ready_while_its_job_runs_again(
    demo: Assessment,
) -> None:
    beat("gone", seconds_ago=61)
    report, job = running_report(demo, "gone")
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.DONE, progress=100, content=b"whole file"
    )
    services.recover_abandoned_jobs()
    assert states(report, job) == ("done", 100, "", "READY", ["gone"])
    assert bytes(report.content or b"") == b"whole file"


@pytest.mark.django_db
def test_each_heartbeat_recovers_the_jobs_of_workers_that_are_gone(demo: Assessment) -> None:
    beat("gone", seconds_ago=61)
    report, job = running_report(demo, "gone")
    services.Heartbeat("live")._beat()
    assert WorkerHeartbeat.objects.filter(worker_id="live").exists()
    assert states(report, job) == ("queued", 0, "", "READY", ["gone"])


@pytest.mark.django_db
def test_a_failing_recovery_does_not_stop_the_heartbeat(
    demo: Assessment, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("recovery broke")

    monkeypatch.setattr(services, "recover_abandoned_jobs", broken)
    services.Heartbeat("live")._beat()
    assert WorkerHeartbeat.objects.filter(worker_id="live").exists()
    assert "worker live could not recover abandoned jobs" in caplog.text


@pytest.mark.django_db
def test_recovery_speaks_vietnamese(demo: Assessment) -> None:
    output = StringIO()
    call_command("jobs", "recover", "--lang", "vi", stdout=output)
    assert output.getvalue() == "không có công việc nào của tiến trình xử lý đã dừng\n"


def test_a_heartbeat_interval_that_is_not_a_number_of_seconds_stops_the_start(
    tmp_path: Path,
) -> None:
    for wrong in ("ten", "0"):
        env = {**readiness_env(tmp_path), "WORKER_HEARTBEAT_SECONDS": wrong}
        result = subprocess.run(
            [*READINESS, "check"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 1
        assert result.stderr == (
            f"WORKER_HEARTBEAT_SECONDS must be a number of seconds from 0 to 3600, not {wrong!r}.\n"
        )


@pytest.mark.django_db
def test_a_report_interrupted_by_its_worker_stopping_fails_with_its_job(
    demo: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = request_report(None, demo, "xlsx", "en")

    def second_sigterm(*args: object) -> None:
        raise SystemExit(1)  # what django-tasks-db's worker does on a second signal

    monkeypatch.setattr(report_services, "report_source", second_sigterm)
    with pytest.raises(SystemExit):
        render_report.call(report.pk)
    report.refresh_from_db()
    assert (report.status, report.content) == ("failed", None)
    assert report.error == "The worker rendering this report stopped. Request the report again."
