"""The filters and sorts of the inventory's dataset list, for the API, the
web list and the CLI alike (readiness/core/filtering.py). A filter by a
summary dimension selects exactly the datasets the summary counts under that
value (selectors.with_value), so a list and the figure it explains agree."""

from typing import Annotated

from django.db.models import Q, QuerySet
from ninja import Field, Schema

from readiness.assessments.models import Assessment
from readiness.catalogues import selectors
from readiness.catalogues.models import Catalogue, CatalogueRun, Dataset
from readiness.catalogues.records import Access, Recommendation
from readiness.catalogues.scoring import MAX_STARS, Band
from readiness.core.choices import OneOf
from readiness.core.filtering import PageQuery, SearchText
from readiness.core.pagination import Ordering, Page, SortField, paginate
from readiness.core.text import KeyText, ShortText

DATASET_ORDER = Ordering(
    {
        "order": SortField("order"),
        "title": SortField("title"),
        "publisher": SortField("publisher__abbreviation", nulls=""),
        "stars": SortField("stars"),
        "quality": SortField("quality_points"),
        "recommendation": SortField("recommendation"),
        "access": SortField("access"),
    },
    default="order",
)
OPENNESS = {"open": True, "not_open": False, "unknown": None}


class DatasetFilters(Schema):
    q: SearchText | None = Field(None, description="Words in the title or the description.")
    catalogue: KeyText | None = Field(None, description="A catalogue's key.")
    recommendation: Annotated[str, OneOf(Recommendation.values)] | None = None
    publisher: ShortText | None = Field(
        None, description="The register's acronym, or the name as published."
    )
    format: ShortText | None = Field(
        None,
        description="A format as the file-type list names it, whatever its case or "
        "spelling (csv, .CSV, Excel 97…), else its own words.",
    )
    licence: KeyText | None = Field(None, description="A licence's key (cc-by-4.0…).")
    open_licence: Annotated[str, OneOf(list(OPENNESS))] | None = Field(
        None, description="Whether the licence is open: `open`, `not_open` or `unknown`."
    )
    stars: Annotated[int, Field(ge=0, le=MAX_STARS)] | None = Field(
        None, description=f"The five-star level, 0 to {MAX_STARS}."
    )
    band: Annotated[str, OneOf(Band.values)] | None = Field(
        None, description="The metadata quality band."
    )
    access: Annotated[str, OneOf(Access.values)] | None = None
    sort: Annotated[str, OneOf(DATASET_ORDER.choices)] | None = Field(
        None, description="A column, `-column` for descending; `order` by default."
    )

    def apply(self, datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
        if self.q:
            datasets = datasets.filter(
                Q(title__icontains=self.q) | Q(description__icontains=self.q)
            )
        if self.catalogue:
            datasets = datasets.filter(catalogue__key=self.catalogue)
        if self.open_licence:
            datasets = datasets.filter(open_licence=OPENNESS[self.open_licence])
        for dimension in ("recommendation", "publisher", "format", "licence", "band", "access"):
            value = getattr(self, dimension)
            if value:
                datasets = selectors.with_value(datasets, dimension, value)
        if self.stars is not None:
            datasets = selectors.with_value(datasets, "stars", str(self.stars))
        return datasets


def dataset_page(
    datasets: QuerySet[Dataset], filters: DatasetFilters, page: PageQuery
) -> Page[Dataset]:
    """One page of `datasets` (selectors.datasets_of), filtered."""
    return paginate(
        filters.apply(datasets),
        DATASET_ORDER,
        sort=filters.sort,
        cursor=page.cursor,
        limit=page.limit,
    )


CATALOGUE_ORDER = Ordering(
    {"created": SortField("created_at"), "key": SortField("key"), "title": SortField("title")},
    default="created",
)


class CatalogueFilters(Schema):
    kind: Annotated[str, OneOf(Catalogue.Kind.values)] | None = None
    sort: Annotated[str, OneOf(CATALOGUE_ORDER.choices)] | None = Field(
        None, description="A column, `-column` for descending; `created` by default."
    )


def catalogue_page(
    assessment: Assessment, filters: CatalogueFilters, page: PageQuery
) -> Page[Catalogue]:
    catalogues = selectors.catalogues_of(assessment)
    if filters.kind:
        catalogues = catalogues.filter(kind=filters.kind)
    return paginate(
        catalogues, CATALOGUE_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit
    )


RUN_ORDER = Ordering({"started": SortField("created_at")}, default="-started")


class RunFilters(Schema):
    kind: Annotated[str, OneOf(CatalogueRun.Kind.values)] | None = None
    status: Annotated[str, OneOf(CatalogueRun.Status.values)] | None = None
    sort: Annotated[str, OneOf(RUN_ORDER.choices)] | None = Field(
        None, description="`started` or `-started` (newest first, the default)."
    )


def run_page(catalogue: Catalogue, filters: RunFilters, page: PageQuery) -> Page[CatalogueRun]:
    runs = catalogue.runs.all()
    if filters.kind:
        runs = runs.filter(kind=filters.kind)
    if filters.status:
        runs = runs.filter(status=filters.status)
    return paginate(runs, RUN_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit)
