"""The review workflow: who may move an assessment where, what is frozen while
it is under review, and the numbered publications it leaves behind."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from readiness.assessments import services as assessment_services
from readiness.assessments.documents import export_assessment
from readiness.assessments.models import Assessment, QuestionRating
from readiness.assessments.permissions import TRANSITIONS, Role, State
from readiness.core.errors import Forbidden, InvalidInput, NotFound, WrongState
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Question
from readiness.reviews import services
from readiness.reviews.models import Publication

pytestmark = pytest.mark.django_db

ROLES = [Role.LEAD, Role.ASSESSOR, Role.REVIEWER, Role.COUNTERPART]


def put_in(assessment: Assessment, state: State) -> Assessment:
    """Place the assessment in a state directly, without the workflow."""
    Assessment.objects.filter(pk=assessment.pk).update(state=state)
    assessment.refresh_from_db()
    return assessment


def move(actor: User, assessment: Assessment, target: State) -> Assessment:
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


def transition_cases() -> list[tuple[Role, State, State, type[Exception] | None]]:
    cases: list[tuple[Role, State, State, type[Exception] | None]] = []
    for (source, target), allowed_roles in TRANSITIONS.items():
        for role in ROLES:
            cases.append((role, source, target, None if role in allowed_roles else Forbidden))
    return cases


@pytest.mark.parametrize(
    ("role", "source", "target", "refusal"),
    transition_cases(),
    ids=[f"{r.value}:{s.value}->{t.value}" for r, s, t, _ in transition_cases()],
)
def test_each_transition_is_open_only_to_its_roles(
    request, demo, role, source, target, refusal
) -> None:  # type: ignore[no-untyped-def]
    actor = request.getfixturevalue(role.value)
    demo = put_in(demo, source)
    if refusal is not None:
        with pytest.raises(refusal):
            move(actor, demo, target)
        assert Assessment.objects.get(pk=demo.pk).state == source
        assert workflow_changes(demo) == []
        return
    moved = move(actor, demo, target)
    assert moved.state == target
    assert Assessment.objects.get(pk=demo.pk).state == target
    [change] = workflow_changes(demo)
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


def test_a_site_administrator_may_take_any_transition(demo) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.create_superuser(username="admin", password="x")
    demo = move(admin, demo, State.IN_REVIEW)
    demo = move(admin, demo, State.APPROVED)
    demo = move(admin, demo, State.PUBLISHED)
    assert services.latest_publication(demo.slug).published_by == admin


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
