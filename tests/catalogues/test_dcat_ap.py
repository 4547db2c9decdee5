"""The DCAT-AP 2.1.1 export and the SHACL check (readiness/catalogues/dcat_ap.py).
Records are copied field by field from the real CKAN responses in
../shared/realdata and from rows of the 2019 annex; the expected violations
of the two real DCAT files are the ones their sidecars (*.source.txt) report,
written out by hand."""

import datetime

import pytest
from django.utils import translation
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from readiness.catalogues.dcat_ap import (
    CatalogueInfo,
    Violation,
    catalogue_graph,
    serialise,
    violations,
)
from readiness.catalogues.readers import read_catalogue
from readiness.catalogues.records import Access, DatasetRecord, DistributionRecord
from tests.conftest import SHARED

REALDATA = SHARED / "realdata"
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"

# data.gov.au, ckan_datagovau_1.json, package 1 (resources 1-3 and 5, the WMS, whose
# address is cut before its query) and package 2 (resource 3). Long texts are cut with "…".
MURRAY = DatasetRecord(
    identifier="7b0c274f-7f12-4062-9e54-5b8227ca20c4",
    title="Murray-Darling Basin Water Resource Plan Areas – Surface Water",
    description="The Basin Plan's management arrangements will be implemented at a local scale …",
    publisher="Murray-Darling Basin Authority",
    licence="cc-by-4.0",
    update_frequency="infrequently",
    keywords=("Murray-Darling Basin", "geospatialinformation", "mdba", "water"),
    issued=datetime.date(2013, 5, 12),
    modified=datetime.date(2019, 7, 24),
    distributions=(
        DistributionRecord(
            title="Murray-Darling Basin Water Resource Plan Areas – Surface Water map",
            format="PDF",
            media_type="application/pdf",
            access_url="https://data.gov.au/dataset/7b0c274f-7f12-4062-9e54-5b8227ca20c4/resource/087c7a0a-d308-4512-b79e-2305b54c991c/download/teams.prod.localdavwwwrootcorporateservicesictinformation-and-datashared-documents1-activitiespr.pdf",
            byte_size=1839724,
        ),
        DistributionRecord(
            format="SHP",
            media_type="application/zip",
            access_url="https://data.gov.au/dataset/7b0c274f-7f12-4062-9e54-5b8227ca20c4/resource/8369c483-975c-4f54-8eda-a6fbd0ea89ad/download/sworkingadhocjobsp3827dataoutputsupdate-april-2019sw-wrpasurface-water-water-resource-plan-areas.zip",
            byte_size=8070357,
        ),
        DistributionRecord(
            format="KMZ",
            media_type="application/vnd.google-earth.kmz",
            access_url="https://data.gov.au/dataset/7b0c274f-7f12-4062-9e54-5b8227ca20c4/resource/64edf712-dd88-4618-822a-1a0175409209/download/sworkingadhocjobsp3827dataoutputsupdate-january-2019surface-water-water-resource-plan-areas.kmz",
            byte_size=1172078,
        ),
        DistributionRecord(
            format="WMS",
            access_url="https://data.gov.au/geoserver/murray-darling-basin-water-resource-plan-areas-surface-water/wms",
        ),
    ),
)
IMCRA = DatasetRecord(
    identifier="3245ad6c-cc00-4404-ba1f-476c07b5f762",
    title="Integrated Marine and Coastal Regionalisation of Australia (IMCRA) v4.0 – "
    "Meso-scale Bioregions",
    publisher="Department of the Environment and Energy",
    licence="http://creativecommons.org/licenses/by/3.0/au/",
    update_frequency="never",
    themes=("environment", "geography", "sciences"),
    distributions=(
        DistributionRecord(
            title="WFS (OGC)",
            format="WFS",
            access_url="http://www.environment.gov.au/mapping/services/ogc_services/IMCRA_Mesoscale/MapServer/WFSServer",
        ),
    ),
)
# data.birmingham.gov.uk, ckan_birmingham_1.json, package 2.
BIRMINGHAM = DatasetRecord(
    identifier="7cd51587-e293-4ee9-a42b-00e908c01cce",
    title="February 2018 Purchase Card Transactions",
    description="Under the Code of Recommended Practice for Local Authorities on Data "
    "Transparency, councils are encouraged to publish all corporate purchase card transactions.",
    publisher="Birmingham City Council",
    licence="http://reference.data.gov.uk/id/open-government-licence",
    keywords=("feb2018", "payments", "purchase card", "transparency"),
    issued=datetime.date(2018, 3, 29),
    distributions=(
        DistributionRecord(
            title="february-2018-purchase-card-transactions",
            format="XLS",
            access_url="https://data.birmingham.gov.uk/dataset/7cd51587-e293-4ee9-a42b-00e908c01cce/resource/53aa8a2f-aba4-4843-8f29-e38ee1f4b186/download/publish-spend-february-2018-all-directorates.xls",
        ),
    ),
)
# The 2019 annex "C. Analysis of Datasets Available", as printed: no
# description, licence "None", the organisation's link as landing page.
PUBLIC_DEBTS = DatasetRecord(
    identifier="mof-public-debts-news",
    title="Public debts news",
    publisher="The Ministry of Finance",
    landing_page="http://bit.ly/2XbzAAS",
    licence="None",
    recommendation="low_value",
    distributions=(DistributionRecord(format="HTML & PDF"),),
)
PAPI = DatasetRecord(
    identifier="papi-reports-and-data",
    title="PAPI Reports and Data",
    publisher="PAPI data",
    landing_page="http://papi.org.vn/eng/documents-and-data-download",
    licence="Copyright",
    distributions=(DistributionRecord(format="PDF, HTML, PPT"),),
)
CENTRAL_BANK = DatasetRecord(
    identifier="sbv-total-liquidity",
    title="Total Liquidity",
    publisher="Central Bank",
    landing_page="www.sbv.gov.vn",  # printed without a scheme
    distributions=(DistributionRecord(format="HTML"),),
)
POPULATION = DatasetRecord(
    identifier="population-demographic-data",
    title="Dữ liệu dân số và nhân khẩu học",
    description="Population & demographic data: cơ sở dữ liệu quốc gia về dân cư.",
    access=Access.NOT_ONLINE,
    recommendation="quick_win_priority",
)
GDS = CatalogueInfo(
    title="Viet Nam open data inventory 2019",
    url="https://readiness.example.org/assessments/vietnam-2019/catalogues/annex",
    publisher="Ministry of Information and Communications",
    language="vi",
    issued=datetime.date(2019, 4, 1),
)


def real_catalogue() -> tuple[Graph, list[str]]:
    left_out: list[str] = []
    graph = catalogue_graph(
        GDS,
        [MURRAY, IMCRA, BIRMINGHAM, PUBLIC_DEBTS, PAPI, CENTRAL_BANK, POPULATION],
        left_out=left_out,
    )
    return graph, left_out


# -- the export conforms -------------------------------------------------------


def test_an_export_of_real_and_annex_records_has_no_violations() -> None:
    graph, _ = real_catalogue()
    assert violations(graph) == []


@pytest.mark.parametrize(("fmt", "parser"), [("turtle", "turtle"), ("json-ld", "json-ld")])
def test_the_serialised_export_reads_back_whole_and_conforms(fmt: str, parser: str) -> None:
    graph, _ = real_catalogue()
    data = serialise(graph, fmt)  # type: ignore[arg-type]
    back = Graph().parse(data=data, format=parser)
    assert len(back) == len(graph)
    assert violations(back) == []
    title = Literal("Dữ liệu dân số và nhân khẩu học")
    assert (None, DCTERMS.title, title) in back  # Vietnamese intact


def test_dataset_iris_are_the_catalogue_address_and_the_quoted_identifier() -> None:
    graph = catalogue_graph(
        GDS, [DatasetRecord("a b/ử", "Quoted"), DatasetRecord("plain", "Plain")]
    )
    base = GDS.url + "/dataset/"
    catalogue = URIRef(GDS.url)
    assert set(graph.objects(catalogue, DCAT.dataset)) == {
        URIRef(base + "a%20b%2F%E1%BB%AD"),
        URIRef(base + "plain"),
    }
    assert graph.value(URIRef(base + "a%20b%2F%E1%BB%AD"), DCTERMS.identifier) == Literal("a b/ử")
    # The same records give the same IRIs every time.
    again = catalogue_graph(GDS, [DatasetRecord("a b/ử", "Quoted")])
    assert URIRef(base + "a%20b%2F%E1%BB%AD") in set(again.subjects(RDF.type, DCAT.Dataset))


def test_the_catalogue_carries_what_dcat_ap_makes_mandatory() -> None:
    graph, _ = real_catalogue()
    catalogue = URIRef(GDS.url)
    assert graph.value(catalogue, DCTERMS.title) == Literal("Viet Nam open data inventory 2019")
    publisher = graph.value(catalogue, DCTERMS.publisher)
    assert graph.value(publisher, FOAF.name) == Literal(
        "Ministry of Information and Communications"
    )
    assert graph.value(catalogue, DCTERMS.language) == URIRef(EU + "language/VIE")
    assert graph.value(catalogue, DCTERMS.issued) == Literal(
        datetime.date(2019, 4, 1), datatype=XSD.date
    )
    # No description was given: DCAT-AP needs one; ours says so, in the export's language.
    assert graph.value(catalogue, DCTERMS.description) == Literal(
        "No description was published for this catalogue.", lang="en"
    )


def test_a_real_ckan_dataset_maps_as_ckanext_dcat_maps_it() -> None:
    graph, _ = real_catalogue()
    dataset = URIRef(GDS.url + "/dataset/7b0c274f-7f12-4062-9e54-5b8227ca20c4")
    assert graph.value(graph.value(dataset, DCTERMS.publisher), FOAF.name) == Literal(
        "Murray-Darling Basin Authority"
    )
    assert set(graph.objects(dataset, DCAT.keyword)) == {
        Literal("Murray-Darling Basin"),
        Literal("geospatialinformation"),
        Literal("mdba"),
        Literal("water"),
    }
    # "infrequently" is in no EU frequency: kept as published.
    assert graph.value(dataset, DCTERMS.accrualPeriodicity) == Literal("infrequently")
    distributions = {
        str(d).rsplit("/", 1)[-1]: d for d in graph.objects(dataset, DCAT.distribution)
    }
    assert sorted(distributions) == ["1", "2", "3", "4"]
    pdf = distributions["1"]
    assert graph.value(pdf, DCTERMS["format"]) == URIRef(EU + "file-type/PDF")
    assert graph.value(pdf, DCAT.mediaType) == URIRef(IANA + "application/pdf")
    assert graph.value(pdf, DCAT.byteSize) == Literal("1839724", datatype=XSD.decimal)
    # cc-by-4.0 is CC-BY-4.0 in data/licences.yaml: its EU licence IRI, on each distribution.
    licences = {graph.value(d, DCTERMS.license) for d in distributions.values()}
    assert licences == {URIRef(EU + "licence/CC_BY_4_0")}
    assert graph.value(distributions["2"], DCTERMS["format"]) == URIRef(EU + "file-type/SHP")
    assert graph.value(distributions["4"], DCTERMS["format"]) == URIRef(EU + "file-type/WMS_SRVC")
    assert graph.value(distributions["4"], DCAT.mediaType) is None  # none published


def test_a_licence_published_as_an_address_is_kept_and_text_themes_become_concepts() -> None:
    graph, _ = real_catalogue()
    imcra = URIRef(GDS.url + "/dataset/3245ad6c-cc00-4404-ba1f-476c07b5f762")
    (distribution,) = graph.objects(imcra, DCAT.distribution)
    assert graph.value(distribution, DCTERMS.license) == URIRef(
        "http://creativecommons.org/licenses/by/3.0/au/"
    )
    assert graph.value(imcra, DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/NEVER")
    labels = {graph.value(theme, SKOS.prefLabel) for theme in graph.objects(imcra, DCAT.theme)}
    assert labels == {Literal("environment"), Literal("geography"), Literal("sciences")}
    birmingham = URIRef(GDS.url + "/dataset/7cd51587-e293-4ee9-a42b-00e908c01cce")
    (xls,) = graph.objects(birmingham, DCAT.distribution)
    assert graph.value(xls, DCTERMS.license) == URIRef(
        "http://reference.data.gov.uk/id/open-government-licence"
    )
    assert graph.value(xls, DCTERMS["format"]) == URIRef(EU + "file-type/XLS")


def test_annex_rows_use_the_landing_page_and_never_invent_a_licence() -> None:
    graph, _ = real_catalogue()
    debts = URIRef(GDS.url + "/dataset/mof-public-debts-news")
    (distribution,) = graph.objects(debts, DCAT.distribution)
    # No address of its own: DCAT-AP's rule, the landing page as access URL.
    assert graph.value(distribution, DCAT.accessURL) == URIRef("http://bit.ly/2XbzAAS")
    # "HTML & PDF" names two formats; DCAT-AP allows one dct:format: the text as printed.
    assert graph.value(distribution, DCTERMS["format"]) == Literal("HTML & PDF")
    assert graph.value(distribution, DCTERMS.license) is None  # "None": no licence
    # No description printed: DCAT-AP needs one; ours says so.
    assert graph.value(debts, DCTERMS.description) == Literal(
        "No description was published for this dataset.", lang="en"
    )
    papi = URIRef(GDS.url + "/dataset/papi-reports-and-data")
    (papi_distribution,) = graph.objects(papi, DCAT.distribution)
    assert graph.value(papi_distribution, DCTERMS.license) is None  # "Copyright" has no address


def test_a_licence_published_as_an_id_is_written_with_its_own_address() -> None:
    # Birmingham's CKAN packages publish license_id "uk-ogl"; the reader keeps
    # the id (it is in our list), and the EU table has no IRI for OGL 3.0.
    read = read_catalogue((REALDATA / "ckan_birmingham_1.json").read_bytes(), "b.json")
    records = list(read.records)
    assert {record.licence for record in records} == {"uk-ogl"}
    left_out: list[str] = []
    info = CatalogueInfo(title="Birmingham", url="https://data.birmingham.gov.uk")
    graph = catalogue_graph(info, records, left_out=left_out)
    ogl = URIRef("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
    licences = set(graph.objects(None, DCTERMS.license))
    assert licences == {ogl}
    assert len(list(graph.subjects(DCTERMS.license, ogl))) == 54  # every distribution
    assert not [reason for reason in left_out if "licence" in reason]


def test_a_known_licence_with_an_eu_iri_is_written_with_it() -> None:
    record = DatasetRecord(
        identifier="d",
        title="D",
        licence="odc-odbl",
        distributions=(DistributionRecord(format="CSV", access_url="https://x.org/d.csv"),),
    )
    graph = catalogue_graph(GDS, [record])
    (distribution,) = graph.subjects(RDF.type, DCAT.Distribution)
    assert graph.value(distribution, DCTERMS.license) == URIRef(EU + "licence/ODBL")


def test_what_could_not_be_written_is_reported_once_per_dataset_and_reason() -> None:
    _, left_out = real_catalogue()
    assert left_out == [
        "dataset papi-reports-and-data: licence Copyright has no address we know: "
        "not written (never guessed)",
        "dataset sbv-total-liquidity: landing page www.sbv.gov.vn is not an http or https "
        "address: not written",
        "dataset sbv-total-liquidity: distribution 1 (HTML) has no access or download address "
        "and the dataset no landing page: left out",
    ]


def test_a_database_not_yet_online_is_a_dataset_without_distributions() -> None:
    graph, _ = real_catalogue()
    population = URIRef(GDS.url + "/dataset/population-demographic-data")
    assert (population, RDF.type, DCAT.Dataset) in graph
    assert list(graph.objects(population, DCAT.distribution)) == []
    assert graph.value(population, DCTERMS.description) == Literal(
        "Population & demographic data: cơ sở dữ liệu quốc gia về dân cư."
    )


def test_a_catalogue_without_an_http_address_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="http or https address"):
        catalogue_graph(CatalogueInfo(title="T", url="www.example.org"), [])


# -- the real DCAT files fail as their sidecars say ------------------------------

ROSTOCK = "https://www.opendata-hro.de/dataset/c1be4007-d811-48fb-8818-2cb358b06a63"


def test_the_rostock_record_fails_on_its_checksum_algorithms_and_two_geometries() -> None:
    """dcat_govde_rostock_1.source.txt: 5 × Checksum_Property_spdx_algorithm
    (dcat-ap.de's sha/256 where the shapes require spdx:checksumAlgorithm_sha1)
    and 1 × Location_Shape_Property_locn_geometry (two geometries on one
    dct:Location). The checksums sit on these five distributions (lines 71,
    160, 185, 210 and 235 of the file)."""
    graph = Graph().parse(REALDATA / "dcat_govde_rostock_1.rdf", format="xml")
    with_checksums = [
        "01302e04-baf3-402f-8352-1ac780e46efe",
        "1b8abfa3-f8ba-4c16-9e6f-823fb838f439",
        "7badf4ff-8698-4bf3-9f82-70dc1458d31c",
        "8fccc5c3-a9cd-47bc-861d-8d32182c0729",
        "ee7c9411-f35e-48a7-9129-843baf9e0393",
    ]
    checksum_violations = [
        Violation(
            focus_node=f"spdx:checksum of <{ROSTOCK}/resource/{resource}>",
            path="spdx:algorithm",
            severity="Violation",
            message="must be spdx:checksumAlgorithm_sha1",
            shape="Checksum_Property_spdx_algorithm",
        )
        for resource in with_checksums
    ]
    geometry = Violation(
        focus_node=f"dct:spatial of <{ROSTOCK}>",
        path="locn:geometry",
        severity="Violation",
        message="at most 1 value allowed, more found",
        shape="Location_Shape_Property_locn_geometry",
    )
    assert violations(graph) == [geometry, *checksum_violations]


def test_the_datos_gob_es_record_fails_on_its_access_url_written_as_text() -> None:
    """dcat_datosgobes_1.source.txt: 1 violation, Distribution_Property_dcat_accessURL
    (nodeKind sh:BlankNodeOrIRI; the value is a literal)."""
    graph = Graph().parse(REALDATA / "dcat_datosgobes_1.ttl", format="turtle")
    distribution = (
        "https://datos.gob.es/catalogo/l01280796-estudio-de-satisfaccion-con-el-programa-de-"
        "escuelas-municipales-de-promocion-deportiva-en-centros-escolares/resource/"
        "8d3c2ada-a6dc-4dc5-a0cb-bcda4c1b4935"
    )
    assert violations(graph) == [
        Violation(
            focus_node=f"<{distribution}>",
            path="dcat:accessURL",
            severity="Violation",
            message="must be an address (IRI), not text (found "
            "https://datos.madrid.es/egob/catalogo/300676-0-deporte-encuesta-escuelas.xlsx)",
            shape="Distribution_Property_dcat_accessURL",
        )
    ]


def test_a_violation_reads_as_one_line_naming_node_path_and_shape() -> None:
    violation = Violation("<https://x.org/d/1>", "dcat:accessURL", "Violation", "required", "S")
    assert str(violation) == "<https://x.org/d/1> dcat:accessURL: required (S)"


def test_a_mandatory_property_missing_is_reported_with_its_minimum() -> None:
    graph = Graph()
    dataset = URIRef("https://x.org/dataset/1")
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("Only a title")))
    assert violations(graph) == [
        Violation(
            focus_node="<https://x.org/dataset/1>",
            path="dct:description",
            severity="Violation",
            message="required: at least 1 value",
            shape="Dataset_Property_dct_description",
        )
    ]


def test_reasons_and_violations_are_in_vietnamese_for_a_vietnamese_reader() -> None:
    with translation.override("vi"):
        graph, left_out = real_catalogue()
        missing = violations(Graph().parse(REALDATA / "dcat_datosgobes_1.ttl", format="turtle"))
    assert left_out[1] == (
        "bộ dữ liệu sbv-total-liquidity: trang giới thiệu www.sbv.gov.vn không phải "
        "địa chỉ http hoặc https: không ghi"
    )
    assert missing[0].message.startswith("phải là địa chỉ (IRI), không phải văn bản (gặp https://")
    debts = URIRef(GDS.url + "/dataset/mof-public-debts-news")
    assert graph.value(debts, DCTERMS.description) == Literal(
        "Bộ dữ liệu này không công bố mô tả.", lang="vi"
    )


def test_addresses_with_characters_an_iri_cannot_hold_are_percent_encoded() -> None:
    record = DatasetRecord(
        "odd",
        "Odd addresses",
        landing_page='http://x.org/a"b<c>{d}',
        distributions=(DistributionRecord(access_url="http://www.moet.gov.vn/thongke/\\Pages/a"),),
    )
    graph = catalogue_graph(GDS, [record])
    back = Graph().parse(data=serialise(graph, "turtle"), format="turtle")
    dataset = URIRef(GDS.url + "/dataset/odd")
    assert back.value(dataset, DCAT.landingPage) == URIRef("http://x.org/a%22b%3Cc%3E%7Bd%7D")
    distribution = back.value(dataset, DCAT.distribution)
    assert back.value(distribution, DCAT.accessURL) == URIRef(
        "http://www.moet.gov.vn/thongke/%5CPages/a"
    )


@pytest.mark.parametrize(
    ("filename", "portal", "datasets", "distributions"),
    [
        # Counts from the sidecars: 10 packages with 54 resources; 3 packages
        # with 8 + 3 + 7 resources; 2 packages with 1 + 4; 1 dataset with 9
        # distributions; 1 with 1.
        ("ckan_birmingham_1.json", "https://data.birmingham.gov.uk", 10, 54),
        ("ckan_datagovau_1.json", "https://data.gov.au/data", 3, 18),
        ("ckan_envidat_1.json", "https://www.envidat.ch", 2, 5),
        ("dcat_govde_rostock_1.rdf", "https://www.opendata-hro.de", 1, 9),
        ("dcat_datosgobes_1.ttl", "https://datos.gob.es", 1, 1),
    ],
)
def test_every_real_catalogue_read_and_exported_conforms(
    filename: str, portal: str, datasets: int, distributions: int
) -> None:
    read = read_catalogue((REALDATA / filename).read_bytes(), filename)
    info = CatalogueInfo(title=filename, url=portal, publisher="The portal")
    graph = catalogue_graph(info, read.records)
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == datasets
    assert len(list(graph.subjects(RDF.type, DCAT.Distribution))) == distributions
    assert violations(graph) == []
    for fmt in ("turtle", "json-ld"):
        back = Graph().parse(data=serialise(graph, fmt), format=fmt)
        assert len(back) == len(graph)
        assert violations(back) == []
