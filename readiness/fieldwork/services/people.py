"""The people met: personal data, seen only by the assessment's team — the
lead and the assessors, who met them. Reviewers and government counterparts
see meetings by organisation only. A person's data can be exported and, on
request, erased: the person, their attendances, and every trace of their
name in the assessment's history, meeting notes and evidence; what was said
stays attributed to the organisations met."""

import datetime
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.assessments.access import Access, access_to, require, require_editable
from readiness.assessments.models import Assessment, Evidence
from readiness.assessments.permissions import Action, Role
from readiness.core.errors import FieldError, Forbidden, InvalidInput, NotFound
from readiness.core.history import Actor, check_version, record_change
from readiness.core.models import ChangeRecord
from readiness.core.text import NAME, SHORT, clean_text
from readiness.fieldwork.models import Attendance, Meeting, PersonMet
from readiness.fieldwork.services.missions import country_of, raise_if
from readiness.registry.models import Organisation

# Who may see and handle the names of the people met.
TEAM_ROLES = frozenset({Role.LEAD, Role.ASSESSOR})
# What an erased name becomes wherever it was written.
ERASED = "[erased]"


def sees_people(access: Access) -> bool:
    return access.is_admin or access.role in TEAM_ROLES


def require_team(actor: Actor, assessment: Assessment) -> Access:
    """The team's access, NotFound for non-members, Forbidden for the others."""
    access = require(actor, assessment, Action.VIEW)
    if not sees_people(access):
        raise Forbidden(_("Only the assessment's team sees the people met."))
    return access


def may_see_people(actor: Actor, assessment: Assessment) -> bool:
    return sees_people(access_to(actor, assessment))


def person_snapshot(person: PersonMet) -> dict[str, Any]:
    return {
        "name": person.name,
        "title": person.title,
        "organisation": person.organisation.abbreviation if person.organisation else None,
        "contact": person.contact,
        "consent": person.consent,
        "consent_date": person.consent_date.isoformat() if person.consent_date else None,
        "version": person.version,
    }


@transaction.atomic
def add_person(
    *,
    actor: Actor,
    assessment: Assessment,
    name: str,
    consent: str,
    title: str = "",
    organisation: str = "",
    contact: str = "",
    consent_date: datetime.date | None = None,
    meetings: list[Meeting] | None = None,
) -> PersonMet:
    """A person met, attending `meetings` (of this assessment)."""
    require_editable(actor, assessment)
    require_team(actor, assessment)
    errors: list[FieldError] = []
    fields = {
        "name": clean_text(name, NAME, "name", errors, required=True),
        "title": clean_text(title, NAME, "title", errors),
        "contact": clean_text(contact, SHORT, "contact", errors),
    }
    if consent not in PersonMet.Consent.values:
        errors.append(
            FieldError("consent", _("must be one of: %s") % ", ".join(PersonMet.Consent.values))
        )
    found = registered_organisation(assessment, organisation, errors)
    foreign = [m for m in meetings or [] if m.mission.assessment_id != assessment.pk]
    errors += [
        FieldError("meetings", _("no meeting %s in this assessment") % m.pk) for m in foreign
    ]
    raise_if(errors)
    person = PersonMet.objects.create(
        assessment=assessment,
        organisation=found,
        consent=consent,
        consent_date=consent_date,
        **fields,
    )
    record_change(
        assessment_id=assessment.pk,
        entity="person_met",
        entity_id=person.pk,
        actor=actor,
        before=None,
        after=person_snapshot(person),
    )
    for meeting in meetings or []:
        attend(actor=actor, meeting=meeting, person=person)
    return person


PERSON_FIELDS = {"name", "title", "organisation", "contact", "consent", "consent_date"}


@transaction.atomic
def update_person(
    *, actor: Actor, person: PersonMet, expected_version: int | None, changes: dict[str, Any]
) -> PersonMet:
    assessment = person.assessment
    require_editable(actor, assessment)
    require_team(actor, assessment)
    current = PersonMet.objects.select_for_update().get(pk=person.pk)
    before = person_snapshot(current)
    check_version(
        what=_("This person"),
        current_version=current.version,
        expected_version=expected_version,
        current=before,
    )
    errors = [
        FieldError(name, _("cannot be changed")) for name in sorted(set(changes) - PERSON_FIELDS)
    ]
    if "name" in changes:
        current.name = clean_text(changes["name"], NAME, "name", errors, required=True)
    if "title" in changes:
        current.title = clean_text(changes["title"], NAME, "title", errors)
    if "contact" in changes:
        current.contact = clean_text(changes["contact"], SHORT, "contact", errors)
    if "consent" in changes:
        if changes["consent"] not in PersonMet.Consent.values:
            errors.append(
                FieldError("consent", _("must be one of: %s") % ", ".join(PersonMet.Consent.values))
            )
        current.consent = changes["consent"]
    if "consent_date" in changes:
        current.consent_date = changes["consent_date"]
    if "organisation" in changes:
        current.organisation = registered_organisation(
            assessment, changes["organisation"] or "", errors
        )
    raise_if(errors)
    current.version += 1
    current.save()
    record_change(
        assessment_id=assessment.pk,
        entity="person_met",
        entity_id=current.pk,
        actor=actor,
        before=before,
        after=person_snapshot(current),
    )
    return current


def registered_organisation(
    assessment: Assessment, abbreviation: str, errors: list[FieldError]
) -> Organisation | None:
    """The organisation of the assessment's register, None for none given."""
    if not abbreviation.strip():
        return None
    found = Organisation.objects.filter(
        country_code=country_of(assessment), abbreviation=abbreviation.strip()
    ).first()
    if found is None:
        errors.append(
            FieldError("organisation", _("no organisation %s in the register") % abbreviation)
        )
    return found


@transaction.atomic
def leave(*, actor: Actor, meeting: Meeting, person: PersonMet) -> None:
    """Remove `person` from those recorded at `meeting`."""
    require_editable(actor, person.assessment)
    require_team(actor, person.assessment)
    attendance = Attendance.objects.filter(meeting=meeting, person=person).first()
    if attendance is None:
        raise NotFound(_("not recorded at this meeting"))
    record_change(
        assessment_id=person.assessment_id,
        entity="attendance",
        entity_id=attendance.pk,
        actor=actor,
        before={"meeting": meeting.pk, "person": person.pk},
        after=None,
    )
    attendance.delete()


@transaction.atomic
def attend(*, actor: Actor, meeting: Meeting, person: PersonMet) -> Attendance:
    """Record that `person` was at `meeting` (history names ids, not people)."""
    require_editable(actor, person.assessment)
    require_team(actor, person.assessment)
    if meeting.mission.assessment_id != person.assessment_id:
        raise InvalidInput.single("meetings", _("no meeting %s in this assessment") % meeting.pk)
    if Attendance.objects.filter(meeting=meeting, person=person).exists():
        raise InvalidInput.single("meetings", _("already recorded at this meeting"))
    attendance = Attendance.objects.create(
        meeting=meeting, person=person, order=meeting.attendances.count() + 1
    )
    record_change(
        assessment_id=person.assessment_id,
        entity="attendance",
        entity_id=attendance.pk,
        actor=actor,
        before=None,
        after={"meeting": meeting.pk, "person": person.pk},
    )
    return attendance


def people_of(actor: Actor, assessment: Assessment) -> list[PersonMet]:
    require_team(actor, assessment)
    return list(
        PersonMet.objects.filter(assessment=assessment)
        .select_related("organisation")
        .prefetch_related("meetings__mission")
    )


def attendees(actor: Actor, meeting: Meeting) -> list[PersonMet] | None:
    """Who was at the meeting, or None for those who may not know."""
    if not may_see_people(actor, meeting.mission.assessment):
        return None
    return [
        a.person
        for a in meeting.attendances.select_related("person__organisation").order_by("order")
    ]


def get_person(actor: Actor, assessment: Assessment, person_id: int) -> PersonMet:
    require_team(actor, assessment)
    person = (
        PersonMet.objects.filter(assessment=assessment, pk=person_id)
        .select_related("organisation")
        .first()
    )
    if person is None:
        raise NotFound(_("no person %s in this assessment") % person_id)
    return person


def export_person(actor: Actor, person: PersonMet) -> dict[str, Any]:
    """Everything kept about the person, for a subject access request."""
    require_team(actor, person.assessment)
    attended = person.attendances.select_related("meeting__mission").order_by("meeting__order")
    return {
        "assessment": person.assessment.slug,
        "exported_at": timezone.now().isoformat(),
        "person": {k: v for k, v in person_snapshot(person).items() if k != "version"},
        "meetings": [
            {
                "mission": a.meeting.mission.name,
                "date": (a.meeting.date or a.meeting.mission.start_date).isoformat(),
                "organisations": sorted(o.abbreviation for o in a.meeting.organisations.all()),
                "topics": a.meeting.topics,
            }
            for a in attended
        ],
        "history": [
            {"entity": c.entity, "action": c.action, "at": c.at.isoformat()}
            for c in ChangeRecord.objects.filter(
                assessment=person.assessment, entity="person_met", entity_id=person.pk
            )
        ],
    }


def redact(value: Any, words: list[str]) -> Any:
    """`value` (text, or a JSON document) with each of `words` replaced by
    ERASED wherever it stands as a whole word, in any case: "Lan" goes from
    "met Lan today", not from "Thailand"."""
    if isinstance(value, str):
        for word in words:
            value = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", ERASED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {key: redact(item, words) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item, words) for item in value]
    return value


@transaction.atomic
def erase_person(*, actor: Actor, person: PersonMet) -> int:
    """Erase the person on request, in any state of the assessment (the
    lead answers such requests). Returns how many records were scrubbed."""
    assessment = person.assessment
    access = require_team(actor, assessment)
    if not (access.is_admin or access.role == Role.LEAD):
        raise Forbidden(_("Only the lead erases a person's data."))
    words = [w for w in (person.name, person.contact) if w]
    scrubbed = 0
    # Their own history goes; what mentions them elsewhere is redacted.
    ChangeRecord.objects.filter(
        assessment=assessment, entity="person_met", entity_id=person.pk
    ).delete()
    for change in ChangeRecord.objects.filter(assessment=assessment):
        before, after = redact(change.before, words), redact(change.after, words)
        if (before, after) != (change.before, change.after):
            change.before, change.after = before, after
            change.save(update_fields=["before", "after"])
            scrubbed += 1
    for meeting in Meeting.objects.filter(mission__assessment=assessment):
        notes = redact(meeting.notes, words)
        if notes != meeting.notes:
            meeting.notes = notes
            meeting.save(update_fields=["notes"])
            scrubbed += 1
    for evidence in Evidence.objects.filter(assessment=assessment):
        text = redact(evidence.text, words)
        if text != evidence.text:
            evidence.text = text
            evidence.save(update_fields=["text"])
            scrubbed += 1
    person_id = person.pk
    person.delete()  # and the attendances
    record_change(
        assessment_id=assessment.pk,
        entity="person_met",
        entity_id=person_id,
        actor=actor,
        before={"erased": True},
        after=None,
    )
    return scrubbed
