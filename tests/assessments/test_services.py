import pytest

from readiness.assessments import services
from readiness.assessments.models import Assessment, Evidence, QuestionRating
from readiness.core.errors import EditConflict, InvalidInput
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Framework

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def everyone_may_create(settings) -> None:  # type: ignore[no-untyped-def]
    """Here the assessor creates assessments; who may is the subject of
    tests/accounts/test_assessment_creators.py."""
    settings.ASSESSMENT_CREATORS = "everyone"


@pytest.fixture
def dgra() -> Framework:
    return Framework.objects.get(key="dgra", version="2018")


@pytest.fixture
def odra() -> Framework:
    return Framework.objects.get(key="odra", version="3.1")


@pytest.fixture
def assessment(assessor, dgra, odra) -> Assessment:  # type: ignore[no-untyped-def]
    return services.create_assessment(
        actor=assessor,
        slug="hanoi-2026",
        title="Hà Nội digital readiness 2026",
        subject_kind="subdivision",
        subject_code="VN-HN",
        frameworks=[dgra, odra],
    )


def field_errors(error: InvalidInput) -> dict[str, str]:
    return {e.path: e.message for e in error.errors}


def test_the_subject_comes_from_iso_3166(assessment) -> None:  # type: ignore[no-untyped-def]
    assert assessment.subject_display == "Hà Nội"


def test_it_rejects_an_unknown_subject_code_and_a_reversed_period(assessor, dgra) -> None:  # type: ignore[no-untyped-def]
    import datetime

    with pytest.raises(InvalidInput) as raised:
        services.create_assessment(
            actor=assessor,
            slug="x",
            title="X",
            subject_kind="country",
            subject_code="XX",
            period_start=datetime.date(2026, 5, 1),
            period_end=datetime.date(2026, 1, 1),
            frameworks=[dgra],
        )
    assert set(field_errors(raised.value)) == {"subject_code", "period_end"}
    assert not Assessment.objects.filter(slug="x").exists()


def test_an_agency_needs_a_name(assessor, dgra) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.create_assessment(
            actor=assessor,
            slug="mic",
            title="MIC",
            subject_kind="agency",
            subject_code="VN",
            frameworks=[dgra],
        )
    assert "subject_name" in field_errors(raised.value)


def test_evidence_and_rating_are_recorded_with_history(assessor, assessment, dgra) -> None:  # type: ignore[no-untyped-def]
    question = dgra.questions.get(key="1.2")
    evidence = services.add_evidence(
        actor=assessor,
        assessment=assessment,
        question=question,
        sign="-",
        text="No digital government law exists.",
        source_kind="interview",
    )
    rating = services.rate_question(
        actor=assessor,
        assessment=assessment,
        question=question,
        level_code="red",
        rationale="No law.",
        cited_evidence_ids=[evidence.pk],
        expected_version=None,
    )
    assert rating.version == 1 and list(rating.cited_evidence.all()) == [evidence]
    updated = services.rate_question(
        actor=assessor,
        assessment=assessment,
        question=question,
        level_code="yellow_red",
        rationale="A draft resolution exists.",
        expected_version=1,
    )
    assert updated.version == 2
    history = ChangeRecord.objects.filter(entity="rating", entity_id=rating.pk)
    assert [c.action for c in history] == ["create", "update"]
    assert history[1].before["level"] == "red" and history[1].after["level"] == "yellow_red"
    assert history[1].actor == assessor


def test_a_stale_rating_save_is_refused_and_keeps_the_stored_value(
    assessor, assessment, dgra
) -> None:  # type: ignore[no-untyped-def]
    question = dgra.questions.get(key="1.1")
    services.rate_question(
        actor=assessor,
        assessment=assessment,
        question=question,
        level_code="green",
        rationale="first",
        expected_version=None,
    )
    services.rate_question(
        actor=assessor,
        assessment=assessment,
        question=question,
        level_code="yellow",
        rationale="second",
        expected_version=1,
    )
    with pytest.raises(EditConflict) as raised:
        services.rate_question(
            actor=assessor,
            assessment=assessment,
            question=question,
            level_code="red",
            rationale="based on version 1",
            expected_version=1,
        )
    assert raised.value.current["level"] == "yellow"
    assert raised.value.current["rationale"] == "second"
    stored = QuestionRating.objects.get(assessment=assessment, question=question)
    assert (stored.level.code, stored.version) == ("yellow", 2)


def test_a_first_rating_racing_another_first_rating_is_a_conflict(
    assessor, assessment, dgra
) -> None:  # type: ignore[no-untyped-def]
    question = dgra.questions.get(key="1.1")
    services.rate_question(
        actor=assessor,
        assessment=assessment,
        question=question,
        level_code="green",
        expected_version=None,
    )
    with pytest.raises(EditConflict):
        services.rate_question(
            actor=assessor,
            assessment=assessment,
            question=question,
            level_code="red",
            expected_version=None,
        )


def test_a_rating_cannot_cite_evidence_of_another_question(assessor, assessment, dgra) -> None:  # type: ignore[no-untyped-def]
    other = services.add_evidence(
        actor=assessor,
        assessment=assessment,
        question=dgra.questions.get(key="1.3"),
        sign="+",
        text="Elsewhere",
        source_kind="document",
    )
    with pytest.raises(InvalidInput) as raised:
        services.rate_question(
            actor=assessor,
            assessment=assessment,
            question=dgra.questions.get(key="1.1"),
            level_code="green",
            cited_evidence_ids=[other.pk],
            expected_version=None,
        )
    assert "cited_evidence" in field_errors(raised.value)


def test_it_rejects_a_level_that_is_not_on_the_scale(assessor, assessment, dgra) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.rate_question(
            actor=assessor,
            assessment=assessment,
            question=dgra.questions.get(key="1.1"),
            level_code="purple",
            expected_version=None,
        )
    assert "purple" in field_errors(raised.value)["level"]


def test_evidence_needs_text_a_known_sign_and_an_http_url(assessor, assessment, dgra) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.add_evidence(
            actor=assessor,
            assessment=assessment,
            question=dgra.questions.get(key="1.1"),
            sign="?",
            text="  ",
            source_kind="rumour",
            reference_url="javascript:alert(1)",
        )
    assert set(field_errors(raised.value)) == {"sign", "text", "source_kind", "reference_url"}
    assert not Evidence.objects.filter(assessment=assessment).exists()


def test_editing_and_deleting_evidence_is_versioned_and_kept_in_history(
    assessor, assessment, dgra
) -> None:  # type: ignore[no-untyped-def]
    item = services.add_evidence(
        actor=assessor,
        assessment=assessment,
        question=dgra.questions.get(key="1.1"),
        sign="+",
        text="Original",
        source_kind="document",
    )
    services.update_evidence(
        actor=assessor,
        assessment=assessment,
        evidence_id=item.pk,
        expected_version=1,
        changes={"text": "Corrected"},
    )
    with pytest.raises(EditConflict):
        services.update_evidence(
            actor=assessor,
            assessment=assessment,
            evidence_id=item.pk,
            expected_version=1,
            changes={"text": "Stale"},
        )
    services.delete_evidence(
        actor=assessor, assessment=assessment, evidence_id=item.pk, expected_version=2
    )
    history = list(ChangeRecord.objects.filter(entity="evidence", entity_id=item.pk))
    assert [c.action for c in history] == ["create", "update", "delete"]
    assert history[-1].before["text"] == "Corrected" and history[-1].after is None


def test_the_verdict_needs_a_reason_when_it_differs_from_the_suggestion(
    assessor, assessment, dgra
) -> None:  # type: ignore[no-untyped-def]
    dimension = dgra.dimensions.get(key="3")
    for key in ["3.1", "3.2"]:
        services.rate_question(
            actor=assessor,
            assessment=assessment,
            question=dgra.questions.get(key=key),
            level_code="red",
            expected_version=None,
        )
    assert services.dimension_suggestion(assessment, dimension).level.code == "red"
    with pytest.raises(InvalidInput) as raised:
        services.record_verdict(
            actor=assessor,
            assessment=assessment,
            dimension=dimension,
            level_code="yellow",
            expected_version=None,
        )
    assert "override_reason" in field_errors(raised.value)
    verdict = services.record_verdict(
        actor=assessor,
        assessment=assessment,
        dimension=dimension,
        level_code="yellow",
        override_reason="A reform programme starts next month.",
        expected_version=None,
    )
    assert verdict.override_reason
    agreeing = services.record_verdict(
        actor=assessor,
        assessment=assessment,
        dimension=dimension,
        level_code="red",
        override_reason="not needed",
        expected_version=1,
    )
    assert agreeing.override_reason == "" and agreeing.version == 2


def test_odra_suggestions_are_weighted_by_importance(assessor, assessment, odra) -> None:  # type: ignore[no-untyped-def]
    # 1.1 is Very High (4), 1.3 is Medium (1): Green and Red give (20 + 1) / 5 = 4.2.
    services.rate_question(
        actor=assessor,
        assessment=assessment,
        question=odra.questions.get(key="1.1"),
        level_code="green",
        expected_version=None,
    )
    services.rate_question(
        actor=assessor,
        assessment=assessment,
        question=odra.questions.get(key="1.3"),
        level_code="red",
        expected_version=None,
    )
    suggestion = services.dimension_suggestion(assessment, odra.dimensions.get(key="1"))
    assert suggestion.mean == pytest.approx(4.2)
    assert suggestion.level.code == "yellow_green"


def test_importance_on_a_verdict_must_be_on_the_frameworks_scale(
    assessor, assessment, dgra, odra
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.record_verdict(
            actor=assessor,
            assessment=assessment,
            dimension=dgra.dimensions.get(key="1"),
            level_code="grey",
            importance_code="high",
            expected_version=None,
        )
    assert "importance" in field_errors(raised.value)
    verdict = services.record_verdict(
        actor=assessor,
        assessment=assessment,
        dimension=odra.dimensions.get(key="1"),
        level_code="grey",
        importance_code="very_high",
        expected_version=None,
    )
    assert verdict.importance.code == "very_high"
