"""Every list of the API is a page (docs/api.md): the same `limit` and
`cursor` in, the same `count`, `next`, `previous` and `results` out, for the
lists of one assessment, the registers, the frameworks, one's tokens and
what is published."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from readiness.accounts import services as accounts
from readiness.actionplans import services as plans
from readiness.actionplans.models import Action
from readiness.api.main import api
from readiness.assessments import services
from readiness.assessments.models import Assessment, QuestionRating
from readiness.assessments.permissions import Role
from readiness.fieldwork.services.submissions import import_submissions
from readiness.frameworks.models import Question
from readiness.reports.models import Report
from readiness.reviews import services as reviews
from readiness.reviews.models import Publication
from tests.conftest import client_for, persona

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
DEMO = f"{BASE}/assessments/vietnam-2019"

# Every GET operation that lists, as docs/api.md names them; nothing else
# of the API answers more than one item.
PAGED_OPERATIONS = {
    "/api/v1/account/tokens",
    "/api/v1/assessments",
    "/api/v1/assessments/{slug}/assignments",
    "/api/v1/assessments/{slug}/catalogues",
    "/api/v1/assessments/{slug}/catalogues/{key}/datasets",
    "/api/v1/assessments/{slug}/catalogues/{key}/runs",
    "/api/v1/assessments/{slug}/comments",
    "/api/v1/assessments/{slug}/evidence",
    "/api/v1/assessments/{slug}/history/{framework}/{question}",
    "/api/v1/assessments/{slug}/missions",
    "/api/v1/assessments/{slug}/missions/{key}/meetings",
    "/api/v1/assessments/{slug}/my-questions",
    "/api/v1/assessments/{slug}/people",
    "/api/v1/assessments/{slug}/plan/actions",
    "/api/v1/assessments/{slug}/plan/deleted",
    "/api/v1/assessments/{slug}/ratings",
    "/api/v1/assessments/{slug}/reports",
    "/api/v1/assessments/{slug}/submissions/imports",
    "/api/v1/assessments/{slug}/submissions/proposals",
    "/api/v1/assessments/{slug}/team",
    "/api/v1/assessments/{slug}/verdicts",
    "/api/v1/changes",
    "/api/v1/frameworks",
    "/api/v1/jurisdictions",
    "/api/v1/notifications",
    "/api/v1/organisations/{country}",
    "/api/v1/published",
    "/api/v1/published/{slug}/reports",
}


def answer_schema(schema: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    content = operation["responses"].get("200", {}).get("content", {})
    found = content.get("application/json", {}).get("schema", {})
    if "$ref" in found:
        return schema["components"]["schemas"][found["$ref"].rsplit("/", 1)[-1]]
    return found


def test_no_get_operation_answers_a_bare_array_and_every_list_is_a_page() -> None:
    schema = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))
    arrays, pages = set(), set()
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        answer = answer_schema(schema, operations["get"])
        if answer.get("type") == "array":
            arrays.add(path)
        if set(answer.get("properties", {})) == {"count", "next", "previous", "results"}:
            pages.add(path)
            parameters = {p["name"] for p in operations["get"]["parameters"]}
            assert {"limit", "cursor"} <= parameters, path
    assert arrays == set()
    assert pages == PAGED_OPERATIONS


@pytest.fixture
def lists(demo: Assessment, lead: User, assessor: User, reviewer: User, counterpart: User) -> None:
    """Two or more items in every list of the demo's."""
    for name in ("laptop", "ci", "old"):
        token, _secret = accounts.create_token(assessor, name)
    accounts.revoke_token(assessor, token.pk)
    for key in ("dgra-lg-1", "dgra-uf-2"):
        version = Action.objects.get(assessment=demo, key=key).version
        plans.delete_action(
            actor=lead, assessment=demo, key=key, expected_version=version, confirmed=True
        )
    question = Question.objects.get(framework__key="dgra", key="1.3")
    for rationale in ("first look", "second look"):
        services.rate_question(
            actor=assessor,
            assessment=demo,
            question=question,
            level_code="yellow",
            rationale=rationale,
            expected_version=QuestionRating.objects.get(assessment=demo, question=question).version,
        )
    services.assign(
        actor=lead, assessment=demo, username="assessor", framework_key="dgra", dimension_key="3"
    )
    services.assign(
        actor=lead, assessment=demo, username="lead", framework_key="odra", question_key="1.2"
    )
    first = reviews.add_comment(actor=reviewer, assessment=demo, text="Sources?")
    reviews.add_comment(actor=lead, assessment=demo, text="Added.", reply_to=first.pk)
    reviews.add_comment(actor=reviewer, assessment=demo, text="And 2.1?")
    reviews.set_thread_resolved(actor=lead, assessment=demo, thread_id=first.pk, resolved=True)
    for status in ("done", "failed", "queued"):
        Report.objects.create(assessment=demo, format="pdf", language="en", status=status)
    publication = Publication.objects.create(
        assessment=demo, number=1, document={"assessment": {"title": "Vietnam 2019"}}
    )
    for format_, language in (("pdf", "en"), ("pdf", "vi"), ("xlsx", "vi")):
        Report.objects.create(
            assessment=demo,
            publication=publication,
            format=format_,
            language=language,
            status="done",
            finished_at=timezone.now(),
        )
    for name, export in (
        (
            "one.csv",
            "KEY,framework,d_1-q_1.1\r\nuuid:p1,dgra 2018,green\r\nuuid:p2,dgra 2018,red\r\n",
        ),
        ("two.csv", "KEY,framework,d_2-q_2.1\r\nuuid:p3,dgra 2018,yellow\r\n"),
    ):
        import_submissions(actor=assessor, assessment=demo, data=export.encode(), source=name)
    other = Assessment.objects.create(
        slug="hanoi-2020", title="Hanoi 2020", subject_kind="subdivision", subject_code="VN-HN"
    )
    Publication.objects.create(
        assessment=other, number=1, document={"assessment": {"title": "Hanoi 2020"}}
    )


# (address, who asks, how many the whole list holds, what names an item);
# the counts by hand from the demo (four built-in frameworks; its own four
# `demo-…` members besides the personas; one rating of DGRA 1.3 imported)
# and the `lists` fixture.
# The 144 entries of the 2019 annexes (80 + 64) name 109 people: 35 entries
# repeat someone met under another heading or on the other mission.
PEOPLE_MET = 109
LISTS: list[tuple[str, str, int, Callable[[dict[str, Any]], Any]]] = [
    (f"{BASE}/account/tokens", "assessor", 3, lambda t: t["id"]),
    (f"{DEMO}/plan/deleted", "lead", 2, lambda d: d["key"]),
    (f"{DEMO}/ratings", "lead", 66 + 43, lambda r: (r["framework"], r["question"])),
    (f"{DEMO}/verdicts", "lead", 7 + 8, lambda v: (v["framework"], v["dimension"])),
    (f"{DEMO}/team", "lead", 8, lambda m: m["username"]),
    (f"{DEMO}/history/dgra/1.3?entity=rating", "lead", 3, lambda c: c["id"]),
    (f"{DEMO}/assignments", "lead", 2, lambda a: a["id"]),
    (f"{DEMO}/my-questions", "assessor", 5, lambda q: q["question"]),
    (f"{BASE}/frameworks", "outsider", 4, lambda f: (f["key"], f["version"])),
    # 38 of the register, 14 more that the missions met (missions-VN-2019.yaml).
    (f"{BASE}/organisations/VN", "outsider", 38 + 14, lambda o: o["abbreviation"]),
    (f"{BASE}/jurisdictions?country=VN", "outsider", 64, lambda j: j["code"]),
    (f"{DEMO}/reports", "lead", 6, lambda r: r["id"]),
    (f"{BASE}/published/vietnam-2019/reports", "anonymous", 3, lambda r: r["id"]),
    (f"{DEMO}/comments", "lead", 3, lambda c: c["id"]),
    # The demo's missions as the 2019 annexes list them (readiness/demo/missions-VN-2019.yaml).
    (f"{DEMO}/missions", "reviewer", 2, lambda m: m["key"]),
    (f"{DEMO}/missions/field-2018/meetings", "counterpart", 20, lambda m: m["id"]),
    (f"{DEMO}/people", "lead", PEOPLE_MET, lambda p: p["id"]),
    (f"{DEMO}/submissions/imports", "counterpart", 2, lambda i: i["id"]),
    (f"{DEMO}/submissions/proposals", "lead", 3, lambda p: p["id"]),
    (f"{BASE}/published", "anonymous", 2, lambda p: p["slug"]),
]


def asker(name: str) -> Client:
    if name == "anonymous":
        return Client()
    return client_for(User.objects.get(username=name))


def with_query(address: str, query: str) -> str:
    return address + ("&" if "?" in address else "?") + query


@pytest.mark.parametrize(
    ("address", "who", "count", "identity"), LISTS, ids=[entry[0] for entry in LISTS]
)
def test_next_pages_give_the_rest_of_a_list_once_each(
    lists: None,
    outsider: User,
    address: str,
    who: str,
    count: int,
    identity: Callable[[dict[str, Any]], Any],
) -> None:
    client = asker(who)
    whole = client.get(with_query(address, "limit=500")).json()
    assert whole["count"] == count and len(whole["results"]) == count
    assert whole["next"] is None and whole["previous"] is None
    size = max(1, count // 2)  # two pages, or three when the count is odd
    first = client.get(with_query(address, f"limit={size}")).json()
    assert first["count"] == count and first["previous"] is None
    assert first["next"] is not None and f"limit={size}" in first["next"]
    seen = [identity(item) for item in first["results"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        assert page["previous"] is not None
        seen += [identity(item) for item in page["results"]]
    assert seen == [identity(item) for item in whole["results"]]
    assert len(set(seen)) == count


@pytest.mark.parametrize(("address", "who"), [(entry[0], entry[1]) for entry in LISTS])
def test_a_long_page_takes_as_many_queries_as_a_page_of_one(
    lists: None, outsider: User, address: str, who: str
) -> None:
    client = asker(who)
    counts = []
    for limit in (1, 500):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(with_query(address, f"limit={limit}"))
        assert response.status_code == 200, response.content
        assert len(response.json()["results"]) == 1 or limit == 500
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(("address", "who"), [(entry[0], entry[1]) for entry in LISTS])
def test_a_limit_over_500_is_refused_naming_it(
    lists: None, outsider: User, address: str, who: str
) -> None:
    refused = asker(who).get(with_query(address, "limit=501"))
    assert refused.status_code == 422
    assert [e["path"] for e in refused.json()["errors"]] == ["limit"]


def results(client: Client, address: str) -> list[dict[str, Any]]:
    response = client.get(address)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_ratings_and_verdicts_filter_by_framework_dimension_question_and_level(
    lists: None, lead: User
) -> None:
    client = client_for(lead)
    dgra_3 = results(client, f"{DEMO}/ratings?framework=dgra&dimension=3")
    assert [r["question"] for r in dgra_3] == ["3.1", "3.2", "3.3", "3.4", "3.5"]
    [one] = results(client, f"{DEMO}/ratings?framework=DGRA&question=1.3")
    assert (one["level"], one["rationale"]) == ("yellow", "second look")
    assert {
        r["framework"] for r in results(client, f"{DEMO}/ratings?framework=odra&limit=500")
    } == {"odra"}
    verdicts = results(client, f"{DEMO}/verdicts?framework=odra")
    assert [v["dimension"] for v in verdicts] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert results(client, f"{DEMO}/verdicts?level=no-such-level") == []


def test_the_team_filters_by_role_and_sorts_by_username(lists: None, lead: User) -> None:
    client = client_for(lead)
    everyone = [
        "assessor",
        "counterpart",
        "demo",
        "demo-assessor",
        "demo-counterpart",
        "demo-reviewer",
        "lead",
        "reviewer",
    ]
    assert [m["username"] for m in results(client, f"{DEMO}/team")] == everyone
    backwards = [m["username"] for m in results(client, f"{DEMO}/team?sort=-username")]
    assert backwards == list(reversed(everyone))
    reviewers = results(client, f"{DEMO}/team?role=reviewer")
    assert [m["username"] for m in reviewers] == ["demo-reviewer", "reviewer"]


def test_comments_filter_by_resolved_and_open_threads(lists: None, lead: User) -> None:
    client = client_for(lead)
    assert [c["text"] for c in results(client, f"{DEMO}/comments?resolved=true")] == [
        "Sources?",
        "Added.",
    ]
    assert [c["text"] for c in results(client, f"{DEMO}/comments?resolved=false")] == ["And 2.1?"]
    assert [c["text"] for c in results(client, f"{DEMO}/comments?sort=-created")] == [
        "And 2.1?",
        "Added.",
        "Sources?",
    ]


def test_tokens_reports_and_history_filter_as_a_user_expects(
    lists: None, lead: User, assessor: User
) -> None:
    mine = client_for(assessor)
    assert [t["name"] for t in results(mine, f"{BASE}/account/tokens")] == ["old", "ci", "laptop"]
    assert [t["name"] for t in results(mine, f"{BASE}/account/tokens?revoked=true")] == ["old"]
    assert [t["name"] for t in results(mine, f"{BASE}/account/tokens?sort=name")] == [
        "ci",
        "laptop",
        "old",
    ]
    team = client_for(lead)
    assert [r["status"] for r in results(team, f"{DEMO}/reports?status=failed")] == ["failed"]
    history = results(team, f"{DEMO}/history/dgra/1.3?entity=rating")
    # Newest first: the two rated here, then the one imported with the demo.
    assert [c["after"]["rationale"] for c in history][:2] == ["second look", "first look"]
    assert len(history) == 3
    assert [a["username"] for a in results(team, f"{DEMO}/assignments?username=lead")] == ["lead"]
    mine_in_odra = results(mine, f"{DEMO}/my-questions?framework=odra")
    assert mine_in_odra == []


def test_the_registers_filter_by_kind_text_and_parent(lists: None, outsider: User) -> None:
    client = client_for(outsider)
    ministries = results(client, f"{BASE}/organisations/VN?kind=ministry&q=bo+tai+chinh")
    assert [o["abbreviation"] for o in ministries] == ["MoF"]
    hanoi_wards = results(client, f"{BASE}/jurisdictions?parent=VN-HN")
    assert hanoi_wards == []
    provinces = results(client, f"{BASE}/jurisdictions?parent=VN&limit=3")
    assert [j["code"] for j in provinces] == ["VN-01", "VN-02", "VN-03"]
    countries = client.get(f"{BASE}/jurisdictions?level=country&q=viet+nam").json()
    assert [j["code"] for j in countries["results"]] == ["VN"]


def test_the_public_lists_sort_and_filter_without_signing_in(lists: None) -> None:
    anonymous = Client()
    assert [p["slug"] for p in results(anonymous, f"{BASE}/published?sort=slug")] == [
        "hanoi-2020",
        "vietnam-2019",
    ]
    files = results(anonymous, f"{BASE}/published/vietnam-2019/reports?language=vi&sort=format")
    assert [(f["format"], f["language"]) for f in files] == [("pdf", "vi"), ("xlsx", "vi")]


def test_a_page_of_a_list_has_an_etag_and_is_not_sent_again_unchanged(
    lists: None, lead: User
) -> None:
    client = client_for(lead)
    first = client.get(f"{DEMO}/comments")
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    again = client.get(f"{DEMO}/comments", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    reviews.add_comment(
        actor=lead, assessment=Assessment.objects.get(slug="vietnam-2019"), text="New"
    )
    changed = client.get(f"{DEMO}/comments", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["count"] == 4


def test_a_team_member_added_later_appears_on_the_page_they_sort_into(
    lists: None, lead: User, demo: Assessment
) -> None:
    client = client_for(lead)
    first = client.get(f"{DEMO}/team?limit=2").json()
    assert [m["username"] for m in first["results"]] == ["assessor", "counterpart"]
    persona("crane", demo, Role.ASSESSOR)
    second = client.get(first["next"]).json()
    assert [m["username"] for m in second["results"]] == ["crane", "demo"]
    assert second["count"] == 9


def test_a_search_of_the_register_pages_with_the_phrase_first(lists: None, outsider: User) -> None:
    client = client_for(outsider)
    page = client.get(f"{BASE}/organisations/VN?q=bo+cong+an&limit=1").json()
    found = [o["abbreviation"] for o in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        found += [o["abbreviation"] for o in page["results"]]
    # "Bộ Công an" holds the words as typed; the others start words so ("and", "công").
    assert found == ["MoPS", "MoIT", "MoST"]
    by_abbreviation = results(client, f"{BASE}/organisations/VN?q=bo+cong+an&sort=-abbreviation")
    assert [o["abbreviation"] for o in by_abbreviation] == ["MoST", "MoPS", "MoIT"]
