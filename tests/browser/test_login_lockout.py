"""The login lockout, as a person meets it in the browser: after five wrong
passwords within 15 minutes even the right password is refused, with a
message saying why; other accounts are not affected."""

from playwright.sync_api import Browser, Page, expect

from readiness.accounts.models import LoginFailure
from readiness.demo.services import DEMO_PASSWORD

LOCKED_OUT = "Too many failed logins for this account. Try again in 15 minutes."
LOGIN = "/accounts/login/"


def submit_login(page: Page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def expect_logged_out_on_login_page(page: Page, base_url: str) -> None:
    expect(page).to_have_url(f"{base_url}{LOGIN}")
    expect(page.get_by_role("heading", name="Log in", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_five_wrong_passwords_lock_the_account_but_not_the_others(
    page: Page, browser: Browser, demo_site
) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo_site.url + LOGIN)
    for attempt in range(1, 6):
        submit_login(page, "demo-counterpart", f"wrong-password-{attempt}")
        expect_logged_out_on_login_page(page, demo_site.url)
        alert = page.locator("main .error[role=alert]")
        expect(alert).to_contain_text("Please enter a correct username and password")
        expect(alert).not_to_contain_text(LOCKED_OUT)
    assert LoginFailure.objects.filter(username__iexact="demo-counterpart").count() == 5

    # The right password now: refused, with the lockout message.
    submit_login(page, "demo-counterpart", DEMO_PASSWORD)
    expect_logged_out_on_login_page(page, demo_site.url)
    expect(page.locator("main .error[role=alert]")).to_have_text(LOCKED_OUT)
    # Going to a members' page still asks for a login.
    page.goto(f"{demo_site.url}/assessments/vietnam-2019/")
    expect(page).to_have_url(f"{demo_site.url}{LOGIN}?next=/assessments/vietnam-2019/")

    # The lockout is per account name, whatever its case.
    submit_login(page, "DEMO-Counterpart", DEMO_PASSWORD)
    expect(page.locator("main .error[role=alert]")).to_have_text(LOCKED_OUT)

    # Another person, in another browser, logs in as usual …
    other_context = browser.new_context()
    try:
        other = other_context.new_page()
        other.goto(demo_site.url + LOGIN)
        submit_login(other, "demo-reviewer", DEMO_PASSWORD)
        expect(other.get_by_role("heading", name="Assessments")).to_be_visible()
        expect(other.get_by_role("button", name="Log out")).to_be_visible()
        expect(other.locator("header .logout")).to_contain_text("demo-reviewer")
    finally:
        other_context.close()

    # … and that does not lift the lockout of the first account.
    page.goto(demo_site.url + LOGIN)
    submit_login(page, "demo-counterpart", DEMO_PASSWORD)
    expect_logged_out_on_login_page(page, demo_site.url)
    expect(page.locator("main .error[role=alert]")).to_have_text(LOCKED_OUT)
