import datetime
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema

from readiness.core.api_errors import ACTION_ERRORS, READ_ERRORS, WRITE_ERRORS
from readiness.core.api_pages import page_out, page_schema
from readiness.core.choices import OneOf
from readiness.core.conditional import required_version, set_version_tag
from readiness.core.filtering import PageQuery
from readiness.core.history import acting_user
from readiness.notifications import services
from readiness.notifications.models import Kind, Notification, Preferences
from readiness.notifications.selectors import NotificationFilters, notification_page

router = Router(tags=["notifications"])

KindName = Annotated[str, OneOf(Kind.values)]


class NotificationOut(Schema):
    id: int
    kind: KindName
    text: str = Field(description="What happened, in the caller's language.")
    assessment: str = Field(description="The short name of the assessment it is about.")
    link: str = Field(description="The page it is about, a path on this site.")
    actor: str | None = Field(description="Who did it; null for the system.")
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class ReadAllOut(Schema):
    marked: int = Field(description="How many were unread and are read now.")


class PreferencesOut(Schema):
    language: Annotated[str, OneOf(dict(settings.LANGUAGES))]
    email_kinds: list[KindName] = Field(description="The kinds that also come by email.")
    version: int


class PreferencesIn(Schema):
    language: Annotated[str, OneOf(dict(settings.LANGUAGES))] | None = None
    email_kinds: list[KindName] | None = Field(
        None, max_length=len(Kind.values), description="All the kinds to come by email."
    )
    version: int | None = Field(None, description="The version you saw (or send If-Match).")


def notification_out(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "text": services.text_of(notification),
        "assessment": notification.assessment.slug,
        "link": services.link_of(notification),
        "actor": notification.actor.get_username() if notification.actor else None,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


def preferences_out(response: HttpResponse, preferences: Preferences) -> dict[str, Any]:
    set_version_tag(response, preferences.version)
    return services.preferences_snapshot(preferences)


@router.get(
    "", response={200: page_schema(NotificationOut), **READ_ERRORS}, summary="My notifications"
)
def list_notifications(
    request: HttpRequest, filters: Query[NotificationFilters], page: Query[PageQuery]
) -> dict[str, Any]:
    """Newest first; the `unread` filter gives the unread count as `count`."""
    user = acting_user(request.user)
    assert user is not None  # every API route requires authentication
    return page_out(request, notification_page(user, filters, page), notification_out)


@router.post(
    "/read", response={200: ReadAllOut, **ACTION_ERRORS}, summary="Mark all my notifications read"
)
def read_all(request: HttpRequest) -> dict[str, Any]:
    user = acting_user(request.user)
    assert user is not None
    return {"marked": services.mark_all_read(user)}


@router.post(
    "/{notification_id}/read",
    response={200: NotificationOut, **ACTION_ERRORS},
    summary="Mark a notification read",
)
def read_one(
    request: HttpRequest, notification_id: Annotated[int, Path(ge=1, le=2**53)]
) -> dict[str, Any]:
    user = acting_user(request.user)
    assert user is not None
    return notification_out(services.mark_read(user, notification_id))


@router.get(
    "/preferences",
    response={200: PreferencesOut, **READ_ERRORS},
    summary="My notification preferences",
)
def get_preferences(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    user = acting_user(request.user)
    assert user is not None
    return preferences_out(response, services.preferences_of(user))


@router.put(
    "/preferences",
    response={200: PreferencesOut, **WRITE_ERRORS},
    summary="Choose my language and which notifications come by email",
)
def put_preferences(
    request: HttpRequest, response: HttpResponse, payload: PreferencesIn
) -> dict[str, Any]:
    """A stale `version` gets 409 with the stored preferences."""
    user = acting_user(request.user)
    assert user is not None
    preferences = services.set_preferences(
        user,
        language=payload.language,
        email_kinds=payload.email_kinds,
        expected_version=required_version(request, payload.version),
    )
    return preferences_out(response, preferences)
