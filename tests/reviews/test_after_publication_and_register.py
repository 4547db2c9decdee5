"""Attacks on what surrounds the review: progress reported after publication,
the organisations register shared by every assessment of a country, and team
endpoints probed for usernames."""

import copy
import datetime
import json
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from readiness.actionplans import services as plans
from readiness.actionplans.models import Action, ActionUpdate
from readiness.assessments import services as assessment_services
from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import Role, State
from readiness.core.errors import Forbidden, InvalidInput, WrongState
from readiness.frameworks.models import Framework
from readiness.registry.models import Organisation
from readiness.reviews import services as reviews
from readiness.reviews.models import Publication
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
API = "/api/v1/assessments/vietnam-2019"


def publish(assessment: Assessment) -> Assessment:
    for target in (State.IN_REVIEW, State.APPROVED, State.PUBLISHED):
        assessment = reviews.move_to(actor=None, assessment=assessment, target=target)
    return assessment


def report_progress(actor: User | None, assessment: Assessment, note: str) -> ActionUpdate:
    return plans.record_progress(
        actor=actor,
        assessment=assessment,
        key="dgra-lg-2",
        date=datetime.date(2020, 3, 1),
        note=note,
        percent=40,
        status="in_progress",
    )


# --- progress after publication -----------------------------------------------------


def test_an_assessor_cannot_report_progress_after_publication(demo, assessor) -> None:  # type: ignore[no-untyped-def]
    demo = publish(demo)
    before = ActionUpdate.objects.count()
    with pytest.raises(Forbidden):
        report_progress(assessor, demo, "Done, says the assessor")
    response = client_for(assessor).post(
        f"{API}/plan/dgra-lg-2/progress",
        json.dumps({"date": "2020-03-01", "note": "n", "percent": 40, "status": "done"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert ActionUpdate.objects.count() == before
    assert Action.objects.get(assessment=demo, key="dgra-lg-2").status == "not_started"


def test_a_reviewer_cannot_report_progress_before_or_after_publication(demo, reviewer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden):
        report_progress(reviewer, demo, "Before")
    demo = publish(demo)
    with pytest.raises(Forbidden):
        report_progress(reviewer, demo, "After")


def test_an_assessor_still_reports_progress_on_a_plan_never_published(demo, assessor) -> None:  # type: ignore[no-untyped-def]
    update = report_progress(assessor, demo, "Drafting")
    assert update.after_publication is False


@pytest.mark.parametrize("role", ["lead", "counterpart"])
def test_the_lead_and_the_counterpart_track_the_published_plan(request, demo, role) -> None:  # type: ignore[no-untyped-def]
    demo = publish(demo)
    update = report_progress(request.getfixturevalue(role), demo, f"Tracked by the {role}")
    assert update.after_publication is True


def test_tracking_is_shown_apart_from_the_frozen_published_plan(demo, counterpart) -> None:  # type: ignore[no-untyped-def]
    demo = publish(demo)
    published_plans = copy.deepcopy(Publication.objects.get(assessment=demo).plans)
    report_progress(counterpart, demo, "Decree signed by the minister")

    publication = Publication.objects.get(assessment=demo)
    assert publication.plans == published_plans
    body = Client().get("/api/v1/published/vietnam-2019").json()
    assert body["plans"] == published_plans
    assert body["tracking"] == [
        {
            "action": "dgra-lg-2",
            "date": "2020-03-01",
            "percent": 40,
            "status": "in_progress",
            "note": "Decree signed by the minister",
        }
    ]
    html = Client().get("/published/vietnam-2019/").content.decode()
    plan_part, tracking_part = html.split('id="tracking"')
    assert "Action plan as published" in plan_part and "dgra-lg-2" in plan_part
    assert "Decree signed by the minister" not in plan_part
    assert "Progress reported since publication" in tracking_part
    assert "Decree signed by the minister" in tracking_part
    working = client_for(counterpart).get("/assessments/vietnam-2019/plan/").content.decode()
    assert "tracking after publication" in working


def test_no_progress_is_reported_on_an_archived_assessment(demo, lead) -> None:  # type: ignore[no-untyped-def]
    demo = publish(demo)
    demo = reviews.move_to(actor=lead, assessment=demo, target=State.ARCHIVED)
    with pytest.raises(WrongState):
        report_progress(lead, demo, "Too late")


# --- the organisations register --------------------------------------------------------


NEWCOMER = {
    "abbreviation": "MoX",
    "name": {"en": "Ministry of Experiments", "vi": "Bộ Thử nghiệm"},
    "kind": "ministry",
}


def own_assessment(owner: User, slug: str = "outsiders-own") -> Assessment:
    """An assessment of the same country that `owner` leads."""
    assessment = assessment_services.create_assessment(
        actor=None,
        slug=slug,
        title="An outsider's own assessment",
        subject_kind="country",
        subject_code="VN",
        frameworks=[Framework.objects.get(key="dgra")],
    )
    Membership.objects.create(assessment=assessment, user=owner, role=Role.LEAD)
    return assessment


def plan_naming_a_newcomer(slug: str) -> dict[str, Any]:
    return {
        "format": "readiness-action-plan/1",
        "assessment": slug,
        "framework": "dgra",
        "organisations": [NEWCOMER],
        "actions": [
            {
                "key": "x-1",
                "title": "Experiment",
                "dimensions": ["1"],
                "phase": "short",
                "responsible": "MoX",
                "start_month": 1,
                "duration_months": 2,
            }
        ],
    }


def test_an_outsiders_plan_import_does_not_add_to_the_register(demo, outsider) -> None:  # type: ignore[no-untyped-def]
    own = own_assessment(outsider)
    with pytest.raises(InvalidInput) as raised:
        plans.import_plan(outsider, plan_naming_a_newcomer(own.slug), "plan.yaml")
    [error] = raised.value.errors
    assert error.path == "organisations[0].abbreviation"
    assert "MoX" in error.message and "register" in error.message
    response = client_for(outsider).post(
        f"/api/v1/assessments/{own.slug}/plan/import",
        json.dumps(plan_naming_a_newcomer(own.slug)),
        content_type="application/json",
    )
    assert response.status_code == 422 and "MoX" in response.content.decode()
    assert not Organisation.objects.filter(abbreviation="MoX").exists()
    assert not own.actions.exists()
    # What the demo's team is offered as responsible agency is unchanged.
    html = client_for(outsider).get(f"/assessments/{own.slug}/plan/").content.decode()
    assert "Ministry of Experiments" not in html


def test_a_plan_naming_only_known_organisations_needs_no_register_rights(demo, assessor) -> None:  # type: ignore[no-untyped-def]
    plan = plan_naming_a_newcomer("vietnam-2019")
    plan["organisations"] = [
        {"abbreviation": "OoG", "name": {"en": "Renamed", "vi": "Đổi tên"}, "kind": "other"}
    ]
    plan["actions"][0]["responsible"] = "OoG"
    [created] = plans.import_plan(assessor, plan)
    assert created.responsible.abbreviation == "OoG"
    assert Organisation.objects.get(country_code="VN", abbreviation="OoG").kind == "ministry"


def test_a_register_owner_adds_the_organisation_and_then_the_import_succeeds(
    demo, outsider
) -> None:  # type: ignore[no-untyped-def]
    own = own_assessment(outsider)
    owner = User.objects.create_user(username="registrar", password="x")
    owner.user_permissions.add(Permission.objects.get(codename="add_organisation"))
    response = client_for(outsider).post(
        "/api/v1/organisations/VN", json.dumps(NEWCOMER), content_type="application/json"
    )
    assert response.status_code == 403
    response = client_for(owner).post(
        "/api/v1/organisations/VN", json.dumps(NEWCOMER), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json() == {
        "country": "VN",
        **NEWCOMER,
        "abbreviation_vi": "",
        "jurisdiction": "VN",
        "parent": "",
        "aliases": [],
        "version": 1,
    }
    assert [a.key for a in plans.import_plan(outsider, plan_naming_a_newcomer(own.slug))] == ["x-1"]


def test_an_owner_importing_a_plan_adds_its_new_organisations(demo) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.create_superuser(username="admin", password="x")
    own = own_assessment(admin, "admins-own")
    plans.import_plan(admin, plan_naming_a_newcomer(own.slug))
    assert Organisation.objects.get(country_code="VN", abbreviation="MoX").name == NEWCOMER["name"]


def test_the_cli_adds_to_the_register_as_the_system_but_not_as_a_plain_user(
    demo, outsider, capsys
) -> None:  # type: ignore[no-untyped-def]
    args = ["registry", "add", "VN", "MoX", "--kind", "ministry"]
    names = ["--name-en", "Ministry of Experiments", "--name-vi", "Bộ Thử nghiệm"]
    with pytest.raises(CommandError, match="owners of the organisations register"):
        call_command(*args, *names, "--as", "outsider")
    assert not Organisation.objects.filter(abbreviation="MoX").exists()
    call_command(*args, *names)
    assert "added MoX to the register of VN" in capsys.readouterr().out
    with pytest.raises(CommandError, match="in the register already"):
        call_command(*args, *names)


# --- team endpoints do not reveal usernames ---------------------------------------------


@pytest.mark.parametrize("persona", ["assessor", "reviewer", "counterpart", "outsider"])
def test_setting_a_member_answers_the_same_whether_or_not_the_user_exists(
    request, demo, lead, persona
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(request.getfixturevalue(persona))
    User.objects.create_user(username="existing-user", password="x")
    answers = []
    for username in ("existing-user", "no-such-user"):
        response = client.put(
            f"{API}/team/{username}",
            json.dumps({"role": "reviewer"}),
            content_type="application/json",
        )
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]
    assert answers[0][0] == (404 if persona == "outsider" else 403)
    deletes = [
        client.delete(f"{API}/team/{name}") for name in ("existing-user", "no-such-user", "lead")
    ]
    assert len({(r.status_code, r.content) for r in deletes}) == 1
    assert not demo.memberships.filter(user__username="existing-user").exists()
