"""The failed-login limits, as an attacker meets them: 20 failures in 15
minutes block one address, 5 block one username from one address, 50 block
one username from everywhere; every block expires with its window. The
numbers here are the documented ones (README), written out by hand."""

import base64
import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from readiness.accounts import services
from readiness.accounts.models import LoginFailure
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ADDRESS_A = "203.0.113.7"
ADDRESS_B = "198.51.100.20"
LOGIN = "/accounts/login/"
API = "/api/v1/account/tokens"
LOCKED_15 = "Too many failed login attempts. Try again in 15 minutes."


@pytest.fixture
def admin(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_superuser(username="admin", password=PASSWORD)


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def basic_status(username: str, password: str, address: str) -> int:
    """An anonymous script: no session, no CSRF token."""
    return Client().get(API, REMOTE_ADDR=address, **basic(username, password)).status_code


def web_login(username: str, password: str, address: str) -> tuple[bool, str]:
    """Whether the login form let the person in, and the page's text."""
    response = Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})
    return response.status_code == 302, response.content.decode()


def admin_login(username: str, password: str, address: str) -> tuple[bool, str]:
    response = Client(REMOTE_ADDR=address).post(
        "/admin/login/", {"username": username, "password": password, "next": "/admin/"}
    )
    return response.status_code == 302, response.content.decode()


def fail_basic(username: str, address: str, times: int) -> None:
    for attempt in range(times):
        assert basic_status(username, f"guess-{attempt}", address) == 401


def push_into_the_past(minutes: float) -> None:
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(minutes=minutes))


# --- one username from one address ----------------------------------------------------------


def test_a_strangers_five_basic_failures_do_not_lock_the_administrator_out_elsewhere(
    admin,
) -> None:  # type: ignore[no-untyped-def]
    fail_basic("admin", ADDRESS_A, 5)

    # From the stranger's address even the right password is refused …
    assert basic_status("admin", PASSWORD, ADDRESS_A) == 401
    logged_in, page = web_login("admin", PASSWORD, ADDRESS_A)
    assert not logged_in and LOCKED_15 in page
    assert not admin_login("admin", PASSWORD, ADDRESS_A)[0]

    # … while the administrator, from their own address, gets in every way.
    assert web_login("admin", PASSWORD, ADDRESS_B)[0]
    assert basic_status("admin", PASSWORD, ADDRESS_B) == 200
    assert admin_login("admin", PASSWORD, ADDRESS_B)[0]


def test_four_failures_from_an_address_leave_the_right_password_working(assessor) -> None:  # type: ignore[no-untyped-def]
    fail_basic("assessor", ADDRESS_A, 4)
    assert basic_status("assessor", PASSWORD, ADDRESS_A) == 200


def test_the_pair_limit_ignores_the_case_of_the_username(assessor) -> None:  # type: ignore[no-untyped-def]
    fail_basic("ASSESSOR", ADDRESS_A, 5)
    logged_in, page = web_login("assessor", PASSWORD, ADDRESS_A)
    assert not logged_in and LOCKED_15 in page


def test_the_admin_login_page_says_why_it_refuses(admin) -> None:  # type: ignore[no-untyped-def]
    fail_basic("admin", ADDRESS_A, 5)
    logged_in, page = admin_login("admin", PASSWORD, ADDRESS_A)
    assert not logged_in and LOCKED_15 in page


def test_a_block_does_not_reveal_whether_the_username_exists(assessor) -> None:  # type: ignore[no-untyped-def]
    fail_basic("assessor", ADDRESS_A, 5)
    fail_basic("no-such-person", ADDRESS_A, 5)
    for username in ["assessor", "no-such-person"]:
        logged_in, page = web_login(username, "anything", ADDRESS_A)
        assert not logged_in and LOCKED_15 in page
        assert "Please enter a correct username and password" not in page


def test_attempts_refused_by_a_block_are_not_counted(assessor) -> None:  # type: ignore[no-untyped-def]
    fail_basic("assessor", ADDRESS_A, 5)
    fail_basic("assessor", ADDRESS_A, 10)
    assert LoginFailure.objects.count() == 5


def test_the_block_expires_fifteen_minutes_after_the_failures(assessor) -> None:  # type: ignore[no-untyped-def]
    fail_basic("assessor", ADDRESS_A, 5)
    push_into_the_past(10)
    logged_in, page = web_login("assessor", PASSWORD, ADDRESS_A)
    assert not logged_in
    assert "Too many failed login attempts. Try again in 5 minutes." in page

    push_into_the_past(15 + 1 / 60)
    assert basic_status("assessor", PASSWORD, ADDRESS_A) == 200


def test_the_message_counts_a_last_minute_in_the_singular(assessor) -> None:  # type: ignore[no-untyped-def]
    fail_basic("assessor", ADDRESS_A, 5)
    push_into_the_past(14.5)
    page = web_login("assessor", PASSWORD, ADDRESS_A)[1]
    assert "Too many failed login attempts. Try again in 1 minute." in page


def test_a_successful_login_forgets_the_failures_from_that_address_only(assessor) -> None:  # type: ignore[no-untyped-def]
    fail_basic("assessor", ADDRESS_A, 4)
    fail_basic("assessor", ADDRESS_B, 4)
    assert web_login("assessor", PASSWORD, ADDRESS_B)[0]
    assert list(LoginFailure.objects.values_list("address", flat=True).distinct()) == [ADDRESS_A]
    fail_basic("assessor", ADDRESS_A, 1)
    assert basic_status("assessor", PASSWORD, ADDRESS_A) == 401


# --- one address, many usernames (password spraying) ----------------------------------------


def test_spraying_twenty_guesses_over_many_usernames_blocks_that_address(assessor) -> None:  # type: ignore[no-untyped-def]
    # Four guesses each at five names stays under the limit of every one of them.
    for name in ["admin", "demo", "root", "lead", "reviewer"]:
        fail_basic(name, ADDRESS_A, 4)

    assert basic_status("assessor", PASSWORD, ADDRESS_A) == 401
    logged_in, page = web_login("assessor", PASSWORD, ADDRESS_A)
    assert not logged_in and LOCKED_15 in page
    # Everyone elsewhere is unaffected.
    assert basic_status("assessor", PASSWORD, ADDRESS_B) == 200
    assert web_login("assessor", PASSWORD, ADDRESS_B)[0]


def test_nineteen_sprayed_guesses_do_not_block_the_address(assessor) -> None:  # type: ignore[no-untyped-def]
    for name in ["admin", "demo", "root", "lead"]:
        fail_basic(name, ADDRESS_A, 4)
    fail_basic("reviewer", ADDRESS_A, 3)
    assert basic_status("assessor", PASSWORD, ADDRESS_A) == 200


def test_an_address_block_expires_with_its_window(assessor) -> None:  # type: ignore[no-untyped-def]
    for name in ["admin", "demo", "root", "lead", "reviewer"]:
        fail_basic(name, ADDRESS_A, 4)
    push_into_the_past(16)
    assert basic_status("assessor", PASSWORD, ADDRESS_A) == 200


def test_a_forged_forwarded_for_header_does_not_escape_an_address_block(assessor) -> None:  # type: ignore[no-untyped-def]
    for name in ["admin", "demo", "root", "lead", "reviewer"]:
        fail_basic(name, ADDRESS_A, 4)
    client = Client(REMOTE_ADDR=ADDRESS_A, HTTP_X_FORWARDED_FOR=ADDRESS_B)
    assert client.get(API, **basic("assessor", PASSWORD)).status_code == 401


# --- one username from many addresses --------------------------------------------------------


def many_addresses(count: int) -> list[str]:
    return [f"192.0.2.{n}" for n in range(1, count + 1)]


def test_fifty_failures_from_ten_addresses_lock_the_username_everywhere_for_a_while(
    admin,
) -> None:  # type: ignore[no-untyped-def]
    for address in many_addresses(10):
        fail_basic("admin", address, 5)

    assert basic_status("admin", PASSWORD, ADDRESS_B) == 401
    logged_in, page = web_login("admin", PASSWORD, ADDRESS_B)
    assert not logged_in and LOCKED_15 in page

    # Never indefinitely: the lock goes with the window.
    push_into_the_past(15 + 1 / 60)
    assert basic_status("admin", PASSWORD, ADDRESS_B) == 200


def test_forty_nine_failures_from_many_addresses_do_not_lock_the_username(admin) -> None:  # type: ignore[no-untyped-def]
    for address in many_addresses(9):
        fail_basic("admin", address, 5)
    fail_basic("admin", "192.0.2.10", 4)
    assert basic_status("admin", PASSWORD, ADDRESS_B) == 200


def test_unlock_from_the_command_line_lifts_every_limit_on_the_username(admin) -> None:  # type: ignore[no-untyped-def]
    for address in many_addresses(10):
        fail_basic("admin", address, 5)
    call_command("accounts", "unlock", "admin")
    assert not LoginFailure.objects.exists()
    assert basic_status("admin", PASSWORD, "192.0.2.1") == 200


# --- which address -------------------------------------------------------------------------


def address_of(settings, proxies: int, remote: str, forwarded: str | None = None) -> str:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return services.client_address(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_forwarded_for_header_is_ignored(settings) -> None:  # type: ignore[no-untyped-def]
    assert address_of(settings, 0, "10.0.0.5", "203.0.113.7") == "10.0.0.5"


def test_behind_one_proxy_the_address_it_saw_counts(settings) -> None:  # type: ignore[no-untyped-def]
    # The client forged the first entry; the proxy appended the real one.
    assert address_of(settings, 1, "10.0.0.5", "1.2.3.4, 203.0.113.7") == "203.0.113.7"


def test_behind_two_proxies_the_outer_proxys_entry_counts(settings) -> None:  # type: ignore[no-untyped-def]
    forwarded = "1.2.3.4, 203.0.113.7, 10.0.0.9"
    assert address_of(settings, 2, "10.0.0.5", forwarded) == "203.0.113.7"


def test_a_request_that_bypassed_the_proxies_counts_by_its_own_address(settings) -> None:  # type: ignore[no-untyped-def]
    assert address_of(settings, 2, "203.0.113.9", "1.2.3.4") == "203.0.113.9"


def test_an_ipv6_client_counts_as_its_slash_64(settings) -> None:  # type: ignore[no-untyped-def]
    first = address_of(settings, 0, "2001:db8:1:2::1")
    second = address_of(settings, 0, "2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert first == second == "2001:db8:1:2::/64"
    assert address_of(settings, 0, "2001:db8:1:3::1") == "2001:db8:1:3::/64"


def test_an_ipv4_mapped_address_counts_as_ipv4(settings) -> None:  # type: ignore[no-untyped-def]
    assert address_of(settings, 0, "::ffff:203.0.113.7") == "203.0.113.7"


def test_behind_a_proxy_clients_are_counted_apart(settings, assessor) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 1
    stranger = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=ADDRESS_A)
    for attempt in range(5):
        stranger.get(API, **basic("assessor", f"guess-{attempt}"))
    owner = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=ADDRESS_B)
    assert owner.get(API, **basic("assessor", PASSWORD)).status_code == 200
    assert stranger.get(API, **basic("assessor", PASSWORD)).status_code == 401


def test_the_block_message_is_in_vietnamese_for_a_vietnamese_browser(assessor) -> None:  # type: ignore[no-untyped-def]
    fail_basic("assessor", ADDRESS_A, 5)
    response = Client(REMOTE_ADDR=ADDRESS_A, HTTP_ACCEPT_LANGUAGE="vi").post(
        LOGIN, {"username": "assessor", "password": PASSWORD}
    )
    assert "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút." in response.content.decode()
