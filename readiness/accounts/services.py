"""Accounts: API tokens, password resets for the embedded setup, and the
limits on failed logins (they apply to every way of logging in: the web
form, HTTP Basic on the API, the admin; see LOGIN_FAILURES_* in settings)."""

import datetime
import hashlib
import ipaddress
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.accounts.models import ApiToken, LoginFailure
from readiness.core.errors import NotFound
from readiness.core.text import LABEL, checked_text

TOKEN_PREFIX = "rdy_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is not stored."""
    name = checked_text(name, LABEL, "name", required=True)
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
    # A token is no way around a locked account.
    if token is None or account_locked_until(token.user.get_username()) is not None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def reset_password(username: str) -> str:
    """Set a new random password and return it (for the embedded setup).
    Like every password change it revokes the user's tokens and lifts the
    login limits on the username (signals.password_changed)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(_("no user %s") % username)
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


@transaction.atomic
def forget_credentials(user: User) -> None:
    """After a password change: whoever held a token or was guessing the old
    password starts again from nothing."""
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    clear_login_failures(user.get_username())


# --- failed logins ---------------------------------------------------------------------------


def client_address(request: HttpRequest | None) -> str:
    """The address the limits count: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT
    proxies the entry of X-Forwarded-For that the outermost of them added (the
    entries before it are whatever the client chose to send). An IPv6 client
    counts as its /64, the block one subscriber usually gets. Empty without an
    HTTP request (a login from code)."""
    if request is None:
        return ""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def login_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def _blocked_until(failures: QuerySet[LoginFailure], limit: int) -> datetime.datetime | None:
    """When fewer than `limit` of these failures are left in the window."""
    since = timezone.now() - login_window()
    recent = list(
        failures.filter(at__gte=since).order_by("-at").values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    return recent[limit - 1] + login_window()


def account_locked_until(username: str) -> datetime.datetime | None:
    """The username's own limit, counted over every address: a locked account
    also refuses its API tokens."""
    return _blocked_until(
        LoginFailure.objects.filter(username=username.lower()), settings.LOGIN_FAILURES_PER_USERNAME
    )


def login_blocked_until(username: str, address: str) -> datetime.datetime | None:
    """None if this username may try to log in from this address now, else
    when it may again. The same for names that exist and names that do not."""
    username = username.lower()
    limits = [
        (LoginFailure.objects.filter(address=address), settings.LOGIN_FAILURES_PER_ADDRESS),
        (
            LoginFailure.objects.filter(username=username, address=address),
            settings.LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS,
        ),
    ]
    blocks = [_blocked_until(failures, limit) for failures, limit in limits]
    blocks.append(account_locked_until(username))
    return max((b for b in blocks if b is not None), default=None)


def record_login_failure(username: str, address: str) -> None:
    """Count a wrong password. Attempts refused by a block are not counted:
    they checked no password, and counting them would let a stranger keep a
    block alive for ever."""
    if login_blocked_until(username, address) is not None:
        return
    LoginFailure.objects.filter(at__lt=timezone.now() - login_window()).delete()
    LoginFailure.objects.create(username=username.lower()[:150], address=address)


def clear_login_failures(username: str, address: str | None = None) -> None:
    """Forget the username's failures: from one address (a successful login
    there) or from everywhere (None: a password change, `accounts unlock`)."""
    failures = LoginFailure.objects.filter(username=username.lower())
    if address is not None:
        failures = failures.filter(address=address)
    failures.delete()
