"""The rules of missions, meetings and the people met, through the services
every door uses: what is refused and why, a passage cited as evidence, who
sees names, a person's data exported and erased, and the coverage grid."""

import datetime
import json

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from readiness.assessments.models import Assessment, Evidence, Membership
from readiness.assessments.permissions import Role
from readiness.core.errors import EditConflict, Forbidden, InvalidInput, NotFound
from readiness.core.models import ChangeRecord
from readiness.fieldwork.models import Attendance, Meeting, MeetingCitation, PersonMet
from readiness.fieldwork.services import coverage as coverage_services
from readiness.fieldwork.services import missions as services
from readiness.fieldwork.services import people
from readiness.frameworks.models import Question

JULY_24 = datetime.date(2017, 7, 24)
JULY_28 = datetime.date(2017, 7, 28)


def scoping(demo: Assessment):
    return services.get_mission(demo, "scoping-2017")


def office_meeting(demo: Assessment) -> Meeting:
    return Meeting.objects.get(mission__key="scoping-2017", topics="The Office of Government")


def dgra(key: str) -> Question:
    return Question.objects.get(framework__key="dgra", key=key)


def mission(demo: Assessment, lead: User, **fields: object):
    values = {"key": "follow-up", "name": "Follow-up", "start_date": JULY_24, "end_date": JULY_28}
    return services.create_mission(actor=lead, assessment=demo, **{**values, **fields})


# --- missions and meetings --------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        ({"key": "New"}, "key", "letters, digits"),  # "new" names the add page
        ({"key": "a b"}, "key", "letters, digits"),
        ({"key": "scoping-2017"}, "key", "already has a mission scoping-2017"),
        ({"name": "  "}, "name", "must not be empty"),
        ({"end_date": datetime.date(2017, 7, 23)}, "end_date", "must not be before the first day"),
        ({"team": ["outsider"]}, "team", "outsider is not a member of this assessment"),
    ],
)
def test_a_mission_is_refused_naming_the_field(demo, lead, outsider, fields, path, message):
    with pytest.raises(InvalidInput) as refused:
        mission(demo, lead, **fields)
    assert [(e.path, message in e.message) for e in refused.value.errors] == [(path, True)]
    assert demo.missions.count() == 2


def test_a_mission_changed_on_a_stale_version_conflicts_and_keeps_its_meetings_days(demo, lead):
    made = mission(demo, lead)
    services.add_meeting(actor=lead, mission=made, organisations=["MIC"], date=JULY_28)
    with pytest.raises(InvalidInput, match="1 meetings are dated outside these days"):
        services.update_mission(
            actor=lead,
            mission=made,
            expected_version=1,
            changes={"end_date": datetime.date(2017, 7, 27)},
        )
    services.update_mission(
        actor=lead, mission=made, expected_version=1, changes={"name": "Second look"}
    )
    with pytest.raises(EditConflict):
        services.update_mission(
            actor=lead, mission=made, expected_version=1, changes={"name": "Lost"}
        )
    made.refresh_from_db()
    assert (made.name, made.version) == ("Second look", 2)


def test_a_meeting_names_registered_organisations_on_a_day_of_its_mission(demo, lead):
    with pytest.raises(InvalidInput) as refused:
        services.add_meeting(
            actor=lead, mission=scoping(demo), organisations=["MIC", "XYZ"], date=JULY_28
        )
    assert [str(e) for e in refused.value.errors] == [
        "organisations: no organisation XYZ in the register"
    ]
    with pytest.raises(InvalidInput, match="must be a day of the mission"):
        services.add_meeting(
            actor=lead, mission=scoping(demo), organisations=["MIC"], date=datetime.date(2018, 1, 1)
        )
    made = services.add_meeting(
        actor=lead, mission=scoping(demo), organisations=["MIC"], date=JULY_28, topics="Budget"
    )
    assert made.order == 11  # after the ten headings of the annex
    assert (
        services.meeting_reference(made) == "Meeting with MIC, 2017-07-28 (Scoping mission, Hanoi)"
    )


def test_a_reviewer_cannot_add_a_meeting(demo, reviewer):
    with pytest.raises(Forbidden):
        services.add_meeting(actor=reviewer, mission=scoping(demo), organisations=["MIC"])


# --- a passage of the notes as evidence -------------------------------------------


def with_notes(demo: Assessment, lead: User, notes: str) -> Meeting:
    meeting = office_meeting(demo)
    return services.update_meeting(
        actor=lead, meeting=meeting, expected_version=meeting.version, changes={"notes": notes}
    )


NOTES = "Mai Tiến Dũng said the e-government\nstrategy is adopted. Budget lines follow in 2018."


def test_a_passage_of_the_notes_becomes_evidence_that_names_its_meeting(demo, lead):
    meeting = with_notes(demo, lead, NOTES)
    evidence = services.cite_passage(
        actor=lead,
        meeting=meeting,
        question=dgra("1.1"),
        passage="the e-government strategy is adopted.",  # the line break is a space
        sign=Evidence.Sign.FOR,
    )
    assert evidence.source_kind == Evidence.SourceKind.INTERVIEW
    assert evidence.reference_title == "Meeting with OoG (Scoping mission, Hanoi)"
    assert evidence.date == JULY_24  # the mission's first day: the annex dates no meeting
    assert MeetingCitation.objects.get(evidence=evidence).meeting == meeting
    with pytest.raises(InvalidInput, match="is not a passage of the meeting's notes"):
        services.cite_passage(
            actor=lead, meeting=meeting, question=dgra("1.1"), passage="The strategy failed."
        )
    assert MeetingCitation.objects.count() == 1


# --- the people met ----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["reviewer", "counterpart"])
def test_only_the_team_sees_the_people_met(demo, request, lead, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(Forbidden):
        people.people_of(user, demo)
    assert people.attendees(user, office_meeting(demo)) is None
    names = [p.name for p in people.attendees(lead, office_meeting(demo)) or []]
    assert names[:2] == ["Mai Tiến Dũng", "Trần Khả Toàn"] and len(names) == 26


def test_a_person_met_on_three_meetings_is_exported_with_them(demo, lead):
    person = PersonMet.objects.get(assessment=demo, name="Ngô Hải Phan")
    exported = people.export_person(lead, person)
    assert exported["person"]["organisation"] == "APCA"
    assert [m["mission"] for m in exported["meetings"]] == [
        "Scoping mission, Hanoi",
        "Scoping mission, Hanoi",
        "Field mission, Hanoi and Ho Chi Minh City",
    ]
    json.dumps(exported)  # a JSON document as it is


def test_erasing_a_person_leaves_no_name_behind_and_keeps_what_was_said(demo, lead, assessor):
    meeting = with_notes(demo, lead, NOTES)
    evidence = services.cite_passage(
        actor=lead,
        meeting=meeting,
        question=dgra("1.1"),
        passage="Mai Tiến Dũng said the e-government",
    )
    person = PersonMet.objects.get(assessment=demo, name="Mai Tiến Dũng")
    people.update_person(
        actor=lead, person=person, expected_version=1, changes={"contact": "dung@chinhphu.vn"}
    )
    with pytest.raises(Forbidden):
        people.erase_person(actor=assessor, person=person)
    scrubbed = people.erase_person(actor=lead, person=person)
    assert not PersonMet.objects.filter(name="Mai Tiến Dũng").exists()
    assert not Attendance.objects.filter(person_id=person.pk).exists()
    meeting.refresh_from_db()
    evidence.refresh_from_db()
    assert meeting.notes.startswith("[erased] said the e-government")
    assert evidence.text == "[erased] said the e-government"
    assert evidence.reference_title == "Meeting with OoG (Scoping mission, Hanoi)"
    history = json.dumps(
        [[c.before, c.after] for c in ChangeRecord.objects.filter(assessment=demo)],
        ensure_ascii=False,
    )
    assert "Mai Tiến Dũng" not in history and "dung@chinhphu.vn" not in history
    # Two meeting snapshots (the notes written, then nothing else), the
    # evidence's own record, the notes and the evidence item themselves.
    assert scrubbed == 4


def test_an_erased_name_goes_as_a_word_only():
    assert people.redact("Lan met Thailand's team; LAN too.", ["Lan"]) == (
        "[erased] met Thailand's team; [erased] too."
    )
    assert people.redact({"a": ["Lan", 3, None]}, ["Lan"]) == {"a": ["[erased]", 3, None]}


# --- coverage -------------------------------------------------------------------------


def dimension_one(grid: coverage_services.Coverage) -> coverage_services.DimensionCoverage:
    return next(
        d for d in grid.dimensions if d.dimension.framework.key == "dgra" and d.dimension.key == "1"
    )


def test_a_meeting_cited_twice_in_a_dimension_is_one_source_more(demo, lead):
    before = dimension_one(coverage_services.coverage(lead, demo))
    assert (before.meetings, before.questions_informed) == (0, 0)
    meeting = with_notes(demo, lead, NOTES)
    for key, passage in (("1.1", "strategy is adopted."), ("1.2", "Budget lines follow in 2018.")):
        services.cite_passage(actor=lead, meeting=meeting, question=dgra(key), passage=passage)
    grid = coverage_services.coverage(lead, demo)
    after = dimension_one(grid)
    assert (after.sources, after.meetings, after.questions_informed) == (before.sources + 1, 1, 2)
    assert grid.organisations == {"OoG": {after.dimension.pk: 1}}
    informed = next(m for m in grid.meetings if m.meeting == meeting)
    assert informed.questions == {after.dimension.pk: ["1.1", "1.2"]}
    with override_settings(READINESS_MIN_SOURCES=after.sources + 1):
        assert dimension_one(coverage_services.coverage(lead, demo)).too_few
    with override_settings(READINESS_MIN_SOURCES=after.sources):
        assert not dimension_one(coverage_services.coverage(lead, demo)).too_few


def evidence_item(demo: Assessment, pk: int, url: str = "", title: str = "") -> Evidence:
    """An unsaved evidence item: the source rule reads only its reference."""
    return Evidence(pk=pk, assessment=demo, reference_url=url, reference_title=title)


def test_a_source_is_a_meeting_else_an_address_else_a_title_else_the_item(demo):
    decree = "https://vanban.chinhphu.vn/decree-61"
    assert coverage_services.source_of(evidence_item(demo, 1, url=decree), 7) == "meeting:7"
    same_address = {
        coverage_services.source_of(evidence_item(demo, n, url=decree, title=f"Decree {n}"), None)
        for n in (1, 2)
    }
    assert same_address == {f"reference:{decree}"}
    titles = {
        coverage_services.source_of(evidence_item(demo, n, title=title), None)
        for n, title in ((1, "Decree 61/2018"), (2, "  decree   61/2018 "))
    }
    assert titles == {"reference:decree 61/2018"}
    assert coverage_services.source_of(evidence_item(demo, 5), None) == "item:5"
    assert coverage_services.source_of(evidence_item(demo, 6, title="   "), None) == "item:6"


def test_the_grid_counts_meetings_per_organisation_in_mission_order(demo, lead, outsider):
    first = with_notes(demo, lead, NOTES)
    second = services.add_meeting(
        actor=lead,
        mission=services.get_mission(demo, "field-2018"),
        organisations=["OoG", "MIC"],
        notes="The strategy is adopted.",
    )
    for meeting in (second, first):
        services.cite_passage(
            actor=lead, meeting=meeting, question=dgra("1.1"), passage="strategy is adopted."
        )
    grid = coverage_services.coverage(lead, demo)
    one = dimension_one(grid)
    assert (grid.threshold, one.questions, one.meetings, one.questions_informed) == (3, 17, 2, 1)
    assert grid.organisations == {"MIC": {one.dimension.pk: 1}, "OoG": {one.dimension.pk: 2}}
    # The scoping mission's ten meetings first, in their order, then the field mission's.
    orders = [(m.meeting.mission.key, m.meeting.order) for m in grid.meetings]
    assert orders[:2] == [("scoping-2017", 1), ("scoping-2017", 2)]
    assert orders[10:12] == [("field-2018", 1), ("field-2018", 2)]
    assert orders[-1] == ("field-2018", 21)
    with pytest.raises(NotFound):
        coverage_services.coverage(outsider, demo)


def test_an_export_holds_the_whole_record_and_nothing_else(demo, lead, reviewer):
    person = PersonMet.objects.get(assessment=demo, name="Ngô Hải Phan")
    exported = people.export_person(lead, person)
    assert sorted(exported) == ["assessment", "exported_at", "history", "meetings", "person"]
    assert exported["assessment"] == "vietnam-2019"
    assert exported["person"] == {
        "name": "Ngô Hải Phan",
        "title": "Director General, APCA",
        "organisation": "APCA",
        "contact": "",
        "consent": "published",
        "consent_date": None,
    }
    # Listed under the Office of Government too, whose meeting comes first.
    assert exported["meetings"][0] == {
        "mission": "Scoping mission, Hanoi",
        "date": "2017-07-24",
        "organisations": ["OoG"],
        "topics": "The Office of Government",
    }
    assert (
        exported["meetings"][2]["topics"]
        == "The Administrative Procedures Control Agency (APCA)/OOG"
    )
    assert exported["meetings"][2]["date"] == "2018-01-15"
    assert [sorted(h) for h in exported["history"]] == [["action", "at", "entity"]]
    assert [(h["entity"], h["action"]) for h in exported["history"]] == [("person_met", "create")]
    with pytest.raises(Forbidden, match="Only the assessment's team sees the people met"):
        people.export_person(reviewer, person)


def test_a_person_names_an_organisation_of_the_register_or_none(demo, lead):
    with pytest.raises(InvalidInput) as refused:
        people.add_person(
            actor=lead, assessment=demo, name="A B", consent="oral", organisation="XYZ"
        )
    assert [str(e) for e in refused.value.errors] == [
        "organisation: no organisation XYZ in the register"
    ]
    added = people.add_person(
        actor=lead, assessment=demo, name="A B", consent="written", organisation=" MIC "
    )
    assert added.organisation is not None and added.organisation.abbreviation == "MIC"
    changed = people.update_person(
        actor=lead,
        person=added,
        expected_version=1,
        changes={"organisation": "", "consent_date": JULY_24, "title": "Adviser"},
    )
    assert (changed.organisation, changed.consent_date, changed.title) == (None, JULY_24, "Adviser")
    snapshot = people.person_snapshot(changed)
    assert snapshot == {
        "name": "A B",
        "title": "Adviser",
        "organisation": None,
        "contact": "",
        "consent": "written",
        "consent_date": "2017-07-24",
        "version": 2,
    }
    with pytest.raises(InvalidInput, match="must be one of: oral, written, published, refused"):
        people.update_person(
            actor=lead, person=changed, expected_version=2, changes={"consent": "maybe"}
        )


def test_the_team_lists_the_109_people_of_the_annexes(demo, lead):
    # The 144 entries of the annexes, 35 of them someone listed before.
    listed = people.people_of(lead, demo)
    assert len(listed) == 109 and all(p.assessment_id == demo.pk for p in listed)
    assert sum(p.organisation is None for p in listed) == 0


def test_a_person_of_another_assessment_is_not_found_in_this_one(demo, lead):
    other = Assessment.objects.create(
        slug="hanoi-2020", title="Hanoi 2020", subject_kind="country", subject_code="VN"
    )
    Membership.objects.create(assessment=other, user=lead, role=Role.LEAD)
    person = PersonMet.objects.get(assessment=demo, name="Ngô Hải Phan")
    assert people.get_person(lead, demo, person.pk) == person
    with pytest.raises(NotFound, match=f"no person {person.pk} in this assessment"):
        people.get_person(lead, other, person.pk)
