"""Rules that derive something from ratings: the suggested dimension rating
and the flag on a rating that contradicts its evidence. Documented for users
in docs/assessment-format.md ("Suggested dimension rating")."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from readiness.frameworks.models import RatingLevel


@dataclass(frozen=True)
class Suggestion:
    level: RatingLevel | None
    mean: float | None
    counted: int  # ratings that entered the mean
    excluded: int  # ratings on the unscored level (Grey)


def suggest_level(
    rated: Iterable[tuple[RatingLevel, float]], scale: Sequence[RatingLevel]
) -> Suggestion:
    """Weighted mean of the scores of (level, weight) pairs, turned back into
    the level with the nearest score; an exact tie takes the lower level."""
    total = weight_sum = 0.0
    counted = excluded = 0
    for level, weight in rated:
        if level.score is None:
            excluded += 1
            continue
        total += level.score * weight
        weight_sum += weight
        counted += 1
    scored = sorted((lvl for lvl in scale if lvl.score is not None), key=lambda lvl: lvl.score or 0)
    if not counted or not scored:
        unscored = next((lvl for lvl in scale if lvl.score is None), None)
        return Suggestion(unscored, None, 0, excluded)
    mean = total / weight_sum
    # Ascending scores with strict '<' keep the lower level on an exact tie.
    best = scored[0]
    for level in scored[1:]:
        if abs((level.score or 0) - mean) < abs((best.score or 0) - mean) - 1e-9:
            best = level
    return Suggestion(best, mean, counted, excluded)


def half(level: RatingLevel, scale: Sequence[RatingLevel]) -> int:
    """1 for the upper half of the scale, -1 for the lower half, 0 for the
    middle or a level with no score."""
    scores = [lvl.score for lvl in scale if lvl.score is not None]
    if level.score is None or not scores:
        return 0
    midpoint = (max(scores) + min(scores)) / 2
    return 1 if level.score > midpoint else -1 if level.score < midpoint else 0


def contradicts_evidence(
    level: RatingLevel, scale: Sequence[RatingLevel], signs: list[str]
) -> bool:
    """A rating in the upper half of the scale with evidence only against
    readiness, or in the lower half with evidence only in favour."""
    if not signs:
        return False
    side = half(level, scale)
    if side > 0:
        return "-" in signs and "+" not in signs
    if side < 0:
        return "+" in signs and "-" not in signs
    return False
