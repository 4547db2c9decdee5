"""The inventory's services: imports (all or nothing, batched, re-imports),
hand edits with history and versions, the summary's counts, permissions."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection

from readiness.assessments.models import Assessment
from readiness.catalogues import selectors, services
from readiness.catalogues.models import Catalogue, CatalogueRun, Dataset, Distribution
from readiness.catalogues.records import DatasetRecord, DistributionRecord
from readiness.core.errors import EditConflict, Forbidden, InvalidInput, NotFound
from readiness.core.models import ChangeRecord

REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata"


def csv(url: str) -> DistributionRecord:
    return DistributionRecord(title="Data", format="CSV", media_type="text/csv", download_url=url)


def record(identifier: str, title: str, **fields: object) -> DatasetRecord:
    return DatasetRecord(identifier=identifier, title=title, **fields)  # type: ignore[arg-type]


@pytest.fixture
def catalogue(demo: Assessment) -> Catalogue:
    return services.create_catalogue(
        actor=None, assessment=demo, key="portal", title="National portal", kind="ckan"
    )


def three() -> list[DatasetRecord]:
    return [
        record(
            "a",
            "Budget 2018",
            publisher="MIC",
            licence="cc-by-4.0",
            distributions=(csv("https://example.org/a.csv"),),
        ),
        record("b", "Traffic accidents", publisher="Ministry of Nowhere"),
        record("c", "Air quality", recommendation="quick_win", notes="Asked in Hanoi"),
    ]


def test_an_import_stores_every_dataset_and_counts_them_added(catalogue: Catalogue) -> None:
    outcome = services.import_records(catalogue, three(), actor=None, source="three.json")
    assert (outcome.added, outcome.changed, outcome.removed) == (3, 0, 0)
    assert Dataset.objects.filter(catalogue=catalogue).count() == 3
    assert Distribution.objects.filter(dataset__catalogue=catalogue).count() == 1
    assert outcome.run.status == CatalogueRun.Status.DONE
    assert (outcome.run.added, outcome.run.done) == (3, 3)


def test_a_publisher_is_matched_to_the_register_or_kept_as_published_with_a_warning(
    catalogue: Catalogue,
) -> None:
    outcome = services.import_records(catalogue, three(), actor=None, source="three.json")
    budget = catalogue.datasets.get(identifier="a")
    traffic = catalogue.datasets.get(identifier="b")
    assert budget.publisher is not None and budget.publisher.abbreviation == "MIC"
    assert budget.publisher_name == ""
    assert traffic.publisher is None and traffic.publisher_name == "Ministry of Nowhere"
    assert any("Ministry of Nowhere" in warning for warning in outcome.warnings)


def test_a_reimport_reports_added_changed_and_removed_and_keeps_the_assessors_columns(
    catalogue: Catalogue,
) -> None:
    services.import_records(catalogue, three(), actor=None, source="first.json")
    again = [
        record(
            "a",
            "Budget 2018",
            publisher="MIC",
            licence="cc-by-4.0",
            distributions=(csv("https://example.org/a.csv"),),
        ),  # the same
        record("c", "Air quality, hourly"),  # changed; brings no recommendation
        record("d", "Schools"),  # new
    ]  # b is gone
    outcome = services.import_records(catalogue, again, actor=None, source="second.json")
    assert (outcome.added, outcome.changed, outcome.removed) == (1, 1, 1)
    air = catalogue.datasets.get(identifier="c")
    assert air.title == "Air quality, hourly"
    assert (air.recommendation, air.notes) == ("quick_win", "Asked in Hanoi")
    assert air.version == 2
    assert sorted(catalogue.datasets.values_list("identifier", flat=True)) == ["a", "c", "d"]


def test_one_history_record_per_import_not_one_per_dataset(catalogue: Catalogue) -> None:
    before = ChangeRecord.objects.count()
    services.import_records(catalogue, three(), actor=None, source="three.json")
    changes = ChangeRecord.objects.order_by("id")[before:]
    assert [(c.entity, c.action) for c in changes] == [("catalogue", ChangeRecord.Action.UPDATE)]
    assert changes[0].after == {"source": "three.json", "added": 3, "changed": 0, "removed": 0}


def test_a_bad_third_record_changes_nothing_and_names_the_record_and_field(
    catalogue: Catalogue,
) -> None:
    services.import_records(catalogue, three()[:1], actor=None, source="first.json")
    bad = [record("x", "Fine"), record("y", "Also fine"), record("z", "Bad\x00title")]
    with pytest.raises(InvalidInput) as raised:
        services.import_records(catalogue, bad, actor=None, source="bad.json")
    assert 'record 3 (id "z"), title' in str(raised.value)
    assert list(catalogue.datasets.values_list("identifier", flat=True)) == ["a"]
    assert Distribution.objects.filter(dataset__catalogue=catalogue).count() == 1
    failed = catalogue.runs.get(status=CatalogueRun.Status.FAILED)
    assert "record 3" in failed.error


def test_a_repeated_identifier_is_refused_naming_both_records(catalogue: Catalogue) -> None:
    with pytest.raises(InvalidInput) as raised:
        services.import_records(
            catalogue, [record("a", "One"), record("a", "Two")], actor=None, source="dup.json"
        )
    assert 'record 2 (id "a"), identifier: also the identifier of record 1' in str(raised.value)
    assert catalogue.datasets.count() == 0


def test_an_address_that_cannot_be_a_link_is_left_out_with_a_warning(
    catalogue: Catalogue,
) -> None:
    outcome = services.import_records(
        catalogue,
        [record("a", "FTP only", landing_page="ftp://example.org/x")],
        actor=None,
        source="x.json",
    )
    assert catalogue.datasets.get().landing_page == ""
    assert any("landing_page" in warning for warning in outcome.warnings)


def test_an_import_of_2000_datasets_takes_a_bounded_number_of_queries(
    catalogue: Catalogue, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    records = [
        record(f"id-{n}", f"Dataset {n}", distributions=(csv(f"https://example.org/{n}.csv"),))
        for n in range(2_000)
    ]
    # SQLite takes at most 999 parameters a statement, so Django splits each
    # batch's INSERT into statements of about 28 datasets (35 columns) and 71
    # distributions; PostgreSQL inserts each batch of 1,000 at once.
    bound = 150 if connection.vendor == "sqlite" else 40
    with django_assert_max_num_queries(bound):
        services.import_records(catalogue, records, actor=None, source="big.json")
    assert catalogue.datasets.count() == 2_000
    assert Distribution.objects.filter(dataset__catalogue=catalogue).count() == 2_000


def test_the_summary_counts_each_dataset_once_and_gives_the_mixed_category_separately(
    catalogue: Catalogue,
) -> None:
    rows = [
        record("1", "A", recommendation="quick_win"),
        record("2", "B", recommendation="quick_win"),
        record("3", "C", recommendation="priority"),
        record("4", "D", recommendation="quick_win_priority"),
        record("5", "E"),
    ]
    services.import_records(catalogue, rows, actor=None, source="r.csv")
    found = selectors.summary(catalogue)
    assert found.total_datasets == 5
    counts = {t.value: t.count for t in found.by_recommendation}
    assert counts == {"quick_win": 2, "priority": 1, "quick_win_priority": 1, "": 1}
    assert found.quick_wins_including_mixed.count == 3
    assert found.priority_including_mixed.count == 2
    assert "Quick win/Priority" in found.counting_rule


def test_the_summary_counts_a_dataset_under_each_of_its_formats(catalogue: Catalogue) -> None:
    both = (
        csv("https://example.org/1.csv"),
        DistributionRecord(format="PDF"),
        csv("https://example.org/2.csv"),
    )
    services.import_records(
        catalogue,
        [
            record("1", "A", distributions=both),
            record("2", "B", distributions=(DistributionRecord(format="pdf"),)),
        ],
        actor=None,
        source="f.json",
    )
    found = selectors.summary(catalogue)
    assert {t.value: t.count for t in found.by_format} == {"CSV": 1, "PDF": 2}
    assert found.total_distributions == 4


def test_the_summary_counts_formats_by_the_file_type_list(catalogue: Catalogue) -> None:
    services.import_records(
        catalogue,
        [
            # The 2019 annex's spellings: two formats in one cell, a remark after one.
            record("1", "A", distributions=(DistributionRecord(format="HTML & PDF"),)),
            record(
                "2", "B", distributions=(DistributionRecord(format="pdf.  Depends on request"),)
            ),
            record("3", "C", distributions=(DistributionRecord(format=" Html "),)),
            record("4", "D", distributions=(DistributionRecord(format="Available via a form"),)),
            record("5", "E", distributions=(DistributionRecord(format="available VIA a form"),)),
            record("6", "F", distributions=()),
            record("7", "G", distributions=(DistributionRecord(title="no format"),)),
            # Known only from its media type.
            record("8", "H", distributions=(DistributionRecord(media_type="text/csv"),)),
        ],
        actor=None,
        source="f.json",
    )
    found = selectors.summary(catalogue)
    assert [(t.value, t.label, t.count) for t in found.by_format] == [
        ("available via a form", "Available via a form (not in the file-type list)", 2),
        ("HTML", "HTML", 2),
        ("PDF", "PDF", 2),
        ("CSV", "CSV", 1),
        ("depends on request", "Depends on request (not in the file-type list)", 1),
        ("", "No format given", 2),
    ]
    by_key = {
        key: set(
            selectors.with_value(catalogue.datasets.all(), "format", key).values_list(
                "identifier", flat=True
            )
        )
        for key in ("pdf", "PDF", "html", "", "Available via a form", "csv", "XML")
    }
    assert by_key == {
        "pdf": {"1", "2"},
        "PDF": {"1", "2"},
        "html": {"1", "3"},
        "": {"6", "7"},
        "Available via a form": {"4", "5"},
        "csv": {"8"},
        "XML": set(),
    }


def test_a_dataset_edited_by_hand_is_counted_under_its_new_formats(
    catalogue: Catalogue, assessor: User
) -> None:
    services.import_records(
        catalogue,
        [record("1", "A", distributions=(DistributionRecord(format="PDF"),))],
        actor=None,
        source="f.json",
    )
    dataset = catalogue.datasets.get()
    services.update_dataset(
        actor=assessor,
        dataset=dataset,
        expected_version=dataset.version,
        changes={},
        distributions=[{"format": "CSV, XLSX"}],
    )
    assert {t.value: t.count for t in selectors.summary(catalogue).by_format} == {
        "CSV": 1,
        "XLSX": 1,
    }
    services.import_records(
        catalogue,
        [record("1", "A", distributions=(DistributionRecord(format="JSON"),))],
        actor=None,
        source="f.json",
    )
    assert {t.value: t.count for t in selectors.summary(catalogue).by_format} == {"JSON": 1}


def test_a_dataset_typed_by_hand_is_stored_with_history(
    catalogue: Catalogue, assessor: User
) -> None:
    dataset = services.create_dataset(
        actor=assessor,
        catalogue=catalogue,
        fields={
            "title": "Land use plans",
            "publisher": "mic",
            "access": "on_request",
            "recommendation": "priority",
            "issued": "2018-05-01",
            "keywords": "land; planning",
        },
        distributions=[{"format": "PDF", "access_url": "https://example.org/plans"}],
    )
    assert dataset.identifier == "land-use-plans"
    assert dataset.publisher is not None and dataset.publisher.abbreviation == "MIC"
    assert dataset.issued == datetime.date(2018, 5, 1)
    assert dataset.keywords == ["land", "planning"]
    assert dataset.distributions.get().format == "PDF"
    change = ChangeRecord.objects.filter(entity="dataset", entity_id=dataset.pk).get()
    assert change.after["title"] == "Land use plans" and change.actor == assessor


def test_hand_entry_refuses_an_address_that_cannot_be_a_link(catalogue: Catalogue) -> None:
    with pytest.raises(InvalidInput) as raised:
        services.create_dataset(
            actor=None,
            catalogue=catalogue,
            fields={"title": "X", "landing_page": "javascript:alert(1)"},
        )
    assert "landing_page" in str(raised.value)
    assert catalogue.datasets.count() == 0


def test_an_edit_based_on_a_stale_version_is_refused_with_409(
    catalogue: Catalogue, assessor: User
) -> None:
    dataset = services.create_dataset(actor=assessor, catalogue=catalogue, fields={"title": "X"})
    services.update_dataset(
        actor=assessor, dataset=dataset, expected_version=1, changes={"notes": "first"}
    )
    with pytest.raises(EditConflict) as raised:
        services.update_dataset(
            actor=assessor, dataset=dataset, expected_version=1, changes={"notes": "second"}
        )
    assert raised.value.status == 409 and raised.value.current_version == 2
    assert Dataset.objects.get(pk=dataset.pk).notes == "first"


def test_a_catalogue_edit_based_on_a_stale_version_is_refused(catalogue: Catalogue) -> None:
    services.update_catalogue(
        actor=None, catalogue=catalogue, expected_version=1, changes={"title": "New"}
    )
    with pytest.raises(EditConflict):
        services.delete_catalogue(actor=None, catalogue=catalogue, expected_version=1)
    assert Catalogue.objects.filter(pk=catalogue.pk).exists()


def test_deleting_a_desk_catalogue_keeps_its_datasets_in_history(demo: Assessment) -> None:
    desk = services.create_catalogue(
        actor=None, assessment=demo, key="desk", title="Desk", kind="desk"
    )
    services.create_dataset(actor=None, catalogue=desk, fields={"title": "Typed", "notes": "mine"})
    services.delete_catalogue(actor=None, catalogue=desk, expected_version=1)
    change = ChangeRecord.objects.filter(
        entity="catalogue", action=ChangeRecord.Action.DELETE
    ).get()
    assert [d["title"] for d in change.before["datasets"]] == ["Typed"]


@pytest.mark.parametrize(
    ("persona", "refused"),
    [
        ("lead", None),
        ("assessor", None),
        ("reviewer", Forbidden),
        ("counterpart", Forbidden),
        ("outsider", NotFound),
    ],
)
def test_who_may_import(
    request: pytest.FixtureRequest, catalogue: Catalogue, persona: str, refused: type | None
) -> None:
    actor = request.getfixturevalue(persona)
    if refused is None:
        assert services.import_records(catalogue, three(), actor=actor, source="x").added == 3
        return
    with pytest.raises(refused):
        services.import_records(catalogue, three(), actor=actor, source="x")
    assert catalogue.datasets.count() == 0


@pytest.mark.parametrize("persona", ["lead", "assessor", "reviewer", "counterpart"])
def test_every_member_may_read_the_inventory(
    request: pytest.FixtureRequest, catalogue: Catalogue, persona: str
) -> None:
    actor = request.getfixturevalue(persona)
    assert selectors.inventory_assessment(actor, "vietnam-2019") == catalogue.assessment


def test_an_outsider_does_not_see_the_inventory(outsider: User, catalogue: Catalogue) -> None:
    with pytest.raises(NotFound):
        selectors.inventory_assessment(outsider, "vietnam-2019")


def test_the_birmingham_ckan_file_imports_ten_datasets_and_54_distributions(
    catalogue: Catalogue,
) -> None:
    data = (REALDATA / "ckan_birmingham_1.json").read_bytes()
    outcome = services.import_file(catalogue, data, "ckan_birmingham_1.json", actor=None)
    assert outcome.added == 10
    assert Distribution.objects.filter(dataset__catalogue=catalogue).count() == 54
    assert set(catalogue.datasets.values_list("licence", flat=True)) == {"uk-ogl"}
    assert set(catalogue.datasets.values_list("publisher_name", flat=True)) == {
        "Birmingham City Council"
    }
    again = services.import_file(catalogue, data, "ckan_birmingham_1.json", actor=None)
    assert (again.added, again.changed, again.removed) == (0, 0, 0)


def test_a_real_dcat_file_that_breaks_the_shapes_is_imported_and_says_why(
    catalogue: Catalogue,
) -> None:
    data = (REALDATA / "dcat_datosgobes_1.ttl").read_bytes()
    outcome = services.import_file(catalogue, data, "dcat_datosgobes_1.ttl", actor=None)
    assert outcome.added == 1
    assert Distribution.objects.filter(dataset__catalogue=catalogue).count() == 1
    assert outcome.warnings[0].startswith("the file does not conform to DCAT-AP 2.1.1: ")
    assert outcome.run.warnings == outcome.warnings
