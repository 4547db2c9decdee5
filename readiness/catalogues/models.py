"""An assessment's open data inventory: the catalogues it looked at (a
portal's CKAN or DCAT catalogue, a spreadsheet, the assessors' own desk
research), their datasets and distributions, and each import or harvest run.
Scores are computed by `scoring.py` when a dataset is stored, and kept on the
row so that every count is one SQL aggregate."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from readiness.catalogues.records import Access, Recommendation
from readiness.core import text


class Catalogue(models.Model):
    class Kind(models.TextChoices):
        CKAN = "ckan", _("CKAN portal")
        DCAT = "dcat", _("DCAT catalogue")
        SPREADSHEET = "spreadsheet", _("Spreadsheet")
        DESK = "desk", _("Desk research and interviews")

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="catalogues",
        verbose_name=_("assessment"),
    )
    key = models.SlugField(_("key"), max_length=text.KEY)
    title = models.CharField(_("title"), max_length=text.NAME)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("address"), max_length=text.URL, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("catalogue")
        verbose_name_plural = _("catalogues")
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="catalogue_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class Dataset(models.Model):
    catalogue = models.ForeignKey(
        Catalogue, on_delete=models.CASCADE, related_name="datasets", verbose_name=_("catalogue")
    )
    identifier = models.CharField(_("identifier"), max_length=text.URL)
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=text.NAME)
    description = models.TextField(_("description"), blank=True)
    publisher = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="datasets",
        verbose_name=_("publisher"),
    )
    publisher_name = models.CharField(_("publisher as published"), max_length=text.NAME, blank=True)
    landing_page = models.URLField(_("landing page"), max_length=text.URL, blank=True)
    licence = models.CharField(_("licence as published"), max_length=text.URL, blank=True)
    access = models.CharField(
        _("access"), max_length=20, choices=Access.choices, default=Access.ONLINE
    )
    access_rights = models.CharField(_("access rights"), max_length=text.URL, blank=True)
    update_frequency = models.CharField(_("update frequency"), max_length=text.URL, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    temporal_start = models.DateField(_("covers from"), null=True, blank=True)
    temporal_end = models.DateField(_("covers until"), null=True, blank=True)
    spatial = models.CharField(_("spatial coverage"), max_length=text.URL, blank=True)
    issued = models.DateField(_("issued"), null=True, blank=True)
    modified = models.DateField(_("modified"), null=True, blank=True)
    contact_point = models.CharField(_("contact point"), max_length=text.NAME, blank=True)
    # The assessor's own judgement, kept when the catalogue is imported again.
    recommendation = models.CharField(
        _("recommendation"), max_length=30, choices=Recommendation.choices, blank=True
    )
    recommendation_reason = models.TextField(_("reason for the recommendation"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Computed by readiness.catalogues.scoring whenever the row is stored.
    stars = models.PositiveSmallIntegerField(_("five-star level"), default=0)
    licence_key = models.CharField(_("licence"), max_length=text.KEY, blank=True)
    open_licence = models.BooleanField(_("open licence"), null=True)  # None: not known
    quality_findability = models.PositiveSmallIntegerField(_("findability"), default=0)
    quality_accessibility = models.PositiveSmallIntegerField(_("accessibility"), default=0)
    quality_interoperability = models.PositiveSmallIntegerField(_("interoperability"), default=0)
    quality_reusability = models.PositiveSmallIntegerField(_("reusability"), default=0)
    quality_contextuality = models.PositiveSmallIntegerField(_("contextuality"), default=0)
    quality_points = models.PositiveSmallIntegerField(_("metadata quality points"), default=0)
    quality_band = models.CharField(_("metadata quality"), max_length=20, blank=True)
    # A digest of the record as the catalogue last gave it: a re-import
    # counts the dataset as changed only when the digest differs.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["catalogue", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "identifier"], name="dataset_identifier_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Distribution(models.Model):
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="distributions", verbose_name=_("dataset")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=text.NAME, blank=True)
    format = models.CharField(_("format as published"), max_length=text.SHORT, blank=True)
    media_type = models.CharField(_("media type"), max_length=text.SHORT, blank=True)
    access_url = models.URLField(_("access URL"), max_length=text.URL, blank=True)
    download_url = models.URLField(_("download URL"), max_length=text.URL, blank=True)
    byte_size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    licence = models.CharField(_("licence as published"), max_length=text.URL, blank=True)
    rights = models.CharField(_("rights"), max_length=text.URL, blank=True)
    issued = models.DateField(_("issued"), null=True, blank=True)
    modified = models.DateField(_("modified"), null=True, blank=True)
    # Set only by a reachability check the assessor asked for (HTTP status, or
    # 0 when the address did not answer); None: never checked.
    access_url_status = models.PositiveSmallIntegerField(_("access URL answered"), null=True)
    download_url_status = models.PositiveSmallIntegerField(_("download URL answered"), null=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["dataset", "order", "id"]

    def __str__(self) -> str:
        return self.title or self.format


class DatasetFormat(models.Model):
    """A format a dataset is offered in, as `scoring.format_facts` reads its
    distributions: the EU file-type code when the format is in the list, else
    the published text folded (so "HTML & PDF" is two rows, HTML and PDF).
    Stored with the distributions so that counts by format are one aggregate."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="formats", verbose_name=_("dataset")
    )
    code = models.CharField(_("format"), max_length=text.SHORT)
    label = models.CharField(_("label"), max_length=text.SHORT)
    known = models.BooleanField(_("in the file-type list"))

    class Meta:
        verbose_name = _("dataset format")
        verbose_name_plural = _("dataset formats")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "code"], name="dataset_format_unique")
        ]
        indexes = [models.Index(fields=["code"], name="dataset_format_code")]

    def __str__(self) -> str:
        return self.label


class CatalogueRun(models.Model):
    """One import, harvest or link check of a catalogue, with its progress
    (shown in the web while a job runs) and its outcome. A harvest keeps its
    `cursor` so that an interrupted one resumes where it stopped."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("Import")
        HARVEST = "harvest", _("Harvest")
        LINK_CHECK = "link_check", _("Link check")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        STOPPED = "stopped", _("Stopped at a limit")

    catalogue = models.ForeignKey(
        Catalogue, on_delete=models.CASCADE, related_name="runs", verbose_name=_("catalogue")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    source = models.CharField(_("file or address"), max_length=text.URL, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    cursor = models.JSONField(_("resume from"), default=dict, blank=True)
    # The bounds a harvest or link check was asked to keep: max_datasets, max_seconds.
    limits = models.JSONField(_("limits"), default=dict, blank=True)
    added = models.PositiveIntegerField(_("added"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    removed = models.PositiveIntegerField(_("removed"), default=0)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue run")
        verbose_name_plural = _("catalogue runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.catalogue} {self.kind} {self.status}"


class FigureCitation(models.Model):
    """An evidence item whose text is a figure of the inventory (a count by
    a dimension and value, a score, a list of titles). The text is written
    from the figure, in the language it was cited in, and rewritten through
    the evidence service whenever an import or an edit changes the figure."""

    class Kind(models.TextChoices):
        COUNT = "count", _("Number of datasets")
        SCORE = "score", _("Metadata quality score")
        TITLES = "titles", _("List of dataset titles")

    evidence = models.OneToOneField(
        "assessments.Evidence",
        on_delete=models.CASCADE,
        related_name="figure_citation",
        verbose_name=_("evidence item"),
    )
    kind = models.CharField(_("figure"), max_length=20, choices=Kind.choices)
    # {"catalogue": key or None (the whole inventory), "dimension": …, "value": …}
    parameters = models.JSONField(_("parameters"), default=dict)
    language = models.CharField(_("language"), max_length=10)
    # The figure as last written into the evidence, to see when it changes.
    figure = models.JSONField(_("figure"), default=dict)

    class Meta:
        verbose_name = _("figure citation")
        verbose_name_plural = _("figure citations")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.parameters}"
