"""Telling people: the notifications each event makes, their texts in the
reader's language, email for the kinds each person chose, marking read and
the preferences. The other apps' services call the `notify_…` functions
inside their own transaction; email leaves once that transaction commits."""

import datetime
import logging
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from readiness.actionplans.filters import is_overdue
from readiness.assessments.models import Assessment, Assignment
from readiness.assessments.permissions import Role, State
from readiness.core.errors import InvalidInput, NotFound
from readiness.core.history import Actor, acting_user, check_version
from readiness.notifications.models import Kind, Notification, Preferences

logger = logging.getLogger(__name__)

# A comment tells at most this many people: a pasted list of a thousand
# `@names` costs one bounded query, not a thousand.
MAX_MENTIONS = 20
MENTION = re.compile(r"(?<![\w@.])@([\w.+-]{1,150})")


# --- making notifications --------------------------------------------------------


def notify(
    *,
    kind: Kind,
    recipients: Iterable[User],
    assessment: Assessment,
    actor: Actor,
    about: dict[str, Any] | None = None,
) -> list[Notification]:
    """Tell `recipients` (never the actor themself) and email those who chose
    this kind, after the surrounding transaction commits."""
    by = acting_user(actor)
    people = {user.pk: user for user in recipients if by is None or user.pk != by.pk}
    made = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, assessment=assessment, actor=by, about=about or {})
        for user in people.values()
    )
    send_email_later(made)
    return made


def members_with(assessment: Assessment, roles: Iterable[Role]) -> list[User]:
    return [
        m.user
        for m in assessment.memberships.select_related("user").filter(
            role__in=list(roles), user__is_active=True
        )
    ]


def notify_workflow_step(*, actor: Actor, assessment: Assessment, target: str) -> None:
    """A review requested tells the reviewers; changes requested tell the
    lead and the assessors. Other steps tell nobody."""
    if target == State.IN_REVIEW:
        notify(
            kind=Kind.REVIEW_REQUESTED,
            recipients=members_with(assessment, [Role.REVIEWER]),
            assessment=assessment,
            actor=actor,
        )
    elif target == State.CHANGES_REQUESTED:
        notify(
            kind=Kind.CHANGES_REQUESTED,
            recipients=members_with(assessment, [Role.LEAD, Role.ASSESSOR]),
            assessment=assessment,
            actor=actor,
        )


def mentioned_names(text: str) -> list[str]:
    """The first MAX_MENTIONS distinct `@username`s of a text, in order."""
    names: list[str] = []
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(".")
        if name and name not in names:
            names.append(name)
            if len(names) == MAX_MENTIONS:
                break
    return names


def notify_mentions(*, actor: Actor, assessment: Assessment, comment_id: int, text: str) -> None:
    """Tell the members of the assessment a comment mentions; a name of
    someone who is not on the team tells nobody (they could not open it)."""
    names = mentioned_names(text)
    if not names:
        return
    members = [
        m.user
        for m in assessment.memberships.select_related("user").filter(
            user__username__in=names, user__is_active=True
        )
    ]
    notify(
        kind=Kind.MENTIONED,
        recipients=members,
        assessment=assessment,
        actor=actor,
        about={"comment": comment_id},
    )


def notify_assigned(assignment: Assignment) -> None:
    """Tell the member a question or a dimension was given to."""
    question, dimension = assignment.question, assignment.dimension
    if question is not None:
        about = {"question": question.key}
    else:
        assert dimension is not None  # the check constraint: one or the other
        about = {"dimension": dimension.key}
    notify(
        kind=Kind.ASSIGNED,
        recipients=[assignment.user],
        assessment=assignment.assessment,
        actor=assignment.assigned_by,
        about=about,
    )


@transaction.atomic
def send_overdue(today: datetime.date) -> int:
    """Tell the people of each overdue action's responsible organisation, once
    per action a day: a second run on the same day tells nobody again. The
    people of an organisation are the assessment's government counterparts
    (accounts are not linked to organisations; the counterpart is the
    government's member of the team). Archived assessments are left alone.
    Returns how many notifications were made."""
    made: list[Notification] = []
    assessments = Assessment.objects.exclude(state=State.ARCHIVED).exclude(plan_start=None)
    for assessment in assessments:
        overdue = [
            action
            for action in assessment.actions.all()
            if is_overdue(action, assessment.plan_start, today)
        ]
        if not overdue:
            continue
        counterparts = members_with(assessment, [Role.COUNTERPART])
        told = set(
            Notification.objects.filter(
                kind=Kind.OVERDUE, day=today, action__in=overdue
            ).values_list("recipient_id", "action_id")
        )
        fresh = [
            Notification(
                recipient=user,
                kind=Kind.OVERDUE,
                assessment=assessment,
                about={"action": action.key},
                action=action,
                day=today,
            )
            for action in overdue
            for user in counterparts
            if (user.pk, action.pk) not in told
        ]
        created = Notification.objects.bulk_create(fresh)
        send_email_later(created)
        made += created
    return len(made)


# --- what a notification says ----------------------------------------------------


def text_of(notification: Notification) -> str:
    """The notification's sentence, in the active language."""
    about = notification.about
    values = {"assessment": notification.assessment.title}
    if notification.kind == Kind.REVIEW_REQUESTED:
        return _("Your review of “%(assessment)s” is requested.") % values
    if notification.kind == Kind.CHANGES_REQUESTED:
        return _("Changes to “%(assessment)s” are requested.") % values
    if notification.kind == Kind.MENTIONED:
        return _("A comment on “%(assessment)s” mentions you.") % values
    if notification.kind == Kind.ASSIGNED:
        if "question" in about:
            return _("Question %(key)s of “%(assessment)s” is assigned to you.") % {
                **values,
                "key": about["question"],
            }
        return _("Dimension %(key)s of “%(assessment)s” is assigned to you.") % {
            **values,
            "key": about.get("dimension", ""),
        }
    return _("Action %(key)s of “%(assessment)s” is overdue.") % {
        **values,
        "key": about.get("action", ""),
    }


def link_of(notification: Notification) -> str:
    """The page the notification is about (a path on this site)."""
    slug = notification.assessment.slug
    if notification.kind == Kind.ASSIGNED:
        return reverse("assessments:my-questions", args=[slug])
    if notification.kind == Kind.OVERDUE:
        return reverse("actionplans:plan", args=[slug])
    return reverse("assessments:overview", args=[slug])


# --- email -----------------------------------------------------------------------


def preferences_of(user: User) -> Preferences:
    """The user's preferences; the defaults until they choose."""
    found = Preferences.objects.filter(user=user).first()
    return found or Preferences(user=user)


def send_email_later(notifications: list[Notification]) -> None:
    if notifications:
        ids = [n.pk for n in notifications]
        # robust: a mail server that is down must not undo what was saved.
        transaction.on_commit(lambda: send_email(ids), robust=True)


def send_email(notification_ids: list[int]) -> int:
    """Email each notification whose recipient has an address and chose its
    kind, written in the recipient's language. Returns how many were sent."""
    notifications = Notification.objects.select_related("recipient", "assessment").filter(
        pk__in=notification_ids
    )
    preferences = {
        p.user_id: p
        for p in Preferences.objects.filter(user_id__in={n.recipient_id for n in notifications})
    }
    messages = []
    for notification in notifications:
        recipient = notification.recipient
        chosen = preferences.get(recipient.pk) or Preferences(user=recipient)
        if not recipient.email or notification.kind not in chosen.email_kinds:
            continue
        with translation.override(chosen.language):
            text = text_of(notification)
            body = "\n\n".join(
                [
                    text,
                    settings.SITE_URL + link_of(notification),
                    _("Choose which notifications come by email: %(address)s")
                    % {"address": settings.SITE_URL + reverse("notifications:preferences")},
                ]
            )
            subject = _("Readiness: %(text)s") % {"text": text}
        messages.append(EmailMessage(subject, body, to=[recipient.email]))
    if not messages:
        return 0
    sent = get_connection().send_messages(messages) or 0
    logger.info("notification emails sent: %s", sent)
    return sent


# --- reading and choosing --------------------------------------------------------


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (again: no change)."""
    notification = (
        Notification.objects.select_related("assessment", "actor")
        .filter(recipient=user, pk=notification_id)
        .first()
    )
    if notification is None:
        raise NotFound(_("no notification %s of yours") % notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user: User) -> int:
    """Returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


def preferences_snapshot(preferences: Preferences) -> dict[str, Any]:
    return {
        "language": preferences.language,
        "email_kinds": sorted(preferences.email_kinds),
        "version": preferences.version,
    }


@transaction.atomic
def set_preferences(
    user: User,
    *,
    language: str | None = None,
    email_kinds: Iterable[str] | None = None,
    expected_version: int | None,
) -> Preferences:
    """Change the user's language and email kinds; `expected_version` is the
    version they saw (1 before they ever chose), a stale one gets 409."""
    preferences, _created = Preferences.objects.select_for_update().get_or_create(user=user)
    check_version(
        what=_("Your notification preferences"),
        current_version=preferences.version,
        expected_version=expected_version,
        current=preferences_snapshot(preferences),
    )
    if language is not None:
        if language not in dict(settings.LANGUAGES):
            raise InvalidInput.single(
                "language", _("must be one of: %s") % ", ".join(dict(settings.LANGUAGES))
            )
        preferences.language = language
    if email_kinds is not None:
        kinds = sorted(set(email_kinds))
        unknown = [k for k in kinds if k not in Kind.values]
        if unknown:
            raise InvalidInput.single(
                "email_kinds", _("must be some of: %s") % ", ".join(Kind.values)
            )
        preferences.email_kinds = kinds
    preferences.version += 1
    preferences.save()
    return preferences
