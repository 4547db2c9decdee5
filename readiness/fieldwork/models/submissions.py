"""Submissions collected offline with the XLSForm (KoboToolbox, ODK Central)
and imported from their exports: each import, each submission once (by its
instance id), the evidence items written from its notes and the ratings it
proposes, which an assessor accepts or dismisses."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from readiness.core import text


class SubmissionImport(models.Model):
    class Tool(models.TextChoices):
        KOBO = "kobo", _("KoboToolbox")
        ODK = "odk", _("ODK Central")
        OTHER = "other", _("Another tool")

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="submission_imports",
        verbose_name=_("assessment"),
    )
    source_name = models.CharField(_("file name"), max_length=text.NAME)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    tool = models.CharField(_("collected with"), max_length=10, choices=Tool.choices)
    submissions_read = models.PositiveIntegerField(_("submissions in the file"), default=0)
    submissions_added = models.PositiveIntegerField(_("submissions added"), default=0)
    evidence_added = models.PositiveIntegerField(_("evidence items added"), default=0)
    proposals_added = models.PositiveIntegerField(_("ratings proposed"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission import")
        verbose_name_plural = _("submission imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.source_name


class Submission(models.Model):
    """One filled-in form. Imported once: a second import of the same
    export finds its instance id here and adds nothing."""

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("assessment"),
    )
    submission_import = models.ForeignKey(
        SubmissionImport,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("import"),
    )
    instance_id = models.CharField(_("instance id"), max_length=text.NAME)
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("framework"),
    )
    organisation = models.CharField(_("organisation met"), max_length=text.NAME, blank=True)
    collected_on = models.DateField(_("collected on"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "instance_id"], name="submission_once_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return self.instance_id


class SurveyCitation(models.Model):
    """An evidence item written from a submission's notes: the link back."""

    evidence = models.OneToOneField(
        "assessments.Evidence",
        on_delete=models.CASCADE,
        related_name="survey_citation",
        verbose_name=_("evidence item"),
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="citations",
        verbose_name=_("submission"),
    )

    class Meta:
        verbose_name = _("survey citation")
        verbose_name_plural = _("survey citations")

    def __str__(self) -> str:
        return f"{self.submission} → {self.evidence_id}"


class ProposedRating(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="proposed_ratings",
        verbose_name=_("assessment"),
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("submission"),
    )
    question = models.ForeignKey(
        "frameworks.Question",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("question"),
    )
    level = models.ForeignKey(
        "frameworks.RatingLevel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed rating"),
    )
    rationale = models.TextField(_("rationale"), blank=True)
    evidence = models.ManyToManyField(
        "assessments.Evidence", blank=True, related_name="+", verbose_name=_("evidence items")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("proposed rating")
        verbose_name_plural = _("proposed ratings")
        ordering = ["assessment", "question__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="one_proposal_per_submission_question"
            )
        ]
        indexes = [models.Index(fields=["assessment", "status"])]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.level_id} ({self.status})"
