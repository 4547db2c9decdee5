"""Restoring earlier values from the change history, and managing the team."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from readiness.assessments import services
from readiness.assessments.access import access_to, require, visible_assessments
from readiness.assessments.models import (
    Assessment,
    DimensionVerdict,
    Evidence,
    Membership,
    QuestionRating,
)
from readiness.assessments.permissions import Action, Role
from readiness.core.errors import EditConflict, Forbidden, InvalidInput, NotFound, WrongState
from readiness.core.history import check_version, record_change
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Dimension, Question
from readiness.reviews import services as reviews

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(demo: Assessment) -> Question:
    return Question.objects.get(framework__key="dgra", key="1.1")


@pytest.fixture
def dimension(demo: Assessment) -> Dimension:
    return Dimension.objects.get(framework__key="dgra", key="1")


def field_errors(error: InvalidInput) -> set[str]:
    return {e.path for e in error.errors}


def rating_of(assessment: Assessment, question: Question) -> QuestionRating:
    return QuestionRating.objects.get(assessment=assessment, question=question)


def rate(actor: User, assessment: Assessment, question: Question, level: str, rationale: str):  # type: ignore[no-untyped-def]
    return services.rate_question(
        actor=actor,
        assessment=assessment,
        question=question,
        level_code=level,
        rationale=rationale,
        expected_version=rating_of(assessment, question).version,
    )


def last_change(assessment: Assessment, entity: str) -> ChangeRecord:
    return ChangeRecord.objects.filter(assessment=assessment, entity=entity).latest("id")


def restore(actor: User, assessment: Assessment, change: ChangeRecord) -> ChangeRecord:
    return services.restore_change(actor=actor, assessment=assessment, change_id=change.pk)


# --- restoring ratings ---------------------------------------------------------------------


def test_restoring_a_rating_change_brings_back_its_value_as_a_new_version(
    demo, assessor, lead, question
) -> None:  # type: ignore[no-untyped-def]
    rate(assessor, demo, question, "green", "first")
    first = last_change(demo, "rating")
    rate(assessor, demo, question, "red", "second")
    changes_before = ChangeRecord.objects.filter(assessment=demo).count()

    restored = restore(lead, demo, first)

    rating = rating_of(demo, question)
    assert (rating.level.code, rating.rationale, rating.version) == ("green", "first", 4)
    assert rating.updated_by == lead
    assert ChangeRecord.objects.filter(assessment=demo).count() == changes_before + 1
    assert restored == last_change(demo, "rating")
    assert restored.pk > first.pk and restored.entity_id == rating.pk
    assert restored.action == ChangeRecord.Action.UPDATE and restored.actor == lead
    assert restored.before["level"] == "red" and restored.after["level"] == "green"
    assert restored.after["version"] == 4


def test_restoring_a_rating_keeps_the_cited_evidence_that_still_exists(
    demo, assessor, question
) -> None:  # type: ignore[no-untyped-def]
    kept, removed = (
        services.add_evidence(
            actor=assessor,
            assessment=demo,
            question=question,
            sign="+",
            text=text,
            source_kind="document",
        )
        for text in ["Kept", "Removed"]
    )
    services.rate_question(
        actor=assessor,
        assessment=demo,
        question=question,
        level_code="green",
        cited_evidence_ids=[kept.pk, removed.pk],
        expected_version=1,
    )
    cited = last_change(demo, "rating")
    rate(assessor, demo, question, "red", "no citations")
    services.delete_evidence(
        actor=assessor, assessment=demo, evidence_id=removed.pk, expected_version=1
    )
    restore(assessor, demo, cited)
    assert list(rating_of(demo, question).cited_evidence.all()) == [kept]


# --- restoring evidence --------------------------------------------------------------------


def test_restoring_a_deletion_brings_the_evidence_back_as_a_new_item(
    demo, assessor, question
) -> None:  # type: ignore[no-untyped-def]
    item = services.add_evidence(
        actor=assessor,
        assessment=demo,
        question=question,
        sign="-",
        text="No budget line for digital government.",
        source_kind="interview",
        reference_title="Interview with MoF",
        author="Field team",
    )
    services.delete_evidence(
        actor=assessor, assessment=demo, evidence_id=item.pk, expected_version=1
    )
    deletion = last_change(demo, "evidence")
    assert deletion.action == ChangeRecord.Action.DELETE
    assert not Evidence.objects.filter(pk=item.pk).exists()

    restored = restore(assessor, demo, deletion)

    back = Evidence.objects.get(assessment=demo, text="No budget line for digital government.")
    assert back.pk != item.pk
    assert (back.question, back.sign, back.source_kind) == (question, "-", "interview")
    assert (back.reference_title, back.author) == ("Interview with MoF", "Field team")
    assert restored.entity == "evidence" and restored.entity_id == back.pk
    assert restored.action == ChangeRecord.Action.CREATE


def test_restoring_an_evidence_edit_brings_back_the_earlier_text(demo, assessor, question) -> None:  # type: ignore[no-untyped-def]
    item = services.add_evidence(
        actor=assessor,
        assessment=demo,
        question=question,
        sign="+",
        text="Original",
        source_kind="document",
    )
    created = last_change(demo, "evidence")
    services.update_evidence(
        actor=assessor,
        assessment=demo,
        evidence_id=item.pk,
        expected_version=1,
        changes={"text": "Rewritten", "sign": "o"},
    )
    restore(assessor, demo, created)
    item.refresh_from_db()
    assert (item.text, item.sign, item.version) == ("Original", "+", 3)


# --- restoring verdicts --------------------------------------------------------------------


def record_verdict(actor: User, assessment: Assessment, dimension: Dimension, level: str, **kw):  # type: ignore[no-untyped-def]
    current = DimensionVerdict.objects.get(assessment=assessment, dimension=dimension)
    return services.record_verdict(
        actor=actor,
        assessment=assessment,
        dimension=dimension,
        level_code=level,
        expected_version=current.version,
        **kw,
    )


def test_restoring_a_verdict_change_brings_back_level_commentary_and_reason(
    demo, lead, assessor, dimension
) -> None:  # type: ignore[no-untyped-def]
    record_verdict(
        lead, demo, dimension, "red", commentary="Harsh", override_reason="Implementation lags."
    )
    harsh = last_change(demo, "verdict")
    suggested = services.dimension_suggestion(demo, dimension).level.code
    record_verdict(lead, demo, dimension, suggested, commentary="As suggested")

    restored = restore(assessor, demo, harsh)

    verdict = DimensionVerdict.objects.get(assessment=demo, dimension=dimension)
    assert (verdict.level.code, verdict.commentary) == ("red", "Harsh")
    assert verdict.override_reason == "Implementation lags."
    assert verdict.version == 4
    assert restored.entity == "verdict" and restored.before["level"] == suggested
    assert restored.after["level"] == "red"


# --- what cannot be restored, and by whom -----------------------------------------------------


@pytest.fixture
def change_elsewhere(question) -> ChangeRecord:  # type: ignore[no-untyped-def]
    """An evidence change on another assessment, made from the CLI."""
    other = services.create_assessment(
        actor=None,
        slug="laos-2026",
        title="Laos",
        subject_kind="country",
        subject_code="LA",
        frameworks=[question.framework],
    )
    services.add_evidence(
        actor=None,
        assessment=other,
        question=question,
        sign="+",
        text="Elsewhere",
        source_kind="document",
    )
    return last_change(other, "evidence")


def test_a_change_of_another_assessment_is_not_found(demo, lead, change_elsewhere) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.restore_change(actor=lead, assessment=demo, change_id=change_elsewhere.pk)


def test_an_unknown_change_is_not_found(demo, lead) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.restore_change(actor=lead, assessment=demo, change_id=999_999_999)


def test_a_workflow_or_team_change_cannot_be_restored(demo, lead, assessor, reviewer) -> None:  # type: ignore[no-untyped-def]
    services.set_member(actor=lead, assessment=demo, username="assessor", role=Role.REVIEWER)
    demo = reviews.move_to(actor=lead, assessment=demo, target="in_review")
    demo = reviews.move_to(actor=reviewer, assessment=demo, target="changes_requested")
    for entity in ["team", "workflow"]:
        with pytest.raises(InvalidInput) as raised:
            restore(lead, demo, last_change(demo, entity))
        assert field_errors(raised.value) == {"change"}
    assert demo.state == "changes_requested"


@pytest.mark.parametrize("role", ["reviewer", "counterpart"])
def test_reviewers_and_counterparts_cannot_restore(request, demo, assessor, question, role) -> None:  # type: ignore[no-untyped-def]
    rate(assessor, demo, question, "green", "first")
    first = last_change(demo, "rating")
    rate(assessor, demo, question, "red", "second")
    with pytest.raises(Forbidden):
        restore(request.getfixturevalue(role), demo, first)
    assert rating_of(demo, question).level.code == "red"


def test_an_outsider_cannot_restore(demo, outsider, assessor, question) -> None:  # type: ignore[no-untyped-def]
    rate(assessor, demo, question, "green", "first")
    with pytest.raises(NotFound):
        restore(outsider, demo, last_change(demo, "rating"))


def test_nothing_is_restored_while_the_assessment_is_in_review(
    demo, lead, assessor, question
) -> None:  # type: ignore[no-untyped-def]
    rate(assessor, demo, question, "green", "first")
    first = last_change(demo, "rating")
    rate(assessor, demo, question, "red", "second")
    in_review = reviews.move_to(actor=lead, assessment=demo, target="in_review")
    with pytest.raises(WrongState):
        restore(lead, in_review, first)
    assert rating_of(demo, question).level.code == "red"


def test_an_assessor_cannot_change_the_agreed_rating_by_restoring_in_independent_mode(
    demo, lead, assessor, question
) -> None:  # type: ignore[no-untyped-def]
    """record_agreed_rating lets only the lead, and only once reconciliation is
    open, set the agreed rating; a restore must not be a way around that."""
    rate(assessor, demo, question, "green", "first")
    earlier = last_change(demo, "rating")
    rate(assessor, demo, question, "red", "second")
    services.set_rating_mode(
        actor=lead, assessment=demo, independent=True, reconciliation_open=False
    )
    with pytest.raises(Forbidden):
        restore(assessor, demo, earlier)
    assert rating_of(demo, question).level.code == "red"


def test_the_lead_cannot_restore_an_agreed_rating_before_reconciliation_opens(
    demo, lead, assessor, question
) -> None:  # type: ignore[no-untyped-def]
    """record_agreed_rating refuses even the lead until reconciliation opens."""
    rate(assessor, demo, question, "green", "first")
    earlier = last_change(demo, "rating")
    rate(assessor, demo, question, "red", "second")
    services.set_rating_mode(
        actor=lead, assessment=demo, independent=True, reconciliation_open=False
    )
    with pytest.raises(Forbidden):
        restore(lead, demo, earlier)
    assert rating_of(demo, question).level.code == "red"


def test_the_lead_restores_an_agreed_rating_once_reconciliation_is_open(
    demo, lead, assessor, question
) -> None:  # type: ignore[no-untyped-def]
    rate(assessor, demo, question, "green", "first")
    earlier = last_change(demo, "rating")
    rate(assessor, demo, question, "red", "second")
    services.set_rating_mode(
        actor=lead, assessment=demo, independent=True, reconciliation_open=True
    )
    restore(lead, demo, earlier)
    assert rating_of(demo, question).level.code == "green"


# --- the team ------------------------------------------------------------------------------


def roles(assessment: Assessment) -> dict[str, str]:
    return dict(assessment.memberships.values_list("user__username", "role"))


def test_the_lead_adds_a_member_and_changes_their_role(demo, lead, outsider) -> None:  # type: ignore[no-untyped-def]
    services.set_member(actor=lead, assessment=demo, username="outsider", role=Role.REVIEWER)
    assert roles(demo)["outsider"] == Role.REVIEWER
    assert require(outsider, demo).role == Role.REVIEWER
    services.set_member(actor=lead, assessment=demo, username="outsider", role=Role.ASSESSOR)
    assert roles(demo)["outsider"] == Role.ASSESSOR
    change = last_change(demo, "team")
    assert change.before["outsider"] == "reviewer" and change.after["outsider"] == "assessor"
    assert change.actor == lead


def test_the_lead_removes_a_member_who_then_finds_nothing(demo, lead, assessor) -> None:  # type: ignore[no-untyped-def]
    services.remove_member(actor=lead, assessment=demo, username="assessor")
    assert "assessor" not in roles(demo)
    change = last_change(demo, "team")
    assert "assessor" in change.before and "assessor" not in change.after
    with pytest.raises(NotFound):
        require(assessor, demo)


@pytest.mark.parametrize("role", ["assessor", "reviewer", "counterpart"])
def test_only_the_lead_manages_the_team(request, demo, lead, outsider, role) -> None:  # type: ignore[no-untyped-def]
    actor = request.getfixturevalue(role)
    with pytest.raises(Forbidden):
        services.set_member(actor=actor, assessment=demo, username="outsider", role=Role.LEAD)
    with pytest.raises(Forbidden):
        services.remove_member(actor=actor, assessment=demo, username="lead")
    assert "outsider" not in roles(demo) and roles(demo)["lead"] == Role.LEAD


def test_an_outsider_cannot_add_themselves(demo, outsider) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.set_member(actor=outsider, assessment=demo, username="outsider", role=Role.LEAD)
    assert "outsider" not in roles(demo)


def test_set_member_checks_the_role_and_the_user(demo, lead, outsider) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.set_member(actor=lead, assessment=demo, username="outsider", role="owner")
    assert field_errors(raised.value) == {"role"}
    with pytest.raises(InvalidInput) as raised:
        services.set_member(actor=lead, assessment=demo, username="nobody", role=Role.ASSESSOR)
    assert field_errors(raised.value) == {"username"}
    outsider.is_active = False
    outsider.save()
    with pytest.raises(InvalidInput):
        services.set_member(actor=lead, assessment=demo, username="outsider", role=Role.ASSESSOR)


def test_removing_someone_not_on_the_team_is_not_found(demo, lead, outsider) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.remove_member(actor=lead, assessment=demo, username="outsider")


@pytest.fixture
def sole_lead(demo, lead) -> User:  # type: ignore[no-untyped-def]
    """The demo user is a lead as well; take them off the team first."""
    services.remove_member(actor=lead, assessment=demo, username="demo")
    assert [u for u, r in roles(demo).items() if r == Role.LEAD] == ["lead"]
    return lead


def test_the_last_lead_cannot_be_removed(demo, sole_lead) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.remove_member(actor=sole_lead, assessment=demo, username="lead")
    assert field_errors(raised.value) == {"username"}
    assert roles(demo)["lead"] == Role.LEAD


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.REVIEWER, Role.COUNTERPART])
def test_the_last_lead_cannot_be_demoted(demo, sole_lead, role) -> None:  # type: ignore[no-untyped-def]
    changes = ChangeRecord.objects.filter(assessment=demo, entity="team").count()
    with pytest.raises(InvalidInput) as raised:
        services.set_member(actor=sole_lead, assessment=demo, username="lead", role=role)
    assert field_errors(raised.value) == {"role"}
    assert roles(demo)["lead"] == Role.LEAD
    assert ChangeRecord.objects.filter(assessment=demo, entity="team").count() == changes


def test_a_lead_may_step_down_once_there_is_another_lead(demo, sole_lead, assessor) -> None:  # type: ignore[no-untyped-def]
    services.set_member(actor=sole_lead, assessment=demo, username="assessor", role=Role.LEAD)
    services.set_member(actor=sole_lead, assessment=demo, username="lead", role=Role.REVIEWER)
    assert roles(demo)["lead"] == Role.REVIEWER and roles(demo)["assessor"] == Role.LEAD


# --- access --------------------------------------------------------------------------------


def test_an_outsider_does_not_find_the_working_draft(demo, outsider) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        require(outsider, demo)
    with pytest.raises(NotFound):
        require(AnonymousUser(), demo)
    assert not access_to(outsider, demo).is_member
    assert demo not in visible_assessments(outsider)
    assert not visible_assessments(AnonymousUser()).exists()


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        ("lead", Action.MANAGE_TEAM, True),
        ("lead", Action.RECONCILE, True),
        ("assessor", Action.EDIT, True),
        ("assessor", Action.MANAGE_TEAM, False),
        ("assessor", Action.RESOLVE_COMMENTS, False),
        ("reviewer", Action.EDIT, False),
        ("reviewer", Action.RESOLVE_COMMENTS, True),
        ("counterpart", Action.VIEW, True),
        ("counterpart", Action.COMMENT, True),
        ("counterpart", Action.EDIT, False),
    ],
)
def test_require_follows_the_permission_table(request, demo, role, action, allowed) -> None:  # type: ignore[no-untyped-def]
    actor = request.getfixturevalue(role)
    assert demo in visible_assessments(actor)
    if allowed:
        assert require(actor, demo, action).role == Role(role)
    else:
        with pytest.raises(Forbidden):
            require(actor, demo, action)


def test_the_system_actor_and_site_administrators_may_do_everything(demo) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.create_superuser(username="admin", password="x")
    for actor in [None, admin]:
        access = require(actor, demo, Action.MANAGE_TEAM)
        assert access.is_admin and access.can_edit_now
    assert not Membership.objects.filter(assessment=demo, user=admin).exists()


# --- optimistic locking --------------------------------------------------------------------


def test_a_save_based_on_a_version_newer_than_the_stored_one_is_refused(
    demo, assessor, question
) -> None:  # type: ignore[no-untyped-def]
    stored = rating_of(demo, question)
    with pytest.raises(EditConflict) as raised:
        services.rate_question(
            actor=assessor,
            assessment=demo,
            question=question,
            level_code="green",
            rationale="from the future",
            expected_version=stored.version + 1,
        )
    assert raised.value.current_version == stored.version
    assert raised.value.current["level"] == stored.level.code
    assert f"(now version {stored.version})" in str(raised.value)
    after = rating_of(demo, question)
    assert (after.level_id, after.rationale, after.version) == (
        stored.level_id,
        stored.rationale,
        stored.version,
    )


def test_check_version_accepts_only_the_stored_version() -> None:
    check_version(what="It", current_version=3, expected_version=3, current={})
    for expected in (2, 4, None):
        with pytest.raises(EditConflict) as raised:
            check_version(what="It", current_version=3, expected_version=expected, current={"a": 1})
        assert (raised.value.current_version, raised.value.current) == (3, {"a": 1})
        assert str(raised.value).startswith("It was changed by someone else")


def test_a_change_record_is_a_creation_an_update_or_a_deletion(demo, assessor) -> None:  # type: ignore[no-untyped-def]
    def record(before: dict | None, after: dict | None, actor=assessor) -> ChangeRecord:  # type: ignore[no-untyped-def]
        return record_change(
            assessment_id=demo.pk,
            entity="evidence",
            entity_id=7,
            actor=actor,
            before=before,
            after=after,
            question_id=None,
        )

    created = record(None, {"text": "new"})
    assert (created.action, created.before, created.after) == ("create", None, {"text": "new"})
    assert (created.actor, created.entity, created.entity_id) == (assessor, "evidence", 7)
    assert record({"text": "old"}, {"text": "new"}).action == "update"
    assert record({"text": "old"}, None).action == "delete"
    assert record(None, {"text": "x"}, actor=None).actor is None
    assert record(None, {"text": "x"}, actor=AnonymousUser()).actor is None
