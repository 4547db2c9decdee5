"""The plan's pages on a 375 px phone, in English and Vietnamese: nothing
scrolls the page sideways (wide tables scroll in their own box, which the
keyboard reaches), and an action is edited and deleted and restored there."""

import pytest
from playwright.sync_api import Page, expect

from readiness.actionplans.models import Action
from tests.browser.test_workspace import log_in

PHONE = {"width": 375, "height": 740}
PAGES = ["plan/", "plan/grid/", "plan/dgra-lg-2/edit/"]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_no_plan_page_is_wider_than_a_phone(page: Page, demo_site, language: str) -> None:  # type: ignore[no-untyped-def]
    log_in(page, demo_site.url)
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo_site.url}])
    for path in PAGES:
        page.goto(f"{demo_site.url}/assessments/vietnam-2019/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} in {language}: {width} px wide"


def test_the_grid_scrolls_with_the_keyboard_and_keeps_the_titles_in_view(
    page: Page, demo_site
) -> None:  # type: ignore[no-untyped-def]
    log_in(page, demo_site.url)
    page.set_viewport_size(PHONE)
    page.goto(f"{demo_site.url}/assessments/vietnam-2019/plan/grid/")
    box = page.get_by_role("region", name="Actions by month (scrolls sideways)")
    box.focus()
    expect(box).to_be_focused()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    assert box.evaluate("element => element.scrollLeft") > 0
    title = page.locator("#grid-dgra-lg-2 th")
    box_left = box.evaluate("element => element.getBoundingClientRect().left")
    assert title.evaluate("element => element.getBoundingClientRect().left") == pytest.approx(
        box_left, abs=2
    )  # sticky: still at the box's left edge


def test_an_action_is_edited_deleted_and_restored_on_a_phone(page: Page, demo_site) -> None:  # type: ignore[no-untyped-def]
    log_in(page, demo_site.url)
    page.set_viewport_size(PHONE)
    page.goto(f"{demo_site.url}/assessments/vietnam-2019/plan/")
    page.get_by_role("link", name="Edit “Develop IT spend control policy”").click()
    page.get_by_label("Title").fill("Issue an IT spend control policy")
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_role("status")).to_contain_text("The action is saved.")
    expect(page.locator("#action-dgra-lg-2")).to_contain_text("Issue an IT spend control policy")

    page.get_by_role("link", name="Edit “Issue an IT spend control policy”").click()
    page.get_by_role("button", name="Delete the action").click()
    expect(page.get_by_role("status")).to_contain_text("is deleted")
    assert not Action.objects.filter(key="dgra-lg-2").exists()
    page.get_by_role("button", name="Restore “Issue an IT spend control policy”").click()
    expect(page.get_by_role("status")).to_contain_text("is restored")
    expect(page.locator("#action-dgra-lg-2")).to_contain_text("Issue an IT spend control policy")
