"""The demo inventory, readiness/demo/datasets-VN-2019.csv: the 2019 annex
"C. Analysis of Datasets Available" as printed, checked against counts made
by hand from the seed report."""

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from readiness.assessments.models import Assessment
from readiness.catalogues.records import TABLE_COLUMNS, DatasetRecord, DistributionRecord
from readiness.catalogues.scoring import score
from readiness.catalogues.selectors import summary
from readiness.registry.models import Organisation

DEMO = Path(__file__).resolve().parents[2] / "readiness" / "demo"
INVENTORY = DEMO / "datasets-VN-2019.csv"
REGISTER = DEMO / "organisations-VN.csv"


def rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(INVENTORY.read_text(encoding="utf-8"))))


def datasets() -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows():
        grouped.setdefault(row["identifier"], []).append(row)
    return grouped


def test_the_inventory_has_the_spreadsheet_columns() -> None:
    header = next(csv.reader(io.StringIO(INVENTORY.read_text(encoding="utf-8"))))
    assert tuple(header) == TABLE_COLUMNS


def test_it_holds_the_38_published_datasets_and_the_11_databases_of_the_annex() -> None:
    # Counted by hand in the seed (line ~4061): table 1 has 11 rows (Ministry
    # of Finance 8, statistical office 1, trade portal 1, survey and mapping
    # 1), table 2 has 13 (legislation, health, education, PAPI, MoNRE 1 each,
    # central bank 8), table 3 has 10 (transport 3, agriculture 1,
    # administrative procedures 1, biodiversity 3, trade 1, science 1), table
    # 4 has 4 (planning 1, procurement 3): 38. Then 11 databases.
    grouped = datasets()
    tables = Counter(r[0]["notes"].split(".")[0] for r in grouped.values())
    assert tables == {
        "2019 annex C, table 1": 11,
        "2019 annex C, table 2": 13,
        "2019 annex C, table 3": 10,
        "2019 annex C, table 4": 4,
        "2019 annex C, databases not yet online": 11,
    }
    assert len(grouped) == 49


def test_the_counts_by_recommendation_match_the_hand_count() -> None:
    # By hand from the seed. Published (38): Quick win 4 (table 2: legislation,
    # health, education, PAPI) + 7 (central bank) + 4 (table 3: biodiversity 3,
    # science 1) = 15; Quick win/Priority 8 (table 1: Ministry of Finance 6,
    # statistics, trade portal) + 2 (table 2: MoNRE, CPI) + 2 (table 3:
    # administrative procedures, trade) + 2 (table 4: business registry,
    # procurement) = 14; Low value 2 (debts news) + 4 (transport 3,
    # agriculture 1) = 6; Priority longer-term 1 (survey and mapping) + 2
    # (tenders, contracts) = 3. Databases (11): Quick win/Priority 3
    # (population, land, public finance), Longer term 4 (social security,
    # MoE, MoT, MoPS), Quick win 1 (MoH), Priority longer term 1 (MoNRE),
    # Priority 2 (tourism, agriculture).
    grouped = datasets()
    published = Counter(
        r[0]["recommendation"] for key, r in grouped.items() if not key.startswith("vn2019-db-")
    )
    databases = Counter(
        r[0]["recommendation"] for key, r in grouped.items() if key.startswith("vn2019-db-")
    )
    assert published == {
        "quick_win": 15,
        "quick_win_priority": 14,
        "low_value": 6,
        "longer_term_priority": 3,
    }
    assert databases == {
        "quick_win_priority": 3,
        "longer_term": 4,
        "quick_win": 1,
        "longer_term_priority": 1,
        "priority": 2,
    }


def test_formats_and_licences_are_as_printed() -> None:
    first = {key: r[0] for key, r in datasets().items()}
    assert first["vn2019-mof-1"]["format"] == "html and xlsx (link download)"
    assert first["vn2019-dosm-1"]["format"] == "pdf.  Depends on purchasing/request"
    assert first["vn2019-most-1"]["licence"] == "Mostly CC-by-NC 2.0"
    assert first["vn2019-papi-1"]["licence"] == "Copyright"
    assert Counter(r["licence"] for r in first.values()) == {
        # 38 published: "None" 25, "Copyright" 2, "Mostly CC-by-NC 2.0" 1,
        # blank 10 (central bank 8, tenders, contracts); databases: blank 11.
        "None": 25,
        "Copyright": 2,
        "Mostly CC-by-NC 2.0": 1,
        "": 21,
    }


def test_databases_and_unlinked_rows_are_not_online_and_forms_are_forms() -> None:
    access = Counter(r[0]["access"] for r in datasets().values())
    # 11 databases + tenders + contracts not online; business registry and
    # procurement through a form; survey and mapping on request; 33 online.
    assert access == {"not_online": 13, "form": 2, "on_request": 1, "online": 33}


def test_every_publisher_is_in_the_organisations_register() -> None:
    register = list(csv.DictReader(io.StringIO(REGISTER.read_text(encoding="utf-8"))))
    names: set[str] = set()
    for entry in register:
        names.update(
            n.strip().casefold()
            for n in [entry["abbreviation"], entry["name_en"], *entry["aliases"].split(";")]
            if n.strip()
        )
    publishers = {r[0]["publisher"] for r in datasets().values()} - {""}
    assert {p for p in publishers if p.casefold() not in names} == set()


def test_no_annex_dataset_earns_a_star() -> None:
    # None of the 49 has an open licence ("None", "Copyright", unknown or blank).
    for key, group in datasets().items():
        row = group[0]
        record = DatasetRecord(
            identifier=key,
            title=row["title"],
            publisher=row["publisher"],
            landing_page=row["landing_page"],
            licence=row["licence"],
            access=row["access"],
            distributions=tuple(
                DistributionRecord(format=r["format"]) for r in group if r["format"]
            ),
        )
        assert score(record).stars == 0, key


@pytest.mark.django_db
def test_the_demo_register_loads_the_publishers_the_annex_adds() -> None:
    added = Organisation.objects.filter(
        country_code="VN", abbreviation__in=["DOSM", "VNTP", "NDLD", "PAPI", "NDAP", "NBDS", "VSS"]
    )
    assert added.count() == 7
    dosm = Organisation.objects.get(country_code="VN", abbreviation="DOSM")
    assert dosm.parent is not None and dosm.parent.abbreviation == "MoNRE"


@pytest.mark.django_db
def test_the_demo_assessment_holds_the_annex_as_its_inventory() -> None:
    # The hand counts above, published and databases together.
    assessment = Assessment.objects.get(slug="vietnam-2019")
    inventory = summary(assessment)
    assert inventory.total_datasets == 49
    assert {c.value: c.count for c in inventory.by_recommendation if c.count} == {
        "quick_win": 16,
        "quick_win_priority": 17,
        "low_value": 6,
        "longer_term_priority": 4,
        "longer_term": 4,
        "priority": 2,
    }
    assert inventory.quick_wins_including_mixed.count == 33
    assert inventory.priority_including_mixed.count == 19


@pytest.mark.django_db
def test_the_demo_inventory_is_counted_by_format_as_counted_by_hand() -> None:
    # Read by hand from the format column: "HTML & PDF" is HTML and PDF,
    # "html and xlsx (link download)" HTML, XLSX and the words "link download",
    # "PDF/xls/json/zip/csv/html/doc" seven formats; 13 rows print none.
    inventory = summary(Assessment.objects.get(slug="vietnam-2019"))
    assert {c.value: c.count for c in inventory.by_format} == {
        "HTML": 26,
        "PDF": 13,
        "XLS": 4,
        "DOC": 4,
        "XLSX": 1,
        "PPT": 1,
        "JSON": 1,
        "ZIP": 1,
        "CSV": 1,
        "available only via a user form": 2,
        "link download": 1,
        "also a data portal offering different export formats": 1,
        "depends on purchasing/request": 1,
        "": 13,
    }
    assert inventory.by_format[0].label == "HTML"
    assert inventory.by_format[-1].label == "No format given"
