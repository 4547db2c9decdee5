"""Who may create assessments: the site setting ASSESSMENT_CREATORS
(environment READINESS_ASSESSMENT_CREATORS), "staff" unless set. Every door
(web, API, CLI with --as, import) obeys the one service."""

import copy
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import Role, may_create_assessments
from readiness.demo.services import demo_document
from readiness.frameworks.models import Framework
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

API_BODY = {
    "slug": "hanoi-2026",
    "title": "Hà Nội 2026",
    "subject": {"kind": "country", "code": "VN"},
    "frameworks": [{"key": "dgra", "version": "2018"}],
}


def api_create(user: User) -> int:
    response = client_for(user).post(
        "/api/v1/assessments", json.dumps(API_BODY), content_type="application/json"
    )
    return response.status_code


def web_form() -> dict[str, object]:
    return {
        "title": "Hà Nội 2026",
        "slug": "hanoi-2026",
        "subject_kind": "country",
        "subject_code": "VN",
        "frameworks": [Framework.objects.get(key="dgra").pk],
    }


def shows_new_assessment_button(client: Client) -> bool:
    page = client.get("/assessments/").content.decode()
    return 'href="/assessments/new/"' in page


def import_file(tmp_path: Path) -> Path:
    document = copy.deepcopy(demo_document())
    document["assessment"]["slug"] = "imported"
    path = tmp_path / "imported.json"
    path.write_text(json.dumps(document, default=str), encoding="utf-8")
    return path


def test_by_default_only_staff_may_create_assessments(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.ASSESSMENT_CREATORS == "staff"


# --- refused -------------------------------------------------------------------------------


def test_a_user_who_may_not_create_gets_403_from_the_api(assessor) -> None:  # type: ignore[no-untyped-def]
    response = client_for(assessor).post(
        "/api/v1/assessments", json.dumps(API_BODY), content_type="application/json"
    )
    assert response.status_code == 403
    # Whatever the API's error shape, it carries the service's message.
    assert "You may not create assessments on this site." in response.content.decode()
    assert not Assessment.objects.filter(slug="hanoi-2026").exists()


def test_a_user_who_may_not_create_gets_403_even_for_invalid_input(assessor) -> None:  # type: ignore[no-untyped-def]
    body = {**API_BODY, "frameworks": [{"key": "nope", "version": "0"}]}
    response = client_for(assessor).post(
        "/api/v1/assessments", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 403


def test_a_user_who_may_not_create_cannot_import_through_the_api(assessor) -> None:  # type: ignore[no-untyped-def]
    document = copy.deepcopy(demo_document())
    document["assessment"]["slug"] = "imported"
    response = client_for(assessor).post(
        "/api/v1/assessments/import",
        json.dumps(document, default=str),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Assessment.objects.filter(slug="imported").exists()


def test_a_user_who_may_not_create_sees_no_button_and_gets_403_from_the_form(outsider) -> None:  # type: ignore[no-untyped-def]
    client = client_for(outsider)
    assert not shows_new_assessment_button(client)
    assert client.get("/assessments/new/").status_code == 403
    assert client.post("/assessments/new/", web_form()).status_code == 403
    assert not Assessment.objects.filter(slug="hanoi-2026").exists()


def test_the_command_line_refuses_an_import_as_a_user_who_may_not_create(
    assessor, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as raised:
        call_command("assessment", "import", str(import_file(tmp_path)), "--as", "assessor")
    assert "You may not create assessments on this site." in str(raised.value)
    assert not Assessment.objects.filter(slug="imported").exists()


def test_a_deactivated_staff_user_may_not_create(assessor) -> None:  # type: ignore[no-untyped-def]
    assessor.is_staff = True
    assessor.is_active = False
    assert not may_create_assessments(assessor)


# --- allowed -------------------------------------------------------------------------------


def test_staff_may_create_by_every_door(assessor, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assessor.is_staff = True
    assessor.save()
    client = client_for(assessor)
    assert shows_new_assessment_button(client)
    assert client.get("/assessments/new/").status_code == 200
    assert client.post("/assessments/new/", web_form()).status_code == 302
    call_command("assessment", "import", str(import_file(tmp_path)), "--as", "assessor")
    imported = Assessment.objects.get(slug="imported")
    assert Membership.objects.get(assessment=imported, user=assessor).role == Role.LEAD


def test_the_command_line_without_as_acts_as_the_system_and_may_create(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    call_command("assessment", "import", str(import_file(tmp_path)))
    assert Assessment.objects.filter(slug="imported").exists()


def test_a_site_administrator_may_always_create(settings, outsider) -> None:  # type: ignore[no-untyped-def]
    settings.ASSESSMENT_CREATORS = "assessment-creators"
    admin = User.objects.create_superuser(username="admin", password="x")
    assert api_create(admin) == 201


def test_with_a_group_setting_its_members_may_create_and_others_not(
    settings, assessor, outsider
) -> None:  # type: ignore[no-untyped-def]
    settings.ASSESSMENT_CREATORS = "assessment-creators"
    Group.objects.create(name="assessment-creators").user_set.add(assessor)
    outsider.is_staff = True  # staff is not enough when a group is named
    outsider.save()
    assert api_create(outsider) == 403
    assert not shows_new_assessment_button(client_for(outsider))
    assert api_create(assessor) == 201
    assert shows_new_assessment_button(client_for(assessor))


def test_with_everyone_any_signed_in_user_may_create(settings, outsider) -> None:  # type: ignore[no-untyped-def]
    settings.ASSESSMENT_CREATORS = "everyone"
    assert shows_new_assessment_button(client_for(outsider))
    assert api_create(outsider) == 201
    assert Assessment.objects.get(slug="hanoi-2026").created_by == outsider
