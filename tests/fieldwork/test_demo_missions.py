"""The demo holds the 2019 missions with the officials met, as many entries
per mission as the report's annexes list."""

from readiness.assessments.models import Assessment
from readiness.fieldwork.models import Attendance, Meeting, PersonMet

# Counted by hand in the seed's annexes (lines ~3718-3860), heading by heading.
SCOPING_ENTRIES = {  # Hanoi, 24-28 July 2017
    "OoG": 26,
    "APCA": 11,
    "MoJ": 8,
    "MoST": 4,
    "MoF": 8,
    "MIC": 5,
    "VCCI": 1,
    "FPT": 4,
    "VI": 4,
    "WB": 9,
}
FIELD_ENTRIES = {  # Hanoi and Ho Chi Minh City, 15-25 January 2018
    "OoG": 1,
    "APCA": 10,
    "MIC": 2,
    "MoST": 3,
    "MoF": 6,
    "MPI": 3,
    "MoPS": 3,
    "MoJ": 1,
    "MoFA": 1,
    "MoNRE": 2,
    "MoT": 1,
    "SBV": 1,
    "MoIT": 1,
    "MoET": 2,
    "VSS": 1,
    "VCCI": 1,
    "VI": 4,
    "enterprises": 10,
    "non-governmental organisations": 4,
    "WB": 7,
}


def entries(assessment: Assessment, key: str) -> dict[str, int]:
    counted = {}
    for meeting in Meeting.objects.filter(mission__assessment=assessment, mission__key=key):
        organisations = [o.abbreviation for o in meeting.organisations.all()]
        name = organisations[0] if len(organisations) == 1 else meeting.topics
        counted[name] = meeting.attendances.count()
    return counted


def test_the_scoping_mission_has_the_80_entries_of_its_annex(demo: Assessment) -> None:
    assert sum(SCOPING_ENTRIES.values()) == 80
    assert entries(demo, "scoping-2017") == SCOPING_ENTRIES


def test_the_field_mission_has_the_64_entries_of_its_annex(demo: Assessment) -> None:
    counted = entries(demo, "field-2018")
    assert sum(FIELD_ENTRIES.values()) == 64
    assert counted.pop("Enterprises") == 10
    assert counted.pop("Non-Governmental Organizations") == 4
    expected = {k: v for k, v in FIELD_ENTRIES.items() if k.upper() != k.lower() and k[0].isupper()}
    assert counted == expected


def test_a_person_met_on_both_missions_is_one_person_at_two_meetings(demo: Assessment) -> None:
    director = PersonMet.objects.get(assessment=demo, name="Ngô Hải Phan")
    assert director.organisation.abbreviation == "APCA"
    assert director.title == "Director General, APCA"
    assert director.consent == PersonMet.Consent.PUBLISHED
    missions = Attendance.objects.filter(person=director).values_list(
        "meeting__mission__key", flat=True
    )
    assert sorted(missions) == ["field-2018", "scoping-2017", "scoping-2017"]


def test_the_enterprises_met_are_in_the_register(demo: Assessment) -> None:
    meeting = Meeting.objects.get(mission__key="field-2018", topics="Enterprises")
    assert [o.abbreviation for o in meeting.organisations.order_by("abbreviation")] == [
        "AVSE",
        "DTT",
        "FPT",
        "Unilever",
        "VFOSSA",
        "VITAS",
        "VPBank",
        "Vinades",
        "WTO-HCMC",
    ]
