"""Independent rating: each assessor rates alone, the ratings stay private
until the lead opens reconciliation, and the lead then records the agreed
rating with the spread and agreement statistics in view."""

import pytest
from django.contrib.auth.models import User

from readiness.assessments import selectors, services
from readiness.assessments.access import require_reconciliation
from readiness.assessments.models import (
    Assessment,
    IndependentRating,
    Membership,
    QuestionRating,
)
from readiness.assessments.permissions import Action, Role
from readiness.core.errors import Forbidden, NotFound
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Dimension, Question
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_assessor(demo: Assessment) -> User:
    user = User.objects.create_user(username="assessor2")
    Membership.objects.create(assessment=demo, user=user, role=Role.ASSESSOR)
    return user


@pytest.fixture
def dimension(demo: Assessment) -> Dimension:
    return Dimension.objects.get(framework__key="dgra", key="1")


def dgra_question(key: str) -> Question:
    return Question.objects.get(framework__key="dgra", key=key)


@pytest.fixture
def question() -> Question:
    return dgra_question("1.1")


def set_mode(actor: User, assessment: Assessment, *, independent: bool, open: bool) -> Assessment:
    return services.set_rating_mode(
        actor=actor, assessment=assessment, independent=independent, reconciliation_open=open
    )


@pytest.fixture
def independent(demo, lead) -> Assessment:  # type: ignore[no-untyped-def]
    return set_mode(lead, demo, independent=True, open=False)


def rate(actor: User, assessment: Assessment, key: str, level: str, version: int | None = None):  # type: ignore[no-untyped-def]
    return services.rate_question(
        actor=actor,
        assessment=assessment,
        question=dgra_question(key),
        level_code=level,
        rationale=f"{actor.username} says {level}",
        expected_version=version,
    )


def agreed(assessment: Assessment, question: Question) -> QuestionRating:
    return QuestionRating.objects.get(assessment=assessment, question=question)


# --- the rating mode -----------------------------------------------------------------


def test_the_lead_switches_independent_rating_on_and_it_is_recorded(demo, lead) -> None:  # type: ignore[no-untyped-def]
    set_mode(lead, demo, independent=True, open=False)
    stored = Assessment.objects.get(pk=demo.pk)
    assert stored.independent_rating and not stored.reconciliation_open
    change = ChangeRecord.objects.filter(assessment=demo, entity="assessment").latest("id")
    assert change.actor == lead
    assert change.before == {"independent_rating": False, "reconciliation_open": False}
    assert change.after == {"independent_rating": True, "reconciliation_open": False}


def test_reconciliation_cannot_be_open_outside_independent_mode(demo, lead) -> None:  # type: ignore[no-untyped-def]
    set_mode(lead, demo, independent=False, open=True)
    stored = Assessment.objects.get(pk=demo.pk)
    assert not stored.independent_rating and not stored.reconciliation_open


@pytest.mark.parametrize("role", ["assessor", "reviewer", "counterpart"])
def test_only_the_lead_sets_the_rating_mode(request, demo, role) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden):
        set_mode(request.getfixturevalue(role), demo, independent=True, open=False)
    assert not Assessment.objects.get(pk=demo.pk).independent_rating


def test_an_outsider_does_not_find_the_rating_mode(demo, outsider) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        set_mode(outsider, demo, independent=True, open=False)


# --- private ratings -------------------------------------------------------------------


def test_two_assessors_rate_the_same_question_privately(
    independent, assessor, second_assessor, question
) -> None:  # type: ignore[no-untyped-def]
    before = agreed(independent, question)
    first = rate(assessor, independent, "1.1", "green")
    second = rate(second_assessor, independent, "1.1", "red")

    assert isinstance(first, IndependentRating) and isinstance(second, IndependentRating)
    assert (first.assessor, first.level.code, first.version) == (assessor, "green", 1)
    assert (second.assessor, second.level.code, second.version) == (second_assessor, "red", 1)
    assert IndependentRating.objects.filter(assessment=independent, question=question).count() == 2

    after = agreed(independent, question)
    assert (after.level.code, after.version, after.rationale) == (
        before.level.code,
        before.version,
        before.rationale,
    )
    assert after.level.code == "yellow_green" and after.version == 1


def test_each_assessor_versions_their_own_private_rating(
    independent, assessor, second_assessor
) -> None:  # type: ignore[no-untyped-def]
    rate(assessor, independent, "1.1", "green")
    rate(second_assessor, independent, "1.1", "red")
    updated = rate(assessor, independent, "1.1", "yellow", version=1)
    assert updated.version == 2
    other = IndependentRating.objects.get(assessor=second_assessor, question=dgra_question("1.1"))
    assert (other.level.code, other.version) == ("red", 1)


def test_private_ratings_are_recorded_with_their_assessor(independent, assessor, question) -> None:  # type: ignore[no-untyped-def]
    rating = rate(assessor, independent, "1.1", "green")
    [change] = ChangeRecord.objects.filter(entity="independent_rating", entity_id=rating.pk)
    assert change.question == question
    assert change.actor == assessor
    assert change.after["assessor"] == "assessor" and change.after["level"] == "green"


def test_the_leads_own_rating_is_private_too(independent, lead, question) -> None:  # type: ignore[no-untyped-def]
    rating = rate(lead, independent, "1.1", "green")
    assert isinstance(rating, IndependentRating) and rating.assessor == lead
    assert agreed(independent, question).level.code == "yellow_green"


# --- the agreed rating ----------------------------------------------------------------------


def record_agreed(actor: User, assessment: Assessment, question: Question, level: str):  # type: ignore[no-untyped-def]
    return services.record_agreed_rating(
        actor=actor,
        assessment=assessment,
        question=question,
        level_code=level,
        rationale="Agreed in the team meeting.",
        expected_version=agreed(assessment, question).version,
    )


def test_the_agreed_rating_waits_for_reconciliation(independent, lead, question) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden):
        record_agreed(lead, independent, question, "green")
    assert agreed(independent, question).level.code == "yellow_green"


@pytest.mark.parametrize("open", [False, True])
@pytest.mark.parametrize("role", ["assessor", "reviewer", "counterpart"])
def test_only_the_lead_records_the_agreed_rating(request, demo, lead, question, role, open) -> None:  # type: ignore[no-untyped-def]
    set_mode(lead, demo, independent=True, open=open)
    with pytest.raises(Forbidden):
        record_agreed(request.getfixturevalue(role), demo, question, "green")
    assert agreed(demo, question).version == 1


def test_the_lead_records_the_agreed_rating_once_reconciliation_is_open(
    independent, lead, assessor, second_assessor, question
) -> None:  # type: ignore[no-untyped-def]
    rate(assessor, independent, "1.1", "green")
    rate(second_assessor, independent, "1.1", "yellow")
    set_mode(lead, independent, independent=True, open=True)
    rating = record_agreed(lead, independent, question, "yellow_green")
    assert isinstance(rating, QuestionRating)
    assert (rating.level.code, rating.version, rating.updated_by) == ("yellow_green", 2, lead)
    assert rating.rationale == "Agreed in the team meeting."
    assert IndependentRating.objects.filter(assessment=independent, question=question).count() == 2


def test_outside_independent_mode_the_lead_records_the_agreed_rating_any_time(
    demo, lead, question
) -> None:  # type: ignore[no-untyped-def]
    assert record_agreed(lead, demo, question, "green").level.code == "green"


# --- reconciliation ------------------------------------------------------------------------


def row_for(rows, key: str):  # type: ignore[no-untyped-def]
    return next(row for row in rows if row.question.key == key)


def test_reconciliation_reports_the_spread_in_scale_steps(
    independent, assessor, second_assessor, dimension
) -> None:  # type: ignore[no-untyped-def]
    rate(assessor, independent, "1.1", "green")
    rate(second_assessor, independent, "1.1", "yellow")  # two steps down
    rate(assessor, independent, "1.2", "red")
    rate(second_assessor, independent, "1.2", "red")
    rate(assessor, independent, "1.3", "green")  # only one assessor
    rows, _ = selectors.reconciliation(independent, dimension)

    assert [row.question.key for row in rows][:3] == ["1.1", "1.2", "1.3"]
    assert len(rows) == Question.objects.filter(dimension=dimension).count()
    first = row_for(rows, "1.1")
    assert [r.assessor for r in first.ratings] == [assessor, second_assessor]
    assert first.spread == 2 and first.disagrees
    assert first.agreed is not None and first.agreed.level.code == "yellow_green"
    assert row_for(rows, "1.2").spread == 0 and not row_for(rows, "1.2").disagrees
    assert row_for(rows, "1.3").spread == 0
    assert row_for(rows, "1.4").ratings == [] and row_for(rows, "1.4").spread == 0


def test_the_widest_spread_covers_the_whole_scale(
    independent, assessor, second_assessor, dimension
) -> None:  # type: ignore[no-untyped-def]
    rate(assessor, independent, "1.1", "green")
    rate(second_assessor, independent, "1.1", "red")
    rows, _ = selectors.reconciliation(independent, dimension)
    assert row_for(rows, "1.1").spread == 4


def test_grey_counts_as_missing_in_the_spread_and_the_agreement(
    independent, assessor, second_assessor, dimension
) -> None:  # type: ignore[no-untyped-def]
    rate(assessor, independent, "1.1", "grey")
    rate(second_assessor, independent, "1.1", "red")
    rows, agreement = selectors.reconciliation(independent, dimension)
    assert row_for(rows, "1.1").spread == 0
    assert agreement.questions_compared == 0
    assert agreement.share is None and agreement.alpha is None


def test_agreement_matches_a_hand_computed_krippendorff_alpha(
    independent, assessor, second_assessor, dimension
) -> None:  # type: ignore[no-untyped-def]
    # Scores: 1.1 green/green (5, 5), 1.2 yellow/red (3, 1). Ordinal metric with
    # n_5 = 2, n_3 = 1, n_1 = 1 (n = 4): δ(5,3) = 2.25, δ(5,1) = 6.25, δ(3,1) = 1.
    # D_o = (1 + 1) / 4 = 0.5; D_e = 2 (2·2.25 + 2·6.25 + 1·1) / (4·3) = 3.
    # alpha = 1 - 0.5 / 3 = 5/6.
    rate(assessor, independent, "1.1", "green")
    rate(second_assessor, independent, "1.1", "green")
    rate(assessor, independent, "1.2", "yellow")
    rate(second_assessor, independent, "1.2", "red")
    _, agreement = selectors.reconciliation(independent, dimension)
    assert agreement.questions_compared == 2
    assert agreement.full_agreement == 1
    assert agreement.share == pytest.approx(0.5)
    assert agreement.alpha == pytest.approx(5 / 6)


def test_alpha_is_one_when_all_assessors_agree_on_varied_levels(
    independent, lead, assessor, second_assessor, dimension
) -> None:  # type: ignore[no-untyped-def]
    for actor in [lead, assessor, second_assessor]:
        for key, level in [("1.1", "green"), ("1.2", "yellow"), ("1.3", "red")]:
            rate(actor, independent, key, level)
    _, agreement = selectors.reconciliation(independent, dimension)
    assert agreement.questions_compared == 3 and agreement.full_agreement == 3
    assert agreement.share == 1.0
    assert agreement.alpha == pytest.approx(1.0)


def test_alpha_is_below_one_when_assessors_disagree(
    independent, assessor, second_assessor, dimension
) -> None:  # type: ignore[no-untyped-def]
    for key, mine, theirs in [
        ("1.1", "green", "yellow_green"),
        ("1.2", "yellow", "yellow"),
        ("1.3", "red", "yellow_red"),
    ]:
        rate(assessor, independent, key, mine)
        rate(second_assessor, independent, key, theirs)
    _, agreement = selectors.reconciliation(independent, dimension)
    assert agreement.questions_compared == 3 and agreement.full_agreement == 1
    assert agreement.share == pytest.approx(1 / 3)
    assert agreement.alpha is not None and agreement.alpha < 1


def test_alpha_is_undefined_with_a_single_assessor(independent, assessor, dimension) -> None:  # type: ignore[no-untyped-def]
    for key, level in [("1.1", "green"), ("1.2", "yellow"), ("1.3", "red")]:
        rate(assessor, independent, key, level)
    _, agreement = selectors.reconciliation(independent, dimension)
    assert agreement.questions_compared == 0
    assert agreement.share is None and agreement.alpha is None


def test_alpha_is_undefined_when_every_rating_is_the_same_level(
    independent, assessor, second_assessor, dimension
) -> None:  # type: ignore[no-untyped-def]
    for actor in [assessor, second_assessor]:
        for key in ["1.1", "1.2"]:
            rate(actor, independent, key, "yellow")
    _, agreement = selectors.reconciliation(independent, dimension)
    assert agreement.questions_compared == 2 and agreement.full_agreement == 2
    assert agreement.alpha is None


def test_alpha_is_undefined_not_nan_when_only_unpaired_ratings_vary(
    independent, assessor, second_assessor, dimension
) -> None:  # type: ignore[no-untyped-def]
    # The one question both rated agrees (green/green); the only other level
    # (yellow on 1.2) has no second rating to pair with, so the expected
    # disagreement is 0 and alpha is undefined: None, as the Agreement says,
    # never NaN (which the reconciliation page and the API cannot show).
    rate(assessor, independent, "1.1", "green")
    rate(second_assessor, independent, "1.1", "green")
    rate(assessor, independent, "1.2", "yellow")
    _, agreement = selectors.reconciliation(independent, dimension)
    assert agreement.questions_compared == 1 and agreement.full_agreement == 1
    assert agreement.alpha is None


# --- history -------------------------------------------------------------------------------


def independent_actors(assessment: Assessment, question: Question, user: User | None) -> set[str]:
    return {
        change.actor.username
        for change in selectors.question_history(assessment, question, user)
        if change.entity == "independent_rating"
    }


def test_history_hides_other_assessors_ratings_until_reconciliation_opens(
    independent, lead, assessor, second_assessor, question
) -> None:  # type: ignore[no-untyped-def]
    rate(assessor, independent, "1.1", "green")
    rate(second_assessor, independent, "1.1", "red")

    assert independent_actors(independent, question, assessor) == {"assessor"}
    assert independent_actors(independent, question, second_assessor) == {"assessor2"}
    assert independent_actors(independent, question, lead) == set()
    assert independent_actors(independent, question, None) == set()

    set_mode(lead, independent, independent=True, open=True)
    for user in [assessor, second_assessor, lead]:
        assert independent_actors(independent, question, user) == {"assessor", "assessor2"}


def test_history_still_shows_everything_else_while_ratings_are_private(
    independent, assessor, second_assessor, question
) -> None:  # type: ignore[no-untyped-def]
    evidence = services.add_evidence(
        actor=assessor,
        assessment=independent,
        question=question,
        sign="+",
        text="A new decree.",
        source_kind="document",
    )
    rate(assessor, independent, "1.1", "green")
    history = selectors.question_history(independent, question, second_assessor)
    assert any(c.entity == "evidence" and c.entity_id == evidence.pk for c in history)
    assert all(c.entity != "independent_rating" for c in history)
    assert history[0].entity == "evidence"  # newest first


# --- who sees the reconciliation --------------------------------------------------------


@pytest.fixture
def open_reconciliation(independent, lead, assessor, second_assessor) -> Assessment:  # type: ignore[no-untyped-def]
    rate(assessor, independent, "1.1", "green")
    rate(second_assessor, independent, "1.1", "red")
    return set_mode(lead, independent, independent=True, open=True)


RECONCILIATION_API = "/api/v1/assessments/vietnam-2019/reconciliation/dgra/1"
RECONCILIATION_PAGE = "/assessments/vietnam-2019/dgra/1/reconcile/"


@pytest.mark.parametrize("role", ["counterpart", "reviewer"])
def test_those_who_do_not_reconcile_get_no_reconciliation_data(
    request, open_reconciliation, question, role
) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(role)
    client = client_for(user)
    api = client.get(RECONCILIATION_API)
    assert api.status_code == 403
    assert "green" not in api.content.decode() and "assessor2" not in api.content.decode()
    page = client.get(RECONCILIATION_PAGE)
    assert page.status_code == 403
    assert "assessor2" not in page.content.decode()
    with pytest.raises(Forbidden):
        require_reconciliation(user, open_reconciliation, Action.SEE_RECONCILIATION)
    assert independent_actors(open_reconciliation, question, user) == set()


@pytest.mark.parametrize("role", ["lead", "assessor"])
def test_the_lead_and_the_assessors_see_the_reconciliation_once_open(
    request, open_reconciliation, question, role
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(request.getfixturevalue(role))
    body = client.get(RECONCILIATION_API).json()
    [first] = [q for q in body["questions"] if q["question"] == "1.1"]
    assert sorted(r["level"] for r in first["ratings"]) == ["green", "red"]
    assert client.get(RECONCILIATION_PAGE).status_code == 200


def test_an_outsider_does_not_find_the_reconciliation(open_reconciliation, outsider) -> None:  # type: ignore[no-untyped-def]
    assert client_for(outsider).get(RECONCILIATION_API).status_code == 404
    assert client_for(outsider).get(RECONCILIATION_PAGE).status_code == 404


def test_before_reconciliation_opens_even_the_lead_sees_no_side_by_side_ratings(
    independent, lead, assessor
) -> None:  # type: ignore[no-untyped-def]
    rate(assessor, independent, "1.1", "green")
    response = client_for(lead).get(RECONCILIATION_API)
    assert response.status_code == 403
    assert "green" not in response.content.decode()
