"""GET /api/v1/changes: what changed in the assessments the caller may open,
oldest first, a page at a time, for integrators who sync."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from readiness.assessments import services
from readiness.assessments.models import Assessment, IndependentRating
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Framework, Question
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes"


def latest_change() -> int:
    return ChangeRecord.objects.latest("id").pk


def question(key: str = "1.1") -> Question:
    return Question.objects.get(framework__key="dgra", key=key)


def add(actor: User | None, assessment: Assessment, text: str) -> None:
    services.add_evidence(
        actor=actor,
        assessment=assessment,
        question=question(),
        sign="+",
        text=text,
        source_kind="survey",
    )


@pytest.fixture
def elsewhere() -> Assessment:
    return services.create_assessment(
        actor=None,
        slug="elsewhere",
        title="Elsewhere",
        subject_kind="country",
        subject_code="LA",
        frameworks=[Framework.objects.get(key="dgra")],
    )


def test_a_member_sees_the_changes_of_their_assessments_only(
    assessor: User, demo: Assessment, elsewhere: Assessment
) -> None:
    start = latest_change()
    add(assessor, demo, "Mine")
    add(None, elsewhere, "Not for them")
    body = client_for(assessor).get(f"{FEED}?after={start}").json()
    assert body["count"] == 1
    [mine] = body["results"]
    assert (mine["entity"], mine["action"], mine["actor"]) == ("evidence", "create", "assessor")
    assert (mine["assessment"], mine["after"]["text"]) == ("vietnam-2019", "Mine")
    everything = client_for(assessor).get(FEED).json()
    assert everything["count"] == ChangeRecord.objects.filter(assessment=demo).count()


def test_an_outsider_sees_no_changes_and_anonymous_must_sign_in(
    outsider: User, assessor: User, demo: Assessment, anonymous_client: Client
) -> None:
    add(assessor, demo, "Hidden")
    assert client_for(outsider).get(FEED).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    assert anonymous_client.get(FEED).status_code == 401


def test_a_sync_resumes_after_the_last_change_it_saw(assessor: User, demo: Assessment) -> None:
    client = client_for(assessor)
    start = latest_change()
    for n in range(3):
        add(assessor, demo, f"first {n}")
    seen = client.get(f"{FEED}?assessment=vietnam-2019&after={start}").json()["results"]
    assert [c["after"]["text"] for c in seen] == ["first 0", "first 1", "first 2"]
    last = seen[-1]["id"]
    add(assessor, demo, "later")
    news = client.get(f"{FEED}?after={last}").json()
    assert [c["after"]["text"] for c in news["results"]] == ["later"]


def test_since_keeps_the_changes_at_or_after_that_moment_paged_in_order(
    assessor: User, demo: Assessment
) -> None:
    add(assessor, demo, "before")
    ChangeRecord.objects.update(at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    for n in range(5):
        add(assessor, demo, f"after {n}")
    client = client_for(assessor)
    url = f"{FEED}?since=2021-01-01T00:00:00Z&limit=2"
    texts = []
    while url:
        page = client.get(url).json()
        assert page["count"] == 5
        texts += [c["after"]["text"] for c in page["results"]]
        url = page["next"]
    assert texts == [f"after {n}" for n in range(5)]


def test_others_independent_ratings_stay_out_of_the_feed(
    assessor: User, lead: User, demo: Assessment
) -> None:
    start = latest_change()
    services.set_rating_mode(
        actor=None, assessment=demo, independent=True, reconciliation_open=False
    )
    services.rate_question(
        actor=assessor,
        assessment=demo,
        question=question("1.2"),
        level_code="red",
        expected_version=None,
    )
    assert IndependentRating.objects.filter(assessment=demo).count() == 1
    entities_for = {
        user.username: [
            c["entity"] for c in client_for(user).get(f"{FEED}?after={start}").json()["results"]
        ]
        for user in (assessor, lead)
    }
    assert "independent_rating" in entities_for["assessor"]
    assert "independent_rating" not in entities_for["lead"]


def test_a_malformed_since_is_refused_naming_it(assessor: User) -> None:
    response = client_for(assessor).get(f"{FEED}?since=yesterday")
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["since"]
