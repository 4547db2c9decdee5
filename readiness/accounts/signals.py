from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from readiness.accounts.services import clear_login_failures, record_login_failure


@receiver(user_login_failed)
def count_failure(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    username = credentials.get("username")
    if username:
        record_login_failure(str(username))


@receiver(user_logged_in)
def forget_failures(sender: Any, user: Any, **kwargs: Any) -> None:
    clear_login_failures(user.get_username())
