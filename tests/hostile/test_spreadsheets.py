"""Hostile workbooks: every one is refused with an error naming the file,
sheet or part and, where known, the cell; nothing is stored; the API and the
web answer 422, the CLI one error. And hostile text never leaves an export
as a formula."""

import csv
import datetime
import io
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from readiness.actionplans import services, spreadsheet
from readiness.actionplans.models import Action
from readiness.assessments.models import Assessment
from readiness.catalogues import exports
from readiness.catalogues.records import DatasetRecord, DistributionRecord
from readiness.core.errors import InvalidInput
from readiness.core.spreadsheets import csv_safe
from readiness.reports.document import Document, Sheet
from readiness.reports.formats import xlsx
from tests.hostile.conftest import assert_refused, row_counts, run_readiness

pytestmark = pytest.mark.django_db
API = "/api/v1/assessments/vietnam-2019/plan.xlsx"
WEB = "/assessments/vietnam-2019/plan/import/"
SHEET_PART = "xl/worksheets/sheet1.xml"
# The columns of the plan workbook, as documented in docs/action-plan-format.md.
COLUMNS = (
    "key framework dimensions questions title description phase responsible supporting "
    "start_month duration_months months cost_min cost_max currency cost_text priority "
    "depends_on source note"
).split()
VALID = {
    "key": "hostile-1",
    "framework": "dgra",
    "dimensions": "1",
    "title": "Publish the register",
    "phase": "short",
    "responsible": "MIC",
    "start_month": 1,
    "duration_months": 3,
}
# What an attacker types into a text field, and what the reader of the
# export must see: the same text, as text. BEL cannot be in XML: dropped.
HOSTILE = {
    '=HYPERLINK("http://x")': '=HYPERLINK("http://x")',
    "+1": "+1",
    "-1+1": "-1+1",
    "@SUM(A1)": "@SUM(A1)",
    "\t=1": "\t=1",
    "\r=1": "\r=1",
    "bell\x07rings": "bellrings",
}


# --- building workbooks by hand ---------------------------------------------


def workbook_bytes(rows: list[dict[str, Any]], sheet: str = "Actions") -> bytes:
    """A plan workbook: the header, then one row per dict (column → value).
    Strings are written as strings, even "=…", unless `formula` is asked."""
    book = Workbook()
    page = book.active
    page.title = sheet
    page.append(COLUMNS)
    for number, row in enumerate(rows, start=2):
        for column, name in enumerate(COLUMNS, start=1):
            value = row.get(name)
            cell = page.cell(number, column)
            cell.value = value
            if isinstance(value, str) and not row.get("formula"):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_part(data: bytes, name: str, content: bytes | str) -> bytes:
    """The same zip with one part's content replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(
                info.filename, content if info.filename == name else source.read(info.filename)
            )
    return out.getvalue()


def sheet_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(SHEET_PART).decode()


def with_doctype(declarations: str, cell_text: str, encoding: str = "utf-8") -> bytes:
    """A valid plan workbook whose worksheet declares entities and uses one
    in the title cell."""
    base = workbook_bytes([VALID])
    body = sheet_xml(base).replace("<t>Publish the register</t>", f"<t>{cell_text}</t>")
    assert cell_text in body
    head = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
    return with_part(
        base, SHEET_PART, (f"{head}<!DOCTYPE worksheet [{declarations}]>" + body).encode(encoding)
    )


def external_entity() -> bytes:
    return with_doctype('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;")


LAUGHS = (
    '<!ENTITY a "ha-ha-ha-ha-ha-ha-ha-ha-ha-ha">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
)


def entity_expansion() -> bytes:
    return with_doctype(LAUGHS, "&c;")


def entity_expansion_in_utf16() -> bytes:
    """The same, where a byte search for "<!DOCTYPE" finds nothing: what
    stops this one is defusedxml inside openpyxl."""
    return with_doctype(LAUGHS, "&c;", encoding="utf-16")


def control_character() -> bytes:
    base = workbook_bytes([VALID])
    body = sheet_xml(base).replace("<t>Publish the register</t>", "<t>a&#7;b</t>")
    return with_part(base, SHEET_PART, body)


def zip_bomb() -> bytes:
    """A worksheet padded with 40 MB of blanks: legal XML, 1000:1 compressed."""
    base = workbook_bytes([VALID])
    body = sheet_xml(base).replace("</sheetData>", "</sheetData>" + " " * 40_000_000)
    return with_part(base, SHEET_PART, body)


def zip_without_a_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("notes.txt", "hello")
    return out.getvalue()


@cache
def twenty_thousand_rows() -> bytes:
    """Row 2 copied 20,000 times into the worksheet's XML (openpyxl would
    take long to write them)."""
    base = workbook_bytes([VALID])
    body = sheet_xml(base)
    second = body[body.index('<row r="2"') : body.index("</sheetData>")]
    rows = "".join(re.sub(r'r="([A-Z]*)2"', rf'r="\g<1>{n}"', second) for n in range(2, 20_002))
    assert rows.count("<row ") == 20_000
    return with_part(base, SHEET_PART, body.replace(second, rows))


def error_cell() -> bytes:
    base = workbook_bytes([VALID])
    body = sheet_xml(base).replace(
        '<c r="E2" t="inlineStr"><is><t>Publish the register</t></is></c>',
        '<c r="E2" t="e"><v>#N/A</v></c>',
    )
    assert "#N/A" in body
    return with_part(base, SHEET_PART, body)


def number_of_words() -> bytes:
    base = workbook_bytes([VALID])
    body = sheet_xml(base).replace('<c r="J2" t="n"><v>1</v></c>', '<c r="J2" t="n"><v>one</v></c>')
    assert "<v>one</v>" in body
    return with_part(base, SHEET_PART, body)


# (name, workbook, what the error must say)
CASES: list[tuple[str, Callable[[], bytes], str]] = [
    ("not a zip", lambda: b"plain text, not a workbook", "not an XLSX workbook"),
    ("a zip that is not a workbook", zip_without_a_workbook, "not an XLSX workbook"),
    ("no Actions sheet", lambda: workbook_bytes([VALID], sheet="Plan"), "no sheet named Actions"),
    (
        "an external entity (XXE)",
        external_entity,
        "xl/worksheets/sheet1.xml: declares a DTD or XML entities",
    ),
    (
        "entity expansion",
        entity_expansion,
        "xl/worksheets/sheet1.xml: declares a DTD or XML entities",
    ),
    ("entity expansion in UTF-16", entity_expansion_in_utf16, "declares a DTD or XML entities"),
    ("a zip bomb", zip_bomb, "xl/worksheets/sheet1.xml is compressed more than 200:1"),
    ("20,000 rows", twenty_thousand_rows, "Actions: more than 500 rows below the header"),
    (
        "a formula",
        lambda: workbook_bytes([{**VALID, "title": "=1+1", "formula": True}]),
        "Actions!E2: a formula",
    ),
    (
        "2.5 months",
        lambda: workbook_bytes([{**VALID, "duration_months": 2.5}]),
        "Actions!K2 (duration_months): a whole number of months",
    ),
    (
        "a currency in lower case",
        lambda: workbook_bytes([{**VALID, "cost_min": 1, "cost_max": 2, "currency": "usd"}]),
        "Actions!O2 (currency)",
    ),
    (
        "no currency",
        lambda: workbook_bytes([{**VALID, "cost_min": 1, "cost_max": 2}]),
        "Actions!O2 (currency)",
    ),
    (
        "a maximum cost in words",
        lambda: workbook_bytes([{**VALID, "cost_min": 1, "cost_max": "lots", "currency": "USD"}]),
        "Actions!N2 (cost_max): a number",
    ),
    (
        "a cost with cents",
        lambda: workbook_bytes([{**VALID, "cost_min": 1.5, "cost_max": 2, "currency": "USD"}]),
        "Actions!M2 (cost_min)",
    ),
    ("a control character", control_character, "Actions, after row 1: not an XLSX workbook"),
    (
        "TRUE for a month",
        lambda: workbook_bytes([{**VALID, "start_month": True}]),
        "Actions!J2 (start_month): a whole number of months",
    ),
    ("an error value", error_cell, "Actions!E2: an error value (#N/A)"),
    ("a number cell holding words", number_of_words, "Actions, after row 1: not an XLSX"),
]
IDS = [case[0] for case in CASES]


def upload(data: bytes, name: str = "plan.xlsx") -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


# --- the importer -----------------------------------------------------------


@pytest.mark.parametrize(("name", "make", "message"), CASES, ids=IDS)
def test_a_hostile_workbook_is_refused_naming_the_place(
    demo: Assessment, name: str, make: Callable[[], bytes], message: str
) -> None:
    data = make()
    before = row_counts()
    with pytest.raises(InvalidInput) as raised:
        spreadsheet.import_plan_workbook(None, demo, data, "hostile.xlsx")
    text = str(raised.value)
    assert text.startswith("hostile.xlsx: ") and message in text
    assert "ha-ha" not in text and "root:" not in text  # no entity was expanded
    assert row_counts() == before


@pytest.mark.parametrize(("name", "make", "message"), CASES, ids=IDS)
def test_the_api_answers_422_to_a_hostile_workbook(
    assessor_client: Client, name: str, make: Callable[[], bytes], message: str
) -> None:
    before = row_counts()
    response = assessor_client.post(API, {"workbook": upload(make())})
    assert response.status_code == 422, response.content
    assert message in response.json()["message"]
    assert row_counts() == before


@pytest.mark.parametrize(("name", "make", "message"), CASES, ids=IDS)
def test_the_web_answers_422_to_a_hostile_workbook(
    assessor_client: Client, name: str, make: Callable[[], bytes], message: str
) -> None:
    before = row_counts()
    response = assessor_client.post(WEB, {"workbook": upload(make())})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="messages"' in html and message.replace("'", "&#x27;") in html
    assert row_counts() == before


@pytest.mark.parametrize(("name", "make", "message"), CASES, ids=IDS)
def test_the_cli_refuses_a_hostile_workbook_with_one_error(
    demo: Assessment, tmp_path: Path, name: str, make: Callable[[], bytes], message: str
) -> None:
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(make())
    before = row_counts()
    with pytest.raises(CommandError) as raised:
        call_command("plan", "import-xlsx", "vietnam-2019", str(path))
    first, error, *more = str(raised.value).splitlines()
    assert first == "nothing was changed:" and more == []
    assert error.startswith(f"{path}: ") and message in error
    assert row_counts() == before


def test_twenty_thousand_rows_are_refused_after_reading_the_first_rows(
    demo: Assessment, assessor_client: Client
) -> None:
    """Reading all 20,000 rows takes tens of seconds on a shared CI machine;
    stopping past the limit takes under one (a few under heavy load)."""
    data = twenty_thousand_rows()
    started = time.perf_counter()
    with pytest.raises(InvalidInput, match="more than 500 rows"):
        spreadsheet.import_plan_workbook(None, demo, data, "big.xlsx")
    assert time.perf_counter() - started < 4.0
    assessor_client.get(API)  # the first request of a process loads all the URLs
    started = time.perf_counter()
    assert assessor_client.post(API, {"workbook": upload(data)}).status_code == 422
    assert time.perf_counter() - started < 4.0


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(demo: Assessment) -> None:
    with pytest.raises(InvalidInput, match="larger than 5 MB"):
        spreadsheet.import_plan_workbook(None, demo, b"PK" + b"\0" * 5 * 2**20, "huge.xlsx")


def test_a_plan_document_of_more_than_500_actions_is_refused(demo: Assessment) -> None:
    action = {k: v for k, v in VALID.items() if k != "framework"}
    actions = [{**action, "key": f"yaml-{n}", "dimensions": ["1"]} for n in range(501)]
    before = row_counts()
    with pytest.raises(InvalidInput) as raised:
        services.import_plan(
            None,
            {
                "format": "readiness-action-plan/1",
                "assessment": "vietnam-2019",
                "framework": "dgra",
                "actions": actions,
            },
        )
    assert raised.value.errors[0].path == "actions"
    assert "500" in raised.value.errors[0].message
    assert row_counts() == before


def test_a_plan_cannot_grow_past_500_actions_one_import_at_a_time(demo: Assessment) -> None:
    model = demo.actions.first()
    assert model is not None
    fill = 499 - demo.actions.count()
    Action.objects.bulk_create(
        Action(
            assessment=demo,
            key=f"fill-{n}",
            title="Filler",
            phase="short",
            responsible=model.responsible,
            start_month=1,
            duration_months=1,
        )
        for n in range(fill)
    )
    spreadsheet.import_plan_workbook(None, demo, workbook_bytes([VALID]), "the-500th.xlsx")
    assert demo.actions.count() == 500
    two_more = [{**VALID, "key": "one-more"}, {**VALID, "key": "two-more"}]
    with pytest.raises(InvalidInput, match="at most 500 actions; this one has 500 already"):
        spreadsheet.import_plan_workbook(None, demo, workbook_bytes(two_more), "more.xlsx")
    assert demo.actions.count() == 500


def test_the_reader_needs_defusedxml() -> None:
    """Turned off in openpyxl, the reader refuses to load at all rather than
    parse uploads with entity expansion."""
    result = subprocess.run(
        [sys.executable, "-c", "import readiness.core.spreadsheets"],
        env={"OPENPYXL_DEFUSEDXML": "False", "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode != 0
    assert "openpyxl must parse uploaded workbooks with defusedxml" in result.stderr


# Text anyone may type, as the XLSX can hold it (no control characters).
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
MONTHS = st.one_of(
    st.integers(min_value=-3, max_value=300),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=TEXT, description=TEXT, note=TEXT, start=MONTHS, duration=MONTHS)
def test_random_cells_are_refused_or_stored_as_they_are(
    demo: Assessment, title: str, description: str, note: str, start: Any, duration: Any
) -> None:
    row = {
        **VALID,
        "title": title,
        "description": description,
        "note": note,
        "start_month": start,
        "duration_months": duration,
    }
    data = workbook_bytes([row])
    before = row_counts()
    try:
        spreadsheet.import_plan_workbook(None, demo, data, "random.xlsx")
    except InvalidInput as error:
        assert str(error).startswith("random.xlsx: ")
        assert row_counts() == before
        return
    stored = Action.objects.get(assessment=demo, key="hostile-1")
    try:
        assert (stored.title, stored.description, stored.note) == (
            title.strip(),
            description.strip(),
            note.strip(),
        )
        assert stored.start_month == float(str(start).strip())
        assert stored.duration_months == float(str(duration).strip())
    finally:
        stored.delete()


# --- exports ----------------------------------------------------------------


def test_csv_safe_makes_formula_starts_text() -> None:
    assert [csv_safe(text) for text in HOSTILE] == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-1+1",
        "'@SUM(A1)",
        "'\t=1",
        "'\r=1",
        "bell\x07rings",
    ]
    assert csv_safe("Publish the register") == "Publish the register"
    assert csv_safe("") == ""
    assert csv_safe("3 = three") == "3 = three"


def test_the_report_annex_writes_hostile_text_as_text() -> None:
    document = Document(
        language="en",
        date=datetime.date(2019, 4, 1),
        title="=TITLE()",
        subtitle="",
        cover_lines=[],
        footer="",
        sheets=[Sheet("Evidence", ["Evidence", "Count"], [[text, 1] for text in HOSTILE])],
    )
    data = xlsx.render(document)
    assert xlsx.render(document) == data  # still the same bytes every time
    # ...because every part is dated with the document, not the clock.
    dates = {info.date_time for info in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert dates == {(2019, 4, 1, 0, 0, 0)}
    sheet = load_workbook(io.BytesIO(data))["Evidence"]
    cells = [sheet.cell(row, 1) for row in range(2, 2 + len(HOSTILE))]
    assert [c.value for c in cells] == list(HOSTILE.values())
    assert {c.data_type for c in cells} == {"s"}
    assert [sheet.cell(row, 2).value for row in range(2, 2 + len(HOSTILE))] == [1] * len(HOSTILE)


def test_the_inventory_exports_write_hostile_text_as_text() -> None:
    records = [
        DatasetRecord(
            identifier=f"d{number}",
            title=text,
            distributions=(DistributionRecord(title=text, format=text),),
        )
        for number, text in enumerate(HOSTILE)
    ]
    book = io.BytesIO()
    exports.write_xlsx(records, book)
    sheet = load_workbook(io.BytesIO(book.getvalue()))["Datasets"]
    cells = [
        sheet.cell(row, column) for row in range(2, 2 + len(HOSTILE)) for column in (2, 21, 22)
    ]
    assert [c.value for c in cells] == [t for t in HOSTILE.values() for _ in range(3)]
    assert {c.data_type for c in cells} == {"s"}
    table = io.BytesIO()
    exports.write_csv(records, table)
    rows = list(csv.reader(io.StringIO(table.getvalue().decode(), newline="")))[1:]
    assert [row[1] for row in rows] == [csv_safe(text) for text in HOSTILE]
    assert [row[21] for row in rows] == [csv_safe(text) for text in HOSTILE]


def test_the_report_annex_of_hostile_evidence_comes_from_the_cli(
    demo: Assessment, tmp_path: Path
) -> None:
    items = list(demo.evidence.order_by("id")[: len(HOSTILE)])
    for item, text in zip(items, HOSTILE, strict=True):
        item.text = text  # as stored before any rule on text existed
        item.save(update_fields=["text"])
    output = tmp_path / "annex.xlsx"
    call_command("report", demo.slug, "--format", "xlsx", "--lang", "en", "-o", str(output))
    sheet = load_workbook(output)["Evidence"]
    column = [c.value for c in sheet[1]].index("Evidence") + 1
    texts = {sheet.cell(row, column).value for row in range(2, sheet.max_row + 1)}
    assert set(HOSTILE.values()) <= texts
    kinds = {c.data_type for page in load_workbook(output) for r in page.iter_rows() for c in r}
    assert "f" not in kinds


@pytest.fixture(scope="module")
def demo_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the demo assessment, for `readiness` in its own process."""
    var_dir = tmp_path_factory.mktemp("spreadsheets-var")
    for command in (["migrate", "--noinput", "-v", "0"], ["demo"]):
        result = run_readiness(var_dir, *command, timeout=300)
        assert result.returncode == 0, result.stderr
    return var_dir


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (external_entity, "xl/worksheets/sheet1.xml: declares a DTD or XML entities"),
        (twenty_thousand_rows, "Actions: more than 500 rows below the header"),
        (
            lambda: workbook_bytes([{**VALID, "duration_months": 2.5}]),
            "Actions!K2 (duration_months): a whole number of months",
        ),
    ],
    ids=["xxe", "20,000 rows", "2.5 months"],
)
def test_the_readiness_command_prints_the_error_without_a_traceback(
    demo_var: Path, tmp_path: Path, make: Callable[[], bytes], message: str
) -> None:
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(make())
    result = run_readiness(demo_var, "plan", "import-xlsx", "vietnam-2019", str(path))
    assert_refused(result, f"{path}: {message}")
