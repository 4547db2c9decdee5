import pytest

from readiness.assessments.rollup import contradicts_evidence, suggest_level
from readiness.frameworks.models import Framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def scale():  # type: ignore[no-untyped-def]
    return {lvl.code: lvl for lvl in Framework.objects.get(key="dgra").levels.all()}


def test_the_suggestion_is_the_level_nearest_the_mean(scale) -> None:  # type: ignore[no-untyped-def]
    rated = [(scale["green"], 1.0), (scale["yellow"], 1.0), (scale["yellow"], 1.0)]
    suggestion = suggest_level(rated, list(scale.values()))
    assert suggestion.mean == pytest.approx(11 / 3)
    assert suggestion.level == scale["yellow_green"]
    assert (suggestion.counted, suggestion.excluded) == (3, 0)


def test_an_exact_tie_takes_the_lower_level(scale) -> None:  # type: ignore[no-untyped-def]
    suggestion = suggest_level(
        [(scale["green"], 1.0), (scale["yellow"], 1.0)], list(scale.values())
    )
    assert suggestion.mean == 4.0 and suggestion.level == scale["yellow_green"]
    tie = suggest_level(
        [(scale["yellow_green"], 1.0), (scale["yellow"], 1.0)], list(scale.values())
    )
    assert tie.mean == 3.5 and tie.level == scale["yellow"]


def test_grey_is_left_out_and_counted_as_excluded(scale) -> None:  # type: ignore[no-untyped-def]
    suggestion = suggest_level(
        [(scale["red"], 1.0), (scale["grey"], 1.0), (scale["grey"], 1.0)], list(scale.values())
    )
    assert suggestion.level == scale["red"]
    assert (suggestion.counted, suggestion.excluded) == (1, 2)


def test_with_nothing_scored_the_suggestion_is_grey(scale) -> None:  # type: ignore[no-untyped-def]
    assert suggest_level([], list(scale.values())).level == scale["grey"]
    assert suggest_level([(scale["grey"], 1.0)], list(scale.values())).level == scale["grey"]


def test_importance_weights_pull_the_mean(scale) -> None:  # type: ignore[no-untyped-def]
    unweighted = suggest_level([(scale["green"], 1.0), (scale["red"], 1.0)], list(scale.values()))
    weighted = suggest_level([(scale["green"], 4.0), (scale["red"], 1.0)], list(scale.values()))
    assert unweighted.level == scale["yellow"]
    assert weighted.mean == pytest.approx(4.2) and weighted.level == scale["yellow_green"]


def test_green_with_only_negative_evidence_contradicts(scale) -> None:  # type: ignore[no-untyped-def]
    levels = list(scale.values())
    assert contradicts_evidence(scale["green"], levels, ["-", "-"])
    assert contradicts_evidence(scale["yellow_green"], levels, ["-", "o"])
    assert not contradicts_evidence(scale["green"], levels, ["-", "+"])
    assert contradicts_evidence(scale["red"], levels, ["+"])
    assert not contradicts_evidence(scale["yellow"], levels, ["+", "+"])
    assert not contradicts_evidence(scale["grey"], levels, ["+"])
    assert not contradicts_evidence(scale["green"], levels, [])
