"""Harvesting a CKAN portal through its API: the pages come from a real HTTP
server on 127.0.0.1, serving the Birmingham portal's own package_search
answer (/work/shared/realdata/ckan_birmingham_1.json: count 38, 10
packages) as a portal with 38 datasets. Like CKAN with a small
`ckan.search.rows_max`, the server gives at most 10 packages a page,
whatever `rows` asks: page k (start 10·k) holds the file's packages in
their order, each with "-p<k>" added to its id and name on pages after the
first, so the 38 are distinct; the last page has 8. The harvest pages,
stops at its limits, resumes after a failed page, and refuses what it may
not request; a bad page imports nothing."""

import copy
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User

from readiness.assessments.models import Assessment
from readiness.catalogues import services, tasks
from readiness.catalogues.harvest import harvest_catalogue, spool_folder
from readiness.catalogues.models import Catalogue, CatalogueRun, Dataset

pytestmark = pytest.mark.django_db

BIRMINGHAM = Path("/work/shared/realdata/ckan_birmingham_1.json")
PAGE_SIZE = 10
COUNT = 38
SEARCH = "/api/3/action/package_search"

Answer = tuple[int, str, bytes]  # status, content type, body
Route = Callable[["Handler"], Answer]


class Handler(BaseHTTPRequestHandler):
    server: "LocalServer"

    def answer(self) -> None:
        path = urlsplit(self.path).path
        with self.server.lock:
            self.server.requests.append(self.path)
        route = self.server.routes.get(path)
        status, content_type, body = route(self) if route else (404, "text/plain", b"no")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = answer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet tests

    def start(self) -> int:
        return int(parse_qs(urlsplit(self.path).query)["start"][0])


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    thread = threading.Thread(target=local.serve_forever, daemon=True)
    thread.start()
    yield local
    local.shutdown()
    local.server_close()


def birmingham_page(start: int) -> bytes:
    document = json.loads(BIRMINGHAM.read_bytes())
    packages = document["result"]["results"]
    page = start // PAGE_SIZE
    results = []
    for package in packages[: max(0, min(PAGE_SIZE, COUNT - start))]:
        package = copy.deepcopy(package)
        if page:
            package["id"] += f"-p{page}"
            package["name"] += f"-p{page}"
        results.append(package)
    document["result"]["results"] = results
    document["result"]["count"] = COUNT
    return json.dumps(document).encode()


def portal(handler: Handler) -> Answer:
    return 200, "application/json", birmingham_page(handler.start())


def starts(server: LocalServer) -> list[int]:
    return [int(parse_qs(urlsplit(path).query)["start"][0]) for path in server.requests]


@pytest.fixture(autouse=True)
def spool_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


@pytest.fixture
def catalogue(demo: Assessment) -> Catalogue:
    return Catalogue.objects.create(
        assessment=demo, key="birmingham", title="Birmingham", kind="ckan"
    )


def new_run(catalogue: Catalogue, source: str, lead: User) -> CatalogueRun:
    return CatalogueRun.objects.create(
        catalogue=catalogue, kind=CatalogueRun.Kind.HARVEST, source=source, created_by=lead
    )


def harvest(run: CatalogueRun, **limits: Any) -> CatalogueRun:
    bounds = {"max_datasets": 1000, "max_seconds": 60.0, "pause_seconds": 0.0} | limits
    harvest_catalogue(run, **bounds)
    run.refresh_from_db()
    return run


def test_a_portal_address_is_harvested_page_by_page_into_the_catalogue(
    server: LocalServer, catalogue: Catalogue, lead: User
) -> None:
    server.routes[SEARCH] = portal
    run = harvest(new_run(catalogue, server.base + "/", lead))
    assert run.status == CatalogueRun.Status.DONE, run.error
    assert starts(server) == [0, 10, 20, 30]
    assert all(urlsplit(path).path == SEARCH for path in server.requests)
    assert (run.total, run.done, run.added) == (38, 38, 38)
    assert Dataset.objects.filter(catalogue=catalogue).count() == 38
    assert Dataset.objects.filter(catalogue=catalogue, identifier__endswith="-p3").count() == 8
    assert not spool_folder(run).exists()
    assert run.cursor == {}


def test_a_harvest_stops_at_its_dataset_limit_and_imports_that_many(
    server: LocalServer, catalogue: Catalogue, lead: User
) -> None:
    server.routes[SEARCH] = portal
    run = harvest(new_run(catalogue, server.base + SEARCH, lead), max_datasets=15)
    assert run.status == CatalogueRun.Status.STOPPED
    assert "15" in run.error and "38" in run.error
    assert starts(server) == [0, 10]
    assert Dataset.objects.filter(catalogue=catalogue).count() == 15


def test_a_slow_portal_stops_the_harvest_at_its_time_limit_and_a_new_start_continues(
    server: LocalServer, catalogue: Catalogue, lead: User
) -> None:
    def slow_from_page_3(handler: Handler) -> Answer:
        if handler.start() >= 20:
            time.sleep(1.5)
        return portal(handler)

    server.routes[SEARCH] = slow_from_page_3
    run = harvest(new_run(catalogue, server.base + SEARCH, lead), max_seconds=1.0)
    assert run.status == CatalogueRun.Status.STOPPED
    assert "time limit of 1 seconds after 30 datasets" in run.error
    assert starts(server) == [0, 10, 20]
    assert run.cursor == {"start": 30}
    assert (run.done, run.total) == (30, 38)
    assert not Dataset.objects.filter(catalogue=catalogue).exists()

    server.routes[SEARCH] = portal
    run = harvest(run)
    assert run.status == CatalogueRun.Status.DONE, run.error
    assert starts(server) == [0, 10, 20, 30]
    assert Dataset.objects.filter(catalogue=catalogue).count() == 38


def test_a_page_that_fails_fails_the_run_and_the_next_start_fetches_only_the_rest(
    server: LocalServer, catalogue: Catalogue, lead: User
) -> None:
    failures = []

    def fails_on_page_3_once(handler: Handler) -> Answer:
        if handler.start() == 20 and not failures:
            failures.append(handler.path)
            return 500, "text/html", b"<h1>Internal Server Error</h1>"
        return portal(handler)

    server.routes[SEARCH] = fails_on_page_3_once
    run = harvest(new_run(catalogue, server.base + SEARCH, lead))
    assert run.status == CatalogueRun.Status.FAILED
    assert "HTTP status 500" in run.error and "start=20" in run.error
    assert not Dataset.objects.filter(catalogue=catalogue).exists()
    assert run.cursor == {"start": 20}

    del server.requests[:]
    run = harvest(run)
    assert run.status == CatalogueRun.Status.DONE, run.error
    assert starts(server) == [20, 30]
    assert Dataset.objects.filter(catalogue=catalogue).count() == 38


def test_a_page_that_is_not_json_fails_the_run_by_its_address_and_imports_nothing(
    server: LocalServer, catalogue: Catalogue, lead: User
) -> None:
    def broken(handler: Handler) -> Answer:
        if handler.start() == 10:
            return 200, "application/json", b'{"result": {"count": 38, "results": [}'
        return portal(handler)

    server.routes[SEARCH] = broken
    run = harvest(new_run(catalogue, server.base + SEARCH, lead))
    assert run.status == CatalogueRun.Status.FAILED
    assert "not valid JSON" in run.error and "start=10" in run.error
    assert not Dataset.objects.filter(catalogue=catalogue).exists()


def test_a_json_answer_that_is_not_a_search_result_is_refused_by_field(
    server: LocalServer, catalogue: Catalogue, lead: User
) -> None:
    server.routes[SEARCH] = lambda handler: (200, "application/json", b'{"result": {"count": 3}}')
    run = harvest(new_run(catalogue, server.base + SEARCH, lead))
    assert run.status == CatalogueRun.Status.FAILED
    assert "result.results" in run.error
    assert not Dataset.objects.filter(catalogue=catalogue).exists()


def test_a_file_address_is_refused(catalogue: Catalogue, lead: User) -> None:
    run = harvest(new_run(catalogue, "file:///etc/passwd", lead))
    assert run.status == CatalogueRun.Status.FAILED
    assert "only http and https" in run.error


def test_a_loopback_address_is_refused_by_default_and_never_requested(
    server: LocalServer, catalogue: Catalogue, lead: User, settings: Any
) -> None:
    settings.CATALOGUE_HARVEST_ALLOW_PRIVATE = False
    server.routes[SEARCH] = portal
    run = harvest(new_run(catalogue, server.base + SEARCH, lead))
    assert run.status == CatalogueRun.Status.FAILED
    assert "private or local address" in run.error
    assert server.requests == []


def test_the_harvest_job_keeps_the_limits_the_harvest_was_started_with(
    server: LocalServer, catalogue: Catalogue, lead: User
) -> None:
    server.routes[SEARCH] = portal
    run = services.start_harvest(actor=lead, catalogue=catalogue, url=server.base, max_datasets=10)
    tasks.harvest.call(run.pk)
    run.refresh_from_db()
    assert run.status == CatalogueRun.Status.STOPPED
    assert "limit of 10 datasets" in run.error
    assert starts(server) == [0]
    assert Dataset.objects.filter(catalogue=catalogue).count() == 10


def test_a_job_whose_worker_stopped_leaves_its_run_failed_or_queued_again(
    catalogue: Catalogue, lead: User
) -> None:
    first, second = (
        CatalogueRun.objects.create(
            catalogue=catalogue, kind=kind, status=CatalogueRun.Status.RUNNING, created_by=lead
        )
        for kind in (CatalogueRun.Kind.HARVEST, CatalogueRun.Kind.LINK_CHECK)
    )
    tasks.worker_gone(tasks.harvest.module_path, [first.pk], queued_again=True)
    tasks.worker_gone(tasks.check_links.module_path, [second.pk], queued_again=False)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == CatalogueRun.Status.QUEUED
    assert second.status == CatalogueRun.Status.FAILED
    assert "start it again" in second.error
