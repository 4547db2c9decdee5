"""Harvest a portal into a catalogue: a CKAN portal through its API
(`package_search`, paged by `rows` and `start`), or, for a catalogue of the
DCAT kind, a DCAT catalogue paged with Hydra. Each page is kept in a spool
file named by the run, and the run's `cursor` holds the next page's
address, so a harvest stopped at its time limit or by a failed page resumes where it
stopped. Only when every page is in are all the records imported, in one
all-or-nothing call of the import service; then the spool is deleted.

Every request is bounded (a timeout, a response size), goes only to http and
https addresses, and never to a private or loopback address unless the
setting CATALOGUE_HARVEST_ALLOW_PRIVATE allows it (so that a catalogue's
address cannot make the server probe its own network). Redirects are
followed by hand, each new address checked the same way."""

import ipaddress
import itertools
import shutil
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rdflib import Namespace

from readiness.catalogues import services
from readiness.catalogues.models import Catalogue, CatalogueRun
from readiness.catalogues.readers import read_catalogue
from readiness.catalogues.records import DatasetRecord
from readiness.core.errors import InvalidInput, ServiceError
from readiness.core.readers import read_json

CKAN_SEARCH_PATH = "/api/3/action/package_search"
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
# CKAN's own default page size is 10 and its usual maximum 1,000; 100 keeps a
# page of rich packages around a megabyte.
PAGE_ROWS = 100
# A page of 100 packages of the Birmingham portal is about 0.4 MB; 32 MiB
# leaves room for portals with very long descriptions and many resources.
MAX_PAGE_BYTES = 32 * 1024 * 1024
REQUEST_TIMEOUT_SECONDS = 30.0
MAX_REDIRECTS = 5
PAUSE_SECONDS = 1.0  # between two requests to the same portal
USER_AGENT = "Readiness catalogue harvester"
SPOOL_FOLDER = "catalogue-harvests"


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    body: bytes


Fetch = Callable[..., Response]


# --- requests -----------------------------------------------------------------------


def allowed_address(url: str) -> str | None:
    """Why the harvester may not request `url`, or None if it may."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("only http and https addresses can be harvested")
    if settings.CATALOGUE_HARVEST_ALLOW_PRIVATE:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(parts.hostname, port)}
    except (OSError, ValueError):
        return _("the host %s is not known") % parts.hostname
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        mapped = getattr(ip, "ipv4_mapped", None)
        if not (mapped or ip).is_global:
            return _("%s is a private or local address, which is not harvested") % parts.hostname
    return None


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # followed by `request`, which checks each new address


OPENER = urllib.request.build_opener(NoRedirects)


def read_bounded(stream: Any, max_bytes: int, deadline: float, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise InvalidInput.single(url, _("the answer is larger than %d bytes") % max_bytes)
        if time.monotonic() > deadline:
            raise InvalidInput.single(url, _("no complete answer within the time limit"))
        chunks.append(chunk)
    return b"".join(chunks)


def request(
    url: str,
    *,
    timeout: float = REQUEST_TIMEOUT_SECONDS,
    max_bytes: int = MAX_PAGE_BYTES,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    read_body: bool = True,
) -> Response:
    """One bounded request (redirects followed, each address checked); an
    error answer (4xx, 5xx) is a Response too. Raises InvalidInput naming
    the address when it may not be requested, does not answer in time, or
    its answer is too large. Without `read_body` only the status is awaited."""
    deadline = time.monotonic() + timeout
    for _redirect in range(MAX_REDIRECTS + 1):
        problem = allowed_address(url)
        if problem:
            raise InvalidInput.single(url, problem)
        prepared = urllib.request.Request(
            url, method=method, headers={"User-Agent": USER_AGENT, **(headers or {})}
        )
        try:
            answer = OPENER.open(prepared, timeout=timeout)
        except urllib.error.HTTPError as error:
            answer = error
        except (OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise InvalidInput.single(url, _("no answer: %s") % reason) from error
        with answer:
            status = answer.status if hasattr(answer, "status") else answer.code
            location = (answer.headers or Message()).get("Location")
            if status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            if not read_body:
                return Response(url, status, b"")
            try:
                body = read_bounded(answer, max_bytes, deadline, url)
            except OSError as error:
                raise InvalidInput.single(url, _("no answer: %s") % error) from error
        return Response(url, status, body)
    raise InvalidInput.single(url, _("more than %d redirects") % MAX_REDIRECTS)


# --- the two kinds of portal ----------------------------------------------------------


@dataclass(frozen=True)
class Page:
    count: int | None  # the datasets the portal says it lists in all, when it says
    received: int  # datasets on this page
    next_url: str | None


def address_of(text: str) -> str:
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput.single("url", _("only http and https addresses can be harvested"), text)
    return urlunsplit(parts._replace(fragment=""))


class CkanPortal:
    """`package_search`, paged by `rows` and `start`."""

    @staticmethod
    def first_url(address: str) -> str:
        """The package_search address, from it or from the portal's own address."""
        parts = urlsplit(address_of(address))
        path = parts.path.rstrip("/")
        if not path.endswith(CKAN_SEARCH_PATH):
            path += CKAN_SEARCH_PATH
        return page_url(urlunsplit(parts._replace(path=path)), 0)

    @staticmethod
    def read(response: Response, url: str, done: int) -> Page:
        """A page that is an error answer or not a package_search answer is
        refused by name."""
        document = read_json(response.body, response.url, max_bytes=MAX_PAGE_BYTES)
        result = document.get("result") if isinstance(document, dict) else None
        if not isinstance(result, dict):
            raise InvalidInput.single(
                "result", _("not a CKAN package_search answer (no result)"), response.url
            )
        count, results = result.get("count"), result.get("results")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise InvalidInput.single("result.count", _("a number of datasets"), response.url)
        if not isinstance(results, list):
            raise InvalidInput.single("result.results", _("a list of datasets"), response.url)
        start = done + len(results)
        more = bool(results) and start < count
        return Page(count, len(results), page_url(url, start) if more else None)


def page_url(base: str, start: int) -> str:
    parts = urlsplit(base)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("rows", "start")]
    query += [("rows", str(PAGE_ROWS)), ("start", str(start))]
    return urlunsplit(parts._replace(query=urlencode(query)))


class DcatPortal:
    """A DCAT catalogue (RDF/XML, Turtle or JSON-LD) paged with the Hydra
    vocabulary: the next page is `hydra:next` of a PartialCollectionView or,
    as ckanext-dcat and the older Hydra draft write it, `hydra:nextPage` of
    a PagedCollection; `hydra:totalItems` says how many in all."""

    @staticmethod
    def first_url(address: str) -> str:
        return address_of(address)

    @staticmethod
    def read(response: Response, url: str, done: int) -> Page:
        read = read_catalogue(response.body, response.url)
        if read.kind != Catalogue.Kind.DCAT or read.graph is None:
            raise InvalidInput.single(
                "", _("not a DCAT catalogue (RDF/XML, Turtle or JSON-LD)"), response.url
            )
        received = sum(1 for _record in read.records)
        graph = read.graph
        totals = sorted(str(o) for o in graph.objects(None, HYDRA.totalItems))
        count = int(totals[0]) if totals and totals[0].isdigit() else None
        following = sorted(
            {str(o) for o in graph.objects(None, HYDRA.next)}
            | {str(o) for o in graph.objects(None, HYDRA.nextPage)}
        )
        next_url = urljoin(response.url, following[0]) if following and received else None
        return Page(count, received, None if next_url in (url, response.url) else next_url)


def portal_for(catalogue: Catalogue) -> type[CkanPortal] | type[DcatPortal]:
    return DcatPortal if catalogue.kind == Catalogue.Kind.DCAT else CkanPortal


# --- the harvest ----------------------------------------------------------------------


def spool_folder(run: CatalogueRun) -> Path:
    return Path(settings.VAR_DIR) / SPOOL_FOLDER / f"run-{run.pk}"


def spooled_records(folder: Path, source: str, warnings: list[str]) -> Iterator[DatasetRecord]:
    for page in sorted(folder.glob("page-*")):
        with page.open("rb") as data:
            read = read_catalogue(data, f"{source} ({page.stem})")
            yield from read.records
            warnings.extend(read.warnings)


def finish(run: CatalogueRun, status: str, error: str = "") -> CatalogueRun:
    run.status = status
    run.error = error
    run.finished_at = timezone.now()
    run.save()
    return run


def harvest_catalogue(
    run: CatalogueRun,
    *,
    fetch: Fetch | None = None,
    max_datasets: int,
    max_seconds: float,
    pause_seconds: float,
) -> CatalogueRun:
    """Fetch the pages from `run.cursor` on, then import them all: a CKAN
    portal's package_search, or a DCAT catalogue's Hydra pages. Stops
    (status "stopped", the spool and cursor kept) when `max_seconds` have
    passed; with more than `max_datasets` in the portal, imports the first
    `max_datasets` and says so. A failed page fails the run with the
    address and the reason; nothing is imported, and starting it again
    resumes at that page."""
    fetch = fetch or request
    started = time.monotonic()
    run.status, run.error, run.finished_at = CatalogueRun.Status.RUNNING, "", None
    run.save(update_fields=["status", "error", "finished_at"])
    folder = spool_folder(run)
    portal = portal_for(run.catalogue)
    try:
        # A run that finished (cursor cleared) starts over; one that stopped resumes.
        cursor = run.cursor if "next" in run.cursor and any(folder.glob("page-*")) else {}
        if not cursor:
            shutil.rmtree(folder, ignore_errors=True)
        url: str | None = cursor.get("next") or portal.first_url(run.source)
        done, pages = int(cursor.get("done", 0)), int(cursor.get("pages", 0))
        count = run.total if cursor else None
        while url is not None and done < max_datasets:
            if time.monotonic() - started >= max_seconds:
                message = _(
                    "Stopped at the time limit of %(seconds)s seconds after %(done)d datasets;"
                    " start the harvest again to continue."
                ) % {"seconds": f"{max_seconds:g}", "done": done}
                return finish(run, CatalogueRun.Status.STOPPED, message)
            if pages or cursor:
                time.sleep(pause_seconds)
            response = fetch(url, timeout=REQUEST_TIMEOUT_SECONDS)
            if response.status != 200:
                raise InvalidInput.single(
                    response.url, _("the portal answered with HTTP status %d") % response.status
                )
            page = portal.read(response, url, done)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"page-{pages:09d}").write_bytes(response.body)
            pages += 1
            done += page.received
            url = page.next_url
            count = page.count if page.count is not None else (None if url else done)
            run.cursor = {"next": url, "done": done, "pages": pages}
            run.total, run.done = count, min(done, count) if count is not None else done
            run.save(update_fields=["cursor", "total", "done"])
        warnings: list[str] = []  # the reader's, read by the import at its end
        records: Iterator[DatasetRecord] = spooled_records(folder, run.source, warnings)
        limited = url is not None or done > max_datasets
        if limited:
            records = itertools.islice(records, max_datasets)
        outcome = services.import_records(
            run.catalogue,
            records,
            actor=run.created_by,
            source=run.source,
            run=run,
            warnings=warnings,
        )
    except ServiceError as error:  # a refused page, or the assessment no longer editable
        return finish(run, CatalogueRun.Status.FAILED, str(error))
    shutil.rmtree(folder, ignore_errors=True)
    run.cursor = {}
    run.added, run.changed, run.removed = outcome.added, outcome.changed, outcome.removed
    run.warnings = list(outcome.warnings)
    run.done = min(done, max_datasets)
    if limited and count is not None and count > max_datasets:
        message = _(
            "Stopped at the limit of %(limit)d datasets: the portal lists %(count)d;"
            " the first %(limit)d were imported."
        ) % {"limit": max_datasets, "count": count}
        return finish(run, CatalogueRun.Status.STOPPED, message)
    if limited:
        message = _(
            "Stopped at the limit of %(limit)d datasets: the portal lists more;"
            " the first %(limit)d were imported."
        ) % {"limit": max_datasets}
        return finish(run, CatalogueRun.Status.STOPPED, message)
    return finish(run, CatalogueRun.Status.DONE)
