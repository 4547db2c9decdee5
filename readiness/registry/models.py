"""Registers every feature shares: jurisdictions (ISO 3166-1 countries and
ISO 3166-2 subdivisions) and organisations (ministries, agencies, provinces,
companies …). Action owners point to organisations; later, catalogue
publishers, meetings and observations will too."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from readiness.core.models import Change


class Jurisdiction(models.Model):
    """A country or subdivision as ISO 3166 lists it, loaded from pycountry
    (readiness/registry/jurisdictions.py); never typed in by hand."""

    class Level(models.TextChoices):
        COUNTRY = "country", _("Country")
        SUBDIVISION = "subdivision", _("Subdivision")

    code = models.CharField(_("ISO 3166 code"), max_length=10, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    name = models.JSONField(_("name"))  # {"en": …, "vi": …}
    subdivision_type = models.CharField(_("type of subdivision"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subdivisions",
        verbose_name=_("part of"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        verbose_name=_("succeeded by"),
    )
    # Code and names in both languages, lower-case without diacritics.
    search_text = models.TextField(_("search text"), editable=False)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def country_code(self) -> str:
        return self.code.split("-")[0]


class Organisation(models.Model):
    """An entry of a country's register of organisations. `abbreviation` is
    its key within the register (plan files name owners by it)."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency")
        PROVINCE = "province", _("Province")
        STATE_OWNED_ENTERPRISE = "state_owned_enterprise", _("State-owned enterprise")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        BUSINESS = "business", _("Business")
        ACADEMIA = "academia", _("Academia")
        DEVELOPMENT_PARTNER = "development_partner", _("Development partner")
        OTHER = "other", _("Other")

    country_code = models.CharField(_("country"), max_length=2)
    abbreviation = models.CharField(_("acronym"), max_length=30)
    abbreviation_vi = models.CharField(_("Vietnamese acronym"), max_length=30, blank=True)
    name = models.JSONField(_("name"))  # {"en": …, "vi": …}
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("jurisdiction"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("part of"),
    )
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    # Acronyms, names and aliases, lower-case without diacritics.
    search_text = models.TextField(_("search text"), editable=False, default="")
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        # The table it had in actionplans: moving the model kept the rows.
        db_table = "actionplans_organisation"
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["country_code", "abbreviation"]
        constraints = [
            models.UniqueConstraint(
                fields=["country_code", "abbreviation"], name="organisation_abbreviation"
            )
        ]

    def __str__(self) -> str:
        return self.abbreviation


class RegisterChange(Change):
    """A change to a register entry. The registers belong to no assessment,
    so their history is kept here rather than in core.ChangeRecord (which
    hangs on an assessment)."""

    class Meta:
        verbose_name = _("change to a register")
        verbose_name_plural = _("changes to the registers")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["entity", "entity_id"])]
