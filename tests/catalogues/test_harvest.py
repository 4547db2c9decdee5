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
import io
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
from django.core.management import call_command

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


def page_address(server: LocalServer, start: int) -> str:
    return f"{server.base}{SEARCH}?rows=100&start={start}"


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
    assert run.cursor == {"next": page_address(server, 30), "done": 30, "pages": 3}
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
    assert run.cursor == {"next": page_address(server, 20), "done": 20, "pages": 2}

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


# --- a DCAT catalogue paged with Hydra -----------------------------------------------
# Two real records as two pages: Rostock's RDF/XML (govdata.de) with the
# paging ckanext-dcat writes (a PagedCollection whose nextPage is a literal),
# then Madrid's Turtle (datos.gob.es) with the paging of Hydra's current
# draft (a PartialCollectionView with no next: the last page).

ROSTOCK = Path("/work/shared/realdata/dcat_govde_rostock_1.rdf")
MADRID = Path("/work/shared/realdata/dcat_datosgobes_1.ttl")
CATALOGUE = "/catalog.rdf"


def rostock_page(server: LocalServer, total: int = 2, next_page: str = "/catalog.ttl") -> bytes:
    paging = f"""
  <hydra:PagedCollection xmlns:hydra="http://www.w3.org/ns/hydra/core#"
      rdf:about="{server.base}{CATALOGUE}">
    <hydra:totalItems rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">{total}</hydra:totalItems>
    <hydra:itemsPerPage rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">1</hydra:itemsPerPage>
    <hydra:nextPage>{server.base}{next_page}</hydra:nextPage>
  </hydra:PagedCollection>
</rdf:RDF>"""
    return ROSTOCK.read_bytes().replace(b"</rdf:RDF>", paging.encode())


def madrid_page(server: LocalServer) -> bytes:
    paging = f"""
<{server.base}/catalog.ttl> a <http://www.w3.org/ns/hydra/core#PartialCollectionView> ;
    <http://www.w3.org/ns/hydra/core#totalItems> 2 ;
    <http://www.w3.org/ns/hydra/core#previous> <{server.base}{CATALOGUE}> .
"""
    return MADRID.read_bytes() + paging.encode()


@pytest.fixture
def dcat_catalogue(demo: Assessment) -> Catalogue:
    return Catalogue.objects.create(assessment=demo, key="govdata", title="GovData", kind="dcat")


def serve_dcat(server: LocalServer) -> None:
    server.routes[CATALOGUE] = lambda h: (200, "application/rdf+xml", rostock_page(server))
    server.routes["/catalog.ttl"] = lambda h: (200, "text/turtle", madrid_page(server))


def test_a_dcat_catalogue_is_harvested_by_following_its_hydra_pages(
    server: LocalServer, dcat_catalogue: Catalogue, lead: User
) -> None:
    serve_dcat(server)
    run = harvest(new_run(dcat_catalogue, server.base + CATALOGUE, lead))
    assert run.status == CatalogueRun.Status.DONE, run.error
    assert server.requests == [CATALOGUE, "/catalog.ttl"]
    assert (run.added, run.done, run.total) == (2, 2, 2)
    assert sorted(
        Dataset.objects.filter(catalogue=dcat_catalogue).values_list("title", flat=True)
    ) == [
        "Estudio de Satisfacción con el Programa de Escuelas Municipales de Promoción "
        "Deportiva en centros escolares",
        "Liefer- und Abholservices (Gastronomie)",
    ]


def test_a_dcat_harvest_stops_at_its_dataset_limit_and_names_the_portal_s_total(
    server: LocalServer, dcat_catalogue: Catalogue, lead: User
) -> None:
    serve_dcat(server)
    run = harvest(new_run(dcat_catalogue, server.base + CATALOGUE, lead), max_datasets=1)
    assert run.status == CatalogueRun.Status.STOPPED
    assert "limit of 1 datasets: the portal lists 2" in run.error
    assert server.requests == [CATALOGUE]
    assert list(
        Dataset.objects.filter(catalogue=dcat_catalogue).values_list("title", flat=True)
    ) == ["Liefer- und Abholservices (Gastronomie)"]


def test_a_dcat_page_that_points_to_itself_ends_the_harvest(
    server: LocalServer, dcat_catalogue: Catalogue, lead: User
) -> None:
    page = rostock_page(server, total=1, next_page=CATALOGUE)
    server.routes[CATALOGUE] = lambda h: (200, "application/rdf+xml", page)
    run = harvest(new_run(dcat_catalogue, server.base + CATALOGUE, lead))
    assert run.status == CatalogueRun.Status.DONE, run.error
    assert server.requests == [CATALOGUE]
    assert Dataset.objects.filter(catalogue=dcat_catalogue).count() == 1


def test_a_dcat_page_that_is_not_rdf_fails_the_run_and_imports_nothing(
    server: LocalServer, dcat_catalogue: Catalogue, lead: User
) -> None:
    serve_dcat(server)
    server.routes["/catalog.ttl"] = lambda h: (200, "application/json", birmingham_page(0))
    run = harvest(new_run(dcat_catalogue, server.base + CATALOGUE, lead))
    assert run.status == CatalogueRun.Status.FAILED
    assert "not a DCAT catalogue" in run.error and "/catalog.ttl" in run.error
    assert not Dataset.objects.filter(catalogue=dcat_catalogue).exists()


def test_the_command_line_harvests_a_dcat_catalogue_into_a_new_dcat_catalogue(
    server: LocalServer, demo: Assessment
) -> None:
    serve_dcat(server)
    out = io.StringIO()
    call_command(
        "datasets",
        "harvest",
        demo.slug,
        server.base + CATALOGUE,
        "--catalogue",
        "govdata",
        "--kind",
        "dcat",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "govdata: Done; 2 added, 0 changed, 0 removed" in out.getvalue()
    catalogue = Catalogue.objects.get(assessment=demo, key="govdata")
    assert catalogue.kind == Catalogue.Kind.DCAT
    assert catalogue.datasets.count() == 2
