"""The agreement rule (readiness/assessments/agreement.py), checked against
figures worked by hand and against a published example."""

import pytest

from readiness.assessments.agreement import dimension_agreement, ordinal_alpha

# Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability",
# University of Pennsylvania, https://repository.upenn.edu/asc_papers/43/,
# section C: four observers, twelve units, values 1–5, some missing. The paper
# gives alpha = 0.743 (nominal), 0.815 (ordinal), 0.849 (interval).
PUBLISHED = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def units_of(table: dict[str, list[int | None]]) -> list[dict[str, int | None]]:
    count = len(next(iter(table.values())))
    return [{observer: values[u] for observer, values in table.items()} for u in range(count)]


def test_ordinal_alpha_of_krippendorffs_published_example_is_0_815() -> None:
    agreement = dimension_agreement(units_of(PUBLISHED))
    assert agreement.alpha == pytest.approx(0.815, abs=0.0005)


def test_the_published_example_agrees_exactly_on_eight_of_eleven_comparable_units() -> None:
    # Unit 12 has a single value and is left out. Unanimous: units 1, 3, 4, 5,
    # 7, 9, 10 (5, 5, 5) and 11 (1, 1); split: units 2, 6 and 8.
    agreement = dimension_agreement(units_of(PUBLISHED))
    assert agreement.questions_compared == 11
    assert agreement.full_agreement == 8
    assert agreement.share == pytest.approx(8 / 11)


def test_two_assessors_on_two_levels_worked_by_hand() -> None:
    # Units (0, 0), (1, 1), (0, 1): coincidences o00 = 2, o11 = 2, o01 = o10 = 1;
    # n0 = n1 = 3, n = 6; ordinal δ²(0, 1) = (3 + 3 − 3)² = 9.
    # alpha = 1 − (n − 1) Σ o·δ² / Σ n_c·n_k·δ² = 1 − 5 · 18 / 162 = 4/9.
    units = [{"a": 0, "b": 0}, {"a": 1, "b": 1}, {"a": 0, "b": 1}]
    agreement = dimension_agreement(units)
    assert agreement.alpha == pytest.approx(4 / 9)
    assert (agreement.questions_compared, agreement.full_agreement) == (3, 2)


def test_ratings_that_do_not_count_are_missing_not_disagreement() -> None:
    # Grey beside Red leaves one counted rating: nothing to compare.
    agreement = dimension_agreement([{"a": None, "b": 0}, {"a": 2}])
    assert agreement.questions_compared == 0
    assert agreement.share is None and agreement.alpha is None


def test_alpha_is_undefined_without_variation() -> None:
    assert ordinal_alpha([{"a": 3, "b": 3}, {"a": 3, "b": 3}]) is None


def test_perfect_agreement_on_varied_values_gives_alpha_one() -> None:
    units = [{"a": 0, "b": 0}, {"a": 2, "b": 2}, {"a": 4, "b": 4}]
    assert ordinal_alpha(units) == pytest.approx(1.0)
