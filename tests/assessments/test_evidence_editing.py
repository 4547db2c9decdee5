"""Editing and deleting evidence in the workspace: history, conflict
detection, a question before deleting what a rating cites, and undo."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from readiness.assessments import services
from readiness.assessments.models import Assessment, Evidence
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Framework
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

BASE = "/assessments/vietnam-2019"
HTMX = {"HTTP_HX_REQUEST": "true"}


def new_item(demo: Assessment, key: str = "1.4", text: str = "Decree 17 exists") -> Evidence:
    question = Framework.objects.get(key="dgra").questions.get(key=key)
    return services.add_evidence(
        actor=None, assessment=demo, question=question, sign="+", text=text, source_kind="document"
    )


def edit_form(item: Evidence, **changes: str) -> dict[str, str]:
    return {
        "sign": item.sign,
        "text": item.text,
        "source_kind": item.source_kind,
        "reference_title": "",
        "reference_url": "",
        "date": "",
        "author": "",
        "version": str(item.version),
        **changes,
    }


def test_the_edit_form_opens_in_place_filled_with_the_item(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    item = new_item(demo)
    response = client_for(assessor).get(f"{BASE}/evidence/{item.pk}/edit/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="edit-text-{item.pk}"' in html and ">Decree 17 exists</textarea>" in html
    assert 'name="version" value="1"' in html
    assert f'formaction="/assessments/vietnam-2019/evidence/{item.pk}/delete/"' in html


def test_an_assessor_edits_evidence_and_the_change_is_in_the_history(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    item = new_item(demo)
    response = client_for(assessor).post(
        f"{BASE}/evidence/{item.pk}/edit/", edit_form(item, text="Decree 17 of 2018"), **HTMX
    )
    assert response.status_code == 200
    assert "Decree 17 of 2018" in response.content.decode()
    assert "Evidence saved." in response.content.decode()
    item.refresh_from_db()
    assert (item.text, item.version) == ("Decree 17 of 2018", 2)
    change = ChangeRecord.objects.filter(entity="evidence", entity_id=item.pk).latest("id")
    assert change.before["text"] == "Decree 17 exists"
    assert change.after["text"] == "Decree 17 of 2018"
    assert change.actor == assessor


def test_a_stale_edit_is_refused_showing_theirs_and_keeping_mine(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    item = new_item(demo)
    stale = edit_form(item, text="My wording")
    services.update_evidence(
        actor=None,
        assessment=demo,
        evidence_id=item.pk,
        expected_version=1,
        changes={"text": "Their wording"},
    )
    client = client_for(assessor)
    html = client.post(f"{BASE}/evidence/{item.pk}/edit/", stale, **HTMX).content.decode()
    assert "Their wording" in html and ">My wording</textarea>" in html
    assert 'name="version" value="2"' in html  # saving again overwrites, knowingly
    item.refresh_from_db()
    assert item.text == "Their wording"
    # Without htmx the refusal is a 409 page.
    assert client.post(f"{BASE}/evidence/{item.pk}/edit/", stale).status_code == 409


def test_an_invalid_edit_names_the_field_and_keeps_the_text(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    item = new_item(demo)
    form = edit_form(item, text="Kept text", reference_url="javascript:alert(1)")
    response = client_for(assessor).post(f"{BASE}/evidence/{item.pk}/edit/", form)
    assert response.status_code == 422
    html = response.content.decode()
    assert ">Kept text</textarea>" in html and 'class="error"' in html
    item.refresh_from_db()
    assert item.text == "Decree 17 exists"


def test_deleting_uncited_evidence_needs_no_question_and_offers_undo(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    item = new_item(demo)
    client = client_for(assessor)
    response = client.post(f"{BASE}/evidence/{item.pk}/delete/", {"version": "1"}, **HTMX)
    html = response.content.decode()
    assert not Evidence.objects.filter(pk=item.pk).exists()
    assert "Evidence deleted." in html and "Undo: restore the deleted item" in html
    deletion = ChangeRecord.objects.get(entity="evidence", entity_id=item.pk, action="delete")
    assert f"/history/{deletion.pk}/restore/" in html
    client.post(f"{BASE}/history/{deletion.pk}/restore/")
    assert demo.evidence.filter(text="Decree 17 exists").exists()


def test_deleting_evidence_a_rating_cites_asks_first(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    item = new_item(demo)
    services.rate_question(
        actor=None,
        assessment=demo,
        question=item.question,
        level_code="green",
        cited_evidence_ids=[item.pk],
        expected_version=demo.ratings.get(question=item.question).version,
    )
    client = client_for(assessor)
    asked = client.post(f"{BASE}/evidence/{item.pk}/delete/", {"version": "1"}, **HTMX)
    assert "One rating cites this item. Delete it anyway?" in asked.content.decode()
    assert Evidence.objects.filter(pk=item.pk).exists()
    client.post(f"{BASE}/evidence/{item.pk}/delete/", {"version": "1", "confirm": "1"}, **HTMX)
    assert not Evidence.objects.filter(pk=item.pk).exists()


def test_a_stale_delete_is_refused(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    item = new_item(demo)
    services.update_evidence(
        actor=None, assessment=demo, evidence_id=item.pk, expected_version=1, changes={"text": "x"}
    )
    response = client_for(assessor).post(f"{BASE}/evidence/{item.pk}/delete/", {"version": "1"})
    assert response.status_code == 409
    assert Evidence.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("persona", ["reviewer", "counterpart"])
def test_reviewers_and_counterparts_may_not_edit_or_delete_evidence(
    persona: str, request: pytest.FixtureRequest, demo
) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_for(request.getfixturevalue(persona))
    item = new_item(demo)
    assert client.post(f"{BASE}/evidence/{item.pk}/edit/", edit_form(item)).status_code == 403
    assert client.post(f"{BASE}/evidence/{item.pk}/delete/", {"version": "1"}).status_code == 403
    assert Evidence.objects.filter(pk=item.pk, version=1).exists()


def test_evidence_of_another_assessment_is_not_found(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    response = client_for(assessor).get(f"{BASE}/evidence/999999/edit/")
    assert response.status_code == 404
