"""`{% unread_notifications %}`: the signed-in person's unread count, for
the site header."""

from typing import Any

from django import template

from readiness.notifications.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    user = context.get("user")
    return unread_count(user) if user is not None and user.is_authenticated else 0
