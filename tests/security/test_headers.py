"""Security headers on every answer, private pages out of caches, and redirects
that stay on the site."""

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client

from readiness.accounts.services import create_token
from readiness.assessments.models import Assessment
from readiness.reports import services as reports
from readiness.reports import tasks as report_tasks
from readiness.reviews import services as reviews
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
OVERVIEW = "/assessments/vietnam-2019/"


def policy(response: HttpResponse) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def cache_control(response: HttpResponse) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def publish(assessment: Assessment) -> Assessment:
    for state in ("in_review", "approved", "published"):
        assessment = reviews.move_to(actor=None, assessment=assessment, target=state)
    return assessment


def assert_site_policy(response: HttpResponse) -> None:
    assert policy(response) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_an_html_page_forbids_inline_script_framing_and_sniffing(lead: User) -> None:
    response = client_for(lead).get(OVERVIEW)
    assert response.status_code == 200
    assert_site_policy(response)


def test_the_login_page_and_a_missing_page_have_the_same_headers() -> None:
    assert_site_policy(Client().get("/accounts/login/"))
    assert_site_policy(Client().get("/no-such-page/"))


def test_the_api_has_the_same_headers(lead: User) -> None:
    response = client_for(lead).get("/api/v1/assessments/vietnam-2019")
    assert response.status_code == 200
    assert_site_policy(response)
    assert_site_policy(Client().get("/api/v1/published"))


def test_the_report_page_may_use_its_inline_styles_and_images_but_no_script(lead: User) -> None:
    response = client_for(lead).get("/assessments/vietnam-2019/report/")
    assert response.status_code == 200
    assert b"<style>" in response.content and b'src="data:image/svg+xml;base64,' in response.content
    directives = policy(response)
    assert directives["style-src"] == ["'unsafe-inline'"]
    assert directives["img-src"] == ["data:"]
    assert directives["script-src"] == ["'none'"]
    assert directives["form-action"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    # ...and the rest of the site keeps its own policy.
    assert policy(client_for(lead).get(OVERVIEW))["style-src"] == ["'self'"]


def test_a_signed_in_draft_page_and_the_api_are_not_stored_by_any_cache(lead: User) -> None:
    client = client_for(lead)
    for path in (OVERVIEW, "/assessments/vietnam-2019/plan/", "/api/v1/assessments/vietnam-2019"):
        assert {"no-store", "private"} <= cache_control(client.get(path)), path


def test_files_of_unpublished_work_are_not_stored_by_any_cache(
    lead: User, demo: Assessment
) -> None:
    report = report_tasks.request_report(lead, demo, "html", "en")
    reports.run_report(report.pk)
    client = client_for(lead)
    downloads = [
        f"/assessments/vietnam-2019/reports/{report.pk}/download/",
        f"/api/v1/assessments/vietnam-2019/reports/{report.pk}/file",
        "/assessments/vietnam-2019/plan/export.xlsx",
    ]
    for path in downloads:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "attachment" in response["Content-Disposition"], path
        assert {"no-store", "private"} <= cache_control(response), path


def test_a_token_client_gets_no_store_too(lead: User) -> None:
    _, secret = create_token(lead, "script")
    response = Client().get(
        "/api/v1/assessments/vietnam-2019", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200
    assert {"no-store", "private"} <= cache_control(response)


def test_published_pages_and_files_keep_normal_caching(demo: Assessment, lead: User) -> None:
    report = report_tasks.request_report(None, publish(demo), "html", "en")
    reports.run_report(report.pk)
    anonymous = Client()
    for path in (
        "/published/vietnam-2019/",
        f"/published/vietnam-2019/reports/{report.pk}/",
        "/api/v1/published/vietnam-2019",
    ):
        response = anonymous.get(path)
        assert response.status_code == 200, path
        assert "no-store" not in cache_control(response), path
    # A signed-in reader's copy names them: no shared cache, but no need to refetch.
    signed_in = cache_control(client_for(lead).get("/published/vietnam-2019/"))
    assert "private" in signed_in and "no-store" not in signed_in


def test_static_files_keep_their_caching_for_a_signed_in_user(lead: User) -> None:
    response = client_for(lead).get("/static/readiness/app.js")
    assert response.status_code == 200
    assert "no-store" not in cache_control(response)


def test_the_comment_form_does_not_follow_an_outside_referer(counterpart: User) -> None:
    client = client_for(counterpart)
    outside = client.post(
        OVERVIEW + "comments/", {"text": "A comment"}, HTTP_REFERER="https://evil.example/"
    )
    assert outside.status_code == 302 and outside["Location"] == OVERVIEW
    own = client.post(
        OVERVIEW + "comments/",
        {"text": "Another"},
        HTTP_REFERER="http://testserver/assessments/vietnam-2019/dgra/1/",
    )
    assert own.status_code == 302
    assert own["Location"] == "http://testserver/assessments/vietnam-2019/dgra/1/"


def test_the_resolve_form_does_not_follow_an_outside_referer(lead: User, demo: Assessment) -> None:
    comment = reviews.add_comment(actor=lead, assessment=demo, text="Please check")
    for referer in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client_for(lead).post(
            f"{OVERVIEW}comments/{comment.pk}/resolution/", {}, HTTP_REFERER=referer
        )
        assert response.status_code == 302 and response["Location"] == OVERVIEW, referer
