"""The registers: jurisdictions from ISO 3166 in both languages, a country's
organisations register (owners add, edit and delete; history and versions;
search in both languages, with or without diacritics; CSV round trip) and
its doors (API, CLI, web), and the subject of an assessment picked from the
Jurisdiction register."""

import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError

from readiness.assessments import services as assessment_services
from readiness.core.errors import EditConflict, Forbidden, InvalidInput, WrongState
from readiness.frameworks.models import Framework
from readiness.registry import services
from readiness.registry.models import Jurisdiction, Organisation, RegisterChange
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NEWCOMER: dict[str, Any] = {
    "abbreviation": "MoX",
    "abbreviation_vi": "BTN",
    "name": {"en": "Ministry of Experiments", "vi": "Bộ Thử nghiệm"},
    "kind": "ministry",
    "aliases": ["Experiments Ministry"],
}


@pytest.fixture
def owner() -> User:
    """A user given the register permission (no role on any assessment)."""
    user = User.objects.create_user(username="registrar", password="x")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="registry", codename="add_organisation")
    )
    return user


def abbreviations(rows: Any) -> list[str]:
    return [o.abbreviation for o in rows]


# --- jurisdictions --------------------------------------------------------------------


def test_the_iso_list_is_loaded_with_english_and_vietnamese_names(demo) -> None:  # type: ignore[no-untyped-def]
    viet_nam = Jurisdiction.objects.get(code="VN")
    assert (viet_nam.level, viet_nam.name) == ("country", {"en": "Viet Nam", "vi": "Việt Nam"})
    assert Jurisdiction.objects.get(code="DE").name == {"en": "Germany", "vi": "Đức"}
    hanoi = Jurisdiction.objects.get(code="VN-HN")
    assert (hanoi.level, hanoi.parent, hanoi.subdivision_type) == (
        "subdivision",
        viet_nam,
        "Municipality",
    )
    assert Jurisdiction.objects.filter(level="country").count() == 249
    assert Jurisdiction.objects.filter(parent=viet_nam).count() == 63


def test_loading_the_iso_list_again_changes_nothing(demo) -> None:  # type: ignore[no-untyped-def]
    from readiness.registry.jurisdictions import sync_jurisdictions

    assert sync_jurisdictions() == 0


def test_jurisdictions_are_found_by_name_in_either_language_without_diacritics(demo) -> None:  # type: ignore[no-untyped-def]
    assert [j.code for j in services.search_jurisdictions("ha noi", country="VN")] == ["VN-HN"]
    assert [j.code for j in services.search_jurisdictions("đức", level="country")] == ["DE"]
    assert "VN" in [j.code for j in services.search_jurisdictions("viet nam", level="country")]


def test_the_subject_of_an_assessment_comes_from_the_jurisdiction_register(demo) -> None:  # type: ignore[no-untyped-def]
    dgra = [Framework.objects.get(key="dgra")]
    created = assessment_services.create_assessment(
        actor=None,
        slug="hanoi",
        title="Hanoi",
        subject_kind="subdivision",
        subject_code="vn-hn",
        frameworks=dgra,
    )
    assert created.subject_code == "VN-HN"
    for kind, code, message in [
        ("subdivision", "VN-XX", "VN-XX is not an ISO 3166-2 subdivision code"),
        ("country", "VN-HN", "VN-HN is not an ISO 3166-1 alpha-2 country code"),
        ("country", "ZZ", "ZZ is not an ISO 3166-1 alpha-2 country code"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            assessment_services.create_assessment(
                actor=None,
                slug="refused",
                title="Refused",
                subject_kind=kind,
                subject_code=code,
                frameworks=dgra,
            )
        assert [(e.path, e.message) for e in refused.value.errors] == [("subject_code", message)]


# --- the organisations register ----------------------------------------------------------


def test_the_demo_register_holds_the_plans_organisations_in_both_languages(demo) -> None:  # type: ignore[no-untyped-def]
    mic = Organisation.objects.get(country_code="VN", abbreviation="MIC")
    assert (mic.abbreviation_vi, mic.name["vi"], mic.kind) == (
        "BTTTT",
        "Bộ Thông tin và Truyền thông",
        "ministry",
    )
    assert Organisation.objects.get(abbreviation="APCA").parent.abbreviation == "OoG"
    assert Organisation.objects.get(abbreviation="HN-DIC").jurisdiction.code == "VN-HN"
    assert Organisation.objects.get(abbreviation="WB").kind == "development_partner"
    named_by_plans = set(
        Organisation.objects.filter(responsible_for__isnull=False).values_list(
            "abbreviation", flat=True
        )
    )
    assert named_by_plans == {"DGA", "MIC", "MoET", "ODCTO", "ODTF", "OPM", "OoG", "SRMAD"}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Bộ Tài chính", ["MoF"]),
        ("bo tai chinh", ["MoF"]),
        ("BO TAI CHINH", ["MoF"]),
        ("giao duc dao tao", ["MoET"]),  # đ typed as d
        ("BGDĐT", ["MoET"]),  # the Vietnamese acronym
        ("bgddt", ["MoET"]),
        ("MoE", ["MoET"]),  # an alias: the report prints "MoE"
        ("finance", ["MoF"]),
        ("thong tin truyen thong ha noi", ["HN-DIC"]),
    ],
)
def test_the_register_is_searched_in_both_languages_with_or_without_diacritics(
    demo, query: str, found: list[str]
) -> None:  # type: ignore[no-untyped-def]
    assert abbreviations(services.search_organisations("VN", query)) == found


def test_a_register_owner_adds_changes_and_deletes_with_history_and_versions(demo, owner) -> None:  # type: ignore[no-untyped-def]
    created = services.create_organisation(owner, "VN", NEWCOMER)
    assert (created.jurisdiction.code, created.version) == ("VN", 1)
    changed = services.update_organisation(
        owner, "VN", "MoX", {**NEWCOMER, "jurisdiction": "VN-HN", "parent": "MIC"}, 1
    )
    assert (changed.jurisdiction.code, changed.parent.abbreviation, changed.version) == (
        "VN-HN",
        "MIC",
        2,
    )
    with pytest.raises(EditConflict) as stale:
        services.update_organisation(owner, "VN", "MoX", NEWCOMER, 1)
    assert stale.value.current_version == 2 and stale.value.current["parent"] == "MIC"
    services.delete_organisation(owner, "VN", "MoX", 2)
    assert not Organisation.objects.filter(abbreviation="MoX").exists()
    history = RegisterChange.objects.filter(entity="organisation", entity_id=created.pk)
    assert [(c.action, c.actor) for c in history] == [
        ("create", owner),
        ("update", owner),
        ("delete", owner),
    ]
    assert history[1].before["jurisdiction"] == "VN" and history[1].after["jurisdiction"] == "VN-HN"
    assert history[2].before["abbreviation"] == "MoX" and history[2].after is None


def test_only_register_owners_change_the_register(demo, lead, outsider) -> None:  # type: ignore[no-untyped-def]
    for user in (lead, outsider):
        with pytest.raises(Forbidden):
            services.create_organisation(user, "VN", NEWCOMER)
        with pytest.raises(Forbidden):
            services.update_organisation(user, "VN", "MIC", NEWCOMER, 1)
        with pytest.raises(Forbidden):
            services.delete_organisation(user, "VN", "ODTT", 1)
    assert not Organisation.objects.filter(abbreviation="MoX").exists()
    assert Organisation.objects.filter(abbreviation="ODTT").exists()


def test_an_organisation_that_actions_name_is_not_deleted(demo, owner) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WrongState, match="MIC is still named"):
        services.delete_organisation(owner, "VN", "MIC", 1)
    with pytest.raises(WrongState, match="OoG is still named"):  # APCA is part of it
        services.delete_organisation(owner, "VN", "OoG", 1)
    assert Organisation.objects.filter(abbreviation__in=["MIC", "OoG"]).count() == 2


def test_an_entry_names_a_jurisdiction_of_its_country_and_an_existing_parent(demo, owner) -> None:  # type: ignore[no-untyped-def]
    for change, path in [
        ({"jurisdiction": "TH"}, "jurisdiction"),
        ({"jurisdiction": "TH-10"}, "jurisdiction"),
        ({"parent": "NOBODY"}, "parent"),
        ({"abbreviation": "MIC"}, "abbreviation"),  # taken
        ({"abbreviation": "Mo X"}, "abbreviation"),  # not a key
        ({"kind": "church"}, "kind"),
        ({"name": {"en": "Only English", "vi": "  "}}, "name.vi"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            services.create_organisation(owner, "VN", {**NEWCOMER, **change})
        assert [e.path for e in refused.value.errors] == [path], change
    assert not Organisation.objects.filter(name__en="Ministry of Experiments").exists()


def test_an_organisation_cannot_become_part_of_its_own_unit(demo, owner) -> None:  # type: ignore[no-untyped-def]
    oog = services.snapshot(services.get_organisation("VN", "OoG"))
    with pytest.raises(InvalidInput) as refused:
        services.update_organisation(owner, "VN", "OoG", {**entry(oog), "parent": "APCA"}, 1)
    assert [e.path for e in refused.value.errors] == ["parent"]


def entry(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in snapshot.items() if k not in {"country", "version"}}


def test_the_register_goes_out_as_csv_and_comes_back_unchanged(demo, owner) -> None:  # type: ignore[no-untyped-def]
    exported = services.export_csv("VN")
    assert exported.splitlines()[0] == (
        "abbreviation,abbreviation_vi,name_en,name_vi,kind,jurisdiction,parent,aliases,version"
    )
    assert "MoET,BGDĐT,Ministry of Education and Training,Bộ Giáo dục và Đào tạo," in exported
    result = services.import_csv(owner, "VN", exported.encode("utf-8"), "register.csv")
    # The demo's 38, and 14 that its missions met (readiness/demo/missions-VN-2019.yaml).
    assert (result.created, result.updated, result.unchanged) == (0, 0, 38 + 14)
    edited = exported.replace("Bộ Tài chính", "Bộ Tài Chính (mới)") + (
        "MoX,BTN,Ministry of Experiments,Bộ Thử nghiệm,ministry,VN-HN,MoF,,\r\n"
    )
    result = services.import_csv(owner, "VN", edited.encode("utf-8"), "register.csv")
    assert (result.created, result.updated, result.unchanged) == (1, 1, 38 + 14 - 1)
    mof = Organisation.objects.get(abbreviation="MoF")
    assert (mof.name["vi"], mof.version) == ("Bộ Tài Chính (mới)", 2)
    assert Organisation.objects.get(abbreviation="MoX").parent == mof
    # The file is now stale for MoF: all or nothing, naming the line.
    with pytest.raises(InvalidInput) as refused:
        services.import_csv(owner, "VN", edited.encode("utf-8"), "register.csv")
    stale, added = refused.value.errors
    assert stale.path.endswith("column version") and "MoF" in stale.message
    # After the header and the 52 organisations.
    assert added.path == "line 54, column version" and "MoX" in added.message
    assert Organisation.objects.get(abbreviation="MoF").version == 2


# --- doors ----------------------------------------------------------------------------


def test_the_api_lists_searches_adds_changes_and_deletes(demo, owner, outsider) -> None:  # type: ignore[no-untyped-def]
    reader, writer = client_for(outsider), client_for(owner)
    found = reader.get("/api/v1/organisations/VN", {"q": "bo cong an"}).json()["results"]
    # The phrase first; then the others whose words start so ("and", "công").
    assert [o["abbreviation"] for o in found] == ["MoPS", "MoIT", "MoST"]
    assert found[0]["name"] == {"en": "Ministry of Public Security", "vi": "Bộ Công an"}
    body = json.dumps(NEWCOMER)
    assert reader.post("/api/v1/organisations/VN", body, "application/json").status_code == 403
    added = writer.post("/api/v1/organisations/VN", body, "application/json")
    assert added.status_code == 201 and added.json()["version"] == 1
    change = json.dumps({**NEWCOMER, "abbreviation_vi": "BTNG", "version": 1})
    changed = writer.put("/api/v1/organisations/VN/MoX", change, "application/json")
    assert changed.status_code == 200 and changed.json()["abbreviation_vi"] == "BTNG"
    stale = writer.put("/api/v1/organisations/VN/MoX", change, "application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert reader.get("/api/v1/organisations/VN/MoX").json()["version"] == 2
    assert writer.delete("/api/v1/organisations/VN/MIC?version=1").status_code == 409
    assert writer.delete("/api/v1/organisations/VN/MoX?version=2").status_code == 204
    assert reader.get("/api/v1/organisations/VN/MoX").status_code == 404


def test_the_api_exports_and_imports_csv(demo, owner) -> None:  # type: ignore[no-untyped-def]
    client = client_for(owner)
    exported = client.get("/api/v1/organisations/VN/export.csv")
    assert exported["Content-Type"].startswith("text/csv")
    upload = io.BytesIO(exported.content)
    upload.name = "register.csv"
    imported = client.post("/api/v1/organisations/VN/import.csv", {"file": upload})
    assert imported.json() == {"created": 0, "updated": 0, "unchanged": 38 + 14}


def test_the_api_lists_jurisdictions(demo, outsider) -> None:  # type: ignore[no-untyped-def]
    client = client_for(outsider)
    [hanoi] = client.get("/api/v1/jurisdictions", {"q": "ha noi", "country": "VN"}).json()[
        "results"
    ]
    assert hanoi == {
        "code": "VN-HN",
        "level": "subdivision",
        "name": {"en": "Hà Nội", "vi": "Hà Nội"},
        "subdivision_type": "Municipality",
        "parent": "VN",
        "valid_until": None,
    }
    assert client.get("/api/v1/jurisdictions/VN").json()["name"]["vi"] == "Việt Nam"
    assert client.get("/api/v1/jurisdictions/XX").status_code == 404
    countries = client.get("/api/v1/jurisdictions", {"level": "country", "limit": 10}).json()
    assert len(countries["results"]) == 10


def test_the_cli_adds_changes_exports_and_deletes(demo, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command(
        "registry", "add", "VN", "MoX", "--kind", "ministry",
        "--name-en", "Ministry of Experiments", "--name-vi", "Bộ Thử nghiệm",
        "--alias", "Experiments",
    )  # fmt: skip
    call_command("registry", "edit", "VN", "MoX", "--version", "1", "--jurisdiction", "VN-HN")
    moved = Organisation.objects.get(abbreviation="MoX")
    assert (moved.jurisdiction.code, moved.aliases, moved.version) == ("VN-HN", ["Experiments"], 2)
    with pytest.raises(CommandError, match="changed by someone else"):
        call_command("registry", "edit", "VN", "MoX", "--version", "1", "--kind", "agency")
    call_command("registry", "export-csv", "VN", "-o", str(tmp_path / "vn.csv"))
    assert "MoX,,Ministry of Experiments" in (tmp_path / "vn.csv").read_text(encoding="utf-8")
    call_command("registry", "delete", "VN", "MoX", "--version", "2")
    capsys.readouterr()
    call_command("registry", "organisations", "VN", "--search", "bo thu nghiem")
    assert capsys.readouterr().out == ""
    call_command("registry", "jurisdictions", "--search", "ho chi minh")
    assert capsys.readouterr().out.startswith("VN-SG\tHồ Chí Minh\tHồ Chí Minh")
    with pytest.raises(CommandError, match="owners of the organisations register"):
        call_command("registry", "delete", "VN", "ODTT", "--version", "1", "--as", "demo-assessor")


def test_the_register_is_in_the_menu_of_signed_in_people_only(assessor: User, client) -> None:  # type: ignore[no-untyped-def]
    menu = '<a href="/registry/">Organisations</a>'
    assert menu in client_for(assessor).get("/assessments/").content.decode()
    assert menu not in client.get("/published/").content.decode()
