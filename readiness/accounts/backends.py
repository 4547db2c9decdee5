from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from readiness.accounts.services import is_locked_out


class LockoutBackend(ModelBackend):
    """Listed first: refuses every login for a username that failed too
    often recently, before any password is checked."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if username and is_locked_out(username):
            raise PermissionDenied("locked out")
        return None
