"""Missions, meetings, the people met, passages cited and the coverage grid
through the REST API, on the demo's two missions (missions-VN-2019.yaml)."""

import json
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from readiness.assessments.models import Assessment, Evidence
from readiness.assessments.permissions import State
from readiness.fieldwork.models import Meeting, MeetingCitation, Mission, PersonMet
from readiness.frameworks.models import Question
from tests.conftest import client_for

API = "/api/v1/assessments/vietnam-2019"
MISSIONS = API + "/missions"
PEOPLE = API + "/people"
# Counted in missions-VN-2019.yaml: one meeting per heading of each annex.
MEETINGS = {"scoping-2017": 10, "field-2018": 20}
# Distinct (name, organisation) pairs of the YAML's people lists (80 + 64 entries).
PEOPLE_MET = 109


def send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def every_page(client: Client, url: str) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.content
        results += page.json()["results"]
        url = page.json()["next"]
    return results


def first_meeting(demo: Assessment) -> Meeting:
    """The scoping mission's meeting with the Office of Government: 26 people."""
    return Meeting.objects.get(mission__assessment=demo, mission__key="scoping-2017", order=1)


def meeting_url(meeting: Meeting) -> str:
    return f"{MISSIONS}/{meeting.mission.key}/meetings/{meeting.pk}"


def a_question(demo: Assessment) -> Question:
    return (
        Question.objects.filter(framework__in=demo.frameworks.all())
        .select_related("framework", "dimension")
        .order_by("framework__key", "order")[0]
    )


def write_notes(client: Client, meeting: Meeting, notes: str) -> None:
    response = send(
        client, "patch", meeting_url(meeting), {"version": meeting.version, "notes": notes}
    )
    assert response.status_code == 200, response.content


# --- missions ---------------------------------------------------------------------


def test_the_demo_lists_its_two_missions_the_earliest_first(reviewer: User) -> None:
    response = client_for(reviewer).get(MISSIONS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(m["key"], m["meetings"]) for m in body["results"]] == [
        ("scoping-2017", 10),
        ("field-2018", 20),
    ]
    assert body["results"][0]["start_date"] == "2017-07-24"


def test_an_assessor_adds_a_mission_and_it_is_listed_by_its_first_day(assessor: User) -> None:
    client = client_for(assessor)
    response = send(
        client,
        "post",
        MISSIONS,
        {
            "key": "follow-up",
            "name": "Follow-up mission",
            "start_date": "2017-11-06",
            "end_date": "2017-11-08",
            "places": "Da Nang",
            "team": ["assessor"],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json() | {"version": 1} == {
        "key": "follow-up",
        "name": "Follow-up mission",
        "start_date": "2017-11-06",
        "end_date": "2017-11-08",
        "places": "Da Nang",
        "team": ["assessor"],
        "meetings": 0,
        "version": 1,
    }
    listed = client.get(MISSIONS).json()
    assert listed["count"] == 3
    assert [m["key"] for m in listed["results"]] == ["scoping-2017", "follow-up", "field-2018"]


def test_a_mission_is_refused_naming_the_fields_at_fault(demo: Assessment, assessor: User) -> None:
    response = send(
        client_for(assessor),
        "post",
        MISSIONS,
        {
            "key": "scoping-2017",
            "name": "Again",
            "start_date": "2017-07-24",
            "end_date": "2017-07-28",
        },
    )
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["key"]
    assert Mission.objects.filter(assessment=demo).count() == 2


def test_a_counterpart_may_read_missions_but_not_add_one(counterpart: User) -> None:
    client = client_for(counterpart)
    assert client.get(MISSIONS + "/field-2018").json()["meetings"] == 20
    response = send(
        client,
        "post",
        MISSIONS,
        {"key": "x", "name": "X", "start_date": "2018-01-01", "end_date": "2018-01-02"},
    )
    assert response.status_code == 403


def test_an_outsider_does_not_learn_the_missions_exist(outsider: User) -> None:
    assert client_for(outsider).get(MISSIONS).status_code == 404
    assert client_for(outsider).get(MISSIONS + "/field-2018").status_code == 404


def test_a_patch_on_a_stale_version_is_409_and_keeps_the_stored_name(assessor: User) -> None:
    client = client_for(assessor)
    url = MISSIONS + "/scoping-2017"
    assert client.get(url)["ETag"] == '"1"'
    first = send(client, "patch", url, {"version": 1, "name": "Scoping mission, Hà Nội"})
    assert first.status_code == 200
    assert (first.json()["name"], first.json()["version"]) == ("Scoping mission, Hà Nội", 2)
    stale = send(client, "patch", url, {"version": 1, "name": "Another name"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert stale.json()["current"]["name"] == "Scoping mission, Hà Nội"
    assert client.get(url).json()["name"] == "Scoping mission, Hà Nội"


def test_a_patch_with_null_or_without_a_version_is_refused(assessor: User) -> None:
    client = client_for(assessor)
    url = MISSIONS + "/field-2018"
    nulls = send(client, "patch", url, {"version": 1, "name": None, "end_date": None})
    assert nulls.status_code == 422
    assert {e["path"] for e in nulls.json()["errors"]} == {"name", "end_date"}
    unversioned = send(client, "patch", url, {"places": "Hanoi"})
    assert unversioned.status_code == 422
    assert client.get(url).json()["version"] == 1


def test_nothing_is_added_once_the_assessment_is_in_review(demo: Assessment, lead: User) -> None:
    Assessment.objects.filter(pk=demo.pk).update(state=State.IN_REVIEW)
    response = send(
        client_for(lead),
        "post",
        MISSIONS + "/field-2018/meetings",
        {"organisations": ["MIC"], "topics": "Late meeting"},
    )
    assert response.status_code == 409
    assert Meeting.objects.filter(mission__assessment=demo).count() == 30


# --- meetings ---------------------------------------------------------------------


@pytest.mark.parametrize(("key", "count"), MEETINGS.items())
def test_each_mission_has_the_meetings_of_its_annex_page_by_page(
    reviewer: User, key: str, count: int
) -> None:
    meetings = every_page(client_for(reviewer), f"{MISSIONS}/{key}/meetings?limit=7")
    assert len(meetings) == count
    assert [m["order"] for m in meetings] == list(range(1, count + 1))
    assert {m["mission"] for m in meetings} == {key}


def test_a_reviewer_sees_the_meeting_but_no_names_and_the_lead_the_26_people(
    demo: Assessment, reviewer: User, counterpart: User, lead: User
) -> None:
    url = meeting_url(first_meeting(demo))
    for user in (reviewer, counterpart):
        seen = client_for(user).get(url).json()
        assert seen["organisations"] == ["OoG"]
        assert seen["topics"] == "The Office of Government"
        assert seen["attendees"] is None
    names = [a["name"] for a in client_for(lead).get(url).json()["attendees"]]
    assert len(names) == 26
    assert names[0] == "Mai Tiến Dũng"
    assert "Ngô Hải Phan" in names


def test_an_assessor_adds_a_meeting_on_a_day_of_the_mission(
    demo: Assessment, assessor: User
) -> None:
    client = client_for(assessor)
    url = MISSIONS + "/field-2018/meetings"
    body = {"organisations": ["MIC", "MPI"], "date": "2018-01-22", "topics": "Open data"}
    added = send(client, "post", url, body)
    assert added.status_code == 201, added.content
    assert (added.json()["order"], added.json()["organisations"]) == (21, ["MIC", "MPI"])
    assert added.json()["attendees"] == []
    outside = send(client, "post", url, body | {"date": "2018-02-01"})
    unknown = send(client, "post", url, body | {"organisations": ["NOPE"]})
    assert [e["path"] for e in outside.json()["errors"]] == ["date"]
    assert [e["path"] for e in unknown.json()["errors"]] == ["organisations"]
    assert client.get(MISSIONS + "/field-2018").json()["meetings"] == 21


def test_a_meeting_of_another_mission_is_not_found(demo: Assessment, assessor: User) -> None:
    meeting = first_meeting(demo)
    response = client_for(assessor).get(f"{MISSIONS}/field-2018/meetings/{meeting.pk}")
    assert response.status_code == 404


# --- citing a passage -------------------------------------------------------------


def test_a_cited_passage_is_an_interview_evidence_item_of_the_question(
    demo: Assessment, assessor: User
) -> None:
    client = client_for(assessor)
    meeting = first_meeting(demo)
    question = a_question(demo)
    write_notes(client, meeting, "The e-portal will publish\nevery decree within two days.")
    response = send(
        client,
        "post",
        meeting_url(meeting) + "/citations",
        {
            "framework": question.framework.key,
            "question": question.key,
            "passage": "publish every decree within two days",
            "sign": "+",
        },
    )
    assert response.status_code == 201, response.content
    evidence_id = response.json()["evidence_id"]
    assert response.json()["reference_title"] == "Meeting with OoG (Scoping mission, Hanoi)"
    listed = client.get(
        f"{API}/evidence?source_kind=interview&q=publish every decree within two days"
    ).json()
    assert [(e["id"], e["question"], e["sign"]) for e in listed["results"]] == [
        (evidence_id, question.key, "+")
    ]
    assert MeetingCitation.objects.get(evidence_id=evidence_id).meeting == meeting
    # The evidence item links back to the meeting's page.
    assert listed["results"][0]["reference_url"] == (
        f"{settings.SITE_URL}/assessments/vietnam-2019/missions/scoping-2017/meetings/{meeting.pk}/"
    )
    assert client.get(meeting_url(meeting)).json()["citations"] == [evidence_id]


def test_words_not_in_the_notes_are_refused_and_nothing_is_added(
    demo: Assessment, assessor: User
) -> None:
    client = client_for(assessor)
    meeting = first_meeting(demo)
    question = a_question(demo)
    write_notes(client, meeting, "The e-portal publishes decrees.")
    before = Evidence.objects.filter(assessment=demo).count()
    response = send(
        client,
        "post",
        meeting_url(meeting) + "/citations",
        {"framework": question.framework.key, "question": question.key, "passage": "laws"},
    )
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["passage"]
    assert Evidence.objects.filter(assessment=demo).count() == before


def test_the_coverage_counts_the_meeting_a_passage_was_cited_from(
    demo: Assessment, assessor: User, reviewer: User
) -> None:
    client = client_for(assessor)
    meeting = first_meeting(demo)
    question = a_question(demo)
    write_notes(client, meeting, "Two ministries share data.")
    for sign in ("+", "o"):  # two passages of one meeting: one source, one meeting
        cited = send(
            client,
            "post",
            meeting_url(meeting) + "/citations",
            {
                "framework": question.framework.key,
                "question": question.key,
                "passage": "share data",
                "sign": sign,
            },
        )
        assert cited.status_code == 201
    grid = client_for(reviewer).get(API + "/coverage").json()
    assert grid["threshold"] == settings.READINESS_MIN_SOURCES
    row = next(
        d
        for d in grid["dimensions"]
        if (d["framework"], d["dimension"]) == (question.framework.key, question.dimension.key)
    )
    assert (row["meetings"], row["questions_informed"]) == (1, 1)
    assert sum(d["meetings"] for d in grid["dimensions"]) == 1
    informed = [m for m in grid["meetings"] if m["informed"]]
    assert [(m["meeting"], m["informed"][0]["questions"]) for m in informed] == [
        (meeting.pk, [question.key])
    ]
    assert len(grid["meetings"]) == 30
    assert [o["organisation"] for o in grid["organisations"]] == ["OoG"]


# --- people met -------------------------------------------------------------------


def test_only_the_team_lists_the_people_met(
    lead: User, assessor: User, reviewer: User, counterpart: User, outsider: User
) -> None:
    assert client_for(counterpart).get(PEOPLE).status_code == 403
    assert client_for(reviewer).get(PEOPLE).status_code == 403
    assert client_for(outsider).get(PEOPLE).status_code == 404
    assert client_for(lead).get(PEOPLE).json()["count"] == PEOPLE_MET
    people = every_page(client_for(assessor), PEOPLE + "?limit=40")
    assert len({p["id"] for p in people}) == PEOPLE_MET
    assert [p["name"] for p in people] == sorted(p["name"] for p in people)


def test_a_person_on_both_missions_attended_three_meetings(demo: Assessment, lead: User) -> None:
    director = PersonMet.objects.get(assessment=demo, name="Ngô Hải Phan")
    client = client_for(lead)
    shown = client.get(f"{PEOPLE}/{director.pk}").json()
    assert (shown["organisation"], shown["consent"], len(shown["meetings"])) == (
        "APCA",
        "published",
        3,
    )
    exported = client.get(f"{PEOPLE}/{director.pk}/export").json()
    assert exported["person"]["name"] == "Ngô Hải Phan"
    assert sorted(m["mission"] for m in exported["meetings"]) == [
        "Field mission, Hanoi and Ho Chi Minh City",
        "Scoping mission, Hanoi",
        "Scoping mission, Hanoi",
    ]


def test_a_reviewer_cannot_open_or_export_a_person(demo: Assessment, reviewer: User) -> None:
    person = PersonMet.objects.filter(assessment=demo)[0]
    assert client_for(reviewer).get(f"{PEOPLE}/{person.pk}").status_code == 403
    assert client_for(reviewer).get(f"{PEOPLE}/{person.pk}/export").status_code == 403


def test_an_assessor_adds_a_person_at_a_meeting_and_records_attendances(
    demo: Assessment, assessor: User
) -> None:
    client = client_for(assessor)
    first, second = Meeting.objects.filter(mission__key="field-2018").order_by("order")[:2]
    added = send(
        client,
        "post",
        PEOPLE,
        {
            "name": "Lê Thị Hoa",
            "title": "Data officer",
            "organisation": "MIC",
            "consent": "oral",
            "consent_date": "2018-01-16",
            "meetings": [first.pk],
        },
    )
    assert added.status_code == 201, added.content
    person = added.json()
    assert (person["organisation"], person["meetings"]) == ("MIC", [first.pk])
    url = f"{PEOPLE}/{person['id']}/meetings/{second.pk}"
    assert client.put(url).json()["meetings"] == sorted([first.pk, second.pk])
    assert client.put(url).status_code == 422  # already recorded
    assert client.delete(url).json()["meetings"] == [first.pk]
    assert client.delete(url).status_code == 404
    assert client.get(PEOPLE).json()["count"] == PEOPLE_MET + 1


def test_a_person_at_a_meeting_of_no_such_id_is_refused(assessor: User) -> None:
    response = send(
        client_for(assessor),
        "post",
        PEOPLE,
        {"name": "Nobody", "consent": "oral", "meetings": [2**40]},
    )
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["meetings"]


def test_a_stale_change_to_a_person_is_409(demo: Assessment, assessor: User) -> None:
    person = PersonMet.objects.get(assessment=demo, name="Mai Tiến Dũng")
    client = client_for(assessor)
    url = f"{PEOPLE}/{person.pk}"
    changed = send(client, "patch", url, {"version": 1, "title": "Minister"})
    assert (changed.status_code, changed.json()["version"]) == (200, 2)
    assert send(client, "patch", url, {"version": 1, "title": "Chairman"}).status_code == 409
    assert PersonMet.objects.get(pk=person.pk).title == "Minister"


def test_only_the_lead_erases_a_person_and_their_name_leaves_the_notes(
    demo: Assessment, lead: User, assessor: User
) -> None:
    person = PersonMet.objects.get(assessment=demo, name="Mai Tiến Dũng")
    meeting = first_meeting(demo)
    write_notes(client_for(assessor), meeting, "Mai Tiến Dũng opened the meeting.")
    url = f"{PEOPLE}/{person.pk}"
    refused = client_for(assessor).delete(url)
    assert refused.status_code == 403
    assert PersonMet.objects.filter(pk=person.pk).exists()
    erased = client_for(lead).delete(url)
    assert erased.status_code == 200
    # The notes, and the history of the change that wrote them.
    assert erased.json() == {"scrubbed": 2}
    assert not PersonMet.objects.filter(pk=person.pk).exists()
    assert client_for(lead).get(url).status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).notes == "[erased] opened the meeting."
    assert client_for(lead).get(PEOPLE).json()["count"] == PEOPLE_MET - 1


def test_a_counterpart_cannot_add_or_change_a_person(demo: Assessment, counterpart: User) -> None:
    client = client_for(counterpart)
    added = send(client, "post", PEOPLE, {"name": "Someone", "consent": "oral"})
    assert added.status_code == 403
    person = PersonMet.objects.get(assessment=demo, name="Ngô Hải Phan")
    changed = send(client, "patch", f"{PEOPLE}/{person.pk}", {"version": 1, "title": "X"})
    assert changed.status_code == 403
    assert PersonMet.objects.filter(assessment=demo).count() == PEOPLE_MET
