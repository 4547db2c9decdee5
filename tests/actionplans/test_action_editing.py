"""Actions edited and deleted through every door (web, API, CLI), with
history and conflict detection; deleting an action others wait for asks
first and can be undone; the add and edit forms keep what was typed and say
what is wrong beside each field."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from readiness.accounts.services import create_token
from readiness.actionplans import services
from readiness.actionplans.models import Action, ActionUpdate
from readiness.assessments.models import Assessment
from readiness.core.errors import EditConflict, InvalidInput
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Framework
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
PLAN = "/assessments/vietnam-2019/plan/"
LG1_DEPENDENTS = {"dgra-uf-2", "dgra-cs-1", "dgra-cs-2", "dgra-cy-1"}  # depends_on in the demo file


def action(demo: Assessment, key: str) -> Action:
    return Action.objects.get(assessment=demo, key=key)


def edit_data(a: Action, **changes: object) -> dict[str, object]:
    """The edit form as the page fills it in for `a`, with `changes`."""
    return {
        "title": a.title,
        "key": a.key,
        "description": a.description,
        "dimension": a.dimensions.all()[0].pk,
        "phase": a.phase,
        "responsible": a.responsible.abbreviation,
        "supporting": [o.abbreviation for o in a.supporting.all()],
        "start_month": a.start_month,
        "duration_months": a.duration_months,
        "cost_text": a.cost_text,
        "depends_on": [b.key for b in a.depends_on.all()],
        "version": a.version,
        **changes,
    }


def dgra_dimension(key: str) -> int:
    return Framework.objects.get(key="dgra").dimensions.get(key=key).pk


def add_data(**changes: object) -> dict[str, object]:
    return {
        "title": "Pilot the e-consultation portal",
        "key": "",
        "dimension": dgra_dimension("2"),
        "phase": "medium",
        "responsible": "MIC",
        "start_month": "13",
        "duration_months": "6",
        **changes,
    }


# --- the web ----------------------------------------------------------------------


def test_an_assessor_edits_an_action_and_the_history_keeps_the_old_value(
    assessor: User, demo: Assessment
) -> None:
    before = action(demo, "dgra-lg-2")
    url = PLAN + "dgra-lg-2/edit/"
    page = client_for(assessor).get(url).content.decode()
    assert 'value="Develop IT spend control policy"' in page
    response = client_for(assessor).post(
        url, edit_data(before, title="Issue an IT spend control policy", start_month=2)
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#action-dgra-lg-2")
    after = action(demo, "dgra-lg-2")
    assert (after.title, after.start_month, after.version) == (
        "Issue an IT spend control policy",
        2,
        before.version + 1,
    )
    assert [o.abbreviation for o in after.supporting.all()] == ["MoF"]
    change = ChangeRecord.objects.filter(entity="action", entity_id=after.pk).latest("id")
    assert change.actor == assessor
    assert change.before["title"] == "Develop IT spend control policy"
    assert change.after["title"] == "Issue an IT spend control policy"


def test_a_stale_edit_is_refused_with_what_was_saved_and_keeps_what_was_typed(
    assessor: User, lead: User, demo: Assessment
) -> None:
    stale = action(demo, "dgra-lg-2")
    url = PLAN + "dgra-lg-2/edit/"
    client_for(lead).post(url, edit_data(stale, title="The lead's title"))
    response = client_for(assessor).post(url, edit_data(stale, title="The assessor's title"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "The lead&#x27;s title" in page  # what was saved in the meantime
    assert 'value="The assessor&#x27;s title"' in page  # what was typed, kept
    assert f'name="version" value="{stale.version + 1}"' in page  # saving again overwrites
    assert action(demo, "dgra-lg-2").title == "The lead's title"


def test_an_edit_that_starts_before_a_prerequisite_ends_is_refused_beside_it(
    assessor: User, demo: Assessment
) -> None:
    dependent = action(demo, "dgra-uf-2")  # after dgra-lg-1, months 1–6
    response = client_for(assessor).post(
        PLAN + "dgra-uf-2/edit/", edit_data(dependent, start_month=3)
    )
    assert response.status_code == 422
    errors = re.findall(r'<p class="error" role="alert">(.*?)</p>', response.content.decode())
    assert any("dgra-lg-1" in e for e in errors)
    assert action(demo, "dgra-uf-2").start_month == dependent.start_month


def test_a_reviewer_may_not_open_the_edit_form(reviewer: User) -> None:
    assert client_for(reviewer).get(PLAN + "dgra-lg-2/edit/").status_code == 403


def test_deleting_an_action_others_wait_for_asks_first(assessor: User, demo: Assessment) -> None:
    lg1 = action(demo, "dgra-lg-1")
    response = client_for(assessor).post(PLAN + "dgra-lg-1/delete/", {"version": lg1.version})
    assert response.status_code == 200
    page = response.content.decode()
    for key in LG1_DEPENDENTS:
        assert action(demo, key).title.replace("'", "&#x27;") in page
    assert 'name="confirmed" value="yes"' in page
    assert Action.objects.filter(pk=lg1.pk).exists()


def test_a_confirmed_deletion_is_undone_from_the_plan_page(
    assessor: User, lead: User, demo: Assessment
) -> None:
    lg1 = action(demo, "dgra-lg-1")
    services.record_progress(
        actor=lead,
        assessment=demo,
        key="dgra-lg-1",
        date=datetime.date(2019, 6, 1),
        note="Decree drafted",
        percent=30,
        status="in_progress",
    )
    lg1 = action(demo, "dgra-lg-1")
    response = client_for(assessor).post(
        PLAN + "dgra-lg-1/delete/", {"version": lg1.version, "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert not Action.objects.filter(assessment=demo, key="dgra-lg-1").exists()
    assert not action(demo, "dgra-uf-2").depends_on.exists()
    page = client_for(assessor).get(PLAN).content.decode()
    deleted = page.split('id="deleted-actions"')[1]
    assert lg1.title in deleted
    restore = re.search(r'action="(/assessments/vietnam-2019/plan/deleted/\d+/restore/)"', deleted)
    assert restore is not None
    assert client_for(assessor).post(restore.group(1)).status_code == 302
    back = action(demo, "dgra-lg-1")
    assert (back.title, back.start_month, back.duration_months, back.status) == (
        lg1.title,
        1,
        6,
        "in_progress",
    )
    assert [o.abbreviation for o in [back.responsible]] == ["OoG"]
    assert {a.key for a in back.enables.all()} == LG1_DEPENDENTS
    assert [(u.note, u.percent, u.author) for u in back.updates.all()] == [
        ("Decree drafted", 30, lead)
    ]
    # Restored once: no longer offered.
    assert 'id="deleted-actions"' not in client_for(assessor).get(PLAN).content.decode()


def test_an_action_without_dependents_is_deleted_at_once(assessor: User, demo: Assessment) -> None:
    cy2 = action(demo, "dgra-cy-2")
    response = client_for(assessor).post(PLAN + "dgra-cy-2/delete/", {"version": cy2.version})
    assert response.status_code == 302
    assert not Action.objects.filter(pk=cy2.pk).exists()
    change = ChangeRecord.objects.get(entity="action", entity_id=cy2.pk, action="delete")
    assert change.after is None and change.before["title"] == cy2.title


# --- the add form -----------------------------------------------------------------


def test_the_key_is_made_from_the_title_when_left_empty(assessor: User, demo: Assessment) -> None:
    response = client_for(assessor).post(
        PLAN + "actions/", add_data(title="Xây dựng Cổng dữ liệu mở quốc gia")
    )
    assert response.status_code == 302
    assert Action.objects.filter(assessment=demo, key="xay-dung-cong-du-lieu-mo-quoc-gia").exists()
    client_for(assessor).post(
        PLAN + "actions/", add_data(title="Xây dựng Cổng dữ liệu mở quốc gia")
    )
    assert Action.objects.filter(
        assessment=demo, key="xay-dung-cong-du-lieu-mo-quoc-gia-2"
    ).exists()


def test_keys_from_titles_follow_the_slug_rule() -> None:
    assert services.key_from_title("Đào tạo CIO: 2019–2020!", set()) == "dao-tao-cio-20192020"
    assert services.key_from_title("***", set()) == "action"
    long = services.key_from_title("word " * 30, {"word-" * 7 + "word"})
    assert len(long) <= 40 and re.fullmatch(r"[a-z0-9][a-z0-9-]*", long)


def test_a_refused_action_keeps_what_was_typed_and_says_why_beside_each_field(
    assessor: User, demo: Assessment
) -> None:
    count = demo.actions.count()
    response = client_for(assessor).post(
        PLAN + "actions/",
        add_data(key="Bad Key!", responsible="", phase="", cost_text="about 2 bn VND"),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert demo.actions.count() == count
    assert 'value="Pilot the e-consultation portal"' in page and 'value="about 2 bn VND"' in page
    field_errors = dict(
        re.findall(
            r'<div class="field has-error">\s*<label for="action-(\w+)">[^<]*</label>'
            r'.*?<p class="error" role="alert">(.*?)</p>',
            page,
            re.S,
        )
    )
    assert field_errors["key"].startswith("Use lower-case letters, digits and hyphens")
    assert field_errors["responsible"] == "Choose an organisation from the register."
    assert "phase" in field_errors


def test_the_add_form_in_vietnamese_says_what_is_wrong_in_vietnamese(
    assessor: User, demo: Assessment
) -> None:
    client = client_for(assessor)
    response = client.post(
        PLAN + "actions/", add_data(key="dgra-lg-1"), headers={"accept-language": "vi"}
    )
    assert response.status_code == 422
    assert "Một hành động khác của kế hoạch đã có khóa này." in response.content.decode()


def test_the_add_form_has_no_pattern_no_default_owner_and_prerequisites_by_title(
    assessor: User, demo: Assessment
) -> None:
    page = client_for(assessor).get(PLAN).content.decode()
    form = page.split('id="add-action-heading"')[1].split("</form>")[0]
    assert "pattern=" not in form
    responsible = re.search(r'<input[^>]*name="responsible"[^>]*>', form)
    assert responsible is not None and "value=" not in responsible.group(0)
    prerequisites = form.split('name="depends_on"')[1].split("</select>")[0]
    assert "Develop IT spend control policy (months 1–8)" in prerequisites
    assert '<option value="dgra-lg-2"' in prerequisites


# --- the API ----------------------------------------------------------------------


def api(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')[1]}"}


def test_the_api_changes_only_the_fields_sent_and_refuses_a_stale_version(
    client, assessor: User, demo: Assessment
) -> None:  # type: ignore[no-untyped-def]
    before = action(demo, "dgra-lg-2")
    url = "/api/v1/assessments/vietnam-2019/plan/dgra-lg-2"
    body = {"duration_months": 5, "supporting": [], "version": before.version}
    response = client.patch(url, json.dumps(body), content_type="application/json", **api(assessor))
    assert response.status_code == 200, response.content
    assert (response.json()["duration_months"], response.json()["supporting"]) == (5, [])
    assert response.json()["title"] == before.title
    stale = client.patch(url, json.dumps(body), content_type="application/json", **api(assessor))
    assert stale.status_code == 409
    assert stale.json()["current"]["duration_months"] == 5


def test_the_api_deletes_asks_to_confirm_and_restores(
    client, assessor: User, demo: Assessment
) -> None:  # type: ignore[no-untyped-def]
    version = action(demo, "dgra-lg-1").version
    url = f"/api/v1/assessments/vietnam-2019/plan/dgra-lg-1?version={version}"
    refused = client.delete(url, **api(assessor))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["path"] == "confirm"
    assert action(demo, "dgra-uf-2").title in refused.json()["errors"][0]["message"]
    assert client.delete(url + "&confirm=true", **api(assessor)).status_code == 204
    listed = client.get("/api/v1/assessments/vietnam-2019/plan/deleted", **api(assessor)).json()[
        "results"
    ]
    assert [d["key"] for d in listed] == ["dgra-lg-1"]
    restored = client.post(
        f"/api/v1/assessments/vietnam-2019/plan/deleted/{listed[0]['change_id']}/restore",
        **api(assessor),
    )
    assert restored.status_code == 201
    assert restored.json()["key"] == "dgra-lg-1"
    assert {a.key for a in action(demo, "dgra-lg-1").enables.all()} == LG1_DEPENDENTS


def test_restoring_over_an_action_with_the_same_key_is_refused(demo: Assessment) -> None:
    cy2 = action(demo, "dgra-cy-2")
    services.delete_action(
        actor=None, assessment=demo, key="dgra-cy-2", expected_version=cy2.version
    )
    (change,) = services.deleted_actions(demo)
    services.add_action(
        None,
        demo,
        "dgra",
        {
            "key": "dgra-cy-2",
            "title": "Another",
            "dimensions": ["7"],
            "phase": "long",
            "responsible": "MIC",
            "start_month": 1,
            "duration_months": 1,
        },
    )
    with pytest.raises(InvalidInput) as raised:
        services.restore_action(actor=None, assessment=demo, change_id=change.pk)
    assert str(raised.value) == "key: dgra-cy-2 exists already"


def test_a_delete_based_on_an_old_version_is_refused(demo: Assessment) -> None:
    cy2 = action(demo, "dgra-cy-2")
    with pytest.raises(EditConflict):
        services.delete_action(
            actor=None, assessment=demo, key="dgra-cy-2", expected_version=cy2.version - 1
        )
    assert Action.objects.filter(pk=cy2.pk).exists()


# --- the CLI ----------------------------------------------------------------------


def test_the_cli_edits_deletes_lists_and_restores(demo: Assessment, capsys) -> None:  # type: ignore[no-untyped-def]
    version = action(demo, "dgra-lg-2").version
    call_command(
        "plan",
        "edit",
        "vietnam-2019",
        "dgra-lg-2",
        "--version",
        str(version),
        "--set",
        "start_month=3",
        "--set",
        "supporting=MoF,MIC",
    )
    edited = action(demo, "dgra-lg-2")
    assert edited.start_month == 3
    assert sorted(o.abbreviation for o in edited.supporting.all()) == ["MIC", "MoF"]
    with pytest.raises(CommandError, match="confirm"):
        call_command(
            "plan",
            "delete",
            "vietnam-2019",
            "dgra-lg-1",
            "--version",
            str(action(demo, "dgra-lg-1").version),
        )
    updates = ActionUpdate.objects.count()
    call_command(
        "plan",
        "delete",
        "vietnam-2019",
        "dgra-lg-1",
        "--version",
        str(action(demo, "dgra-lg-1").version),
        "--confirm",
    )
    capsys.readouterr()
    call_command("plan", "deleted", "vietnam-2019")
    line = capsys.readouterr().out.strip()
    change_id, _when, key, title = line.split("\t")
    assert key == "dgra-lg-1" and title.startswith("Elevating the status")
    call_command("plan", "restore", "vietnam-2019", change_id)
    assert action(demo, "dgra-lg-1").enables.count() == len(LG1_DEPENDENTS)
    assert ActionUpdate.objects.count() == updates


def test_the_cli_names_an_unknown_field(demo: Assessment) -> None:
    version = action(demo, "dgra-lg-2").version
    with pytest.raises(CommandError, match="owner"):
        call_command(
            "plan",
            "edit",
            "vietnam-2019",
            "dgra-lg-2",
            "--version",
            str(version),
            "--set",
            "owner=MIC",
        )
    assert action(demo, "dgra-lg-2").version == version


def test_hostile_text_in_an_edit_is_refused_naming_the_field(demo: Assessment) -> None:
    before = action(demo, "dgra-lg-2")
    for changes, path in (
        ({"title": "a\x00b"}, "title"),
        ({"start_month": "soon"}, "start_month"),
        ({"responsible": "NOPE"}, "responsible"),
        ({"depends_on": ["dgra-lg-2"]}, "depends_on"),
    ):
        with pytest.raises(InvalidInput) as raised:
            services.update_action(
                actor=None,
                assessment=demo,
                key="dgra-lg-2",
                changes=changes,
                expected_version=before.version,
            )
        assert [e.path for e in raised.value.errors] == [path]
    assert action(demo, "dgra-lg-2").version == before.version


@pytest.mark.parametrize(
    "depends_on, path, message",
    [
        (["dgra-lg-2"], "depends_on", "an action cannot wait for itself"),
        (["no-such-action"], "depends_on", "not actions of this plan: no-such-action"),
    ],
)
def test_an_edit_naming_itself_or_an_unknown_prerequisite_is_refused_and_changes_nothing(
    client, assessor: User, demo: Assessment, depends_on: list[str], path: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    before = action(demo, "dgra-lg-2")
    changes = ChangeRecord.objects.count()
    body = {"depends_on": depends_on, "version": before.version}
    url = "/api/v1/assessments/vietnam-2019/plan/dgra-lg-2"
    response = client.patch(url, json.dumps(body), content_type="application/json", **api(assessor))
    assert response.status_code == 422, response.content
    assert {"path": path, "message": message} in response.json()["errors"]
    after = action(demo, "dgra-lg-2")
    assert list(after.depends_on.all()) == list(before.depends_on.all())
    assert after.version == before.version and ChangeRecord.objects.count() == changes
