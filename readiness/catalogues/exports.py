"""The inventory as a spreadsheet (CSV or XLSX) in the layout of
`records.TABLE_COLUMNS`: one row per distribution, the dataset's columns
repeated, so that the spreadsheet import reads an export back to the same
records. Both writers stream: the CSV writer holds one row at a time, the
XLSX writer uses openpyxl's write-only mode (rows go to a temporary file as
they come). Every text cell passes the project's spreadsheet rule: text stays
text, never a formula (`readiness.core.spreadsheets`)."""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from readiness.catalogues.records import (
    LIST_SEPARATOR,
    TABLE_COLUMNS,
    TABLE_SHEET,
    DatasetRecord,
    DistributionRecord,
)
from readiness.core.spreadsheets import csv_safe, write_text

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDE_COLUMNS = {"title", "description", "recommendation_reason", "notes", "distribution_title"}

Value = str | int | None


def table_rows(records: Iterable[DatasetRecord]) -> Iterator[tuple[Value, ...]]:
    """The rows below the header, in TABLE_COLUMNS order: dates as ISO text,
    lists joined with LIST_SEPARATOR, a size as a number, empty as None."""
    for record in records:
        dataset = dataset_values(record)
        for distribution in record.distributions or (None,):
            yield dataset + distribution_values(distribution)


def dataset_values(record: DatasetRecord) -> tuple[Value, ...]:
    return (
        record.identifier,
        record.title,
        record.description,
        record.publisher,
        record.landing_page,
        record.licence,
        record.access,
        record.access_rights,
        record.update_frequency,
        LIST_SEPARATOR.join(record.themes),
        LIST_SEPARATOR.join(record.keywords),
        iso(record.temporal_start),
        iso(record.temporal_end),
        record.spatial,
        iso(record.issued),
        iso(record.modified),
        record.contact_point,
        record.recommendation,
        record.recommendation_reason,
        record.notes,
    )


def distribution_values(distribution: DistributionRecord | None) -> tuple[Value, ...]:
    if distribution is None:  # a dataset without distributions: one row, these cells empty
        return ("", "", "", "", "", None, "")
    return (
        distribution.title,
        distribution.format,
        distribution.media_type,
        distribution.access_url,
        distribution.download_url,
        distribution.byte_size,
        distribution.licence,
    )


def iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def write_csv(records: Iterable[DatasetRecord], stream: IO[bytes]) -> None:
    """UTF-8 CSV, CRLF line ends (RFC 4180), a header row of TABLE_COLUMNS."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(TABLE_COLUMNS)
        for row in table_rows(records):
            writer.writerow(["" if value is None else csv_safe(str(value)) for value in row])
    finally:
        text.detach()  # the caller's stream stays open


def write_xlsx(records: Iterable[DatasetRecord], stream: IO[bytes]) -> None:
    """One sheet, TABLE_SHEET: a bold header row, frozen, with filters."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(TABLE_SHEET)
    for index, name in enumerate(TABLE_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 50 if name in WIDE_COLUMNS else 16
    sheet.freeze_panes = "A2"
    header = []
    for name in TABLE_COLUMNS:
        cell = WriteOnlyCell(sheet)
        write_text(cell, name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    rows = 0
    for row in table_rows(records):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet)
            if isinstance(value, str):
                if value:  # an empty cell rather than an empty string
                    write_text(cell, value)  # "=…" stays text
            else:
                cell.value = value
            cells.append(cell)
        sheet.append(cells)
        rows += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(TABLE_COLUMNS))}{rows + 1}"
    workbook.save(stream)
