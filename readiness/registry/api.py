"""The registers over the API: organisations per country (read by anyone
signed in, changed by register owners) and the ISO 3166 jurisdictions."""

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Path, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from readiness.core.api_errors import ACTION_ERRORS, READ_ERRORS, UPLOAD_ERRORS, WRITE_ERRORS
from readiness.core.api_pages import page_out, page_schema
from readiness.core.filtering import PageQuery
from readiness.core.responses import attachment
from readiness.registry import services
from readiness.registry.filters import (
    JurisdictionFilters,
    OrganisationFilters,
    jurisdiction_page,
    organisation_page,
)
from readiness.registry.models import Jurisdiction, Organisation

organisations_router = Router(tags=["organisations register"])
jurisdictions_router = Router(tags=["jurisdictions"])

Country = Annotated[str, Path(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, e.g. VN")]
AcronymPath = Annotated[str, Path(pattern=services.ACRONYM_PATTERN)]


class Names(Schema):
    en: str
    vi: str


class OrganisationOut(Schema):
    country: str
    abbreviation: str
    abbreviation_vi: str
    name: Names
    kind: Organisation.Kind
    jurisdiction: str
    parent: str
    aliases: list[str]
    version: int


class OrganisationChange(services.OrganisationIn):
    version: int = Field(description="The version this change is based on (409 when stale).")


class CsvImportOut(Schema):
    created: int
    updated: int
    unchanged: int


class JurisdictionOut(Schema):
    code: str
    level: Jurisdiction.Level
    name: Names
    subdivision_type: str
    parent: str | None
    valid_until: str | None


def jurisdiction_out(j: Jurisdiction) -> dict[str, Any]:
    return {
        "code": j.code,
        "level": j.level,
        "name": j.name,
        "subdivision_type": j.subdivision_type,
        "parent": j.parent.code if j.parent else None,
        "valid_until": j.valid_until.isoformat() if j.valid_until else None,
    }


@organisations_router.get(
    "/{country}",
    response={200: page_schema(OrganisationOut), **READ_ERRORS},
    summary="A country's organisations register",
)
def list_organisations(
    request: HttpRequest,
    country: Country,
    filters: Query[OrganisationFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    """The entries, a page at a time (docs/api.md), filtered by `q` and `kind`."""
    services.country_jurisdiction(country)
    found = organisation_page(country, filters, page)
    return page_out(request, found, services.snapshot)


@organisations_router.post(
    "/{country}",
    response={201: OrganisationOut, **WRITE_ERRORS},
    summary="Add an organisation to a country's register",
)
def add_organisation(
    request: HttpRequest, country: Country, payload: services.OrganisationIn
) -> Status[dict[str, Any]]:
    """Register owners only (registry.add_organisation, or a site
    administrator); a plan import never adds to the register for others."""
    organisation = services.create_organisation(
        request.user, country, payload.model_dump(exclude_unset=True)
    )
    return Status(201, services.snapshot(organisation))


@organisations_router.get(
    "/{country}/export.csv",
    response={200: None, **READ_ERRORS},
    summary="The register as CSV",
)
def export_organisations(request: HttpRequest, country: Country) -> HttpResponse:
    return attachment(
        services.export_csv(country).encode("utf-8"),
        "text/csv; charset=utf-8",
        f"organisations-{country}.csv",
    )


@organisations_router.post(
    "/{country}/import.csv",
    response={200: CsvImportOut, **UPLOAD_ERRORS},
    summary="Add and change entries from CSV",
)
def import_organisations(
    request: HttpRequest, country: Country, file: File[UploadedFile]
) -> dict[str, Any]:
    """All or nothing; the columns of the export. Errors name line and column."""
    result = services.import_csv(
        request.user, country, services.read_csv_upload(file), file.name or "register.csv"
    )
    return result.__dict__


@organisations_router.get(
    "/{country}/{abbreviation}",
    response={200: OrganisationOut, **READ_ERRORS},
    summary="One entry of a register",
)
def get_organisation(
    request: HttpRequest, country: Country, abbreviation: AcronymPath
) -> dict[str, Any]:
    return services.snapshot(services.get_organisation(country, abbreviation))


@organisations_router.put(
    "/{country}/{abbreviation}",
    response={200: OrganisationOut, **WRITE_ERRORS},
    summary="Change an entry of a register",
)
def change_organisation(
    request: HttpRequest, country: Country, abbreviation: AcronymPath, payload: OrganisationChange
) -> dict[str, Any]:
    """The whole entry, as for adding it, with the version it is based on."""
    organisation = services.update_organisation(
        request.user,
        country,
        abbreviation,
        payload.model_dump(exclude={"version"}),
        payload.version,
    )
    return services.snapshot(organisation)


@organisations_router.delete(
    "/{country}/{abbreviation}",
    response={204: None, **ACTION_ERRORS},
    summary="Delete an entry that nothing names (kept in history)",
)
def delete_organisation(
    request: HttpRequest, country: Country, abbreviation: AcronymPath, version: int
) -> Status[None]:
    services.delete_organisation(request.user, country, abbreviation, version)
    return Status(204, None)


@jurisdictions_router.get(
    "",
    response={200: page_schema(JurisdictionOut), **READ_ERRORS},
    summary="Countries and subdivisions (ISO 3166)",
)
def list_jurisdictions(
    request: HttpRequest, filters: Query[JurisdictionFilters], page: Query[PageQuery]
) -> dict[str, Any]:
    """In code order, a page at a time (docs/api.md), those whose code or
    name holds every word of `q`."""
    return page_out(request, jurisdiction_page(filters, page), jurisdiction_out)


@jurisdictions_router.get(
    "/{code}",
    response={200: JurisdictionOut, **READ_ERRORS},
    summary="One country or subdivision",
)
def get_jurisdiction(
    request: HttpRequest, code: Annotated[str, Path(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
) -> dict[str, Any]:
    return jurisdiction_out(services.get_jurisdiction(code))
