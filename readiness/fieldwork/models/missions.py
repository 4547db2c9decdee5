"""Missions and what happened on them: the meetings (with the organisations
met), the people met with their consent, and the passages of meeting notes
cited as evidence. People's data is seen only by the assessment's team
(readiness.fieldwork.services.people) and can be erased on request."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from readiness.core import text


class Mission(models.Model):
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="missions",
        verbose_name=_("assessment"),
    )
    key = models.SlugField(_("key"), max_length=text.KEY)
    name = models.CharField(_("name"), max_length=text.NAME)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    places = models.CharField(_("places"), max_length=text.NAME, blank=True)
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("team")
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["assessment", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="mission_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("mission")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # The annex of 2019 gives the missions' dates, not each meeting's.
    date = models.DateField(_("date"), null=True, blank=True)
    organisations = models.ManyToManyField(
        "registry.Organisation",
        blank=True,
        related_name="meetings",
        verbose_name=_("organisations"),
    )
    topics = models.CharField(_("topics"), max_length=text.NAME, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["mission", "order", "id"]

    def __str__(self) -> str:
        return f"{self.mission} {self.order}"


class PersonMet(models.Model):
    """Nothing more than the report needs: a name, a title, an organisation,
    a contact only if given, and how they agreed to be named."""

    class Consent(models.TextChoices):
        ORAL = "oral", _("Oral consent")
        WRITTEN = "written", _("Written consent")
        PUBLISHED = "published", _("Already named in a published report")
        REFUSED = "refused", _("Refused to be named")

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="people_met",
        verbose_name=_("assessment"),
    )
    name = models.CharField(_("name"), max_length=text.NAME)
    title = models.CharField(_("title"), max_length=text.NAME, blank=True)
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    contact = models.CharField(_("contact"), max_length=text.SHORT, blank=True)
    consent = models.CharField(_("consent"), max_length=20, choices=Consent.choices)
    consent_date = models.DateField(_("consent given on"), null=True, blank=True)
    meetings: "models.ManyToManyField[Meeting, Attendance]" = models.ManyToManyField(
        Meeting, through="Attendance", related_name="people", verbose_name=_("meetings")
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("person met")
        verbose_name_plural = _("people met")
        ordering = ["assessment", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        PersonMet, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("person")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.meeting_id}"


class MeetingCitation(models.Model):
    """An evidence item that is a passage of a meeting's notes."""

    evidence = models.OneToOneField(
        "assessments.Evidence",
        on_delete=models.CASCADE,
        related_name="meeting_citation",
        verbose_name=_("evidence item"),
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="citations", verbose_name=_("meeting")
    )

    class Meta:
        verbose_name = _("meeting citation")
        verbose_name_plural = _("meeting citations")

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.evidence_id}"
