"""Editing an assessment's details and its team in every door, with history
and conflict detection (a stale version gets 409), and new members offered
the least-privileged role."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from readiness.assessments import services
from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import Role, State
from readiness.core.errors import EditConflict, Forbidden, WrongState
from readiness.core.models import ChangeRecord
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
API = "/api/v1/assessments/vietnam-2019"
DETAILS = "/assessments/vietnam-2019/details/"
TEAM = "/assessments/vietnam-2019/team/"


def details_form(demo: Assessment, **changes: object) -> dict[str, object]:
    return {
        "title": demo.title,
        "subject_kind": demo.subject_kind,
        "subject_code": demo.subject_code,
        "subject_name": demo.subject_name,
        "period_start": demo.period_start or "",
        "period_end": demo.period_end or "",
        "description": demo.description,
        "version": demo.version,
        **changes,
    }


def rename(actor: User | None, demo: Assessment, title: str, version: int) -> Assessment:
    return services.update_details(
        actor=actor,
        assessment=demo,
        expected_version=version,
        title=title,
        subject_kind=demo.subject_kind,
        subject_code=demo.subject_code,
        subject_name=demo.subject_name,
        period_start=demo.period_start,
        period_end=demo.period_end,
        description=demo.description,
    )


def test_the_lead_renames_the_assessment_and_history_keeps_the_old_title(demo, lead) -> None:  # type: ignore[no-untyped-def]
    old_title = demo.title
    renamed = rename(lead, demo, "Viet Nam readiness, revised", 1)
    assert renamed.version == 2
    assert Assessment.objects.get(pk=demo.pk).title == "Viet Nam readiness, revised"
    change = ChangeRecord.objects.filter(assessment=demo, entity="assessment").latest("id")
    assert change.before["title"] == old_title
    assert change.after["title"] == "Viet Nam readiness, revised"
    assert change.actor == lead


def test_a_stale_edit_of_the_details_is_refused_with_what_is_stored(demo, lead) -> None:  # type: ignore[no-untyped-def]
    rename(lead, demo, "First edit", 1)
    with pytest.raises(EditConflict) as conflict:
        rename(lead, Assessment.objects.get(pk=demo.pk), "Second edit from an old page", 1)
    assert conflict.value.current_version == 2
    assert conflict.value.current["title"] == "First edit"
    assert Assessment.objects.get(pk=demo.pk).title == "First edit"


def test_only_the_lead_edits_the_details_and_only_in_a_draft(demo, lead, assessor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden):
        rename(assessor, demo, "Assessor's title", 1)
    Assessment.objects.filter(pk=demo.pk).update(state=State.IN_REVIEW)
    with pytest.raises(WrongState):
        rename(lead, Assessment.objects.get(pk=demo.pk), "During review", 1)
    assert Assessment.objects.get(pk=demo.pk).version == 1


def test_the_web_form_edits_the_details(demo, lead) -> None:  # type: ignore[no-untyped-def]
    client = client_for(lead)
    overview = client.get("/assessments/vietnam-2019/").content.decode()
    assert 'href="/assessments/vietnam-2019/details/"' in overview
    form = client.get(DETAILS).content.decode()
    assert f'value="{demo.title}"' in form
    response = client.post(DETAILS, details_form(demo, description="Edited in the web"))
    assert response.status_code == 302
    assert Assessment.objects.get(pk=demo.pk).description == "Edited in the web"


def test_the_web_form_keeps_what_was_typed_on_a_conflict_and_on_an_error(demo, lead) -> None:  # type: ignore[no-untyped-def]
    client = client_for(lead)
    rename(lead, demo, "Saved meanwhile", 1)
    stale = client.post(DETAILS, details_form(demo, title="Mine from an old page", version=1))
    page = stale.content.decode()
    assert stale.status_code == 409
    assert "Saved meanwhile" in page and 'value="Mine from an old page"' in page
    assert re.search(r'name="version" value="2"', page)  # saving again overwrites knowingly

    empty = client.post(DETAILS, details_form(demo, title="", description="Kept", version=2))
    assert empty.status_code == 422
    assert "Kept</textarea>" in empty.content.decode()
    assert Assessment.objects.get(pk=demo.pk).title == "Saved meanwhile"


def test_an_assessor_gets_no_details_form(demo, assessor) -> None:  # type: ignore[no-untyped-def]
    client = client_for(assessor)
    assert client.get(DETAILS).status_code == 403
    assert (
        'href="/assessments/vietnam-2019/details/"'
        not in client.get("/assessments/vietnam-2019/").content.decode()
    )


def test_the_api_edits_the_details_with_the_version(demo, lead) -> None:  # type: ignore[no-untyped-def]
    client = client_for(lead)
    assert client.get(API).json()["version"] == 1

    def put(version: int, title: str) -> tuple[int, dict[str, object]]:
        body = {
            "version": version,
            "title": title,
            "subject": {"kind": "country", "code": "VN"},
            "description": "From the API",
        }
        response = client.put(f"{API}/details", json.dumps(body), content_type="application/json")
        return response.status_code, response.json()

    status, saved = put(1, "API title")
    assert (status, saved["title"], saved["version"]) == (200, "API title", 2)
    status, refused = put(1, "Stale API title")
    assert status == 409 and refused["current_version"] == 2
    assert refused["current"]["title"] == "API title"


def test_the_cli_shows_and_changes_the_details(demo, capsys) -> None:  # type: ignore[no-untyped-def]
    translation.activate("en")
    call_command("assessment", "details", "vietnam-2019")
    assert "version\t1\n" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--based-on"):
        call_command("assessment", "details", "vietnam-2019", "--title", "CLI title")
    call_command("assessment", "details", "vietnam-2019", "--title", "CLI title", "--based-on", "1")
    out = capsys.readouterr().out
    assert "version\t2\n" in out and "title\tCLI title\n" in out
    with pytest.raises(CommandError, match="changed by someone else"):
        call_command("assessment", "details", "vietnam-2019", "--title", "Old", "--based-on", "1")


# --- the team -------------------------------------------------------------------


def test_the_team_form_offers_a_new_member_the_counterpart_role_first(demo, lead) -> None:  # type: ignore[no-untyped-def]
    page = client_for(lead).get("/assessments/vietnam-2019/").content.decode()
    adding = page[page.index('id="member-role"') :]
    adding = adding[: adding.index("</select>")]
    assert re.findall(r'<option value="(\w+)" selected>', adding) == ["counterpart"]


def test_the_lead_changes_a_role_in_the_web_and_history_keeps_it(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    response = client_for(lead).post(
        TEAM, {"username": "reviewer", "role": "assessor", "version": "1"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(assessment=demo, user=reviewer)
    assert (membership.role, membership.version) == ("assessor", 2)
    change = ChangeRecord.objects.filter(assessment=demo, entity="team").latest("id")
    assert change.before["reviewer"] == "reviewer" and change.after["reviewer"] == "assessor"


def test_a_stale_role_change_or_removal_in_the_web_is_refused(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    services.set_member(actor=lead, assessment=demo, username="reviewer", role=Role.COUNTERPART)
    client = client_for(lead)
    stale = client.post(TEAM, {"username": "reviewer", "role": "lead", "version": "1"})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    removal = client.post(TEAM, {"username": "reviewer", "remove": "1", "version": "1"})
    assert removal.status_code == 409
    membership = Membership.objects.get(assessment=demo, user=reviewer)
    assert (membership.role, membership.version) == ("counterpart", 2)


def test_adding_someone_who_is_on_the_team_already_does_not_change_their_role(
    demo, lead, assessor
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(lead).post(
        TEAM, {"username": "assessor", "role": "counterpart", "version": "0"}
    )
    assert response.status_code == 409
    assert "assessor is on the team already, as Assessor." in response.content.decode()
    assert Membership.objects.get(assessment=demo, user=assessor).role == Role.ASSESSOR


def test_the_lead_removes_a_member_in_the_web(demo, lead, counterpart) -> None:  # type: ignore[no-untyped-def]
    response = client_for(lead).post(
        TEAM, {"username": "counterpart", "remove": "1", "version": "1"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(assessment=demo, user=counterpart).exists()


def test_the_api_and_cli_check_a_members_version_when_given(demo, lead, reviewer, capsys) -> None:  # type: ignore[no-untyped-def]
    client = client_for(lead)
    team = {m["username"]: m for m in client.get(f"{API}/team").json()["results"]}
    assert team["reviewer"] == {"username": "reviewer", "role": "reviewer", "version": 1}

    def put(body: dict[str, object]) -> int:
        return client.put(
            f"{API}/team/reviewer", json.dumps(body), content_type="application/json"
        ).status_code

    assert put({"role": "assessor", "version": 1}) == 200
    assert put({"role": "lead", "version": 1}) == 409
    assert client.delete(f"{API}/team/reviewer?version=1").status_code == 409
    assert Membership.objects.get(assessment=demo, user=reviewer).role == Role.ASSESSOR
    translation.activate("en")
    with pytest.raises(CommandError, match="changed by someone else"):
        call_command(
            "review", "team", "vietnam-2019", "--set", "reviewer", "counterpart", "--based-on", "1"
        )
    call_command(
        "review", "team", "vietnam-2019", "--set", "reviewer", "counterpart", "--based-on", "2"
    )
    assert "reviewer\tcounterpart\tversion 3" in capsys.readouterr().out
