import io

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from readiness.actionplans import spreadsheet
from readiness.actionplans.models import Action
from readiness.assessments.models import Assessment
from readiness.core.errors import InvalidInput
from readiness.frameworks.models import Framework
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
PLAN = "/assessments/vietnam-2019/plan/"


def test_the_plan_page_groups_actions_by_dimension_and_phase(assessor: User) -> None:
    html = client_for(assessor).get(PLAN).content.decode()
    assert "Leadership and Governance" in html and "Short term" in html
    assert 'id="action-dgra-lg-1"' in html and "on the critical path" in html


def test_an_agency_sees_its_own_actions(counterpart: User) -> None:
    html = client_for(counterpart).get(PLAN + "?agency=MoPS").content.decode()
    assert 'id="action-dgra-cy-2"' in html and 'id="action-dgra-lg-1"' not in html


def test_the_grid_has_a_bar_per_action_month(assessor: User, demo: Assessment) -> None:
    html = client_for(assessor).get(PLAN + "grid/").content.decode()
    action = Action.objects.get(assessment=demo, key="dgra-lg-1")
    row = html.split('id="grid-dgra-lg-1"')[1].split("</tr>")[0]
    assert row.count('class="month bar"') == action.duration_months
    assert "Y1" in html and "Y2" in html and "Apr 2019" in html


def test_an_action_added_from_the_web_with_a_prerequisite(assessor: User, demo: Assessment) -> None:
    dimension = Framework.objects.get(key="dgra").dimensions.get(key="2")
    data = {
        "key": "web-portal",
        "title": "Pilot the e-consultation portal",
        "dimension": dimension.pk,
        "phase": "medium",
        "responsible": "MIC",
        "start_month": "13",
        "duration_months": "6",
        "depends_on": ["dgra-uf-1"],
    }
    assert client_for(assessor).post(PLAN + "actions/", data).status_code == 302
    added = Action.objects.get(assessment=demo, key="web-portal")
    assert [a.key for a in added.depends_on.all()] == ["dgra-uf-1"]
    data.update(key="too-early", start_month="5")
    client_for(assessor).post(PLAN + "actions/", data)
    assert not Action.objects.filter(key="too-early").exists()


def test_xlsx_export_import_export_is_identical(demo: Assessment) -> None:
    first = spreadsheet.export_plan(demo)
    rows = list(load_workbook(io.BytesIO(first)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + demo.actions.count()
    demo.actions.all().delete()
    spreadsheet.import_plan_workbook(None, demo, first, "plan.xlsx")
    second = spreadsheet.export_plan(demo)
    again = list(load_workbook(io.BytesIO(second)).active.iter_rows(values_only=True))
    assert again == rows


def test_a_bad_row_is_reported_with_sheet_row_and_column(demo: Assessment) -> None:
    workbook = load_workbook(io.BytesIO(spreadsheet.export_plan(demo)))
    sheet = workbook.active
    sheet["A2"] = "new-one"  # a new key, so the row is imported
    sheet["H2"] = "NOPE"  # responsible
    sheet["J3"] = "soon"  # start month
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = Action.objects.count()
    with pytest.raises(InvalidInput) as raised:
        spreadsheet.import_plan_workbook(None, demo, buffer.getvalue(), "edited.xlsx")
    assert "Actions!J3 (start_month)" in str(raised.value)
    assert Action.objects.count() == before
    sheet["J3"] = 1
    sheet["J2"] = 1
    workbook.save(buffer := io.BytesIO())
    with pytest.raises(InvalidInput) as raised:
        spreadsheet.import_plan_workbook(None, demo, buffer.getvalue(), "edited.xlsx")
    assert "Actions!H2 (responsible)" in str(raised.value) and "NOPE" in str(raised.value)


def test_a_file_that_is_not_a_workbook_is_refused(demo: Assessment) -> None:
    with pytest.raises(InvalidInput, match="not an XLSX workbook"):
        spreadsheet.import_plan_workbook(None, demo, b"plain text", "notes.txt")


def test_progress_reported_on_the_web_shows_in_summaries_and_timeline(
    counterpart: User, demo: Assessment
) -> None:
    client = client_for(counterpart)
    response = client.post(
        PLAN + "dgra-cy-2/progress/",
        {
            "date": "2019-10-01",
            "percent": "50",
            "status": "in_progress",
            "note": "Campaign planned",
        },
    )
    assert response.status_code == 302
    html = client.get(PLAN).content.decode()
    assert "Campaign planned" in html and "50%" in html
    timeline = html.split('class="timeline"')[1]
    assert "dgra-cy-2" in timeline


def test_the_cli_records_progress(demo: Assessment, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    call_command(
        "plan",
        "progress",
        "vietnam-2019",
        "dgra-lg-1",
        "--percent",
        "100",
        "--status",
        "done",
        "--note",
        "Authority created",
        "--date",
        "2020-01-15",
    )
    assert "recorded 100% on dgra-lg-1" in capsys.readouterr().out
    assert Action.objects.get(assessment=demo, key="dgra-lg-1").status == "done"


def test_the_cli_exports_and_imports_the_workbook(demo: Assessment, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    path = tmp_path / "plan.xlsx"
    call_command("plan", "export-xlsx", "vietnam-2019", "-o", str(path))
    exported = path.read_bytes()
    count = demo.actions.count()
    demo.actions.all().delete()
    call_command("plan", "import-xlsx", "vietnam-2019", str(path))
    assert f"imported {count} actions" in capsys.readouterr().out

    def rows(data: bytes) -> list[tuple[object, ...]]:
        return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))

    assert rows(spreadsheet.export_plan(demo)) == rows(exported)


def test_the_api_serves_and_accepts_the_workbook(assessor: User, demo: Assessment) -> None:
    client = client_for(assessor)
    response = client.get("/api/v1/assessments/vietnam-2019/plan.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheet.CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    workbook.active.delete_rows(3, workbook.active.max_row)
    workbook.active["A2"] = "api-copy"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = "plan.xlsx"
    buffer.seek(0)
    created = client.post("/api/v1/assessments/vietnam-2019/plan.xlsx", {"workbook": buffer})
    assert created.status_code == 201, created.content
    assert created.json() == ["api-copy"]
    again = client.post(
        "/api/v1/assessments/vietnam-2019/plan.xlsx", {"workbook": io.BytesIO(b"x")}
    )
    assert again.status_code == 422 and "not an XLSX workbook" in again.content.decode()


# What an attacker types into an action, and what the reader of the export
# must see: the same text, as text. BEL cannot be in XML: it is dropped.
HOSTILE = {
    '=HYPERLINK("http://x")': '=HYPERLINK("http://x")',
    "+1": "+1",
    "-1+1": "-1+1",
    "@SUM(A1)": "@SUM(A1)",
    "\t=1": "\t=1",
    "\r=1": "\r=1",
    "bell\x07rings": "bellrings",
}
TEXT_COLUMNS = {"E": "title", "F": "description", "L": "months", "P": "cost_text", "T": "note"}


def store_hostile_texts(demo: Assessment) -> list[str]:
    """Put each hostile text in every text field of one action, as stored
    before any rule on text existed; the keys of those actions."""
    actions = list(demo.actions.order_by("id")[: len(HOSTILE)])
    for action, text in zip(actions, HOSTILE, strict=True):
        action.title = action.description = action.note = text
        action.months_text = action.cost_text = text
        action.save()
    return [a.key for a in actions]


def assert_hostile_texts_are_text(data: bytes, keys: list[str]) -> None:
    sheet = load_workbook(io.BytesIO(data))["Actions"]
    rows = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    for key, expected in zip(keys, HOSTILE.values(), strict=True):
        for letter in TEXT_COLUMNS:
            cell = sheet[f"{letter}{rows[key]}"]
            assert (cell.value, cell.data_type) == (expected, "s"), cell.coordinate
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_the_plan_export_writes_hostile_text_as_text_through_every_door(
    assessor: User,
    demo: Assessment,
    tmp_path,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    from django.core.management import call_command

    keys = store_hostile_texts(demo)
    client = client_for(assessor)
    for url in ("/api/v1/assessments/vietnam-2019/plan.xlsx", PLAN + "export.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_hostile_texts_are_text(response.content, keys)
    path = tmp_path / "plan.xlsx"
    call_command("plan", "export-xlsx", "vietnam-2019", "-o", str(path))
    assert_hostile_texts_are_text(path.read_bytes(), keys)


def test_libreoffice_shows_hostile_text_of_the_plan_export_verbatim(
    demo: Assessment, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """A spreadsheet program, not openpyxl, as the judge: converted to CSV,
    a formula would come out computed (the link text, 1, 0, …)."""
    import csv
    import subprocess

    keys = store_hostile_texts(demo)
    (tmp_path / "plan.xlsx").write_bytes(spreadsheet.export_plan(demo))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "plan.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with open(tmp_path / "plan.csv", encoding="utf-8", newline="") as file:
        rows = {row[0]: row for row in csv.reader(file)}
    for key, expected in zip(keys, HOSTILE.values(), strict=True):
        assert rows[key][4] == expected  # title
        assert rows[key][19] == expected  # note
