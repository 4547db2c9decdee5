from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from readiness.actionplans.models import Action
from readiness.assessments.models import Assessment


class Kind(models.TextChoices):
    REVIEW_REQUESTED = "review_requested", _("A review is requested from me")
    CHANGES_REQUESTED = "changes_requested", _("Changes are requested")
    MENTIONED = "mentioned", _("A comment mentions me")
    ASSIGNED = "assigned", _("A question or dimension is assigned to me")
    OVERDUE = "overdue", _("An action of my organisation is overdue")


def every_kind() -> list[str]:
    return list(Kind.values)


class Notification(models.Model):
    """Something a person is told, in the application and, if they chose it
    for its kind, by email. The text is made when shown, in the reader's
    language, from the kind and `about` (the keys of what it is about)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="+", verbose_name=_("assessment")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    about = models.JSONField(_("about"), default=dict, blank=True)
    # The overdue job's notice of one action on one day (told once a day).
    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned action"),
    )
    day = models.DateField(_("day"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "action", "day"],
                condition=models.Q(kind="overdue"),
                name="one_overdue_notice_per_action_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} – {self.kind}"


class Preferences(models.Model):
    """A person's choices: the language they are written to in, and the kinds
    of notification that also come by email (all of them until they choose)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    email_kinds = models.JSONField(_("by email"), default=every_kind, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)
