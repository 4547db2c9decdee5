"""`readiness fieldwork missions|mission-add|meetings|meeting-add|cite|people|
person-export|person-erase|coverage`: the missions, their meetings, the
people met and the coverage grid from the command line, through the same
services as the web and the API. Lists are tab-separated lines."""

import argparse
import datetime
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from readiness.assessments.models import Assessment, Evidence
from readiness.assessments.services.assessments import assessment_question, get_assessment
from readiness.core.bilingual import pick
from readiness.core.commands import actor_named, add_actor_argument
from readiness.core.history import Actor
from readiness.fieldwork import selectors
from readiness.fieldwork.services import missions as mission_services
from readiness.fieldwork.services import people as people_services
from readiness.fieldwork.services.coverage import coverage

NAMES = (
    "missions",
    "mission-add",
    "meetings",
    "meeting-add",
    "cite",
    "people",
    "person-export",
    "person-erase",
    "coverage",
)

Day = datetime.date.fromisoformat


def line(*values: Any) -> str:
    """One tab-separated line: tabs and line breaks within a value become spaces."""
    return "\t".join(" ".join(str(value).split()) if value is not None else "" for value in values)


def add_parser(actions: argparse._SubParsersAction, name: str) -> None:
    helps = {
        "missions": _("list an assessment's missions"),
        "mission-add": _("add a mission"),
        "meetings": _("list a mission's meetings"),
        "meeting-add": _("add a meeting to a mission"),
        "cite": _("cite a passage of a meeting's notes as evidence on a question"),
        "people": _("list the people met (the assessment's team only)"),
        "person-export": _("export everything kept about a person met, as JSON"),
        "person-erase": _("erase a person met and their name wherever it was written (the lead)"),
        "coverage": _("the coverage grid: sources and meetings per dimension"),
    }
    parser = actions.add_parser(name, help=helps[name])
    parser.add_argument("slug", help=_("the assessment"))
    if name in {"mission-add", "meetings", "meeting-add", "cite"}:
        parser.add_argument("key", help=_("the mission's key, e.g. field-2018"))
    if name == "mission-add":
        parser.add_argument("--name", required=True, help=_("the mission's name"))
        parser.add_argument(
            "--start", type=Day, required=True, metavar="YYYY-MM-DD", help=_("its first day")
        )
        parser.add_argument(
            "--end", type=Day, required=True, metavar="YYYY-MM-DD", help=_("its last day")
        )
        parser.add_argument("--places", default="", help=_("the places visited"))
        parser.add_argument(
            "--team", nargs="*", default=[], metavar="USER", help=_("members of the assessment")
        )
    if name == "meeting-add":
        parser.add_argument(
            "--organisations",
            nargs="+",
            required=True,
            metavar="ACRONYM",
            help=_("the organisations met, by their acronyms in the register"),
        )
        parser.add_argument(
            "--date", type=Day, metavar="YYYY-MM-DD", help=_("a day of the mission")
        )
        parser.add_argument("--topics", default="", help=_("what was discussed"))
        parser.add_argument("--notes", default="", help=_("the meeting's notes"))
    if name == "cite":
        parser.add_argument("meeting", type=int, metavar="MEETING_ID", help=_("the meeting's id"))
        parser.add_argument("framework", help=_("a framework's key, e.g. dgra"))
        parser.add_argument("question", help=_("the question's key"))
        parser.add_argument("passage", help=_("words of the meeting's notes, as written there"))
        parser.add_argument(
            "--sign",
            choices=Evidence.Sign.values,
            default=Evidence.Sign.MIXED,
            help=_("for readiness (+), against it (-) or mixed (o); default: o"),
        )
    if name in {"person-export", "person-erase"}:
        parser.add_argument("person", type=int, metavar="ID", help=_("the person's id"))
    if name == "person-export":
        parser.add_argument(
            "-o", "--output", type=Path, help=_("the JSON file; default: standard output")
        )
    add_actor_argument(parser)


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = actor_named(options.get("actor"))
    assessment = get_assessment(actor, options["slug"])
    RUNNERS[options["action"]](command, actor, assessment, options)


def list_missions(
    command: BaseCommand, actor: Actor, assessment: Assessment, options: dict[str, Any]
) -> None:
    for mission in mission_services.missions_of(assessment):
        command.stdout.write(
            line(
                mission.key,
                mission.start_date.isoformat(),
                mission.end_date.isoformat(),
                len(mission.meetings.all()),
                mission.name,
                mission.places,
            )
        )


def add_mission(
    command: BaseCommand, actor: Actor, assessment: Assessment, options: dict[str, Any]
) -> None:
    mission = mission_services.create_mission(
        actor=actor,
        assessment=assessment,
        key=options["key"],
        name=options["name"],
        start_date=options["start"],
        end_date=options["end"],
        places=options["places"],
        team=options["team"],
    )
    command.stdout.write(_("added mission %(key)s") % {"key": mission.key})


def list_meetings(
    command: BaseCommand, actor: Actor, assessment: Assessment, options: dict[str, Any]
) -> None:
    mission = mission_services.get_mission(assessment, options["key"])
    for meeting in mission_services.meetings_of(mission):
        command.stdout.write(
            line(
                meeting.pk,
                meeting.order,
                meeting.date.isoformat() if meeting.date else "",
                ",".join(sorted(o.abbreviation for o in meeting.organisations.all())),
                len(meeting.citations.all()),
                meeting.topics,
            )
        )


def add_meeting(
    command: BaseCommand, actor: Actor, assessment: Assessment, options: dict[str, Any]
) -> None:
    mission = mission_services.get_mission(assessment, options["key"])
    meeting = mission_services.add_meeting(
        actor=actor,
        mission=mission,
        organisations=options["organisations"],
        date=options["date"],
        topics=options["topics"],
        notes=options["notes"],
    )
    command.stdout.write(
        _("added meeting %(id)d to mission %(key)s") % {"id": meeting.pk, "key": mission.key}
    )


def cite(
    command: BaseCommand, actor: Actor, assessment: Assessment, options: dict[str, Any]
) -> None:
    mission = mission_services.get_mission(assessment, options["key"])
    meeting = mission_services.get_meeting(mission, options["meeting"])
    question = assessment_question(assessment, options["framework"], options["question"])
    evidence = mission_services.cite_passage(
        actor=actor,
        meeting=meeting,
        question=question,
        passage=options["passage"],
        sign=options["sign"],
        meeting_url=selectors.meeting_url(meeting),
    )
    command.stdout.write(
        _("added evidence item %(id)d on %(framework)s %(question)s")
        % {"id": evidence.pk, "framework": question.framework.key, "question": question.key}
    )


def list_people(
    command: BaseCommand, actor: Actor, assessment: Assessment, options: dict[str, Any]
) -> None:
    for person in people_services.people_of(actor, assessment):
        command.stdout.write(
            line(
                person.pk,
                person.name,
                person.organisation.abbreviation if person.organisation else "",
                person.title,
                person.consent,
                len(person.meetings.all()),
            )
        )


def export_person(
    command: BaseCommand, actor: Actor, assessment: Assessment, options: dict[str, Any]
) -> None:
    person = people_services.get_person(actor, assessment, options["person"])
    text = json.dumps(people_services.export_person(actor, person), ensure_ascii=False, indent=2)
    output: Path | None = options.get("output")
    if output is None:
        command.stdout.write(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    command.stdout.write(_("wrote %(file)s") % {"file": output})


def erase_person(
    command: BaseCommand, actor: Actor, assessment: Assessment, options: dict[str, Any]
) -> None:
    person = people_services.get_person(actor, assessment, options["person"])
    scrubbed = people_services.erase_person(actor=actor, person=person)
    command.stdout.write(
        _("erased person %(id)d; %(count)d records no longer name them")
        % {"id": options["person"], "count": scrubbed}
    )


def show_coverage(
    command: BaseCommand, actor: Actor, assessment: Assessment, options: dict[str, Any]
) -> None:
    """A line per dimension: framework, dimension, sources, meetings,
    questions informed by a meeting / questions, and "too few" under the
    threshold."""
    grid = coverage(actor, assessment)
    for row in grid.dimensions:
        command.stdout.write(
            line(
                row.dimension.framework.key,
                row.dimension.key,
                row.sources,
                row.meetings,
                f"{row.questions_informed}/{row.questions}",
                _("too few") if row.too_few else "",
                pick(row.dimension.title),
            )
        )


RUNNERS = {
    "missions": list_missions,
    "mission-add": add_mission,
    "meetings": list_meetings,
    "meeting-add": add_meeting,
    "cite": cite,
    "people": list_people,
    "person-export": export_person,
    "person-erase": erase_person,
    "coverage": show_coverage,
}
