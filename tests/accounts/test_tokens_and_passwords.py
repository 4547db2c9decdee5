"""API tokens die with the password and do not get around a locked or
deactivated account; the CSRF cookie is out of scripts' reach."""

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from readiness.accounts import services
from readiness.accounts.models import ApiToken, LoginFailure
from tests.accounts.test_login_limits import basic, fail_basic
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

API = "/api/v1/account/tokens"


def token_status(key: str) -> int:
    return Client().get(API, HTTP_AUTHORIZATION=f"Bearer {key}").status_code


def lock_account(username: str) -> None:
    """50 failures from ten addresses: the username's own limit."""
    for n in range(1, 11):
        fail_basic(username, f"192.0.2.{n}", 5)


def test_a_token_is_refused_while_its_account_is_locked_and_works_after(assessor) -> None:  # type: ignore[no-untyped-def]
    _, key = services.create_token(assessor, "laptop")
    assert token_status(key) == 200
    lock_account("assessor")
    assert token_status(key) == 401
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(minutes=16))
    assert token_status(key) == 200


def test_unlocking_from_the_command_line_lets_the_token_in_again(assessor) -> None:  # type: ignore[no-untyped-def]
    _, key = services.create_token(assessor, "laptop")
    lock_account("assessor")
    call_command("accounts", "unlock", "assessor")
    assert token_status(key) == 200


def test_a_pair_block_elsewhere_does_not_stop_the_token(assessor) -> None:  # type: ignore[no-untyped-def]
    _, key = services.create_token(assessor, "laptop")
    fail_basic("assessor", "203.0.113.7", 5)
    assert token_status(key) == 200


def test_a_deactivated_users_token_is_refused(assessor) -> None:  # type: ignore[no-untyped-def]
    _, key = services.create_token(assessor, "laptop")
    assessor.is_active = False
    assessor.save()
    assert token_status(key) == 401


def test_resetting_the_password_from_the_command_line_revokes_every_token(
    assessor, reviewer
) -> None:  # type: ignore[no-untyped-def]
    _, first = services.create_token(assessor, "laptop")
    _, second = services.create_token(assessor, "ci")
    _, others = services.create_token(reviewer, "laptop")
    call_command("accounts", "reset-password", "assessor")
    assert token_status(first) == 401
    assert token_status(second) == 401
    assert token_status(others) == 200
    assert ApiToken.objects.filter(user=assessor, revoked_at__isnull=True).count() == 0


def test_a_password_reset_also_lifts_the_login_limits(assessor) -> None:  # type: ignore[no-untyped-def]
    fail_basic("assessor", "203.0.113.7", 5)
    password = services.reset_password("assessor")
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert client.get(API, **basic("assessor", password)).status_code == 200


def test_changing_the_password_in_the_admin_revokes_the_users_tokens(assessor) -> None:  # type: ignore[no-untyped-def]
    _, key = services.create_token(assessor, "laptop")
    admin = User.objects.create_superuser(username="admin", password=PASSWORD)
    response = client_for(admin).post(
        f"/admin/auth/user/{assessor.pk}/password/",
        {"password1": "a-new-long-password", "password2": "a-new-long-password"},
    )
    assert response.status_code == 302
    assessor.refresh_from_db()
    assert assessor.check_password("a-new-long-password")
    assert token_status(key) == 401


def test_any_password_change_that_is_saved_revokes_the_tokens(assessor) -> None:  # type: ignore[no-untyped-def]
    # What a future "change my password" form would do.
    _, key = services.create_token(assessor, "laptop")
    assessor.set_password("another-long-password")
    assessor.save()
    assert token_status(key) == 401


def test_saving_the_user_without_a_new_password_keeps_the_tokens(assessor) -> None:  # type: ignore[no-untyped-def]
    _, key = services.create_token(assessor, "laptop")
    assessor.first_name = "Lan"
    assessor.save()
    assert Client().login(username="assessor", password=PASSWORD)
    assert token_status(key) == 200


def test_upgrading_the_stored_hash_on_login_is_not_a_password_change(assessor, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    User.objects.filter(pk=assessor.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    _, key = services.create_token(assessor, "laptop")
    assert Client().get(API, **basic("assessor", PASSWORD)).status_code == 200
    assessor.refresh_from_db()
    assert assessor.password.startswith("md5$")  # rehashed with the preferred hasher
    assert token_status(key) == 200


def test_the_csrf_cookie_is_hidden_from_scripts(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/accounts/login/")
    cookie = response.cookies["csrftoken"]
    assert cookie.value
    assert cookie["httponly"] is True
