"""The 2019 missions and the officials met (missions-VN-2019.yaml), loaded
through the fieldwork services like any typed mission."""

import datetime
from pathlib import Path

from django.contrib.auth.models import User

from readiness.assessments.models import Assessment
from readiness.core.readers import read_yaml
from readiness.fieldwork.models import PersonMet
from readiness.fieldwork.services import missions as mission_services
from readiness.fieldwork.services import people as people_services
from readiness.registry.services import add_missing_organisations

DEMO_MISSIONS = Path(__file__).resolve().parent / "missions-VN-2019.yaml"
MAX_MISSIONS_BYTES = 200_000


def load_missions(user: User, assessment: Assessment) -> None:
    """One meeting per heading of the annexes; a person listed under several
    headings (or on both missions) is one person attending each meeting."""
    document = read_yaml(
        DEMO_MISSIONS.read_bytes(), str(DEMO_MISSIONS), max_bytes=MAX_MISSIONS_BYTES
    )
    add_missing_organisations(user, "VN", document["organisations"], str(DEMO_MISSIONS))
    people: dict[tuple[str, str], PersonMet] = {}
    for entry in document["missions"]:
        mission = mission_services.create_mission(
            actor=user,
            assessment=assessment,
            key=entry["key"],
            name=entry["name"],
            start_date=datetime.date.fromisoformat(entry["start_date"]),
            end_date=datetime.date.fromisoformat(entry["end_date"]),
            places=entry["places"],
            team=[user.username],
        )
        for listed in entry["meetings"]:
            meeting = mission_services.add_meeting(
                actor=user,
                mission=mission,
                organisations=listed["organisations"],
                topics=listed["heading"],
            )
            for name, title, organisation in listed["people"]:
                person = people.get((name, organisation))
                if person is None:
                    people[(name, organisation)] = people_services.add_person(
                        actor=user,
                        assessment=assessment,
                        name=name,
                        title=title,
                        organisation=organisation,
                        consent=PersonMet.Consent.PUBLISHED,
                        meetings=[meeting],
                    )
                else:
                    people_services.attend(actor=user, meeting=meeting, person=person)
