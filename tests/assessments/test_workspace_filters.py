"""The workspace for long days, on the server's side: what the filters, the
progress and the "next unrated" action read from the page, the visits behind
"changed since my last visit", and the page cache keyed by revision."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from readiness.assessments import services
from readiness.assessments.models import Assessment, DimensionVisit
from readiness.frameworks.models import Framework
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

WORKSPACE = "/assessments/vietnam-2019/dgra/1/"


@pytest.fixture
def local_cache(settings):  # type: ignore[no-untyped-def]
    """A real cache for the tests of caching, empty at the start (a local
    memory cache keeps its entries across settings changes)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def question(key: str):  # type: ignore[no-untyped-def]
    return Framework.objects.get(key="dgra").questions.get(key=key)


def article(html: str, key: str) -> str:
    """The <article> of question `key` in a workspace page."""
    pk = question(key).pk
    match = re.search(rf'<article id="q-{pk}".*?</article>', html, re.S)
    assert match, key
    return match.group(0)


def test_each_question_says_whether_it_is_rated_and_has_evidence(
    assessor: User, demo: Assessment
) -> None:
    demo.ratings.filter(question=question("1.2")).delete()
    demo.evidence.filter(question=question("1.2")).delete()
    html = client_for(assessor).get(WORKSPACE).content.decode()
    assert 'data-rated="0" data-evidence="0"' in article(html, "1.2")
    assert 'data-rated="1"' in article(html, "1.1")
    assert 'data-evidence="0"' not in article(html, "1.1")


def test_progress_counts_rated_questions_per_dimension_and_framework(
    assessor: User, demo: Assessment
) -> None:
    demo.ratings.filter(question__in=[question("1.2"), question("1.3")]).delete()
    html = client_for(assessor).get(WORKSPACE).content.decode()
    # The demo rates all 17 questions of dimension 1 and all 66 of DGRA.
    assert "This dimension: 15 of 17 questions rated" in html
    assert "All of DGRA: 64 of 66 questions rated" in html
    assert '<progress id="dimension-progress" max="17" value="15">' in html
    assert "15 of 17 rated" in html  # beside the dimension in the side bar


def test_the_shortcut_and_the_tools_are_documented_on_the_page(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    html = client_for(assessor).get(WORKSPACE).content.decode()
    assert 'aria-keyshortcuts="n"' in html
    assert "Press N (outside a text field) to go to the next unrated question." in html
    assert "readiness/workspace.js" in html


def test_next_unrated_leads_on_to_the_next_dimension_with_gaps(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    demo.ratings.filter(question=question("3.2")).delete()
    html = client_for(assessor).get(WORKSPACE).content.decode()
    assert "/assessments/vietnam-2019/dgra/3/" in re.search(
        r'<p id="next-unrated-dimension".*?</p>', html, re.S
    ).group(0)


def test_a_rating_that_cites_no_evidence_is_marked_in_words(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    rating = demo.ratings.get(question=question("1.1"))
    rating.cited_evidence.clear()
    html = client_for(assessor).get(WORKSPACE).content.decode()
    assert "This rating cites no evidence." in article(html, "1.1")
    assert "This rating cites no evidence." not in article(html, "1.2")


def test_questions_the_assessors_disagree_on_are_marked(lead: User, assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    services.set_rating_mode(
        actor=lead, assessment=demo, independent=True, reconciliation_open=True
    )
    for user, level in ((lead, "green"), (assessor, "red")):
        services.rate_question(
            actor=user,
            assessment=demo,
            question=question("1.4"),
            level_code=level,
            expected_version=None,
        )
    html = client_for(lead).get(WORKSPACE).content.decode()
    assert 'data-disagrees="1"' in article(html, "1.4")
    assert 'data-disagrees="1"' not in article(html, "1.5")
    assert 'value="disagree"' in html


def changed_ids(client: Client) -> list[int]:
    html = client.get(WORKSPACE).content.decode()
    data = re.search(r'<script id="changed-questions" type="application/json">(.*?)</script>', html)
    assert data, "the page carries the changed questions"
    return json.loads(data.group(1))


def test_changes_by_others_since_my_last_visit_are_listed(assessor: User, lead: User, demo) -> None:  # type: ignore[no-untyped-def]
    client = client_for(assessor)
    assert changed_ids(client) == []  # a first visit marks nothing
    services.add_evidence(
        actor=lead,
        assessment=demo,
        question=question("1.3"),
        sign="+",
        text="New",
        source_kind="document",
    )
    services.add_evidence(
        actor=assessor,
        assessment=demo,
        question=question("1.5"),
        sign="+",
        text="Mine",
        source_kind="document",
    )
    assert changed_ids(client) == [question("1.3").pk]  # my own change is not news
    assert changed_ids(client) == [question("1.3").pk]  # a reload keeps the marks
    services.add_evidence(
        actor=lead,
        assessment=demo,
        question=question("1.6"),
        sign="+",
        text="Later",
        source_kind="document",
    )
    assert changed_ids(client) == [question("1.6").pk]  # counted from the visit before
    assert DimensionVisit.objects.filter(user=assessor, assessment=demo).count() == 1


@pytest.mark.usefixtures("local_cache")
def test_the_cached_page_follows_every_change(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    client = client_for(assessor)
    first = client.get(WORKSPACE).content.decode()
    assert "Evidence added after the first view" not in first
    services.add_evidence(
        actor=None,
        assessment=demo,
        question=question("1.1"),
        sign="+",
        text="Evidence added after the first view",
        source_kind="document",
    )
    assert "Evidence added after the first view" in client.get(WORKSPACE).content.decode()


@pytest.mark.usefixtures("local_cache")
def test_forms_of_a_cached_page_carry_the_visitors_own_csrf_token(assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    first = Client(enforce_csrf_checks=True)
    first.force_login(assessor)
    first.get(WORKSPACE)  # fills the cache
    second = Client(enforce_csrf_checks=True)
    second.force_login(assessor)
    html = second.get(WORKSPACE).content.decode()
    assert "__workspace_csrf_token__" not in html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert tokens
    response = second.post(
        f"/assessments/vietnam-2019/questions/{question('1.1').pk}/evidence/",
        {
            "csrfmiddlewaretoken": tokens[-1],
            "sign": "+",
            "text": "Posted",
            "source_kind": "document",
        },
    )
    assert response.status_code == 302  # accepted, not 403
    assert demo.evidence.filter(text="Posted").exists()


@pytest.mark.usefixtures("local_cache")
def test_sql_per_page_is_the_same_for_a_small_and_a_large_dimension_cached_or_not(
    assessor: User, demo
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(assessor)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get("/assessments/vietnam-2019/")  # the session's first request loads more
    small_cold = queries("/assessments/vietnam-2019/dgra/3/")  # 5 questions
    large_cold = queries("/assessments/vietnam-2019/dgra/1/")  # 17 questions
    small_warm = queries("/assessments/vietnam-2019/dgra/3/")
    large_warm = queries("/assessments/vietnam-2019/dgra/1/")
    assert small_cold == large_cold
    assert small_warm == large_warm
    assert large_warm < large_cold
