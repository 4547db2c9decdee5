"""The web lists in a browser: no accessibility finding (axe-core), in
English and Vietnamese, with filters and a sort applied; at 375 px the list
does not push the page sideways (a wide table scrolls in its own box)."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser

from readiness.demo.services import DEMO_USERNAME
from tests.browser.test_accessibility import findings, signed_in

LISTS = [
    "/assessments/?state=draft&sort=title",
    "/assessments/vietnam-2019/evidence/?framework=dgra&sort=-date",
    "/assessments/vietnam-2019/plan/list/?phase=short&sort=owner",
]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_lists_have_no_accessibility_finding(
    browser: Browser, demo_site: Any, language: str
) -> None:
    context = signed_in(browser, demo_site.url, language, User.objects.get(username=DEMO_USERNAME))
    found = {url: findings(context, demo_site.url + url) for url in LISTS}
    context.close()
    assert {url: problems for url, problems in found.items() if problems} == {}


def test_at_375_pixels_only_the_table_scrolls_sideways(browser: Browser, demo_site: Any) -> None:
    context = signed_in(browser, demo_site.url, "en", User.objects.get(username=DEMO_USERNAME))
    page = context.new_page()
    page.set_viewport_size({"width": 375, "height": 800})
    for url in LISTS:
        page.goto(demo_site.url + url)
        # The list itself (the site's header is not the lists' to test).
        main = page.locator("main")
        assert main.evaluate("e => e.scrollWidth <= e.clientWidth"), url
        box = page.locator(".table-scroll")
        assert box.evaluate("e => e.scrollWidth > e.clientWidth"), url
    page.goto(demo_site.url + LISTS[1])
    page.get_by_role("link", name="Next page").click()
    assert "cursor=" in page.url and "framework=dgra" in page.url
    assert page.get_by_label("Framework").input_value() == "dgra"
    context.close()
