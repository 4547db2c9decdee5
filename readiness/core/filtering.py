"""Filter sets: one pydantic schema per resource (its app's `filters.py`)
declares the filters and sorts of its list. The API takes it as query
parameters; the web lists and the CLI read the same schema from their
query string or options here, so each filter is defined once and refused
with the same message, naming the parameter, by every door."""

import datetime
import re
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, StringConstraints, ValidationError

from readiness.core import validation
from readiness.core.errors import InvalidInput
from readiness.core.pagination import CURSOR_MAX_LENGTH, DEFAULT_LIMIT, MAX_LIMIT
from readiness.core.text import SHORT, Allowed, Normalised

SearchText = Annotated[str, StringConstraints(max_length=SHORT), Normalised, Allowed]
CursorText = Annotated[
    str, StringConstraints(max_length=CURSOR_MAX_LENGTH, pattern=r"^[A-Za-z0-9_-]+$")
]


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _iso(value: Any) -> Any:
    """Dates as ISO 8601 text only: pydantic would also read `0` as 1970-01-01."""
    if not isinstance(value, str | datetime.date) or (
        isinstance(value, str) and not ISO_DATE.match(value)
    ):
        raise ValueError(_("an ISO 8601 date, such as 2019-01-31"))
    return value


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


Day = Annotated[datetime.date, BeforeValidator(_iso)]
# A moment in ISO 8601; without an offset (or a bare date), in the site's time zone.
Moment = Annotated[datetime.datetime, BeforeValidator(_iso), AfterValidator(_aware)]


class PageQuery(Schema):
    """The paging parameters of every list."""

    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}."
    )
    cursor: CursorText | None = Field(
        None, description="From the `next` or `previous` address of the page before; opaque."
    )


S = TypeVar("S", bound=Schema)


def read_query(schema: type[S], query: Mapping[str, Any]) -> S:
    """`query` (a QueryDict or CLI options) as `schema`; empty values mean
    "no filter". A refused value raises InvalidInput naming the parameter."""
    values = {
        name: query.get(name) for name in schema.model_fields if query.get(name) not in (None, "")
    }
    try:
        return schema.model_validate(values)
    except ValidationError as error:
        raise InvalidInput(
            validation.field_errors(error.errors(), lambda loc: ".".join(str(p) for p in loc))
        ) from None
