"""When an htmx request is refused (403, 409) htmx swaps nothing: the
refusal's message must appear in the flash box, in the user's language.
Between loading the page and saving, the assessment changes under the user:
their role becomes counterpart (403), or the lead submits it for review (409)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import Role, State
from readiness.frameworks.models import Question

WORKSPACE = "/assessments/vietnam-2019/dgra/1/"

FORBIDDEN = {
    "en": "Your role on this assessment does not allow this.",
    "vi": "Vai trò của bạn trong cuộc đánh giá này không cho phép thực hiện thao tác này.",
}
IN_REVIEW = {
    "en": "The assessment is In review; its content can change only as a draft.",
    "vi": "Cuộc đánh giá đang ở trạng thái “Đang thẩm định”; nội dung chỉ có thể thay "
    "đổi khi ở trạng thái bản nháp.",
}


def signed_in_page(browser: Browser, base_url: str, username: str, language: str) -> Page:
    """A page signed in as the user (a session made by Django's test client),
    with the language chosen as the language switch would."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url},
        ]
    )
    return context.new_page()


def add_evidence(page: Page, question: Question) -> None:
    card = page.locator(f"#q-{question.pk}")
    card.locator("details.add-evidence > summary").click()
    card.locator(f"#ev-text-{question.pk}").fill("A new decree, seen in the gazette.")
    card.locator("details.add-evidence button[type=submit]").click()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_refused_save_says_why_in_the_flash_box_403(
    browser: Browser, demo_site, language: str
) -> None:  # type: ignore[no-untyped-def]
    question = Question.objects.get(framework__key="dgra", key="1.1")
    page = signed_in_page(browser, demo_site.url, "demo-assessor", language)
    page.goto(demo_site.url + WORKSPACE)
    expect(page.locator("#flash")).to_be_empty()
    Membership.objects.filter(user__username="demo-assessor").update(role=Role.COUNTERPART)
    add_evidence(page, question)
    expect(page.locator("#flash")).to_have_text(FORBIDDEN[language])


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_refused_save_says_why_in_the_flash_box_409(
    browser: Browser, demo_site, language: str
) -> None:  # type: ignore[no-untyped-def]
    question = Question.objects.get(framework__key="dgra", key="1.1")
    page = signed_in_page(browser, demo_site.url, "demo-assessor", language)
    page.goto(demo_site.url + WORKSPACE)
    Assessment.objects.filter(slug="vietnam-2019").update(state=State.IN_REVIEW)
    add_evidence(page, question)
    expect(page.locator("#flash")).to_have_text(IN_REVIEW[language])
