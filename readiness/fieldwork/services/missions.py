"""Missions and their meetings, and passages of meeting notes cited as
evidence. Each write checks the assessment may be edited, the version it was
based on, and keeps history. Meetings name organisations, never people:
who attended is kept by readiness.fieldwork.services.people."""

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from readiness.assessments import services as assessment_services
from readiness.assessments.access import require_editable
from readiness.assessments.models import Assessment, Evidence, Membership
from readiness.core.errors import FieldError, InvalidInput, NotFound
from readiness.core.history import Actor, check_version, record_change
from readiness.core.text import KEY, LONG, NAME, clean_identifier, clean_text
from readiness.fieldwork.models import Meeting, MeetingCitation, Mission
from readiness.frameworks.models import Question
from readiness.registry.models import Organisation

KEY_PATTERN = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{KEY - 1}}}")
# Addresses under missions/ that a mission's key would hide.
RESERVED_KEYS = {"new", "people", "coverage"}
MEETING_FIELDS = {"date", "organisations", "topics", "notes"}


def raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(errors)


def country_of(assessment: Assessment) -> str:
    """The register the assessment's organisations come from."""
    return assessment.subject_code[:2].upper()


def mission_snapshot(mission: Mission) -> dict[str, Any]:
    return {
        "key": mission.key,
        "name": mission.name,
        "start_date": mission.start_date.isoformat(),
        "end_date": mission.end_date.isoformat(),
        "places": mission.places,
        "team": sorted(mission.team.values_list("username", flat=True)),
        "version": mission.version,
    }


def meeting_snapshot(meeting: Meeting) -> dict[str, Any]:
    return {
        "mission": meeting.mission.key,
        "date": meeting.date.isoformat() if meeting.date else None,
        "organisations": organisation_keys(meeting),
        "topics": meeting.topics,
        "notes": meeting.notes,
        "version": meeting.version,
    }


def organisation_keys(meeting: Meeting) -> list[str]:
    return sorted(o.abbreviation for o in meeting.organisations.all())


def team_members(assessment: Assessment, usernames: Iterable[str]) -> list[User]:
    """The users named, each a member of the assessment, or InvalidInput."""
    wanted = sorted({name.strip() for name in usernames if name.strip()})
    found = {
        m.user.username: m.user
        for m in Membership.objects.filter(
            assessment=assessment, user__username__in=wanted
        ).select_related("user")
    }
    raise_if(
        [
            FieldError("team", _("%s is not a member of this assessment") % name)
            for name in wanted
            if name not in found
        ]
    )
    return [found[name] for name in wanted]


def registered_organisations(assessment: Assessment, keys: Iterable[str]) -> list[Organisation]:
    """The organisations named by their acronyms in the register of the
    assessment's country, or InvalidInput naming each one not found."""
    wanted = sorted({key.strip() for key in keys if key.strip()})
    found = {
        o.abbreviation: o
        for o in Organisation.objects.filter(
            country_code=country_of(assessment), abbreviation__in=wanted
        )
    }
    raise_if(
        [
            FieldError("organisations", _("no organisation %s in the register") % key)
            for key in wanted
            if key not in found
        ]
    )
    return [found[key] for key in wanted]


def cleaned_dates(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise InvalidInput.single("end_date", _("must not be before the first day"))


@transaction.atomic
def create_mission(
    *,
    actor: Actor,
    assessment: Assessment,
    key: str,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    places: str = "",
    team: Iterable[str] = (),
) -> Mission:
    require_editable(actor, assessment)
    errors: list[FieldError] = []
    cleaned_key = key.strip().lower()
    if not KEY_PATTERN.fullmatch(cleaned_key) or cleaned_key in RESERVED_KEYS:
        errors.append(
            FieldError(
                "key",
                _("letters, digits, - and _, starting with a letter or digit, at most %d") % KEY,
            )
        )
    elif Mission.objects.filter(assessment=assessment, key=cleaned_key).exists():
        errors.append(FieldError("key", _("this assessment already has a mission %s") % key))
    fields = {
        "name": clean_text(name, NAME, "name", errors, required=True),
        "places": clean_text(places, NAME, "places", errors),
    }
    raise_if(errors)
    cleaned_dates(start_date, end_date)
    members = team_members(assessment, team)
    mission = Mission.objects.create(
        assessment=assessment,
        key=cleaned_key,
        start_date=start_date,
        end_date=end_date,
        **fields,
    )
    mission.team.set(members)
    record_change(
        assessment_id=assessment.pk,
        entity="mission",
        entity_id=mission.pk,
        actor=actor,
        before=None,
        after=mission_snapshot(mission),
    )
    return mission


MISSION_FIELDS = {"name", "start_date", "end_date", "places", "team"}


@transaction.atomic
def update_mission(
    *, actor: Actor, mission: Mission, expected_version: int | None, changes: dict[str, Any]
) -> Mission:
    """Change a mission's name, days, places or team (its key names it in
    addresses and stays). Meetings dated outside the new days are refused."""
    assessment = mission.assessment
    require_editable(actor, assessment)
    current = Mission.objects.select_for_update().get(pk=mission.pk)
    before = mission_snapshot(current)
    check_version(
        what=_("This mission"),
        current_version=current.version,
        expected_version=expected_version,
        current=before,
    )
    raise_if(
        [FieldError(name, _("cannot be changed")) for name in sorted(set(changes) - MISSION_FIELDS)]
    )
    errors: list[FieldError] = []
    if "name" in changes:
        current.name = clean_text(changes["name"], NAME, "name", errors, required=True)
    if "places" in changes:
        current.places = clean_text(changes["places"], NAME, "places", errors)
    raise_if(errors)
    current.start_date = changes.get("start_date", current.start_date)
    current.end_date = changes.get("end_date", current.end_date)
    cleaned_dates(current.start_date, current.end_date)
    outside = current.meetings.exclude(date=None).exclude(
        date__range=(current.start_date, current.end_date)
    )
    if outside.exists():
        raise InvalidInput.single(
            "start_date", _("%d meetings are dated outside these days") % outside.count()
        )
    if "team" in changes:
        current.team.set(team_members(assessment, changes["team"]))
    current.version += 1
    current.save()
    record_change(
        assessment_id=assessment.pk,
        entity="mission",
        entity_id=current.pk,
        actor=actor,
        before=before,
        after=mission_snapshot(current),
    )
    return current


def cleaned_meeting(mission: Mission, values: dict[str, Any]) -> dict[str, Any]:
    errors: list[FieldError] = []
    cleaned = {
        "date": values["date"],
        "topics": clean_text(values["topics"] or "", NAME, "topics", errors),
        "notes": clean_text(values["notes"] or "", LONG, "notes", errors),
    }
    date = cleaned["date"]
    if date is not None and not mission.start_date <= date <= mission.end_date:
        errors.append(FieldError("date", _("must be a day of the mission")))
    raise_if(errors)
    return cleaned


@transaction.atomic
def add_meeting(
    *,
    actor: Actor,
    mission: Mission,
    organisations: Iterable[str],
    date: datetime.date | None = None,
    topics: str = "",
    notes: str = "",
) -> Meeting:
    require_editable(actor, mission.assessment)
    fields = cleaned_meeting(mission, {"date": date, "topics": topics, "notes": notes})
    met = registered_organisations(mission.assessment, organisations)
    order = mission.meetings.count() + 1
    meeting = Meeting.objects.create(mission=mission, order=order, **fields)
    meeting.organisations.set(met)
    record_change(
        assessment_id=mission.assessment_id,
        entity="meeting",
        entity_id=meeting.pk,
        actor=actor,
        before=None,
        after=meeting_snapshot(meeting),
    )
    return meeting


@transaction.atomic
def update_meeting(
    *, actor: Actor, meeting: Meeting, expected_version: int | None, changes: dict[str, Any]
) -> Meeting:
    assessment = meeting.mission.assessment
    require_editable(actor, assessment)
    current = Meeting.objects.select_for_update().select_related("mission").get(pk=meeting.pk)
    before = meeting_snapshot(current)
    check_version(
        what=_("This meeting"),
        current_version=current.version,
        expected_version=expected_version,
        current=before,
    )
    raise_if(
        [FieldError(name, _("cannot be changed")) for name in sorted(set(changes) - MEETING_FIELDS)]
    )
    values = {"date": current.date, "topics": current.topics, "notes": current.notes}
    fields = cleaned_meeting(
        current.mission, {**values, **{k: v for k, v in changes.items() if k in values}}
    )
    if "organisations" in changes:
        current.organisations.set(registered_organisations(assessment, changes["organisations"]))
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    record_change(
        assessment_id=assessment.pk,
        entity="meeting",
        entity_id=current.pk,
        actor=actor,
        before=before,
        after=meeting_snapshot(current),
    )
    return current


def meeting_reference(meeting: Meeting) -> str:
    """How an evidence item names its meeting: organisations, never people."""
    organisations = ", ".join(o.abbreviation for o in meeting.organisations.all()) or _(
        "organisations not recorded"
    )
    if meeting.date:
        return _("Meeting with %(organisations)s, %(date)s (%(mission)s)") % {
            "organisations": organisations,
            "date": meeting.date.isoformat(),
            "mission": meeting.mission.name,
        }
    return _("Meeting with %(organisations)s (%(mission)s)") % {
        "organisations": organisations,
        "mission": meeting.mission.name,
    }


@transaction.atomic
def cite_passage(
    *,
    actor: Actor,
    meeting: Meeting,
    question: Question,
    passage: str,
    sign: str = Evidence.Sign.MIXED,
    meeting_url: str = "",
) -> Evidence:
    """An evidence item on `question` whose text is a passage of the
    meeting's notes, linked back to the meeting (`meeting_url`, its page)."""
    errors: list[FieldError] = []
    text = clean_text(passage, LONG, "passage", errors, required=True)
    raise_if(errors)
    if " ".join(text.split()) not in " ".join(meeting.notes.split()):
        raise InvalidInput.single("passage", _("is not a passage of the meeting's notes"))
    evidence = assessment_services.add_evidence(
        actor=actor,
        assessment=meeting.mission.assessment,
        question=question,
        sign=sign,
        text=text,
        source_kind=Evidence.SourceKind.INTERVIEW,
        reference_title=meeting_reference(meeting),
        reference_url=meeting_url,
        date=meeting.date or meeting.mission.start_date,
    )
    MeetingCitation.objects.create(evidence=evidence, meeting=meeting)
    return evidence


# --- reading ----------------------------------------------------------------------


def missions_of(assessment: Assessment) -> list[Mission]:
    return list(Mission.objects.filter(assessment=assessment).prefetch_related("team", "meetings"))


def get_mission(assessment: Assessment, key: str) -> Mission:
    name = clean_identifier(key)
    mission = (
        Mission.objects.filter(assessment=assessment, key=name).prefetch_related("team").first()
        if name
        else None
    )
    if mission is None:
        raise NotFound(_("no mission %s in this assessment") % key)
    return mission


def meetings_of(mission: Mission) -> list[Meeting]:
    return list(
        mission.meetings.prefetch_related("organisations", "citations").order_by("order", "id")
    )


def get_meeting(mission: Mission, meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.filter(mission=mission, pk=meeting_id)
        .select_related("mission__assessment")
        .prefetch_related("organisations")
        .first()
    )
    if meeting is None:
        raise NotFound(_("no meeting %s in this mission") % meeting_id)
    return meeting
