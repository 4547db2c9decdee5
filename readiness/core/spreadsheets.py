"""Spreadsheet rules, defined once for every export and import.

Writing: user text is always written as text, never as a formula (OWASP's
CSV-injection guidance), and characters XML cannot hold are dropped, so a
stored control character cannot break an export.

Reading: an uploaded workbook is hostile until proven otherwise. It is
size-checked as a file and as a zip before openpyxl opens it, parsed with
defusedxml (no DTD entities, so no XXE and no entity expansion), read row by
row up to a limit, and every failure at any stage becomes `InvalidInput`
naming the file, sheet and, where known, cell. Formula cells are refused:
their cached result may be stale or absent, and their text is not a value.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

import openpyxl.xml
from defusedxml import DefusedXmlException
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from readiness.core import readers
from readiness.core.errors import FieldError, InvalidInput
from readiness.core.text import xml_text

if not openpyxl.xml.DEFUSEDXML:
    # openpyxl decides at import time; OPENPYXL_DEFUSEDXML=False or a missing
    # package would silently parse uploads with entity expansion.
    raise ImproperlyConfigured("openpyxl must parse uploaded workbooks with defusedxml")

# An XLSX file as uploaded. The demo plan's 47 actions make a 15 KB
# workbook; 1,000 long, varied actions 200 KB.
MAX_WORKBOOK_BYTES = 5 * 1024 * 1024
# All parts of the zip together once unpacked: what openpyxl would parse.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# A workbook has a dozen parts; thousands mean something else.
MAX_PARTS = 500
# Worksheet XML compresses well (repeated tags): about 8:1 for a real
# plan, 18:1 for a sheet of identical rows. 200:1 is a zip bomb.
MAX_COMPRESSION_RATIO = 200
# What spreadsheet programs read as the start of a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_ERRORS = 20  # a sheet full of mistakes is reported by its first ones

CellValue = str | int | float | bool | datetime.datetime | datetime.date | datetime.time | None


def write_text(cell: Cell, text: str) -> None:
    """Put user text in an XLSX cell as a string, whatever it starts with.
    openpyxl would turn "=…" into a formula; the data type set after the
    value overrides that guess."""
    cell.value = xml_text(text)
    cell.data_type = "s"


def write_row(sheet: Worksheet, row: int, values: Iterable[Any]) -> None:
    """Write a row: strings through `write_text`, numbers and dates as they are."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column)
        if isinstance(value, str):
            write_text(cell, value)
        else:
            cell.value = value


def csv_safe(text: str) -> str:
    """A CSV field that a spreadsheet program shows as text: OWASP's advice
    is a leading apostrophe on anything that could start a formula. (Quoting
    separators and quotes is the csv module's job.)"""
    return "'" + text if text.startswith(FORMULA_START) else text


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet program shows it, from 1
    values: tuple[CellValue, ...]


def read_sheet(
    data: bytes, *, source: str, sheet: str | None, width: int, max_rows: int
) -> list[Row]:
    """The first `width` columns of every row of `sheet` (None: the first
    sheet), the header row included; at most `max_rows` rows below it. Values
    are str, int, float, bool, dates and times, or None for an empty cell."""
    check_package(data, source)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise unreadable("", error, source) from None
    try:
        if sheet is None:
            if not workbook.sheetnames:
                raise InvalidInput.single("", _("the workbook has no sheets"), source)
            sheet = workbook.sheetnames[0]
        if sheet not in workbook.sheetnames:
            raise InvalidInput.single("", _("no sheet named %s") % sheet, source)
        try:
            worksheet = workbook[sheet]
        except Exception as error:  # listed, but its part is missing or broken
            raise unreadable(sheet, error, source) from None
        return read_rows(worksheet, source=source, sheet=sheet, width=width, limit=max_rows)
    finally:
        workbook.close()


def check_package(data: bytes, source: str) -> None:
    """Refuse, before any XML is parsed, a file or zip too big to read."""
    if len(data) > MAX_WORKBOOK_BYTES:
        raise InvalidInput.single(
            "", _("the file is larger than %d MB") % (MAX_WORKBOOK_BYTES // 2**20), source
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InvalidInput.single("", _("not an XLSX workbook (not a zip file)"), source) from None
    with package:
        check_parts(package, source)


def check_parts(package: zipfile.ZipFile, source: str) -> None:
    parts = package.infolist()
    if len(parts) > MAX_PARTS:
        raise InvalidInput.single("", _("more than %d parts in the zip") % MAX_PARTS, source)
    # The sizes in the zip's directory bound what unpacking yields: zipfile
    # stops at the declared size, and a wrong CRC is an error.
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise InvalidInput.single(
            "", _("unpacks to more than %d MB") % (MAX_UNPACKED_BYTES // 2**20), source
        )
    for part in parts:
        if part.file_size > MAX_COMPRESSION_RATIO * max(part.compress_size, 1024):
            raise InvalidInput.single(
                "",
                _("%(part)s is compressed more than %(ratio)d:1 (a zip bomb?)")
                % {"part": part.filename, "ratio": MAX_COMPRESSION_RATIO},
                source,
            )
    for part in parts:
        if part.filename.endswith((".xml", ".rels")) and declares_entities(package, part, source):
            raise InvalidInput.single(
                part.filename,
                _("declares a DTD or XML entities, which a workbook has no need of"),
                source,
            )


def declares_entities(package: zipfile.ZipFile, part: zipfile.ZipInfo, source: str) -> bool:
    """Whether an XML part has a DOCTYPE: refused outright, with a clear
    message, before defusedxml (which openpyxl uses for worksheets) or lxml
    without entity resolution (for the rest) would meet it."""
    tail = b""
    try:
        with package.open(part) as stream:
            while chunk := stream.read(2**20):
                if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                    return True
                tail = chunk[-10:]
    except Exception as error:  # a bad CRC, an unknown compression method…
        raise unreadable(part.filename, error, source) from None
    return False


def read_rows(worksheet: Any, *, source: str, sheet: str, width: int, limit: int) -> list[Row]:
    """Row by row, stopping at the first row past the limit: a sheet of a
    million rows is refused after reading `limit + 2` of them."""
    worksheet.reset_dimensions()  # read the rows there are, not those the file claims
    rows: list[Row] = []
    errors: list[FieldError] = []
    number = 0
    try:
        for number, cells in enumerate(worksheet.iter_rows(max_col=width), start=1):
            if number > limit + 1:
                raise InvalidInput.single(
                    sheet, _("more than %d rows below the header") % limit, source
                )
            values = []
            for column, cell in enumerate(cells, start=1):
                value, problem = cell_value(cell)
                if problem and len(errors) < MAX_ERRORS:
                    place = f"{sheet}!{get_column_letter(column)}{number}"
                    errors.append(FieldError(place, problem))
                values.append(value)
            values += [None] * (width - len(values))
            rows.append(Row(number, tuple(values)))
    except InvalidInput:
        raise
    except Exception as error:  # a part that parsed at opening may still break here
        raise unreadable(
            _("%(sheet)s, after row %(row)d") % {"sheet": sheet, "row": number}, error, source
        ) from None
    if errors:
        raise InvalidInput(errors, source)
    return rows


def cell_value(cell: Any) -> tuple[CellValue, str]:
    """The cell's value, or why it cannot be taken as one."""
    kind = getattr(cell, "data_type", "n")  # an empty cell has none
    if kind == "f":
        return None, _("a formula: type its value instead (formulas are not read)")
    if kind == "e":
        return None, _("an error value (%s)") % cell.value
    value = cell.value
    if value is None or isinstance(value, str | int | float | datetime.date | datetime.time):
        return value, ""
    return None, _("not a value that can be read (%s)") % type(value).__name__


def unreadable(path: str, error: Exception, source: str) -> InvalidInput:
    cause: BaseException | None = error
    while cause is not None:  # openpyxl wraps what the XML parser raised
        if isinstance(cause, DefusedXmlException):
            message = _("declares a DTD or XML entities, which a workbook has no need of")
            return InvalidInput.single(path, message, source)
        cause = cause.__cause__ or cause.__context__
    message = _("not an XLSX workbook, or a damaged one (%s)") % type(error).__name__
    return InvalidInput.single(path, message, source)


def read_upload(stream: IO[bytes]) -> bytes:
    """An uploaded file's bytes, up to one past the limit: enough for
    `read_sheet` to refuse a larger file without holding all of it."""
    return stream.read(MAX_WORKBOOK_BYTES + 1)


# --- CSV ------------------------------------------------------------------------


def csv_place(line: int, column: str = "") -> str:
    if column:
        return _("line %(line)d, column %(column)s") % {"line": line, "column": column}
    return _("line %d") % line


def read_csv(
    data: bytes | str,
    source: str,
    *,
    max_bytes: int,
    max_rows: int,
    check_header: Callable[[list[str]], None],
    delimiter: str = ",",
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (names stripped, lower-case) and the rows of a CSV file by
    line, blank rows left out; bounded in size and rows, UTF-8 only.
    `check_header` raises InvalidInput for a header it does not accept."""
    text = readers.decode(data, source, max_bytes)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidInput.single(csv_place(1), _("the file is empty"), source)
        names = [h.strip().lower() for h in header]
        check_header(names)
        for values in reader:
            if len(rows) >= max_rows:
                raise InvalidInput.single(
                    csv_place(reader.line_num),
                    _("at most %d rows in one file") % max_rows,
                    source,
                )
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(names):
                raise InvalidInput.single(
                    csv_place(reader.line_num),
                    _("%(found)d values where the header has %(expected)d columns")
                    % {"found": len(values), "expected": len(names)},
                    source,
                )
            rows.append((reader.line_num, dict(zip(names, values, strict=True))))
    except csv.Error as error:
        raise InvalidInput.single(
            csv_place(reader.line_num), _("not readable as CSV: %s") % error, source
        ) from None
    return names, rows
