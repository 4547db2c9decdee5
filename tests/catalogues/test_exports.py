"""The inventory spreadsheets (readiness/catalogues/exports.py): the columns
of docs/catalogues.md, one row per distribution, text that looks like a
formula written as text, Vietnamese intact, and rows written as they come."""

import csv
import datetime
import io
from collections.abc import Iterator

from openpyxl import load_workbook

from readiness.catalogues.exports import write_csv, write_xlsx
from readiness.catalogues.readers import read_catalogue
from readiness.catalogues.records import Access, DatasetRecord, DistributionRecord

# The inventory columns, typed out from docs/catalogues.md: the dataset's, then the distribution's.
COLUMNS = [
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
    "distribution_title",
    "format",
    "media_type",
    "access_url",
    "download_url",
    "byte_size",
    "distribution_licence",
]
BUDGET = DatasetRecord(
    identifier="mof-budget",
    title="Ngân sách nhà nước: báo cáo quyết toán",
    description='=HYPERLINK("http://x")',
    publisher="Bộ Tài chính",
    landing_page="http://bit.ly/2XbzAAS",
    licence="None",
    themes=("Tài chính", "Economy"),
    keywords=("budget", "ngân sách"),
    temporal_start=datetime.date(2014, 1, 1),
    issued=datetime.date(2019, 4, 1),
    recommendation="quick_win_priority",
    recommendation_reason="+ in high demand",
    distributions=(
        DistributionRecord(format="HTML", access_url="http://www.mof.gov.vn/budget"),
        DistributionRecord(
            title="@SUM(A1)",
            format="xlsx",
            download_url="http://www.mof.gov.vn/budget.xlsx",
            byte_size=43008,
        ),
    ),
)
SOCIAL_SECURITY = DatasetRecord(
    identifier="vss-data",
    title="Vietnam Social Security data",
    access=Access.NOT_ONLINE,
    recommendation="longer_term",
)


def csv_rows(records: list[DatasetRecord]) -> list[list[str]]:
    stream = io.BytesIO()
    write_csv(records, stream)
    return list(csv.reader(io.StringIO(stream.getvalue().decode("utf-8"), newline="")))


def test_the_csv_has_the_inventory_columns_and_one_row_per_distribution() -> None:
    header, first, second, database = csv_rows([BUDGET, SOCIAL_SECURITY])
    assert header == COLUMNS
    row = dict(zip(COLUMNS, first, strict=True))
    assert row["identifier"] == "mof-budget"
    assert row["themes"] == "Tài chính; Economy"
    assert row["temporal_start"] == "2014-01-01"
    assert row["issued"] == "2019-04-01"
    assert row["access"] == "online"
    assert row["format"] == "HTML"
    assert row["access_url"] == "http://www.mof.gov.vn/budget"
    again = dict(zip(COLUMNS, second, strict=True))
    assert first[:20] == second[:20]  # the dataset's columns repeated
    assert again["format"] == "xlsx"
    assert again["byte_size"] == "43008"
    assert again["download_url"] == "http://www.mof.gov.vn/budget.xlsx"
    # A database not yet online: one row, its distribution columns empty.
    assert database[:2] == ["vss-data", "Vietnam Social Security data"]
    assert database[6] == "not_online"
    assert database[20:] == [""] * 7


def test_the_csv_keeps_vietnamese_and_writes_formula_starts_as_text() -> None:
    _, first, second, _ = csv_rows([BUDGET, SOCIAL_SECURITY])
    row = dict(zip(COLUMNS, first, strict=True))
    assert row["title"] == "Ngân sách nhà nước: báo cáo quyết toán"
    assert row["publisher"] == "Bộ Tài chính"
    assert row["description"] == '\'=HYPERLINK("http://x")'
    assert row["recommendation_reason"] == "'+ in high demand"
    assert dict(zip(COLUMNS, second, strict=True))["distribution_title"] == "'@SUM(A1)"


def test_the_csv_uses_crlf_and_utf_8_without_a_byte_order_mark() -> None:
    stream = io.BytesIO()
    write_csv([SOCIAL_SECURITY], stream)
    data = stream.getvalue()
    assert data.startswith(b"identifier,title,")
    assert data.count(b"\r\n") == 2


def test_the_csv_writer_writes_each_row_before_reading_the_next_record() -> None:
    stream = io.BytesIO()
    seen: list[int] = []

    def records() -> Iterator[DatasetRecord]:
        for number in range(3):
            seen.append(stream.getvalue().count(b"\r\n"))  # lines written so far
            yield DatasetRecord(f"d{number}", f"Dataset {number}")

    write_csv(records(), stream)
    assert seen == [1, 2, 3]  # the header, then one more row each time


def test_the_xlsx_has_the_columns_and_writes_formula_text_as_text() -> None:
    stream = io.BytesIO()
    write_xlsx([BUDGET, SOCIAL_SECURITY], stream)
    workbook = load_workbook(io.BytesIO(stream.getvalue()))
    assert workbook.sheetnames == ["Datasets"]
    sheet = workbook["Datasets"]
    assert [cell.value for cell in sheet[1]] == COLUMNS
    assert sheet.max_row == 4  # header, two distributions, one database
    description = sheet.cell(2, COLUMNS.index("description") + 1)
    assert description.value == '=HYPERLINK("http://x")'
    assert description.data_type == "s"  # text, not a formula
    title = sheet.cell(3, COLUMNS.index("distribution_title") + 1)
    assert (title.value, title.data_type) == ("@SUM(A1)", "s")
    assert sheet.cell(2, 2).value == "Ngân sách nhà nước: báo cáo quyết toán"
    assert sheet.cell(3, COLUMNS.index("byte_size") + 1).value == 43008
    assert sheet.cell(4, COLUMNS.index("access") + 1).value == "not_online"
    assert sheet.cell(4, COLUMNS.index("format") + 1).value is None
    kinds = {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert "f" not in kinds
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:AA4"


def test_an_empty_inventory_is_a_header_row() -> None:
    stream = io.BytesIO()
    write_xlsx([], stream)
    sheet = load_workbook(io.BytesIO(stream.getvalue()))["Datasets"]
    assert [cell.value for cell in sheet[1]] == COLUMNS
    assert sheet.max_row == 1


def read_back(data: bytes, filename: str) -> list[DatasetRecord]:
    read = read_catalogue(data, filename)
    return list(read.records)


def test_a_csv_export_reads_back_to_the_same_records() -> None:
    stream = io.BytesIO()
    write_csv([BUDGET, SOCIAL_SECURITY], stream)
    assert read_back(stream.getvalue(), "inventory.csv") == [BUDGET, SOCIAL_SECURITY]


def test_an_xlsx_export_reads_back_to_the_same_records() -> None:
    stream = io.BytesIO()
    write_xlsx([BUDGET, SOCIAL_SECURITY], stream)
    assert read_back(stream.getvalue(), "inventory.xlsx") == [BUDGET, SOCIAL_SECURITY]
