"""`readiness fieldwork` for missions, meetings, the people met, passages
cited and the coverage grid, on the demo's two missions."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from readiness.assessments.models import Assessment, Evidence
from readiness.fieldwork.models import Meeting, MeetingCitation, PersonMet
from readiness.frameworks.models import Question

SLUG = "vietnam-2019"
# Distinct (name, organisation) pairs of missions-VN-2019.yaml's people lists.
PEOPLE_MET = 109


def fieldwork(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("fieldwork", *args, stdout=out)
    return out.getvalue().splitlines()


def test_missions_prints_a_line_per_demo_mission(demo: Assessment) -> None:
    lines = fieldwork("missions", SLUG)
    assert [row.split("\t")[:4] for row in lines] == [
        ["scoping-2017", "2017-07-24", "2017-07-28", "10"],
        ["field-2018", "2018-01-15", "2018-01-25", "20"],
    ]


def test_a_mission_added_is_listed_third(demo: Assessment, assessor: User) -> None:
    added = fieldwork(
        "mission-add",
        SLUG,
        "follow-up-2018",
        "--name",
        "Follow-up mission",
        "--start",
        "2018-06-04",
        "--end",
        "2018-06-06",
        "--places",
        "Hanoi",
        "--team",
        "assessor",
        "--as",
        "assessor",
    )
    assert added == ["added mission follow-up-2018"]
    lines = fieldwork("missions", SLUG)
    assert len(lines) == 3
    assert lines[2].split("\t") == [
        "follow-up-2018",
        "2018-06-04",
        "2018-06-06",
        "0",
        "Follow-up mission",
        "Hanoi",
    ]


def test_a_mission_ending_before_it_starts_is_refused(demo: Assessment) -> None:
    with pytest.raises(CommandError, match=r"nothing was changed: .*end_date"):
        fieldwork(
            "mission-add",
            SLUG,
            "late",
            "--name",
            "Late",
            "--start",
            "2018-06-04",
            "--end",
            "2018-06-01",
        )
    assert len(fieldwork("missions", SLUG)) == 2


def test_a_counterpart_cannot_add_a_mission(demo: Assessment, counterpart: User) -> None:
    with pytest.raises(CommandError, match="does not allow"):
        fieldwork(
            "mission-add",
            SLUG,
            "x",
            "--name",
            "X",
            "--start",
            "2018-06-04",
            "--end",
            "2018-06-05",
            "--as",
            "counterpart",
        )


def test_meetings_lists_the_mission_and_a_meeting_added_comes_last(demo: Assessment) -> None:
    assert len(fieldwork("meetings", SLUG, "field-2018")) == 20
    added = fieldwork(
        "meeting-add",
        SLUG,
        "field-2018",
        "--organisations",
        "MIC",
        "MPI",
        "--date",
        "2018-01-24",
        "--topics",
        "Open data\tplans",
    )
    meeting = Meeting.objects.get(mission__key="field-2018", order=21)
    assert added == [f"added meeting {meeting.pk} to mission field-2018"]
    lines = fieldwork("meetings", SLUG, "field-2018")
    assert len(lines) == 21
    assert lines[-1].split("\t") == [
        str(meeting.pk),
        "21",
        "2018-01-24",
        "MIC,MPI",
        "0",
        "Open data plans",
    ]


def test_cite_adds_an_interview_evidence_item_from_the_notes(demo: Assessment) -> None:
    question = Question.objects.filter(framework__in=demo.frameworks.all()).order_by("pk")[0]
    meeting = Meeting.objects.get(mission__key="scoping-2017", order=1)
    meeting.notes = "Every ministry will open its budget data by 2020."
    meeting.save()
    args = [SLUG, "scoping-2017", str(meeting.pk), question.framework.key, question.key]
    with pytest.raises(CommandError, match="not a passage of the meeting's notes"):
        fieldwork("cite", *args, "close its budget data")
    out = fieldwork("cite", *args, "open its budget data", "--sign", "-")
    evidence = Evidence.objects.get(meeting_citation__meeting=meeting)
    assert out == [f"added evidence item {evidence.pk} on {question.framework.key} {question.key}"]
    assert (evidence.source_kind, evidence.sign, evidence.text) == (
        "interview",
        "-",
        "open its budget data",
    )
    assert MeetingCitation.objects.filter(meeting=meeting).count() == 1
    assert fieldwork("meetings", SLUG, "scoping-2017")[0].split("\t")[4] == "1"


def test_people_as_an_assessor_prints_the_people_met(demo: Assessment, assessor: User) -> None:
    lines = fieldwork("people", SLUG, "--as", "assessor")
    assert len(lines) == PEOPLE_MET
    director = PersonMet.objects.get(assessment=demo, name="Ngô Hải Phan")
    assert f"{director.pk}\tNgô Hải Phan\tAPCA\tDirector General, APCA\tpublished\t3" in lines


def test_people_as_a_reviewer_is_refused(demo: Assessment, reviewer: User) -> None:
    with pytest.raises(CommandError, match="Only the assessment's team sees the people met"):
        fieldwork("people", SLUG, "--as", "reviewer")


def test_person_export_writes_the_json_of_the_person(
    demo: Assessment, lead: User, tmp_path: Path
) -> None:
    director = PersonMet.objects.get(assessment=demo, name="Ngô Hải Phan")
    path = tmp_path / "person.json"
    assert fieldwork("person-export", SLUG, str(director.pk), "-o", str(path), "--as", "lead") == [
        f"wrote {path}"
    ]
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["person"]["organisation"] == "APCA"
    assert len(exported["meetings"]) == 3
    printed = json.loads("\n".join(fieldwork("person-export", SLUG, str(director.pk))))
    assert printed["person"] == exported["person"]


def test_person_erase_is_for_the_lead(demo: Assessment, lead: User, assessor: User) -> None:
    person = PersonMet.objects.get(assessment=demo, name="Ngô Hải Phan")
    with pytest.raises(CommandError, match="Only the lead erases"):
        fieldwork("person-erase", SLUG, str(person.pk), "--as", "assessor")
    assert PersonMet.objects.filter(pk=person.pk).exists()
    out = fieldwork("person-erase", SLUG, str(person.pk), "--as", "lead")
    assert out == [f"erased person {person.pk}; 0 records no longer name them"]
    assert not PersonMet.objects.filter(pk=person.pk).exists()
    assert len(fieldwork("people", SLUG, "--as", "lead")) == PEOPLE_MET - 1


def test_coverage_prints_a_line_per_dimension_and_flags_those_under_the_threshold(
    demo: Assessment, settings: Any
) -> None:
    settings.READINESS_MIN_SOURCES = 12
    lines = [row.split("\t") for row in fieldwork("coverage", SLUG)]
    assert len(lines) == 15  # DGRA 2018: 7 dimensions, ODRA 3.1: 8
    assert lines[0][:2] == ["dgra", "1"] and lines[-1][:2] == ["odra", "8"]
    # No passage of a meeting is cited in the demo: no dimension rests on a meeting.
    assert {row[3] for row in lines} == {"0"}
    assert all(row[4].startswith("0/") for row in lines)
    # Business Process Change rests on 11 sources, Funding an Open Data Program on 8.
    assert [(row[0], row[1], row[2]) for row in lines if row[5] == "too few"] == [
        ("dgra", "3", "11"),
        ("odra", "7", "8"),
    ]
