"""One log line per request: method, path, status, duration, user id."""

import logging
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

LINE = re.compile(r"^(GET|POST) (\S+) (\d{3}) \d+ms user=(\S+)$")


def request_lines(caplog: pytest.LogCaptureFixture) -> list[tuple[str, ...]]:
    return [
        LINE.match(record.getMessage()).groups()  # type: ignore[union-attr]
        for record in caplog.records
        if record.name == "readiness.requests"
    ]


@pytest.mark.django_db
def test_each_request_is_one_line_with_its_status_and_user(
    caplog: pytest.LogCaptureFixture, assessor: User, assessor_client: Client
) -> None:
    with caplog.at_level(logging.INFO, logger="readiness.requests"):
        assessor_client.get("/assessments/")
        assessor_client.get("/assessments/no-such-assessment/")
    assert request_lines(caplog) == [
        ("GET", "/assessments/", "200", str(assessor.pk)),
        ("GET", "/assessments/no-such-assessment/", "404", str(assessor.pk)),
    ]


@pytest.mark.django_db
def test_anonymous_requests_and_redirects_are_logged_without_the_query_string(
    caplog: pytest.LogCaptureFixture, anonymous_client: Client
) -> None:
    with caplog.at_level(logging.INFO, logger="readiness.requests"):
        anonymous_client.get("/assessments/?token=rdy_secret")
    assert request_lines(caplog) == [("GET", "/assessments/", "302", "-")]
    assert "rdy_secret" not in caplog.text
