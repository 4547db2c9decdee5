"""The login limits, as a person meets them in the browser: after five wrong
passwords within 15 minutes even the right password is refused from that
address, with a message saying why; other accounts are not affected, and
neither is the same account from another address."""

from playwright.sync_api import Browser, Page, expect

from readiness.accounts.models import LoginFailure
from readiness.demo.services import DEMO_PASSWORD

LOCKED_OUT = "Too many failed login attempts. Try again in 15 minutes."
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
    assert LoginFailure.objects.filter(username="demo-counterpart").count() == 5

    # The right password now: refused, with the lockout message.
    submit_login(page, "demo-counterpart", DEMO_PASSWORD)
    expect_logged_out_on_login_page(page, demo_site.url)
    expect(page.locator("main .error[role=alert]")).to_have_text(LOCKED_OUT)
    # Going to a members' page still asks for a login.
    page.goto(f"{demo_site.url}/assessments/vietnam-2019/")
    expect(page).to_have_url(f"{demo_site.url}{LOGIN}?next=/assessments/vietnam-2019/")

    # The block is per account name, whatever its case.
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

    # … and that does not lift the block of the first account.
    page.goto(demo_site.url + LOGIN)
    submit_login(page, "demo-counterpart", DEMO_PASSWORD)
    expect_logged_out_on_login_page(page, demo_site.url)
    expect(page.locator("main .error[role=alert]")).to_have_text(LOCKED_OUT)


def test_a_strangers_wrong_passwords_do_not_lock_the_owner_out_from_elsewhere(
    page: Page, browser: Browser, demo_site, settings
) -> None:  # type: ignore[no-untyped-def]
    # Behind one proxy, which tells the two people apart by X-Forwarded-For.
    settings.TRUSTED_PROXY_COUNT = 1
    stranger = browser.new_context(extra_http_headers={"X-Forwarded-For": "203.0.113.7"})
    owner = browser.new_context(extra_http_headers={"X-Forwarded-For": "198.51.100.20"})
    try:
        guessing = stranger.new_page()
        guessing.goto(demo_site.url + LOGIN)
        for attempt in range(1, 6):
            submit_login(guessing, "demo", f"guess-{attempt}")
        submit_login(guessing, "demo", DEMO_PASSWORD)
        expect(guessing.locator("main .error[role=alert]")).to_have_text(LOCKED_OUT)

        mine = owner.new_page()
        mine.goto(demo_site.url + LOGIN)
        submit_login(mine, "demo", DEMO_PASSWORD)
        expect(mine.get_by_role("heading", name="Assessments")).to_be_visible()
        expect(mine.locator("header .logout")).to_contain_text("demo")
    finally:
        stranger.close()
        owner.close()
