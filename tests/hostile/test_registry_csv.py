"""Hostile CSV for the organisations register: every file is refused with an
error naming the file and the line (and column where there is one), nothing
is stored, the API and the web answer 422 and the CLI one error without a
traceback. Text stored in the register never leaves an export as a formula."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from readiness.core.errors import InvalidInput
from readiness.registry import services
from readiness.registry.models import Organisation
from tests.conftest import client_for
from tests.hostile.conftest import assert_refused, rows_unchanged, run_readiness

pytestmark = pytest.mark.django_db
HEADER = "abbreviation,abbreviation_vi,name_en,name_vi,kind,jurisdiction,parent,aliases,version\r\n"
GOOD = "MoX,,Ministry of Experiments,Bộ Thử nghiệm,ministry,VN,,,\r\n"


def rows(*lines: str) -> bytes:
    return (HEADER + "".join(lines)).encode("utf-8")


HOSTILE: dict[str, tuple[bytes, str, str]] = {
    # name: (file, where the error points, what it says)
    "larger than the limit": (b"a" * (services.MAX_CSV_BYTES + 1), "", "larger than the limit"),
    "too many rows": (
        rows(*(f"M{i},,N{i},T{i},other,VN,,,\r\n" for i in range(services.MAX_CSV_ROWS + 1))),
        f"line {services.MAX_CSV_ROWS + 2}",
        "at most 5000 rows",
    ),
    "UTF-16": ("\ufeff".encode("utf-16-le") + HEADER.encode("utf-16-le"), "", "UTF-16"),
    "not UTF-8": (
        HEADER.encode() + b"MoX,,X,\xff,ministry,VN,,,\r\n",
        "byte 94 (line 2)",  # the header is 87 bytes, then "MoX,,X,"
        "not UTF-8",
    ),
    "empty": (b"", "line 1", "empty"),
    "a column missing": (b"abbreviation,name_en,name_vi,kind\r\nMoX,X,Y,other\r\n", "line 1", ""),
    "a column twice": (
        (HEADER.rstrip() + ",kind\r\n" + GOOD.rstrip() + ",other\r\n").encode(),
        "line 1",
        "",
    ),
    "an unknown column": (
        (HEADER.rstrip() + ",secret\r\n" + GOOD.rstrip() + ",x\r\n").encode(),
        "line 1",
        "",
    ),
    "too few values": (rows("MoX,,X,Y,ministry\r\n"), "line 2", "5 values"),
    "a broken quote": (rows('MoX,,"Experi"ments,Y,ministry,VN,,,\r\n'), "line 2", "CSV"),
    "an unterminated quote": (rows('MoX,,"Experiments\r\n'), "line 2", "CSV"),
    "NUL in a name": (
        rows("MoX,,Mini\x00stry,Y,ministry,VN,,,\r\n"),
        "line 2, column name_en",
        "U+0000",
    ),
    "escape in an alias": (
        rows("MoX,,X,Y,ministry,VN,,a\x1bb,\r\n"),
        "line 2, column aliases",
        "U+001B",
    ),
    "an overlong name": (
        rows(f"MoX,,X,{'ậ' * 301},ministry,VN,,,\r\n"),
        "line 2, column name_vi",
        "",
    ),
    "an empty name": (rows("MoX,,X,  ,ministry,VN,,,\r\n"), "line 2, column name_vi", "empty"),
    "a formula as acronym": (
        rows("=1+1,,X,Y,ministry,VN,,,\r\n"),
        "line 2, column abbreviation",
        "",
    ),
    "an unknown type": (rows("MoX,,X,Y,church,VN,,,\r\n"), "line 2, column kind", ""),
    "another country": (
        rows("MoX,,X,Y,ministry,TH-10,,,\r\n"),
        "line 2, column jurisdiction",
        "TH-10",
    ),
    "an unknown parent": (
        rows("MoX,,X,Y,ministry,VN,NOBODY,,\r\n"),
        "line 2, column parent",
        "NOBODY",
    ),
    "a parent cycle": (
        rows("MoX,,X,Y,ministry,VN,MoY,,\r\n", "MoY,,Y,Z,ministry,VN,MoX,,\r\n"),
        "line 2, column parent",
        "part of itself",
    ),
    "the same acronym twice": (rows(GOOD, GOOD), "line 3, column abbreviation", "line 2"),
    "a version for a new entry": (
        rows("MoX,,X,Y,ministry,VN,,,7\r\n"),
        "line 2, column version",
        "not in the register",
    ),
    "a version that is no number": (
        rows("MoX,,X,Y,ministry,VN,,,1e9\r\n"),
        "line 2, column version",
        "whole number",
    ),
    "a good row, then a bad one": (rows(GOOD, "MoY,,X,Y,,VN,,,\r\n"), "line 3, column kind", ""),
}


@pytest.fixture
def admin() -> User:
    return User.objects.create_superuser(username="admin", password="x")


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_register_file_is_refused_naming_the_place(demo, name: str) -> None:  # type: ignore[no-untyped-def]
    data, where, says = HOSTILE[name]
    with rows_unchanged(), pytest.raises(InvalidInput) as refused:
        services.import_csv(None, "VN", data, "register.csv")
    assert refused.value.source == "register.csv"
    assert any(e.path.startswith(where) and says in e.message for e in refused.value.errors), [
        str(e) for e in refused.value.errors
    ]


@pytest.mark.parametrize("name", ["NUL in a name", "a broken quote", "larger than the limit"])
def test_the_api_and_the_web_answer_422_and_store_nothing(demo, admin, name: str) -> None:  # type: ignore[no-untyped-def]
    data, where, says = HOSTILE[name]
    client = client_for(admin)
    with rows_unchanged():
        upload = io.BytesIO(data)
        upload.name = "register.csv"
        api = client.post("/api/v1/organisations/VN/import.csv", {"file": upload})
        upload = io.BytesIO(data)
        upload.name = "register.csv"
        web = client.post("/registry/organisations/VN/import/", {"file": upload})
    assert api.status_code == 422
    assert says in api.json()["message"] and api.json()["errors"][0]["path"].startswith(where)
    assert web.status_code == 422 and "register.csv" in web.content.decode()


def test_the_cli_refuses_a_hostile_file_with_one_error(migrated_var: Path, tmp_path: Path) -> None:
    data = HOSTILE["escape in an alias"][0]
    path = tmp_path / "register.csv"
    path.write_bytes(data)
    result = run_readiness(migrated_var, "registry", "import-csv", "VN", str(path))
    assert_refused(result, f"{path}: line 2, column aliases", "U+001B")


def test_register_text_never_leaves_an_export_as_a_formula(demo, admin) -> None:  # type: ignore[no-untyped-def]
    services.create_organisation(
        admin,
        "VN",
        {
            "abbreviation": "MoX",
            "name": {"en": '=HYPERLINK("http://evil.example")', "vi": "+1-2"},
            "kind": "other",
            "aliases": ["@SUM(A1)", "-3"],
        },
    )
    exported = client_for(admin).get("/api/v1/organisations/VN/export.csv").content.decode()
    [row] = [r for r in csv.reader(io.StringIO(exported)) if r[0] == "MoX"]
    assert row[2:4] == ['\'=HYPERLINK("http://evil.example")', "'+1-2"]
    assert row[7] == "'@SUM(A1); -3"
    assert Organisation.objects.get(abbreviation="MoX").name["vi"] == "+1-2"  # stored as typed
