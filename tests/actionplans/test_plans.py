import copy
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from readiness.actionplans.models import Action
from readiness.actionplans.services import import_plan
from readiness.assessments.models import Assessment
from readiness.core.errors import InvalidInput
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
PLAN = "/api/v1/assessments/vietnam-2019/plan"

SMALL: dict[str, Any] = {
    "format": "readiness-action-plan/1",
    "assessment": "vietnam-2019",
    "framework": "dgra",
    "organisations": [
        {
            "abbreviation": "MoHA",
            "name": {"en": "Ministry of Home Affairs", "vi": "Bộ Nội vụ"},
            "kind": "ministry",
        }
    ],
    "actions": [
        {
            "key": "t-1",
            "title": "First",
            "dimensions": ["4"],
            "questions": ["4.4"],
            "phase": "short",
            "responsible": "MoHA",
            "start_month": 1,
            "duration_months": 6,
        },
        {
            "key": "t-2",
            "title": "Second",
            "dimensions": ["4"],
            "phase": "medium",
            "responsible": "MoHA",
            "supporting": ["OoG"],
            "start_month": 7,
            "duration_months": 6,
            "depends_on": ["t-1"],
        },
    ],
}


def test_the_demo_holds_the_reports_action_plans(demo: Assessment) -> None:
    by_framework: dict[str, int] = {}
    for action in Action.objects.filter(assessment=demo).prefetch_related("dimensions__framework"):
        key = action.dimensions.all()[0].framework.key
        by_framework[key] = by_framework.get(key, 0) + 1
    assert by_framework == {"dgra": 15, "odra": 32}
    lead = Action.objects.get(assessment=demo, key="dgra-lg-1")
    assert lead.responsible.abbreviation == "OoG" and lead.months_text == "3-6"


def test_a_plan_file_is_imported_whole(demo: Assessment) -> None:
    created = import_plan(None, copy.deepcopy(SMALL))
    assert [a.key for a in created] == ["t-1", "t-2"]
    second = Action.objects.get(assessment=demo, key="t-2")
    assert [a.key for a in second.depends_on.all()] == ["t-1"]
    assert [o.abbreviation for o in second.supporting.all()] == ["OoG"]


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (lambda p: p["actions"][1].update(responsible="XYZ"), "actions[1].responsible", "XYZ"),
        (lambda p: p["actions"][1].update(start_month=3), "t-2.start_month", "before t-1 ends"),
        (lambda p: p["actions"][0].update(depends_on=["t-2"]), "t-1.depends_on", "cycle"),
        (lambda p: p["actions"][0].update(questions=["9.9"]), "actions[0].questions", "9.9"),
        (lambda p: p["actions"][0].update(phase="someday"), "actions[0].phase", ""),
    ],
)
def test_a_bad_plan_is_refused_naming_the_action_and_nothing_is_added(
    demo: Assessment, change: Any, path: str, words: str
) -> None:
    plan = copy.deepcopy(SMALL)
    change(plan)
    before = Action.objects.count()
    with pytest.raises(InvalidInput) as raised:
        import_plan(None, plan, "plan.yaml")
    assert path in [e.path for e in raised.value.errors]
    assert words in str(raised.value)
    assert Action.objects.count() == before


def test_the_api_gives_the_plan_with_its_critical_path(assessor: User) -> None:
    plan = client_for(assessor).get(PLAN).json()
    assert len(plan["actions"]) >= 15 and plan["months"] >= 24
    assert plan["critical_path"] and all(
        a["on_critical_path"] == (a["key"] in plan["critical_path"]) for a in plan["actions"]
    )


def test_rescheduling_before_a_prerequisite_ends_is_refused(
    assessor: User, demo: Assessment
) -> None:
    client = client_for(assessor)
    action = Action.objects.get(assessment=demo, key="dgra-uf-2")
    url = f"{PLAN}/dgra-uf-2/schedule"
    body = {
        "start_month": 3,
        "duration_months": 24,
        "depends_on": ["dgra-lg-1"],
        "version": action.version,
    }
    refused = client.put(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 422
    assert (
        "dgra-uf-2 starts in month 3, before dgra-lg-1 ends (month 6)" in refused.content.decode()
    )
    action.refresh_from_db()
    assert action.start_month == 7
    body["start_month"] = 8
    moved = client.put(url, json.dumps(body), content_type="application/json")
    assert moved.status_code == 200 and moved.json()["start_month"] == 8


def test_the_counterpart_reports_progress_and_the_reviewer_cannot(
    counterpart: User, reviewer: User, demo: Assessment
) -> None:
    body = json.dumps(
        {"date": "2019-09-01", "note": "Decree drafted", "percent": 40, "status": "in_progress"}
    )
    url = f"{PLAN}/dgra-lg-2/progress"
    assert client_for(reviewer).post(url, body, content_type="application/json").status_code == 403
    response = client_for(counterpart).post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["author"] == "counterpart"
    assert Action.objects.get(assessment=demo, key="dgra-lg-2").status == "in_progress"


def test_the_cli_shows_the_plan_with_its_critical_path(demo: Assessment, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("plan", "show", "vietnam-2019")
    out = capsys.readouterr().out
    assert "dgra-lg-1\tmonths 1-6" in out and "critical path (*):" in out
