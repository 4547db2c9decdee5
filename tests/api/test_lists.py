"""Every list of the API pages, filters and sorts one way (docs/api.md):
`limit` and an opaque `cursor` in, `count`, `next`, `previous` and
`results` out."""

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from readiness.actionplans.models import Action
from readiness.assessments import services
from readiness.assessments.models import Assessment, Evidence, Membership
from readiness.assessments.permissions import Role, State
from readiness.frameworks.models import Framework, Question

pytestmark = pytest.mark.django_db

BASE = "/api/v1"


def walk(client: Client, url: str) -> list[dict[str, Any]]:
    """Every page from `url` on, following `next`."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        url = pages[-1]["next"]
    return pages


def test_the_demo_evidence_comes_in_pages_of_fifty_that_cover_every_item_once(
    assessor_client: Client, demo: Assessment
) -> None:
    pages = walk(assessor_client, f"{BASE}/assessments/vietnam-2019/evidence")
    assert len(pages) == 13  # 601 items: 12 full pages and one of 1
    assert [len(p["results"]) for p in pages] == [50] * 12 + [1]
    assert {p["count"] for p in pages} == {601}
    assert pages[0]["previous"] is None and pages[-1]["next"] is None
    ids = [item["id"] for page in pages for item in page["results"]]
    assert ids == sorted(Evidence.objects.filter(assessment=demo).values_list("id", flat=True))


def test_previous_links_walk_back_over_the_same_pages(assessor_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    forward = walk(assessor_client, f"{BASE}/assessments/vietnam-2019/evidence?limit=200")
    assert [len(p["results"]) for p in forward] == [200, 200, 200, 1]
    page = forward[-1]
    for expected in reversed(forward[:-1]):
        page = assessor_client.get(page["previous"]).json()
        assert [i["id"] for i in page["results"]] == [i["id"] for i in expected["results"]]
    assert page["previous"] is None
    assert "limit=200" in page["next"]


def test_an_item_added_between_pages_neither_repeats_nor_shifts_the_next_page(
    assessor_client: Client, assessor: User, demo: Assessment
) -> None:
    first = assessor_client.get(f"{BASE}/assessments/vietnam-2019/evidence?sort=-id&limit=3")
    newest = first.json()["results"]
    question = Question.objects.get(framework__key="dgra", key="1.1")
    services.add_evidence(
        actor=assessor,
        assessment=demo,
        question=question,
        sign="+",
        text="New",
        source_kind="survey",
    )
    second = assessor_client.get(first.json()["next"]).json()
    assert second["results"][0]["id"] == newest[-1]["id"] - 1
    assert second["count"] == 602


def test_a_limit_over_500_and_a_forged_cursor_are_refused_naming_them(
    assessor_client: Client, demo
) -> None:  # type: ignore[no-untyped-def]
    url = f"{BASE}/assessments/vietnam-2019/evidence"
    too_many = assessor_client.get(f"{url}?limit=501")
    assert too_many.status_code == 422
    assert [e["path"] for e in too_many.json()["errors"]] == ["limit"]
    forged = assessor_client.get(f"{url}?cursor=bm90LWEtY3Vyc29y")  # base64 of "not-a-cursor"
    assert forged.status_code == 422
    assert [e["path"] for e in forged.json()["errors"]] == ["cursor"]
    # A cursor given out for one sort does not serve another.
    next_by_date = assessor_client.get(f"{url}?sort=date&limit=1").json()["next"]
    cursor = next_by_date.split("cursor=")[1]
    other = assessor_client.get(f"{url}?sort=-date&cursor={cursor}")
    assert other.status_code == 422
    assert [e["path"] for e in other.json()["errors"]] == ["cursor"]
    unknown_sort = assessor_client.get(f"{url}?sort=text")
    assert unknown_sort.status_code == 422
    assert [e["path"] for e in unknown_sort.json()["errors"]] == ["sort"]


@pytest.fixture
def small(assessor: User) -> Assessment:
    """An assessment with five evidence items of known signs, sources, dates and authors."""
    assessment = services.create_assessment(
        actor=None,
        slug="small",
        title="Small",
        subject_kind="country",
        subject_code="LA",
        frameworks=[Framework.objects.get(key="dgra"), Framework.objects.get(key="odra")],
    )
    Membership.objects.create(assessment=assessment, user=assessor, role=Role.ASSESSOR)
    rows = [
        ("dgra", "1.1", "+", "document", datetime.date(2018, 3, 1), "Lan"),
        ("dgra", "1.2", "-", "interview", None, "Minh"),
        ("dgra", "2.1", "o", "interview", datetime.date(2019, 1, 5), "lan"),
        ("odra", "1.1", "+", "website", datetime.date(2017, 7, 24), "Minh"),
        ("odra", "2.1", "-", "survey", datetime.date(2019, 1, 31), ""),
    ]
    for index, (framework, key, sign, kind, day, author) in enumerate(rows):
        services.add_evidence(
            actor=None,
            assessment=assessment,
            question=Question.objects.get(framework__key=framework, key=key),
            sign=sign,
            text=f"item {index}",
            source_kind=kind,
            date=day,
            author=author,
        )
    return assessment


def texts(client: Client, query: str) -> list[str]:
    response = client.get(f"{BASE}/assessments/small/evidence?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return [item["text"] for item in body["results"]]


def test_evidence_filters_by_framework_dimension_question_sign_source_author_and_date(
    assessor_client: Client, small: Assessment
) -> None:
    assert texts(assessor_client, "framework=odra") == ["item 3", "item 4"]
    assert texts(assessor_client, "framework=dgra&dimension=1") == ["item 0", "item 1"]
    assert texts(assessor_client, "framework=dgra&question=2.1") == ["item 2"]
    assert texts(assessor_client, "sign=-") == ["item 1", "item 4"]
    assert texts(assessor_client, "source_kind=interview") == ["item 1", "item 2"]
    assert texts(assessor_client, "author=LAN") == ["item 0", "item 2"]
    assert texts(assessor_client, "date_from=2018-01-01&date_to=2019-01-05") == [
        "item 0",
        "item 2",
    ]
    assert texts(assessor_client, "q=ITEM 4") == ["item 4"]


def test_evidence_sorts_by_date_with_undated_items_first_and_back_again(
    assessor_client: Client, small: Assessment
) -> None:
    by_date = ["item 1", "item 3", "item 0", "item 2", "item 4"]
    assert texts(assessor_client, "sort=date") == by_date
    assert texts(assessor_client, "sort=-date") == by_date[::-1]
    # Across pages of two, the same order.
    pages = walk(assessor_client, f"{BASE}/assessments/small/evidence?sort=date&limit=2")
    assert [i["text"] for p in pages for i in p["results"]] == by_date


def make(slug: str, **details: Any) -> Assessment:
    frameworks = [Framework.objects.get(key=key) for key in details.pop("frameworks", ["dgra"])]
    state = details.pop("state", State.DRAFT)
    assessment = services.create_assessment(
        actor=None, slug=slug, title=slug.title(), frameworks=frameworks, **details
    )
    Assessment.objects.filter(pk=assessment.pk).update(state=state)
    return assessment


@pytest.fixture
def several(lead: User) -> None:
    """Four assessments besides the demo, which `lead` leads (draft, VN, 2017–2019)."""
    make(
        "hanoi",
        subject_kind="subdivision",
        subject_code="VN-HN",
        state=State.PUBLISHED,
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
    )
    make(
        "laos",
        subject_kind="country",
        subject_code="LA",
        frameworks=["odra"],
        period_start=datetime.date(2018, 6, 1),
    )
    make("vanuatu", subject_kind="country", subject_code="VU", state=State.IN_REVIEW)
    make(
        "agency",
        subject_kind="agency",
        subject_code="VN",
        subject_name="MIC",
        frameworks=["dgra", "odra"],
    )


def slugs(client: Client, query: str) -> list[str]:
    response = client.get(f"{BASE}/assessments?{query}")
    assert response.status_code == 200, response.content
    return [a["slug"] for a in response.json()["results"]]


def test_assessments_filter_by_state_subject_framework_year_and_member(
    admin_client: Client, lead: User, several: None
) -> None:
    assert slugs(admin_client, "state=published") == ["hanoi"]
    assert slugs(admin_client, "subject=VN&sort=slug") == ["agency", "hanoi", "vietnam-2019"]
    assert slugs(admin_client, "subject=vn-hn") == ["hanoi"]
    assert slugs(admin_client, "framework=odra&sort=slug") == ["agency", "laos", "vietnam-2019"]
    assert slugs(admin_client, "year=2018&sort=slug") == ["laos", "vietnam-2019"]
    assert slugs(admin_client, "year=2020") == ["hanoi"]
    assert slugs(admin_client, "member=lead") == ["vietnam-2019"]
    assert slugs(admin_client, "q=VANU") == ["vanuatu"]
    assert slugs(admin_client, "sort=-slug&limit=2") == ["vietnam-2019", "vanuatu"]


def test_changed_since_finds_the_assessments_created_or_changed_after_it(
    admin_client: Client, assessor: User, demo: Assessment, several: None
) -> None:
    moment = datetime.datetime.now(datetime.UTC)
    make("later", subject_kind="country", subject_code="KH")
    services.add_evidence(
        actor=assessor,
        assessment=demo,
        question=Question.objects.get(framework__key="dgra", key="1.1"),
        sign="+",
        text="Now",
        source_kind="survey",
    )
    since = moment.isoformat().replace("+00:00", "Z")
    assert slugs(admin_client, f"changed_since={since}&sort=slug") == ["later", "vietnam-2019"]


def test_a_member_lists_only_the_assessments_of_their_teams(
    assessor_client: Client, several: None
) -> None:
    body = assessor_client.get(f"{BASE}/assessments").json()
    assert body["count"] == 1 and [a["slug"] for a in body["results"]] == ["vietnam-2019"]


def test_the_plan_actions_filter_by_phase_status_owner_and_overdue(
    assessor_client: Client, demo: Assessment
) -> None:
    actions = Action.objects.filter(assessment=demo)
    total = actions.count()
    body = assessor_client.get(f"{BASE}/assessments/vietnam-2019/plan/actions?limit=500").json()
    assert body["count"] == total and len(body["results"]) == total
    immediate = assessor_client.get(
        f"{BASE}/assessments/vietnam-2019/plan/actions?phase=immediate&limit=500"
    ).json()
    assert {a["key"] for a in immediate["results"]} == set(
        actions.filter(phase="immediate").values_list("key", flat=True)
    )
    first = actions.order_by("key").first()
    assert first is not None
    owner = first.responsible.abbreviation
    owned = assessor_client.get(
        f"{BASE}/assessments/vietnam-2019/plan/actions?owner={owner.lower()}&limit=500"
    ).json()
    assert owned["results"] and {a["responsible"] for a in owned["results"]} == {owner}
    # A plan that started in January 2000: month 1 is long past.
    Assessment.objects.filter(pk=demo.pk).update(plan_start=datetime.date(2000, 1, 1))
    actions.filter(pk=first.pk).update(status="done")
    overdue = assessor_client.get(
        f"{BASE}/assessments/vietnam-2019/plan/actions?overdue=true&limit=500"
    ).json()
    assert overdue["count"] == total - 1
    assert first.key not in {a["key"] for a in overdue["results"]}
    done = assessor_client.get(
        f"{BASE}/assessments/vietnam-2019/plan/actions?status=done&overdue=false"
    ).json()
    assert [a["key"] for a in done["results"]] == [first.key]


@pytest.mark.parametrize(
    "url",
    [
        "/assessments?limit={n}",
        "/assessments/vietnam-2019/evidence?limit={n}",
        "/assessments/vietnam-2019/plan/actions?limit={n}",
        "/changes?limit={n}",
    ],
)
def test_a_page_takes_the_same_number_of_queries_whatever_its_length(
    admin_client: Client, demo: Assessment, several: None, url: str
) -> None:
    counts = []
    for n in (1, 200):
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(BASE + url.format(n=n))
        assert response.status_code == 200, response.content
        assert len(response.json()["results"]) > 1 or n == 1
        counts.append(len(queries))
    assert counts[0] == counts[1]
