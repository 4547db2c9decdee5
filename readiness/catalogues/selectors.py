"""Reads of the inventory for every door: the catalogues and datasets an
actor may see, the records exports take, the summary's counts and the
figures assessors cite. Every count is one SQL aggregate over the stored
rows (their scores are stored on them), never a number typed by anybody."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.assessments import services as assessment_services
from readiness.assessments.models import Assessment
from readiness.catalogues.models import (
    Catalogue,
    CatalogueRun,
    Dataset,
    DatasetFormat,
    Distribution,
    FigureCitation,
)
from readiness.catalogues.records import Access, DatasetRecord, DistributionRecord, Recommendation
from readiness.catalogues.scoring import file_types, format_key
from readiness.core.bilingual import pick
from readiness.core.errors import InvalidInput, NotFound
from readiness.core.history import Actor
from readiness.core.text import clean_identifier, is_storable

RECORD_BATCH = 1_000


# --- what the actor may open --------------------------------------------------


def inventory_assessment(actor: Actor, slug: str) -> Assessment:
    """The assessment whose inventory the actor may read (the rule the
    evidence uses): NotFound for everyone who is not a member."""
    return assessment_services.get_assessment(actor, slug)


def catalogues_of(assessment: Assessment) -> QuerySet[Catalogue]:
    return Catalogue.objects.filter(assessment=assessment).annotate(dataset_count=Count("datasets"))


def get_catalogue(assessment: Assessment, key: str) -> Catalogue:
    name = clean_identifier(key)
    catalogue = catalogues_of(assessment).filter(key=name).first() if name else None
    if catalogue is None:
        raise NotFound(_("no catalogue %s in this assessment") % key)
    return catalogue


def datasets_of(target: Assessment | Catalogue) -> QuerySet[Dataset]:
    """The datasets of one catalogue, or of all the assessment's catalogues."""
    if isinstance(target, Catalogue):
        rows = Dataset.objects.filter(catalogue=target)
    else:
        rows = Dataset.objects.filter(catalogue__assessment=target)
    return rows.select_related("publisher", "catalogue")


def get_dataset(catalogue: Catalogue, dataset_id: int) -> Dataset:
    dataset = datasets_of(catalogue).prefetch_related("distributions").filter(pk=dataset_id).first()
    if dataset is None:
        raise NotFound(_("no dataset %s in this catalogue") % dataset_id)
    return dataset


def get_run(catalogue: Catalogue, run_id: int) -> CatalogueRun:
    run = catalogue.runs.filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("no run %s of this catalogue") % run_id)
    return run


# --- records, for exports, scoring and history ------------------------------------


def distribution_record(row: Distribution) -> DistributionRecord:
    return DistributionRecord(
        title=row.title,
        format=row.format,
        media_type=row.media_type,
        access_url=row.access_url,
        download_url=row.download_url,
        byte_size=row.byte_size,
        licence=row.licence,
        rights=row.rights,
        issued=row.issued,
        modified=row.modified,
    )


def dataset_record(row: Dataset, distributions: Iterable[Distribution]) -> DatasetRecord:
    return DatasetRecord(
        identifier=row.identifier,
        title=row.title,
        description=row.description,
        publisher=row.publisher.abbreviation if row.publisher else row.publisher_name,
        landing_page=row.landing_page,
        licence=row.licence,
        access=row.access,
        access_rights=row.access_rights,
        update_frequency=row.update_frequency,
        themes=tuple(row.themes),
        keywords=tuple(row.keywords),
        temporal_start=row.temporal_start,
        temporal_end=row.temporal_end,
        spatial=row.spatial,
        issued=row.issued,
        modified=row.modified,
        contact_point=row.contact_point,
        distributions=tuple(distribution_record(d) for d in distributions),
        recommendation=row.recommendation,
        recommendation_reason=row.recommendation_reason,
        notes=row.notes,
    )


def dataset_records(datasets: QuerySet[Dataset]) -> Iterator[DatasetRecord]:
    """The datasets as records, in their order, a batch at a time (two
    queries a batch), so that an export of 100,000 holds one batch."""
    ordered = datasets.order_by("catalogue_id", "order", "id")
    last: tuple[int, int, int] | None = None
    while True:
        rows = ordered
        if last is not None:
            catalogue_id, order, pk = last
            rows = rows.filter(
                Q(catalogue_id__gt=catalogue_id)
                | Q(catalogue_id=catalogue_id, order__gt=order)
                | Q(catalogue_id=catalogue_id, order=order, pk__gt=pk)
            )
        batch = list(rows[:RECORD_BATCH])
        if not batch:
            return
        by_dataset: dict[int, list[Distribution]] = {row.pk: [] for row in batch}
        for distribution in Distribution.objects.filter(dataset_id__in=by_dataset).order_by(
            "dataset_id", "order", "id"
        ):
            by_dataset[distribution.dataset_id].append(distribution)
        for row in batch:
            yield dataset_record(row, by_dataset[row.pk])
        final = batch[-1]
        last = (final.catalogue_id, final.order, final.pk)


# --- the dimensions datasets are counted by --------------------------------------


UNKNOWN = ""  # the value of a dataset that has none in a dimension


def _recommendation_label(value: str) -> str:
    return str(Recommendation(value).label) if value in Recommendation.values else _("None")


def _access_label(value: str) -> str:
    return str(Access(value).label) if value in Access.values else value


def _stars_label(value: str) -> str:
    return _("%(stars)s of 5 stars") % {"stars": value}


def _as_is(value: str) -> str:
    return value or _("Not known")


def _licence_label(value: str) -> str:
    # Licence keys are the licences' own codes (CC-BY-4.0); ours are words.
    if value == "not-stated":
        return _("No licence stated")
    return _as_is(value)


def _format_label(value: str) -> str:
    if not value:
        return _("No format given")
    entry = file_types().get(value)
    return str(entry["label"]) if entry else value


# How a value of each dimension is shown.
DIMENSIONS = {
    "recommendation": _recommendation_label,
    "publisher": _as_is,
    "format": _format_label,
    "licence": _licence_label,
    "stars": _stars_label,
    "band": _as_is,
    "access": _access_label,
}
DIMENSION_NAMES = tuple(DIMENSIONS)


def dimension_title(name: str) -> str:
    titles = {
        "recommendation": _("recommendation"),
        "publisher": _("publisher"),
        "format": _("format"),
        "licence": _("licence"),
        "stars": _("five-star level"),
        "band": _("metadata quality band"),
        "access": _("access"),
    }
    return titles[name]


def value_label(dimension: str, value: str) -> str:
    return DIMENSIONS[dimension](value)


def publisher_key(row: Dataset) -> str:
    """How a dataset's publisher is named in counts and filters: the
    register's acronym when it was matched, else the name as published."""
    return row.publisher.abbreviation if row.publisher else row.publisher_name


def with_value(datasets: QuerySet[Dataset], dimension: str, value: str) -> QuerySet[Dataset]:
    """The datasets counted under `value` of `dimension` (the filters of the
    lists and the cited figures use the same rule as the summary)."""
    if dimension not in DIMENSIONS:
        raise InvalidInput.single("dimension", _("must be one of: %s") % ", ".join(DIMENSION_NAMES))
    if not is_storable(value):
        return datasets.none()
    if dimension == "recommendation":
        return datasets.filter(recommendation=value)
    if dimension == "publisher":
        if not value:
            return datasets.filter(publisher__isnull=True, publisher_name="")
        return datasets.filter(
            Q(publisher__abbreviation__iexact=value)
            | Q(publisher__isnull=True, publisher_name__iexact=value)
        )
    if dimension == "format":
        if not value.strip():
            return datasets.exclude(Exists(DatasetFormat.objects.filter(dataset=OuterRef("pk"))))
        offered = DatasetFormat.objects.filter(dataset=OuterRef("pk"), code=format_key(value))
        return datasets.filter(Exists(offered))
    if dimension == "licence":
        return datasets.filter(licence_key=value)
    if dimension == "stars":
        if not value.isdigit():
            raise InvalidInput.single("value", _("a number of stars from 0 to 5"))
        return datasets.filter(stars=int(value))
    if dimension == "band":
        return datasets.filter(quality_band=value)
    return datasets.filter(access=value)


# --- the summary ------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    value: str
    label: str
    count: int


@dataclass
class InventorySummary:
    total_datasets: int
    total_distributions: int
    counting_rule: str
    by_recommendation: list[Tally]
    by_publisher: list[Tally]
    by_format: list[Tally]
    by_licence: list[Tally]
    by_stars: list[Tally]
    by_band: list[Tally]
    by_access: list[Tally]
    # Second, labelled figures: the mixed category added to both sides.
    quick_wins_including_mixed: Tally
    priority_including_mixed: Tally
    open_licence_count: int
    mean_quality_points: float | None
    unmatched_publishers: list[str] = field(default_factory=list)
    unknown_licences: list[str] = field(default_factory=list)

    def counts(self, dimension: str) -> list[Tally]:
        return getattr(self, f"by_{dimension}")


def _grouped(datasets: QuerySet[Dataset], column: str, dimension: str) -> list[Tally]:
    rows = datasets.order_by().values(column).annotate(n=Count("id")).order_by("-n", column)
    return [
        Tally(str(row[column]), value_label(dimension, str(row[column])), row["n"]) for row in rows
    ]


def _by_publisher(datasets: QuerySet[Dataset]) -> list[Tally]:
    rows = (
        datasets.order_by()
        .values("publisher__abbreviation", "publisher__name", "publisher_name")
        .annotate(n=Count("id"))
    )
    counts = [
        Tally(
            row["publisher__abbreviation"] or row["publisher_name"],
            pick(row["publisher__name"])
            if row["publisher__name"]
            else _as_is(row["publisher_name"]),
            row["n"],
        )
        for row in rows
    ]
    return sorted(counts, key=lambda c: (-c.count, c.label.lower()))


def _by_format(datasets: QuerySet[Dataset]) -> list[Tally]:
    rows = (
        DatasetFormat.objects.filter(dataset__in=datasets.order_by().values("pk"))
        .values("code", "known")
        .annotate(n=Count("id"), spelling=Min("label"))
    )
    tallies = [
        Tally(
            row["code"],
            row["spelling"]
            if row["known"]
            else _("%s (not in the file-type list)") % row["spelling"],
            row["n"],
        )
        for row in rows
    ]
    tallies.sort(key=lambda tally: (-tally.count, tally.label.casefold()))
    without = with_value(datasets, "format", UNKNOWN).count()
    if without:
        tallies.append(Tally(UNKNOWN, _format_label(UNKNOWN), without))
    return tallies


def _mixed(datasets: QuerySet[Dataset], value: str, label: str) -> Tally:
    count = datasets.filter(recommendation__in=[value, Recommendation.QUICK_WIN_PRIORITY]).count()
    return Tally(value, label, count)


COUNTING_RULE = gettext_lazy(
    "Each dataset is counted once in each table: under its own recommendation "
    "(“Quick win/Priority” is its own category, not added to both), its publisher, "
    "its licence, its five-star level, its metadata quality band and its access. "
    "By format, a dataset is counted once under each format it is offered in, as "
    "the file-type list names it (“HTML & PDF” counts under HTML and under PDF; a "
    "format not in the list under its own words), so that table can add up to more "
    "than the datasets; a dataset with no format is counted under “No format "
    "given”. The two figures “including "
    "Quick win/Priority” add the mixed category to each side."
)


def summary(target: Assessment | Catalogue) -> InventorySummary:
    """The inventory's counts, each one SQL aggregate over the stored rows."""
    datasets = datasets_of(target).select_related(None)
    totals = datasets.aggregate(
        n=Count("id"),
        open=Count("id", filter=Q(open_licence=True)),
        mean=Avg("quality_points"),
    )
    return InventorySummary(
        total_datasets=totals["n"],
        total_distributions=Distribution.objects.filter(
            dataset__in=datasets.order_by().values("pk")
        ).count(),
        counting_rule=str(COUNTING_RULE),
        by_recommendation=_grouped(datasets, "recommendation", "recommendation"),
        by_publisher=_by_publisher(datasets),
        by_format=_by_format(datasets),
        by_licence=_grouped(datasets, "licence_key", "licence"),
        by_stars=_grouped(datasets, "stars", "stars"),
        by_band=_grouped(datasets, "quality_band", "band"),
        by_access=_grouped(datasets, "access", "access"),
        quick_wins_including_mixed=_mixed(
            datasets, Recommendation.QUICK_WIN, _("Quick wins, including Quick win/Priority")
        ),
        priority_including_mixed=_mixed(
            datasets, Recommendation.PRIORITY, _("Priority, including Quick win/Priority")
        ),
        open_licence_count=totals["open"],
        mean_quality_points=totals["mean"],
        unmatched_publishers=sorted(
            set(
                datasets.filter(publisher__isnull=True)
                .exclude(publisher_name="")
                .values_list("publisher_name", flat=True)
            )
        ),
        unknown_licences=sorted(
            set(
                datasets.filter(licence_key="")
                .exclude(licence="")
                .values_list("licence", flat=True)
            )
        ),
    )


# --- figures cited as evidence -------------------------------------------------------

MAX_TITLES = 100  # a longer list is cut; its text says how many are left out


def figure_value(assessment: Assessment, kind: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The figure now, as JSON (compared with the one last written)."""
    target: Assessment | Catalogue = assessment
    if parameters.get("catalogue"):
        found = Catalogue.objects.filter(assessment=assessment, key=parameters["catalogue"]).first()
        if found is None:
            return {"missing_catalogue": parameters["catalogue"]}
        target = found
    datasets = datasets_of(target)
    if parameters.get("dimension"):
        datasets = with_value(datasets, parameters["dimension"], str(parameters.get("value") or ""))
    if kind == FigureCitation.Kind.SCORE and parameters.get("dataset"):
        row = datasets.filter(identifier=parameters["dataset"]).first()
        if row is None:
            return {"missing": parameters["dataset"]}
        return {
            "title": row.title,
            "points": row.quality_points,
            "band": row.quality_band,
            "stars": row.stars,
        }
    if kind == FigureCitation.Kind.SCORE:
        scores = datasets.aggregate(count=Count("id"), mean=Avg("quality_points"))
        mean = round(scores["mean"], 1) if scores["mean"] is not None else None
        return {"count": scores["count"], "mean": mean}
    if kind == FigureCitation.Kind.TITLES:
        titles = list(
            datasets.order_by("catalogue_id", "order", "id").values_list("title", flat=True)
        )
        return {"count": len(titles), "titles": titles[:MAX_TITLES]}
    return {"count": datasets.count()}
