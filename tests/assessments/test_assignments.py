"""The lead assigns dimensions or questions to team members, in every door;
each member sees "my questions", and the workspace marks and filters them."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from readiness.assessments import selectors, services
from readiness.assessments.models import Assessment, Assignment
from readiness.assessments.permissions import State
from readiness.core.errors import Forbidden, InvalidInput, WrongState
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Framework
from readiness.reviews import services as reviews
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
API = "/api/v1/assessments/vietnam-2019"
PAGE = "/assessments/vietnam-2019/assignments/"


def keys(questions: list) -> list[str]:  # type: ignore[type-arg]
    return [f"{q.framework.key} {q.key}" for q in questions]


def test_a_dimension_and_a_question_make_up_my_questions_in_framework_order(
    lead: User, assessor: User, demo: Assessment
) -> None:
    services.assign(
        actor=lead, assessment=demo, username="assessor", framework_key="odra", question_key="1.2"
    )
    services.assign(
        actor=lead, assessment=demo, username="assessor", framework_key="dgra", dimension_key="3"
    )
    # DGRA dimension 3 has five questions, 3.1 to 3.5.
    assert keys(selectors.my_questions(demo, assessor)) == [
        "dgra 3.1",
        "dgra 3.2",
        "dgra 3.3",
        "dgra 3.4",
        "dgra 3.5",
        "odra 1.2",
    ]
    assert list(selectors.my_questions(demo, lead)) == []


def test_assigning_twice_changes_nothing_and_each_change_is_in_the_history(
    lead: User, assessor: User, demo: Assessment
) -> None:
    first = services.assign(
        actor=lead, assessment=demo, username="assessor", framework_key="dgra", dimension_key="2"
    )
    again = services.assign(
        actor=lead, assessment=demo, username="assessor", framework_key="dgra", dimension_key="2"
    )
    assert first.pk == again.pk
    services.unassign(actor=lead, assessment=demo, assignment_id=first.pk)
    records = ChangeRecord.objects.filter(entity="assignment", entity_id=first.pk).order_by("id")
    assert [r.action for r in records] == ["create", "delete"]
    assert records[0].after == {
        "username": "assessor",
        "framework": "dgra",
        "dimension": "2",
        "question": None,
    }


def test_only_the_lead_assigns(assessor: User, demo: Assessment) -> None:
    with pytest.raises(Forbidden):
        services.assign(
            actor=assessor,
            assessment=demo,
            username="assessor",
            framework_key="dgra",
            dimension_key="1",
        )


def test_work_goes_only_to_members_who_may_rate(
    lead: User, reviewer: User, outsider: User, demo: Assessment
) -> None:
    for name in ("reviewer", "outsider", "nobody"):
        with pytest.raises(InvalidInput) as refused:
            services.assign(
                actor=lead, assessment=demo, username=name, framework_key="dgra", dimension_key="1"
            )
        assert refused.value.errors[0].path == "username"


def test_a_dimension_or_a_question_but_not_both_nor_neither(
    lead: User, assessor: User, demo
) -> None:  # type: ignore[no-untyped-def]
    for target in ({}, {"dimension_key": "1", "question_key": "1.1"}):
        with pytest.raises(InvalidInput):
            services.assign(
                actor=lead, assessment=demo, username="assessor", framework_key="dgra", **target
            )
    assert not Assignment.objects.exists()


def test_assignments_freeze_with_the_team_during_review(lead: User, assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    reviews.move_to(actor=None, assessment=demo, target=State.IN_REVIEW)
    demo.refresh_from_db()
    with pytest.raises(WrongState):
        services.assign(
            actor=lead,
            assessment=demo,
            username="assessor",
            framework_key="dgra",
            dimension_key="1",
        )


def test_the_lead_assigns_on_the_web_and_the_member_sees_my_questions(
    lead: User, assessor: User, demo
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(lead).post(PAGE, {"username": "assessor", "target": "dgra:question:1.4"})
    assert response.status_code == 302
    mine = client_for(assessor).get("/assessments/vietnam-2019/my-questions/").content.decode()
    question = Framework.objects.get(key="dgra").questions.get(key="1.4")
    assert f"/assessments/vietnam-2019/dgra/1/?question={question.pk}#q-{question.pk}" in mine
    workspace = client_for(assessor).get("/assessments/vietnam-2019/dgra/1/").content.decode()
    assert workspace.count('data-assigned="1"') == 1
    assert "Assigned to you" in workspace and 'value="mine"' in workspace


def test_a_bad_web_assignment_is_a_clear_error(lead: User, assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    response = client_for(lead).post(PAGE, {"username": "assessor", "target": "dgra:question:99"})
    assert response.status_code == 422
    assert "question dgra 99 is not in this assessment" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_api_assigns_lists_and_removes(lead: User, assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    client = client_for(lead)
    made = client.post(
        f"{API}/assignments",
        {"username": "assessor", "framework": "dgra", "dimension": "3"},
        content_type="application/json",
    )
    assert made.status_code == 201
    body = made.json()
    assert {k: body[k] for k in ("username", "framework", "dimension", "question")} == {
        "username": "assessor",
        "framework": "dgra",
        "dimension": "3",
        "question": None,
    }
    assert [a["id"] for a in client.get(f"{API}/assignments").json()["results"]] == [body["id"]]
    mine = client_for(assessor).get(f"{API}/my-questions").json()["results"]
    assert [m["question"] for m in mine] == ["3.1", "3.2", "3.3", "3.4", "3.5"]
    assert client.delete(f"{API}/assignments/{body['id']}").status_code == 204
    assert client.get(f"{API}/assignments").json()["results"] == []


def test_the_cli_assigns_lists_and_removes(lead: User, assessor: User, demo) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command(
        "assessment",
        "assign",
        "vietnam-2019",
        "assessor",
        "dgra",
        "--question",
        "1.1",
        "--as",
        "lead",
        stdout=out,
    )
    assignment = Assignment.objects.get()
    assert out.getvalue() == f"assignment {assignment.pk}\n"
    out = io.StringIO()
    call_command("assessment", "assignments", "vietnam-2019", stdout=out)
    assert out.getvalue() == f"{assignment.pk}\tassessor\tdgra\t1.1\n"
    out = io.StringIO()
    call_command(
        "assessment", "assignments", "vietnam-2019", "--mine", "--as", "assessor", stdout=out
    )
    assert out.getvalue() == "dgra\t1.1\n"
    with pytest.raises(CommandError, match="does not allow"):
        call_command(
            "assessment", "unassign", "vietnam-2019", str(assignment.pk), "--as", "assessor"
        )
    call_command("assessment", "unassign", "vietnam-2019", str(assignment.pk), stdout=io.StringIO())
    assert not Assignment.objects.exists()
