"""The openness and metadata-quality rules (readiness/catalogues/scoring.py),
against oracles worked out by hand: rows of the 2019 annex, records copied
field by field from the real CKAN responses in ../shared/realdata, and
hypothesis properties."""

import dataclasses
import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from readiness.catalogues.records import Access, DatasetRecord, DistributionRecord
from readiness.catalogues.scoring import (
    DIMENSIONS,
    MAX_POINTS,
    Band,
    band_for,
    format_facts,
    licence_key,
    open_licence,
    score,
)


def codes(format: str, media_type: str = "") -> list[str]:
    return [fact.code or f"?{fact.published}" for fact in format_facts(format, media_type)]


# -- formats -------------------------------------------------------------------


def test_format_strings_of_the_annex_name_each_format_they_list() -> None:
    assert codes("CSV") == ["CSV"]
    assert codes("text/csv") == ["CSV"]
    assert codes("HTML & PDF") == ["HTML", "PDF"]
    assert codes("PDF/Doc/XLS") == ["PDF", "DOC", "XLS"]
    assert codes("Doc and PDF") == ["DOC", "PDF"]
    assert codes("HTML or xls") == ["HTML", "XLS"]
    assert codes("PDF, HTML, PPT") == ["PDF", "HTML", "PPT"]
    assert codes("HTML and PDF/Doc") == ["HTML", "PDF", "DOC"]
    assert codes("PDF/xls/json/zip/csv/html/doc") == [
        "PDF", "XLS", "JSON", "ZIP", "CSV", "HTML", "DOC"
    ]  # fmt: skip


def test_words_that_are_not_formats_are_reported_never_guessed() -> None:
    assert codes("html and xlsx (link download)") == ["HTML", "XLSX", "?link download"]
    assert codes("pdf.  Depends on purchasing/request") == [
        "PDF",
        "?Depends on purchasing/request",
    ]
    assert codes("Available only via a user form") == ["?Available only via a user form"]
    assert codes("HTML/PDF but also a data portal offering different export formats") == [
        "HTML",
        "PDF",
        "?also a data portal offering different export formats",
    ]


def test_an_eu_file_type_uri_is_read_by_its_code() -> None:
    assert codes("http://publications.europa.eu/resource/authority/file-type/CSV") == ["CSV"]
    assert codes("http://publications.europa.eu/resource/authority/file-type/RDF_TURTLE") == [
        "RDF_TURTLE"
    ]
    unknown = "http://publications.europa.eu/resource/authority/file-type/NOPE"
    assert codes(unknown) == [f"?{unknown}"]


def test_the_media_type_is_read_when_the_format_names_nothing_known() -> None:
    assert codes("", "text/csv") == ["CSV"]
    assert codes("data file", "application/json") == ["?data file", "JSON"]
    # A known format wins over the media type (SHP resources are served as zip).
    assert codes("SHP", "application/zip") == ["SHP"]


def test_flags_follow_the_mqa_lists() -> None:
    csv, xls, html, pdf, turtle = (
        format_facts(name)[0] for name in ("CSV", "XLS", "HTML", "PDF", "ttl")
    )
    assert (csv.machine_readable, csv.non_proprietary, csv.rdf) == (True, True, False)
    assert (xls.machine_readable, xls.non_proprietary) == (True, False)
    assert (html.machine_readable, html.non_proprietary) == (False, True)
    assert (pdf.machine_readable, pdf.non_proprietary) == (False, False)
    assert turtle.rdf and turtle.code == "RDF_TURTLE"


# -- licences ------------------------------------------------------------------


def test_licences_are_matched_by_id_or_address_and_judged_by_the_open_definition() -> None:
    assert (licence_key("uk-ogl"), open_licence("uk-ogl")) == ("OGL-UK-3.0", True)
    assert licence_key("http://reference.data.gov.uk/id/open-government-licence") == "OGL-UK-3.0"
    assert licence_key("https://creativecommons.org/licenses/by/4.0/") == "CC-BY-4.0"
    assert licence_key("CC BY 4.0") == "CC-BY-4.0"
    assert licence_key("odc-odbl") == "ODbL-1.0"
    assert (licence_key("cc-by"), open_licence("cc-by")) == ("cc-by", True)
    assert (licence_key("cc-nc"), open_licence("cc-nc")) == ("cc-nc", False)
    assert open_licence("https://creativecommons.org/licenses/by-nc/4.0/") is False


def test_the_annex_licences_none_and_copyright_are_not_open_and_unknown_ones_stay_unknown() -> None:
    assert (licence_key("None"), open_licence("None")) == ("not-stated", False)
    assert (licence_key("Copyright"), open_licence("Copyright")) == ("copyright", False)
    assert (licence_key("notspecified"), open_licence("notspecified")) == ("not-stated", False)
    assert (licence_key("Mostly CC-by-NC 2.0"), open_licence("Mostly CC-by-NC 2.0")) == (None, None)
    assert (licence_key(""), open_licence("")) == (None, None)


# -- the annex -----------------------------------------------------------------


def annex_row(format: str, licence: str, access: str = Access.ONLINE) -> DatasetRecord:
    return DatasetRecord(
        identifier="row",
        title="Annual State Budget reports",
        publisher="The Ministry of Finance",
        landing_page="http://bit.ly/2XbzAAS",
        licence=licence,
        access=access,
        distributions=(DistributionRecord(format=format),) if format else (),
    )


def test_annex_rows_without_an_open_licence_get_no_star() -> None:
    mof = score(annex_row("html and xlsx (link download)", "None"))
    assert (mof.stars, mof.licence_key, mof.open_licence) == (0, "not-stated", False)
    assert mof.stars_reason == "No star: the data has no open licence."
    most = score(annex_row("PDF/xls/json/zip/csv/html/doc", "Mostly CC-by-NC 2.0"))
    assert (most.stars, most.open_licence, most.unknown_licence) == (0, None, "Mostly CC-by-NC 2.0")
    assert most.stars_reason == "No star: the licence is not known to be open."
    form = score(annex_row("Available only via a user form", "None", Access.FORM))
    assert form.stars == 0 and form.unknown_formats == ("Available only via a user form",)
    assert form.stars_reason == "No star: the data is not available on the web."


def test_the_same_rows_under_an_open_licence_get_the_stars_of_their_best_format() -> None:
    assert score(annex_row("PDF", "CC-BY-4.0")).stars == 1
    assert score(annex_row("XLS", "CC-BY-4.0")).stars == 2
    assert score(annex_row("PDF/xls/json/zip/csv/html/doc", "CC-BY-4.0")).stars == 3
    assert score(annex_row("HTML & Turtle", "CC-BY-4.0")).stars == 4
    # A dataset not yet online gets none, whatever its licence.
    assert score(annex_row("CSV", "CC-BY-4.0", Access.NOT_ONLINE)).stars == 0


def test_an_annex_row_scores_the_few_mqa_points_its_metadata_earns() -> None:
    # Ministry of Finance, "Annual State Budget reports", HTML, licence "None":
    # findability 0 (no keywords, themes, coverage); accessibility 0 (no
    # download URL, links not checked); interoperability: format given 20,
    # no media type 0, HTML is in the list 10, HTML non-proprietary 20, not
    # machine-readable 0, DCAT-AP 0 (no description, no access URL) = 50;
    # reusability: "None" states no licence 0, access rights 0, contact 0,
    # publisher 10 = 10; contextuality 0. Total 60: Bad.
    result = score(annex_row("HTML", "None"))
    assert (
        result.findability,
        result.accessibility,
        result.interoperability,
        result.reusability,
        result.contextuality,
    ) == (0, 0, 50, 10, 0)
    assert (result.points, result.band) == (60, Band.BAD)
    assert result.reasons["accessibility"] == (
        "Access URL answers: 0 of 50 (not given)",
        "Download URL given: 0 of 20 (not given)",
        "Download URL answers: 0 of 30 (not given)",
    )


# -- real CKAN records -----------------------------------------------------------

# Birmingham City Council, package "february-2018-purchase-card-transactions"
# (ckan_birmingham_1.json, results[1]), its fields copied by hand.
BIRMINGHAM_URL = (
    "https://data.birmingham.gov.uk/dataset/7cd51587-e293-4ee9-a42b-00e908c01cce/resource/"
    "53aa8a2f-aba4-4843-8f29-e38ee1f4b186/download/publish-spend-february-2018-all-directorates.xls"
)
BIRMINGHAM = DatasetRecord(
    identifier="7cd51587-e293-4ee9-a42b-00e908c01cce",
    title="February 2018 Purchase Card Transactions",
    description="Under the Code of Recommended Practice for Local Authorities on Data …",
    publisher="Birmingham City Council",
    licence="uk-ogl",
    keywords=("feb2018", "payments", "purchase card", "transparency"),
    issued=datetime.date(2018, 3, 29),
    modified=datetime.date(2018, 3, 29),
    contact_point="Nickey Parmar-Knight <Nickey.Parmar@birmingham.gov.uk>",
    distributions=(
        DistributionRecord(
            title="february-2018-purchase-card-transactions",
            format="XLS",
            access_url=BIRMINGHAM_URL,
            download_url=BIRMINGHAM_URL,
            issued=datetime.date(2018, 3, 29),
        ),
    ),
)


def test_a_birmingham_spreadsheet_under_the_ogl_gets_two_stars_and_sufficient_quality() -> None:
    # Stars: online, uk-ogl is Open Definition conformant, XLS is machine-
    # readable but proprietary: 2.
    # Findability: keywords 30 = 30. Accessibility (not checked): download URL
    # given 20 = 20. Interoperability: format 20, no media type 0, XLS in the
    # list 10, not non-proprietary 0, machine-readable 20, DCAT-AP (title,
    # description, access URL) 30 = 80. Reusability: licence 20, in the list
    # 10, no access rights 0 + 0, contact 20, publisher 10 = 60.
    # Contextuality: no rights 0, no size 0, issued 5, modified 5 = 10.
    # Total 200: Sufficient (121-220).
    result = score(BIRMINGHAM)
    assert (result.stars, result.licence_key, result.open_licence) == (2, "OGL-UK-3.0", True)
    assert (
        result.findability,
        result.accessibility,
        result.interoperability,
        result.reusability,
        result.contextuality,
    ) == (30, 20, 80, 60, 10)
    assert (result.points, result.band) == (200, Band.SUFFICIENT)


# EnviDat, package "dataset-for-canopy-scale-vpd-reduction-…"
# (ckan_envidat_1.json, results[1]), its first resource, copied by hand.
ENVIDAT_URL = (
    "https://www.envidat.ch/dataset/19c270cb-d470-4bf6-b527-90c1b44040e8/resource/"
    "0586e734-aa61-4616-8caa-ff51b3eb7219/download/file2_physiological_60min.csv"
)
ENVIDAT = DatasetRecord(
    identifier="19c270cb-d470-4bf6-b527-90c1b44040e8",
    title='Dataset for "Canopy-scale VPD reduction in a mature forest alters stomatal response'
    ' to soil drought in Pinus sylvestris L."',
    description="This is the dataset used to generate the analyses…",
    publisher="Functional Plant Ecology",
    licence="cc-by",
    keywords=(
        "ATMOSPHERIC DROUGHT",
        "DATASET",
        "PFYNWALD",
        "SCOTS PINE",
        "SOIL DROUGHT",
        "STOMATA",
        "TRANSPIRATION",
        "TREE-WATER-DEFICIT",
        "VPDROUGHT",
        "WATER POTENTIAL",
        "WHOLE-CANOPY CONDUCTANCE",
    ),
    spatial='{"type":"GeometryCollection","geometries":[{"type":"Point",'
    '"coordinates":[7.6123,46.304055]}]}',
    issued=datetime.date(2026, 7, 22),
    modified=datetime.date(2026, 8, 3),
    contact_point="Giovanni Bortolami <giovanni.bortolami@wsl.ch>",
    distributions=(
        DistributionRecord(
            title="file2_physiological_60min.csv",
            format="CSV",
            media_type="text/csv",
            access_url=ENVIDAT_URL,
            download_url=ENVIDAT_URL,
            byte_size=18360566,
            issued=datetime.date(2026, 7, 22),
            modified=datetime.date(2026, 7, 22),
        ),
    ),
)


def test_an_envidat_csv_under_cc_by_gets_three_stars_and_reachability_once_checked() -> None:
    # Stars: online, cc-by conformant, CSV machine-readable and open: 3.
    # Findability: keywords 30, spatial 20 = 50. Accessibility unchecked:
    # download URL given 20. Interoperability: 20 + 10 + 10 + 20 + 20 + 30 =
    # 110. Reusability: 20 + 10 + 0 + 0 + 20 + 10 = 60. Contextuality: size 5,
    # issued 5, modified 5 = 15. Total 255: Good. Checked and answering 200:
    # accessibility 50 + 20 + 30 = 100, total 335, still Good (221-350).
    unchecked = score(ENVIDAT)
    assert (unchecked.stars, unchecked.licence_key) == (3, "cc-by")
    assert (
        unchecked.findability,
        unchecked.accessibility,
        unchecked.interoperability,
        unchecked.reusability,
        unchecked.contextuality,
    ) == (50, 20, 110, 60, 15)
    assert (unchecked.points, unchecked.band) == (255, Band.GOOD)
    assert "Access URL answers: 0 of 50 (not checked)" in unchecked.reasons["accessibility"]
    checked = score(ENVIDAT, link_statuses=[(200, 200)])
    assert (checked.accessibility, checked.points, checked.band) == (100, 335, Band.GOOD)
    broken = score(ENVIDAT, link_statuses=[(404, None)])
    assert broken.accessibility == 20
    assert "Access URL answers: 0 of 50 (did not answer)" in broken.reasons["accessibility"]


def test_the_bands_have_the_mqa_thresholds() -> None:
    assert [band_for(p) for p in (0, 120, 121, 220, 221, 350, 351, 405)] == [
        "bad", "bad", "sufficient", "sufficient", "good", "good", "excellent", "excellent"
    ]  # fmt: skip
    assert MAX_POINTS == 405


def test_reasons_name_each_indicator_with_its_points() -> None:
    reasons = score(BIRMINGHAM).reasons
    assert reasons["findability"] == (
        "Keywords: 30 of 30",
        "Themes: 0 of 30 (not given)",
        "Spatial coverage: 0 of 20 (not given)",
        "Temporal coverage: 0 of 20 (not given)",
    )
    assert "Non-proprietary format: 0 of 20 (none)" in reasons["interoperability"]


# -- properties ------------------------------------------------------------------

FORMATS = st.sampled_from(
    ["CSV", "xls", "HTML & PDF", "text/csv", "ttl", "", "Available only via a user form", "zip"]
)
LICENCES = st.sampled_from(["", "None", "uk-ogl", "cc-nc", "Copyright", "whatever", "CC-BY-4.0"])
TEXT = st.text(max_size=20)
DATES = st.none() | st.dates(min_value=datetime.date(2000, 1, 1))
STATUS = st.none() | st.sampled_from([200, 204, 301, 404, 500])

distributions = st.builds(
    DistributionRecord,
    format=FORMATS,
    media_type=st.sampled_from(["", "text/csv", "application/pdf", "x/unknown"]),
    access_url=st.sampled_from(["", "https://example.org/a"]),
    download_url=st.sampled_from(["", "https://example.org/a.csv"]),
    byte_size=st.none() | st.integers(min_value=0, max_value=10**9),
    licence=LICENCES,
    rights=TEXT,
    issued=DATES,
    modified=DATES,
)
records = st.builds(
    DatasetRecord,
    identifier=st.just("id"),
    title=TEXT,
    description=TEXT,
    publisher=TEXT,
    landing_page=st.sampled_from(["", "https://example.org/"]),
    licence=LICENCES,
    access=st.sampled_from(list(Access)),
    access_rights=st.sampled_from(["", "public", "PUBLIC", "open to all"]),
    themes=st.lists(TEXT, max_size=3).map(tuple),
    keywords=st.lists(TEXT, max_size=3).map(tuple),
    temporal_start=DATES,
    temporal_end=DATES,
    spatial=TEXT,
    issued=DATES,
    modified=DATES,
    contact_point=TEXT,
    distributions=st.lists(distributions, max_size=3).map(tuple),
)


@given(records, st.lists(st.tuples(STATUS, STATUS), max_size=4))
def test_points_never_exceed_each_dimensions_maximum(
    record: DatasetRecord, statuses: list[tuple[int | None, int | None]]
) -> None:
    result = score(record, statuses)
    for dimension, (_label, maximum) in DIMENSIONS.items():
        assert 0 <= getattr(result, dimension) <= maximum
    assert result.points == sum(getattr(result, d) for d in DIMENSIONS) <= 405
    assert result.band == band_for(result.points)
    assert 0 <= result.stars <= 4


@given(records, st.text(min_size=1, max_size=10))
def test_adding_a_keyword_never_lowers_findability(record: DatasetRecord, keyword: str) -> None:
    more = dataclasses.replace(record, keywords=(*record.keywords, keyword))
    assert score(more).findability >= score(record).findability
    assert score(more).points >= score(record).points


def test_reasons_are_given_in_vietnamese() -> None:
    with translation.override("vi"):
        result = score(BIRMINGHAM)
        assert result.reasons["findability"][0] == "Từ khóa: 30 trên 30"
        assert result.stars_reason == "Hai sao: máy đọc được, ở định dạng độc quyền."


# -- each MQA indicator alone --------------------------------------------------
# From a record with only an identifier and a title, one property at a time:
# the indicators whose points change and their points, worked out by hand
# from the MQA's table (docs/catalogues.md).

BARE = DatasetRecord(identifier="x", title="Roads")
DAY = datetime.date(2018, 1, 15)
EU_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"


def one(**fields: object) -> DatasetRecord:
    return dataclasses.replace(BARE, distributions=(DistributionRecord(**fields),))  # type: ignore[arg-type]


def earned(record: DatasetRecord, statuses: tuple = ()) -> dict[str, int]:
    with translation.override("en"):
        return {i.label: i.points for i in score(record, statuses).indicators}


INDICATOR_CASES = [
    (dataclasses.replace(BARE, keywords=("roads",)), (), {"Keywords": 30}),
    (dataclasses.replace(BARE, themes=("TRAN",)), (), {"Themes": 30}),
    (dataclasses.replace(BARE, spatial="Hà Nội"), (), {"Spatial coverage": 20}),
    (dataclasses.replace(BARE, temporal_start=DAY), (), {"Temporal coverage": 20}),
    (dataclasses.replace(BARE, temporal_end=DAY), (), {"Temporal coverage": 20}),
    (dataclasses.replace(BARE, description="All roads."), (), {"DCAT-AP mandatory properties": 30}),
    (one(download_url="https://x.org/a.csv"), (), {"Download URL given": 20}),
    (
        one(access_url="https://x.org/", download_url="https://x.org/a.csv"),
        ((200, 404),),
        {"Access URL answers": 50, "Download URL given": 20},
    ),
    (
        one(access_url="https://x.org/", download_url="https://x.org/a.csv"),
        ((299, 200),),
        {"Access URL answers": 50, "Download URL given": 20, "Download URL answers": 30},
    ),
    (one(access_url="https://x.org/"), ((300, None),), {}),
    (
        one(format="CSV"),
        (),
        {
            "Format given": 20,
            "Format or media type from the file-type list": 10,
            "Non-proprietary format": 20,
            "Machine-readable format": 20,
        },
    ),
    (
        one(format="XLS"),
        (),
        {
            "Format given": 20,
            "Format or media type from the file-type list": 10,
            "Machine-readable format": 20,
        },
    ),
    (
        one(format="HTML"),
        (),
        {
            "Format given": 20,
            "Format or media type from the file-type list": 10,
            "Non-proprietary format": 20,
        },
    ),
    (one(format="Available via a form"), (), {"Format given": 20}),
    (one(media_type="application/x-unheard-of"), (), {"Media type given": 10}),
    (
        one(media_type="text/csv"),
        (),
        {
            "Media type given": 10,
            "Format or media type from the file-type list": 10,
            "Non-proprietary format": 20,
            "Machine-readable format": 20,
        },
    ),
    (
        dataclasses.replace(
            BARE, distributions=(DistributionRecord(format="XLS"), DistributionRecord(format="CSV"))
        ),
        (),
        {
            "Format given": 20,
            "Format or media type from the file-type list": 10,
            "Non-proprietary format": 20,
            "Machine-readable format": 20,
        },
    ),
    (
        dataclasses.replace(BARE, licence="cc-by"),
        (),
        {"Licence given": 20, "Licence from the licence list": 10},
    ),
    (one(licence="cc-by"), (), {"Licence given": 20, "Licence from the licence list": 10}),
    (dataclasses.replace(BARE, licence="Our own terms"), (), {"Licence given": 20}),
    (dataclasses.replace(BARE, licence="None"), (), {}),
    (
        dataclasses.replace(BARE, access_rights="PUBLIC"),
        (),
        {"Access rights given": 10, "Access rights from the EU vocabulary": 5},
    ),
    (
        dataclasses.replace(BARE, access_rights=EU_RIGHT + "NON_PUBLIC"),
        (),
        {"Access rights given": 10, "Access rights from the EU vocabulary": 5},
    ),
    (
        dataclasses.replace(BARE, access_rights=" non-public "),
        (),
        {"Access rights given": 10, "Access rights from the EU vocabulary": 5},
    ),
    (dataclasses.replace(BARE, access_rights="Open to all"), (), {"Access rights given": 10}),
    (dataclasses.replace(BARE, contact_point="data@mof.gov.vn"), (), {"Contact point given": 20}),
    (dataclasses.replace(BARE, publisher="Ministry of Finance"), (), {"Publisher given": 10}),
    (one(rights="Free to reuse"), (), {"Rights given": 5}),
    (one(byte_size=0), (), {"Size given": 5}),
    (dataclasses.replace(BARE, issued=DAY), (), {"Date issued given": 5}),
    (one(issued=DAY), (), {"Date issued given": 5}),
    (dataclasses.replace(BARE, modified=DAY), (), {"Date modified given": 5}),
    (one(modified=DAY), (), {"Date modified given": 5}),
]


@pytest.mark.parametrize("record, statuses, changed", INDICATOR_CASES)
def test_each_indicator_earns_its_mqa_points_for_its_own_property_alone(
    record: DatasetRecord, statuses: tuple, changed: dict[str, int]
) -> None:
    bare = earned(BARE)
    # Without a description the bare record misses even the DCAT-AP points.
    assert set(bare.values()) == {0}
    now = earned(record, statuses)
    assert {label: points for label, points in now.items() if points != bare[label]} == changed
    assert score(record, statuses).points == sum(changed.values())


def test_the_bare_record_is_bad_and_a_full_one_excellent() -> None:
    full = DatasetRecord(
        identifier="x",
        title="Roads",
        description="All roads.",
        publisher="Ministry of Transport",
        licence="cc-by",
        access_rights="PUBLIC",
        contact_point="data@mt.gov.vn",
        keywords=("roads",),
        themes=("TRAN",),
        spatial="Viet Nam",
        temporal_start=DAY,
        issued=DAY,
        modified=DAY,
        distributions=(
            DistributionRecord(
                format="CSV",
                media_type="text/csv",
                access_url="https://x.org/",
                download_url="https://x.org/roads.csv",
                rights="Free to reuse",
                byte_size=1200,
            ),
        ),
    )
    result = score(full, ((200, 200),))
    assert (result.points, result.band) == (MAX_POINTS, Band.EXCELLENT)
    assert (score(BARE).points, score(BARE).band) == (0, Band.BAD)
    assert score(full).points == MAX_POINTS - 80  # the links not checked: 50 + 30


def notes(record: DatasetRecord) -> dict[str, str]:
    """The notes other than "not given" (what an absent property says)."""
    with translation.override("en"):
        return {
            i.label: i.note for i in score(record).indicators if i.note not in ("", "not given")
        }


def test_each_indicator_without_points_says_why_and_one_with_them_says_nothing() -> None:
    # A word no list knows, no licence: every "why not" of its dimensions.
    assert notes(dataclasses.replace(one(format="Scans"), licence="Ask us")) == {
        "Format or media type from the file-type list": "not in the list",
        "Non-proprietary format": "none",
        "Machine-readable format": "none",
        "DCAT-AP mandatory properties": "a title, a description or an access URL is missing",
        "Licence from the licence list": "not in the list",
    }
    # XLS is known and machine-readable but proprietary; cc-by is on the list.
    assert notes(dataclasses.replace(one(format="XLS"), licence="cc-by")) == {
        "Non-proprietary format": "none",
        "DCAT-AP mandatory properties": "a title, a description or an access URL is missing",
    }
    # A known media type is enough for the list; no licence stated is not "not in the list".
    assert "Format or media type from the file-type list" not in notes(one(media_type="text/csv"))
    assert "Licence from the licence list" not in notes(BARE)


def test_the_licence_fields_of_a_score_are_empty_when_there_is_nothing_to_say() -> None:
    known = score(dataclasses.replace(BARE, licence="cc-by"))
    assert (known.licence_key, known.unknown_licence) == ("cc-by", "")
    unknown = score(dataclasses.replace(BARE, licence="Ask us"))
    assert (unknown.licence_key, unknown.unknown_licence) == ("", "Ask us")
    assert (score(BARE).licence_key, score(BARE).unknown_licence) == ("", "")
