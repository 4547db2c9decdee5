"""The permission rules as functions, against tables written by hand from
PRODUCT.md (not from PERMISSIONS or TRANSITIONS): fast enough for the
mutation run of readiness/assessments/permissions.py (docs/testing.md)."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

from readiness.assessments.permissions import (
    Action,
    Role,
    State,
    allowed,
    may_create_assessments,
    may_transition,
    reconciliation_allows,
)

A = Action
EVERY_ACTION = set(Action)
MAY = {
    Role.LEAD: EVERY_ACTION,
    Role.ASSESSOR: {A.VIEW, A.EDIT, A.COMMENT, A.SEE_RECONCILIATION, A.TRACK},
    Role.REVIEWER: {A.VIEW, A.COMMENT, A.RESOLVE_COMMENTS},
    Role.COUNTERPART: {A.VIEW, A.COMMENT, A.TRACK, A.TRACK_PUBLISHED},
}

S = State
# (from, to) → the one role that may take the step; every other pair is no step at all.
STEPS = {
    (S.DRAFT, S.IN_REVIEW): Role.LEAD,
    (S.IN_REVIEW, S.CHANGES_REQUESTED): Role.REVIEWER,
    (S.IN_REVIEW, S.APPROVED): Role.REVIEWER,
    (S.CHANGES_REQUESTED, S.IN_REVIEW): Role.LEAD,
    (S.APPROVED, S.PUBLISHED): Role.LEAD,
    (S.PUBLISHED, S.DRAFT): Role.LEAD,
    (S.PUBLISHED, S.ARCHIVED): Role.LEAD,
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_do_exactly_its_actions(role: Role) -> None:
    assert {action for action in Action if allowed(role, action)} == MAY[role]


def test_a_non_member_may_do_nothing_and_an_administrator_everything() -> None:
    assert not any(allowed(None, action) for action in Action)
    assert all(allowed(None, action, is_admin=True) for action in Action)


@pytest.mark.parametrize("source", list(State))
def test_each_workflow_step_is_taken_by_its_role_only(source: State) -> None:
    for target in State:
        expected = {STEPS[(source, target)]} if (source, target) in STEPS else set()
        assert {role for role in Role if may_transition(role, source, target)} == expected
        assert may_transition(None, source, target, is_admin=True) == bool(expected)
        assert not may_transition(None, source, target)


def test_whoever_submitted_a_review_may_not_decide_it_administrators_included() -> None:
    for decision in (S.CHANGES_REQUESTED, S.APPROVED):
        assert not may_transition(Role.REVIEWER, S.IN_REVIEW, decision, is_submitter=True)
        assert not may_transition(
            Role.REVIEWER, S.IN_REVIEW, decision, is_admin=True, is_submitter=True
        )


def test_the_submitter_may_take_the_steps_that_are_not_review_decisions() -> None:
    assert may_transition(Role.LEAD, S.CHANGES_REQUESTED, S.IN_REVIEW, is_submitter=True)
    assert may_transition(Role.LEAD, S.APPROVED, S.PUBLISHED, is_submitter=True)
    assert may_transition(None, S.PUBLISHED, S.ARCHIVED, is_admin=True, is_submitter=True)


# (independent mode, reconciliation open) → may the lead see, may the lead reconcile
RECONCILIATION = {
    (True, True): (True, True),
    (True, False): (False, False),
    (False, True): (False, True),
    (False, False): (False, True),
}


@pytest.mark.parametrize(("mode", "expected"), RECONCILIATION.items())
def test_reconciliation_is_seen_only_while_open_and_recorded_then_or_outside_independent_mode(
    mode: tuple[bool, bool], expected: tuple[bool, bool]
) -> None:
    independent, is_open = mode
    found = tuple(
        reconciliation_allows(
            Role.LEAD, action, independent=independent, reconciliation_open=is_open
        )
        for action in (A.SEE_RECONCILIATION, A.RECONCILE)
    )
    assert found == expected


def test_reconciliation_still_asks_who_the_actor_is() -> None:
    open_ = {"independent": True, "reconciliation_open": True}
    assert reconciliation_allows(Role.ASSESSOR, A.SEE_RECONCILIATION, **open_)
    assert not reconciliation_allows(Role.ASSESSOR, A.RECONCILE, **open_)
    assert not reconciliation_allows(Role.REVIEWER, A.SEE_RECONCILIATION, **open_)
    assert not reconciliation_allows(None, A.RECONCILE, **open_)
    assert reconciliation_allows(None, A.RECONCILE, **open_, is_admin=True)
    # Other actions never pass the reconciliation rule, open or not.
    assert not reconciliation_allows(Role.LEAD, A.EDIT, independent=False, reconciliation_open=True)


@pytest.mark.django_db
def test_who_may_create_assessments_under_each_setting(settings: Any) -> None:
    plain = User.objects.create_user("plain")
    staff = User.objects.create_user("staff-member", is_staff=True)
    admin = User.objects.create_user("site-admin", is_superuser=True)
    inactive = User.objects.create_user("gone", is_active=False, is_staff=True)
    member = User.objects.create_user("in-group")
    member.groups.add(Group.objects.create(name="assessment-makers"))
    people: dict[str, User | AnonymousUser] = {"plain": plain, "staff": staff, "admin": admin}
    people |= {"inactive": inactive, "member": member, "anonymous": AnonymousUser()}
    expected = {
        "everyone": {"plain", "staff", "admin", "member"},
        "staff": {"staff", "admin"},
        "assessment-makers": {"admin", "member"},
    }
    for creators, who in expected.items():
        settings.ASSESSMENT_CREATORS = creators
        assert {n for n, person in people.items() if may_create_assessments(person)} == who
        assert may_create_assessments(None)  # the system: the CLI without --as
