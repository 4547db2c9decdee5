from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Change(models.Model):
    """One change to a record: who, when, before and after. Written by the
    service layer for every create, update and delete, so that nothing typed
    is lost."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    entity = models.CharField(_("entity"), max_length=40)
    entity_id = models.BigIntegerField(_("entity id"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.entity} {self.entity_id} {self.action}"


class ChangeRecord(Change):
    """A change to an assessment's content."""

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("assessment"),
    )
    question = models.ForeignKey(
        "frameworks.Question",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
        help_text=_("Set for evidence and ratings, so that a question's history is one query."),
    )

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["entity", "entity_id"]),
            # The changes feed (`since`) and "changed since" on the assessments list.
            models.Index(fields=["at"], name="change_at"),
            models.Index(fields=["assessment", "at"], name="change_assessment_at"),
        ]
