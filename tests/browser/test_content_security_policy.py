"""The main pages work under the Content-Security-Policy: no violation reported,
htmx running, the framework's level colours (inline style attributes) applied."""

from playwright.sync_api import ConsoleMessage, Page, expect

from readiness.demo.services import DEMO_PASSWORD, DEMO_USERNAME
from readiness.frameworks.models import Framework

# Chromium reports each blocked resource or inline code as a DOM event.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def test_the_main_pages_run_under_the_policy_without_a_violation(page: Page, demo_site) -> None:  # type: ignore[no-untyped-def]
    console: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            console.append(message.text)

    page.on("console", keep)
    page.add_init_script(RECORD_VIOLATIONS)
    base = demo_site.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(DEMO_USERNAME)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Assessments")).to_be_visible()

    dgra = Framework.objects.get(key="dgra")
    paths = [
        "/assessments/",
        "/assessments/vietnam-2019/",
        "/assessments/vietnam-2019/dgra/1/",
        "/assessments/vietnam-2019/plan/",
        "/assessments/vietnam-2019/plan/grid/",
        "/assessments/vietnam-2019/reports/",
        "/assessments/vietnam-2019/report/",
        "/frameworks/",
        f"/frameworks/{dgra.key}/{dgra.version}/",
        "/published/",
    ]
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__violations") == [], path
        if path != "/assessments/vietnam-2019/report/":  # the report runs no script
            assert page.evaluate("typeof window.htmx") == "object", path

    # Inline style attributes carry the framework's colours.
    page.goto(f"{base}/assessments/vietnam-2019/dgra/1/")
    level = page.locator(".level").first
    expect(level).to_be_visible()
    assert level.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"

    # An htmx request under the policy: the question history opens in place.
    question = dgra.questions.get(key="1.1")
    article = page.locator(f"#q-{question.pk}")
    article.locator("details.history summary").click()
    expect(article.locator(".history-body")).not_to_contain_text("Show the history")
    assert page.evaluate("window.__violations") == []
    assert console == []
