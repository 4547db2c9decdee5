"""The inventory through the REST API: catalogues, their datasets, imports,
harvests and their runs, the summary, exports and cited figures."""

import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Path, Query, Router, Schema, Status, UploadedFile
from pydantic import StringConstraints

from readiness.assessments import services as assessment_services
from readiness.assessments.models import Evidence
from readiness.catalogues import selectors, services
from readiness.catalogues.filters import (
    CatalogueFilters,
    DatasetFilters,
    RunFilters,
    catalogue_page,
    dataset_page,
    run_page,
)
from readiness.catalogues.models import Catalogue, CatalogueRun, Dataset, FigureCitation
from readiness.catalogues.records import Access, Recommendation
from readiness.core.api_errors import ACTION_ERRORS, READ_ERRORS, UPLOAD_ERRORS, WRITE_ERRORS
from readiness.core.api_pages import page_out, page_schema
from readiness.core.choices import OneOf
from readiness.core.conditional import required_version, set_version_tag
from readiness.core.filtering import PageQuery
from readiness.core.responses import attachment
from readiness.core.text import KeyText, LongText, NameText, ShortText, SlugText, UrlText

router = Router(tags=["open data inventory"])

Slug = SlugText
Key = KeyText
ObjectId = Annotated[int, Path(ge=1, le=2**53)]
Version = Annotated[int, Field(ge=1, le=2**53, description="The version you based the change on.")]
CatalogueKind = Annotated[str, OneOf(Catalogue.Kind.values)]
AccessKind = Annotated[str, OneOf(Access.values)]
RecommendationKind = Annotated[str, OneOf(["", *Recommendation.values])]
ExportFormat = Annotated[str, OneOf(services.EXPORT_FORMATS)]
Words = list[NameText]


class CatalogueIn(Schema):
    key: Key
    title: Annotated[NameText, StringConstraints(min_length=1)]
    kind: CatalogueKind
    url: UrlText = ""
    description: LongText = ""


class CataloguePatch(Schema):
    version: Version
    title: Annotated[NameText, StringConstraints(min_length=1)] | None = None
    kind: CatalogueKind | None = None
    url: UrlText | None = None
    description: LongText | None = None


class CatalogueOut(Schema):
    key: str
    title: str
    kind: str
    url: str
    description: str
    datasets: int
    version: int


class DistributionIn(Schema):
    title: NameText = ""
    format: ShortText = ""
    media_type: ShortText = ""
    access_url: UrlText = ""
    download_url: UrlText = ""
    byte_size: Annotated[int, Field(ge=0, le=2**63 - 1)] | None = None
    licence: UrlText = ""
    rights: UrlText = ""
    issued: datetime.date | None = None
    modified: datetime.date | None = None


class DistributionOut(DistributionIn):
    access_url_status: int | None
    download_url_status: int | None


class DatasetFields(Schema):
    identifier: UrlText = Field(
        "", description="Its key in the catalogue; made from the title when empty."
    )
    title: NameText
    description: LongText = ""
    publisher: NameText = Field(
        "", description="An acronym or name; matched to the organisations register."
    )
    landing_page: UrlText = ""
    licence: UrlText = ""
    access: AccessKind = Access.ONLINE
    access_rights: UrlText = ""
    update_frequency: UrlText = ""
    themes: Words = []
    keywords: Words = []
    temporal_start: datetime.date | None = None
    temporal_end: datetime.date | None = None
    spatial: UrlText = ""
    issued: datetime.date | None = None
    modified: datetime.date | None = None
    contact_point: NameText = ""
    recommendation: RecommendationKind = ""
    recommendation_reason: LongText = ""
    notes: LongText = ""


class DatasetIn(DatasetFields):
    distributions: list[DistributionIn] = []


class DatasetPatch(Schema):
    """The fields to change; `distributions`, when sent, replace them all."""

    version: Version
    identifier: UrlText | None = None
    title: NameText | None = None
    description: LongText | None = None
    publisher: NameText | None = None
    landing_page: UrlText | None = None
    licence: UrlText | None = None
    access: AccessKind | None = None
    access_rights: UrlText | None = None
    update_frequency: UrlText | None = None
    themes: Words | None = None
    keywords: Words | None = None
    temporal_start: datetime.date | None = None
    temporal_end: datetime.date | None = None
    spatial: UrlText | None = None
    issued: datetime.date | None = None
    modified: datetime.date | None = None
    contact_point: NameText | None = None
    recommendation: RecommendationKind | None = None
    recommendation_reason: LongText | None = None
    notes: LongText | None = None
    distributions: list[DistributionIn] | None = None


class ScoreOut(Schema):
    stars: int
    licence_key: str
    open_licence: bool | None
    findability: int
    accessibility: int
    interoperability: int
    reusability: int
    contextuality: int
    points: int
    band: str


class DatasetOut(DatasetFields):
    id: int
    catalogue: str
    publisher_in_register: str | None = Field(description="The register's acronym, when matched.")
    score: ScoreOut
    version: int


class DatasetDetail(DatasetOut):
    distributions: list[DistributionOut]


class OutcomeOut(Schema):
    added: int
    changed: int
    removed: int
    warnings: list[str]
    run: int


class HarvestIn(Schema):
    url: UrlText = Field(
        description="The portal's CKAN API address; for a DCAT catalogue, its first page's."
    )
    max_datasets: int = Field(services.DEFAULT_MAX_DATASETS, ge=1, le=services.MAX_HARVEST_DATASETS)
    max_seconds: float = Field(services.DEFAULT_MAX_SECONDS, ge=1, le=services.MAX_HARVEST_SECONDS)


class RunOut(Schema):
    id: int
    kind: str
    status: str
    source: str
    done: int
    total: int | None
    added: int
    changed: int
    removed: int
    warnings: list[str]
    error: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None


class TallyOut(Schema):
    value: str
    label: str
    count: int


class SummaryOut(Schema):
    total_datasets: int
    total_distributions: int
    counting_rule: str
    by_recommendation: list[TallyOut]
    by_publisher: list[TallyOut]
    by_format: list[TallyOut]
    by_licence: list[TallyOut]
    by_stars: list[TallyOut]
    by_band: list[TallyOut]
    by_access: list[TallyOut]
    quick_wins_including_mixed: TallyOut
    priority_including_mixed: TallyOut
    open_licence_count: int
    mean_quality_points: float | None
    unmatched_publishers: list[str]
    unknown_licences: list[str]


class FigureParameters(Schema):
    catalogue: Key | None = Field(
        None, description="A catalogue's key; the whole inventory when left out."
    )
    dimension: Annotated[str, OneOf(selectors.DIMENSION_NAMES)] | None = None
    value: ShortText | None = Field(None, description="The value of the dimension counted.")
    dataset: UrlText | None = Field(
        None, description="A dataset's identifier (a score of one dataset)."
    )


class CitationIn(Schema):
    framework: Key
    question: Key
    kind: Annotated[str, OneOf(FigureCitation.Kind.values)]
    parameters: FigureParameters | None = None
    sign: Annotated[str, OneOf(Evidence.Sign.values)] = Evidence.Sign.MIXED


class CitationOut(Schema):
    evidence_id: int
    text: str
    version: int


def catalogue_out(catalogue: Catalogue) -> dict[str, Any]:
    count = getattr(catalogue, "dataset_count", None)
    return {
        "key": catalogue.key,
        "title": catalogue.title,
        "kind": catalogue.kind,
        "url": catalogue.url,
        "description": catalogue.description,
        "datasets": catalogue.datasets.count() if count is None else count,
        "version": catalogue.version,
    }


def dataset_out(dataset: Dataset) -> dict[str, Any]:
    return {
        **{
            name: getattr(dataset, name)
            for name in DatasetFields.model_fields
            if name != "publisher"
        },
        "id": dataset.pk,
        "catalogue": dataset.catalogue.key,
        "publisher": selectors.publisher_key(dataset),
        "publisher_in_register": dataset.publisher.abbreviation if dataset.publisher else None,
        "score": {
            "stars": dataset.stars,
            "licence_key": dataset.licence_key,
            "open_licence": dataset.open_licence,
            "findability": dataset.quality_findability,
            "accessibility": dataset.quality_accessibility,
            "interoperability": dataset.quality_interoperability,
            "reusability": dataset.quality_reusability,
            "contextuality": dataset.quality_contextuality,
            "points": dataset.quality_points,
            "band": dataset.quality_band,
        },
        "version": dataset.version,
    }


def dataset_detail(dataset: Dataset) -> dict[str, Any]:
    fields = [*DistributionIn.model_fields, "access_url_status", "download_url_status"]
    return {
        **dataset_out(dataset),
        "distributions": [
            {name: getattr(d, name) for name in fields} for d in dataset.distributions.all()
        ],
    }


def run_out(run: CatalogueRun) -> dict[str, Any]:
    return {
        **{
            name: getattr(run, name)
            for name in ("id", "kind", "status", "source", "done", "total", "added", "changed")
        },
        "removed": run.removed,
        "warnings": run.warnings,
        "error": run.error,
        "started_at": run.created_at,
        "finished_at": run.finished_at,
    }


def catalogue_of(request: HttpRequest, slug: str, key: str) -> Catalogue:
    return selectors.get_catalogue(selectors.inventory_assessment(request.user, slug), key)


def dataset_of(request: HttpRequest, slug: str, key: str, dataset_id: int) -> Dataset:
    return selectors.get_dataset(catalogue_of(request, slug, key), dataset_id)


BASE = "/{slug}/catalogues"
ONE = BASE + "/{key}"


@router.get(BASE, response={200: page_schema(CatalogueOut), **READ_ERRORS}, summary="Catalogues")
def list_catalogues(
    request: HttpRequest, slug: Slug, filters: Query[CatalogueFilters], page: Query[PageQuery]
) -> dict[str, Any]:
    """The catalogues of an assessment's open data inventory, a page at a time."""
    assessment = selectors.inventory_assessment(request.user, slug)
    return page_out(request, catalogue_page(assessment, filters, page), catalogue_out)


@router.post(BASE, response={201: CatalogueOut, **WRITE_ERRORS}, summary="Add a catalogue")
def create_catalogue(
    request: HttpRequest, slug: Slug, payload: CatalogueIn
) -> Status[dict[str, Any]]:
    catalogue = services.create_catalogue(
        actor=request.user,
        assessment=selectors.inventory_assessment(request.user, slug),
        **payload.dict(),
    )
    return Status(201, catalogue_out(catalogue))


@router.get(ONE, response={200: CatalogueOut, **READ_ERRORS}, summary="One catalogue")
def catalogue_detail(
    request: HttpRequest, response: HttpResponse, slug: Slug, key: Key
) -> dict[str, Any]:
    catalogue = catalogue_of(request, slug, key)
    set_version_tag(response, catalogue.version)
    return catalogue_out(catalogue)


@router.patch(ONE, response={200: CatalogueOut, **WRITE_ERRORS}, summary="Change a catalogue")
def update_catalogue(
    request: HttpRequest, response: HttpResponse, slug: Slug, key: Key, payload: CataloguePatch
) -> dict[str, Any]:
    catalogue = services.update_catalogue(
        actor=request.user,
        catalogue=catalogue_of(request, slug, key),
        expected_version=required_version(request, payload.version),
        changes=payload.dict(exclude={"version"}, exclude_unset=True),
    )
    set_version_tag(response, catalogue.version)
    return catalogue_out(catalogue)


@router.delete(ONE, response={204: None, **ACTION_ERRORS}, summary="Delete a catalogue")
def delete_catalogue(
    request: HttpRequest, slug: Slug, key: Key, version: int | None = None
) -> Status[None]:
    """With its datasets. `version`, or `If-Match: "3"`: the version the deletion is based on."""
    services.delete_catalogue(
        actor=request.user,
        catalogue=catalogue_of(request, slug, key),
        expected_version=required_version(request, version),
    )
    return Status(204, None)


@router.get(
    ONE + "/datasets", response={200: page_schema(DatasetOut), **READ_ERRORS}, summary="Datasets"
)
def list_datasets(
    request: HttpRequest,
    slug: Slug,
    key: Key,
    filters: Query[DatasetFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    """A catalogue's datasets, filtered by the summary's dimensions, a page at a time."""
    datasets = selectors.datasets_of(catalogue_of(request, slug, key))
    return page_out(request, dataset_page(datasets, filters, page), dataset_out)


@router.post(
    ONE + "/datasets", response={201: DatasetDetail, **WRITE_ERRORS}, summary="Add a dataset"
)
def create_dataset(
    request: HttpRequest, slug: Slug, key: Key, payload: DatasetIn
) -> Status[dict[str, Any]]:
    """A dataset found by desk research or in interviews, typed by hand."""
    dataset = services.create_dataset(
        actor=request.user,
        catalogue=catalogue_of(request, slug, key),
        fields=payload.dict(exclude={"distributions"}),
        distributions=[d.dict() for d in payload.distributions],
    )
    return Status(201, dataset_detail(dataset))


@router.get(
    ONE + "/datasets/{dataset_id}",
    response={200: DatasetDetail, **READ_ERRORS},
    summary="One dataset",
)
def show_dataset(
    request: HttpRequest, response: HttpResponse, slug: Slug, key: Key, dataset_id: ObjectId
) -> dict[str, Any]:
    dataset = dataset_of(request, slug, key, dataset_id)
    set_version_tag(response, dataset.version)
    return dataset_detail(dataset)


@router.patch(
    ONE + "/datasets/{dataset_id}",
    response={200: DatasetDetail, **WRITE_ERRORS},
    summary="Change a dataset",
)
def update_dataset(
    request: HttpRequest,
    response: HttpResponse,
    slug: Slug,
    key: Key,
    dataset_id: ObjectId,
    payload: DatasetPatch,
) -> dict[str, Any]:
    changes = payload.dict(exclude={"version", "distributions"}, exclude_unset=True)
    distributions = payload.distributions
    dataset = services.update_dataset(
        actor=request.user,
        dataset=dataset_of(request, slug, key, dataset_id),
        expected_version=required_version(request, payload.version),
        changes=changes,
        distributions=None if distributions is None else [d.dict() for d in distributions],
    )
    set_version_tag(response, dataset.version)
    return dataset_detail(selectors.get_dataset(dataset.catalogue, dataset.pk))


@router.delete(
    ONE + "/datasets/{dataset_id}",
    response={204: None, **ACTION_ERRORS},
    summary="Delete a dataset",
)
def delete_dataset(
    request: HttpRequest, slug: Slug, key: Key, dataset_id: ObjectId, version: int | None = None
) -> Status[None]:
    services.delete_dataset(
        actor=request.user,
        dataset=dataset_of(request, slug, key, dataset_id),
        expected_version=required_version(request, version),
    )
    return Status(204, None)


@router.post(ONE + "/import", response={200: OutcomeOut, **UPLOAD_ERRORS}, summary="Import a file")
def import_catalogue(
    request: HttpRequest, slug: Slug, key: Key, file: File[UploadedFile]
) -> dict[str, Any]:
    """A CKAN API response (JSON), a DCAT file (RDF/XML, Turtle, JSON-LD) or
    the inventory spreadsheet (CSV, XLSX), all or nothing: errors name the
    record and field. Datasets are matched by identifier: the outcome counts
    those added, changed and removed."""
    outcome = services.import_file(
        catalogue_of(request, slug, key), file, file.name or "upload", actor=request.user
    )
    return {
        "added": outcome.added,
        "changed": outcome.changed,
        "removed": outcome.removed,
        "warnings": outcome.warnings,
        "run": outcome.run.pk,
    }


@router.post(ONE + "/harvest", response={202: RunOut, **WRITE_ERRORS}, summary="Harvest a portal")
def harvest_catalogue(
    request: HttpRequest, slug: Slug, key: Key, payload: HarvestIn
) -> Status[dict[str, Any]]:
    """Queue a harvest from a CKAN portal's API, or of a DCAT catalogue's Hydra
    pages when the catalogue is of the DCAT kind; follow it at the run's address."""
    run = services.start_harvest(
        actor=request.user, catalogue=catalogue_of(request, slug, key), **payload.dict()
    )
    return Status(202, run_out(run))


@router.post(
    ONE + "/link-check", response={202: RunOut, **ACTION_ERRORS}, summary="Check the links"
)
def check_catalogue_links(request: HttpRequest, slug: Slug, key: Key) -> Status[dict[str, Any]]:
    """Queue a check of whether the distributions' addresses answer."""
    run = services.start_link_check(actor=request.user, catalogue=catalogue_of(request, slug, key))
    return Status(202, run_out(run))


@router.get(ONE + "/runs", response={200: page_schema(RunOut), **READ_ERRORS}, summary="Runs")
def list_catalogue_runs(
    request: HttpRequest, slug: Slug, key: Key, filters: Query[RunFilters], page: Query[PageQuery]
) -> dict[str, Any]:
    """The catalogue's imports, harvests and link checks, newest first."""
    return page_out(request, run_page(catalogue_of(request, slug, key), filters, page), run_out)


@router.get(ONE + "/runs/{run_id}", response={200: RunOut, **READ_ERRORS}, summary="One run")
def catalogue_run(request: HttpRequest, slug: Slug, key: Key, run_id: ObjectId) -> dict[str, Any]:
    """A run and its progress (`done` of `total`)."""
    return run_out(selectors.get_run(catalogue_of(request, slug, key), run_id))


@router.get(
    "/{slug}/inventory/summary",
    response={200: SummaryOut, **READ_ERRORS},
    summary="Inventory summary",
)
def inventory_summary(request: HttpRequest, slug: Slug, catalogue: Key | None = None) -> Any:
    """The counts of the whole inventory, or of one catalogue, with the rule they follow."""
    assessment = selectors.inventory_assessment(request.user, slug)
    return selectors.summary(
        selectors.get_catalogue(assessment, catalogue) if catalogue else assessment
    )


@router.get(
    "/{slug}/inventory/export", response={200: None, **READ_ERRORS}, summary="Export the inventory"
)
def export_inventory(
    request: HttpRequest, slug: Slug, format: ExportFormat, catalogue: Key | None = None
) -> HttpResponse:
    """CSV or XLSX (one row per distribution), or DCAT-AP 2.1.1 as Turtle or JSON-LD."""
    assessment = selectors.inventory_assessment(request.user, slug)
    target = selectors.get_catalogue(assessment, catalogue) if catalogue else assessment
    exported = services.export_catalogue(target, format)
    return attachment(exported.content, exported.content_type, exported.filename)


@router.post(
    "/{slug}/inventory/citations",
    response={201: CitationOut, **WRITE_ERRORS},
    summary="Cite a figure",
)
def cite_figure(request: HttpRequest, slug: Slug, payload: CitationIn) -> Status[dict[str, Any]]:
    """Add an evidence item to a question whose text is an inventory figure;
    it is rewritten, with history, whenever the figure changes."""
    assessment = selectors.inventory_assessment(request.user, slug)
    question = assessment_services.assessment_question(
        assessment, payload.framework, payload.question
    )
    evidence = services.cite_figure(
        actor=request.user,
        assessment=assessment,
        question=question,
        kind=payload.kind,
        parameters=payload.parameters.dict() if payload.parameters else {},
        sign=payload.sign,
    )
    return Status(
        201, {"evidence_id": evidence.pk, "text": evidence.text, "version": evidence.version}
    )
