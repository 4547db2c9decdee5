import pytest

from readiness.assessments.rollup import contradicts_evidence, half, suggest_level
from readiness.frameworks.models import Framework, RatingLevel

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


def level(code: str, score: float | None) -> RatingLevel:
    """An unsaved level: the roll-up rules need only code and score."""
    return RatingLevel(code=code, score=score)


# Five scored levels and one unscored, as DGRA has them (1 … 5 and Grey).
ODD = [level("one", 1), level("two", 2), level("three", 3), level("four", 4), level("five", 5)]
GREY = level("grey", None)
# No level sits on the midpoint 25 of an even scale that does not start at 1.
EVEN = [level("ten", 10), level("twenty", 20), level("thirty", 30), level("forty", 40)]


def test_the_middle_level_is_in_neither_half() -> None:
    scale = [*ODD, GREY]
    assert [half(lvl, scale) for lvl in scale] == [-1, -1, 0, 1, 1, 0]


def test_an_even_scale_has_no_middle_level() -> None:
    assert [half(lvl, EVEN) for lvl in EVEN] == [-1, -1, 1, 1]


def test_a_level_is_placed_by_the_midpoint_of_the_scores_not_of_the_levels() -> None:
    # Midpoint (0 + 100) / 2 = 50: 40 is below it although it is the middle level.
    scale = [level("none", 0), level("some", 40), level("all", 100)]
    assert [half(lvl, scale) for lvl in scale] == [-1, -1, 1]


def test_a_scale_without_scores_puts_every_level_in_the_middle() -> None:
    assert half(GREY, [GREY]) == 0


def test_the_middle_level_never_contradicts_its_evidence() -> None:
    scale = [*ODD, GREY]
    middle = ODD[2]
    assert not contradicts_evidence(middle, scale, ["-"])
    assert not contradicts_evidence(middle, scale, ["-", "-", "o"])
    assert not contradicts_evidence(middle, scale, ["+"])
    # Just above and below the middle, the same evidence is a contradiction.
    assert contradicts_evidence(ODD[3], scale, ["-"])
    assert contradicts_evidence(ODD[1], scale, ["+"])
    # Only neutral evidence, or evidence on both sides, contradicts nothing.
    assert not contradicts_evidence(ODD[4], scale, ["o", "o"])
    assert not contradicts_evidence(ODD[0], scale, ["o"])
    assert not contradicts_evidence(ODD[0], scale, ["+", "-"])


def test_a_suggestion_with_nothing_scored_counts_nothing() -> None:
    scale = [*ODD, GREY]
    empty = suggest_level([], scale)
    assert (empty.level, empty.mean, empty.counted, empty.excluded) == (GREY, None, 0, 0)
    only_grey = suggest_level([(GREY, 1.0), (GREY, 2.0)], scale)
    assert (only_grey.level, only_grey.mean, only_grey.counted, only_grey.excluded) == (
        GREY,
        None,
        0,
        2,
    )


def test_a_scale_without_an_unscored_level_suggests_nothing_for_no_ratings() -> None:
    assert suggest_level([], ODD).level is None


def test_the_suggestion_is_nearest_the_mean_at_either_end_of_the_scale() -> None:
    # (1·3 + 2·1) / 4 = 1.25: nearest 1, the lowest level.
    low = suggest_level([(ODD[0], 3.0), (ODD[1], 1.0)], ODD)
    assert (low.level, low.mean, low.counted) == (ODD[0], 1.25, 2)
    # (5·1 + 4·1 + 5·1) / 3 = 4.67: nearest 5, the highest level.
    high = suggest_level([(ODD[4], 1.0), (ODD[3], 1.0), (ODD[4], 1.0)], ODD)
    assert high.level == ODD[4] and high.mean == pytest.approx(14 / 3)


def test_levels_are_compared_by_score_whatever_their_order_in_the_scale() -> None:
    shuffled = [ODD[4], ODD[0], ODD[3], ODD[1], ODD[2]]
    # mean (2 + 3) / 2 = 2.5, a tie between 2 and 3: the lower level.
    assert suggest_level([(ODD[1], 1.0), (ODD[2], 1.0)], shuffled).level == ODD[1]
    # mean 10 / 3 = 3.33: nearest 3.
    assert suggest_level([(ODD[3], 1.0), (ODD[4], 1.0), (ODD[0], 1.0)], shuffled).level == ODD[2]


def test_a_weight_below_one_pulls_the_mean_less() -> None:
    # (5·0.5 + 1·1) / 1.5 = 2.33: nearest 2; unweighted it would be 3.
    suggestion = suggest_level([(ODD[4], 0.5), (ODD[0], 1.0)], ODD)
    assert suggestion.mean == pytest.approx(7 / 3)
    assert suggestion.level == ODD[1]


def test_a_level_scored_zero_or_below_is_a_level_like_any_other() -> None:
    zero, one, minus = level("zero", 0), level("one", 1), level("minus", -1)
    # A tie at 0.5 takes the lower level, whichever order the scale lists them in.
    assert suggest_level([(zero, 1.0), (one, 1.0)], [one, zero]).level == zero
    # Mean (0·1 + 1·9) / 10 = 0.9: nearer 1 than 0.
    assert suggest_level([(zero, 1.0), (one, 9.0)], [zero, one]).level == one
    # Mean 0 on a scale from -1 to 1: the level scored 0.
    assert suggest_level([(minus, 1.0), (one, 1.0)], [minus, zero, one]).level == zero
