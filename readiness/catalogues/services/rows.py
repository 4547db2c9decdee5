"""From a `DatasetRecord` to the stored row: the text rule and the address
rule on every field, the publisher matched to the organisations register,
and the scores of `scoring.score`. Used by the import (where an unusable
address or an unknown recommendation is a warning) and by hand entry (where
it is an error, since the assessor can correct it at once)."""

import dataclasses
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from readiness.assessments.models import Assessment
from readiness.catalogues.models import DatasetFormat
from readiness.catalogues.records import Access, DatasetRecord, DistributionRecord, Recommendation
from readiness.catalogues.scoring import DatasetScore, FormatFact, score
from readiness.core.errors import FieldError
from readiness.core.links import url_problem
from readiness.core.text import LONG, NAME, SHORT, URL, clean_text
from readiness.registry.models import Organisation

MAX_BYTE_SIZE = 2**63 - 1

# (field, limit, required) of the texts of a dataset and of a distribution.
DATASET_TEXTS = (
    ("identifier", URL, True),
    ("title", NAME, True),
    ("description", LONG, False),
    ("publisher", NAME, False),
    ("licence", URL, False),
    ("access_rights", URL, False),
    ("update_frequency", URL, False),
    ("spatial", URL, False),
    ("contact_point", NAME, False),
    ("recommendation_reason", LONG, False),
    ("notes", LONG, False),
)
DISTRIBUTION_TEXTS = (
    ("title", NAME),
    ("format", SHORT),
    ("media_type", SHORT),
    ("licence", URL),
    ("rights", URL),
)


class Publishers:
    """The organisations register of the assessment's country, looked up
    by acronym (English or Vietnamese), name or other name, whatever the
    case; a name two organisations share matches neither (never guessed)."""

    def __init__(self, assessment: Assessment) -> None:
        country = assessment.subject_code[:2].upper()
        found: dict[str, set[int]] = defaultdict(set)
        self.organisations: dict[int, Organisation] = {}
        for organisation in Organisation.objects.filter(country_code=country):
            self.organisations[organisation.pk] = organisation
            names = [organisation.abbreviation, organisation.abbreviation_vi]
            names += list(organisation.name.values()) if isinstance(organisation.name, dict) else []
            names += [alias for alias in organisation.aliases if isinstance(alias, str)]
            for name in names:
                if name and name.strip():
                    found[name.strip().casefold()].add(organisation.pk)
        self.by_name = {name: ids.pop() for name, ids in found.items() if len(ids) == 1}

    def match(self, name: str) -> Organisation | None:
        pk = self.by_name.get(name.strip().casefold())
        return self.organisations[pk] if pk is not None else None


def fingerprint(record: DatasetRecord) -> str:
    """A digest of everything the record says (not where it was read)."""
    values = {f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.compare}
    text = json.dumps(values, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Row:
    """A dataset's stored fields (the publisher among them) and its
    distributions' fields, with the record as cleaned (for scoring)."""

    record: DatasetRecord
    fields: dict[str, Any]
    distributions: list[dict[str, Any]]
    formats: tuple[FormatFact, ...]

    def format_rows(self, dataset_id: int) -> list[DatasetFormat]:
        return [
            DatasetFormat(
                dataset_id=dataset_id,
                code=fact.key,
                label=fact.label or fact.published,
                known=fact.known,
            )
            for fact in self.formats
        ]


class Cleaner:
    """Cleans records of one catalogue. `strict`: every problem is an error
    (hand entry); otherwise addresses that cannot be links and unknown
    recommendations are left out with a warning (imports)."""

    def __init__(self, assessment: Assessment, *, strict: bool) -> None:
        self.publishers = Publishers(assessment)
        self.strict = strict
        self.warnings: list[str] = []
        self.unmatched: set[str] = set()

    def _address(self, value: str, where: str, errors: list[FieldError]) -> str:
        address = value.strip()
        problem = url_problem(address) if address else None
        if problem is None:
            return address
        if self.strict:
            errors.append(FieldError(where, problem))
        else:
            self.warnings.append(
                _("%(place)s: %(problem)s; left out") % {"place": where, "problem": problem}
            )
        return ""

    def row(self, record: DatasetRecord, place: str = "") -> tuple[Row | None, list[FieldError]]:
        """The row, or the errors naming `place` and the field."""
        errors: list[FieldError] = []
        prefix = f"{place}, " if place else ""
        texts: dict[str, Any] = {
            name: clean_text(
                str(getattr(record, name) or ""), limit, prefix + name, errors, required=required
            )
            for name, limit, required in DATASET_TEXTS
        }
        lists: dict[str, Any] = {}
        for name in ("themes", "keywords"):
            lists[name] = tuple(
                item
                for index, value in enumerate(getattr(record, name))
                if (item := clean_text(str(value), NAME, f"{prefix}{name}[{index}]", errors))
            )
        if record.access not in Access.values:
            errors.append(
                FieldError(prefix + "access", _("must be one of: %s") % ", ".join(Access.values))
            )
        recommendation = (record.recommendation or "").strip()
        if recommendation and recommendation not in Recommendation.values:
            message = _("must be one of: %s") % ", ".join(Recommendation.values)
            if self.strict:
                errors.append(FieldError(prefix + "recommendation", message))
            else:
                self.warnings.append(
                    _("%(place)s: %(problem)s; left empty")
                    % {"place": prefix + "recommendation", "problem": message}
                )
            recommendation = ""
        landing_page = self._address(record.landing_page, prefix + "landing_page", errors)
        distributions = [
            self._distribution(distribution, f"{prefix}distributions[{index}]", errors)
            for index, distribution in enumerate(record.distributions)
        ]
        if errors:
            return None, errors
        cleaned = dataclasses.replace(
            record,
            **texts,
            **lists,
            landing_page=landing_page,
            recommendation=recommendation,
            distributions=tuple(DistributionRecord(**d) for d in distributions),
        )
        scored = score(cleaned)
        return Row(cleaned, self._fields(cleaned, scored), distributions, scored.formats), []

    def _distribution(
        self, distribution: DistributionRecord, where: str, errors: list[FieldError]
    ) -> dict[str, Any]:
        fields: dict[str, Any] = {
            name: clean_text(
                str(getattr(distribution, name) or ""), limit, f"{where}.{name}", errors
            )
            for name, limit in DISTRIBUTION_TEXTS
        }
        for name in ("access_url", "download_url"):
            fields[name] = self._address(getattr(distribution, name), f"{where}.{name}", errors)
        size = distribution.byte_size
        if size is not None and not (isinstance(size, int) and 0 <= size <= MAX_BYTE_SIZE):
            errors.append(FieldError(f"{where}.byte_size", _("a number of bytes, 0 or more")))
        fields.update(byte_size=size, issued=distribution.issued, modified=distribution.modified)
        return fields

    def _fields(self, record: DatasetRecord, scored: DatasetScore) -> dict[str, Any]:
        publisher = self.publishers.match(record.publisher) if record.publisher else None
        if record.publisher and publisher is None:
            self.unmatched.add(record.publisher)
        return {
            "identifier": record.identifier,
            "title": record.title,
            "description": record.description,
            "publisher": publisher,
            "publisher_name": "" if publisher else record.publisher,
            "landing_page": record.landing_page,
            "licence": record.licence,
            "access": record.access,
            "access_rights": record.access_rights,
            "update_frequency": record.update_frequency,
            "themes": list(record.themes),
            "keywords": list(record.keywords),
            "temporal_start": record.temporal_start,
            "temporal_end": record.temporal_end,
            "spatial": record.spatial,
            "issued": record.issued,
            "modified": record.modified,
            "contact_point": record.contact_point,
            "recommendation": record.recommendation,
            "recommendation_reason": record.recommendation_reason,
            "notes": record.notes,
            "stars": scored.stars,
            "licence_key": scored.licence_key or "",
            "open_licence": scored.open_licence,
            "quality_findability": scored.findability,
            "quality_accessibility": scored.accessibility,
            "quality_interoperability": scored.interoperability,
            "quality_reusability": scored.reusability,
            "quality_contextuality": scored.contextuality,
            "quality_points": scored.points,
            "quality_band": scored.band or "",
        }

    def publisher_warning(self) -> list[str]:
        if not self.unmatched:
            return []
        return [
            _("Not in the organisations register, kept as published: %s")
            % "; ".join(sorted(self.unmatched))
        ]
