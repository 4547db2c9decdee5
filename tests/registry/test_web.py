"""The registers in the web: the register page (search, add, edit, delete,
CSV), the owner picker of the plan's add-action form (chosen from the
register, never a silent default) and the subject picker of the create form."""

import io
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import translation

from readiness.actionplans.models import Action
from readiness.registry.models import Organisation
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
REGISTER = "/registry/organisations/VN/"


@pytest.fixture
def owner_client() -> Client:
    user = User.objects.create_user(username="registrar", password="x")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="registry", codename="add_organisation")
    )
    return client_for(user)


def new_action(**fields: str) -> dict[str, str]:
    dimension = Action.objects.filter(assessment__slug="vietnam-2019").first().dimensions.first()  # type: ignore[union-attr]
    return {
        "key": "web-1",
        "title": "From the web",
        "dimension": str(dimension.pk),  # type: ignore[union-attr]
        "phase": "short",
        "start_month": "1",
        "duration_months": "2",
        **fields,
    }


def test_the_register_page_searches_in_vietnamese_without_diacritics(demo, outsider) -> None:  # type: ignore[no-untyped-def]
    page = client_for(outsider).get(REGISTER, {"q": "bo tu phap"}).content.decode()
    assert "Bộ Tư pháp" in page and "Bộ Tài chính" not in page
    assert "1 organisation" in page
    assert "Add an organisation" not in page  # not an owner


def test_an_owner_adds_edits_and_deletes_in_the_web(demo, owner_client) -> None:  # type: ignore[no-untyped-def]
    form = {
        "abbreviation": "MoX",
        "abbreviation_vi": "BTN",
        "name_en": "Ministry of Experiments",
        "name_vi": "Bộ Thử nghiệm",
        "kind": "ministry",
        "jurisdiction": "vn-hn",
        "parent": "",
        "aliases": "Experiments\r\nLab ministry",
    }
    assert owner_client.post(REGISTER + "add/", form).status_code == 302
    added = Organisation.objects.get(abbreviation="MoX")
    assert (added.jurisdiction.code, added.aliases) == ("VN-HN", ["Experiments", "Lab ministry"])
    edit = REGISTER + "MoX/edit/"
    assert 'value="Bộ Thử nghiệm"' in owner_client.get(edit).content.decode()
    assert owner_client.post(edit, {**form, "parent": "MIC", "version": "1"}).status_code == 302
    stale = owner_client.post(edit, {**form, "version": "1"})
    assert stale.status_code == 409 and "changed by someone else" in stale.content.decode()
    assert Organisation.objects.get(abbreviation="MoX").parent.abbreviation == "MIC"  # type: ignore[union-attr]
    deleted = owner_client.post(REGISTER + "MoX/delete/", {"version": "2"})
    assert deleted.status_code == 302
    assert not Organisation.objects.filter(abbreviation="MoX").exists()


def test_the_web_form_names_the_field_at_fault_and_keeps_what_was_typed(demo, owner_client) -> None:  # type: ignore[no-untyped-def]
    response = owner_client.post(
        REGISTER + "add/",
        {"abbreviation": "MoX", "name_en": "Typed", "name_vi": "Đã gõ", "kind": "ministry",
         "jurisdiction": "TH"},
    )  # fmt: skip
    assert response.status_code == 422
    page = response.content.decode()
    assert "TH is not VN or one of its subdivisions" in page
    assert 'value="Đã gõ"' in page


def test_the_web_refuses_register_changes_by_others(demo, lead) -> None:  # type: ignore[no-untyped-def]
    client = client_for(lead)
    assert client.get(REGISTER + "add/").status_code == 403
    assert client.post(REGISTER + "ODTT/delete/", {"version": "1"}).status_code == 403
    assert Organisation.objects.filter(abbreviation="ODTT").exists()


def test_the_register_downloads_and_imports_as_csv_in_the_web(demo, owner_client) -> None:  # type: ignore[no-untyped-def]
    exported = owner_client.get(REGISTER + "export.csv")
    assert exported["Content-Disposition"] == 'attachment; filename="organisations-VN.csv"'
    upload = io.BytesIO(exported.content + "MoX,,Ministry X,Bộ X,other,VN,,,\r\n".encode())
    upload.name = "vn.csv"
    assert owner_client.post(REGISTER + "import/", {"file": upload}).status_code == 302
    assert Organisation.objects.filter(abbreviation="MoX").exists()
    refused = io.BytesIO(b"abbreviation,name_en\r\nMoY,Y\r\n")
    refused.name = "bad.csv"
    response = owner_client.post(REGISTER + "import/", {"file": refused})
    assert response.status_code == 422 and "line 1" in response.content.decode()


def test_the_owner_picker_offers_the_register_and_chooses_nothing_itself(demo, lead) -> None:  # type: ignore[no-untyped-def]
    page = client_for(lead).get("/assessments/vietnam-2019/plan/").content.decode()
    picker = re.search(r'<input type="text" name="responsible"[^>]*>', page)
    assert picker is not None
    assert 'list="action-responsible-options"' in picker.group() and "value=" not in picker.group()
    assert '<datalist id="action-responsible-options">' in page
    assert (
        '<option value="MIC">MIC / BTTTT · Ministry of Information and Communications'
        " · Bộ Thông tin và Truyền thông · Ministry of Information and Communication</option>"
    ) in page
    supporting = page[
        page.index('name="supporting"') : page.index("</select>", page.index('name="supporting"'))
    ]
    assert "selected" not in supporting


def test_an_action_without_an_owner_is_refused_and_one_typed_in_vietnamese_is_taken(
    demo, lead
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(lead)
    refused = client.post("/assessments/vietnam-2019/plan/actions/", new_action())
    assert refused.status_code == 422
    assert "Choose an organisation from the register." in refused.content.decode()
    unknown = client.post("/assessments/vietnam-2019/plan/actions/", new_action(responsible="XYZ"))
    assert "XYZ is not in the register of VN" in unknown.content.decode()
    assert not Action.objects.filter(key="web-1").exists()
    client.post(
        "/assessments/vietnam-2019/plan/actions/",
        new_action(responsible="BTTTT", supporting=["MoF", "GSO"]),  # type: ignore[arg-type]
    )
    action = Action.objects.get(key="web-1")
    assert action.responsible.abbreviation == "MIC"
    assert sorted(o.abbreviation for o in action.supporting.all()) == ["GSO", "MoF"]


def test_the_subject_is_picked_from_iso_3166_in_both_languages(demo) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.create_superuser(username="admin", password="x")
    client = client_for(admin)
    page = client.get("/assessments/new/").content.decode()
    assert 'list="id_subject_code-options"' in page
    assert '<option value="VN">Viet Nam (Việt Nam)</option>' in page
    client.cookies["django_language"] = "vi"
    with translation.override("en"):  # gives back the language the request switched to
        options = client.get(
            "/registry/jurisdictions/options/", {"field": "subject_code", "subject_code": "ha noi"}
        ).content.decode()
    assert options.strip() == '<option value="VN-HN">VN-HN · Hà Nội</option>'
