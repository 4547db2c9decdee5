"""The API over a real HTTP connection (Django's test client skips CSRF
checks, so scripts' authentication is checked here against a live server)."""

import base64
import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.contrib.auth.models import User

from readiness.assessments.models import Membership
from readiness.assessments.permissions import Role
from readiness.demo.services import load_demo


def call(url: str, method: str, body: Any, headers: dict[str, str]) -> tuple[int, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture
def site(live_server, transactional_db):  # type: ignore[no-untyped-def]
    load_demo()
    user = User.objects.create_user(username="script", password="script-pass-1")
    Membership.objects.create(
        assessment=Membership.objects.first().assessment,  # type: ignore[union-attr]
        user=user,
        role=Role.ASSESSOR,
    )
    return live_server.url + "/api/v1"


def test_a_script_writes_with_basic_auth_and_then_with_a_token(site: str) -> None:
    basic = {"Authorization": "Basic " + base64.b64encode(b"script:script-pass-1").decode()}
    status, created = call(f"{site}/account/tokens", "POST", {"name": "ci"}, basic)
    assert status == 201, created
    bearer = {"Authorization": f"Bearer {created['token']}"}
    evidence = {
        "framework": "dgra",
        "question": "1.1",
        "sign": "+",
        "text": "Written by a script",
        "source_kind": "document",
    }
    status, body = call(f"{site}/assessments/vietnam-2019/evidence", "POST", evidence, bearer)
    assert status == 201, body
    status, body = call(f"{site}/assessments/vietnam-2019/evidence", "POST", evidence, basic)
    assert status == 201, body


def test_a_revoked_or_unknown_token_is_refused(site: str) -> None:
    basic = {"Authorization": "Basic " + base64.b64encode(b"script:script-pass-1").decode()}
    _, created = call(f"{site}/account/tokens", "POST", {"name": "short-lived"}, basic)
    bearer = {"Authorization": f"Bearer {created['token']}"}
    assert call(f"{site}/assessments", "GET", None, bearer)[0] == 200
    assert call(f"{site}/account/tokens/{created['id']}", "DELETE", None, basic)[0] == 200
    assert call(f"{site}/assessments", "GET", None, bearer)[0] == 401
    assert call(f"{site}/assessments", "GET", None, {"Authorization": "Bearer rdy_nope"})[0] == 401
