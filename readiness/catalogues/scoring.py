"""Openness and metadata quality of one dataset, from its record alone: the
five-star level (Berners-Lee, 5stardata.info), licence openness against the
Open Definition's conformant licences, and points in the manner of
data.europa.eu's Metadata Quality Assessment (MQA). Pure functions over
`DatasetRecord`s; the shipped lists are data/file-types.yaml and
data/licences.yaml. docs/catalogues.md gives each rule, its source and where
we differ from it."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from readiness.catalogues.records import Access, DatasetRecord, DistributionRecord
from readiness.core.readers import read_yaml

DATA = Path(__file__).resolve().parent / "data"
FILE_TYPES_FILE = DATA / "file-types.yaml"
LICENCES_FILE = DATA / "licences.yaml"
MAX_LIST_BYTES = 256 * 1024
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
# The EU access-right authority table's codes (the MQA's vocabulary for dct:accessRights).
ACCESS_RIGHT_CODES = frozenset({"PUBLIC", "RESTRICTED", "NON_PUBLIC"})
# Linking to other data (the fifth star) cannot be seen in metadata.
MAX_STARS = 4


class Band(models.TextChoices):
    """The MQA's rating of the points (data.europa.eu/mqa/methodology)."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    SUFFICIENT = "sufficient", _("Sufficient")
    BAD = "bad", _("Bad")


# Lowest points of each band, best first: Excellent 351-405, Good 221-350,
# Sufficient 121-220, Bad 0-120.
BAND_FLOORS = ((351, Band.EXCELLENT), (221, Band.GOOD), (121, Band.SUFFICIENT), (0, Band.BAD))

DIMENSIONS = {
    "findability": (_("Findability"), 100),
    "accessibility": (_("Accessibility"), 100),
    "interoperability": (_("Interoperability"), 110),
    "reusability": (_("Reusability"), 75),
    "contextuality": (_("Contextuality"), 20),
}
MAX_POINTS = sum(maximum for _label, maximum in DIMENSIONS.values())  # 405


@dataclass(frozen=True)
class FormatFact:
    """One format a published format string names. `code` is the EU file-type
    code; unknown formats have code "" and `published` says what was written."""

    published: str
    code: str = ""
    label: str = ""
    machine_readable: bool = False
    non_proprietary: bool = False
    rdf: bool = False

    @property
    def known(self) -> bool:
        return bool(self.code)

    @property
    def key(self) -> str:
        """What the format is counted under: its code, else the text folded."""
        return self.code or normalise_format(self.published)

    @property
    def stars(self) -> int:
        """The level this format reaches when the data is on the web under an
        open licence."""
        if self.rdf:
            return 4
        if self.machine_readable:
            return 3 if self.non_proprietary else 2
        return 1


@dataclass(frozen=True)
class Indicator:
    dimension: str
    label: str
    points: int
    maximum: int
    note: str = ""

    def __str__(self) -> str:
        text = gettext("%(indicator)s: %(points)d of %(maximum)d") % {
            "indicator": self.label,
            "points": self.points,
            "maximum": self.maximum,
        }
        return f"{text} ({self.note})" if self.note else text


@dataclass(frozen=True)
class DatasetScore:
    stars: int
    stars_reason: str
    licence_key: str  # "" when no licence is recorded or it is not in our list
    open_licence: bool | None  # None: not known
    unknown_licence: str  # the licence as published when it is not in our list
    formats: tuple[FormatFact, ...]
    findability: int
    accessibility: int
    interoperability: int
    reusability: int
    contextuality: int
    points: int
    band: str
    indicators: tuple[Indicator, ...]

    @property
    def unknown_formats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(fact.published for fact in self.formats if not fact.known))

    @property
    def reasons(self) -> dict[str, tuple[str, ...]]:
        """Each dimension's indicators as sentences, for display."""
        return {
            dimension: tuple(str(i) for i in self.indicators if i.dimension == dimension)
            for dimension in DIMENSIONS
        }


# -- the shipped lists -------------------------------------------------------


def normalise_format(text: str) -> str:
    return " ".join(text.strip().lower().lstrip(".").split())


def normalise_licence(text: str) -> str:
    """Ids and addresses compared ignoring case, scheme, "www.", a trailing
    "/", and spaces or underscores written for hyphens."""
    text = text.strip().lower()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^www\.", "", text)
    text = text.rstrip("/")
    return re.sub(r"[\s_]+", "-", text)


@cache
def file_types() -> dict[str, dict[str, Any]]:
    document = read_yaml(
        FILE_TYPES_FILE.read_bytes(), str(FILE_TYPES_FILE), max_bytes=MAX_LIST_BYTES
    )
    return {str(code): entry for code, entry in document["types"].items()}


@cache
def format_aliases() -> dict[str, str]:
    aliases = {}
    for code, entry in file_types().items():
        aliases[normalise_format(code)] = code
        for alias in entry["aliases"]:
            aliases[normalise_format(str(alias))] = code
    return aliases


@cache
def licences() -> dict[str, dict[str, Any]]:
    document = read_yaml(LICENCES_FILE.read_bytes(), str(LICENCES_FILE), max_bytes=MAX_LIST_BYTES)
    return {str(key): entry for key, entry in document["licences"].items()}


@cache
def licence_aliases() -> dict[str, str]:
    aliases = {}
    for key, entry in licences().items():
        aliases[normalise_licence(key)] = key
        for alias in entry["aliases"]:
            aliases[normalise_licence(str(alias))] = key
    return aliases


# -- formats -------------------------------------------------------------------

# Between the formats of "HTML & PDF", "PDF, HTML, PPT", "Doc and PDF",
# "HTML or xls", "HTML/PDF but also ...", "html and xlsx (link download)" and
# before the remark of "pdf.  Depends on purchasing/request".
FORMAT_SEPARATORS = re.compile(r"[,;&+|()]|\.\s|\s(?:and|or|but)\s", re.IGNORECASE)


def fact_for(code: str, published: str) -> FormatFact:
    entry = file_types()[code]
    return FormatFact(
        published=published,
        code=code,
        label=str(entry["label"]),
        machine_readable=bool(entry["machine_readable"]),
        non_proprietary=bool(entry["non_proprietary"]),
        rdf=bool(entry["rdf"]),
    )


def facts_of_piece(piece: str) -> list[FormatFact]:
    aliases = format_aliases()
    known = aliases.get(normalise_format(piece))
    if known:
        return [fact_for(known, piece)]
    if piece.upper().startswith(EU_FILE_TYPE.upper()):
        code = piece[len(EU_FILE_TYPE) :].strip().upper()
        return [fact_for(code, piece)] if code in file_types() else [FormatFact(published=piece)]
    # "PDF/Doc/XLS", "pdf/xls/json": a list written with slashes; a phrase
    # ("Available only via a user form") stays whole, reported as unknown.
    parts = [part.strip() for part in piece.split("/") if part.strip()]
    if len(parts) > 1 and not any(" " in part for part in parts):
        return [
            fact_for(aliases[normalise_format(part)], part)
            if normalise_format(part) in aliases
            else FormatFact(published=part)
            for part in parts
        ]
    return [FormatFact(published=piece)]


def format_facts(format: str, media_type: str = "") -> list[FormatFact]:
    """The formats a published format string names, in order, each once. The
    media type is read when the format string names no known format."""
    facts: list[FormatFact] = []
    for piece in FORMAT_SEPARATORS.split(format):
        piece = piece.strip().rstrip(".").strip()
        if piece:
            facts.extend(facts_of_piece(piece))
    if media_type.strip() and not any(fact.known for fact in facts):
        from_media = facts_of_piece(media_type.strip())
        if any(fact.known for fact in from_media):
            facts = facts + from_media
    return distinct(facts)


def distinct(facts: Sequence[FormatFact]) -> list[FormatFact]:
    """Each format once, the first spelling kept."""
    unique: dict[str, FormatFact] = {}
    for fact in facts:
        unique.setdefault(fact.key, fact)
    return list(unique.values())


def format_key(text: str) -> str:
    """The key a format typed in a filter is counted under ("csv" is CSV)."""
    facts = format_facts(text)
    return facts[0].key if len(facts) == 1 else normalise_format(text)


# -- licences ------------------------------------------------------------------


def licence_key(text: str) -> str | None:
    """The key of a published licence in data/licences.yaml, or None."""
    if not text.strip():
        return None
    return licence_aliases().get(normalise_licence(text))


def open_licence(text: str) -> bool | None:
    """True when the licence conforms to the Open Definition, False when it is
    known not to (or none is stated), None when it is not in our list."""
    key = licence_key(text)
    return None if key is None else bool(licences()[key]["open"])


def published_licence(record: DatasetRecord) -> str:
    """The dataset's licence, else the first distribution's own."""
    if record.licence.strip():
        return record.licence.strip()
    return next((d.licence.strip() for d in record.distributions if d.licence.strip()), "")


# -- five stars ----------------------------------------------------------------


def on_the_web(record: DatasetRecord) -> bool:
    return record.access == Access.ONLINE and (
        bool(record.landing_page.strip())
        or any(d.access_url or d.download_url or d.format for d in record.distributions)
    )


def five_stars(
    record: DatasetRecord, openness: bool | None, facts: Sequence[FormatFact]
) -> tuple[int, str]:
    if not on_the_web(record):
        return 0, gettext("No star: the data is not available on the web.")
    if openness is not True:
        if openness is None:
            return 0, gettext("No star: the licence is not known to be open.")
        return 0, gettext("No star: the data has no open licence.")
    best = max((fact.stars for fact in facts if fact.known), default=1)
    stars = min(best, MAX_STARS)
    reasons = {
        1: gettext("One star: on the web under an open licence, in no machine-readable format."),
        2: gettext("Two stars: machine-readable, in a proprietary format."),
        3: gettext("Three stars: machine-readable, in a non-proprietary format."),
        4: gettext(
            "Four stars: published as RDF. The fifth star (links to other data) "
            "cannot be seen in metadata."
        ),
    }
    return stars, reasons[stars]


# -- metadata quality ----------------------------------------------------------


def answered(status: int | None) -> bool:
    return status is not None and 200 <= status < 300


def statuses_for(
    link_statuses: Sequence[tuple[int | None, int | None]], index: int
) -> tuple[int | None, int | None]:
    return link_statuses[index] if index < len(link_statuses) else (None, None)


def access_right_known(text: str) -> bool:
    text = text.strip()
    code = text[len(EU_ACCESS_RIGHT) :] if text.startswith(EU_ACCESS_RIGHT) else text
    return code.upper().replace(" ", "_").replace("-", "_") in ACCESS_RIGHT_CODES


def findability(record: DatasetRecord) -> list[Indicator]:
    has_time = record.temporal_start is not None or record.temporal_end is not None
    return [
        present("findability", _("Keywords"), 30, bool(record.keywords)),
        present("findability", _("Themes"), 30, bool(record.themes)),
        present("findability", _("Spatial coverage"), 20, bool(record.spatial.strip())),
        present("findability", _("Temporal coverage"), 20, has_time),
    ]


def present(
    dimension: str, label: str | Promise, maximum: int, given: bool, note: str = ""
) -> Indicator:
    return Indicator(
        dimension=dimension,
        label=str(label),
        points=maximum if given else 0,
        maximum=maximum,
        note=note if note else ("" if given else gettext("not given")),
    )


def reachability(url: str, status: int | None) -> str:
    """Why a link earned no points, or "" when it answered."""
    if answered(status):
        return ""
    if not url.strip():
        return gettext("not given")
    return gettext("not checked") if status is None else gettext("did not answer")


def accessibility(
    record: DatasetRecord, link_statuses: Sequence[tuple[int | None, int | None]]
) -> list[Indicator]:
    """The best distribution's points; reachability counts only once checked."""
    best: list[Indicator] = []
    for index, distribution in enumerate(record.distributions or (DistributionRecord(),)):
        access_status, download_status = statuses_for(link_statuses, index)
        indicators = [
            present(
                "accessibility",
                _("Access URL answers"),
                50,
                answered(access_status),
                reachability(distribution.access_url, access_status),
            ),
            present(
                "accessibility",
                _("Download URL given"),
                20,
                bool(distribution.download_url.strip()),
            ),
            present(
                "accessibility",
                _("Download URL answers"),
                30,
                answered(download_status),
                reachability(distribution.download_url, download_status),
            ),
        ]
        if sum(i.points for i in indicators) > sum(i.points for i in best) or not best:
            best = indicators
    return best


def dcat_ap_compliant(record: DatasetRecord) -> bool:
    """What the DCAT-AP 2.1.1 shapes require of a dataset and its
    distributions: a title, a description, and an access URL for each."""
    return (
        bool(record.title.strip())
        and bool(record.description.strip())
        and all(d.access_url.strip() for d in record.distributions)
    )


def interoperability(record: DatasetRecord) -> tuple[list[Indicator], list[FormatFact]]:
    """The best distribution's points (the MQA's rule for this dimension)."""
    best: list[Indicator] = []
    all_facts: list[FormatFact] = []
    for distribution in record.distributions or (DistributionRecord(),):
        facts = format_facts(distribution.format, distribution.media_type)
        all_facts.extend(facts)
        known = [fact for fact in facts if fact.known]
        media_known = (
            any(fact.known for fact in format_facts(distribution.media_type))
            if distribution.media_type.strip()
            else False
        )
        indicators = [
            present("interoperability", _("Format given"), 20, bool(distribution.format.strip())),
            present(
                "interoperability", _("Media type given"), 10, bool(distribution.media_type.strip())
            ),
            present(
                "interoperability",
                _("Format or media type from the file-type list"),
                10,
                bool(known) or media_known,
                "" if known or media_known else gettext("not in the list"),
            ),
            present(
                "interoperability",
                _("Non-proprietary format"),
                20,
                any(fact.non_proprietary for fact in known),
                "" if any(fact.non_proprietary for fact in known) else gettext("none"),
            ),
            present(
                "interoperability",
                _("Machine-readable format"),
                20,
                any(fact.machine_readable for fact in known),
                "" if any(fact.machine_readable for fact in known) else gettext("none"),
            ),
        ]
        if sum(i.points for i in indicators) > sum(i.points for i in best) or not best:
            best = indicators
    compliant = dcat_ap_compliant(record)
    best.append(
        present(
            "interoperability",
            _("DCAT-AP mandatory properties"),
            30,
            compliant,
            "" if compliant else gettext("a title, a description or an access URL is missing"),
        )
    )
    return best, distinct(all_facts)


def reusability(record: DatasetRecord, key: str | None, licence: str) -> list[Indicator]:
    stated = bool(licence) and (key is None or licences()[key].get("stated", True))
    return [
        present("reusability", _("Licence given"), 20, stated),
        present(
            "reusability",
            _("Licence from the licence list"),
            10,
            stated and key is not None,
            "" if not stated or key is not None else gettext("not in the list"),
        ),
        present("reusability", _("Access rights given"), 10, bool(record.access_rights.strip())),
        present(
            "reusability",
            _("Access rights from the EU vocabulary"),
            5,
            access_right_known(record.access_rights),
        ),
        present("reusability", _("Contact point given"), 20, bool(record.contact_point.strip())),
        present("reusability", _("Publisher given"), 10, bool(record.publisher.strip())),
    ]


def contextuality(record: DatasetRecord) -> list[Indicator]:
    distributions = record.distributions
    return [
        present(
            "contextuality", _("Rights given"), 5, any(d.rights.strip() for d in distributions)
        ),
        present(
            "contextuality", _("Size given"), 5, any(d.byte_size is not None for d in distributions)
        ),
        present(
            "contextuality",
            _("Date issued given"),
            5,
            record.issued is not None or any(d.issued for d in distributions),
        ),
        present(
            "contextuality",
            _("Date modified given"),
            5,
            record.modified is not None or any(d.modified for d in distributions),
        ),
    ]


def band_for(points: float) -> str:
    return next(band for floor, band in BAND_FLOORS if points >= floor).value


def score(
    record: DatasetRecord, link_statuses: Sequence[tuple[int | None, int | None]] = ()
) -> DatasetScore:
    """`link_statuses[i]` is (access URL status, download URL status) of the
    record's i-th distribution, None where not checked; empty when the links
    have not been checked at all."""
    licence = published_licence(record)
    key = licence_key(licence)
    openness = open_licence(licence)
    interoperable, facts = interoperability(record)
    stars, stars_reason = five_stars(record, openness, facts)
    indicators = (
        findability(record)
        + accessibility(record, link_statuses)
        + interoperable
        + reusability(record, key, licence)
        + contextuality(record)
    )
    totals = {
        dimension: sum(i.points for i in indicators if i.dimension == dimension)
        for dimension in DIMENSIONS
    }
    points = sum(totals.values())
    return DatasetScore(
        stars=stars,
        stars_reason=stars_reason,
        licence_key=key or "",
        open_licence=openness,
        unknown_licence=licence if licence and key is None else "",
        formats=tuple(facts),
        findability=totals["findability"],
        accessibility=totals["accessibility"],
        interoperability=totals["interoperability"],
        reusability=totals["reusability"],
        contextuality=totals["contextuality"],
        points=points,
        band=band_for(points),
        indicators=tuple(indicators),
    )
