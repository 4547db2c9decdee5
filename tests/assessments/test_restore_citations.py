"""Deleting an evidence item that ratings cite removes the citations; undoing
the deletion from history brings back the item and the ratings' citations of
it, through the service, the API and the web."""

import json

import pytest
from django.contrib.auth.models import User

from readiness.accounts.services import create_token
from readiness.assessments import services
from readiness.assessments.models import Assessment, Evidence, IndependentRating, Membership
from readiness.assessments.permissions import Role
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Question
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

BASE = "/assessments/vietnam-2019"
API = "/api/v1/assessments/vietnam-2019"
HTMX = {"HTTP_HX_REQUEST": "true"}


def dgra_question(key: str) -> Question:
    return Question.objects.select_related("framework").get(framework__key="dgra", key=key)


def new_item(demo: Assessment, text: str, key: str = "1.4") -> Evidence:
    return services.add_evidence(
        actor=None,
        assessment=demo,
        question=dgra_question(key),
        sign="+",
        text=text,
        source_kind="document",
    )


def rate_citing(demo: Assessment, *items: Evidence, level: str = "green") -> None:
    question = items[0].question
    services.rate_question(
        actor=None,
        assessment=demo,
        question=question,
        level_code=level,
        rationale="The decree and the portal",
        cited_evidence_ids=[item.pk for item in items],
        expected_version=demo.ratings.get(question=question).version,
    )


def cited_texts(demo: Assessment, key: str = "1.4") -> set[str]:
    rating = demo.ratings.get(question=dgra_question(key))
    return {item.text for item in rating.cited_evidence.all()}


def deletion_of(item: Evidence) -> ChangeRecord:
    return ChangeRecord.objects.get(entity="evidence", entity_id=item.pk, action="delete")


def api(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')[1]}"}


# --- the service -----------------------------------------------------------------------


def test_the_deletion_keeps_which_ratings_cited_the_item(demo, assessor) -> None:  # type: ignore[no-untyped-def]
    decree, portal = new_item(demo, "Decree 17 exists"), new_item(demo, "Portal launched")
    rate_citing(demo, decree, portal)
    rating = demo.ratings.get(question=dgra_question("1.4"))
    services.delete_evidence(
        actor=assessor, assessment=demo, evidence_id=decree.pk, expected_version=1
    )
    assert cited_texts(demo) == {"Portal launched"}
    before = deletion_of(decree).before
    assert before["text"] == "Decree 17 exists"
    assert before["cited_by"] == {"rating": [rating.pk], "independent_rating": []}


def test_restoring_a_deleted_item_cites_it_again_in_the_rating(demo, assessor, lead) -> None:  # type: ignore[no-untyped-def]
    decree, portal = new_item(demo, "Decree 17 exists"), new_item(demo, "Portal launched")
    rate_citing(demo, decree, portal)
    services.delete_evidence(
        actor=assessor, assessment=demo, evidence_id=decree.pk, expected_version=1
    )
    restored = services.restore_change(
        actor=lead, assessment=demo, change_id=deletion_of(decree).pk
    )
    assert cited_texts(demo) == {"Decree 17 exists", "Portal launched"}
    # The restore answers with the item's own change, then the rating's.
    assert (restored.entity, restored.action) == ("evidence", "create")
    assert restored.after["text"] == "Decree 17 exists"
    recited = ChangeRecord.objects.filter(entity="rating").latest("id")
    assert recited.pk > restored.pk and recited.actor == lead
    assert len(recited.before["cited_evidence"]) == 1
    assert len(recited.after["cited_evidence"]) == 2


def test_the_rating_keeps_what_changed_after_the_deletion(demo, assessor, lead) -> None:  # type: ignore[no-untyped-def]
    decree = new_item(demo, "Decree 17 exists")
    rate_citing(demo, decree)
    services.delete_evidence(
        actor=assessor, assessment=demo, evidence_id=decree.pk, expected_version=1
    )
    question = dgra_question("1.4")
    services.rate_question(
        actor=assessor,
        assessment=demo,
        question=question,
        level_code="red",
        rationale="Not yet in force",
        expected_version=demo.ratings.get(question=question).version,
    )
    services.restore_change(actor=lead, assessment=demo, change_id=deletion_of(decree).pk)
    rating = demo.ratings.get(question=question)
    assert (rating.level.code, rating.rationale) == ("red", "Not yet in force")
    assert cited_texts(demo) == {"Decree 17 exists"}


def test_each_assessors_own_rating_cites_the_restored_item_again(demo, assessor, lead) -> None:  # type: ignore[no-untyped-def]
    other = User.objects.create_user(username="assessor2")
    Membership.objects.create(assessment=demo, user=other, role=Role.ASSESSOR)
    services.set_rating_mode(
        actor=lead, assessment=demo, independent=True, reconciliation_open=False
    )
    decree, portal = new_item(demo, "Decree 17 exists"), new_item(demo, "Portal launched")
    question = dgra_question("1.4")
    for user, cited in ((assessor, [decree.pk, portal.pk]), (other, [decree.pk])):
        services.rate_question(
            actor=user,
            assessment=demo,
            question=question,
            level_code="yellow",
            cited_evidence_ids=cited,
            expected_version=None,
        )
    services.delete_evidence(actor=lead, assessment=demo, evidence_id=decree.pk, expected_version=1)
    services.restore_change(actor=lead, assessment=demo, change_id=deletion_of(decree).pk)

    def own_citations(user: User) -> set[str]:
        own = IndependentRating.objects.get(assessment=demo, question=question, assessor=user)
        return {item.text for item in own.cited_evidence.all()}

    assert own_citations(assessor) == {"Decree 17 exists", "Portal launched"}
    assert own_citations(other) == {"Decree 17 exists"}


def test_an_item_that_nothing_cited_comes_back_citing_nothing(demo, assessor, lead) -> None:  # type: ignore[no-untyped-def]
    decree, portal = new_item(demo, "Decree 17 exists"), new_item(demo, "Portal launched")
    rate_citing(demo, portal)
    services.delete_evidence(
        actor=assessor, assessment=demo, evidence_id=decree.pk, expected_version=1
    )
    services.restore_change(actor=lead, assessment=demo, change_id=deletion_of(decree).pk)
    assert demo.evidence.filter(text="Decree 17 exists").exists()
    assert cited_texts(demo) == {"Portal launched"}


# --- the API ---------------------------------------------------------------------------


def test_the_api_restore_of_a_deletion_brings_back_the_citation(demo, assessor) -> None:  # type: ignore[no-untyped-def]
    decree, portal = new_item(demo, "Decree 17 exists"), new_item(demo, "Portal launched")
    rate_citing(demo, decree, portal)
    client = client_for(assessor)
    headers = api(assessor)
    deleted = client.delete(f"{API}/evidence/{decree.pk}?version=1", **headers)
    assert deleted.status_code == 204
    restored = client.post(
        f"{API}/changes/{deletion_of(decree).pk}/restore",
        json.dumps({}),
        content_type="application/json",
        **headers,
    )
    assert restored.status_code == 200
    body = restored.json()
    assert (body["entity"], body["action"]) == ("evidence", "create")
    new_id = body["entity_id"]
    ratings = client.get(f"{API}/ratings?framework=dgra&question=1.4", **headers).json()
    assert [r["cited_evidence"] for r in ratings["results"]] == [sorted([portal.pk, new_id])]


# --- the web ---------------------------------------------------------------------------


def test_undo_in_the_web_restores_the_citation_and_the_history_shows_it(demo, assessor) -> None:  # type: ignore[no-untyped-def]
    decree, portal = new_item(demo, "Decree 17 exists"), new_item(demo, "Portal launched")
    rate_citing(demo, decree, portal)
    client = client_for(assessor)
    client.post(f"{BASE}/evidence/{decree.pk}/delete/", {"version": "1", "confirm": "1"}, **HTMX)
    assert cited_texts(demo) == {"Portal launched"}
    undone = client.post(f"{BASE}/history/{deletion_of(decree).pk}/restore/")
    assert undone.status_code == 302
    assert cited_texts(demo) == {"Decree 17 exists", "Portal launched"}
    question = dgra_question("1.4")
    history = client.get(f"{BASE}/questions/{question.pk}/history/", **HTMX).content.decode()
    # Newest first: the rating citing two items again, then the item restored.
    recited = history.index("<ins>Green — The decree and the portal · cites 2 evidence items</ins>")
    assert "<del>Green — The decree and the portal · cites 1 evidence item</del>" in history
    assert recited < history.index("<ins>(+) Decree 17 exists</ins>")
