"""Check, when the assessor asks, whether a catalogue's distributions
answer at their access and download addresses: a HEAD request (a GET of
the first bytes when the server refuses HEAD), a few at a time, bounded in
total time and number. Each distribution keeps the HTTP status it got (0:
no answer) and when; then the datasets' scores, whose accessibility
depends on the answers, are computed again.

The requests go through the harvester's `request`, so the same address
rules hold (http and https only, no private or loopback address)."""

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.catalogues import services
from readiness.catalogues.harvest import finish, request
from readiness.catalogues.models import Catalogue, CatalogueRun, Dataset, Distribution
from readiness.catalogues.scoring import score
from readiness.catalogues.selectors import dataset_record
from readiness.core.errors import InvalidInput, ServiceError

WORKERS = 4  # requests at the same time, to the portal and its hosts
REQUEST_TIMEOUT_SECONDS = 10.0
DEFAULT_MAX_LINKS = 20_000
DEFAULT_MAX_SECONDS = 30 * 60.0
SAVE_BATCH = 200  # answers written together
PEEK_BYTES = 1024  # what a GET fallback asks for (Range); its body is not read
# Answers to HEAD that mean "ask with GET" rather than "not there".
HEAD_REFUSED = frozenset({400, 403, 405, 501})
RESCORE_BATCH = 1000
SCORE_FIELDS = (
    "stars",
    "licence_key",
    "open_licence",
    "quality_findability",
    "quality_accessibility",
    "quality_interoperability",
    "quality_reusability",
    "quality_contextuality",
    "quality_points",
    "quality_band",
)

Check = Callable[[str], int]


def link_status(url: str) -> int:
    """The HTTP status `url` answers with, 0 when it does not answer (or
    may not be asked: a private address, too many redirects)."""
    try:
        status = request(url, method="HEAD", timeout=REQUEST_TIMEOUT_SECONDS, read_body=False)
        if status.status in HEAD_REFUSED:
            status = request(
                url,
                timeout=REQUEST_TIMEOUT_SECONDS,
                headers={"Range": f"bytes=0-{PEEK_BYTES - 1}"},
                read_body=False,
            )
    except InvalidInput:
        return 0
    return status.status


def check_links(
    run: CatalogueRun,
    *,
    check: Check | None = None,
    max_links: int = DEFAULT_MAX_LINKS,
    max_seconds: float = DEFAULT_MAX_SECONDS,
    workers: int = WORKERS,
) -> CatalogueRun:
    """Check the distinct addresses of `run.catalogue`'s distributions (at
    most `max_links`, within `max_seconds`; the rest stay unchecked and the
    run says "stopped"), store the answers and score the datasets again."""
    check = check or link_status
    started = time.monotonic()
    run.status, run.error, run.finished_at = CatalogueRun.Status.RUNNING, "", None
    run.save(update_fields=["status", "error", "finished_at"])
    users = addresses_of(run.catalogue)
    urls = list(users)[:max_links]
    run.total, run.done = len(urls), 0
    run.save(update_fields=["total", "done"])
    answers: dict[str, int] = {}
    pending: set[Future[int]] = set()
    queue = iter(urls)
    timed_out = False
    executor = ThreadPoolExecutor(max_workers=workers)
    try:
        while True:
            # At most `workers` requests submitted at once, so that none
            # waits in the pool while the time runs out.
            while len(pending) < workers and (url := next(queue, None)) is not None:
                future = executor.submit(check, url)
                future.url = url  # type: ignore[attr-defined]
                pending.add(future)
            if not pending:
                break
            remaining = max_seconds - (time.monotonic() - started)
            if remaining <= 0:
                timed_out = True
                break
            finished, pending = wait(pending, timeout=remaining, return_when=FIRST_COMPLETED)
            for future in finished:
                answers[future.url] = future.result()  # type: ignore[attr-defined]
            if len(answers) - run.done >= SAVE_BATCH:
                save_answers(users, answers, run)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    save_answers(users, answers, run)
    try:
        if rescore(run.catalogue):
            services.refresh_citations(run.catalogue.assessment, actor=run.created_by)
    except ServiceError as error:  # a cited figure's evidence can no longer be edited
        return finish(run, CatalogueRun.Status.FAILED, str(error))
    if timed_out:
        message = _(
            "Stopped at the time limit of %(seconds)s seconds: %(done)d of %(total)d"
            " addresses checked."
        ) % {"seconds": f"{max_seconds:g}", "done": len(answers), "total": len(urls)}
        return finish(run, CatalogueRun.Status.STOPPED, message)
    if len(users) > max_links:
        message = _("Stopped at the limit of %(limit)d addresses: the catalogue has %(total)d.") % {
            "limit": max_links,
            "total": len(users),
        }
        return finish(run, CatalogueRun.Status.STOPPED, message)
    return finish(run, CatalogueRun.Status.DONE)


def addresses_of(catalogue: Catalogue) -> dict[str, list[tuple[int, str]]]:
    """Each distinct address, with the (distribution, field) pairs that carry it."""
    users: dict[str, list[tuple[int, str]]] = defaultdict(list)
    rows = Distribution.objects.filter(dataset__catalogue=catalogue).order_by(
        "dataset_id", "order", "id"
    )
    for pk, access_url, download_url in rows.values_list("pk", "access_url", "download_url"):
        if access_url:
            users[access_url].append((pk, "access_url_status"))
        if download_url:
            users[download_url].append((pk, "download_url_status"))
    return users


def save_answers(
    users: dict[str, list[tuple[int, str]]], answers: dict[str, int], run: CatalogueRun
) -> None:
    """Write the answers not yet written (those after `run.done`)."""
    new = list(answers.items())[run.done :]
    if not new:
        return
    changes: dict[int, dict[str, Any]] = defaultdict(dict)
    for url, status in new:
        for pk, field in users[url]:
            changes[pk][field] = status
    now = timezone.now()
    rows = list(Distribution.objects.filter(pk__in=changes))
    for row in rows:
        for field, status in changes[row.pk].items():
            setattr(row, field, status)
        row.checked_at = now
    Distribution.objects.bulk_update(
        rows, ["access_url_status", "download_url_status", "checked_at"], batch_size=SAVE_BATCH
    )
    run.done = len(answers)
    run.save(update_fields=["done"])


def rescore(catalogue: Catalogue) -> int:
    """Compute again the scores of the catalogue's datasets from their rows
    and their distributions' answers, a batch at a time; the number changed."""
    changed = 0
    datasets = Dataset.objects.filter(catalogue=catalogue).select_related("publisher")
    last = 0
    while batch := list(datasets.filter(pk__gt=last).order_by("pk")[:RESCORE_BATCH]):
        last = batch[-1].pk
        distributions: dict[int, list[Distribution]] = defaultdict(list)
        for distribution in Distribution.objects.filter(dataset__in=batch).order_by(
            "dataset_id", "order", "id"
        ):
            distributions[distribution.dataset_id].append(distribution)
        updated = [row for row in batch if apply_score(row, distributions[row.pk])]
        Dataset.objects.bulk_update(updated, SCORE_FIELDS)
        changed += len(updated)
    return changed


def apply_score(row: Dataset, distributions: Iterable[Distribution]) -> bool:
    distributions = list(distributions)
    statuses = [(d.access_url_status, d.download_url_status) for d in distributions]
    checked = any(status is not None for pair in statuses for status in pair)
    scored = score(dataset_record(row, distributions), statuses if checked else ())
    values = {
        "stars": scored.stars,
        "licence_key": scored.licence_key or "",
        "open_licence": scored.open_licence,
        "quality_findability": scored.findability,
        "quality_accessibility": scored.accessibility,
        "quality_interoperability": scored.interoperability,
        "quality_reusability": scored.reusability,
        "quality_contextuality": scored.contextuality,
        "quality_points": scored.points,
        "quality_band": scored.band or "",
    }
    if all(getattr(row, field) == value for field, value in values.items()):
        return False
    for field, value in values.items():
        setattr(row, field, value)
    return True
