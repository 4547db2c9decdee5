"""The registers' pickers in Chromium: the action owner is typed or chosen
from the register (an empty owner is refused, never defaulted), the subject
of a new assessment is found by name as the user types, and the register
page fits a 375 px screen."""

from playwright.sync_api import Page, expect

from readiness.actionplans.models import Action
from tests.browser.test_workspace import log_in


def test_the_owner_is_chosen_from_the_register_and_never_defaulted(page: Page, demo_site) -> None:  # type: ignore[no-untyped-def]
    log_in(page, demo_site.url)
    page.goto(f"{demo_site.url}/assessments/vietnam-2019/plan/")
    owner = page.get_by_role("combobox", name="Responsible agency")
    expect(owner).to_have_value("")
    expect(page.locator('#action-responsible-options option[value="MoF"]')).to_have_count(1)
    page.locator("#action-key").fill("picker-1")
    page.locator("#action-title").fill("Publish the budget as open data")
    page.get_by_role("button", name="Add action").click()
    # The browser itself asks for the owner: the field is required and empty.
    assert owner.evaluate("field => field.validity.valueMissing")
    assert not Action.objects.filter(key="picker-1").exists()

    page.locator("#action-dimension").select_option(index=1)
    page.locator("#action-phase").select_option("short")
    page.locator("#action-start_month").fill("2")
    page.locator("#action-duration_months").fill("3")
    owner.fill("BTC")  # the Vietnamese acronym of MoF
    page.get_by_label("Supporting agencies").select_option(["GSO", "MIC"])
    page.get_by_role("button", name="Add action").click()
    expect(page.locator("#action-picker-1")).to_contain_text("MoF")
    action = Action.objects.get(key="picker-1")
    assert action.responsible.abbreviation == "MoF"
    assert sorted(o.abbreviation for o in action.supporting.all()) == ["GSO", "MIC"]


def test_the_subject_is_found_by_its_name_as_the_user_types(page: Page, demo_site) -> None:  # type: ignore[no-untyped-def]
    log_in(page, demo_site.url)
    page.goto(f"{demo_site.url}/assessments/new/")
    code = page.get_by_label("ISO 3166 code")
    expect(page.locator('#id_subject_code-options option[value="VN"]')).to_have_count(1)
    code.press_sequentially("ha noi", delay=30)
    expect(page.locator('#id_subject_code-options option[value="VN-HN"]')).to_have_count(1)
    expect(page.locator("#id_subject_code-options option")).to_have_count(1)


def test_the_register_page_fits_a_phone(page: Page, demo_site) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, demo_site.url)
    page.goto(f"{demo_site.url}/registry/organisations/VN/?q=bo+tai+chinh")
    expect(page.get_by_role("table")).to_contain_text("Bộ Tài chính")
    # The register's own content fits; its table scrolls inside its box.
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 375
    scroll_box = page.get_by_role("region", name="1 organisation")
    assert scroll_box.evaluate("box => box.scrollWidth > box.clientWidth")
    assert scroll_box.get_attribute("tabindex") == "0"
