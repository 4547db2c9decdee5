"""Harvest a CKAN portal through its API (`package_search`, paged by `rows`
and `start`) into a catalogue. Each page is kept in a spool file named by
the run, and the run's `cursor` says where the next page starts, so a
harvest stopped at its time limit or by a failed page resumes where it
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

from readiness.catalogues import services
from readiness.catalogues.models import CatalogueRun
from readiness.catalogues.readers.ckan import records_from_ckan
from readiness.catalogues.records import DatasetRecord
from readiness.core.errors import InvalidInput, ServiceError
from readiness.core.readers import read_json

CKAN_SEARCH_PATH = "/api/3/action/package_search"
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


# --- the harvest ----------------------------------------------------------------------


def search_url(address: str) -> str:
    """A portal's package_search address, from it or from the portal's own address."""
    parts = urlsplit(address.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput.single(
            "url", _("only http and https addresses can be harvested"), address
        )
    path = parts.path.rstrip("/")
    if not path.endswith(CKAN_SEARCH_PATH):
        path += CKAN_SEARCH_PATH
    return urlunsplit(parts._replace(path=path, fragment=""))


def page_url(base: str, start: int) -> str:
    parts = urlsplit(base)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("rows", "start")]
    query += [("rows", str(PAGE_ROWS)), ("start", str(start))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def page_facts(response: Response) -> tuple[int, int]:
    """(count, packages on the page) of a package_search answer; a page
    that is an error answer or not such a document is refused by name."""
    if response.status != 200:
        raise InvalidInput.single(
            response.url, _("the portal answered with HTTP status %d") % response.status
        )
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
    return count, len(results)


def spool_folder(run: CatalogueRun) -> Path:
    return Path(settings.VAR_DIR) / SPOOL_FOLDER / f"run-{run.pk}"


def spooled_records(folder: Path, source: str, warnings: list[str]) -> Iterator[DatasetRecord]:
    for page in sorted(folder.glob("page-*.json")):
        with page.open("rb") as data:
            yield from records_from_ckan(data, f"{source} ({page.stem})", warnings)


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
    """Fetch the pages from `run.cursor` on, then import them all. Stops
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
    try:
        base = search_url(run.source)
        # A run that finished (cursor cleared) starts over; one that stopped resumes.
        start = int(run.cursor.get("start", 0))
        count = run.total if run.cursor else None
        if start and not any(folder.glob("page-*.json")):  # the spool was lost: all again
            start, count = 0, None
        fetched = False
        while count is None or (start < count and start < max_datasets):
            if time.monotonic() - started >= max_seconds:
                message = _(
                    "Stopped at the time limit of %(seconds)s seconds after %(done)d datasets;"
                    " start the harvest again to continue."
                ) % {"seconds": f"{max_seconds:g}", "done": start}
                return finish(run, CatalogueRun.Status.STOPPED, message)
            if fetched:
                time.sleep(pause_seconds)
            response = fetch(page_url(base, start), timeout=REQUEST_TIMEOUT_SECONDS)
            fetched = True
            count, received = page_facts(response)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"page-{start:09d}.json").write_bytes(response.body)
            if received == 0:  # the portal lists fewer than it counts
                count = start
            start += received
            run.cursor = {"start": start}
            run.total, run.done = count, min(start, count)
            run.save(update_fields=["cursor", "total", "done"])
        warnings: list[str] = []  # the reader's, read by the import at its end
        records: Iterator[DatasetRecord] = spooled_records(folder, run.source, warnings)
        limited = count > max_datasets
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
    run.done = min(count, max_datasets)
    if limited:
        message = _(
            "Stopped at the limit of %(limit)d datasets: the portal lists %(count)d;"
            " the first %(limit)d were imported."
        ) % {"limit": max_datasets, "count": count}
        return finish(run, CatalogueRun.Status.STOPPED, message)
    return finish(run, CatalogueRun.Status.DONE)
