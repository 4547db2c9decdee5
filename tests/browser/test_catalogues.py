"""The open data inventory in Chromium: the lead uploads a spreadsheet into a
catalogue, reads what the import added, then filters the datasets, the
filters kept in the address; the inventory's pages have no accessibility
finding in English and Vietnamese, and at 375 px only their tables scroll
sideways."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from readiness.assessments.models import Assessment
from readiness.catalogues.models import Catalogue, CatalogueRun, Dataset, Distribution
from readiness.catalogues.records import TABLE_COLUMNS
from readiness.demo.services import DEMO_USERNAME
from tests.browser.test_accessibility import findings, signed_in

SLUG = "vietnam-2019"
INVENTORY = f"/assessments/{SLUG}/inventory/"
ROWS = [
    {
        "identifier": "roads",
        "title": "Road network",
        "format": "CSV",
        "recommendation": "quick_win",
    },
    {"identifier": "schools", "title": "Schools", "format": "XLSX", "recommendation": "priority"},
    {"identifier": "clinics", "title": "Clinics", "format": "PDF", "recommendation": "quick_win"},
]


def spreadsheet() -> bytes:
    lines = [",".join(TABLE_COLUMNS)]
    lines += [",".join(row.get(column, "") for column in TABLE_COLUMNS) for row in ROWS]
    return ("\r\n".join(lines) + "\r\n").encode()


def browser_portal() -> Catalogue:
    return Catalogue.objects.create(
        assessment=Assessment.objects.get(slug=SLUG),
        key="browser-portal",
        title="Browser portal",
        kind="spreadsheet",
    )


def test_the_lead_imports_a_spreadsheet_and_filters_the_datasets(
    browser: Browser, demo_site: Any
) -> None:
    browser_portal()
    context = signed_in(browser, demo_site.url, "en", User.objects.get(username=DEMO_USERNAME))
    page = context.new_page()
    page.goto(demo_site.url + INVENTORY + "catalogues/browser-portal/")
    page.get_by_label("Catalogue file").set_input_files(
        {"name": "inventory.csv", "mimeType": "text/csv", "buffer": spreadsheet()}
    )
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("dl.facts")).to_contain_text("Added")
    assert page.locator("dt:text-is('Added') + dd").inner_text() == "3"

    page.goto(demo_site.url + INVENTORY + "?catalogue=browser-portal")
    page.get_by_label("Recommendation").select_option("quick_win")
    page.get_by_role("button", name="Filter").click()
    assert "recommendation=quick_win" in page.url and "catalogue=browser-portal" in page.url
    titles = page.locator("#datasets-caption + thead + tbody th[scope=row]").all_inner_texts()
    assert sorted(titles) == ["Clinics", "Road network"]
    assert page.get_by_label("Recommendation").input_value() == "quick_win"

    page.get_by_role("link", name="Road network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Road network")
    context.close()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_inventory_pages_have_no_accessibility_finding(
    browser: Browser, demo_site: Any, language: str
) -> None:
    catalogue = browser_portal()
    # Stored directly: the import has its own test above.
    dataset = Dataset.objects.create(
        catalogue=catalogue, identifier="roads", title="Road network", recommendation="quick_win"
    )
    Distribution.objects.create(
        dataset=dataset, format="CSV", download_url="https://example.org/roads.csv"
    )
    run = CatalogueRun.objects.create(
        catalogue=catalogue, kind="import", status="done", added=1, warnings=["line 3: a warning"]
    )
    portal = INVENTORY + "catalogues/browser-portal/"
    pages = [
        INVENTORY + "?recommendation=quick_win&sort=-stars",
        INVENTORY + "summary/",
        portal,
        portal + "edit/",
        f"{portal}datasets/{dataset.pk}/",
        f"{portal}datasets/{dataset.pk}/edit/",
        f"{portal}datasets/{dataset.pk}/delete/",
        portal + "datasets/new/",
        f"{portal}runs/{run.pk}/",
        INVENTORY + "cite/?kind=count&dimension=recommendation&value=quick_win",
    ]
    context = signed_in(browser, demo_site.url, language, User.objects.get(username=DEMO_USERNAME))
    found = {url: findings(context, demo_site.url + url) for url in pages}
    context.close()
    problems = {url: problems for url, problems in found.items() if problems}
    assert problems == {}, "\n".join(
        f"{url}: {v['impact']} {v['id']} ({v['help']}) at {v['targets']}"
        for url, violations in problems.items()
        for v in violations
    )

    phone = signed_in(
        browser,
        demo_site.url,
        language,
        User.objects.get(username=DEMO_USERNAME),
        {"viewport": {"width": 375, "height": 800}},
    )
    page = phone.new_page()
    for url in pages:
        page.goto(demo_site.url + url)
        assert page.locator("main").evaluate("e => e.scrollWidth <= e.clientWidth"), url
    phone.close()
