"""Conditional requests of the API.

Reads: every successful GET carries an ETag (a hash of the body, so it
changes with anything the answer shows: content, language, the caller's
view) and, where the operation knows it, Last-Modified (the latest change
recorded in the history). `If-None-Match` or `If-Modified-Since` that still
match are answered `304 Not Modified` with no body (If-None-Match wins when
both are sent, as HTTP says).

Writes: a versioned item's ETag is its version, quoted (`"3"`), and the
write responses carry it; `If-Match: "3"` may replace the `version` field of
the body. A stale one is the same `409 Conflict`, with the current value, as
a stale `version`."""

import datetime
import re
from typing import Any

from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware
from django.utils.http import http_date
from django.utils.translation import gettext as _

from readiness.core.errors import InvalidInput
from readiness.core.models import ChangeRecord

API_PATH = "/api/"
VERSION_TAG = re.compile(r'^"(\d{1,15})"$')


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """Django's ETag and 304 handling, for the API's answers only (the web
    pages carry per-response CSRF tokens, which no ETag could match)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not request.path.startswith(API_PATH):
            return response
        return super().process_response(request, response)


def set_last_modified(response: HttpResponse, moment: datetime.datetime | None) -> None:
    if moment is not None:
        response["Last-Modified"] = http_date(moment.timestamp())


def last_change(
    assessment_ids: QuerySet[Any] | list[int], *, entities: tuple[str, ...] = ()
) -> datetime.datetime | None:
    """The latest change recorded in these assessments (of these entities)."""
    changes = ChangeRecord.objects.filter(assessment_id__in=assessment_ids)
    if entities:
        changes = changes.filter(entity__in=entities)
    return changes.aggregate(latest=Max("at"))["latest"]


def set_version_tag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


def expected_version(
    request: HttpRequest, version: int | None, field: str = "version"
) -> int | None:
    """The version a write is based on: `If-Match` or the `version` field.
    Both, disagreeing, are refused rather than one chosen silently."""
    header = request.headers.get("If-Match")
    if header is None:
        return version
    match = VERSION_TAG.match(header.strip())
    if match is None:
        raise InvalidInput.single(
            "If-Match", _('an item\'s ETag, its version in quotes, such as "3"')
        )
    tagged = int(match.group(1))
    if version is not None and version != tagged:
        raise InvalidInput.single(
            field,
            _("version %(body)s disagrees with If-Match %(header)s")
            % {"body": version, "header": tagged},
        )
    return tagged


def required_version(request: HttpRequest, version: int | None, field: str = "version") -> int:
    """As expected_version, where an item must already exist."""
    expected = expected_version(request, version, field)
    if expected is None:
        raise InvalidInput.single(field, _("required (or send If-Match)"))
    return expected
