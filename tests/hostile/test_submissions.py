"""Hostile exports of field submissions (KoboToolbox, ODK Central): each is
refused with InvalidInput naming the file and the place (line, row or
submission, and field), quickly, without a traceback, and nothing is added;
through the service, the web, the API and a real `readiness` process."""

import io
import json
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from openpyxl import Workbook

from readiness.assessments.models import Assessment
from readiness.core import text
from readiness.core.errors import InvalidInput
from readiness.fieldwork.services.submissions import import_submissions, read_upload
from readiness.fieldwork.submissions import MAX_COLUMNS, MAX_SUBMISSION_BYTES
from tests.conftest import client_for
from tests.hostile.conftest import assert_refused, rows_unchanged, run_readiness

HEADER = "KEY,framework,organisation,d_1-q_1.1,d_1-e_1.1"


def odk(*rows: str) -> bytes:
    """An ODK Central CSV export: the header, then each row as written."""
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode()


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet_part(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as changed:
        for part in source.infolist():
            content = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            changed.writestr(part.filename, content)
    return out.getvalue()


GOOD_ROW = ["uuid:a", "dgra 2018", "MIC", "green", "Said so"]
WORKBOOK_HEADER = HEADER.split(",")

HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    # name: (the file, text the error must contain)
    "deep JSON nesting": (
        lambda: b'{"value": [{"__id": "a", "g": ' + b"[" * 200 + b"]" * 200 + b"}]}",
        "nested deeper than",
    ),
    "broken JSON": (lambda: b'{"value": [{"__id": "a"},', "not valid JSON"),
    "NaN in JSON": (
        lambda: b'[{"__id": "a", "d_1": {"q_1.1": NaN}}]',
        "not a finite number: NaN",
    ),
    "results that are not a list": (
        lambda: b'{"results": 5}',
        "a list of submissions under “results” or “value” is expected",
    ),
    "a submission that is a number": (
        lambda: b'{"value": [5]}',
        "value[0]: a submission must be an object",
    ),
    "not UTF-8": (
        lambda: odk("uuid:a,dgra 2018,café,,").replace("é".encode(), b"\xe9"),
        "not UTF-8 text",
    ),
    "UTF-16": (lambda: odk("uuid:a,dgra 2018,MIC,,").decode().encode("utf-16"), "is UTF-16 text"),
    "a broken quote": (lambda: odk('uuid:a,"dgra" 2018,MIC,,'), "line 2: not readable as CSV"),
    "NUL in the notes": (
        lambda: odk("uuid:a,dgra 2018,MIC,,Bud\x00get"),
        "line 2, d_1-e_1.1: must not contain the control character U+0000",
    ),
    "an escape in the organisation": (
        lambda: odk("uuid:a,dgra 2018,\x1b[31mMIC,,"),
        "line 2, organisation: must not contain the control character U+001B",
    ),
    "NUL in the instance id": (
        lambda: odk("uuid:a\x00b,dgra 2018,MIC,,"),
        "line 2, key: must not contain the control character U+0000",
    ),
    "an instance id of 400 characters": (
        lambda: odk("uuid:" + "a" * 400 + ",dgra 2018,MIC,,"),
        f"line 2, key: at most {text.NAME} characters",
    ),
    "notes over the limit": (
        lambda: odk("uuid:a,dgra 2018,MIC,," + "x" * (text.LONG + 1)),
        f"line 2, d_1-e_1.1: at most {text.LONG} characters",
    ),
    "a column twice": (
        lambda: b"KEY,framework,framework\r\nuuid:a,dgra 2018,dgra 2018\r\n",
        "line 1: the column framework appears twice",
    ),
    "too many columns": (
        lambda: (",".join(["KEY"] + [f"c{n}" for n in range(MAX_COLUMNS)]) + "\r\n").encode(),
        f"line 1: more than {MAX_COLUMNS} columns",
    ),
    "no instance id column": (
        lambda: b"name,framework\r\nx,dgra 2018\r\n",
        "no column with the submissions' instance ids",
    ),
    "an empty instance id": (
        lambda: odk(",dgra 2018,MIC,,"),
        "line 2, key: the instance id is missing",
    ),
    "the same submission twice": (
        lambda: odk("uuid:a,dgra 2018,MIC,,", "uuid:a,dgra 2018,MIC,,"),
        "line 3, key: the same submission as line 2",
    ),
    "a framework the assessment does not use": (
        lambda: odk("uuid:a,iso 27001,MIC,,"),
        "line 2, framework: 'iso 27001' is not a framework of this assessment",
    ),
    "a formula cell": (
        lambda: workbook([WORKBOOK_HEADER, ["uuid:a", "dgra 2018", '=HYPERLINK("x")', "", ""]]),
        "Sheet!C2: a formula",
    ),
    "an entity bomb in the workbook": (
        lambda: with_sheet_part(
            workbook([WORKBOOK_HEADER, GOOD_ROW]),
            lambda xml: b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;">]>' + xml,
        ),
        "xl/worksheets/sheet1.xml: declares a DTD or XML entities",
    ),
    "a zip bomb": (
        lambda: with_sheet_part(
            workbook([WORKBOOK_HEADER, GOOD_ROW]),
            lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + b" " * 40_000_000),
        ),
        "(a zip bomb?)",
    ),
    "a zip that is no workbook": (
        lambda: zip_of({"notes.txt": b"hello"}),
        "not an XLSX workbook",
    ),
}


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_export_is_refused_naming_the_place(demo: Assessment, lead: User, name: str):
    make, expected = HOSTILE[name]
    data = make()
    started = time.monotonic()
    with rows_unchanged(), pytest.raises(InvalidInput) as refused:
        import_submissions(actor=lead, assessment=demo, data=data, source="hostile.csv")
    assert time.monotonic() - started < 5
    message = str(refused.value)
    assert message.startswith("hostile.csv: ") and expected in message
    assert "Traceback" not in message and "aaaaaaaaaa" not in message


def test_more_submissions_than_the_limit_are_refused_in_each_format(
    demo: Assessment, lead: User, monkeypatch: pytest.MonkeyPatch
):
    # The real limit (1,000) is the same rule, reached with more rows.
    monkeypatch.setattr("readiness.fieldwork.submissions.MAX_SUBMISSIONS", 3)
    rows = [f"uuid:{n},dgra 2018,MIC,," for n in range(4)]
    items = [{"__id": str(n), "framework": "dgra 2018"} for n in range(4)]
    with rows_unchanged():
        with pytest.raises(InvalidInput, match="line 5: at most 3 rows in one file"):
            import_submissions(actor=lead, assessment=demo, data=odk(*rows), source="s.csv")
        with pytest.raises(InvalidInput, match="value: at most 3 submissions in one file"):
            data = json.dumps({"value": items}).encode()
            import_submissions(actor=lead, assessment=demo, data=data, source="s.json")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    stream = io.BytesIO(b" " * (MAX_SUBMISSION_BYTES + 10))
    with pytest.raises(InvalidInput, match=r"big\.csv: larger than 20 MiB"):
        read_upload(stream, "big.csv")
    assert stream.tell() == MAX_SUBMISSION_BYTES + 1  # read no further than the limit


def upload(data: bytes, name: str) -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


@pytest.mark.parametrize("name", ["NUL in the notes", "a zip bomb", "deep JSON nesting"])
def test_the_web_and_the_api_answer_422_and_add_nothing(demo: Assessment, lead: User, name: str):
    make, expected = HOSTILE[name]
    client = client_for(lead)
    with rows_unchanged():
        api = client.post(
            "/api/v1/assessments/vietnam-2019/submissions", {"file": upload(make(), "h.csv")}
        )
        web = client.post(
            "/assessments/vietnam-2019/submissions/import/", {"file": upload(make(), "h.csv")}
        )
    assert api.status_code == 422 and expected in api.json()["message"]
    assert web.status_code == 422
    assert expected.replace("'", "&#x27;") in web.content.decode()


@pytest.fixture(scope="module")
def demo_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the demo assessment, for `readiness` in its own process."""
    var_dir = tmp_path_factory.mktemp("submissions-var")
    for command in (["migrate", "--noinput", "-v", "0"], ["demo"]):
        result = run_readiness(var_dir, *command, timeout=300)
        assert result.returncode == 0, result.stderr
    return var_dir


@pytest.mark.parametrize("name", ["NUL in the instance id", "an entity bomb in the workbook"])
def test_the_readiness_command_prints_the_error_without_a_traceback(
    demo_var: Path, tmp_path: Path, name: str
):
    make, expected = HOSTILE[name]
    path = tmp_path / "hostile.csv"
    path.write_bytes(make())
    result = run_readiness(demo_var, "fieldwork", "import", "vietnam-2019", str(path))
    # The file is named as the import records it: by its name.
    assert_refused(result, f"nothing was changed: hostile.csv: {expected}")


def test_a_file_full_of_mistakes_is_reported_by_its_first_twenty(demo: Assessment, lead: User):
    rows = [f"uuid:{n},dgra 2018,MIC,purple," for n in range(200)]
    with rows_unchanged(), pytest.raises(InvalidInput) as refused:
        import_submissions(actor=lead, assessment=demo, data=odk(*rows), source="s.csv")
    places = [error.path for error in refused.value.errors]
    assert places == [f"line {n}, d_1-q_1.1" for n in range(2, 22)]
