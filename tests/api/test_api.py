import base64
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

BASE = "/api/v1"


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def api(assessor, settings) -> Client:  # type: ignore[no-untyped-def]
    """An API client authenticated with HTTP Basic as the assessor, on a site
    where everyone signed in may create assessments."""
    settings.ASSESSMENT_CREATORS = "everyone"
    client = Client()
    client.defaults.update(basic("assessor", PASSWORD))
    return client


def put_json(client: Client, url: str, data: object):  # type: ignore[no-untyped-def]
    return client.put(url, json.dumps(data), content_type="application/json")


def post_json(client: Client, url: str, data: object):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(data), content_type="application/json")


def test_anonymous_requests_are_refused(anonymous_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    assert anonymous_client.get(f"{BASE}/assessments").status_code == 401
    assert anonymous_client.get(f"{BASE}/frameworks").status_code == 401


def test_a_wrong_password_is_refused(assessor) -> None:  # type: ignore[no-untyped-def]
    client = Client(**basic("assessor", "wrong"))
    assert client.get(f"{BASE}/frameworks").status_code == 401


def test_it_lists_frameworks_with_their_counts(api: Client) -> None:
    frameworks = {f["key"]: f for f in api.get(f"{BASE}/frameworks").json()["results"]}
    assert (frameworks["dgra"]["dimension_count"], frameworks["dgra"]["question_count"]) == (7, 66)
    assert (frameworks["odra"]["dimension_count"], frameworks["odra"]["question_count"]) == (8, 43)
    detail = api.get(f"{BASE}/frameworks/odra/3.1").json()
    assert detail["dimensions"][0]["questions"][0]["importance"] == "very_high"
    assert detail["dimensions"][0]["questions"][0]["text"]["vi"]


def test_the_demo_detail_shows_suggested_and_chosen_verdicts(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    detail = api.get(f"{BASE}/assessments/vietnam-2019").json()
    dgra_1 = next(
        d for d in detail["dimensions"] if (d["framework"], d["dimension"]) == ("dgra", "1")
    )
    assert dgra_1["verdict"]["level"] == "yellow"
    assert dgra_1["suggested"]["level"] == "yellow_red"
    assert dgra_1["verdict"]["override_reason"]
    assert dgra_1["rated_count"] == dgra_1["question_count"] == 17


def test_an_assessor_creates_an_assessment_adds_evidence_and_rates(api: Client) -> None:
    created = post_json(
        api,
        f"{BASE}/assessments",
        {
            "slug": "vn-2026",
            "title": "Viet Nam 2026",
            "subject": {"kind": "country", "code": "VN"},
            "frameworks": [{"key": "dgra", "version": "2018"}],
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["subject_display"] == "Viet Nam"
    evidence = post_json(
        api,
        f"{BASE}/assessments/vn-2026/evidence",
        {
            "framework": "dgra",
            "question": "1.1",
            "sign": "+",
            "text": "Resolution 52 sets a national digital vision.",
            "source_kind": "document",
        },
    )
    assert evidence.status_code == 201, evidence.content
    evidence_id = evidence.json()["id"]
    rated = put_json(
        api,
        f"{BASE}/assessments/vn-2026/ratings/dgra/1.1",
        {
            "level": "green",
            "rationale": "Clear vision.",
            "cited_evidence": [evidence_id],
            "version": None,
        },
    )
    assert rated.status_code == 200, rated.content
    assert rated.json()["version"] == 1 and rated.json()["cited_evidence"] == [evidence_id]
    assert rated.json()["contradicts_evidence"] is False
    verdict = put_json(
        api, f"{BASE}/assessments/vn-2026/verdicts/dgra/1", {"level": "green", "version": None}
    )
    assert verdict.status_code == 200, verdict.content
    listed = api.get(f"{BASE}/assessments/vn-2026/evidence?question=1.1").json()
    assert [e["id"] for e in listed["results"]] == [evidence_id]


def test_a_stale_version_gets_409_with_the_current_value(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    url = f"{BASE}/assessments/vietnam-2019/ratings/dgra/1.2"
    first = put_json(api, url, {"level": "red", "rationale": "mine", "version": 1})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = put_json(api, url, {"level": "green", "rationale": "theirs", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current"]["level"] == "red"
    assert stale.json()["current_version"] == 2
    ratings = api.get(f"{BASE}/assessments/vietnam-2019/ratings?limit=500").json()["results"]
    stored = next(r for r in ratings if (r["framework"], r["question"]) == ("dgra", "1.2"))
    assert (stored["level"], stored["rationale"], stored["version"]) == ("red", "mine", 2)


def test_a_green_rating_on_only_negative_evidence_is_flagged(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    # ODRA 5.4 has only "-" evidence in the demo.
    ratings = {
        (r["framework"], r["question"]): r
        for r in api.get(f"{BASE}/assessments/vietnam-2019/ratings?limit=500").json()["results"]
    }
    current = ratings[("odra", "5.4")]
    assert current["contradicts_evidence"] is False
    green = put_json(
        api,
        f"{BASE}/assessments/vietnam-2019/ratings/odra/5.4",
        {"level": "green", "version": current["version"]},
    )
    assert green.json()["contradicts_evidence"] is True


@pytest.mark.parametrize(
    ("method", "url", "payload", "status"),
    [
        (
            "put",
            "/assessments/vietnam-2019/ratings/dgra/1.1",
            {"level": "purple", "version": 1},
            422,
        ),
        ("put", "/assessments/vietnam-2019/ratings/dgra/99.1", {"level": "red", "version": 1}, 404),
        ("put", "/assessments/vietnam-2019/ratings/oecd-dgpf/1.1", {"level": "advanced"}, 404),
        ("put", "/assessments/nowhere/ratings/dgra/1.1", {"level": "red"}, 404),
        ("put", "/assessments/vietnam-2019/ratings/dgra/1.1", {"level": 5}, 422),
        (
            "put",
            "/assessments/vietnam-2019/ratings/dgra/1.1",
            {"level": "red", "cited_evidence": [999999]},
            422,
        ),
        (
            "post",
            "/assessments/vietnam-2019/evidence",
            {
                "framework": "dgra",
                "question": "1.1",
                "sign": "?",
                "text": "x",
                "source_kind": "document",
            },
            422,
        ),
        (
            "post",
            "/assessments/vietnam-2019/evidence",
            {
                "framework": "dgra",
                "question": "1.1",
                "sign": "+",
                "text": "x",
                "source_kind": "document",
                "reference_url": "ftp://x",
            },
            422,
        ),
        (
            "post",
            "/assessments/vietnam-2019/evidence",
            {
                "framework": "dgra",
                "question": "1.1",
                "sign": "+",
                "text": "x\u0000",
                "source_kind": "document",
            },
            422,
        ),
        (
            "post",
            "/assessments",
            {
                "slug": "a b",
                "title": "t",
                "subject": {"kind": "country", "code": "VN"},
                "frameworks": [],
            },
            422,
        ),
        (
            "post",
            "/assessments",
            {
                "slug": "ab",
                "title": "t",
                "subject": {"kind": "country", "code": "ZZ"},
                "frameworks": [{"key": "dgra", "version": "1999"}],
            },
            422,
        ),
        ("patch", "/assessments/vietnam-2019/evidence/999999999", {"version": 1, "text": "x"}, 404),
        (
            "patch",
            "/assessments/vietnam-2019/evidence/99999999999999999999999",
            {"version": 1},
            422,
        ),
        ("put", "/assessments/vietnam-2019/verdicts/dgra/1", {"level": "green", "version": 1}, 422),
        ("post", "/assessments/import", {"format": "something-else"}, 422),
    ],
)
def test_bad_input_gets_a_clear_4xx_and_changes_nothing(
    api: Client, demo, method, url, payload, status
) -> None:  # type: ignore[no-untyped-def]
    before = api.get(f"{BASE}/assessments/vietnam-2019/export").content
    response = getattr(api, method)(
        f"{BASE}{url}", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "errors"} and body["message"]
    assert api.get(f"{BASE}/assessments/vietnam-2019/export").content == before


def test_malformed_json_gets_400_not_500(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    response = api.put(
        f"{BASE}/assessments/vietnam-2019/ratings/dgra/1.1",
        "{not json",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"message", "errors"}


def test_export_then_import_through_the_api(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    document = api.get(f"{BASE}/assessments/vietnam-2019/export").json()
    document["assessment"]["slug"] = "vietnam-copy"
    imported = post_json(api, f"{BASE}/assessments/import", document)
    assert imported.status_code == 201, imported.content[:500]
    copy = api.get(f"{BASE}/assessments/vietnam-copy/export").json()
    copy["assessment"]["slug"] = "vietnam-2019"
    document["assessment"]["slug"] = "vietnam-2019"
    assert copy == document


def test_the_session_cookie_works_for_reads(assessor_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    assert assessor_client.get(f"{BASE}/assessments").status_code == 200


def test_listing_ratings_takes_a_fixed_number_of_queries(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        ratings = api.get(f"{BASE}/assessments/vietnam-2019/ratings?limit=500").json()["results"]
    assert len(ratings) == 66 + 43
    assert len(captured) < 15
    assert [r["question"] for r in ratings[:3]] == ["1.1", "1.2", "1.3"]


def test_two_api_clients_editing_the_same_rating_never_overwrite_each_other(
    demo,
    assessor,
    lead,  # type: ignore[no-untyped-def]
) -> None:
    first, second = Client(**basic("assessor", PASSWORD)), Client(**basic("lead", PASSWORD))
    url = f"{BASE}/assessments/vietnam-2019/ratings/dgra/1.3"
    seen = {
        r["question"]: r["version"]
        for r in first.get(
            f"{BASE}/assessments/vietnam-2019/ratings?framework=dgra&limit=500"
        ).json()["results"]
    }["1.3"]
    saved = put_json(
        first, url, {"level": "yellow", "rationale": "assessor's view", "version": seen}
    )
    refused = put_json(second, url, {"level": "red", "rationale": "lead's view", "version": seen})
    assert saved.status_code == 200 and refused.status_code == 409
    assert refused.json()["current"]["rationale"] == "assessor's view"
    history = first.get(f"{BASE}/assessments/vietnam-2019/history/dgra/1.3").json()["results"]
    assert "lead's view" not in json.dumps(history)
    retried = put_json(
        second,
        url,
        {"level": "red", "rationale": "lead's view", "version": saved.json()["version"]},
    )
    assert retried.status_code == 200
    history = first.get(f"{BASE}/assessments/vietnam-2019/history/dgra/1.3").json()["results"]
    rationales = [c["after"]["rationale"] for c in history if c["entity"] == "rating"]
    assert rationales[:2] == ["lead's view", "assessor's view"]
