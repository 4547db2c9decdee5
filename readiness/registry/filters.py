"""The filters and sorts of the registers' lists over the API
(readiness/core/filtering.py); the words of `q` are matched by
readiness/registry/search.py, as on the web."""

from typing import Annotated

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast, Concat
from ninja import Field, Schema
from pydantic import StringConstraints

from readiness.core.choices import OneOf
from readiness.core.filtering import PageQuery, SearchText
from readiness.core.pagination import Ordering, Page, SortField, paginate
from readiness.registry import services
from readiness.registry.models import Jurisdiction, Organisation
from readiness.registry.search import phrase_first

ORGANISATION_ORDER = Ordering(
    {
        "relevance": SortField("relevance"),
        "abbreviation": SortField("abbreviation"),
        "kind": SortField("kind"),
    },
    default="relevance",
)

JURISDICTION_ORDER = Ordering({"code": SortField("code")}, default="code")

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
JurisdictionCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]


class OrganisationFilters(Schema):
    q: SearchText = Field(
        "",
        description="Words of an acronym, name or other name, in either language, "
        "with or without diacritics.",
    )
    kind: Annotated[str, OneOf(Organisation.Kind.values)] | None = None
    sort: Annotated[str, OneOf(ORGANISATION_ORDER.choices)] | None = Field(
        None,
        description="A column, `-column` for descending; by default `relevance`: "
        "the entries holding the words of `q` as typed first, then by abbreviation.",
    )


def organisation_page(
    country: str, filters: OrganisationFilters, page: PageQuery
) -> Page[Organisation]:
    rows = services.search_organisations(country, filters.q, filters.kind or "").annotate(
        # One text column, so that the keyset can seek to a row: "0MoPS" < "1MoIT".
        relevance=Concat(Cast(phrase_first(filters.q), CharField()), "abbreviation")
    )
    return paginate(
        rows, ORGANISATION_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit
    )


class JurisdictionFilters(Schema):
    q: SearchText = Field(
        "", description="Words of the code or the name, either language, diacritics or not."
    )
    level: Annotated[str, OneOf(Jurisdiction.Level.values)] | None = None
    country: CountryCode | None = Field(None, description="The country and its subdivisions.")
    parent: JurisdictionCode | None = Field(
        None, description="The subdivisions directly within this code."
    )
    sort: Annotated[str, OneOf(JURISDICTION_ORDER.choices)] | None = Field(
        None, description="`code` (the default) or `-code`."
    )

    def apply(self, rows: QuerySet[Jurisdiction]) -> QuerySet[Jurisdiction]:
        return rows.filter(parent__code=self.parent) if self.parent else rows


def jurisdiction_page(filters: JurisdictionFilters, page: PageQuery) -> Page[Jurisdiction]:
    rows = services.search_jurisdictions(filters.q, filters.level or "", filters.country or "")
    rows = filters.apply(rows).select_related("parent")
    return paginate(
        rows, JURISDICTION_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit
    )
