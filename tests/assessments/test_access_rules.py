"""readiness/assessments/access.py against hand-written expectations: who
the actor is on an assessment, what that offers the templates, and each
`require_*` gate with its exact refusal. Calls the functions directly, so
that a mutation run (mutation.toml) takes seconds, not the minutes of the
authorization matrix."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from readiness.assessments import access
from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import Action, Role, State
from readiness.core.errors import Forbidden, NotFound, WrongState
from readiness.reviews import services as reviews

pytestmark = pytest.mark.django_db


def put_in(assessment: Assessment, state: State, **fields: bool) -> Assessment:
    Assessment.objects.filter(pk=assessment.pk).update(state=state, **fields)
    assessment.refresh_from_db()
    return assessment


def walk(actor: User | None, assessment: Assessment, *targets: State) -> Assessment:
    for target in targets:
        assessment = reviews.move_to(actor=actor, assessment=assessment, target=target)
    return assessment


@pytest.fixture
def admin(demo: Assessment) -> User:
    return User.objects.create_superuser(username="admin", password="x")


def test_who_the_actor_is_for_each_kind_of_actor(demo, lead, reviewer, outsider, admin) -> None:  # type: ignore[no-untyped-def]
    seen = {
        name: access.access_to(actor, demo)
        for name, actor in [
            ("system", None),
            ("anonymous", AnonymousUser()),
            ("lead", lead),
            ("reviewer", reviewer),
            ("outsider", outsider),
            ("admin", admin),
        ]
    }
    assert {name: (a.role, a.is_admin, a.is_member) for name, a in seen.items()} == {
        "system": (None, True, True),
        "anonymous": (None, False, False),
        "lead": (Role.LEAD, False, True),
        "reviewer": (Role.REVIEWER, False, True),
        "outsider": (None, False, False),
        "admin": (None, True, True),
    }
    assert not any(a.is_submitter for a in seen.values())


def test_only_who_moved_it_into_the_current_review_is_its_submitter(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    demo = walk(lead, demo, State.IN_REVIEW)
    assert access.access_to(lead, demo).is_submitter
    assert not access.access_to(reviewer, demo).is_submitter
    # Once the review is decided, nobody is submitting anything.
    demo = walk(reviewer, demo, State.CHANGES_REQUESTED)
    assert not access.access_to(lead, demo).is_submitter


def test_last_moved_by_names_the_latest_mover_into_a_state(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    assert access.last_moved_by(demo, State.IN_REVIEW) is None
    demo = walk(lead, demo, State.IN_REVIEW)
    demo = walk(reviewer, demo, State.CHANGES_REQUESTED)
    demo = walk(None, demo, State.IN_REVIEW)
    assert access.last_moved_by(demo, State.IN_REVIEW) is None  # the system, last
    assert access.last_moved_by(demo, State.CHANGES_REQUESTED) == reviewer.pk
    demo = walk(reviewer, demo, State.CHANGES_REQUESTED)
    demo = walk(lead, demo, State.IN_REVIEW)
    assert access.last_moved_by(demo, State.IN_REVIEW) == lead.pk
    assert access.last_moved_by(demo, State.APPROVED) is None


def test_the_next_states_offered_to_each_persona(demo, lead, reviewer, counterpart) -> None:  # type: ignore[no-untyped-def]
    assert access.access_to(lead, demo).next_states == [State.IN_REVIEW]
    assert access.access_to(reviewer, demo).next_states == []
    demo = walk(lead, demo, State.IN_REVIEW)
    assert access.access_to(reviewer, demo).next_states == [
        State.CHANGES_REQUESTED,
        State.APPROVED,
    ]
    assert access.access_to(lead, demo).next_states == []
    assert access.access_to(counterpart, demo).next_states == []
    demo = put_in(demo, State.PUBLISHED)
    assert access.access_to(lead, demo).next_states == [State.DRAFT, State.ARCHIVED]
    assert access.access_to(lead, demo).may_move_to("archived")


def test_the_actions_each_role_is_offered(demo, lead, assessor, reviewer, counterpart) -> None:  # type: ignore[no-untyped-def]
    offered = {
        user.username: access.access_to(user, demo).allowed
        for user in (lead, assessor, reviewer, counterpart)
    }
    assert offered == {
        "lead": frozenset(
            {
                "view",
                "edit",
                "comment",
                "resolve_comments",
                "manage_team",
                "see_reconciliation",
                "reconcile",
                "track",
                "track_published",
            }
        ),
        "assessor": frozenset({"view", "edit", "comment", "see_reconciliation", "track"}),
        "reviewer": frozenset({"view", "comment", "resolve_comments"}),
        "counterpart": frozenset({"view", "comment", "track", "track_published"}),
    }
    assert access.access_to(reviewer, demo).can("comment")
    assert not access.access_to(reviewer, demo).can(Action.EDIT)


@pytest.mark.parametrize(
    ("state", "assessor_edits", "lead_changes_team"),
    [
        (State.DRAFT, True, True),
        (State.IN_REVIEW, False, False),
        (State.CHANGES_REQUESTED, True, True),
        (State.APPROVED, False, False),
        (State.PUBLISHED, False, True),
        (State.ARCHIVED, False, True),
    ],
)
def test_editing_and_team_changes_offered_in_each_state(
    demo, lead, assessor, reviewer, state, assessor_edits, lead_changes_team
) -> None:  # type: ignore[no-untyped-def]
    demo = put_in(demo, state)
    assert access.access_to(assessor, demo).can_edit_now is assessor_edits
    assert access.access_to(lead, demo).may_change_team_now is lead_changes_team
    assert access.access_to(reviewer, demo).can_edit_now is False
    assert access.access_to(assessor, demo).may_change_team_now is False


def test_progress_is_reported_by_the_tracking_roles_then_by_the_owners_of_delivery(
    demo, lead, assessor, counterpart
) -> None:  # type: ignore[no-untyped-def]
    before = access.access_to(assessor, demo)
    assert (before.tracking_permission, before.may_track) == (Action.TRACK, True)
    assert access.require_tracking(assessor, demo).role == Role.ASSESSOR
    demo = walk(None, demo, State.IN_REVIEW, State.APPROVED, State.PUBLISHED)
    after = access.access_to(assessor, demo)
    assert (after.tracking_permission, after.may_track) == (Action.TRACK_PUBLISHED, False)
    with pytest.raises(Forbidden) as refused:
        access.require_tracking(assessor, demo)
    assert str(refused.value) == "Your role on this assessment does not allow this."
    assert access.access_to(counterpart, demo).may_track is True
    demo = walk(None, demo, State.ARCHIVED)
    assert access.access_to(lead, demo).may_track is False
    with pytest.raises(WrongState) as closed:
        access.require_tracking(counterpart, demo)
    assert str(closed.value) == "The assessment is Archived; progress can no longer be reported."


@pytest.mark.parametrize(
    ("independent", "is_open", "assessor_sees", "lead_reconciles"),
    [
        (True, True, True, True),
        (True, False, False, False),
        (False, False, False, True),
        (False, True, False, True),
    ],
)
def test_reconciliation_is_offered_only_while_open_in_independent_mode(
    demo, lead, assessor, reviewer, independent, is_open, assessor_sees, lead_reconciles
) -> None:  # type: ignore[no-untyped-def]
    demo = put_in(demo, State.DRAFT, independent_rating=independent, reconciliation_open=is_open)
    assert access.access_to(assessor, demo).sees_reconciliation is assessor_sees
    assert access.access_to(reviewer, demo).sees_reconciliation is False
    lead_access = access.access_to(lead, demo)
    assert lead_access.reconciliation_allows(Action.RECONCILE) is lead_reconciles


def test_require_reconciliation_says_whether_it_is_closed_or_not_for_the_role(
    demo, assessor, reviewer
) -> None:  # type: ignore[no-untyped-def]
    demo = put_in(demo, State.DRAFT, independent_rating=True, reconciliation_open=False)
    with pytest.raises(Forbidden) as closed:
        access.require_reconciliation(assessor, demo, Action.SEE_RECONCILIATION)
    assert str(closed.value) == "Reconciliation has not been opened yet."
    with pytest.raises(Forbidden) as role:
        access.require_reconciliation(reviewer, demo, Action.SEE_RECONCILIATION)
    assert str(role.value) == "Your role on this assessment does not allow this."
    demo = put_in(demo, State.DRAFT, independent_rating=True, reconciliation_open=True)
    opened = access.require_reconciliation(assessor, demo, Action.SEE_RECONCILIATION)
    assert opened.role == Role.ASSESSOR


def test_require_hides_the_draft_from_outsiders_and_names_the_role_to_members(
    demo, outsider, counterpart
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound) as hidden:
        access.require(outsider, demo, Action.VIEW)
    assert str(hidden.value) == "no assessment named vietnam-2019"
    with pytest.raises(NotFound):
        access.require(AnonymousUser(), demo)
    with pytest.raises(Forbidden) as refused:
        access.require(counterpart, demo, Action.EDIT)
    assert str(refused.value) == "Your role on this assessment does not allow this."
    assert access.require(counterpart, demo).role == Role.COUNTERPART


def test_require_editable_reads_the_state_again_from_the_database(demo, assessor) -> None:  # type: ignore[no-untyped-def]
    seen = Assessment.objects.get(pk=demo.pk)
    put_in(demo, State.IN_REVIEW)
    assert seen.state == State.DRAFT  # what the request loaded before the move
    with pytest.raises(WrongState) as refused:
        access.require_editable(assessor, seen)
    assert str(refused.value) == (
        "The assessment is In review; its content can change only as a draft."
    )
    put_in(demo, State.CHANGES_REQUESTED)
    assert access.require_editable(assessor, seen).role == Role.ASSESSOR


def test_require_team_change_refuses_during_review_and_to_other_roles(demo, lead, assessor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden):
        access.require_team_change(assessor, demo)
    assert access.require_team_change(lead, demo).role == Role.LEAD
    demo = put_in(demo, State.APPROVED)
    with pytest.raises(WrongState) as refused:
        access.require_team_change(lead, demo)
    assert str(refused.value) == (
        "The assessment is Approved; its team cannot change until the review is over."
    )


def test_who_sees_which_drafts_and_which_assessments_are_published(
    demo, lead, outsider, admin
) -> None:  # type: ignore[no-untyped-def]
    other = Assessment.objects.create(
        slug="other", title="Other", subject_kind="country", subject_code="LA"
    )
    everything = {"vietnam-2019", "other"}

    def slugs(actor: User | AnonymousUser | None) -> set[str]:
        return set(access.visible_assessments(actor).values_list("slug", flat=True))

    assert slugs(None) == everything
    assert slugs(admin) == everything
    assert slugs(lead) == {"vietnam-2019"}
    assert slugs(outsider) == set()
    assert slugs(AnonymousUser()) == set()
    assert list(access.published_assessments()) == []
    # Published twice: listed once.
    walk(None, demo, State.IN_REVIEW, State.APPROVED, State.PUBLISHED, State.DRAFT)
    walk(None, demo, State.IN_REVIEW, State.APPROVED, State.PUBLISHED)
    assert list(access.published_assessments()) == [demo]
    assert other.pk not in {a.pk for a in access.published_assessments()}


def test_a_site_administrator_who_submitted_is_not_offered_the_decision(demo, admin) -> None:  # type: ignore[no-untyped-def]
    other_admin = User.objects.create_superuser(username="admin2", password="x")
    demo = walk(admin, demo, State.IN_REVIEW)
    assert access.access_to(admin, demo).next_states == []
    assert access.access_to(other_admin, demo).next_states == [
        State.CHANGES_REQUESTED,
        State.APPROVED,
    ]


def test_a_site_administrator_sees_an_open_reconciliation_without_a_role(demo, admin) -> None:  # type: ignore[no-untyped-def]
    demo = put_in(demo, State.DRAFT, independent_rating=True, reconciliation_open=True)
    assert access.access_to(admin, demo).sees_reconciliation is True


def test_the_role_and_the_submitter_are_those_on_this_assessment(
    demo, lead, reviewer, counterpart
) -> None:  # type: ignore[no-untyped-def]
    other = Assessment.objects.create(
        slug="other", title="Other", subject_kind="country", subject_code="LA"
    )
    Membership.objects.create(assessment=other, user=reviewer, role=Role.LEAD)
    assert access.access_to(reviewer, demo).role == Role.REVIEWER
    assert access.access_to(lead, other).role is None
    assert access.access_to(AnonymousUser(), other).assessment == other
    demo = walk(lead, demo, State.IN_REVIEW)
    walk(reviewer, other, State.IN_REVIEW)  # later, on another assessment
    assert access.last_moved_by(demo, State.IN_REVIEW) == lead.pk
    assert access.access_to(lead, demo).is_submitter


def test_only_editing_roles_pass_require_editable(demo, counterpart) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden):
        access.require_editable(counterpart, demo)
