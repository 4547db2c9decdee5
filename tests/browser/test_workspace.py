import re

from playwright.sync_api import Page, expect

from readiness.demo.services import DEMO_PASSWORD, DEMO_USERNAME
from readiness.frameworks.models import Framework


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(DEMO_USERNAME)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Assessments")).to_be_visible()


def test_rating_and_evidence_survive_a_reload_and_vietnamese_shows_the_framework_text(
    page: Page, demo_site
) -> None:  # type: ignore[no-untyped-def]
    question = Framework.objects.get(key="dgra").questions.get(key="1.5")
    log_in(page, demo_site.url)
    page.get_by_role("link", name=re.compile("Digital Government and Open Data Readiness")).click()
    page.get_by_role("link", name=re.compile(r"^1\. Leadership and Governance")).first.click()
    article = page.locator(f"#q-{question.pk}")
    expect(article.locator(".current-rating")).to_have_text("Yellow/Red")

    # Rate: HTMX swaps the question in place, no page load.
    page.evaluate("window.__marker = 'same page'")
    article.get_by_label("Red", exact=True).check()
    article.get_by_label("Rationale").fill("No awards programme for digital government.")
    article.get_by_role("button", name="Save rating").click()
    expect(page.locator(f"#q-{question.pk} .current-rating")).to_have_text("Red")
    expect(page.locator(f"#q-{question.pk}").get_by_role("status")).to_have_text("Rating saved.")

    # Add evidence, also without reload.
    article = page.locator(f"#q-{question.pk}")
    article.get_by_text("Add evidence").first.click()
    article.get_by_label("Sign").select_option("-")
    article.get_by_label("Evidence", exact=True).fill("Interviewees knew of no e-government award.")
    article.get_by_label("Source").select_option("interview")
    article.get_by_role("button", name="Add evidence").click()
    expect(page.locator(f"#q-{question.pk}")).to_contain_text(
        "Interviewees knew of no e-government award."
    )
    assert page.evaluate("window.__marker") == "same page"

    page.reload()
    article = page.locator(f"#q-{question.pk}")
    expect(article.locator(".current-rating")).to_have_text("Red")
    expect(article).to_contain_text("Interviewees knew of no e-government award.")
    expect(article.get_by_label("Rationale")).to_have_value(
        "No awards programme for digital government."
    )

    page.get_by_label("Language").select_option("vi")
    page.get_by_role("button", name="Switch").click()
    expect(page.locator(f"#q-{question.pk} .qtext")).to_have_text(question.text["vi"])
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("button", name="Save rating")).to_have_count(0)


def test_the_workspace_can_be_used_from_the_keyboard(page: Page, demo_site) -> None:  # type: ignore[no-untyped-def]
    log_in(page, demo_site.url)
    page.goto(f"{demo_site.url}/assessments/vietnam-2019/odra/1/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    # Every form control in the workspace has an accessible name.
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll(
                    'main input:not([type=hidden]), main select, main textarea, main button')]
              .filter(el => !(el.labels && el.labels.length)
                            && !el.getAttribute('aria-label') && !el.textContent.trim())
              .map(el => el.outerHTML)"""
    )
    assert unnamed == []
