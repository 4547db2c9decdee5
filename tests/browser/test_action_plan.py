from playwright.sync_api import Page, expect

from readiness.actionplans.models import Action
from tests.browser.test_workspace import log_in


def test_an_action_with_a_dependency_appears_on_the_month_grid(page: Page, demo_site) -> None:  # type: ignore[no-untyped-def]
    log_in(page, demo_site.url)
    page.goto(f"{demo_site.url}/assessments/vietnam-2019/plan/")
    page.get_by_label("Key").fill("pilot-portal")
    page.get_by_label("Title").fill("Pilot the e-consultation portal in two provinces")
    page.get_by_label("Dimension", exact=True).select_option(label="DGRA 2. User Focus")
    page.get_by_label("Phase").select_option("medium")
    page.get_by_label("Responsible agency", exact=True).fill("MIC")
    page.get_by_label("Start month").fill("13")
    page.get_by_label("Duration in months").fill("4")
    page.get_by_label("Starts after").select_option("dgra-uf-1")
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("status")).to_contain_text("Action added.")
    # Its prerequisite (dgra-uf-1) is named by title.
    expect(page.locator("#action-pilot-portal dl.facts")).to_contain_text(
        "AfterDevelop an e-participation portal"
    )

    page.get_by_role("link", name="Tabular view (month grid)").first.click()
    row = page.locator("#grid-pilot-portal")
    expect(row).to_contain_text("Pilot the e-consultation portal in two provinces")
    expect(row.locator("td.bar")).to_have_count(4)
    bars = row.locator("td.month")
    expect(bars.nth(12)).to_have_class("month bar")
    expect(bars.nth(11)).to_have_class("month")
    action = Action.objects.get(key="pilot-portal")
    assert (action.start_month, action.end_month) == (13, 16)
