"""A loaded framework version and its parts. Rows are written once by the
loader (services.load_framework) and never changed: a changed framework is a
new version."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from readiness.core.bilingual import pick
from readiness.core.colours import readable_text_colour


class Framework(models.Model):
    key = models.CharField(_("key"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    title = models.JSONField(_("title"))
    short_title = models.JSONField(_("short title"))
    description = models.JSONField(_("description"))
    source_citation = models.JSONField(_("source citation"))
    source_url = models.URLField(_("source URL"), max_length=1000, blank=True)
    evidence_signs = models.JSONField(_("evidence signs"))
    has_importance = models.BooleanField(_("uses importance"), default=False)
    content_hash = models.CharField(_("content hash"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["key", "version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="framework_key_version")
        ]

    def __str__(self) -> str:
        return f"{pick(self.short_title)} {self.version}"

    def sign_label(self, code: str) -> str:
        return next((pick(s["label"]) for s in self.evidence_signs if s["code"] == code), code)


class RatingLevel(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="levels", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    label = models.JSONField(_("label"))
    description = models.JSONField(_("description"))
    colour = models.CharField(_("colour"), max_length=7)
    text_colour = models.CharField(_("text colour"), max_length=7)
    score = models.FloatField(_("score"), null=True, blank=True)
    readiness = models.JSONField(_("readiness label"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="rating_level_code")
        ]

    def __str__(self) -> str:
        return pick(self.label)

    @property
    def readable_text_colour(self) -> str:
        """The text colour to print on this level's colour: at least 4.5:1."""
        return readable_text_colour(self.colour, self.text_colour)


class ImportanceLevel(models.Model):
    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="importance_levels",
        verbose_name=_("framework"),
    )
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    label = models.JSONField(_("label"))
    weight = models.FloatField(_("weight"))

    class Meta:
        verbose_name = _("importance level")
        verbose_name_plural = _("importance levels")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="importance_level_code")
        ]

    def __str__(self) -> str:
        return pick(self.label)


class Dimension(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("framework")
    )
    key = models.CharField(_("key"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.JSONField(_("title"))
    context = models.JSONField(_("context"), null=True, blank=True)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="dimension_key")]

    def __str__(self) -> str:
        return f"{self.key}. {pick(self.title)}"


class Question(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="questions", verbose_name=_("framework")
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="questions", verbose_name=_("dimension")
    )
    key = models.CharField(_("key"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    short_title = models.JSONField(_("short title"), null=True, blank=True)
    text = models.JSONField(_("text"))
    importance = models.ForeignKey(
        ImportanceLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("importance"),
    )
    guidance = models.JSONField(_("guidance"), null=True, blank=True)
    recommended_actions = models.JSONField(
        _("recommended actions"),
        default=list,
        blank=True,
        help_text=_("Starting points for the action plan when the question is rated low."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="question_key")]

    def __str__(self) -> str:
        return f"{self.key} {pick(self.text)}"
