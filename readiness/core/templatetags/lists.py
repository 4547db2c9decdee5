"""The parts every web list shares (readiness/core/pagination.py): sortable
column heads and the pager, their state in the address."""

from typing import Any

from django import template
from django.http import QueryDict

from readiness.core.pagination import Page, page_address

register = template.Library()


@register.inclusion_tag("core/_sort_header.html", takes_context=True)
def sort_header(context: dict[str, Any], page: Page[Any], name: str, label: str) -> dict[str, Any]:
    """A column head that sorts the list by `name`, and again the other way
    round; `aria-sort` tells which column sorts the list now."""
    query: QueryDict = context["request"].GET.copy()
    current = page.sort
    ascending = current == name
    descending = current == "-" + name
    query["sort"] = "-" + name if ascending else name
    query.pop("cursor", None)
    return {
        "label": label,
        "href": "?" + query.urlencode(),
        "aria_sort": "ascending" if ascending else "descending" if descending else "",
    }


@register.inclusion_tag("core/_pager.html", takes_context=True)
def pager(context: dict[str, Any], page: Page[Any]) -> dict[str, Any]:
    query = context["request"].GET

    def address(cursor: str | None) -> str | None:
        return page_address(query, cursor) if cursor else None

    return {
        "page": page,
        "first": page_address(query, None) if page.previous_cursor else None,
        "previous": address(page.previous_cursor),
        "next": address(page.next_cursor),
        "last": address(page.last_cursor),
    }
