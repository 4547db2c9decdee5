"""axe-core over every main page, in English and Vietnamese, signed in and
as the public: no critical, serious or moderate finding. The pages are listed
by URL name; add a page by adding a line to SIGNED_IN or PUBLIC."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext

from readiness.assessments import services as assessment_services
from readiness.assessments.models import Assessment
from readiness.assessments.permissions import State
from readiness.demo.services import DEMO_USERNAME
from readiness.fieldwork.models import Meeting, PersonMet
from readiness.fieldwork.services.submissions import import_submissions
from readiness.frameworks.models import Framework
from readiness.reviews.services import move_to

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SLUG = "vietnam-2019"
IMPACTS = {"critical", "serious", "moderate"}

# (URL name, arguments). Reconciliation is opened for the test, so that its page exists.
SIGNED_IN: list[tuple[str, list[str]]] = [
    ("assessments:list", []),
    ("assessments:create", []),
    ("assessments:overview", [SLUG]),
    ("assessments:edit-details", [SLUG]),
    ("assessments:dimension", [SLUG, "dgra", "1"]),
    ("assessments:reconcile", [SLUG, "dgra", "1"]),
    ("actionplans:plan", [SLUG]),
    ("actionplans:grid", [SLUG]),
    ("reports:list", [SLUG]),
    ("reports:preview", [SLUG]),
    ("accounts:tokens", []),
    ("frameworks:list", []),
    ("frameworks:detail", ["dgra", "{dgra_version}"]),
    ("assessments:evidence-list", [SLUG]),
    ("assessments:assignments", [SLUG]),
    ("assessments:my-questions", [SLUG]),
    ("assessments:question-history", [SLUG, "{first_question}"]),
    ("actionplans:action-list", [SLUG]),
    ("actionplans:edit-action", [SLUG, "dgra-lg-1"]),
    ("registry:index", []),
    ("registry:organisations", ["VN"]),
    ("registry:organisation-add", ["VN"]),
    ("registry:organisation-edit", ["VN", "MIC"]),
    ("catalogues:inventory", [SLUG]),
    ("catalogues:summary", [SLUG]),
    ("catalogues:catalogue-add", [SLUG]),
    ("fieldwork:submissions", [SLUG]),
    ("fieldwork:imports", [SLUG]),
    ("fieldwork:missions", [SLUG]),
    ("fieldwork:mission", [SLUG, "scoping-2017"]),
    ("fieldwork:meeting", [SLUG, "scoping-2017", "{first_meeting}"]),
    ("fieldwork:people", [SLUG]),
    ("fieldwork:person-edit", [SLUG, "{first_person}"]),
    ("fieldwork:coverage", [SLUG]),
    ("fieldwork:mission-add", [SLUG]),
    ("fieldwork:mission-edit", [SLUG, "scoping-2017"]),
    ("fieldwork:meeting-add", [SLUG, "scoping-2017"]),
    ("fieldwork:meeting-edit", [SLUG, "scoping-2017", "{first_meeting}"]),
    ("fieldwork:person-add", [SLUG]),
    ("fieldwork:person-erase", [SLUG, "{first_person}"]),
]
# Read once the demo is published.
PUBLIC: list[tuple[str, list[str]]] = [
    ("login", []),
    ("reviews:published-list", []),
    ("reviews:published", [SLUG]),
]

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""


# Two field submissions, so that the proposals' table and its buttons are there.
SUBMISSIONS = (
    "KEY,framework,organisation,today,d_1-q_1.1,d_1-r_1.1,d_1-e_1.1,d_2-q_2.1\r\n"
    "uuid:axe-1,dgra 2018,MIC,2018-01-15,yellow,"
    + "A strategy is drafted but not yet adopted by the government "
    * 3
    + ",Said in the meeting,\r\n"
    "uuid:axe-2,dgra 2018,MOF,2018-01-16,,,,red\r\n"
)


def with_field_submissions(demo: Assessment) -> None:
    import_submissions(actor=None, assessment=demo, data=SUBMISSIONS.encode(), source="axe.csv")


def address(base: str, name: str, args: list[str]) -> str:
    dgra = Framework.objects.get(key="dgra")
    first_question = dgra.dimensions.order_by("order").first().questions.order_by("order").first()
    meeting = Meeting.objects.filter(mission__key="scoping-2017").order_by("order").first()
    person = PersonMet.objects.order_by("id").first()
    values = {
        "dgra_version": dgra.version,
        "first_question": first_question.pk,
        "first_meeting": meeting.pk if meeting else 0,
        "first_person": person.pk if person else 0,
    }
    return base + reverse(name, args=[a.format(**values) for a in args])


def findings(context: BrowserContext, url: str) -> list[dict[str, Any]]:
    page = context.new_page()
    try:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("networkidle")
        page.evaluate(AXE)
        return [v for v in page.evaluate(RUN_AXE) if v["impact"] in IMPACTS]
    finally:
        page.close()


def signed_in(
    browser: Browser, base: str, language: str, user: User, options: dict[str, Any] | None = None
) -> BrowserContext:
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale=language, **(options or {}))
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    return context


@pytest.mark.parametrize("language", ["en", "vi"])
def test_every_main_page_has_no_accessibility_finding(
    browser: Browser, demo_site, language: str
) -> None:  # type: ignore[no-untyped-def]
    base = demo_site.url
    demo = Assessment.objects.get(slug=SLUG)
    with_field_submissions(demo)
    assessment_services.set_rating_mode(
        actor=None, assessment=demo, independent=True, reconciliation_open=True
    )
    found: dict[str, list[dict[str, Any]]] = {}
    context = signed_in(browser, base, language, User.objects.get(username=DEMO_USERNAME))
    for name, args in SIGNED_IN:
        found[name] = findings(context, address(base, name, args))
    context.close()

    assessment_services.set_rating_mode(
        actor=None, assessment=demo, independent=False, reconciliation_open=False
    )
    for state in (State.IN_REVIEW, State.APPROVED, State.PUBLISHED):
        demo = move_to(actor=None, assessment=demo, target=state)
    public = browser.new_context(locale=language)
    for name, args in PUBLIC:
        found[f"{name} (public)"] = findings(public, address(base, name, args))
    public.close()

    problems = {page: problems for page, problems in found.items() if problems}
    assert problems == {}, "\n".join(
        f"{page}: {v['impact']} {v['id']} ({v['help']}) at {v['targets']}"
        for page, violations in problems.items()
        for v in violations
    )


# The elements that reach past the screen's right edge, for the message.
PAST_THE_EDGE = """() => {
  const past = e => e.getBoundingClientRect().right > window.innerWidth + 0.5;
  const name = e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "");
  return Array.from(document.querySelectorAll("body *"))
    .filter(e => past(e) && !Array.from(e.children).some(past)).slice(0, 3).map(name);
}"""


def overflow(context: BrowserContext, url: str) -> tuple[int, list[str]]:
    """How far the page reaches past the screen's width (wide tables and
    grids scroll inside their own box, not the page), and what reaches out."""
    page = context.new_page()
    try:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        pixels = int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))
        return pixels, page.evaluate(PAST_THE_EDGE) if pixels > 0 else []
    finally:
        page.close()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_no_main_page_scrolls_sideways_on_a_375_pixel_phone(
    browser: Browser, demo_site, language: str
) -> None:  # type: ignore[no-untyped-def]
    base = demo_site.url
    demo = Assessment.objects.get(slug=SLUG)
    with_field_submissions(demo)
    assessment_services.set_rating_mode(
        actor=None, assessment=demo, independent=True, reconciliation_open=True
    )
    phone = {"viewport": {"width": 375, "height": 800}}
    context = signed_in(browser, base, language, User.objects.get(username=DEMO_USERNAME), phone)
    wide = {name: overflow(context, address(base, name, args)) for name, args in SIGNED_IN}
    context.close()
    demo = assessment_services.set_rating_mode(
        actor=None, assessment=demo, independent=False, reconciliation_open=False
    )
    for state in (State.IN_REVIEW, State.APPROVED, State.PUBLISHED):
        demo = move_to(actor=None, assessment=demo, target=state)
    public = browser.new_context(locale=language, **phone)
    for name, args in PUBLIC:
        wide[f"{name} (public)"] = overflow(public, address(base, name, args))
    public.close()
    assert {name: found for name, found in wide.items() if found[0] > 0} == {}
