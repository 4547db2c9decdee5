"""Text typed by a member is shown as text, never run as markup: evidence
and comments that look like HTML stay inert in the workspace (right after the
HTMX swap and after a reload) and in the published version."""

from django.contrib.auth.models import User
from playwright.sync_api import Browser, Dialog, Page, expect

from readiness.assessments import services as assessment_services
from readiness.assessments.models import Assessment, Evidence
from readiness.demo.services import DEMO_PASSWORD, DEMO_USERNAME
from readiness.frameworks.models import Framework
from readiness.reviews.models import Comment
from readiness.reviews.services import move_to

SCRIPT_TEXT = "<script>window.__pwned = 1</script>"
IMG_TEXT = '<img src=x onerror="window.__pwned = 2">'
SVG_TEXT = '<svg onload="window.__pwned=3">'
WORKSPACE = "/assessments/vietnam-2019/dgra/1/"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Assessments")).to_be_visible()


def htmx_settled(page: Page) -> None:
    """Wait until htmx has finished swapping and has wired up the new content
    (it attaches hx-post to swapped-in forms only when they settle; a click
    before that would submit the form the ordinary way)."""
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def record_dialogs(page: Page, dialogs: list[str]) -> None:
    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)


def assert_inert(page: Page, dialogs: list[str]) -> None:
    assert page.evaluate("window.__pwned") is None
    expect(page.locator("img[src=x]")).to_have_count(0)
    expect(page.locator("main script")).to_have_count(0)
    expect(page.locator("svg[onload]")).to_have_count(0)
    assert dialogs == [], f"a dialog opened: {dialogs}"


def add_evidence(page: Page, question_pk: int, text: str) -> None:
    article = page.locator(f"#q-{question_pk}")
    article.get_by_text("Add evidence").first.click()
    article.get_by_label("Evidence", exact=True).fill(text)
    article.get_by_role("button", name="Add evidence").click()
    # The status of an earlier swap may still be shown: wait for the new item.
    expect(page.locator(f"#q-{question_pk} .evidence-text").filter(has_text=text)).to_have_count(1)
    htmx_settled(page)


def test_markup_in_evidence_and_comments_is_shown_as_text_and_never_runs(
    page: Page, browser: Browser, demo_site
) -> None:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    record_dialogs(page, dialogs)
    demo = Assessment.objects.get(slug="vietnam-2019")
    question = Framework.objects.get(key="dgra").questions.get(key="1.5")

    log_in(page, demo_site.url, "demo-assessor")
    page.goto(demo_site.url + WORKSPACE)
    add_evidence(page, question.pk, SCRIPT_TEXT)
    add_evidence(page, question.pk, IMG_TEXT)
    article = page.locator(f"#q-{question.pk}")
    article.get_by_label("New comment").fill(SVG_TEXT)
    article.get_by_role("button", name="Comment", exact=True).click()
    expect(article.locator(".comments .comment").filter(has_text=SVG_TEXT)).to_have_count(1)
    htmx_settled(page)

    # Stored verbatim: escaping happens on output, the input is not mangled.
    stored = Evidence.objects.filter(assessment=demo, question=question)
    assert {SCRIPT_TEXT, IMG_TEXT} <= set(stored.values_list("text", flat=True))
    assert Comment.objects.filter(assessment=demo, question=question, text=SVG_TEXT).exists()

    # Inert right after the HTMX swaps (htmx would run a real <script> it swaps in) …
    assert_inert(page, dialogs)

    # … and after a full reload of the workspace, where the text is visible as text.
    page.reload()
    article = page.locator(f"#q-{question.pk}")
    for text in (SCRIPT_TEXT, IMG_TEXT):
        shown = article.locator(".evidence-text").filter(has_text=text)
        expect(shown).to_have_count(1)
        expect(shown).to_have_text(text)
        expect(shown).to_be_visible()
    comment = article.locator(".comments .comment").filter(has_text=SVG_TEXT)
    expect(comment).to_be_visible()
    expect(comment).to_contain_text(SVG_TEXT)
    assert_inert(page, dialogs)

    # Publish (submitted and published by the demo lead; approved by someone
    # else, here the system, since nobody approves their own submission) and
    # read it as the public does.
    lead = User.objects.get(username=DEMO_USERNAME)
    for actor, state in ((lead, "in_review"), (None, "approved")):
        move_to(actor=actor, assessment=demo, target=state)
    move_to(actor=lead, assessment=demo, target="published", gaps_reason="A thread is open.")
    public = browser.new_context()
    try:
        visitor = public.new_page()
        record_dialogs(visitor, dialogs)
        visitor.goto(f"{demo_site.url}/published/")
        expect(visitor.get_by_role("heading", name="Published assessments")).to_be_visible()
        assert_inert(visitor, dialogs)
        visitor.get_by_role("link", name=demo.title).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(demo.title)
        for text in (SCRIPT_TEXT, IMG_TEXT):
            shown = visitor.locator("ul.evidence li").filter(has_text=text)
            expect(shown).to_have_count(1)
            expect(shown).to_be_visible()
        assert_inert(visitor, dialogs)

        visitor.reload()
        expect(visitor.locator("ul.evidence li").filter(has_text=SCRIPT_TEXT)).to_be_visible()
        assert_inert(visitor, dialogs)
    finally:
        public.close()


def test_the_history_of_a_question_lists_added_evidence_as_text(page: Page, demo_site) -> None:  # type: ignore[no-untyped-def]
    """The History panel of a question whose history holds an evidence change
    (every demo question with evidence has one, from the import).

    Regression: assessments/_history.html used to render
    ``{{ change.after.text|default:change.after.rationale }}``; Django resolves
    a filter *argument* strictly, so for an evidence snapshot (no "rationale"
    key) it raised VariableDoesNotExist and the history view answered 500.
    """
    dialogs: list[str] = []
    record_dialogs(page, dialogs)
    demo = Assessment.objects.get(slug="vietnam-2019")
    question = Framework.objects.get(key="dgra").questions.get(key="1.5")
    assessment_services.add_evidence(
        actor=User.objects.get(username="demo-assessor"),
        assessment=demo,
        question=question,
        sign="-",
        text=SCRIPT_TEXT,
        source_kind="interview",
    )

    log_in(page, demo_site.url, "demo-assessor")
    page.goto(demo_site.url + WORKSPACE)
    article = page.locator(f"#q-{question.pk}")
    with page.expect_response(f"**/questions/{question.pk}/history/") as history:
        article.locator("details.history summary").click()
    assert history.value.status == 200, (
        f"the history of question 1.5 answered {history.value.status}"
    )
    entry = article.locator(".history-list li").filter(has_text=SCRIPT_TEXT)
    expect(entry).to_have_count(1)
    expect(entry.locator("ins")).to_contain_text(SCRIPT_TEXT)
    assert_inert(page, dialogs)
