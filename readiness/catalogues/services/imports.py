"""Importing a catalogue: all or nothing, a batch of rows at a time (a few
queries a batch, none a row), one history record for the whole import and a
CatalogueRun with its counts and warnings."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.assessments.access import require_editable
from readiness.catalogues.dcat_ap import violations
from readiness.catalogues.models import (
    Catalogue,
    CatalogueRun,
    Dataset,
    DatasetFormat,
    Distribution,
)
from readiness.catalogues.readers import read_catalogue
from readiness.catalogues.records import DatasetRecord
from readiness.catalogues.services.citations import refresh_citations
from readiness.catalogues.services.rows import Cleaner, Row, fingerprint
from readiness.core.errors import FieldError, InvalidInput
from readiness.core.history import Actor, acting_user, record_change

BATCH = 1_000
MAX_WARNINGS = 200
ASSESSOR_COLUMNS = ("recommendation", "recommendation_reason", "notes")
# What a re-import rewrites on a changed dataset (all but its identity).
UPDATED_FIELDS = [
    "order",
    "title",
    "description",
    "publisher",
    "publisher_name",
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
    *ASSESSOR_COLUMNS,
    "stars",
    "licence_key",
    "open_licence",
    "quality_findability",
    "quality_accessibility",
    "quality_interoperability",
    "quality_reusability",
    "quality_contextuality",
    "quality_points",
    "quality_band",
    "fingerprint",
    "updated_at",
    "version",
]


@dataclass
class ImportOutcome:
    added: int
    changed: int
    removed: int
    warnings: list[str]
    run: CatalogueRun


@dataclass(frozen=True)
class Stored:
    """What the import needs of a dataset already in the catalogue."""

    pk: int
    version: int
    fingerprint: str
    recommendation: str
    recommendation_reason: str
    notes: str
    title: str


def capped(warnings: list[str]) -> list[str]:
    if len(warnings) <= MAX_WARNINGS:
        return warnings
    more = len(warnings) - MAX_WARNINGS
    return [*warnings[:MAX_WARNINGS], _("… and %(count)d more warnings") % {"count": more}]


class Importer:
    def __init__(self, catalogue: Catalogue, source: str) -> None:
        self.catalogue = catalogue
        self.source = source
        self.cleaner = Cleaner(catalogue.assessment, strict=False)
        self.stored = {
            row[0]: Stored(*row[1:])
            for row in Dataset.objects.filter(catalogue=catalogue).values_list(
                "identifier",
                "pk",
                "version",
                "fingerprint",
                *ASSESSOR_COLUMNS,
                "title",
            )
        }
        self.seen: dict[str, str] = {}  # identifier: where it was read
        self.added = self.changed = 0

    def run(self, records: Iterable[DatasetRecord], progress: Callable[[int], None] | None) -> None:
        batch: list[tuple[int, DatasetRecord, str]] = []
        done = 0
        for position, record in enumerate(records, 1):
            batch.append((position, record, record.place or _("record %d") % position))
            if len(batch) == BATCH:
                done += self.store(batch)
                batch = []
                if progress:
                    progress(done)
        if batch:
            done += self.store(batch)
            if progress:
                progress(done)

    def store(self, batch: list[tuple[int, DatasetRecord, str]]) -> int:
        new: list[tuple[Dataset, Row]] = []
        changed: list[tuple[Dataset, Row]] = []
        for position, record, place in batch:
            where = f'{place} (id "{record.identifier}")' if record.identifier else place
            if record.identifier in self.seen:
                raise InvalidInput(
                    [
                        FieldError(
                            f"{where}, identifier",
                            _("also the identifier of %s") % self.seen[record.identifier],
                        )
                    ],
                    self.source,
                )
            self.seen[record.identifier] = place
            digest = fingerprint(record)
            stored = self.stored.get(record.identifier)
            if stored is not None and stored.fingerprint == digest:
                continue
            row, errors = self.cleaner.row(record, where)
            if row is None:
                raise InvalidInput(errors, self.source)
            fields = {**row.fields, "order": position, "fingerprint": digest}
            if stored is None:
                new.append((Dataset(catalogue=self.catalogue, **fields), row))
                continue
            for column in ASSESSOR_COLUMNS:
                if not fields[column]:
                    fields[column] = getattr(stored, column)
            dataset = Dataset(
                pk=stored.pk,
                catalogue=self.catalogue,
                updated_at=timezone.now(),
                **{**fields, "version": stored.version + 1},
            )
            changed.append((dataset, row))
        if new:
            Dataset.objects.bulk_create([dataset for dataset, _row in new], batch_size=BATCH)
        if changed:
            Dataset.objects.bulk_update(
                [dataset for dataset, _row in changed], UPDATED_FIELDS, batch_size=BATCH
            )
            changed_ids = [dataset.pk for dataset, _row in changed]
            Distribution.objects.filter(dataset_id__in=changed_ids).delete()
            DatasetFormat.objects.filter(dataset_id__in=changed_ids).delete()
        Distribution.objects.bulk_create(
            [
                Distribution(dataset_id=dataset.pk, order=index, **fields)
                for dataset, row in new + changed
                for index, fields in enumerate(row.distributions)
            ],
            batch_size=BATCH,
        )
        DatasetFormat.objects.bulk_create(
            [entry for dataset, row in new + changed for entry in row.format_rows(dataset.pk)],
            batch_size=BATCH,
        )
        self.added += len(new)
        self.changed += len(changed)
        return len(batch)

    def remove_unlisted(self) -> tuple[int, list[dict[str, Any]]]:
        """Delete the datasets the source no longer lists; what the assessor
        had written about them is returned for the history."""
        gone = [stored for key, stored in self.stored.items() if key not in self.seen]
        kept = [
            {"identifier": key, "title": s.title, **{c: getattr(s, c) for c in ASSESSOR_COLUMNS}}
            for key, s in self.stored.items()
            if key not in self.seen and any(getattr(s, c) for c in ASSESSOR_COLUMNS)
        ]
        for start in range(0, len(gone), BATCH):
            ids = [stored.pk for stored in gone[start : start + BATCH]]
            Distribution.objects.filter(dataset_id__in=ids).delete()
            DatasetFormat.objects.filter(dataset_id__in=ids).delete()
            Dataset.objects.filter(pk__in=ids).delete()
        return len(gone), kept


def import_records(
    catalogue: Catalogue,
    records: Iterable[DatasetRecord],
    *,
    actor: Actor,
    source: str,
    run: CatalogueRun | None = None,
    progress: Callable[[int], None] | None = None,
    warnings: list[str] | None = None,
) -> ImportOutcome:
    """Store `records` as the catalogue's datasets, all or nothing: new
    identifiers are added, changed ones updated (keeping the assessor's
    recommendation, reason and notes where the record has none), and those
    the source no longer lists removed. `warnings` (the reader's) is read at
    the end, since a streaming reader adds to it as it goes."""
    try:
        with transaction.atomic():
            require_editable(actor, catalogue.assessment)
            return _import(catalogue, records, actor, source, run, progress, warnings or [])
    except InvalidInput as error:
        failed(catalogue, run, actor, source, str(error))
        raise


def failed(
    catalogue: Catalogue, run: CatalogueRun | None, actor: Actor, source: str, error: str
) -> None:
    """The run says why the import failed (after the rollback of its rows)."""
    values = {"status": CatalogueRun.Status.FAILED, "error": error, "finished_at": timezone.now()}
    if run is not None and run.pk is not None:
        CatalogueRun.objects.filter(pk=run.pk).update(**values)
        return
    CatalogueRun.objects.create(
        catalogue=catalogue,
        kind=CatalogueRun.Kind.IMPORT,
        source=source[:1000],
        created_by=acting_user(actor),
        **values,
    )


def _import(
    catalogue: Catalogue,
    records: Iterable[DatasetRecord],
    actor: Actor,
    source: str,
    run: CatalogueRun | None,
    progress: Callable[[int], None] | None,
    reader_warnings: list[str],
) -> ImportOutcome:
    if run is None:
        run = CatalogueRun.objects.create(
            catalogue=catalogue,
            kind=CatalogueRun.Kind.IMPORT,
            status=CatalogueRun.Status.RUNNING,
            source=source[:1000],
            created_by=acting_user(actor),
        )
    importer = Importer(catalogue, source)
    before = len(importer.stored)

    def advance(done: int) -> None:
        CatalogueRun.objects.filter(pk=run.pk).update(done=done)
        if progress:
            progress(done)

    importer.run(records, advance)
    removed, assessor_notes = importer.remove_unlisted()
    warnings = capped(
        [*reader_warnings, *importer.cleaner.warnings, *importer.cleaner.publisher_warning()]
    )
    run.status = CatalogueRun.Status.DONE
    run.done = len(importer.seen)
    run.added, run.changed, run.removed = importer.added, importer.changed, removed
    run.warnings = warnings
    run.finished_at = timezone.now()
    run.save()
    record_change(
        assessment_id=catalogue.assessment_id,
        entity="catalogue",
        entity_id=catalogue.pk,
        actor=actor,
        before={"datasets": before, "removed_with_notes": assessor_notes},
        after={
            "source": source,
            "added": importer.added,
            "changed": importer.changed,
            "removed": removed,
        },
    )
    if importer.added or importer.changed or removed:
        refresh_citations(catalogue.assessment, actor=actor)
    return ImportOutcome(importer.added, importer.changed, removed, warnings, run)


def import_file(
    catalogue: Catalogue,
    data: bytes | IO[bytes],
    filename: str,
    *,
    actor: Actor,
    progress: Callable[[int], None] | None = None,
) -> ImportOutcome:
    """Read a CKAN, DCAT or spreadsheet file (readers.read_catalogue) and
    import it. A DCAT file that breaks the DCAT-AP 2.1.1 shapes is still
    imported; its violations are the first warnings."""
    try:
        read = read_catalogue(data, filename)
    except InvalidInput as error:
        failed(catalogue, None, actor, filename, str(error))
        raise
    warnings = read.warnings
    if read.graph is not None:
        found = violations(read.graph)
        if found:
            warnings.insert(
                0,
                _("the file does not conform to DCAT-AP 2.1.1: %s")
                % "; ".join(str(violation) for violation in found),
            )
    return import_records(
        catalogue,
        read.records,
        actor=actor,
        source=filename,
        progress=progress,
        warnings=warnings,
    )
