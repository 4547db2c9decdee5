"""The list of a person's notifications, paged like every list
(readiness/core/pagination.py), for the web, the API and the CLI."""

from django.contrib.auth.models import User
from ninja import Field, Schema

from readiness.core.filtering import PageQuery
from readiness.core.pagination import Ordering, Page, SortField, paginate
from readiness.notifications.models import Notification

NOTIFICATION_ORDER = Ordering({"created": SortField("created_at")}, default="-created")


class NotificationFilters(Schema):
    unread: bool | None = Field(None, description="Only the unread (true) or the read (false).")


def notification_page(
    user: User, filters: NotificationFilters, page: PageQuery
) -> Page[Notification]:
    """One page of the user's own notifications, newest first."""
    notifications = Notification.objects.filter(recipient=user).select_related(
        "assessment", "actor"
    )
    if filters.unread is not None:
        notifications = notifications.filter(read_at__isnull=filters.unread)
    return paginate(notifications, NOTIFICATION_ORDER, cursor=page.cursor, limit=page.limit)
