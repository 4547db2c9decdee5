"""The coverage grid: which questions and dimensions each meeting informed
(through the passages of its notes cited as evidence), which organisations
were met about what, and which dimensions rest on too few sources.

A source is a meeting cited in the dimension's evidence, or any other
evidence item's reference (its address, else its title, else the item
itself): two passages of one meeting are one source, as are two quotes of
one decree. The threshold is the setting READINESS_MIN_SOURCES."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from readiness.assessments.access import require
from readiness.assessments.models import Assessment, Evidence
from readiness.assessments.permissions import Action
from readiness.assessments.selectors import assessment_frameworks
from readiness.core.history import Actor
from readiness.fieldwork.models import Meeting, MeetingCitation
from readiness.frameworks.models import Dimension


@dataclass
class DimensionCoverage:
    dimension: Dimension
    sources: int
    meetings: int
    questions_informed: int  # by a meeting
    questions: int
    too_few: bool


@dataclass
class MeetingCoverage:
    meeting: Meeting
    # question keys by dimension id
    questions: dict[int, list[str]] = field(default_factory=dict)


@dataclass
class Coverage:
    threshold: int
    dimensions: list[DimensionCoverage]
    meetings: list[MeetingCoverage]
    # organisation abbreviation → dimension id → number of meetings
    organisations: dict[str, dict[int, int]]


def source_of(evidence: Evidence, meeting_id: int | None) -> str:
    if meeting_id is not None:
        return f"meeting:{meeting_id}"
    reference = evidence.reference_url.strip() or " ".join(evidence.reference_title.lower().split())
    return f"reference:{reference}" if reference else f"item:{evidence.pk}"


def coverage(actor: Actor, assessment: Assessment) -> Coverage:
    require(actor, assessment, Action.VIEW)
    threshold = settings.READINESS_MIN_SOURCES
    cited = dict(
        MeetingCitation.objects.filter(evidence__assessment=assessment).values_list(
            "evidence_id", "meeting_id"
        )
    )
    evidence = list(
        Evidence.objects.filter(assessment=assessment).select_related("question__dimension")
    )
    meetings = list(
        Meeting.objects.filter(mission__assessment=assessment)
        .select_related("mission")
        .prefetch_related("organisations")
        .order_by("mission__start_date", "mission__id", "order", "id")
    )
    by_meeting = {meeting.pk: MeetingCoverage(meeting) for meeting in meetings}
    sources: dict[int, set[str]] = defaultdict(set)
    meetings_of: dict[int, set[int]] = defaultdict(set)
    informed: dict[int, set[str]] = defaultdict(set)
    for item in evidence:
        dimension_id = item.question.dimension_id
        meeting_id = cited.get(item.pk)
        sources[dimension_id].add(source_of(item, meeting_id))
        if meeting_id is not None:
            meetings_of[dimension_id].add(meeting_id)
            informed[dimension_id].add(item.question.key)
            keys = by_meeting[meeting_id].questions.setdefault(dimension_id, [])
            if item.question.key not in keys:
                keys.append(item.question.key)
    organisations: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for meeting in meetings:
        for dimension_id in by_meeting[meeting.pk].questions:
            for organisation in meeting.organisations.all():
                organisations[organisation.abbreviation][dimension_id] += 1
    dimensions = []
    for framework in assessment_frameworks(assessment):
        for dimension in framework.dimensions.all():
            found = len(sources[dimension.pk])
            dimensions.append(
                DimensionCoverage(
                    dimension=dimension,
                    sources=found,
                    meetings=len(meetings_of[dimension.pk]),
                    questions_informed=len(informed[dimension.pk]),
                    questions=dimension.questions.count(),
                    too_few=found < threshold,
                )
            )
    return Coverage(
        threshold=threshold,
        dimensions=dimensions,
        meetings=list(by_meeting.values()),
        organisations={name: dict(counts) for name, counts in sorted(organisations.items())},
    )
