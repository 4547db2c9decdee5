import gettext
from functools import cache

import pycountry
from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from readiness.assessments.permissions import Role, State
from readiness.frameworks.models import (
    Dimension,
    Framework,
    ImportanceLevel,
    Question,
    RatingLevel,
)


@cache
def iso_names(domain: str, language: str) -> gettext.NullTranslations:
    """pycountry's own translations of ISO 3166 names (Vietnamese included)."""
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def localised(domain: str, name: str) -> str:
    return iso_names(domain, (get_language() or "en").split("-")[0]).gettext(name)


class Assessment(models.Model):
    class SubjectKind(models.TextChoices):
        COUNTRY = "country", _("Country")
        SUBDIVISION = "subdivision", _("Province or subdivision")
        AGENCY = "agency", _("Agency")

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    subject_kind = models.CharField(_("subject kind"), max_length=20, choices=SubjectKind.choices)
    subject_code = models.CharField(
        _("ISO 3166 code"),
        max_length=10,
        help_text=_("ISO 3166-1 alpha-2 for a country, ISO 3166-2 for a subdivision."),
    )
    subject_name = models.CharField(_("agency name"), max_length=300, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    frameworks: models.ManyToManyField[Framework, "AssessmentFramework"] = models.ManyToManyField(
        Framework,
        through="AssessmentFramework",
        related_name="assessments",
        verbose_name=_("frameworks"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    independent_rating = models.BooleanField(
        _("independent rating"),
        default=False,
        help_text=_("Each assessor rates alone; ratings stay private until reconciliation."),
    )
    reconciliation_open = models.BooleanField(_("reconciliation open"), default=False)
    plan_start = models.DateField(
        _("action plan start"),
        null=True,
        blank=True,
        help_text=_("Month 1 of the action plan."),
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def subject_display(self) -> str:
        """The subject's name from ISO 3166 (pycountry), or the agency's name."""
        if self.subject_kind == self.SubjectKind.SUBDIVISION:
            subdivision = pycountry.subdivisions.get(code=self.subject_code)
            return subdivision.name if subdivision else self.subject_code
        country = pycountry.countries.get(alpha_2=self.subject_code.split("-")[0])
        country_name = localised("iso3166-1", country.name) if country else self.subject_code
        if self.subject_kind == self.SubjectKind.AGENCY:
            return f"{self.subject_name} ({country_name})"
        return country_name


class AssessmentFramework(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="framework_links"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("framework of an assessment")
        verbose_name_plural = _("frameworks of assessments")
        ordering = ["assessment", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "framework"], name="assessment_framework_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.framework}"


class Evidence(models.Model):
    class Sign(models.TextChoices):
        FOR = "+", _("+ favours readiness")
        AGAINST = "-", _("− against readiness")
        MIXED = "o", _("o mixed or neutral")

    class SourceKind(models.TextChoices):
        INTERVIEW = "interview", _("Interview")
        DOCUMENT = "document", _("Document")
        WEBSITE = "website", _("Website")
        SURVEY = "survey", _("Survey")
        OBSERVATION = "observation", _("Observation")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("assessment")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    sign = models.CharField(_("sign"), max_length=1, choices=Sign.choices)
    text = models.TextField(_("evidence"))
    source_kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    reference_title = models.CharField(_("reference"), max_length=500, blank=True)
    reference_url = models.URLField(_("reference URL"), max_length=1000, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    author = models.CharField(_("collected by"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        ordering = ["id"]
        indexes = [models.Index(fields=["assessment", "question"])]

    def __str__(self) -> str:
        return f"{self.sign} {self.text[:60]}"


class QuestionRating(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("assessment")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    level = models.ForeignKey(
        RatingLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("rating")
    )
    rationale = models.TextField(_("rationale"), blank=True)
    cited_evidence = models.ManyToManyField(
        Evidence, blank=True, related_name="cited_by", verbose_name=_("cited evidence")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("rated by"),
    )
    updated_at = models.DateTimeField(_("rated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("question rating")
        verbose_name_plural = _("question ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_rating_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.key}: {self.level}"


class DimensionVerdict(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="verdicts", verbose_name=_("assessment")
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="+", verbose_name=_("dimension")
    )
    level = models.ForeignKey(
        RatingLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("overall rating")
    )
    importance = models.ForeignKey(
        ImportanceLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("importance"),
    )
    commentary = models.TextField(_("commentary"), blank=True)
    override_reason = models.TextField(_("reason for differing from the suggestion"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    updated_at = models.DateTimeField(_("decided at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("dimension verdict")
        verbose_name_plural = _("dimension verdicts")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension"], name="one_verdict_per_dimension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension.key}: {self.level}"


class Membership(models.Model):
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("assessment"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["assessment", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class IndependentRating(models.Model):
    """One assessor's own rating in independent mode, private until the lead
    opens reconciliation; the agreed rating is the QuestionRating."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="independent_ratings",
        verbose_name=_("assessment"),
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessor"),
    )
    level = models.ForeignKey(
        RatingLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("rating")
    )
    rationale = models.TextField(_("rationale"), blank=True)
    cited_evidence = models.ManyToManyField(
        Evidence, blank=True, related_name="+", verbose_name=_("cited evidence")
    )
    updated_at = models.DateTimeField(_("rated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("independent rating")
        verbose_name_plural = _("independent ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question", "assessor"], name="one_independent_rating"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.key} {self.assessor}: {self.level}"


class DimensionVisit(models.Model):
    """What a user had seen of a dimension's workspace: the assessment's latest
    change at their visit. "Changed since my last visit" shows the changes by
    others after `previous_change_id`, the visit before the latest one that
    found something new (so a reload keeps the marks)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="+", verbose_name=_("assessment")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="+", verbose_name=_("dimension")
    )
    seen_change_id = models.BigIntegerField(_("latest change seen"), default=0)
    previous_change_id = models.BigIntegerField(_("latest change seen the visit before"), default=0)
    visited_at = models.DateTimeField(_("visited at"), auto_now=True)

    class Meta:
        verbose_name = _("dimension visit")
        verbose_name_plural = _("dimension visits")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user", "dimension"], name="one_visit_per_dimension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.dimension}"


class Assignment(models.Model):
    """The lead gives a team member a whole dimension or one question to work
    on; "my questions" lists what is theirs."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("assessment"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimension"),
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["assessment", "user__username", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dimension__isnull=True) ^ models.Q(question__isnull=True),
                name="assignment_of_a_dimension_or_a_question",
            ),
            models.UniqueConstraint(
                fields=["assessment", "user", "dimension"], name="one_assignment_per_dimension"
            ),
            models.UniqueConstraint(
                fields=["assessment", "user", "question"], name="one_assignment_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.dimension or self.question}"
