"""The notifications pages in a browser: axe-core finds nothing on the list
(with unread items, so its buttons and the header count are there) and the
preferences, in English and Vietnamese, and neither scrolls sideways at 375 px."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser

from readiness.assessments.models import Assessment
from readiness.demo.services import DEMO_USERNAME
from readiness.notifications.models import Kind
from readiness.notifications.services import notify
from tests.browser.test_accessibility import findings, overflow, signed_in

PAGES = ["/notifications/", "/notifications/preferences/"]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_notifications_pages_are_accessible_and_fit_a_phone(
    browser: Browser, demo_site, language: str
) -> None:  # type: ignore[no-untyped-def]
    user = User.objects.get(username=DEMO_USERNAME)
    demo = Assessment.objects.get(slug="vietnam-2019")
    for kind in (Kind.ASSIGNED, Kind.MENTIONED):
        notify(kind=kind, recipients=[user], assessment=demo, actor=None, about={"question": "1.1"})
    base = demo_site.url
    context = signed_in(browser, base, language, user)
    found = {page: findings(context, base + page) for page in PAGES}
    context.close()
    assert {page: v for page, v in found.items() if v} == {}
    phone = signed_in(browser, base, language, user, {"viewport": {"width": 375, "height": 800}})
    wide = {page: overflow(phone, base + page) for page in PAGES}
    phone.close()
    # (pixels past the edge, what reaches out) per page
    assert {page: past for page, past in wide.items() if past[0] > 0} == {}
