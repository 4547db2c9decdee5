"""Missions, meetings, the people met, passages cited and the coverage grid
through the web. The demo's missions, meetings and people are those of the
2019 annexes (readiness/demo/missions-VN-2019.yaml); the demo's meetings have
no notes, so the tests that cite write some first."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from readiness.assessments.models import Assessment, Evidence
from readiness.assessments.permissions import State
from readiness.fieldwork.models import Meeting, MeetingCitation, Mission, PersonMet
from readiness.fieldwork.services import missions as mission_services
from readiness.frameworks.models import Question
from tests.conftest import client_for

MISSIONS = "/assessments/vietnam-2019/missions/"
APCA_HEADING = "The Administrative Procedures Control Agency (APCA)"
# The APCA's Director General, met on both missions (three meetings).
DIRECTOR = "Ngô Hải Phan"
NOTES = (
    "APCA runs the national public service portal.\n"
    f"{DIRECTOR} said the one-stop shops of the provinces report to APCA every month."
)
PASSAGE = "the one-stop shops of the provinces report to APCA every month"


def apca_meeting(demo: Assessment) -> Meeting:
    return Meeting.objects.get(
        mission__assessment=demo, mission__key="scoping-2017", topics=APCA_HEADING
    )


def meeting_page(meeting: Meeting) -> str:
    return f"{MISSIONS}{meeting.mission.key}/meetings/{meeting.pk}/"


def with_notes(lead: User, meeting: Meeting, notes: str = NOTES) -> Meeting:
    return mission_services.update_meeting(
        actor=lead, meeting=meeting, expected_version=meeting.version, changes={"notes": notes}
    )


def director(demo: Assessment) -> PersonMet:
    return PersonMet.objects.get(assessment=demo, name=DIRECTOR)


# --- missions and meetings -------------------------------------------------------


def test_the_list_shows_the_two_demo_missions_with_their_meetings(assessor: User) -> None:
    response = client_for(assessor).get(MISSIONS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Scoping mission, Hanoi" in page
    assert f'href="{MISSIONS}scoping-2017/"' in page
    assert f'href="{MISSIONS}field-2018/"' in page
    assert page.count(f'href="{MISSIONS}scoping-2017/"') == 1
    # Ten headings in the scoping annex, twenty in the field mission's.
    assert "<td>10</td>" in page
    assert "<td>20</td>" in page
    assert f'href="{MISSIONS}new/"' in page


def test_the_overview_links_to_the_missions(assessor: User) -> None:
    page = client_for(assessor).get("/assessments/vietnam-2019/").content.decode()
    assert f'href="{MISSIONS}"' in page


def test_a_reviewer_sees_the_missions_but_is_not_offered_to_add_one(reviewer: User) -> None:
    page = client_for(reviewer).get(MISSIONS).content.decode()
    assert "Scoping mission, Hanoi" in page
    assert f'href="{MISSIONS}new/"' not in page
    assert client_for(reviewer).get(MISSIONS + "new/").status_code == 403


def test_an_outsider_is_told_the_assessment_does_not_exist(outsider: User) -> None:
    assert client_for(outsider).get(MISSIONS).status_code == 404


def test_an_assessor_adds_a_mission_and_a_meeting_and_sees_them(
    demo: Assessment, assessor: User
) -> None:
    client = client_for(assessor)
    response = client.post(
        MISSIONS + "new/",
        {
            "key": "follow-up-2019",
            "name": "Follow-up mission, Da Nang",
            "start_date": "2019-03-04",
            "end_date": "2019-03-06",
            "places": "Da Nang",
            "team": "assessor",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == MISSIONS + "follow-up-2019/"
    mission = Mission.objects.get(assessment=demo, key="follow-up-2019")
    assert list(mission.team.values_list("username", flat=True)) == ["assessor"]

    response = client.post(
        MISSIONS + "follow-up-2019/meetings/new/",
        {
            "date": "2019-03-05",
            "organisations": "MIC, APCA",
            "topics": "Open data portal",
            "notes": "The portal lists 120 datasets.",
        },
    )
    assert response.status_code == 302
    meeting = mission.meetings.get()
    assert response["Location"] == meeting_page(meeting)
    assert sorted(o.abbreviation for o in meeting.organisations.all()) == ["APCA", "MIC"]

    listed = client.get(MISSIONS).content.decode()
    assert "Follow-up mission, Da Nang" in listed
    mission_page = client.get(MISSIONS + "follow-up-2019/").content.decode()
    assert "Open data portal" in mission_page
    assert f'href="{meeting_page(meeting)}"' in mission_page
    shown = client.get(meeting_page(meeting)).content.decode()
    assert "The portal lists 120 datasets." in shown


def test_a_meeting_outside_the_mission_days_is_refused_beside_its_field(
    demo: Assessment, assessor: User
) -> None:
    response = client_for(assessor).post(
        MISSIONS + "scoping-2017/meetings/new/",
        {"date": "2017-08-01", "organisations": "MIC", "topics": "Late", "notes": ""},
    )
    assert response.status_code == 422
    assert "must be a day of the mission" in response.content.decode()
    assert not Meeting.objects.filter(mission__assessment=demo, topics="Late").exists()


def test_an_organisation_not_in_the_register_is_refused(demo: Assessment, assessor: User) -> None:
    response = client_for(assessor).post(
        MISSIONS + "scoping-2017/meetings/new/",
        {"date": "", "organisations": "MIC, NOSUCH", "topics": "Unknown", "notes": ""},
    )
    assert response.status_code == 422
    assert "no organisation NOSUCH in the register" in response.content.decode()
    assert not Meeting.objects.filter(mission__assessment=demo, topics="Unknown").exists()


def test_a_stale_mission_edit_gives_409_and_keeps_the_stored_value(
    demo: Assessment, assessor: User, lead: User
) -> None:
    mission = Mission.objects.get(assessment=demo, key="scoping-2017")
    seen = mission.version
    mission_services.update_mission(
        actor=lead, mission=mission, expected_version=seen, changes={"name": "Saved by the lead"}
    )
    response = client_for(assessor).post(
        MISSIONS + "scoping-2017/edit/",
        {
            "name": "Typed by the assessor",
            "start_date": "2017-07-24",
            "end_date": "2017-07-28",
            "places": "Hanoi",
            "team": "",
            "version": seen,
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Saved by the lead" in page
    assert f'name="version" value="{seen + 1}"' in page
    mission.refresh_from_db()
    assert mission.name == "Saved by the lead"
    assert mission.version == seen + 1


def test_a_stale_meeting_edit_gives_409_and_keeps_the_stored_notes(
    demo: Assessment, assessor: User, lead: User
) -> None:
    meeting = apca_meeting(demo)
    seen = meeting.version
    with_notes(lead, meeting, "Stored notes.")
    response = client_for(assessor).post(
        meeting_page(meeting) + "edit/",
        {
            "date": "",
            "organisations": "APCA",
            "topics": APCA_HEADING,
            "notes": "Typed notes.",
            "version": seen,
        },
    )
    assert response.status_code == 409
    assert "Stored notes." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.notes == "Stored notes."


def test_a_mission_edit_at_the_current_version_is_saved(demo: Assessment, assessor: User) -> None:
    mission = Mission.objects.get(assessment=demo, key="field-2018")
    response = client_for(assessor).post(
        MISSIONS + "field-2018/edit/",
        {
            "name": "Field mission",
            "start_date": mission.start_date.isoformat(),
            "end_date": mission.end_date.isoformat(),
            "places": "Hanoi, Ho Chi Minh City",
            "team": "",
            "version": mission.version,
        },
    )
    assert response.status_code == 302
    mission.refresh_from_db()
    assert (mission.name, mission.places) == ("Field mission", "Hanoi, Ho Chi Minh City")


# --- the people met --------------------------------------------------------------


def test_the_lead_sees_the_people_met(demo: Assessment, lead: User) -> None:
    response = client_for(lead).get(MISSIONS + "people/?limit=200")
    assert response.status_code == 200
    page = response.content.decode()
    assert "109 people met" in page  # the 144 entries of the annexes, 35 of them repeats
    assert DIRECTOR in page
    assert "Director General, APCA" in page
    assert "Đậu Anh Tuấn" in page  # VCCI, scoping mission
    assert f'href="{MISSIONS}people/{director(demo).pk}/"' in page
    first = client_for(lead).get(MISSIONS + "people/").content.decode()
    assert "50 shown of 109 items" in first and 'rel="next"' in first


@pytest.mark.parametrize("persona", ["reviewer", "counterpart"])
def test_reviewers_and_counterparts_get_403_on_the_people_and_no_names_on_meetings(
    demo: Assessment, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(MISSIONS + "people/").status_code == 403
    assert client.get(f"{MISSIONS}people/{director(demo).pk}/").status_code == 403
    assert client.get(f"{MISSIONS}people/{director(demo).pk}/export/").status_code == 403
    response = client.get(meeting_page(apca_meeting(demo)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "APCA" in page
    assert DIRECTOR not in page
    assert "People met" not in page
    mission_page = client.get(MISSIONS + "scoping-2017/").content.decode()
    assert "People met" not in mission_page


def test_an_assessor_sees_who_attended_a_meeting(demo: Assessment, assessor: User) -> None:
    page = client_for(assessor).get(meeting_page(apca_meeting(demo))).content.decode()
    assert DIRECTOR in page
    assert "Lê Quỳnh Anh" in page  # the last of the eleven listed


def test_an_assessor_adds_a_person_and_records_them_at_a_meeting(
    demo: Assessment, assessor: User
) -> None:
    client = client_for(assessor)
    response = client.post(
        MISSIONS + "people/new/",
        {
            "name": "Trần Thị Test",
            "title": "Officer",
            "organisation": "MIC",
            "contact": "",
            "consent": "oral",
            "consent_date": "2017-07-25",
        },
    )
    assert response.status_code == 302
    person = PersonMet.objects.get(assessment=demo, name="Trần Thị Test")
    assert response["Location"] == f"{MISSIONS}people/{person.pk}/"
    meeting = apca_meeting(demo)
    address = f"{MISSIONS}people/{person.pk}/meetings/"
    assert client.post(address, {"meeting": meeting.pk, "action": "attend"}).status_code == 302
    assert list(person.meetings.all()) == [meeting]
    assert "Trần Thị Test" in client.get(meeting_page(meeting)).content.decode()
    assert client.post(address, {"meeting": meeting.pk, "action": "leave"}).status_code == 302
    assert list(person.meetings.all()) == []


def test_a_stale_person_edit_gives_409_and_keeps_the_stored_title(
    demo: Assessment, assessor: User
) -> None:
    person = director(demo)
    address = f"{MISSIONS}people/{person.pk}/"
    form = {
        "name": DIRECTOR,
        "title": "Director General",
        "organisation": "APCA",
        "contact": "",
        "consent": "published",
        "consent_date": "",
        "version": person.version,
    }
    client = client_for(assessor)
    assert client.post(address, form).status_code == 302
    response = client.post(address, {**form, "title": "Typed on a stale page"})
    assert response.status_code == 409
    assert "Director General" in response.content.decode()
    person.refresh_from_db()
    assert person.title == "Director General"


def test_the_export_gives_json_with_the_persons_meetings(demo: Assessment, lead: User) -> None:
    person = director(demo)
    response = client_for(lead).get(f"{MISSIONS}people/{person.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="person-{person.pk}.json"'
    document = json.loads(response.content)
    assert document["person"]["name"] == DIRECTOR
    assert document["person"]["organisation"] == "APCA"
    # The Office of Government and the APCA in 2017, the APCA/OOG in 2018:
    # the meetings have no date of their own, so each mission's first day.
    assert len(document["meetings"]) == 3
    assert sorted(m["date"] for m in document["meetings"]) == [
        "2017-07-24",
        "2017-07-24",
        "2018-01-15",
    ]


def test_erasing_by_the_lead_removes_the_person_and_their_name_from_the_notes(
    demo: Assessment, lead: User
) -> None:
    meeting = with_notes(lead, apca_meeting(demo))
    person = director(demo)
    client = client_for(lead)
    address = f"{MISSIONS}people/{person.pk}/erase/"
    confirm = client.get(address)
    assert confirm.status_code == 200
    assert "What stays" in confirm.content.decode()
    response = client.post(address)
    assert response.status_code == 302
    assert response["Location"] == MISSIONS + "people/"
    assert not PersonMet.objects.filter(assessment=demo, name=DIRECTOR).exists()
    meeting.refresh_from_db()
    assert DIRECTOR not in meeting.notes
    assert f"[erased] said {PASSAGE}." in meeting.notes
    assert DIRECTOR not in client.get(meeting_page(meeting)).content.decode()


def test_an_assessor_cannot_erase_a_person(demo: Assessment, assessor: User) -> None:
    person = director(demo)
    client = client_for(assessor)
    address = f"{MISSIONS}people/{person.pk}/erase/"
    assert client.get(address).status_code == 403
    assert client.post(address).status_code == 403
    assert PersonMet.objects.filter(pk=person.pk).exists()
    assert f'href="{address}"' not in client.get(f"{MISSIONS}people/{person.pk}/").content.decode()


def test_in_review_nothing_is_offered_nor_saved_but_the_lead_still_erases(
    demo: Assessment, lead: User
) -> None:
    Assessment.objects.filter(pk=demo.pk).update(state=State.IN_REVIEW)
    meeting = apca_meeting(demo)
    person = director(demo)
    client = client_for(lead)
    assert f'href="{MISSIONS}new/"' not in client.get(MISSIONS).content.decode()
    shown = client.get(meeting_page(meeting)).content.decode()
    assert "Cite a passage" not in shown
    assert 'action="' + meeting_page(meeting) + 'cite/"' not in shown
    response = client.post(
        MISSIONS + "scoping-2017/meetings/new/",
        {"date": "", "organisations": "MIC", "topics": "In review", "notes": ""},
    )
    assert response.status_code == 409
    assert not Meeting.objects.filter(mission__assessment=demo, topics="In review").exists()
    page = client.get(f"{MISSIONS}people/{person.pk}/")
    assert page.status_code == 200
    assert "Save the person" not in page.content.decode()
    assert client.post(f"{MISSIONS}people/{person.pk}/erase/").status_code == 302
    assert not PersonMet.objects.filter(pk=person.pk).exists()


# --- citing a passage ------------------------------------------------------------


def dgra_question(key: str) -> Question:
    return Question.objects.get(framework__key="dgra", key=key)


def test_citing_a_passage_creates_interview_evidence_listed_on_the_meeting(
    demo: Assessment, assessor: User, lead: User
) -> None:
    meeting = with_notes(lead, apca_meeting(demo))
    question = dgra_question("1.1")
    client = client_for(assessor)
    response = client.post(
        meeting_page(meeting) + "cite/", {"question": question.pk, "passage": PASSAGE, "sign": "+"}
    )
    assert response.status_code == 302
    assert response["Location"] == meeting_page(meeting)
    evidence = Evidence.objects.get(meeting_citation__meeting=meeting)
    assert evidence.source_kind == Evidence.SourceKind.INTERVIEW
    assert evidence.question == question
    assert evidence.text == PASSAGE
    assert evidence.sign == "+"
    assert evidence.reference_url.endswith(meeting_page(meeting))
    assert DIRECTOR not in evidence.reference_title
    page = client.get(meeting_page(meeting)).content.decode()
    assert "The passage is cited as evidence for question DGRA 1.1." in page
    assert "DGRA 1.1" in page
    assert PASSAGE in page


def test_a_passage_not_in_the_notes_is_refused_and_nothing_is_added(
    demo: Assessment, assessor: User, lead: User
) -> None:
    meeting = with_notes(lead, apca_meeting(demo))
    before = Evidence.objects.filter(assessment=demo).count()
    response = client_for(assessor).post(
        meeting_page(meeting) + "cite/",
        {
            "question": dgra_question("1.1").pk,
            "passage": "APCA publishes every dataset",
            "sign": "o",
        },
    )
    assert response.status_code == 422
    assert "is not a passage of the meeting&#x27;s notes" in response.content.decode()
    assert Evidence.objects.filter(assessment=demo).count() == before
    assert not MeetingCitation.objects.filter(meeting=meeting).exists()


# --- coverage --------------------------------------------------------------------


def test_the_coverage_flags_a_dimension_with_fewer_sources_than_the_threshold(
    demo: Assessment, assessor: User, lead: User
) -> None:
    # Dimension 1 of DGRA rests, for this test, on one meeting only: two
    # passages of it, on two questions, are one source.
    Evidence.objects.filter(
        assessment=demo, question__framework__key="dgra", question__dimension__key="1"
    ).delete()
    meeting = with_notes(lead, apca_meeting(demo))
    for key, passage in (("1.1", PASSAGE), ("1.2", "the national public service portal")):
        mission_services.cite_passage(
            actor=assessor, meeting=meeting, question=dgra_question(key), passage=passage
        )
    dimension = dgra_question("1.1").dimension
    with override_settings(READINESS_MIN_SOURCES=3):
        response = client_for(assessor).get(MISSIONS + "coverage/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "fewer than 3 sources" in page
    row = page.split(f'<tr id="dimension-{dimension.pk}" class="flagged">')[1].split("</tr>")[0]
    cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
    # DGRA 2018 has 17 questions in dimension 1 (1.1 to 1.17).
    assert cells[:3] == ["1", "1", "2 of 17"]
    assert "Too few" in cells[3]
    # The meeting informed 1.1 and 1.2; the APCA was met about dimension 1 once.
    assert "DGRA 1: 1.1, 1.2" in page
    # The APCA, met once about dimension 1; nobody else about anything.
    grid = page.split('id="organisations-caption"')[1].split("</table>")[0]
    assert grid.count('<th scope="row">') == 1
    assert '<th scope="row">APCA</th>' in grid
    assert grid.count("<td>1</td>") == 1
    with override_settings(READINESS_MIN_SOURCES=1):
        page = client_for(assessor).get(MISSIONS + "coverage/").content.decode()
    assert f'<tr id="dimension-{dimension.pk}">' in page
