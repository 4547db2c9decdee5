"""The catalogue readers on real portal files (values checked by hand in the
files themselves) and on generated CKAN packages."""

import datetime
import io
import json
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.catalogues.readers import read_catalogue
from readiness.catalogues.readers.ckan import records_from_ckan

REAL = Path("/work/shared/realdata")


def read(name: str):
    with (REAL / name).open("rb") as file:
        result = read_catalogue(file, name)
        return result, list(result.records)


def test_birmingham_package_search_gives_ten_datasets_and_their_54_resources():
    result, records = read("ckan_birmingham_1.json")
    assert result.kind == "ckan"
    assert result.graph is None
    assert len(records) == 10
    assert sum(len(r.distributions) for r in records) == 54
    formats = Counter(d.format for r in records for d in r.distributions)
    assert formats == {"XLS": 52, "": 2}
    first = records[0]
    assert first.identifier == "cf552d08-cee9-43bf-8c0f-3196a9311799"
    assert first.title == "Purchase Card Transactions"
    assert first.publisher == "Birmingham City Council"
    assert first.licence == "uk-ogl"
    assert len(first.distributions) == 45
    assert first.issued == datetime.date(2014, 12, 1)
    assert first.modified == datetime.date(2021, 1, 15)
    # The trailing space of maintainer_email is stripped.
    assert first.contact_point == "Ian Martin <ian.martin@birmingham.gov.uk>"
    assert first.distributions[0].title == "Purchase Card transactions - April 2014"
    assert first.distributions[0].access_url.endswith("purchasecardtransactionsapril2014.xls")
    assert {r.publisher for r in records} == {"Birmingham City Council"}


def test_birmingham_department_names_in_url_are_warnings_not_landing_pages():
    result, records = read("ckan_birmingham_1.json")
    assert records[1].landing_page == ""
    assert any(
        w.startswith('record 2 (id "7cd51587-e293-4ee9-a42b-00e908c01cce"), url:')
        and "Accounts Payable" in w
        for w in result.warnings
    )


def test_datagovau_gives_three_datasets_with_two_licences_and_eighteen_resources():
    _result, records = read("ckan_datagovau_1.json")
    assert len(records) == 3
    assert [len(r.distributions) for r in records] == [8, 3, 7]
    assert {r.licence for r in records} == {"cc-by-4.0", "cc-by"}
    assert {r.publisher for r in records} == {
        "Murray-Darling Basin Authority",
        "Department of the Environment and Energy",
    }
    formats = Counter(d.format for r in records for d in r.distributions)
    assert formats == {"GeoJSON": 3, "SHP": 3, "WFS": 3, "WMS": 3, "KMZ": 2, "PDF": 2, "TXT": 2}
    pdf = records[0].distributions[0]
    assert (pdf.format, pdf.media_type, pdf.byte_size) == ("PDF", "application/pdf", 1839724)
    assert pdf.modified == datetime.date(2019, 7, 24)


def test_envidat_gives_two_datasets_with_one_zip_and_four_csv():
    _result, records = read("ckan_envidat_1.json")
    assert records[0].title == (
        "The importance of hot summers and individual heatwaves for permafrost in the Swiss Alps"
    )
    assert [[d.format for d in r.distributions] for r in records] == [["ZIP"], ["CSV"] * 4]
    assert records[0].publisher == "CRYOS"
    assert records[0].distributions[0].byte_size == 10004794304


def test_rostock_rdf_xml_gives_one_dataset_with_nine_distributions():
    result, records = read("dcat_govde_rostock_1.rdf")
    assert result.kind == "dcat"
    assert result.graph is not None and len(result.graph) > 0
    (record,) = records
    assert record.identifier == "c1be4007-d811-48fb-8818-2cb358b06a63"
    assert record.title == "Liefer- und Abholservices (Gastronomie)"
    assert record.publisher == "Hanse- und Universitätsstadt Rostock"
    assert record.licence == "http://dcat-ap.de/def/licenses/cc-zero"
    assert record.access_rights == (
        "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
    )
    assert "gastronomiebetriebe" in record.keywords
    assert len(record.distributions) == 9
    file_type = "http://publications.europa.eu/resource/authority/file-type/"
    assert sorted(d.format for d in record.distributions if d.format) == [
        file_type + code for code in ("CSV", "GEOJSON", "GML", "KML", "WFS", "WMS", "XLSX")
    ]
    csv = next(d for d in record.distributions if d.format.endswith("/CSV"))
    assert csv.media_type == "text/csv"
    assert csv.byte_size == 60744  # written "60744.0"


def test_datos_gob_es_turtle_gives_one_dataset_with_one_xls_distribution():
    result, records = read("dcat_datosgobes_1.ttl")
    assert result.kind == "dcat"
    (record,) = records
    assert record.title == (
        "Estudio de Satisfacción con el Programa de Escuelas Municipales de Promoción "
        "Deportiva en centros escolares"
    )
    assert record.licence == "https://datos.madrid.es/egob/catalogo/aviso-legal"
    (distribution,) = record.distributions
    assert distribution.format == "XLS"
    assert distribution.access_url == (
        "https://datos.madrid.es/egob/catalogo/300676-0-deporte-encuesta-escuelas.xlsx"
    )
    assert distribution.byte_size == 43008
    # Not in data/licences.yaml: kept as published, and a warning.
    assert any("aviso-legal" in w and "not in the list" in w for w in result.warnings)


def test_the_kind_is_told_from_the_content_not_the_name():
    data = (REAL / "dcat_datosgobes_1.ttl").read_bytes()
    assert read_catalogue(data, "catalogue.json").kind == "dcat"
    ckan = (REAL / "ckan_envidat_1.json").read_bytes()
    assert read_catalogue(ckan, "catalogue.ttl").kind == "ckan"


def test_package_show_and_package_lists_are_read_like_package_search():
    package = {"id": "p1", "title": "Budget", "resources": [{"format": "CSV"}]}
    shapes = [
        {"help": "x", "success": True, "result": package},
        {"success": True, "result": [package]},
        [package],
        package,
    ]
    for shape in shapes:
        records = list(records_from_ckan(json.dumps(shape).encode(), "shape.json"))
        assert [(r.identifier, r.title, r.distributions[0].format) for r in records] == [
            ("p1", "Budget", "CSV")
        ]


def test_records_are_produced_one_at_a_time():
    packages = [{"id": f"p{i}", "title": f"T{i}"} for i in range(3)]
    data = json.dumps({"result": packages}).encode()[:-3]  # cut inside the last package
    records = records_from_ckan(io.BytesIO(data), "cut.json")
    assert next(records).identifier == "p0"
    assert next(records).identifier == "p1"


def test_a_name_stands_for_a_missing_id():
    (record,) = records_from_ckan(json.dumps([{"name": "budget", "title": "B"}]).encode(), "x")
    assert record.identifier == "budget"


def test_an_unknown_licence_and_a_malformed_extra_date_are_warnings():
    package = {
        "id": "p",
        "title": "T",
        "license_id": "my-own-licence",
        "extras": [{"key": "temporal_start", "value": "spring 2019"}],
    }
    warnings: list[str] = []
    (record,) = records_from_ckan(json.dumps([package]).encode(), "x", warnings)
    assert record.licence == "my-own-licence"
    assert record.temporal_start is None
    assert warnings == [
        "record 1 (id \"p\"), license_id: the licence 'my-own-licence' is not in the list of "
        "known licences",
        "record 1 (id \"p\"), temporal_start: 'spring 2019' is not a date (YYYY-MM-DD); left out",
    ]


text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(
    identifier=text,
    title=text,
    notes=text,
    organisation=text,
    tags=st.lists(text, max_size=4),
    formats=st.lists(text, max_size=4),
    day=st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 12, 31)),
)
def test_generated_packages_round_trip_their_fields(
    identifier, title, notes, organisation, tags, formats, day
):
    package = {
        "id": identifier,
        "title": title,
        "notes": notes,
        "organization": {"title": organisation},
        "tags": [{"name": tag} for tag in tags],
        "metadata_created": f"{day.isoformat()}T10:00:00.000001",
        "resources": [
            {"format": fmt, "url": f"https://example.org/{i}", "size": i}
            for i, fmt in enumerate(formats)
        ],
    }
    body = json.dumps({"success": True, "result": {"count": 1, "results": [package]}})
    (record,) = records_from_ckan(body.encode(), "generated.json")
    assert (record.identifier, record.title, record.description) == (identifier, title, notes)
    assert record.publisher == organisation
    assert record.keywords == tuple(tags)
    assert record.issued == day
    assert [(d.format, d.access_url, d.byte_size) for d in record.distributions] == [
        (fmt, f"https://example.org/{i}", i) for i, fmt in enumerate(formats)
    ]
