"""Hostile catalogue files, read through `read_catalogue`: each is refused
with InvalidInput naming the file and the place (record and field, line and
column, byte), quickly, without a traceback; unknown values are warnings."""

import io
import json
import time
import zipfile

import pytest
from openpyxl import Workbook

from readiness.catalogues.readers import read_catalogue
from readiness.catalogues.records import TABLE_SHEET
from readiness.core.errors import InvalidInput
from readiness.core.readers import MAX_DEPTH


def ckan(*packages) -> bytes:
    return json.dumps({"success": True, "result": {"count": 1, "results": list(packages)}}).encode()


def package(**fields) -> dict:
    return {"id": "abc", "title": "Budget", **fields}


def refused(data: bytes, filename: str = "hostile.json") -> str:
    started = time.monotonic()
    with pytest.raises(InvalidInput) as caught:
        list(read_catalogue(data, filename).records)
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert message.startswith(filename + ": ")
    assert "Traceback" not in message
    return message


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
 <dcat:Dataset rdf:about="https://example.org/d"><dct:title>&c;</dct:title></dcat:Dataset>
</rdf:RDF>"""

RDF_HEAD = (
    '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">'
)


HOSTILE = {
    # name: (file, text the error must contain)
    "deep nesting": (
        b'{"result": [{"id": "a", "title": "T", "extras": ' + b"[" * 200 + b"]" * 200 + b"}]}",
        f"record 1: nested deeper than {MAX_DEPTH} levels",
    ),
    "huge title": (
        ckan(package(title="x" * 2_000_000)),
        'record 1 (id "abc"), title: at most 300 characters',
    ),
    "NUL in a title": (ckan(package(title="Bud\u0000get")), "title: must not contain"),
    "escape in a resource url": (
        ckan(package(resources=[{"url": "https://x.org/\u001b[31m"}])),
        'record 1 (id "abc"), resources[0].url: must not contain the control character U+001B',
    ),
    "not UTF-8": (
        b'[{"id": "a", "title": "caf\xe9"}]',
        "byte 26: not UTF-8",
    ),  # the é follows 26 bytes
    "UTF-16": ('[{"id": "a"}]'.encode("utf-16"), "UTF-16"),
    "resources as a string": (
        ckan(package(id="ok"), package(resources="http://x.org/a.csv")),
        'record 2 (id "abc"), resources: must be a list of resources',
    ),
    "a resource that is a number": (
        ckan(package(resources=[{"format": "CSV"}, 5])),
        'record 1 (id "abc"), resources[1]: a resource must be an object',
    ),
    "title as a number": (ckan(package(title=5)), "title: must be a text, not int"),
    "null title": (ckan(package(title=None)), 'record 1 (id "abc"), title: must not be empty'),
    "no id or name": (ckan({"title": "T"}), 'record 1 (id ""), id: must not be empty'),
    "a package that is a list": (ckan([1, 2]), "record 1: a package must be an object"),
    "broken JSON": (b'{"result": [{"id": "a", "title": "T"},', "not valid JSON"),
    "NaN": (b'[{"id": "a", "title": "T", "size": NaN}]', "not valid JSON"),
    "no result": (b'{"success": false, "error": {"message": "no"}}', 'has no "result"'),
    "scalar": (b'"just text"', "not a catalogue we can read"),
    "empty": (b"", "not a catalogue we can read"),
    "billion laughs in RDF/XML": (BILLION_LAUGHS, "line 2: declares a DTD or XML entities"),
    "external entity in RDF/XML": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + RDF_HEAD.encode()
        + b"</rdf:RDF>",
        "declares a DTD or XML entities",
    ),
    "broken Turtle": (b"@prefix dct: <http://purl.org/dc/terms/> .\n<a> dct:title ", "Turtle"),
    "DCAT dataset without a title": (
        (RDF_HEAD + '<dcat:Dataset rdf:about="https://example.org/d"/></rdf:RDF>').encode(),
        "dataset 1 (https://example.org/d), dct:title: must not be empty",
    ),
    "remote JSON-LD context": (
        b'{"@context": "https://example.org/context.jsonld", "@id": "x"}',
        "would be fetched from the network",
    ),
    "CSV without a title column": (b"identifier,name\r\na,b\r\n", "line 1: the header must name"),
    "CSV with a broken quote": (
        b'identifier,title\r\na,"Bud"get\r\n',
        "line 2: not readable as CSV",
    ),
    "CSV with NUL": (b"identifier,title\r\na,Bud\x00get\r\n", "line 2, column title: must not"),
    "CSV with an unknown recommendation": (
        b"identifier,title,recommendation\r\na,T,publish now\r\n",
        "line 2, column recommendation: 'publish now' is not one of",
    ),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_catalogue_is_refused_naming_the_place(name):
    data, expected = HOSTILE[name]
    assert expected in refused(data)


def test_too_many_records_are_refused_at_the_first_one_past_the_limit(monkeypatch):
    # The real limit (MAX_DATASETS) takes 200,000 records to reach; the rule is the same.
    monkeypatch.setattr("readiness.catalogues.readers.ckan.MAX_DATASETS", 100)
    one = b'{"id":"a","title":"T"}'
    data = b"[" + b",".join([one] * 101) + b"]"
    assert "record 101: more than 100 datasets in one file" in refused(data)


def test_rtl_override_is_kept_as_text():
    title = "\u202eRTL override\u202c and \u2067isolate\u2069"
    (record,) = read_catalogue(ckan(package(title=title)), "rtl.json").records
    assert record.title == title


def test_a_javascript_link_is_left_out_with_a_warning():
    result = read_catalogue(ckan(package(url="javascript:alert(1)")), "x.json")
    (record,) = result.records
    assert record.landing_page == ""
    assert result.warnings[0].startswith("record 1 (id \"abc\"), url: 'javascript:alert(1)'")


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = TABLE_SHEET
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_formula_cell_in_an_xlsx_inventory_is_refused_with_its_cell():
    data = workbook([["identifier", "title"], ["a", '=HYPERLINK("http://x")']])
    assert f"{TABLE_SHEET}!B2: a formula" in refused(data, "inventory.xlsx")


def test_an_entity_bomb_inside_an_xlsx_inventory_is_refused_with_its_part():
    data = workbook([["identifier", "title"], ["a", "T"]])
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as bombed:
        for part in source.infolist():
            content = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                content = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;">]>' + content
            bombed.writestr(part, content)
    message = refused(out.getvalue(), "inventory.xlsx")
    assert "xl/worksheets/sheet1.xml: declares a DTD or XML entities" in message


def test_an_unknown_column_is_a_warning():
    result = read_catalogue(b"identifier,title,secret\r\na,T,x\r\n", "inventory.csv")
    assert [r.title for r in result.records] == ["T"]
    assert result.warnings[0].startswith("line 1: the column 'secret' is not read")
