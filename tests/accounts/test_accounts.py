"""API tokens, password resets and the lockout after repeated failed logins."""

import datetime
import hashlib

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from readiness.accounts import services
from readiness.accounts.models import ApiToken, LoginFailure
from readiness.core.errors import InvalidInput, NotFound
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


# --- API tokens ----------------------------------------------------------------------------


def test_a_new_token_has_a_prefixed_secret_of_which_only_the_hash_is_stored(assessor) -> None:  # type: ignore[no-untyped-def]
    token, key = services.create_token(assessor, "  laptop  ")
    assert key.startswith("rdy_") and len(key) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.name == "laptop" and stored.user == assessor
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert stored.prefix == key[:12]
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(key not in str(value) for value in row.values())


def test_each_token_gets_its_own_secret(assessor) -> None:  # type: ignore[no-untyped-def]
    _, first = services.create_token(assessor, "one")
    _, second = services.create_token(assessor, "two")
    assert first != second


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_short_name(assessor, name) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.create_token(assessor, name)
    assert [e.path for e in raised.value.errors] == ["name"]
    assert not ApiToken.objects.filter(user=assessor).exists()


def test_the_secret_finds_its_user_and_marks_the_token_used(assessor) -> None:  # type: ignore[no-untyped-def]
    token, key = services.create_token(assessor, "laptop")
    assert token.last_used_at is None
    assert services.user_for_token(key) == assessor
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "key",
    ["rdy_unknown", "", "not-a-token", "rdy_" + "A" * 43],
)
def test_an_unknown_key_finds_nobody(assessor, key) -> None:  # type: ignore[no-untyped-def]
    services.create_token(assessor, "laptop")
    assert services.user_for_token(key) is None


def test_the_hash_itself_is_not_a_key(assessor) -> None:  # type: ignore[no-untyped-def]
    token, _ = services.create_token(assessor, "laptop")
    assert services.user_for_token(token.key_hash) is None
    assert services.user_for_token("rdy_" + token.key_hash) is None


def test_a_revoked_token_finds_nobody(assessor) -> None:  # type: ignore[no-untyped-def]
    token, key = services.create_token(assessor, "laptop")
    revoked = services.revoke_token(assessor, token.pk)
    assert revoked.revoked_at is not None
    assert services.user_for_token(key) is None


def test_a_token_of_a_deactivated_user_finds_nobody(assessor) -> None:  # type: ignore[no-untyped-def]
    _, key = services.create_token(assessor, "laptop")
    assessor.is_active = False
    assessor.save()
    assert services.user_for_token(key) is None


def test_revoking_another_users_token_is_not_found(assessor, reviewer) -> None:  # type: ignore[no-untyped-def]
    token, key = services.create_token(assessor, "laptop")
    with pytest.raises(NotFound):
        services.revoke_token(reviewer, token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert services.user_for_token(key) == assessor


def test_a_token_is_revoked_only_once(assessor) -> None:  # type: ignore[no-untyped-def]
    token, _ = services.create_token(assessor, "laptop")
    services.revoke_token(assessor, token.pk)
    with pytest.raises(NotFound):
        services.revoke_token(assessor, token.pk)


def test_revoking_one_token_leaves_the_others_working(assessor) -> None:  # type: ignore[no-untyped-def]
    first, first_key = services.create_token(assessor, "laptop")
    _, second_key = services.create_token(assessor, "ci")
    services.revoke_token(assessor, first.pk)
    assert services.user_for_token(first_key) is None
    assert services.user_for_token(second_key) == assessor


# --- passwords and the login limits (the attacks are in test_login_limits.py) -------------


def login(username: str, password: str) -> User | None:
    return authenticate(request=None, username=username, password=password)


def fail(username: str, times: int) -> None:
    for _ in range(times):
        assert login(username, "wrong") is None


def test_reset_password_sets_a_new_working_password(assessor) -> None:  # type: ignore[no-untyped-def]
    password = services.reset_password("assessor")
    assert password and password != PASSWORD
    assert login("assessor", password) == assessor
    assert login("assessor", PASSWORD) is None


def test_reset_password_of_an_unknown_user_is_not_found(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.reset_password("nobody")


def test_each_failed_login_is_counted_under_the_lower_case_name(assessor) -> None:  # type: ignore[no-untyped-def]
    fail("Assessor", 3)
    assert list(LoginFailure.objects.values_list("username", "address")) == [("assessor", "")] * 3
    assert services.login_blocked_until("assessor", "") is None


def test_a_login_from_code_counts_as_one_address_of_its_own(assessor) -> None:  # type: ignore[no-untyped-def]
    fail("assessor", 5)
    assert login("assessor", PASSWORD) is None
    assert assessor.check_password(PASSWORD)  # the password itself still matches
    assert services.login_blocked_until("assessor", "203.0.113.7") is None


def test_a_block_says_when_it_ends(assessor) -> None:  # type: ignore[no-untyped-def]
    fail("assessor", 5)
    last = LoginFailure.objects.order_by("at").first()
    assert last is not None
    assert services.login_blocked_until("assessor", "") == last.at + datetime.timedelta(minutes=15)


def test_failures_older_than_the_window_do_not_count(assessor) -> None:  # type: ignore[no-untyped-def]
    fail("assessor", 5)
    long_ago = timezone.now() - datetime.timedelta(minutes=16)
    LoginFailure.objects.filter(username="assessor").update(at=long_ago)
    assert services.login_blocked_until("assessor", "") is None
    assert login("assessor", PASSWORD) == assessor


def test_failures_older_than_the_window_are_deleted_at_the_next_failure(assessor) -> None:  # type: ignore[no-untyped-def]
    fail("assessor", 3)
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(minutes=16))
    fail("reviewer", 1)
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["reviewer"]


def test_reset_password_lifts_the_block(assessor) -> None:  # type: ignore[no-untyped-def]
    fail("assessor", 5)
    password = services.reset_password("assessor")
    assert services.login_blocked_until("assessor", "") is None
    assert login("assessor", password) == assessor


def test_the_client_cannot_log_in_while_blocked(assessor) -> None:  # type: ignore[no-untyped-def]
    fail("assessor", 5)
    assert not Client().login(username="assessor", password=PASSWORD)


def test_clear_login_failures_forgets_them_from_every_address(assessor) -> None:  # type: ignore[no-untyped-def]
    fail("assessor", 5)
    LoginFailure.objects.create(username="assessor", address="203.0.113.7")
    services.clear_login_failures("ASSESSOR")
    assert not LoginFailure.objects.exists()
    assert login("assessor", PASSWORD) == assessor
