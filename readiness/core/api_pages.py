"""The API's one page shape (readiness/core/pagination.py): `count`, `next`,
`previous` and `results`, as NetBox and django-ninja's own paginator give."""

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import create_model

from readiness.core.pagination import Page, page_address


@cache
def page_schema(item: type[Schema]) -> type[Schema]:
    """`<Item>Page`: one page of a list of `item`."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        count=(int, Field(description="How many items the filtered list holds in all.")),
        next=(str | None, Field(description="The address of the next page; null on the last.")),
        previous=(
            str | None,
            Field(description="The address of the page before; null on the first."),
        ),
        results=(list[item], ...),  # type: ignore[valid-type]
    )


def page_out(
    request: HttpRequest, page: Page[Any], item_out: Callable[[Any], Any]
) -> dict[str, Any]:
    def address(cursor: str | None) -> str | None:
        if cursor is None:
            return None
        return request.build_absolute_uri(request.path + page_address(request.GET, cursor))

    return {
        "count": page.count,
        "next": address(page.next_cursor),
        "previous": address(page.previous_cursor),
        "results": [item_out(item) for item in page.items],
    }
