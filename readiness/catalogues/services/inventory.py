"""Hand edits of the inventory: catalogues, and datasets with their
distributions (the assessors' desk research). Each write checks the
assessment may be edited, the version it was based on, and keeps history."""

import datetime
import io
import re
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from readiness.assessments.access import require_editable
from readiness.assessments.models import Assessment
from readiness.catalogues import dcat_ap, exports, selectors
from readiness.catalogues.models import (
    Catalogue,
    CatalogueRun,
    Dataset,
    DatasetFormat,
    Distribution,
)
from readiness.catalogues.records import Access, DatasetRecord, DistributionRecord
from readiness.catalogues.services.citations import refresh_citations
from readiness.catalogues.services.rows import Cleaner
from readiness.core.errors import FieldError, InvalidInput, NotFound
from readiness.core.history import Actor, acting_user, check_version, record_change
from readiness.core.links import url_errors
from readiness.core.text import KEY, LONG, NAME, URL, clean_text

KEY_PATTERN = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{KEY - 1}}}")
CATALOGUE_FIELDS = {"title", "kind", "url", "description"}
DATASET_FIELDS = {
    "identifier",
    "title",
    "description",
    "publisher",
    "landing_page",
    "licence",
    "access",
    "access_rights",
    "update_frequency",
    "themes",
    "keywords",
    "temporal_start",
    "temporal_end",
    "spatial",
    "issued",
    "modified",
    "contact_point",
    "recommendation",
    "recommendation_reason",
    "notes",
}
LIST_FIELDS = {"themes", "keywords"}
DATE_FIELDS = {"temporal_start", "temporal_end", "issued", "modified"}
DISTRIBUTION_FIELDS = {
    "title",
    "format",
    "media_type",
    "access_url",
    "download_url",
    "byte_size",
    "licence",
    "rights",
    "issued",
    "modified",
}
DEFAULT_MAX_DATASETS = 100_000
DEFAULT_MAX_SECONDS = 3_600.0
MAX_HARVEST_DATASETS = 1_000_000
MAX_HARVEST_SECONDS = 86_400.0


def raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(errors)


# --- catalogues -------------------------------------------------------------------


def catalogue_snapshot(catalogue: Catalogue) -> dict[str, Any]:
    return {
        "key": catalogue.key,
        "title": catalogue.title,
        "kind": catalogue.kind,
        "url": catalogue.url,
        "description": catalogue.description,
        "version": catalogue.version,
    }


def cleaned_catalogue(values: dict[str, Any]) -> dict[str, Any]:
    errors: list[FieldError] = []
    cleaned = {
        "title": clean_text(values["title"] or "", NAME, "title", errors, required=True),
        "kind": values["kind"],
        "url": (values["url"] or "").strip(),
        "description": clean_text(values["description"] or "", LONG, "description", errors),
    }
    if cleaned["kind"] not in Catalogue.Kind.values:
        errors.append(
            FieldError("kind", _("must be one of: %s") % ", ".join(Catalogue.Kind.values))
        )
    raise_if(errors + url_errors("url", cleaned["url"]))
    return cleaned


@transaction.atomic
def create_catalogue(
    *,
    actor: Actor,
    assessment: Assessment,
    key: str,
    title: str,
    kind: str,
    url: str = "",
    description: str = "",
) -> Catalogue:
    require_editable(actor, assessment)
    name = key.strip().lower()
    if not KEY_PATTERN.fullmatch(name):
        raise InvalidInput.single(
            "key",
            _("letters, digits, - and _, starting with a letter or digit, at most %d") % KEY,
        )
    if Catalogue.objects.filter(assessment=assessment, key=name).exists():
        raise InvalidInput.single("key", _("this assessment already has a catalogue %s") % name)
    fields = cleaned_catalogue(
        {"title": title, "kind": kind, "url": url, "description": description}
    )
    catalogue = Catalogue.objects.create(assessment=assessment, key=name, **fields)
    record_change(
        assessment_id=assessment.pk,
        entity="catalogue",
        entity_id=catalogue.pk,
        actor=actor,
        before=None,
        after=catalogue_snapshot(catalogue),
    )
    return catalogue


def locked_catalogue(catalogue: Catalogue) -> Catalogue:
    found = Catalogue.objects.select_for_update().filter(pk=catalogue.pk).first()
    if found is None:
        raise NotFound(_("no catalogue %s in this assessment") % catalogue.key)
    return found


@transaction.atomic
def update_catalogue(
    *, actor: Actor, catalogue: Catalogue, expected_version: int | None, changes: dict[str, Any]
) -> Catalogue:
    require_editable(actor, catalogue.assessment)
    current = locked_catalogue(catalogue)
    before = catalogue_snapshot(current)
    check_version(
        what=_("This catalogue"),
        current_version=current.version,
        expected_version=expected_version,
        current=before,
    )
    unknown = sorted(set(changes) - CATALOGUE_FIELDS)
    raise_if([FieldError(name, _("cannot be changed")) for name in unknown])
    values = {name: getattr(current, name) for name in CATALOGUE_FIELDS}
    for name, value in cleaned_catalogue({**values, **changes}).items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    record_change(
        assessment_id=current.assessment_id,
        entity="catalogue",
        entity_id=current.pk,
        actor=actor,
        before=before,
        after=catalogue_snapshot(current),
    )
    refresh_citations(current.assessment, actor=actor)  # the title is in their text
    return current


@transaction.atomic
def delete_catalogue(*, actor: Actor, catalogue: Catalogue, expected_version: int | None) -> None:
    """Delete a catalogue and its datasets. History keeps the catalogue,
    every dataset typed by hand (desk research) and what the assessor wrote
    about the others; imported ones can be imported again."""
    require_editable(actor, catalogue.assessment)
    current = locked_catalogue(catalogue)
    before = catalogue_snapshot(current)
    check_version(
        what=_("This catalogue"),
        current_version=current.version,
        expected_version=expected_version,
        current=before,
    )
    datasets = selectors.datasets_of(current)
    if current.kind != Catalogue.Kind.DESK:
        datasets = datasets.exclude(recommendation="", recommendation_reason="", notes="")
    typed = [record_snapshot(record) for record in selectors.dataset_records(datasets)]
    count = current.datasets.count()
    pk, assessment = current.pk, current.assessment
    current.delete()
    record_change(
        assessment_id=assessment.pk,
        entity="catalogue",
        entity_id=pk,
        actor=actor,
        before={**before, "dataset_count": count, "datasets": typed},
        after=None,
    )
    refresh_citations(assessment, actor=actor)


# --- datasets ---------------------------------------------------------------------


def record_snapshot(record: DatasetRecord) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, tuple):
            return [plain(item) for item in value]
        if isinstance(value, DistributionRecord):
            return {name: plain(getattr(value, name)) for name in DISTRIBUTION_FIELDS}
        return value

    return {name: plain(getattr(record, name)) for name in [*DATASET_FIELDS, "distributions"]}


def dataset_snapshot(dataset: Dataset) -> dict[str, Any]:
    record = selectors.dataset_record(dataset, dataset.distributions.all())
    return {**record_snapshot(record), "version": dataset.version}


def _date(value: Any, field: str, errors: list[FieldError]) -> datetime.date | None:
    if value is None or value == "" or isinstance(value, datetime.date):
        return value or None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors.append(FieldError(field, _("an ISO 8601 date, such as 2019-01-31")))
        return None


def _texts(value: Any, field: str, errors: list[FieldError]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(";")]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors.append(FieldError(field, _("a list of texts")))
        return ()
    return tuple(v for v in value if v.strip())


def record_from(values: dict[str, Any], distributions: list[dict[str, Any]]) -> DatasetRecord:
    """A record from the fields a form or the API sends (dates as dates or
    ISO text, lists as lists or "; "-separated text)."""
    errors: list[FieldError] = []
    unknown = sorted(set(values) - DATASET_FIELDS)
    errors += [FieldError(name, _("not a field of a dataset")) for name in unknown]
    texts: dict[str, Any] = {}
    for name in sorted(DATASET_FIELDS - LIST_FIELDS - DATE_FIELDS):
        value = values.get(name)
        if value is not None and not isinstance(value, str):
            errors.append(FieldError(name, _("must be text")))
        texts[name] = value if isinstance(value, str) else ""
    dated: dict[str, Any] = {
        name: _date(values.get(name), name, errors) for name in sorted(DATE_FIELDS)
    }
    lists: dict[str, Any] = {
        name: _texts(values.get(name) or [], name, errors) for name in sorted(LIST_FIELDS)
    }
    parts = []
    for index, given in enumerate(distributions):
        where = f"distributions[{index}]"
        errors += [
            FieldError(f"{where}.{name}", _("not a field of a distribution"))
            for name in sorted(set(given) - DISTRIBUTION_FIELDS)
        ]
        size = given.get("byte_size")
        parts.append(
            DistributionRecord(
                **{
                    name: str(given.get(name) or "")
                    for name in DISTRIBUTION_FIELDS - {"byte_size", "issued", "modified"}
                },
                byte_size=size if isinstance(size, int) else None,
                issued=_date(given.get("issued"), f"{where}.issued", errors),
                modified=_date(given.get("modified"), f"{where}.modified", errors),
            )
        )
        if size not in (None, "") and not isinstance(size, int):
            errors.append(FieldError(f"{where}.byte_size", _("a number of bytes, 0 or more")))
    raise_if(errors)
    return DatasetRecord(
        **{**texts, "access": texts["access"] or Access.ONLINE},
        **dated,
        **lists,
        distributions=tuple(parts),
    )


def _store(dataset: Dataset, record: DatasetRecord, catalogue: Catalogue) -> Dataset:
    row, errors = Cleaner(catalogue.assessment, strict=True).row(record)
    raise_if(errors)
    assert row is not None
    for name, value in row.fields.items():
        setattr(dataset, name, value)
    dataset.fingerprint = ""  # typed by hand: the next import rewrites it
    dataset.save()
    dataset.distributions.all().delete()
    dataset.formats.all().delete()
    Distribution.objects.bulk_create(
        [
            Distribution(dataset=dataset, order=i, **fields)
            for i, fields in enumerate(row.distributions)
        ]
    )
    DatasetFormat.objects.bulk_create(row.format_rows(dataset.pk))
    return dataset


def free_identifier(catalogue: Catalogue, title: str) -> str:
    base = slugify(title)[:60] or "dataset"
    taken = set(
        catalogue.datasets.filter(identifier__startswith=base).values_list("identifier", flat=True)
    )
    number = 1
    name = base
    while name in taken:
        number += 1
        name = f"{base}-{number}"
    return name


@transaction.atomic
def create_dataset(
    *,
    actor: Actor,
    catalogue: Catalogue,
    fields: dict[str, Any],
    distributions: list[dict[str, Any]] | tuple[()] = (),
) -> Dataset:
    require_editable(actor, catalogue.assessment)
    record = record_from(fields, list(distributions))
    identifier = record.identifier.strip() or free_identifier(catalogue, record.title)
    if len(identifier) > URL:
        raise InvalidInput.single("identifier", _("at most %d characters") % URL)
    if catalogue.datasets.filter(identifier=identifier).exists():
        raise InvalidInput.single(
            "identifier", _("this catalogue already has a dataset %s") % identifier
        )
    order = (catalogue.datasets.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    dataset = _store(
        Dataset(catalogue=catalogue, order=order), replace(record, identifier=identifier), catalogue
    )
    record_change(
        assessment_id=catalogue.assessment_id,
        entity="dataset",
        entity_id=dataset.pk,
        actor=actor,
        before=None,
        after=dataset_snapshot(dataset),
    )
    refresh_citations(catalogue.assessment, actor=actor)
    return dataset


def locked_dataset(dataset: Dataset) -> Dataset:
    found = (
        Dataset.objects.select_for_update(of=("self",))
        .select_related("publisher", "catalogue__assessment")
        .filter(pk=dataset.pk)
        .first()
    )
    if found is None:
        raise NotFound(_("no dataset %s in this catalogue") % dataset.pk)
    return found


@transaction.atomic
def update_dataset(
    *,
    actor: Actor,
    dataset: Dataset,
    expected_version: int | None,
    changes: dict[str, Any],
    distributions: list[dict[str, Any]] | None = None,
) -> Dataset:
    """Change the fields in `changes`; `distributions`, when given, replace
    the dataset's distributions."""
    catalogue = dataset.catalogue
    require_editable(actor, catalogue.assessment)
    current = locked_dataset(dataset)
    before = dataset_snapshot(current)
    check_version(
        what=_("This dataset"),
        current_version=current.version,
        expected_version=expected_version,
        current=before,
    )
    given = {name: before[name] for name in DATASET_FIELDS}
    kept = [dict(d) for d in before["distributions"]]
    record = record_from({**given, **changes}, kept if distributions is None else distributions)
    if not record.identifier.strip():
        raise InvalidInput.single("identifier", _("must not be empty"))
    if (
        record.identifier != current.identifier
        and catalogue.datasets.filter(identifier=record.identifier).exists()
    ):
        raise InvalidInput.single(
            "identifier", _("this catalogue already has a dataset %s") % record.identifier
        )
    current.version += 1
    current.updated_at = timezone.now()
    _store(current, record, catalogue)
    record_change(
        assessment_id=catalogue.assessment_id,
        entity="dataset",
        entity_id=current.pk,
        actor=actor,
        before=before,
        after=dataset_snapshot(current),
    )
    refresh_citations(catalogue.assessment, actor=actor)
    return current


@transaction.atomic
def delete_dataset(*, actor: Actor, dataset: Dataset, expected_version: int | None) -> None:
    catalogue = dataset.catalogue
    require_editable(actor, catalogue.assessment)
    current = locked_dataset(dataset)
    before = dataset_snapshot(current)
    check_version(
        what=_("This dataset"),
        current_version=current.version,
        expected_version=expected_version,
        current=before,
    )
    pk = current.pk
    current.delete()
    record_change(
        assessment_id=catalogue.assessment_id,
        entity="dataset",
        entity_id=pk,
        actor=actor,
        before=before,
        after=None,
    )
    refresh_citations(catalogue.assessment, actor=actor)


# --- background runs --------------------------------------------------------------


def new_run(
    *, actor: Actor, catalogue: Catalogue, kind: str, source: str, limits: dict[str, Any]
) -> CatalogueRun:
    require_editable(actor, catalogue.assessment)
    return CatalogueRun.objects.create(
        catalogue=catalogue,
        kind=kind,
        source=source,
        limits=limits,
        created_by=acting_user(actor),
    )


def _enqueue(task_path: str, run: CatalogueRun) -> None:
    # By name: the jobs call these services, so importing them here would
    # make a circle (the reports' jobs are queued the same way, from tasks).
    task = import_string(task_path)
    transaction.on_commit(lambda: task.enqueue(run.pk))


@transaction.atomic
def start_harvest(
    *,
    actor: Actor,
    catalogue: Catalogue,
    url: str,
    max_datasets: int = DEFAULT_MAX_DATASETS,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> CatalogueRun:
    """Queue a harvest of the portal at `url`: its CKAN API address or, for a
    catalogue of the DCAT kind, the first page of its DCAT catalogue."""
    address = url.strip()
    errors = url_errors("url", address) or (
        [] if address else [FieldError("url", _("must not be empty"))]
    )
    if not 1 <= max_datasets <= MAX_HARVEST_DATASETS:
        errors.append(FieldError("max_datasets", _("from 1 to %d") % MAX_HARVEST_DATASETS))
    if not 1 <= max_seconds <= MAX_HARVEST_SECONDS:
        errors.append(FieldError("max_seconds", _("from 1 to %d") % MAX_HARVEST_SECONDS))
    raise_if(errors)
    run = new_run(
        actor=actor,
        catalogue=catalogue,
        kind=CatalogueRun.Kind.HARVEST,
        source=address,
        limits={"max_datasets": max_datasets, "max_seconds": max_seconds},
    )
    _enqueue("readiness.catalogues.tasks.harvest", run)
    return run


@transaction.atomic
def start_link_check(*, actor: Actor, catalogue: Catalogue) -> CatalogueRun:
    """Queue a check of the catalogue's distribution addresses."""
    run = new_run(
        actor=actor, catalogue=catalogue, kind=CatalogueRun.Kind.LINK_CHECK, source="", limits={}
    )
    _enqueue("readiness.catalogues.tasks.check_links", run)
    return run


# --- exports ----------------------------------------------------------------------


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "dcat-ttl": ("text/turtle; charset=utf-8", "ttl"),
    "dcat-jsonld": ("application/ld+json", "jsonld"),
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def export_catalogue(target: Assessment | Catalogue, fmt: str) -> ExportFile:
    """The datasets of one catalogue, or of the whole inventory, as a file."""
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput.single("format", _("must be one of: %s") % ", ".join(EXPORT_FORMATS))
    content_type, extension = EXPORT_FORMATS[fmt]
    assessment = target.assessment if isinstance(target, Catalogue) else target
    name = f"{assessment.slug}-{target.key}" if isinstance(target, Catalogue) else assessment.slug
    records = selectors.dataset_records(selectors.datasets_of(target))
    stream = io.BytesIO()
    if fmt == "csv":
        exports.write_csv(records, stream)
    elif fmt == "xlsx":
        exports.write_xlsx(records, stream)
    else:
        info = dcat_ap.CatalogueInfo(
            title=target.title,
            url=(target.url if isinstance(target, Catalogue) else "")
            or f"{settings.SITE_URL}/assessments/{assessment.slug}/datasets/",
            description=target.description,
        )
        graph = dcat_ap.catalogue_graph(info, records)
        stream.write(dcat_ap.serialise(graph, "turtle" if fmt == "dcat-ttl" else "json-ld"))
    return ExportFile(stream.getvalue(), content_type, f"{name}-datasets.{extension}")
