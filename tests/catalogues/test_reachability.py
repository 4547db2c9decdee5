"""Checking a catalogue's links against a real HTTP server on 127.0.0.1:
each distribution keeps the status its access and download addresses
answered with (0: no answer), a server that refuses HEAD is asked with a
GET of the first bytes, no more than four requests run at once, the check
stops at its limits, and the accessibility scores follow the answers."""

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import QuerySet

from readiness.assessments.models import Assessment
from readiness.catalogues.models import Catalogue, CatalogueRun, Dataset, Distribution
from readiness.catalogues.reachability import check_links
from tests.catalogues.test_harvest import Answer, Handler, LocalServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    local.routes["/ok.csv"] = lambda handler: (200, "text/csv", b"a,b\n1,2\n")
    local.routes["/page"] = lambda handler: (200, "text/html", b"<p>data</p>")
    thread = threading.Thread(target=local.serve_forever, daemon=True)
    thread.start()
    yield local
    local.shutdown()
    local.server_close()


@pytest.fixture
def closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone.csv"


@pytest.fixture
def catalogue(demo: Assessment) -> Catalogue:
    return Catalogue.objects.create(assessment=demo, key="portal", title="Portal", kind="ckan")


def dataset(catalogue: Catalogue, identifier: str, access_url: str, download_url: str) -> Dataset:
    row = Dataset.objects.create(catalogue=catalogue, identifier=identifier, title=identifier)
    Distribution.objects.create(
        dataset=row, format="CSV", access_url=access_url, download_url=download_url
    )
    return row


def mine(catalogue: Catalogue) -> "QuerySet[Distribution]":
    # The demo assessment has an inventory of its own.
    return Distribution.objects.filter(dataset__catalogue=catalogue)


def link_check(catalogue: Catalogue, lead: User, **limits: Any) -> CatalogueRun:
    run = CatalogueRun.objects.create(
        catalogue=catalogue, kind=CatalogueRun.Kind.LINK_CHECK, created_by=lead
    )
    check_links(run, **limits)
    run.refresh_from_db()
    return run


def test_each_address_keeps_the_status_it_answered_with_and_zero_for_no_answer(
    server: LocalServer, catalogue: Catalogue, lead: User, closed_port: str
) -> None:
    good = dataset(catalogue, "good", server.base + "/page", server.base + "/ok.csv")
    bad = dataset(catalogue, "bad", server.base + "/missing", closed_port)
    run = link_check(catalogue, lead)
    assert run.status == CatalogueRun.Status.DONE, run.error
    assert (run.done, run.total) == (4, 4)
    answers = {
        d.dataset.identifier: (d.access_url_status, d.download_url_status, d.checked_at is not None)
        for d in mine(catalogue).select_related("dataset")
    }
    assert answers == {"good": (200, 200, True), "bad": (404, 0, True)}
    # One HEAD each is enough when the server answers it (the closed port gets none).
    assert len(server.requests) == 3
    # Scores follow: 50 (access answers) + 20 (download given) + 30 (download
    # answers) for the good one; only the 20 for the given download for the bad.
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.quality_accessibility, bad.quality_accessibility) == (100, 20)


def test_a_server_that_refuses_head_is_asked_for_the_first_bytes(
    server: LocalServer, catalogue: Catalogue, lead: User
) -> None:
    ranges = []

    def no_head(handler: Handler) -> Answer:
        if handler.command == "HEAD":
            return 405, "text/plain", b""
        ranges.append(handler.headers.get("Range"))
        return 206, "text/csv", b"x" * 1024

    server.routes["/no-head.csv"] = no_head
    dataset(catalogue, "no-head", "", server.base + "/no-head.csv")
    run = link_check(catalogue, lead)
    assert run.status == CatalogueRun.Status.DONE, run.error
    assert mine(catalogue).get().download_url_status == 206
    assert ranges == ["bytes=0-1023"]


def test_no_more_than_four_addresses_are_asked_at_once(
    server: LocalServer, catalogue: Catalogue, lead: User
) -> None:
    in_flight = [0]
    most = [0]
    lock = threading.Lock()

    def slow(handler: Handler) -> Answer:
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        time.sleep(0.15)
        with lock:
            in_flight[0] -= 1
        return 200, "text/csv", b""

    for number in range(12):
        server.routes[f"/slow-{number}.csv"] = slow
        dataset(catalogue, f"d{number}", "", f"{server.base}/slow-{number}.csv")
    run = link_check(catalogue, lead, workers=4)
    assert run.status == CatalogueRun.Status.DONE, run.error
    assert 2 <= most[0] <= 4
    assert set(mine(catalogue).values_list("download_url_status", flat=True)) == {200}


def test_a_check_stops_at_its_limits_and_leaves_the_rest_unchecked(
    server: LocalServer, catalogue: Catalogue, lead: User
) -> None:
    for number in range(5):
        dataset(catalogue, f"d{number}", "", f"{server.base}/ok.csv?n={number}")
    run = link_check(catalogue, lead, max_links=3)
    assert run.status == CatalogueRun.Status.STOPPED
    assert "3" in run.error and "5" in run.error
    statuses = list(
        mine(catalogue)
        .order_by("dataset__identifier")
        .values_list("download_url_status", flat=True)
    )
    assert statuses == [200, 200, 200, None, None]


def test_a_check_stops_at_its_time_limit(
    server: LocalServer, catalogue: Catalogue, lead: User
) -> None:
    def slow(handler: Handler) -> Answer:
        time.sleep(1.5)
        return 200, "text/csv", b""

    server.routes["/slow.csv"] = slow
    for number in range(6):
        path = "/ok.csv" if number < 2 else "/slow.csv"
        dataset(catalogue, f"d{number}", "", f"{server.base}{path}?n={number}")
    run = link_check(catalogue, lead, max_seconds=1.0, workers=2)
    assert run.status == CatalogueRun.Status.STOPPED
    assert "time limit" in run.error and "2 of 6" in run.error
    statuses = list(
        mine(catalogue)
        .order_by("dataset__identifier")
        .values_list("download_url_status", flat=True)
    )
    assert statuses == [200, 200, None, None, None, None]


def test_a_private_address_is_not_asked_by_default(
    server: LocalServer, catalogue: Catalogue, lead: User, settings: Any
) -> None:
    settings.CATALOGUE_HARVEST_ALLOW_PRIVATE = False
    dataset(catalogue, "inside", "", server.base + "/ok.csv")
    run = link_check(catalogue, lead)
    assert run.status == CatalogueRun.Status.DONE
    assert mine(catalogue).get().download_url_status == 0
    assert server.requests == []
