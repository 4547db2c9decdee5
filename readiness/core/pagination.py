"""One convention for every list, in the API and on the web: keyset (cursor)
pages.

A page holds `limit` items (default 50, at most 500) in one of the list's
whitelisted `sort` orders, with the total `count` and cursors to the next and
previous pages. A cursor is opaque to clients: base64url JSON of the sort,
the direction and the sort key and id of the row at the page's edge. The
database seeks to that row through the ordering's index instead of counting
past OFFSET rows, so the last page costs what the first does, and a row added
or deleted meanwhile neither repeats nor skips an item."""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import F, Model, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from readiness.core.errors import InvalidInput

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
CURSOR_MAX_LENGTH = 1_000

AFTER = "a"  # the page after the row in the cursor
BEFORE = "b"  # the page before it; with no row, the last page

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class SortField:
    """A column a list may be sorted on; `nulls` stands in for a null value
    (null sorts as that value), since a keyset cannot compare with null."""

    field: str
    nulls: Any = None


@dataclass(frozen=True)
class Ordering:
    """The sorts a list allows, by public name; `-name` sorts descending.
    Ties are broken by id, in the same direction."""

    fields: dict[str, SortField]
    default: str

    @property
    def choices(self) -> list[str]:
        return [prefix + name for name in self.fields for prefix in ("", "-")]


@dataclass
class Page(Generic[M]):
    items: list[M]
    count: int
    sort: str
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def last_cursor(self) -> str | None:
        """The cursor of the last page, when there is more than this page."""
        if self.next_cursor is None:
            return None
        return encode_cursor(self.sort, BEFORE, None)


def _tagged(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    return value


def _untagged(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"t"}:
            return datetime.datetime.fromisoformat(value["t"])
        if set(value) == {"d"}:
            return datetime.date.fromisoformat(value["d"])
        raise ValueError("unknown value")
    if value is None or isinstance(value, str | int | float):
        return value
    raise ValueError("unknown value")


def encode_cursor(sort: str, direction: str, key: tuple[Any, int] | None) -> str:
    data = {"s": sort, "d": direction, "k": None if key is None else [_tagged(v) for v in key]}
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def bad_cursor() -> InvalidInput:
    return InvalidInput.single(
        "cursor", str(_("not a cursor of this list and sort; start again from the first page"))
    )


def decode_cursor(cursor: str, sort: str) -> tuple[str, tuple[Any, int] | None]:
    """(direction, key) of a cursor given out for `sort`; anything else is refused."""
    if len(cursor) > CURSOR_MAX_LENGTH:
        raise bad_cursor()
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if (
            not isinstance(data, dict)
            or data.get("s") != sort
            or data.get("d") not in (AFTER, BEFORE)
        ):
            raise ValueError("another list")
        key = data.get("k")
        if key is None:
            if data["d"] != BEFORE:
                raise ValueError("no key")
            return BEFORE, None
        if not isinstance(key, list) or len(key) != 2 or type(key[1]) is not int:
            raise ValueError("bad key")
        return data["d"], (_untagged(key[0]), key[1])
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, OverflowError):
        raise bad_cursor() from None


def _beyond(key: tuple[Any, int], descending: bool) -> Q:
    """The rows after `key` in the (sort key, id) order."""
    value, pk = key
    if descending:
        return Q(_sort_key__lt=value) | Q(_sort_key=value, pk__lt=pk)
    return Q(_sort_key__gt=value) | Q(_sort_key=value, pk__gt=pk)


def paginate(
    queryset: QuerySet[M],
    ordering: Ordering,
    *,
    sort: str | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Page[M]:
    """One page of `queryset`: two queries (the count and the page), plus
    whatever prefetching the queryset asks for."""
    sort = sort or ordering.default
    name = sort.removeprefix("-")
    if name not in ordering.fields:
        raise InvalidInput.single("sort", str(_("not one of: %s")) % ", ".join(ordering.choices))
    limit = max(1, min(limit, MAX_LIMIT))
    column = ordering.fields[name]
    descending = sort.startswith("-")
    direction, key = decode_cursor(cursor, sort) if cursor else (AFTER, None)
    key_expression = (
        F(column.field) if column.nulls is None else Coalesce(F(column.field), Value(column.nulls))
    )
    rows = queryset.annotate(_sort_key=key_expression)
    backwards = direction == BEFORE
    reverse = descending != backwards  # the order this query reads in
    if key is not None:
        rows = rows.filter(_beyond(key, reverse))
    prefix = "-" if reverse else ""
    fetched = list(rows.order_by(prefix + "_sort_key", prefix + "pk")[: limit + 1])
    more = len(fetched) > limit
    items = fetched[:limit]
    if backwards:
        items.reverse()

    def edge(item: Any) -> tuple[Any, int]:
        return (item._sort_key, item.pk)

    if items:
        has_next = (more and not backwards) or (backwards and key is not None)
        has_previous = (more and backwards) or (not backwards and key is not None)
        next_cursor = encode_cursor(sort, AFTER, edge(items[-1])) if has_next else None
        previous_cursor = encode_cursor(sort, BEFORE, edge(items[0])) if has_previous else None
    else:
        next_cursor = previous_cursor = None
    return Page(items, queryset.count(), sort, next_cursor, previous_cursor)


def page_address(query: Any, cursor: str | None) -> str:
    """The query string of the page at `cursor`, keeping the filters and sort
    of `query` (a QueryDict)."""
    params = query.copy()
    params.pop("cursor", None)
    if cursor:
        params["cursor"] = cursor
    return "?" + params.urlencode() if params else "?"
