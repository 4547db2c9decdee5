"""The workflow's refusals word for word (which one a person sees says what
to do next), and what the history keeps of a publication with gaps."""

import pytest

from readiness.assessments.models import QuestionRating
from readiness.assessments.permissions import State
from readiness.core.errors import Forbidden, InvalidInput, NotFound, WrongState
from readiness.core.models import ChangeRecord
from readiness.reviews import services

pytestmark = pytest.mark.django_db


def test_a_member_whose_role_may_not_take_a_step_is_told_so(demo, assessor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden) as refused:
        services.move_to(actor=assessor, assessment=demo, target=State.IN_REVIEW)
    assert str(refused.value) == "Your role on this assessment does not allow this step."


def test_a_step_the_workflow_does_not_have_names_both_states(demo, lead) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WrongState) as refused:
        services.move_to(actor=lead, assessment=demo, target=State.APPROVED)
    assert str(refused.value) == "An assessment that is Draft cannot become Approved."


def test_an_unknown_state_lists_the_states_there_are(demo, lead) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        services.move_to(actor=lead, assessment=demo, target="done")
    assert [(e.path, e.message) for e in refused.value.errors] == [
        (
            "state",
            "must be one of: draft, in_review, changes_requested, approved, published, archived",
        )
    ]


def test_the_submitter_is_told_that_someone_else_must_decide(demo, lead) -> None:  # type: ignore[no-untyped-def]
    demo = services.move_to(actor=None, assessment=demo, target=State.IN_REVIEW)
    demo = services.move_to(actor=None, assessment=demo, target=State.CHANGES_REQUESTED)
    demo = services.move_to(actor=lead, assessment=demo, target=State.IN_REVIEW)
    with pytest.raises(Forbidden) as refused:
        services.move_to(actor=lead, assessment=demo, target=State.CHANGES_REQUESTED)
    assert str(refused.value) == (
        "You submitted this assessment for review; someone else must approve it or request changes."
    )


def test_the_history_of_a_publication_with_gaps_keeps_the_reason(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    QuestionRating.objects.filter(
        assessment=demo, question__framework__key="dgra", question__key="1.1"
    ).delete()
    demo = services.move_to(actor=lead, assessment=demo, target=State.IN_REVIEW)
    demo = services.move_to(actor=reviewer, assessment=demo, target=State.APPROVED)
    services.move_to(
        actor=lead, assessment=demo, target=State.PUBLISHED, gaps_reason="1.1 is asked again."
    )
    last = ChangeRecord.objects.filter(assessment=demo, entity="workflow").order_by("-id").first()
    assert last is not None
    assert (last.before, last.after) == (
        {"state": "approved"},
        {"state": "published", "gaps_reason": "1.1 is asked again."},
    )


def test_the_checklist_is_for_the_team_only(demo, counterpart, outsider) -> None:  # type: ignore[no-untyped-def]
    assert services.readiness_of(counterpart, demo).coverage == "109 of 109 questions rated"
    with pytest.raises(NotFound):
        services.readiness_of(outsider, demo)


def test_the_latest_publication_comes_with_its_people_in_one_query(
    demo, lead, reviewer, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    demo = services.move_to(actor=lead, assessment=demo, target=State.IN_REVIEW)
    demo = services.move_to(actor=reviewer, assessment=demo, target=State.APPROVED)
    services.move_to(actor=lead, assessment=demo, target=State.PUBLISHED)
    with django_assert_num_queries(1):
        publication = services.latest_publication("vietnam-2019")
        people = (publication.submitted_by, publication.approved_by, publication.published_by)
        assert publication.assessment.slug == "vietnam-2019"
    assert people == (lead, reviewer, lead)


def approved(demo, lead, reviewer):  # type: ignore[no-untyped-def]
    demo = services.move_to(actor=lead, assessment=demo, target=State.IN_REVIEW)
    return services.move_to(actor=reviewer, assessment=demo, target=State.APPROVED)


def publishing_refusal(demo, lead, gaps_reason: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        services.move_to(
            actor=lead, assessment=demo, target=State.PUBLISHED, gaps_reason=gaps_reason
        )
    return [(e.path, e.message) for e in refused.value.errors]


def test_publishing_with_gaps_and_no_reason_names_the_gaps(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    QuestionRating.objects.filter(
        assessment=demo, question__framework__key="dgra", question__key__in=["1.1", "1.2"]
    ).delete()
    demo = approved(demo, lead, reviewer)
    assert publishing_refusal(demo, lead, "  ") == [
        (
            "gaps_reason",
            "Not ready to publish: 2 questions are not rated. "
            "Complete these, or publish with gaps and give the reason.",
        )
    ]
    assert publishing_refusal(demo, lead, "x" * 20_001)[0][0] == "gaps_reason"


def test_a_reason_without_gaps_is_refused_at_the_reason(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    demo = approved(demo, lead, reviewer)
    assert publishing_refusal(demo, lead, "Just in case.") == [
        ("gaps_reason", "Nothing required is missing: publish without a reason.")
    ]


def test_an_assessment_never_published_has_no_latest_publication(demo) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound) as missing:
        services.latest_publication("vietnam-2019")
    assert str(missing.value) == "no published assessment named vietnam-2019"
