"""The inventory spreadsheet (records.TABLE_COLUMNS; CSV or the XLSX sheet
records.TABLE_SHEET): a header row, then one row per distribution; consecutive
rows with the same identifier are one dataset. Columns are matched ignoring
case; an unknown column is a warning. Errors name the line and column."""

import datetime
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from readiness.catalogues import scoring
from readiness.catalogues.readers.common import Fields
from readiness.catalogues.records import (
    DISTRIBUTION_COLUMNS,
    LIST_SEPARATOR,
    TABLE_COLUMNS,
    TABLE_SHEET,
    Access,
    DatasetRecord,
    DistributionRecord,
    Recommendation,
)
from readiness.core.errors import FieldError, InvalidInput
from readiness.core.readers import MAX_DATASETS, MAX_GRAPH_BYTES
from readiness.core.spreadsheets import FORMULA_START, csv_place, read_csv, read_sheet
from readiness.core.text import LONG, NAME, SHORT, URL

REQUIRED = ("identifier", "title")
LIMITS = {
    "identifier": NAME,
    "title": NAME,
    "description": LONG,
    "publisher": NAME,
    "landing_page": URL,
    "licence": URL,
    "access": SHORT,
    "access_rights": URL,
    "update_frequency": URL,
    "themes": LONG,
    "keywords": LONG,
    "spatial": LONG,
    "contact_point": NAME,
    "recommendation": SHORT,
    "recommendation_reason": LONG,
    "notes": LONG,
    "distribution_title": NAME,
    "format": SHORT,
    "media_type": SHORT,
    "access_url": URL,
    "download_url": URL,
    "distribution_licence": URL,
}
URL_COLUMNS = frozenset({"landing_page", "access_url", "download_url"})
DATE_COLUMNS = frozenset({"temporal_start", "temporal_end", "issued", "modified"})


def header_warnings(names: list[str], source: str, warnings: list[str]) -> None:
    missing = [name for name in REQUIRED if name not in names]
    if missing or len(set(names)) != len(names):
        raise InvalidInput.single(
            csv_place(1),
            _("the header must name the columns %s (each column once)") % ", ".join(REQUIRED),
            source,
        )
    for name in names:
        if name not in TABLE_COLUMNS:
            warnings.append(
                _("%(place)s: the column %(name)s is not read (the columns are %(columns)s)")
                % {"place": csv_place(1), "name": repr(name), "columns": ", ".join(TABLE_COLUMNS)}
            )


def records_from_csv(data: bytes, source: str, warnings: list[str]) -> Iterator[DatasetRecord]:
    _names, rows = read_csv(
        data,
        source,
        max_bytes=MAX_GRAPH_BYTES,
        max_rows=MAX_DATASETS,
        check_header=lambda names: header_warnings(names, source, warnings),
    )
    # A leading apostrophe is what the export put before a formula-like text.
    cleaned = [
        (
            line,
            {
                k: v[1:] if v.startswith("'") and v[1:].startswith(FORMULA_START) else v
                for k, v in values.items()
            },
        )
        for line, values in rows
    ]
    return iter(datasets(cleaned, source, warnings))


def records_from_xlsx(data: bytes, source: str, warnings: list[str]) -> Iterator[DatasetRecord]:
    # The header may name the columns in any order: read as wide as ours and more.
    width = len(TABLE_COLUMNS) + 10
    sheet = read_sheet(data, source=source, sheet=TABLE_SHEET, width=width, max_rows=MAX_DATASETS)
    if not sheet:
        raise InvalidInput.single(csv_place(1), _("the sheet is empty"), source)
    names = [str(v).strip().lower() if v is not None else "" for v in sheet[0].values]
    while names and not names[-1]:
        names.pop()
    header_warnings([n for n in names if n], source, warnings)
    rows = [
        (row.number, {name: row.values[i] for i, name in enumerate(names) if name})
        for row in sheet[1:]
        if any(v not in (None, "") for v in row.values)
    ]
    return iter(datasets(rows, source, warnings))


def datasets(
    rows: list[tuple[int, dict[str, Any]]], source: str, warnings: list[str]
) -> list[DatasetRecord]:
    """Group consecutive rows by identifier; all rows are checked before any
    record is returned, so that every mistake is reported at once."""
    records: list[DatasetRecord] = []
    errors: list[FieldError] = []
    group: list[tuple[int, dict[str, Any], Fields]] = []

    def close() -> None:
        if group:
            records.append(dataset(group, errors))
            group.clear()

    for line, values in rows:
        fields = Fields(csv_place(line), warnings)
        identifier = cell_text(values.get("identifier"))
        if not group or cell_text(group[0][1].get("identifier")) != identifier:
            close()
        group.append((line, values, fields))
    close()
    if errors:
        raise InvalidInput(errors, source)
    return records


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return value if isinstance(value, str) else str(value)


def dataset(
    group: list[tuple[int, dict[str, Any], Fields]], errors: list[FieldError]
) -> DatasetRecord:
    _first, values, fields = group[0]

    def text(column: str, *, required: bool = False) -> str:
        path = _("column %s") % column
        if column in URL_COLUMNS:
            return fields.url(cell_text(values.get(column)), LIMITS[column], path)
        return fields.text(cell_text(values.get(column)), LIMITS[column], path, required=required)

    def date(column: str, row: dict[str, Any] = values, row_fields: Fields = fields) -> Any:
        value = row.get(column)
        return row_fields.date(
            value if not isinstance(value, float) else cell_text(value), _("column %s") % column
        )

    def choice(column: str, choices: Any, default: str) -> str:
        typed = text(column)
        if not typed:
            return default
        known: dict[str, str] = {c.value: c.value for c in choices} | {
            str(c.label).lower(): c.value for c in choices
        }
        if typed.lower() not in known and typed not in known:
            fields.fail(
                _("column %s") % column,
                _("%(value)s is not one of %(choices)s")
                % {"value": repr(typed[:40]), "choices": ", ".join(c.value for c in choices)},
            )
            return default
        return known.get(typed) or known.get(typed.lower()) or default

    def listed(column: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in text(column).split(LIST_SEPARATOR.strip()) if p.strip())

    distributions = []
    for _line, row, row_fields in group:
        if not any(cell_text(row.get(column)).strip() for column in DISTRIBUTION_COLUMNS):
            continue

        def cell(
            column: str, *, url: bool = False, row: dict = row, row_fields: Fields = row_fields
        ) -> str:
            path = _("column %s") % column
            raw = cell_text(row.get(column))
            if url:
                return row_fields.url(raw, LIMITS[column], path)
            return row_fields.text(raw, LIMITS[column], path)

        size = row.get("byte_size")
        byte_size = None
        if size not in (None, ""):
            byte_size = row_fields.size(size, _("column %s") % "byte_size")
        distributions.append(
            DistributionRecord(
                title=cell("distribution_title"),
                format=cell("format"),
                media_type=cell("media_type"),
                access_url=cell("access_url", url=True),
                download_url=cell("download_url", url=True),
                byte_size=byte_size,
                licence=cell("distribution_licence"),
            )
        )
    licence = text("licence")
    if licence and scoring.licence_key(licence) is None:
        fields.warn(
            _("column %s") % "licence",
            _("the licence %s is not in the list of known licences") % repr(licence[:80]),
        )
    record = DatasetRecord(
        identifier=text("identifier", required=True),
        title=text("title", required=True),
        description=text("description"),
        publisher=text("publisher"),
        landing_page=text("landing_page"),
        licence=licence,
        access=choice("access", Access, Access.ONLINE),
        access_rights=text("access_rights"),
        update_frequency=text("update_frequency"),
        themes=listed("themes"),
        keywords=listed("keywords"),
        temporal_start=date("temporal_start"),
        temporal_end=date("temporal_end"),
        spatial=text("spatial"),
        issued=date("issued"),
        modified=date("modified"),
        contact_point=text("contact_point"),
        distributions=tuple(distributions),
        recommendation=choice("recommendation", Recommendation, ""),
        recommendation_reason=text("recommendation_reason"),
        notes=text("notes"),
        place=fields.place,
    )
    for _line, _row, row_fields in group:
        errors.extend(row_fields.errors)
    return record
