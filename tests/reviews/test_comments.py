"""Comment threads on an assessment, a dimension or a question, and who may
resolve and reopen them."""

import pytest
from django.contrib.auth.models import User

from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import Role
from readiness.core.errors import Forbidden, InvalidInput, NotFound
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Dimension, Question
from readiness.reviews import services
from readiness.reviews.models import Comment

pytestmark = pytest.mark.django_db

MEMBERS = ["lead", "assessor", "reviewer", "counterpart"]


@pytest.fixture
def dimension(demo: Assessment) -> Dimension:
    return Dimension.objects.get(framework__key="dgra", key="1")


@pytest.fixture
def question(demo: Assessment) -> Question:
    return Question.objects.get(framework__key="dgra", key="1.2")


def field_errors(error: InvalidInput) -> set[str]:
    return {e.path for e in error.errors}


def comment_changes(comment: Comment) -> list[ChangeRecord]:
    return list(ChangeRecord.objects.filter(entity="comment", entity_id=comment.pk))


@pytest.mark.parametrize("role", MEMBERS)
def test_any_member_can_comment_on_the_assessment(request, demo, role) -> None:  # type: ignore[no-untyped-def]
    author = request.getfixturevalue(role)
    comment = services.add_comment(actor=author, assessment=demo, text="  Looks complete.  ")
    assert comment.text == "Looks complete."
    assert comment.author == author
    assert (comment.dimension, comment.question, comment.parent) == (None, None, None)


@pytest.mark.parametrize("role", MEMBERS)
def test_any_member_can_comment_on_a_dimension(request, demo, dimension, role) -> None:  # type: ignore[no-untyped-def]
    author = request.getfixturevalue(role)
    comment = services.add_comment(
        actor=author, assessment=demo, text="Leadership is strong.", dimension=dimension
    )
    assert comment.dimension == dimension and comment.question is None


@pytest.mark.parametrize("role", MEMBERS)
def test_any_member_can_comment_on_a_question(request, demo, question, role) -> None:  # type: ignore[no-untyped-def]
    author = request.getfixturevalue(role)
    comment = services.add_comment(
        actor=author, assessment=demo, text="Which decree?", question=question
    )
    assert comment.question == question
    assert comment.dimension == question.dimension


def test_an_outsider_cannot_comment(demo, outsider) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.add_comment(actor=outsider, assessment=demo, text="Hello")
    assert not Comment.objects.filter(assessment=demo).exists()


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_comment_is_invalid(demo, reviewer, text) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.add_comment(actor=reviewer, assessment=demo, text=text)
    assert field_errors(raised.value) == {"text"}
    assert not Comment.objects.filter(assessment=demo).exists()


def test_an_overlong_comment_is_invalid(demo, reviewer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.add_comment(actor=reviewer, assessment=demo, text="x" * 20_001)
    assert field_errors(raised.value) == {"text"}


def test_a_reply_joins_the_thread_and_inherits_its_target(
    demo, reviewer, assessor, question
) -> None:  # type: ignore[no-untyped-def]
    root = services.add_comment(
        actor=reviewer, assessment=demo, text="Which decree?", question=question
    )
    reply = services.add_comment(
        actor=assessor, assessment=demo, text="Decree 47.", reply_to=root.pk
    )
    assert reply.parent == root
    assert (reply.question, reply.dimension) == (question, question.dimension)


def test_a_reply_ignores_a_target_given_with_it(
    demo, reviewer, assessor, question, dimension
) -> None:  # type: ignore[no-untyped-def]
    root = services.add_comment(actor=reviewer, assessment=demo, text="Overall fine.")
    reply = services.add_comment(
        actor=assessor,
        assessment=demo,
        text="Agreed.",
        reply_to=root.pk,
        question=question,
        dimension=dimension,
    )
    assert reply.parent == root
    assert (reply.question, reply.dimension) == (None, None)


def test_a_reply_to_a_reply_attaches_to_the_root(demo, reviewer, assessor, lead, dimension) -> None:  # type: ignore[no-untyped-def]
    root = services.add_comment(
        actor=reviewer, assessment=demo, text="Yellow or Yellow/Red?", dimension=dimension
    )
    reply = services.add_comment(actor=assessor, assessment=demo, text="Yellow.", reply_to=root.pk)
    nested = services.add_comment(
        actor=lead, assessment=demo, text="Agreed, Yellow.", reply_to=reply.pk
    )
    assert nested.parent == root
    assert nested.dimension == dimension and nested.question is None
    assert list(root.replies.order_by("id")) == [reply, nested]


def test_a_reply_to_an_unknown_comment_is_invalid(demo, reviewer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.add_comment(actor=reviewer, assessment=demo, text="Reply", reply_to=999_999)
    assert field_errors(raised.value) == {"reply_to"}


def test_a_reply_to_a_comment_of_another_assessment_is_invalid(demo, reviewer, lead) -> None:  # type: ignore[no-untyped-def]
    other = Assessment.objects.create(
        slug="other", title="Other", subject_kind="country", subject_code="LA"
    )
    Membership.objects.create(assessment=other, user=lead, role=Role.LEAD)
    elsewhere = services.add_comment(actor=lead, assessment=other, text="Elsewhere")
    with pytest.raises(InvalidInput) as raised:
        services.add_comment(actor=reviewer, assessment=demo, text="Reply", reply_to=elsewhere.pk)
    assert field_errors(raised.value) == {"reply_to"}


def test_a_comment_is_recorded_in_history(demo, counterpart, question) -> None:  # type: ignore[no-untyped-def]
    comment = services.add_comment(
        actor=counterpart, assessment=demo, text="We disagree.", question=question
    )
    [change] = comment_changes(comment)
    assert change.action == ChangeRecord.Action.CREATE
    assert change.actor == counterpart
    assert change.assessment == demo
    assert change.before is None
    assert change.after == {
        "text": "We disagree.",
        "dimension": "1",
        "question": "1.2",
        "thread": None,
        "resolved": False,
    }


def test_a_reply_is_recorded_with_its_thread(demo, reviewer, assessor) -> None:  # type: ignore[no-untyped-def]
    root = services.add_comment(actor=reviewer, assessment=demo, text="Question")
    reply = services.add_comment(actor=assessor, assessment=demo, text="Answer", reply_to=root.pk)
    [change] = comment_changes(reply)
    assert change.after["thread"] == root.pk


@pytest.fixture
def thread(demo, counterpart, question) -> Comment:  # type: ignore[no-untyped-def]
    return services.add_comment(
        actor=counterpart, assessment=demo, text="Please check 1.2.", question=question
    )


def resolve(actor: User, assessment: Assessment, thread: Comment, resolved: bool) -> Comment:
    return services.set_thread_resolved(
        actor=actor, assessment=assessment, thread_id=thread.pk, resolved=resolved
    )


@pytest.mark.parametrize("role", ["counterpart", "lead", "reviewer"])
def test_the_author_the_lead_and_a_reviewer_may_resolve_and_reopen(
    request, demo, thread, role
) -> None:  # type: ignore[no-untyped-def]
    actor = request.getfixturevalue(role)
    resolved = resolve(actor, demo, thread, True)
    assert resolved.resolved_at is not None and resolved.resolved_by == actor
    reopened = resolve(actor, demo, thread, False)
    assert reopened.resolved_at is None and reopened.resolved_by is None
    thread.refresh_from_db()
    assert thread.resolved_at is None


def test_an_assessor_who_is_not_the_author_cannot_resolve(demo, thread, assessor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden):
        resolve(assessor, demo, thread, True)
    thread.refresh_from_db()
    assert thread.resolved_at is None


def test_an_assessor_who_is_not_the_author_cannot_reopen(demo, thread, reviewer, assessor) -> None:  # type: ignore[no-untyped-def]
    resolve(reviewer, demo, thread, True)
    with pytest.raises(Forbidden):
        resolve(assessor, demo, thread, False)
    thread.refresh_from_db()
    assert thread.resolved_at is not None and thread.resolved_by == reviewer


def test_an_assessor_may_resolve_their_own_thread(demo, assessor) -> None:  # type: ignore[no-untyped-def]
    own = services.add_comment(actor=assessor, assessment=demo, text="Mine")
    assert resolve(assessor, demo, own, True).resolved_at is not None


def test_another_counterpart_cannot_resolve_a_thread_they_did_not_write(demo, thread) -> None:  # type: ignore[no-untyped-def]
    second = User.objects.create_user(username="counterpart2")
    Membership.objects.create(assessment=demo, user=second, role=Role.COUNTERPART)
    with pytest.raises(Forbidden):
        resolve(second, demo, thread, True)


def test_an_outsider_cannot_resolve(demo, thread, outsider) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        resolve(outsider, demo, thread, True)


def test_only_a_thread_not_a_reply_can_be_resolved(demo, thread, lead) -> None:  # type: ignore[no-untyped-def]
    reply = services.add_comment(actor=lead, assessment=demo, text="Done", reply_to=thread.pk)
    with pytest.raises(NotFound):
        resolve(lead, demo, reply, True)
    with pytest.raises(NotFound):
        services.set_thread_resolved(actor=lead, assessment=demo, thread_id=999_999, resolved=True)


def test_resolving_and_reopening_are_recorded_in_history(demo, thread, reviewer, lead) -> None:  # type: ignore[no-untyped-def]
    resolve(reviewer, demo, thread, True)
    resolve(lead, demo, thread, False)
    changes = comment_changes(thread)
    assert [c.action for c in changes] == ["create", "update", "update"]
    assert [c.actor for c in changes[1:]] == [reviewer, lead]
    assert (changes[1].before["resolved"], changes[1].after["resolved"]) == (False, True)
    assert (changes[2].before["resolved"], changes[2].after["resolved"]) == (True, False)
    assert changes[2].after["text"] == "Please check 1.2."
