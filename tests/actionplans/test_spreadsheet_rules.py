"""The rules of the plan workbook, cell by cell, with values written by hand:
what a typed cell means, which cell an error names, how the sheet looks.
They are the fast tests of the mutation run of
readiness/actionplans/spreadsheet.py (docs/testing.md)."""

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation
from openpyxl import Workbook, load_workbook

from readiness.actionplans import spreadsheet
from readiness.actionplans.models import Action
from readiness.actionplans.spreadsheet import (
    action_from_row,
    amount_of,
    cell_text,
    locate,
    whole_number,
)
from readiness.assessments.models import Assessment
from readiness.core.errors import FieldError, Forbidden, InvalidInput

HEADS = [
    "key", "framework", "dimensions", "questions", "title", "description", "phase",
    "responsible", "supporting", "start_month", "duration_months", "months", "cost_min",
    "cost_max", "currency", "cost_text", "priority", "depends_on", "source", "note",
]  # fmt: skip


def row(**cells: Any) -> dict[str, Any]:
    return {name: cells.get(name) for name in HEADS}


def errors_of(**cells: Any) -> list[tuple[str, str]]:
    with translation.override("en"):
        _, errors = action_from_row(row(**{"start_month": 1, "duration_months": 1} | cells), 7)
    return [(e.path, e.message) for e in errors]


def test_a_cell_reads_as_its_text_and_a_whole_float_as_a_whole_number() -> None:
    assert cell_text(None) == ""
    assert cell_text(12.0) == "12"
    assert cell_text(2.5) == "2.5"
    assert cell_text(12) == "12"
    assert cell_text("  MIC ") == "MIC"


def test_months_are_whole_numbers_typed_or_written() -> None:
    assert whole_number(12) == 12
    assert whole_number(12.0) == 12
    assert whole_number("12") == 12
    assert whole_number(" 7 ") == 7
    for refused in (2.5, "2.5", "soon", "", "1234567", True, False, None):
        assert whole_number(refused) is None, refused


def test_a_cost_is_read_as_typed_with_thousands_separators_dropped() -> None:
    assert amount_of(1500) == Decimal(1500)
    assert amount_of(1500.0) == Decimal(1500)
    assert amount_of(0.1) == Decimal("0.1")  # not the binary float 0.1000000000000000055…
    assert amount_of("1,500,000") == Decimal(1500000)
    assert amount_of(" 2500.5 ") == Decimal("2500.5")
    assert amount_of("a lot") is None
    assert amount_of(True) is None


def test_a_row_becomes_the_action_of_the_plan_document() -> None:
    action, errors = action_from_row(
        row(
            key="a1", framework="dgra", dimensions="1, 2", questions="1.1,1.2 ,", title="Law",
            phase="Short-term", responsible="MIC", start_month=3.0, duration_months="6",
            months="3-8", cost_min=1000, cost_max="2,000", currency="USD", priority="",
            depends_on="a0",
        ),
        2,
    )  # fmt: skip
    assert errors == []
    assert action == {
        "key": "a1",
        "dimensions": ["1", "2"],
        "questions": ["1.1", "1.2"],
        "title": "Law",
        "description": "",
        "phase": "Short-term",
        "responsible": "MIC",
        "supporting": [],
        "start_month": 3,
        "duration_months": 6,
        "months": "3-8",
        "cost_text": "",
        "depends_on": ["a0"],
        "source": "",
        "note": "",
        "cost": {"currency": "USD", "min": Decimal(1000), "max": Decimal(2000)},
    }


def test_a_given_priority_is_kept() -> None:
    action, _ = action_from_row(row(start_month=1, duration_months=1, priority="high"), 2)
    assert action["priority"] == "high"


def test_a_month_that_is_not_whole_is_refused_naming_the_cell() -> None:
    assert errors_of(start_month=2.5) == [("Actions!J7 (start_month)", "a whole number of months")]
    assert errors_of(duration_months="soon") == [
        ("Actions!K7 (duration_months)", "a whole number of months")
    ]


def test_a_partial_cost_names_each_missing_cell() -> None:
    assert errors_of(cost_min=100, currency="USD") == [
        ("Actions!N7 (cost_max)", "give cost_min, cost_max and currency together")
    ]
    assert errors_of(cost_max=100) == [
        ("Actions!M7 (cost_min)", "give cost_min, cost_max and currency together"),
        ("Actions!O7 (currency)", "give cost_min, cost_max and currency together"),
    ]


def test_a_cost_that_is_not_a_number_is_refused_naming_the_cell() -> None:
    assert errors_of(cost_min="cheap", cost_max=5, currency="USD") == [
        ("Actions!M7 (cost_min)", "a number")
    ]


def test_an_error_of_the_plan_names_the_sheet_row_and_column() -> None:
    where = {("dgra", 0): 5, ("dgra", 1): 9}

    def path(plan_path: str, framework: str = "dgra") -> str:
        return locate(FieldError(plan_path, "m"), framework, where).path

    assert path("actions[0].cost.currency") == "Actions!O5 (currency)"
    assert path("actions[1].cost.min") == "Actions!M9 (cost_min)"
    assert path("actions[1].responsible") == "Actions!H9 (responsible)"
    assert path("actions[0].title.en") == "Actions!E5 (title)"
    assert path("actions[0].dimensions[1]") == "Actions!C5 (dimensions)"
    # A path that is no column points at the row's key.
    assert path("actions[0].framework_version") == "Actions!A5 (key)"
    # Not a row of the workbook: left as it is.
    assert path("actions[0].title", framework="odra") == "actions[0].title"
    assert path("framework") == "framework"
    assert locate(FieldError("actions[0].phase", "the message"), "dgra", where).message == (
        "the message"
    )


def sheet_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_workbook_without_the_column_names_is_refused_at_a1(demo: Assessment) -> None:
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        spreadsheet.import_plan_workbook(None, demo, sheet_bytes([["key", "title"]]), "mine.xlsx")
    assert refused.value.source == "mine.xlsx"
    assert [(e.path, e.message) for e in refused.value.errors] == [
        ("Actions!A1", "the first row must be the column names: " + ", ".join(HEADS))
    ]


@pytest.mark.django_db
def test_an_unreadable_workbook_is_refused_under_its_name(demo: Assessment) -> None:
    with pytest.raises(InvalidInput) as refused:
        spreadsheet.import_plan_workbook(None, demo, b"plain text", "notes.txt")
    assert refused.value.source == "notes.txt"


@pytest.mark.django_db
def test_the_exported_sheet_has_bold_heads_frozen_panes_and_wide_text_columns(
    demo: Assessment,
) -> None:
    sheet = load_workbook(io.BytesIO(spreadsheet.export_plan(demo)))["Actions"]
    assert [cell.value for cell in sheet[1]] == HEADS
    assert all(cell.font.bold for cell in sheet[1])
    assert not any(cell.font.bold for cell in sheet[2])
    assert sheet.freeze_panes == "B2"
    widths = {sheet.cell(1, n).value: sheet.column_dimensions[letter].width for n, letter in
              enumerate("ABCDEFGHIJKLMNOPQRST", start=1)}  # fmt: skip
    assert {name for name, width in widths.items() if width == 40} == {
        "title",
        "description",
        "note",
    }
    assert {
        width for name, width in widths.items() if name not in {"title", "description", "note"}
    } == {14}


def edited_export(demo: Assessment, edit: Callable[[Any], None]) -> bytes:
    workbook = load_workbook(io.BytesIO(spreadsheet.export_plan(demo)))
    edit(workbook["Actions"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_every_bad_row_is_reported_not_only_the_last(demo: Assessment) -> None:
    def two_bad_months(sheet: Any) -> None:
        sheet["J2"] = "soon"
        sheet["K3"] = 0.5

    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        spreadsheet.import_plan_workbook(None, demo, edited_export(demo, two_bad_months), "e.xlsx")
    assert refused.value.source == "e.xlsx"
    assert [(e.path, e.message) for e in refused.value.errors] == [
        ("Actions!J2 (start_month)", "a whole number of months"),
        ("Actions!K3 (duration_months)", "a whole number of months"),
    ]


@pytest.mark.django_db
def test_a_refusal_of_the_plan_names_the_cell_and_the_file(demo: Assessment) -> None:
    def unknown_agency(sheet: Any) -> None:
        sheet.delete_rows(3, sheet.max_row)
        sheet["A2"], sheet["R2"] = "new-one", None
        sheet["H2"] = "NOPE"

    before = Action.objects.count()
    with pytest.raises(InvalidInput) as refused:
        spreadsheet.import_plan_workbook(None, demo, edited_export(demo, unknown_agency), "e.xlsx")
    assert refused.value.source == "e.xlsx"
    assert [e.path for e in refused.value.errors] == ["Actions!H2 (responsible)"]
    assert Action.objects.count() == before


@pytest.mark.django_db
def test_rows_after_a_blank_row_are_imported_too(demo: Assessment) -> None:
    def two_copies_around_a_blank_row(sheet: Any) -> None:
        sheet.delete_rows(4, sheet.max_row)
        sheet["A2"], sheet["A3"] = "copy-1", "copy-2"
        sheet["R2"] = sheet["R3"] = None  # no prerequisites
        sheet.insert_rows(3)

    data = edited_export(demo, two_copies_around_a_blank_row)
    created = spreadsheet.import_plan_workbook(None, demo, data, "e.xlsx")
    assert sorted(action.key for action in created) == ["copy-1", "copy-2"]


@pytest.mark.django_db
def test_a_counterpart_may_not_import_a_plan_workbook(demo: Assessment, counterpart: User) -> None:
    def new_key(sheet: Any) -> None:
        sheet.delete_rows(3, sheet.max_row)
        sheet["A2"], sheet["R2"] = "by-counterpart", None

    with pytest.raises(Forbidden):
        spreadsheet.import_plan_workbook(counterpart, demo, edited_export(demo, new_key), "e.xlsx")
    assert not Action.objects.filter(key="by-counterpart").exists()


@pytest.mark.django_db
def test_the_export_reads_the_whole_plan_in_a_few_queries(
    demo: Assessment, django_assert_max_num_queries: Any
) -> None:
    assert demo.actions.count() > 20  # so one query per action would show
    with django_assert_max_num_queries(8):
        spreadsheet.export_plan(demo)
