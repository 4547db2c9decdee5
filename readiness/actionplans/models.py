from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from readiness.assessments.models import Assessment
from readiness.frameworks.models import Dimension, Question
from readiness.registry.models import Organisation


class Action(models.Model):
    class Phase(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediate")
        SHORT = "short", _("Short term")
        MEDIUM = "medium", _("Medium term")
        LONG = "long", _("Long term")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")
        DROPPED = "dropped", _("Dropped")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="actions", verbose_name=_("assessment")
    )
    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    dimensions = models.ManyToManyField(Dimension, related_name="+", verbose_name=_("dimensions"))
    questions = models.ManyToManyField(
        Question,
        blank=True,
        related_name="+",
        verbose_name=_("questions it should raise"),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="responsible_for",
        verbose_name=_("responsible agency"),
    )
    supporting = models.ManyToManyField(
        Organisation, blank=True, related_name="supporting", verbose_name=_("supporting agencies")
    )
    start_month = models.PositiveSmallIntegerField(_("start month"))
    duration_months = models.PositiveSmallIntegerField(_("duration in months"))
    months_text = models.CharField(_("time needed, as written"), max_length=200, blank=True)
    cost_min = models.DecimalField(
        _("cost from"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    cost_max = models.DecimalField(
        _("cost up to"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    cost_text = models.CharField(_("cost, as written"), max_length=500, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="enables",
        verbose_name=_("depends on"),
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("planned action")
        verbose_name_plural = _("planned actions")
        ordering = ["assessment", "start_month", "key"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="action_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def end_month(self) -> int:
        return self.start_month + self.duration_months - 1


class ActionUpdate(models.Model):
    """Progress reported on an action: when, what, how far, by whom."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="updates", verbose_name=_("planned action")
    )
    date = models.DateField(_("date"))
    note = models.TextField(_("note"))
    percent = models.PositiveSmallIntegerField(_("percent complete"))
    status = models.CharField(_("status"), max_length=20, choices=Action.Status.choices)
    evidence_url = models.URLField(_("evidence of completion"), max_length=1000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Reported once the assessment had been published: tracking of the
    # published plan, which the publication itself does not change.
    after_publication = models.BooleanField(_("after publication"), default=False)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["action", "date", "id"]

    def __str__(self) -> str:
        return f"{self.action.key} {self.date} {self.percent}%"
