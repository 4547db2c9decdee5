"""The review workflow: who may move an assessment where, what is frozen while
it is under review, and the numbered publications it leaves behind."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from readiness.assessments import services as assessment_services
from readiness.assessments.documents import export_assessment
from readiness.assessments.models import Assessment, Membership, QuestionRating
from readiness.assessments.permissions import TRANSITIONS, Role, State
from readiness.core.errors import Forbidden, InvalidInput, NotFound, WrongState
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Question
from readiness.reviews import services
from readiness.reviews.models import Publication
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def put_in(assessment: Assessment, state: State) -> Assessment:
    """Place the assessment in a state directly, without the workflow."""
    Assessment.objects.filter(pk=assessment.pk).update(state=state)
    assessment.refresh_from_db()
    return assessment


def move(actor: User | None, assessment: Assessment, target: State) -> Assessment:
    return services.move_to(actor=actor, assessment=assessment, target=target)


def workflow_changes(assessment: Assessment) -> list[ChangeRecord]:
    return list(ChangeRecord.objects.filter(assessment=assessment, entity="workflow"))


@pytest.fixture
def question(demo: Assessment) -> Question:
    return Question.objects.get(framework__key="dgra", key="1.1")


def rate(actor: User, assessment: Assessment, question: Question, level: str) -> QuestionRating:
    current = QuestionRating.objects.get(assessment=assessment, question=question)
    return assessment_services.rate_question(
        actor=actor,
        assessment=assessment,
        question=question,
        level_code=level,
        expected_version=current.version,
    )


def test_the_full_path_from_draft_to_publication_freezes_the_document(
    demo, lead, assessor, reviewer, question
) -> None:  # type: ignore[no-untyped-def]
    assert demo.state == State.DRAFT
    demo = move(lead, demo, State.IN_REVIEW)
    demo = move(reviewer, demo, State.CHANGES_REQUESTED)
    demo = move(lead, demo, State.IN_REVIEW)
    demo = move(reviewer, demo, State.APPROVED)
    demo = move(lead, demo, State.PUBLISHED)

    assert demo.state == State.PUBLISHED
    assert Assessment.objects.get(pk=demo.pk).state == State.PUBLISHED
    publication = Publication.objects.get(assessment=demo)
    assert publication.number == 1
    assert publication.published_by == lead
    assert publication.document == export_assessment(demo)
    assert services.latest_publication(demo.slug) == publication


@pytest.mark.parametrize(
    "state", [State.IN_REVIEW, State.APPROVED, State.PUBLISHED, State.ARCHIVED]
)
def test_it_refuses_edits_while_the_assessment_is_not_a_draft(
    demo, assessor, question, state
) -> None:  # type: ignore[no-untyped-def]
    demo = put_in(demo, state)
    with pytest.raises(WrongState):
        rate(assessor, demo, question, "green")
    stored = QuestionRating.objects.get(assessment=demo, question=question)
    assert (stored.level.code, stored.version) == ("yellow_green", 1)


def test_edits_are_allowed_again_when_changes_are_requested(
    demo, lead, assessor, reviewer, question
) -> None:  # type: ignore[no-untyped-def]
    demo = move(lead, demo, State.IN_REVIEW)
    demo = move(reviewer, demo, State.CHANGES_REQUESTED)
    assert rate(assessor, demo, question, "green").level.code == "green"


def test_a_new_draft_after_publication_leaves_the_publication_unchanged(
    demo, lead, assessor, reviewer, question
) -> None:  # type: ignore[no-untyped-def]
    for actor, target in [
        (lead, State.IN_REVIEW),
        (reviewer, State.APPROVED),
        (lead, State.PUBLISHED),
    ]:
        demo = move(actor, demo, target)
    first = Publication.objects.get(assessment=demo, number=1)
    published_document = export_assessment(demo)
    assert first.document == published_document

    demo = move(lead, demo, State.DRAFT)
    rating = rate(assessor, demo, question, "green")
    assert rating.level.code == "green" and rating.version == 2

    first.refresh_from_db()
    assert first.document == published_document
    assert export_assessment(demo) != published_document
    assert services.latest_publication(demo.slug).number == 1


def test_publishing_again_gives_the_next_number_with_the_new_content(
    demo, lead, assessor, reviewer, question
) -> None:  # type: ignore[no-untyped-def]
    for actor, target in [
        (lead, State.IN_REVIEW),
        (reviewer, State.APPROVED),
        (lead, State.PUBLISHED),
        (lead, State.DRAFT),
    ]:
        demo = move(actor, demo, target)
    rate(assessor, demo, question, "green")
    for actor, target in [
        (lead, State.IN_REVIEW),
        (reviewer, State.APPROVED),
        (lead, State.PUBLISHED),
    ]:
        demo = move(actor, demo, target)

    numbers = sorted(Publication.objects.filter(assessment=demo).values_list("number", flat=True))
    assert numbers == [1, 2]
    latest = services.latest_publication(demo.slug)
    assert latest.number == 2
    assert latest.document == export_assessment(demo)
    assert latest.document != Publication.objects.get(assessment=demo, number=1).document


# Who may take each step, typed by hand from the rules (README "Teams, roles
# and review"; permissions.py): in every state, to every state, for each of
# lead, assessor, reviewer, counterpart, outsider and site administrator.
# ok: it moves; F: Forbidden (a member whose role may not); W: WrongState
# (no such step); N: NotFound (not a member: the draft is not revealed).
# In review, the lead is the one who submitted it.
PERSONAS = ["lead", "assessor", "reviewer", "counterpart", "outsider", "admin"]
D, R, C, A, P, X = (
    State.DRAFT,
    State.IN_REVIEW,
    State.CHANGES_REQUESTED,
    State.APPROVED,
    State.PUBLISHED,
    State.ARCHIVED,
)
WHO_MAY = {
    # (from, to):  lead, assessor, reviewer, counterpart, outsider, admin
    (D, D): "W W W W N W",
    (D, R): "ok F F F N ok",
    (D, C): "W W W W N W",
    (D, A): "W W W W N W",
    (D, P): "W W W W N W",
    (D, X): "W W W W N W",
    (R, D): "W W W W N W",
    (R, R): "W W W W N W",
    (R, C): "F F ok F N ok",
    (R, A): "F F ok F N ok",
    (R, P): "W W W W N W",
    (R, X): "W W W W N W",
    (C, D): "W W W W N W",
    (C, R): "ok F F F N ok",
    (C, C): "W W W W N W",
    (C, A): "W W W W N W",
    (C, P): "W W W W N W",
    (C, X): "W W W W N W",
    (A, D): "W W W W N W",
    (A, R): "W W W W N W",
    (A, C): "W W W W N W",
    (A, A): "W W W W N W",
    (A, P): "ok F F F N ok",
    (A, X): "W W W W N W",
    (P, D): "ok F F F N ok",
    (P, R): "W W W W N W",
    (P, C): "W W W W N W",
    (P, A): "W W W W N W",
    (P, P): "W W W W N W",
    (P, X): "ok F F F N ok",
    (X, D): "W W W W N W",
    (X, R): "W W W W N W",
    (X, C): "W W W W N W",
    (X, A): "W W W W N W",
    (X, P): "W W W W N W",
    (X, X): "W W W W N W",
}
REFUSALS: dict[str, type[Exception]] = {"F": Forbidden, "W": WrongState, "N": NotFound}
CELLS = [
    (source, target, persona, outcome)
    for (source, target), row in WHO_MAY.items()
    for persona, outcome in zip(PERSONAS, row.split(), strict=True)
]


@pytest.fixture
def admin(demo: Assessment) -> User:
    return User.objects.create_superuser(username="admin", password="x")


def test_the_table_covers_every_state_and_target() -> None:
    assert set(WHO_MAY) == {(s, t) for s in State for t in State}


@pytest.mark.parametrize(
    ("source", "target", "persona", "outcome"),
    CELLS,
    ids=[f"{s.value}->{t.value}:{p}" for s, t, p, _ in CELLS],
)
def test_who_may_take_each_step_in_every_state(
    request, demo, lead, source, target, persona, outcome
) -> None:  # type: ignore[no-untyped-def]
    actor = request.getfixturevalue(persona)
    if source == State.IN_REVIEW:
        demo = move(lead, demo, State.IN_REVIEW)
    else:
        demo = put_in(demo, source)
    changes_before = len(workflow_changes(demo))
    if outcome != "ok":
        with pytest.raises(REFUSALS[outcome]):
            move(actor, demo, target)
        assert Assessment.objects.get(pk=demo.pk).state == source
        assert len(workflow_changes(demo)) == changes_before
        return
    moved = move(actor, demo, target)
    assert moved.state == target
    assert Assessment.objects.get(pk=demo.pk).state == target
    change = workflow_changes(demo)[-1]
    assert len(workflow_changes(demo)) == changes_before + 1
    assert change.entity_id == demo.pk
    assert change.before == {"state": source.value}
    assert change.after == {"state": target.value}
    assert change.actor == actor


def test_every_transition_has_at_least_one_role_that_may_take_it() -> None:
    assert all(roles for roles in TRANSITIONS.values())


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.COUNTERPART])
def test_assessors_and_counterparts_cannot_move_the_assessment_at_all(request, demo, role) -> None:  # type: ignore[no-untyped-def]
    actor = request.getfixturevalue(role.value)
    for source, target in TRANSITIONS:
        demo = put_in(demo, source)
        with pytest.raises(Forbidden):
            move(actor, demo, target)
    assert workflow_changes(demo) == []


def test_a_reviewer_cannot_publish(demo, reviewer) -> None:  # type: ignore[no-untyped-def]
    demo = put_in(demo, State.APPROVED)
    with pytest.raises(Forbidden):
        move(reviewer, demo, State.PUBLISHED)
    assert not Publication.objects.filter(assessment=demo).exists()


@pytest.mark.parametrize(
    ("role", "source", "target"),
    [
        (Role.LEAD, State.DRAFT, State.PUBLISHED),
        (Role.LEAD, State.DRAFT, State.APPROVED),
        (Role.LEAD, State.DRAFT, State.DRAFT),
        (Role.LEAD, State.IN_REVIEW, State.PUBLISHED),
        (Role.LEAD, State.ARCHIVED, State.DRAFT),
        (Role.REVIEWER, State.DRAFT, State.APPROVED),
        (Role.REVIEWER, State.CHANGES_REQUESTED, State.APPROVED),
        (Role.ASSESSOR, State.DRAFT, State.PUBLISHED),
    ],
)
def test_an_impossible_step_is_the_wrong_state(request, demo, role, source, target) -> None:  # type: ignore[no-untyped-def]
    assert (source, target) not in TRANSITIONS
    actor = request.getfixturevalue(role.value)
    demo = put_in(demo, source)
    with pytest.raises(WrongState):
        move(actor, demo, target)
    assert Assessment.objects.get(pk=demo.pk).state == source
    assert not Publication.objects.filter(assessment=demo).exists()
    assert workflow_changes(demo) == []


@pytest.mark.parametrize(("source", "target"), list(TRANSITIONS))
def test_an_outsider_does_not_find_the_assessment(demo, outsider, source, target) -> None:  # type: ignore[no-untyped-def]
    demo = put_in(demo, source)
    with pytest.raises(NotFound):
        move(outsider, demo, target)
    assert Assessment.objects.get(pk=demo.pk).state == source


def test_an_anonymous_visitor_does_not_find_the_assessment(demo) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.move_to(actor=AnonymousUser(), assessment=demo, target=State.IN_REVIEW)


def test_an_unknown_target_state_is_invalid_input(demo, lead) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.move_to(actor=lead, assessment=demo, target="finished")
    assert [e.path for e in raised.value.errors] == ["state"]


def test_a_site_administrator_may_take_any_step_but_not_approve_their_own_submission(
    demo, admin
) -> None:  # type: ignore[no-untyped-def]
    other_admin = User.objects.create_superuser(username="admin2", password="x")
    demo = move(admin, demo, State.IN_REVIEW)
    for decision in (State.APPROVED, State.CHANGES_REQUESTED):
        with pytest.raises(Forbidden, match="someone else"):
            move(admin, demo, decision)
    assert Assessment.objects.get(pk=demo.pk).state == State.IN_REVIEW
    demo = move(other_admin, demo, State.APPROVED)
    demo = move(admin, demo, State.PUBLISHED)
    publication = services.latest_publication(demo.slug)
    assert (publication.submitted_by, publication.approved_by, publication.published_by) == (
        admin,
        other_admin,
        admin,
    )


def test_the_workflow_history_follows_every_step(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    steps = [
        (lead, State.IN_REVIEW),
        (reviewer, State.CHANGES_REQUESTED),
        (lead, State.IN_REVIEW),
        (reviewer, State.APPROVED),
        (lead, State.PUBLISHED),
        (lead, State.ARCHIVED),
    ]
    for actor, target in steps:
        demo = move(actor, demo, target)
    changes = workflow_changes(demo)
    assert [(c.before["state"], c.after["state"]) for c in changes] == [
        ("draft", "in_review"),
        ("in_review", "changes_requested"),
        ("changes_requested", "in_review"),
        ("in_review", "approved"),
        ("approved", "published"),
        ("published", "archived"),
    ]
    assert [c.actor for c in changes] == [actor for actor, _ in steps]
    assert all(c.action == ChangeRecord.Action.UPDATE for c in changes)


def test_latest_publication_is_not_found_for_an_assessment_never_published(
    demo,
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.latest_publication(demo.slug)
    with pytest.raises(NotFound):
        services.latest_publication("no-such-assessment")


# --- separation of duties -----------------------------------------------------------


def test_the_submitter_cannot_decide_the_review_even_after_becoming_reviewer(
    demo, lead, reviewer
) -> None:  # type: ignore[no-untyped-def]
    demo = move(lead, demo, State.IN_REVIEW)
    # Behind the team rules' back (say, in the database): the submitter is now a reviewer.
    Membership.objects.filter(assessment=demo, user=lead).update(role=Role.REVIEWER)
    for decision in (State.APPROVED, State.CHANGES_REQUESTED):
        with pytest.raises(Forbidden, match="someone else"):
            move(lead, demo, decision)
    assert Assessment.objects.get(pk=demo.pk).state == State.IN_REVIEW
    assert move(reviewer, demo, State.APPROVED).state == State.APPROVED


def test_a_new_review_round_has_its_own_submitter(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    second_lead = persona_on(demo, "second-lead", Role.LEAD)
    demo = move(lead, demo, State.IN_REVIEW)
    demo = move(reviewer, demo, State.CHANGES_REQUESTED)
    demo = move(second_lead, demo, State.IN_REVIEW)
    Membership.objects.filter(assessment=demo, user=lead).update(role=Role.REVIEWER)
    # The first lead did not submit this round, so as a reviewer they may decide it.
    assert move(lead, demo, State.APPROVED).state == State.APPROVED


def persona_on(assessment: Assessment, username: str, role: Role) -> User:
    user = User.objects.create_user(username=username, password="x")
    Membership.objects.create(assessment=assessment, user=user, role=role)
    return user


@pytest.mark.parametrize("state", [State.IN_REVIEW, State.APPROVED])
def test_the_team_cannot_change_while_a_review_is_under_way_or_approved(
    demo, lead, reviewer, state
) -> None:  # type: ignore[no-untyped-def]
    demo = put_in(demo, state)
    team = assessment_services.team_snapshot(demo)
    with pytest.raises(WrongState):
        assessment_services.set_member(
            actor=lead, assessment=demo, username="reviewer", role=Role.LEAD
        )
    with pytest.raises(WrongState):
        assessment_services.remove_member(actor=lead, assessment=demo, username="reviewer")
    with pytest.raises(WrongState):  # not even the operator
        assessment_services.set_member(
            actor=None, assessment=demo, username="reviewer", role=Role.LEAD
        )
    assert assessment_services.team_snapshot(demo) == team
    assert not ChangeRecord.objects.filter(assessment=demo, entity="team").exists()


@pytest.mark.parametrize(
    "state", [State.DRAFT, State.CHANGES_REQUESTED, State.PUBLISHED, State.ARCHIVED]
)
def test_the_lead_changes_the_team_outside_review(demo, lead, reviewer, state) -> None:  # type: ignore[no-untyped-def]
    demo = put_in(demo, state)
    assessment_services.set_member(
        actor=lead, assessment=demo, username="reviewer", role=Role.ASSESSOR
    )
    assert Membership.objects.get(assessment=demo, user=reviewer).role == Role.ASSESSOR


def test_the_self_approval_attack_over_the_api_is_refused(demo, lead, assessor) -> None:  # type: ignore[no-untyped-def]
    """The five calls that used to publish a lead's own work unreviewed."""
    demo = move(lead, demo, State.IN_REVIEW)
    team = assessment_services.team_snapshot(demo)
    assert (team["lead"], team["assessor"]) == ("lead", "assessor")
    client = client_for(lead)
    api = "/api/v1/assessments/vietnam-2019"

    def put_role(username: str, role: str) -> int:
        response = client.put(
            f"{api}/team/{username}", json.dumps({"role": role}), content_type="application/json"
        )
        return response.status_code

    def move_over_api(state: str) -> int:
        response = client.post(
            f"{api}/workflow", json.dumps({"state": state}), content_type="application/json"
        )
        return response.status_code

    assert put_role("assessor", "lead") == 409
    assert put_role("lead", "reviewer") == 409
    assert move_over_api("approved") == 403
    assert put_role("lead", "lead") == 409
    assert move_over_api("published") == 409
    stored = Assessment.objects.get(pk=demo.pk)
    assert stored.state == State.IN_REVIEW
    assert not Publication.objects.filter(assessment=demo).exists()
    assert assessment_services.team_snapshot(stored) == team


def test_the_submitter_is_not_offered_the_decision(demo, lead) -> None:  # type: ignore[no-untyped-def]
    admin_lead = User.objects.create_superuser(username="admin-lead", password="x")
    Membership.objects.create(assessment=demo, user=admin_lead, role=Role.REVIEWER)
    demo = move(admin_lead, demo, State.IN_REVIEW)
    response = client_for(admin_lead).get("/api/v1/assessments/vietnam-2019/workflow")
    assert response.json()["next_states"] == []
    html = client_for(admin_lead).get("/assessments/vietnam-2019/").content.decode()
    assert "Move to “Approved”" not in html


def test_the_publication_names_its_submitter_approver_and_publisher(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    lead.first_name, lead.last_name = "Lan", "Nguyen"
    lead.save()
    for actor, target in [
        (lead, State.IN_REVIEW),
        (reviewer, State.CHANGES_REQUESTED),
        (lead, State.IN_REVIEW),
        (reviewer, State.APPROVED),
        (lead, State.PUBLISHED),
    ]:
        demo = move(actor, demo, target)
    publication = Publication.objects.get(assessment=demo)
    assert (publication.submitted_by, publication.approved_by, publication.published_by) == (
        lead,
        reviewer,
        lead,
    )
    body = Client().get("/api/v1/published/vietnam-2019").json()
    assert (body["submitted_by"], body["approved_by"], body["published_by"]) == (
        "Lan Nguyen",
        "reviewer",
        "Lan Nguyen",
    )
    html = Client().get("/published/vietnam-2019/").content.decode()
    assert "Submitted for review by: Lan Nguyen" in html
    assert "Approved by: reviewer" in html


def test_a_publication_by_the_system_says_so(demo) -> None:  # type: ignore[no-untyped-def]
    for target in (State.IN_REVIEW, State.APPROVED, State.PUBLISHED):
        demo = move(None, demo, target)
    body = Client().get("/api/v1/published/vietnam-2019").json()
    assert (body["submitted_by"], body["approved_by"], body["published_by"]) == (None, None, None)
    assert "Approved by: the system" in Client().get("/published/vietnam-2019/").content.decode()


def test_the_cli_refuses_the_submitter_the_decision_too(demo, lead) -> None:  # type: ignore[no-untyped-def]
    User.objects.create_superuser(username="admin", password="x")
    call_command("review", "--as", "admin", "move", "vietnam-2019", "in_review")
    with pytest.raises(CommandError, match="someone else"):
        call_command("review", "--as", "admin", "move", "vietnam-2019", "approved")
    with pytest.raises(CommandError, match="team cannot change"):
        call_command("review", "--as", "lead", "team", "vietnam-2019", "--set", "lead", "reviewer")
    assert Assessment.objects.get(pk=demo.pk).state == State.IN_REVIEW
