from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from readiness.accounts.services import client_address, login_blocked_until


class LockoutBackend(ModelBackend):
    """Listed first: refuses every login that the failed-login limits block
    (for this username, this client address, or both), before any password
    is checked."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if username and login_blocked_until(username, client_address(request)) is not None:
            raise PermissionDenied("too many failed logins")
        return None
