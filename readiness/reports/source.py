"""What a report is made from: the assessment document and the action plan
documents, either as they are now (a working draft) or as frozen by a
publication. Frameworks are immutable per version, so a publication's report
is the same every time it is rendered."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from readiness.actionplans.services import export_plans
from readiness.assessments.documents import export_assessment
from readiness.assessments.models import Assessment
from readiness.reviews.models import Publication


@dataclass(frozen=True)
class ReportSource:
    document: dict[str, Any]  # readiness-assessment/1
    plans: list[dict[str, Any]]  # readiness-action-plan/1, one per framework
    publication: int | None  # the published version, None for the working draft
    date: datetime.date  # the publication's date, or today for a draft
    # Publication.readiness and gaps_reason: a report of a publication made
    # "with gaps" says so, with the coverage, as the public page does.
    readiness: dict[str, Any] = field(default_factory=dict)
    gaps_reason: str = ""


def working_draft(assessment: Assessment) -> ReportSource:
    return ReportSource(
        document=export_assessment(assessment),
        plans=export_plans(assessment),
        publication=None,
        date=timezone.localdate(),
    )


def published(publication: Publication) -> ReportSource:
    return ReportSource(
        document=publication.document,
        plans=publication.plans,
        publication=publication.number,
        date=timezone.localdate(publication.published_at),
        readiness=publication.readiness,
        gaps_reason=publication.gaps_reason,
    )
