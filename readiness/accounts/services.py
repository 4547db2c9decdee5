"""Accounts: API tokens, password resets for the embedded setup, and the
lockout after repeated failed logins (applies to every way of logging in:
the web form, HTTP Basic on the API, the admin)."""

import datetime
import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.accounts.models import ApiToken, LoginFailure
from readiness.core.errors import InvalidInput, NotFound

TOKEN_PREFIX = "rdy_"
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = datetime.timedelta(minutes=15)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is not stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput.single("name", _("give the token a name of at most 100 characters"))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:12], key_hash=hash_key(key))
    return token, key


def revoke_token(user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound(_("no active token %s") % token_id)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def user_for_token(key: str) -> User | None:
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def reset_password(username: str) -> str:
    """Set a new random password and return it (for the embedded setup)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(_("no user %s") % username)
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    LoginFailure.objects.filter(username__iexact=username).delete()
    return password


def is_locked_out(username: str) -> bool:
    since = timezone.now() - LOCKOUT_WINDOW
    recent = LoginFailure.objects.filter(username__iexact=username, at__gte=since).count()
    return recent >= LOCKOUT_FAILURES


def record_login_failure(username: str) -> None:
    LoginFailure.objects.create(username=username[:150])


def clear_login_failures(username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()
