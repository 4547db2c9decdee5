"""ETag and Last-Modified on reads (304 when nothing changed); If-Match as
the version of a write (docs/api.md)."""

import json

import pytest
from django.test import Client

from readiness.assessments.models import Assessment, Evidence

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
DEMO = f"{BASE}/assessments/vietnam-2019"


def patch_json(client: Client, url: str, data: object, **headers: str):  # type: ignore[no-untyped-def]
    return client.patch(url, json.dumps(data), content_type="application/json", headers=headers)


@pytest.mark.parametrize("url", [DEMO, f"{BASE}/assessments", f"{DEMO}/evidence?limit=5"])
def test_a_read_repeated_with_its_etag_gets_304_without_a_body(
    assessor_client: Client, url: str
) -> None:
    first = assessor_client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    again = assessor_client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert assessor_client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_change_makes_the_old_etag_and_date_stale(
    assessor_client: Client, demo: Assessment
) -> None:
    url = f"{DEMO}/evidence?limit=5"
    first = assessor_client.get(url)
    item = first.json()["results"][0]
    changed = patch_json(
        assessor_client,
        f"{DEMO}/evidence/{item['id']}",
        {"version": item["version"], "text": "New"},
    )
    assert changed.status_code == 200, changed.content
    again = assessor_client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert again.json()["results"][0]["text"] == "New"


def test_if_modified_since_gets_304_until_something_changes(
    assessor_client: Client, demo: Assessment
) -> None:
    item = Evidence.objects.filter(assessment=demo).order_by("id").first()
    assert item is not None
    changed = patch_json(assessor_client, f"{DEMO}/evidence/{item.pk}", {"version": 1, "text": "A"})
    assert changed.status_code == 200
    url = f"{DEMO}/evidence?limit=5"
    modified = assessor_client.get(url).headers["Last-Modified"]
    assert assessor_client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert (
        assessor_client.get(
            url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
        ).status_code
        == 200
    )


def test_if_match_stands_for_the_version_of_a_change(
    assessor_client: Client, demo: Assessment
) -> None:
    item = Evidence.objects.filter(assessment=demo).order_by("id").first()
    assert item is not None
    url = f"{DEMO}/evidence/{item.pk}"
    saved = patch_json(assessor_client, url, {"text": "Mine"}, **{"If-Match": '"1"'})
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 2 and saved.headers["ETag"] == '"2"'
    stale = patch_json(assessor_client, url, {"text": "Theirs"}, **{"If-Match": '"1"'})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2 and stale.json()["current"]["text"] == "Mine"
    item.refresh_from_db()
    assert item.text == "Mine"


def test_if_match_and_a_version_that_disagree_or_a_missing_one_are_refused(
    assessor_client: Client, demo: Assessment
) -> None:
    item = Evidence.objects.filter(assessment=demo).order_by("id").first()
    assert item is not None
    url = f"{DEMO}/evidence/{item.pk}"
    both = patch_json(assessor_client, url, {"version": 1, "text": "x"}, **{"If-Match": '"2"'})
    assert both.status_code == 422
    assert [e["path"] for e in both.json()["errors"]] == ["version"]
    neither = patch_json(assessor_client, url, {"text": "x"})
    assert neither.status_code == 422
    assert [e["path"] for e in neither.json()["errors"]] == ["version"]
    garbled = patch_json(assessor_client, url, {"text": "x"}, **{"If-Match": "W/1"})
    assert garbled.status_code == 422
    assert [e["path"] for e in garbled.json()["errors"]] == ["If-Match"]
    item.refresh_from_db()
    assert (item.text, item.version) != ("x", 2)


def test_a_deletion_takes_its_version_from_if_match(
    assessor_client: Client, demo: Assessment
) -> None:
    item = Evidence.objects.filter(assessment=demo).order_by("id").first()
    assert item is not None
    url = f"{DEMO}/evidence/{item.pk}"
    assert assessor_client.delete(url, headers={"If-Match": '"7"'}).status_code == 409
    assert assessor_client.delete(url, headers={"If-Match": '"1"'}).status_code == 204
    assert not Evidence.objects.filter(pk=item.pk).exists()


def test_a_rating_takes_its_version_from_if_match(assessor_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    url = f"{DEMO}/ratings/dgra/1.2"
    body = json.dumps({"level": "red", "rationale": "mine"})
    first = assessor_client.put(
        url, body, content_type="application/json", headers={"If-Match": '"1"'}
    )
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    stale = assessor_client.put(
        url, body, content_type="application/json", headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 409
