"""`readiness datasets`: import, summary, export and list from the command
line; errors are one line and change nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from readiness.assessments.models import Assessment
from readiness.catalogues import services
from readiness.catalogues.models import Catalogue
from readiness.catalogues.records import TABLE_COLUMNS, DatasetRecord

REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("datasets", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def catalogue(demo: Assessment) -> Catalogue:
    catalogue = services.create_catalogue(
        actor=None, assessment=demo, key="annex", title="Annex C", kind="spreadsheet"
    )
    rows = [
        DatasetRecord("1", "Budget", recommendation="quick_win"),
        DatasetRecord("2", "Traffic", recommendation="quick_win_priority"),
    ]
    services.import_records(catalogue, rows, actor=None, source="annex.csv")
    return catalogue


def test_import_makes_the_catalogue_and_reports_the_counts(
    demo: Assessment, tmp_path: Path
) -> None:
    sheet = tmp_path / "desk.csv"
    row = {"identifier": "d1", "title": "Land register", "access": "fee"}
    sheet.write_text(
        ",".join(TABLE_COLUMNS) + "\n" + ",".join(row.get(c, "") for c in TABLE_COLUMNS) + "\n"
    )
    assert run("import", "vietnam-2019", str(sheet)) == "desk: 1 added, 0 changed, 0 removed\n"
    catalogue = demo.catalogues.get(key="desk")
    assert catalogue.kind == "spreadsheet"
    assert catalogue.datasets.get().title == "Land register"


def test_import_of_a_broken_file_is_one_line_and_changes_nothing(
    demo: Assessment, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"{not json")
    with pytest.raises(CommandError) as raised:
        run("import", "vietnam-2019", str(broken))
    assert str(raised.value).startswith("nothing was changed:")
    assert not demo.catalogues.filter(key="broken").exists()


def test_summary_prints_the_rule_and_the_mixed_figure(catalogue: Catalogue) -> None:
    text = run("summary", "vietnam-2019", "--catalogue", "annex")
    assert text.startswith("2 datasets, 0 distributions\n")
    assert "Quick wins, including Quick win/Priority: 2" in text
    assert "       1  Quick win/Priority" in text


def test_summary_speaks_vietnamese(catalogue: Catalogue) -> None:
    assert run("summary", "vietnam-2019", "--lang", "vi").startswith(
        "2 bộ dữ liệu, 0 bản phân phối\n"
    )


def test_export_writes_dcat_ap_turtle(catalogue: Catalogue, tmp_path: Path) -> None:
    target = tmp_path / "annex.ttl"
    run("export", "vietnam-2019", "--format", "dcat-ttl", "-o", str(target))
    assert "dcat:Dataset" in target.read_text()


def test_list_shows_each_catalogue_with_its_count(catalogue: Catalogue) -> None:
    assert run("list", "vietnam-2019") == "annex\tSpreadsheet\t2\tAnnex C\n"


def test_an_unknown_assessment_is_one_line(db: None) -> None:
    with pytest.raises(CommandError) as raised:
        run("list", "nowhere")
    assert str(raised.value) == "nothing was changed: no assessment named nowhere"
