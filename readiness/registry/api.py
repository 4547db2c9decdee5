"""The registers over the API: organisations per country (read by anyone
signed in, changed by register owners) and the ISO 3166 jurisdictions."""

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Path, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from readiness.api.errors import ACTION_ERRORS, READ_ERRORS, UPLOAD_ERRORS, WRITE_ERRORS
from readiness.core.responses import attachment
from readiness.core.text import ShortText
from readiness.registry import services
from readiness.registry.models import Jurisdiction, Organisation

organisations_router = Router(tags=["organisations register"])
jurisdictions_router = Router(tags=["jurisdictions"])

Country = Annotated[str, Path(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, e.g. VN")]
AcronymPath = Annotated[str, Path(pattern=services.ACRONYM_PATTERN)]
# The most jurisdictions one answer lists (ISO 3166 has about 5,300).
MAX_JURISDICTIONS = 500


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
    response={200: list[OrganisationOut], **READ_ERRORS},
    summary="A country's organisations register",
)
def list_organisations(
    request: HttpRequest,
    country: Country,
    q: ShortText = "",
    kind: Organisation.Kind | None = None,
) -> list[dict[str, Any]]:
    """Every entry (a register holds a few hundred at most), filtered by
    `q` (words of an acronym, name or other name, in either language, with
    or without diacritics) and `kind`."""
    services.country_jurisdiction(country)
    return [services.snapshot(o) for o in services.search_organisations(country, q, kind or "")]


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
    response={200: list[JurisdictionOut], **READ_ERRORS},
    summary="Countries and subdivisions (ISO 3166)",
)
def list_jurisdictions(
    request: HttpRequest,
    q: ShortText = "",
    level: Jurisdiction.Level | None = None,
    country: Annotated[str, Query(pattern=r"^$|^[A-Z]{2}$")] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_JURISDICTIONS)] = 50,
) -> list[dict[str, Any]]:
    """In code order, the first `limit` whose code or name (either language,
    with or without diacritics) holds every word of `q`."""
    rows = services.search_jurisdictions(q, level or "", country).select_related("parent")
    return [jurisdiction_out(j) for j in rows[:limit]]


@jurisdictions_router.get(
    "/{code}",
    response={200: JurisdictionOut, **READ_ERRORS},
    summary="One country or subdivision",
)
def get_jurisdiction(
    request: HttpRequest, code: Annotated[str, Path(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
) -> dict[str, Any]:
    return jurisdiction_out(services.get_jurisdiction(code))
