from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from readiness.accounts.services import (
    clear_login_failures,
    client_address,
    forget_credentials,
    record_login_failure,
)


@receiver(user_login_failed)
def count_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = credentials.get("username")
    if username:
        record_login_failure(str(username), client_address(request))


@receiver(user_logged_in)
def forget_failures(
    sender: Any, user: Any, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    clear_login_failures(user.get_username(), client_address(request))


@receiver(post_save, sender=User)
def password_changed(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    """The one place every password change passes (CLI, admin, any form):
    set_password() keeps the new password in `_password` until save() has
    run. Django's rehash of a stored hash on login clears it first, so that
    does not count as a change."""
    if not created and getattr(instance, "_password", None) is not None:
        forget_credentials(instance)
