"""The plain form of a catalogue's datasets, shared by every reader (CKAN,
DCAT, CSV/XLSX, harvest), the scoring rules and every export, so that none
of them needs the database. Readers yield `DatasetRecord`s; the import
service stores them; exports and scoring take them back."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Access(models.TextChoices):
    """How a dataset can be obtained (the annex's "Depends on purchasing/request",
    "Available only via a user form")."""

    ONLINE = "online", _("Online")
    ON_REQUEST = "on_request", _("On request")
    FORM = "form", _("Through a form")
    FEE = "fee", _("For a fee")
    NOT_ONLINE = "not_online", _("Not yet online")


class Recommendation(models.TextChoices):
    """The assessor's recommendation for publication, as the 2019 annex words
    them ("Priority Longer-term" is LONGER_TERM_PRIORITY)."""

    QUICK_WIN = "quick_win", _("Quick win")
    PRIORITY = "priority", _("Priority")
    QUICK_WIN_PRIORITY = "quick_win_priority", _("Quick win/Priority")
    LONGER_TERM_PRIORITY = "longer_term_priority", _("Priority, longer term")
    LONGER_TERM = "longer_term", _("Longer term")
    LOW_VALUE = "low_value", _("Low value")


@dataclass(frozen=True)
class DistributionRecord:
    """One way to get a dataset (a CKAN resource, a dcat:Distribution)."""

    title: str = ""
    format: str = ""  # as published: "CSV", "xlsx", "HTML & PDF", a file-type URI
    media_type: str = ""  # "text/csv"
    access_url: str = ""
    download_url: str = ""
    byte_size: int | None = None
    licence: str = ""  # a distribution's own licence, when it has one
    rights: str = ""
    issued: datetime.date | None = None
    modified: datetime.date | None = None


@dataclass(frozen=True)
class DatasetRecord:
    """One dataset (or database not yet online) of a catalogue. `identifier`
    is its key within the catalogue (CKAN's id, a DCAT dct:identifier or the
    dataset's IRI, a row's own key); re-imports update by it."""

    identifier: str
    title: str
    description: str = ""
    publisher: str = ""  # the publisher's name or acronym as published
    landing_page: str = ""
    licence: str = ""  # an identifier ("uk-ogl", "CC-BY-4.0") or a URL, as published
    access: str = Access.ONLINE
    access_rights: str = ""  # dct:accessRights as published ("public", a URI)
    update_frequency: str = ""  # as published ("annual", an EU frequency URI)
    themes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    temporal_start: datetime.date | None = None
    temporal_end: datetime.date | None = None
    spatial: str = ""
    issued: datetime.date | None = None
    modified: datetime.date | None = None
    contact_point: str = ""  # a name, an e-mail address or both
    distributions: tuple[DistributionRecord, ...] = ()
    # The assessor's own columns (spreadsheets and the demo carry them;
    # catalogues never do, and a re-import leaves them as they are).
    recommendation: str = ""  # a Recommendation value or ""
    recommendation_reason: str = ""
    notes: str = ""
    # Where the record was read, for messages: "record 3", "line 12".
    place: str = field(default="", compare=False)


# The columns of the inventory spreadsheet (CSV and XLSX), read by the
# spreadsheet import and written by the exports: one row per distribution,
# the dataset's columns repeated; consecutive rows with the same identifier
# are one dataset, and a dataset without distributions is one row whose
# distribution columns are empty. Lists (themes, keywords) are separated by "; ".
DATASET_COLUMNS = (
    "identifier",
    "title",
    "description",
    "publisher",
    "landing_page",
    "licence",
    "access",
    "access_rights",
    "update_frequency",
    "themes",
    "keywords",
    "temporal_start",
    "temporal_end",
    "spatial",
    "issued",
    "modified",
    "contact_point",
    "recommendation",
    "recommendation_reason",
    "notes",
)
DISTRIBUTION_COLUMNS = (
    "distribution_title",
    "format",
    "media_type",
    "access_url",
    "download_url",
    "byte_size",
    "distribution_licence",
)
TABLE_COLUMNS = DATASET_COLUMNS + DISTRIBUTION_COLUMNS
TABLE_SHEET = "Datasets"  # the sheet of an XLSX inventory
LIST_SEPARATOR = "; "
