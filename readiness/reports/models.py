from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from readiness.assessments.models import Assessment
from readiness.reports.formats import FORMAT_NAMES
from readiness.reviews.models import Publication


class Report(models.Model):
    """A report rendered (or being rendered) in the background: the job's
    state and progress, and the file once it is done."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("assessment")
    )
    publication = models.ForeignKey(
        Publication,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("published version"),
        help_text=_("Empty for a report of the working draft."),
    )
    format = models.CharField(
        _("format"), max_length=10, choices=[(name, name.upper()) for name in FORMAT_NAMES]
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    error = models.TextField(_("error"), blank=True)
    content = models.BinaryField(_("file"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return self.file_name or f"{self.assessment.slug} {self.format} {self.language}"
