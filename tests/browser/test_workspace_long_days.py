"""The workspace for long days in Chromium: filters, "next unrated" with its
key, collapsing remembered across reloads, focus kept after saving, and
evidence edited in place."""

import re

from playwright.sync_api import Page, expect

from readiness.assessments.models import Assessment
from readiness.frameworks.models import Framework
from tests.browser.test_workspace import log_in

WORKSPACE = "/assessments/vietnam-2019/dgra/1/"


def question_pk(key: str) -> int:
    return Framework.objects.get(key="dgra").questions.get(key=key).pk


def unrate(*keys: str) -> None:
    demo = Assessment.objects.get(slug="vietnam-2019")
    demo.ratings.filter(question__framework__key="dgra", question__key__in=keys).delete()


def test_the_unrated_filter_and_the_n_key_lead_through_the_gaps(page: Page, demo_site) -> None:  # type: ignore[no-untyped-def]
    unrate("1.3", "1.7")
    log_in(page, demo_site.url)
    page.goto(demo_site.url + WORKSPACE)
    expect(page.get_by_text("This dimension: 15 of 17 questions rated")).to_be_visible()

    page.get_by_label("unrated", exact=True).check()
    expect(page.locator("#filter-count")).to_have_text("Showing 2 of 17 questions.")
    expect(page.locator(f"#q-{question_pk('1.1')}")).to_be_hidden()
    expect(page.locator(f"#q-{question_pk('1.3')}")).to_be_visible()

    page.get_by_label("all questions").check()
    expect(page.locator("#filter-count")).to_have_text("Showing 17 of 17 questions.")
    page.keyboard.press("n")  # from the radio button: it does not type
    expect(page.locator(f"#q-{question_pk('1.3')}-title")).to_be_focused()
    page.keyboard.press("n")
    expect(page.locator(f"#q-{question_pk('1.7')}-title")).to_be_focused()
    page.keyboard.press("n")  # round again to the first
    expect(page.locator(f"#q-{question_pk('1.3')}-title")).to_be_focused()


def test_a_collapsed_question_stays_collapsed_after_a_reload(page: Page, demo_site) -> None:  # type: ignore[no-untyped-def]
    log_in(page, demo_site.url)
    page.goto(demo_site.url + WORKSPACE)
    article = page.locator(f"#q-{question_pk('1.2')}")
    toggle = article.get_by_role("button", name="Collapse or expand")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(article.locator(".question-body")).to_be_hidden()
    page.reload()
    article = page.locator(f"#q-{question_pk('1.2')}")
    expect(article.locator(".question-body")).to_be_hidden()
    expect(article.get_by_role("button", name="Collapse or expand")).to_have_attribute(
        "aria-expanded", "false"
    )
    page.get_by_role("button", name="Expand all").click()
    expect(article.locator(".question-body")).to_be_visible()


def test_saving_keeps_focus_and_scroll_and_evidence_is_edited_in_place(
    page: Page, demo_site
) -> None:  # type: ignore[no-untyped-def]
    pk = question_pk("1.9")
    log_in(page, demo_site.url)
    page.goto(demo_site.url + WORKSPACE)
    article = page.locator(f"#q-{pk}")
    article.get_by_label("Green", exact=True).check()
    save = article.get_by_role("button", name="Save rating")
    save.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    save.click()
    expect(page.locator(f"#q-{pk}").get_by_role("status")).to_have_text("Rating saved.")
    expect(page.locator(f"#save-rating-{pk}")).to_be_focused()
    assert abs(page.evaluate("window.scrollY") - before) < 50

    article = page.locator(f"#q-{pk}")
    first_item = article.locator("ol.evidence > li").first
    first_item.get_by_role("link", name=re.compile("^Edit or delete")).click()
    text = page.locator(f"#q-{pk}").get_by_label("Evidence", exact=True).first
    text.fill("Rewritten in the browser.")
    page.locator(f"#q-{pk}").get_by_role("button", name="Save evidence").click()
    expect(page.locator(f"#q-{pk} ol.evidence")).to_contain_text("Rewritten in the browser.")
    expect(page.locator(f"#q-{pk}")).to_contain_text("Evidence saved.")


def test_the_phone_width_workspace_does_not_scroll_sideways(page: Page, demo_site) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, demo_site.url)
    page.goto(demo_site.url + WORKSPACE)
    expect(page.get_by_role("button", name="Next unrated question")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
