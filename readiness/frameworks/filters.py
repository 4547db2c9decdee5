"""The filters and sorts of the list of loaded frameworks
(readiness/core/filtering.py)."""

from typing import Annotated

from django.db.models import Count, QuerySet
from ninja import Field, Schema

from readiness.core.choices import OneOf
from readiness.core.filtering import PageQuery
from readiness.core.pagination import Ordering, Page, SortField, paginate
from readiness.core.text import KeyText
from readiness.frameworks.models import Framework

FRAMEWORK_ORDER = Ordering(
    {"key": SortField("key"), "loaded": SortField("loaded_at")}, default="key"
)


class FrameworkFilters(Schema):
    key: KeyText | None = Field(None, description="Every version of the framework with this key.")
    sort: Annotated[str, OneOf(FRAMEWORK_ORDER.choices)] | None = Field(
        None,
        description="A column, `-column` for descending; `key` by default "
        "(its versions in the order they were loaded).",
    )

    def apply(self, frameworks: QuerySet[Framework]) -> QuerySet[Framework]:
        return frameworks.filter(key__iexact=self.key) if self.key else frameworks


def framework_page(filters: FrameworkFilters, page: PageQuery) -> Page[Framework]:
    """With the counts of dimensions and questions each list row shows."""
    frameworks = filters.apply(Framework.objects.all()).annotate(
        dimension_count=Count("dimensions", distinct=True),
        question_count=Count("questions", distinct=True),
    )
    return paginate(
        frameworks, FRAMEWORK_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit
    )
