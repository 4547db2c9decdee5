"""Offline collection through the REST API: under a framework, its XLSForm;
under an assessment, the submissions imported from KoboToolbox and ODK
Central and the ratings they propose; the missions, their meetings, the
people met (for the assessment's team only), passages of meeting notes cited
as evidence, and the coverage grid."""

import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Path, Query, Router, Schema, Status, UploadedFile
from pydantic import StringConstraints

from readiness.assessments.models import Evidence
from readiness.assessments.permissions import Action
from readiness.assessments.services.assessments import assessment_question, get_assessment
from readiness.core.api_errors import ACTION_ERRORS, READ_ERRORS, UPLOAD_ERRORS, WRITE_ERRORS
from readiness.core.api_pages import page_out, page_schema
from readiness.core.bilingual import pick
from readiness.core.choices import OneOf
from readiness.core.conditional import required_version, set_version_tag
from readiness.core.errors import FieldError, InvalidInput
from readiness.core.filtering import Day, PageQuery
from readiness.core.responses import attachment
from readiness.core.text import KeyText, LongText, NameText, ShortText, SlugText
from readiness.fieldwork import selectors, xlsform
from readiness.fieldwork.filters import ProposalFilters
from readiness.fieldwork.models import Meeting, Mission, PersonMet, ProposedRating, SubmissionImport
from readiness.fieldwork.services import missions as mission_services
from readiness.fieldwork.services import people as people_services
from readiness.fieldwork.services import submissions as services
from readiness.fieldwork.services.coverage import Coverage, coverage
from readiness.frameworks.api import Version as FrameworkVersion
from readiness.frameworks.services import get_framework

router = Router(tags=["field collection"])
framework_router = Router(tags=["field collection"])


@framework_router.get(
    "/{key}/{version}/xlsform", response={200: None, **READ_ERRORS}, summary="The XLSForm"
)
def framework_xlsform(
    request: HttpRequest, key: KeyText, version: FrameworkVersion
) -> HttpResponse:
    """The framework as an XLSForm for KoboToolbox or ODK Central: a group per
    dimension, the scale as choices, labels in English and Vietnamese."""
    framework = get_framework(key, version)
    return attachment(
        xlsform.build_xlsform(framework), xlsform.CONTENT_TYPE, xlsform.xlsform_filename(framework)
    )


# --- Submissions --------------------------------------------------------------------

SUBMISSIONS = "/{slug}/submissions"
ProposalId = Annotated[int, Path(ge=1, le=2**53)]
Version = Annotated[int, Field(ge=1, le=2**53, description="The version you based the change on.")]


class ImportOut(Schema):
    id: int
    source_name: str
    tool: str
    submissions_read: int
    submissions_added: int
    evidence_added: int
    proposals_added: int
    imported_by: str | None
    imported_at: datetime.datetime


class ImportOutcomeOut(ImportOut):
    skipped: int = Field(description="Submissions imported before: nothing added twice.")
    warnings: list[str]


class ProposalOut(Schema):
    id: int
    framework: str
    question: str
    level: str
    rationale: str
    evidence: list[int]
    submission: str
    organisation: str
    status: str
    version: int


class AcceptIn(Schema):
    version: Version
    replace_rating_version: Annotated[int, Field(ge=1, le=2**53)] | None = Field(
        None,
        description="To replace the question's rating: the version of it you saw. "
        "Without it a rated question keeps its rating and the accept is refused.",
    )


class DismissIn(Schema):
    version: Version


def import_out(row: SubmissionImport) -> dict[str, Any]:
    return {
        **{
            name: getattr(row, name)
            for name in (
                "id",
                "source_name",
                "tool",
                "submissions_read",
                "submissions_added",
                "evidence_added",
                "proposals_added",
            )
        },
        "imported_by": row.created_by.get_username() if row.created_by else None,
        "imported_at": row.created_at,
    }


def proposal_out(proposal: ProposedRating) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "framework": proposal.question.framework.key,
        "question": proposal.question.key,
        "level": proposal.level.code,
        "rationale": proposal.rationale,
        "evidence": sorted(e.pk for e in proposal.evidence.all()),
        "submission": proposal.submission.instance_id,
        "organisation": proposal.submission.organisation,
        "status": proposal.status,
        "version": proposal.version,
    }


@router.post(
    SUBMISSIONS, response={200: ImportOutcomeOut, **UPLOAD_ERRORS}, summary="Import submissions"
)
def import_submissions(
    request: HttpRequest, slug: SlugText, file: File[UploadedFile]
) -> dict[str, Any]:
    """A KoboToolbox or ODK Central export (CSV, XLSX, JSON), all or nothing:
    errors name the row and field. Notes become evidence items, ratings become
    proposals; a submission imported before is skipped."""
    assessment = get_assessment(request.user, slug, Action.EDIT)
    source = file.name or "upload"
    outcome = services.import_submissions(
        actor=request.user,
        assessment=assessment,
        data=services.read_upload(file, source),
        source=source,
    )
    return {
        **import_out(outcome.submission_import),
        "skipped": outcome.skipped,
        "warnings": outcome.warnings,
    }


@router.get(
    SUBMISSIONS + "/imports",
    response={200: page_schema(ImportOut), **READ_ERRORS},
    summary="Submission imports",
)
def list_imports(request: HttpRequest, slug: SlugText, page: Query[PageQuery]) -> dict[str, Any]:
    """The imports of submissions, newest first."""
    assessment = get_assessment(request.user, slug)
    return page_out(
        request,
        services.import_page(assessment, cursor=page.cursor, limit=page.limit),
        import_out,
    )


@router.get(
    SUBMISSIONS + "/proposals",
    response={200: page_schema(ProposalOut), **READ_ERRORS},
    summary="Proposed ratings",
)
def list_proposals(
    request: HttpRequest,
    slug: SlugText,
    filters: Query[ProposalFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    """The ratings the submissions propose, in the framework's order."""
    assessment = get_assessment(request.user, slug)
    proposals = services.proposal_page(
        assessment, status=filters.status, cursor=page.cursor, limit=page.limit
    )
    return page_out(request, proposals, proposal_out)


@router.post(
    SUBMISSIONS + "/proposals/{proposal_id}/accept",
    response={200: ProposalOut, **ACTION_ERRORS},
    summary="Accept a proposed rating",
)
def accept_proposal(
    request: HttpRequest, slug: SlugText, proposal_id: ProposalId, payload: AcceptIn
) -> dict[str, Any]:
    """Record the proposed rating, with its evidence cited. A rated question is
    changed only when `replace_rating_version` names the rating's version."""
    proposal = services.accept_proposal(
        actor=request.user,
        assessment=get_assessment(request.user, slug, Action.EDIT),
        proposal_id=proposal_id,
        expected_version=payload.version,
        replace_rating_version=payload.replace_rating_version,
    )
    return proposal_out(proposal)


@router.post(
    SUBMISSIONS + "/proposals/{proposal_id}/dismiss",
    response={200: ProposalOut, **ACTION_ERRORS},
    summary="Dismiss a proposed rating",
)
def dismiss_proposal(
    request: HttpRequest, slug: SlugText, proposal_id: ProposalId, payload: DismissIn
) -> dict[str, Any]:
    proposal = services.dismiss_proposal(
        actor=request.user,
        assessment=get_assessment(request.user, slug, Action.EDIT),
        proposal_id=proposal_id,
        expected_version=payload.version,
    )
    return proposal_out(proposal)


# --- Missions, meetings, people met, coverage ---------------------------------------

MISSIONS = "/{slug}/missions"
MISSION = MISSIONS + "/{key}"
MEETINGS = MISSION + "/meetings"
MEETING = MEETINGS + "/{meeting_id}"
PEOPLE = "/{slug}/people"
PERSON = PEOPLE + "/{person_id}"
ObjectId = Annotated[int, Path(ge=1, le=2**53)]
MeetingRef = Annotated[int, Field(ge=1, le=2**53)]
RequiredName = Annotated[NameText, StringConstraints(min_length=1)]
Username = Annotated[ShortText, StringConstraints(min_length=1)]
Acronym = Annotated[ShortText, StringConstraints(min_length=1)]
Consent = Annotated[str, OneOf(PersonMet.Consent.values)]
Sign = Annotated[str, OneOf(Evidence.Sign.values)]


class MissionIn(Schema):
    key: KeyText = Field(description="Its name in addresses, e.g. `field-2018`; it stays.")
    name: RequiredName
    start_date: Day
    end_date: Day
    places: NameText = ""
    team: list[Username] = Field([], description="Usernames of members of the assessment.")


class MissionPatch(Schema):
    """Fields left out stay as they are; null is refused (422)."""

    version: int | None = Field(
        None, description='The version the change is based on; or send it as `If-Match: "3"`.'
    )
    name: RequiredName | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    places: NameText | None = None
    team: list[Username] | None = None


class MissionOut(Schema):
    key: str
    name: str
    start_date: datetime.date
    end_date: datetime.date
    places: str
    team: list[str]
    meetings: int
    version: int


class MeetingIn(Schema):
    organisations: list[Acronym] = Field(
        [], description="The acronyms of the organisations met, in the country's register."
    )
    date: Day | None = Field(None, description="A day of the mission, if known.")
    topics: NameText = ""
    notes: LongText = ""


class MeetingPatch(Schema):
    """Fields left out stay as they are; null is refused (422) except for
    `date`, where it means no date."""

    version: int | None = Field(
        None, description='The version the change is based on; or send it as `If-Match: "3"`.'
    )
    organisations: list[Acronym] | None = None
    date: Day | None = None
    topics: NameText | None = None
    notes: LongText | None = None


class MeetingOut(Schema):
    id: int
    mission: str
    order: int
    date: datetime.date | None
    organisations: list[str]
    topics: str
    notes: str
    citations: list[int] = Field(description="The evidence items citing its notes.")
    version: int


class AttendeeOut(Schema):
    id: int
    name: str
    title: str
    organisation: str | None


class MeetingDetail(MeetingOut):
    attendees: list[AttendeeOut] | None = Field(
        description="Who attended; null for those outside the assessment's team."
    )


class PassageIn(Schema):
    framework: KeyText
    question: KeyText
    passage: Annotated[LongText, StringConstraints(min_length=1)] = Field(
        description="Words of the meeting's notes, as written there."
    )
    sign: Sign = Evidence.Sign.MIXED


class PassageOut(Schema):
    evidence_id: int
    text: str
    reference_title: str
    version: int


class PersonIn(Schema):
    name: RequiredName
    consent: Consent
    title: NameText = ""
    organisation: ShortText = Field("", description="An acronym of the country's register.")
    contact: ShortText = ""
    consent_date: Day | None = None
    meetings: list[MeetingRef] = Field([], description="The meetings they attended, by id.")


class PersonPatch(Schema):
    """Fields left out stay as they are; null is refused (422) except for
    `organisation` and `consent_date`, where it means none."""

    version: int | None = Field(
        None, description='The version the change is based on; or send it as `If-Match: "3"`.'
    )
    name: RequiredName | None = None
    consent: Consent | None = None
    title: NameText | None = None
    organisation: ShortText | None = None
    contact: ShortText | None = None
    consent_date: Day | None = None


class PersonOut(Schema):
    id: int
    name: str
    title: str
    organisation: str | None
    contact: str
    consent: str
    consent_date: datetime.date | None
    meetings: list[int]
    version: int


class ErasureOut(Schema):
    scrubbed: int = Field(
        description="How many records of history, meeting notes and evidence lost their name."
    )


class DimensionCoverageOut(Schema):
    framework: str
    dimension: str
    title: str
    sources: int
    meetings: int
    questions_informed: int = Field(description="Questions a meeting informed.")
    questions: int
    too_few: bool = Field(description="Fewer sources than the threshold.")


class InformedOut(Schema):
    framework: str
    dimension: str
    questions: list[str]


class MeetingCoverageOut(Schema):
    meeting: int
    mission: str
    organisations: list[str]
    topics: str
    informed: list[InformedOut]


class OrganisationMeetingsOut(Schema):
    framework: str
    dimension: str
    meetings: int


class OrganisationCoverageOut(Schema):
    organisation: str
    dimensions: list[OrganisationMeetingsOut]


class CoverageOut(Schema):
    threshold: int = Field(description="The fewest sources a dimension should rest on.")
    dimensions: list[DimensionCoverageOut]
    meetings: list[MeetingCoverageOut]
    organisations: list[OrganisationCoverageOut]


def refuse_nulls(changes: dict[str, Any], nullable: frozenset[str] = frozenset()) -> None:
    nulls = sorted(
        name for name, value in changes.items() if value is None and name not in nullable
    )
    if nulls:
        raise InvalidInput([FieldError(name, _("must not be null")) for name in nulls])


def mission_out(mission: Mission) -> dict[str, Any]:
    count = getattr(mission, "meeting_count", None)
    return {
        "key": mission.key,
        "name": mission.name,
        "start_date": mission.start_date,
        "end_date": mission.end_date,
        "places": mission.places,
        "team": sorted(user.username for user in mission.team.all()),
        "meetings": mission.meetings.count() if count is None else count,
        "version": mission.version,
    }


def meeting_out(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "mission": meeting.mission.key,
        "order": meeting.order,
        "date": meeting.date,
        "organisations": sorted(o.abbreviation for o in meeting.organisations.all()),
        "topics": meeting.topics,
        "notes": meeting.notes,
        "citations": sorted(c.evidence_id for c in meeting.citations.all()),
        "version": meeting.version,
    }


def meeting_detail_out(actor: Any, meeting: Meeting) -> dict[str, Any]:
    present = people_services.attendees(actor, meeting)
    return {
        **meeting_out(meeting),
        "attendees": None
        if present is None
        else [
            {
                "id": person.pk,
                "name": person.name,
                "title": person.title,
                "organisation": person.organisation.abbreviation if person.organisation else None,
            }
            for person in present
        ],
    }


def person_out(person: PersonMet) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.name,
        "title": person.title,
        "organisation": person.organisation.abbreviation if person.organisation else None,
        "contact": person.contact,
        "consent": person.consent,
        "consent_date": person.consent_date,
        "meetings": sorted(a.meeting_id for a in person.attendances.all()),
        "version": person.version,
    }


def coverage_out(grid: Coverage) -> dict[str, Any]:
    names = {
        row.dimension.pk: {"framework": row.dimension.framework.key, "dimension": row.dimension.key}
        for row in grid.dimensions
    }
    return {
        "threshold": grid.threshold,
        "dimensions": [
            {
                **names[row.dimension.pk],
                "title": pick(row.dimension.title),
                "sources": row.sources,
                "meetings": row.meetings,
                "questions_informed": row.questions_informed,
                "questions": row.questions,
                "too_few": row.too_few,
            }
            for row in grid.dimensions
        ],
        "meetings": [
            {
                "meeting": row.meeting.pk,
                "mission": row.meeting.mission.key,
                "organisations": sorted(o.abbreviation for o in row.meeting.organisations.all()),
                "topics": row.meeting.topics,
                "informed": [
                    {**names[dimension_id], "questions": keys}
                    for dimension_id, keys in row.questions.items()
                ],
            }
            for row in grid.meetings
        ],
        "organisations": [
            {
                "organisation": organisation,
                "dimensions": [
                    {**names[dimension_id], "meetings": count}
                    for dimension_id, count in counts.items()
                ],
            }
            for organisation, counts in grid.organisations.items()
        ],
    }


def mission_of(request: HttpRequest, slug: str, key: str) -> Mission:
    return mission_services.get_mission(get_assessment(request.user, slug), key)


def meeting_of(request: HttpRequest, slug: str, key: str, meeting_id: int) -> Meeting:
    return mission_services.get_meeting(mission_of(request, slug, key), meeting_id)


def person_of(request: HttpRequest, slug: str, person_id: int) -> PersonMet:
    return people_services.get_person(request.user, get_assessment(request.user, slug), person_id)


@router.get(MISSIONS, response={200: page_schema(MissionOut), **READ_ERRORS}, summary="Missions")
def list_missions(request: HttpRequest, slug: SlugText, page: Query[PageQuery]) -> dict[str, Any]:
    """The assessment's missions, the earliest first."""
    assessment = get_assessment(request.user, slug)
    missions = selectors.mission_page(assessment, cursor=page.cursor, limit=page.limit)
    return page_out(request, missions, mission_out)


@router.post(MISSIONS, response={201: MissionOut, **WRITE_ERRORS}, summary="Add a mission")
def create_mission(
    request: HttpRequest, slug: SlugText, payload: MissionIn
) -> Status[dict[str, Any]]:
    mission = mission_services.create_mission(
        actor=request.user, assessment=get_assessment(request.user, slug), **payload.dict()
    )
    return Status(201, mission_out(mission))


@router.get(MISSION, response={200: MissionOut, **READ_ERRORS}, summary="One mission")
def mission_detail(
    request: HttpRequest, response: HttpResponse, slug: SlugText, key: KeyText
) -> dict[str, Any]:
    mission = mission_of(request, slug, key)
    set_version_tag(response, mission.version)
    return mission_out(mission)


@router.patch(MISSION, response={200: MissionOut, **WRITE_ERRORS}, summary="Change a mission")
def update_mission(
    request: HttpRequest,
    response: HttpResponse,
    slug: SlugText,
    key: KeyText,
    payload: MissionPatch,
) -> dict[str, Any]:
    """Its name, days, places or team; its key stays. Days that would leave
    a dated meeting outside are refused."""
    changes = payload.dict(exclude={"version"}, exclude_unset=True)
    refuse_nulls(changes)
    mission = mission_services.update_mission(
        actor=request.user,
        mission=mission_of(request, slug, key),
        expected_version=required_version(request, payload.version),
        changes=changes,
    )
    set_version_tag(response, mission.version)
    return mission_out(mission)


@router.get(
    MEETINGS, response={200: page_schema(MeetingOut), **READ_ERRORS}, summary="A mission's meetings"
)
def list_meetings(
    request: HttpRequest, slug: SlugText, key: KeyText, page: Query[PageQuery]
) -> dict[str, Any]:
    """The meetings in their order, with the organisations met (never people)."""
    meetings = selectors.meeting_page(
        mission_of(request, slug, key), cursor=page.cursor, limit=page.limit
    )
    return page_out(request, meetings, meeting_out)


@router.post(MEETINGS, response={201: MeetingDetail, **WRITE_ERRORS}, summary="Add a meeting")
def add_meeting(
    request: HttpRequest, slug: SlugText, key: KeyText, payload: MeetingIn
) -> Status[dict[str, Any]]:
    mission = mission_of(request, slug, key)
    meeting = mission_services.add_meeting(actor=request.user, mission=mission, **payload.dict())
    return Status(201, meeting_detail_out(request.user, meeting))


@router.get(MEETING, response={200: MeetingDetail, **READ_ERRORS}, summary="One meeting")
def meeting_detail(
    request: HttpRequest, response: HttpResponse, slug: SlugText, key: KeyText, meeting_id: ObjectId
) -> dict[str, Any]:
    """The meeting; who attended only for the assessment's team."""
    meeting = meeting_of(request, slug, key, meeting_id)
    set_version_tag(response, meeting.version)
    return meeting_detail_out(request.user, meeting)


@router.patch(MEETING, response={200: MeetingDetail, **WRITE_ERRORS}, summary="Change a meeting")
def update_meeting(
    request: HttpRequest,
    response: HttpResponse,
    slug: SlugText,
    key: KeyText,
    meeting_id: ObjectId,
    payload: MeetingPatch,
) -> dict[str, Any]:
    changes = payload.dict(exclude={"version"}, exclude_unset=True)
    refuse_nulls(changes, frozenset({"date"}))
    meeting = mission_services.update_meeting(
        actor=request.user,
        meeting=meeting_of(request, slug, key, meeting_id),
        expected_version=required_version(request, payload.version),
        changes=changes,
    )
    set_version_tag(response, meeting.version)
    return meeting_detail_out(request.user, meeting)


@router.post(
    MEETING + "/citations", response={201: PassageOut, **WRITE_ERRORS}, summary="Cite a passage"
)
def cite_passage(
    request: HttpRequest, slug: SlugText, key: KeyText, meeting_id: ObjectId, payload: PassageIn
) -> Status[dict[str, Any]]:
    """Add an evidence item (an interview) to a question whose text is a
    passage of the meeting's notes; its reference names the organisations met."""
    meeting = meeting_of(request, slug, key, meeting_id)
    question = assessment_question(meeting.mission.assessment, payload.framework, payload.question)
    evidence = mission_services.cite_passage(
        actor=request.user,
        meeting=meeting,
        question=question,
        passage=payload.passage,
        sign=payload.sign,
        meeting_url=selectors.meeting_url(meeting),
    )
    return Status(
        201,
        {
            "evidence_id": evidence.pk,
            "text": evidence.text,
            "reference_title": evidence.reference_title,
            "version": evidence.version,
        },
    )


@router.get("/{slug}/coverage", response={200: CoverageOut, **READ_ERRORS}, summary="Coverage")
def coverage_grid(request: HttpRequest, slug: SlugText) -> dict[str, Any]:
    """Which questions and dimensions the meetings informed, which
    organisations were met about what, and the dimensions resting on fewer
    sources than the threshold."""
    assessment = get_assessment(request.user, slug)
    return coverage_out(coverage(request.user, assessment))


@router.get(PEOPLE, response={200: page_schema(PersonOut), **READ_ERRORS}, summary="People met")
def list_people(request: HttpRequest, slug: SlugText, page: Query[PageQuery]) -> dict[str, Any]:
    """The people met, by name: for the assessment's team only (403 for others)."""
    people = selectors.people_page(
        request.user, get_assessment(request.user, slug), cursor=page.cursor, limit=page.limit
    )
    return page_out(request, people, person_out)


@router.post(PEOPLE, response={201: PersonOut, **WRITE_ERRORS}, summary="Add a person met")
def add_person(request: HttpRequest, slug: SlugText, payload: PersonIn) -> Status[dict[str, Any]]:
    """Only what the report needs, and how they agreed to be named."""
    assessment = get_assessment(request.user, slug)
    people_services.require_team(request.user, assessment)
    person = people_services.add_person(
        actor=request.user,
        assessment=assessment,
        meetings=selectors.meetings_by_id(assessment, payload.meetings),
        **payload.dict(exclude={"meetings"}),
    )
    return Status(201, person_out(person))


@router.get(PERSON, response={200: PersonOut, **READ_ERRORS}, summary="One person met")
def person_detail(
    request: HttpRequest, response: HttpResponse, slug: SlugText, person_id: ObjectId
) -> dict[str, Any]:
    person = person_of(request, slug, person_id)
    set_version_tag(response, person.version)
    return person_out(person)


@router.patch(PERSON, response={200: PersonOut, **WRITE_ERRORS}, summary="Change a person met")
def update_person(
    request: HttpRequest,
    response: HttpResponse,
    slug: SlugText,
    person_id: ObjectId,
    payload: PersonPatch,
) -> dict[str, Any]:
    changes = payload.dict(exclude={"version"}, exclude_unset=True)
    refuse_nulls(changes, frozenset({"organisation", "consent_date"}))
    person = people_services.update_person(
        actor=request.user,
        person=person_of(request, slug, person_id),
        expected_version=required_version(request, payload.version),
        changes=changes,
    )
    set_version_tag(response, person.version)
    return person_out(person)


@router.delete(PERSON, response={200: ErasureOut, **ACTION_ERRORS}, summary="Erase a person met")
def erase_person(request: HttpRequest, slug: SlugText, person_id: ObjectId) -> dict[str, Any]:
    """On the person's request, by the lead, whatever the assessment's state:
    the person, their attendances and their name wherever it was written
    (history, meeting notes, evidence). What was said stays attributed to the
    organisations met."""
    person = person_of(request, slug, person_id)
    return {"scrubbed": people_services.erase_person(actor=request.user, person=person)}


@router.get(
    PERSON + "/export", response={200: dict[str, Any], **READ_ERRORS}, summary="Export a person"
)
def export_person(request: HttpRequest, slug: SlugText, person_id: ObjectId) -> dict[str, Any]:
    """Everything kept about the person, for a subject access request."""
    return people_services.export_person(request.user, person_of(request, slug, person_id))


@router.put(
    PERSON + "/meetings/{meeting_id}",
    response={200: PersonOut, **ACTION_ERRORS},
    summary="Record an attendance",
)
def attend_meeting(
    request: HttpRequest, slug: SlugText, person_id: ObjectId, meeting_id: ObjectId
) -> dict[str, Any]:
    """Record that the person was at the meeting (422 if already recorded)."""
    person = person_of(request, slug, person_id)
    meeting = selectors.meeting_of_assessment(person.assessment, meeting_id)
    people_services.attend(actor=request.user, meeting=meeting, person=person)
    return person_out(person)


@router.delete(
    PERSON + "/meetings/{meeting_id}",
    response={200: PersonOut, **ACTION_ERRORS},
    summary="Remove an attendance",
)
def leave_meeting(
    request: HttpRequest, slug: SlugText, person_id: ObjectId, meeting_id: ObjectId
) -> dict[str, Any]:
    """The person is no longer recorded at the meeting (404 if they were not)."""
    person = person_of(request, slug, person_id)
    meeting = selectors.meeting_of_assessment(person.assessment, meeting_id)
    people_services.leave(actor=request.user, meeting=meeting, person=person)
    return person_out(person)
