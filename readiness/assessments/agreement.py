"""How far independent assessors agree on one dimension: the share of
questions on which they agree exactly, and Krippendorff's alpha for ordinal
data. Pure rules over plain values, so they can be checked by hand.

A unit is one question: each assessor's position on the rating scale (0 the
lowest level), or None where the rating does not count (Grey, insufficient
information). Only questions with at least two counted ratings can show
agreement or disagreement; the others are left out of both figures.
"""

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

Unit = Mapping[Hashable, int | None]  # assessor → position on the scale, None if not counted


@dataclass(frozen=True)
class Agreement:
    questions_compared: int  # rated (counted) by at least two assessors
    full_agreement: int  # of those, how many every assessor rated alike
    alpha: float | None  # Krippendorff's alpha, ordinal; None when undefined

    @property
    def share(self) -> float | None:
        return self.full_agreement / self.questions_compared if self.questions_compared else None


def counted(unit: Unit) -> dict[Hashable, int]:
    return {assessor: value for assessor, value in unit.items() if value is not None}


def dimension_agreement(units: Sequence[Unit]) -> Agreement:
    compared = [values for values in map(counted, units) if len(values) >= 2]
    full = sum(1 for values in compared if len(set(values.values())) == 1)
    return Agreement(
        questions_compared=len(compared), full_agreement=full, alpha=ordinal_alpha(compared)
    )


def ordinal_alpha(units: Sequence[Mapping[Hashable, int]]) -> float | None:
    """None when alpha is undefined: no pairable values, or a single value
    throughout (no variation to agree or disagree about)."""
    assessors = sorted({assessor for unit in units for assessor in unit}, key=repr)
    if len({value for unit in units for value in unit.values()}) < 2:
        return None
    matrix = np.full((len(assessors), len(units)), np.nan)
    for column, unit in enumerate(units):
        for assessor, value in unit.items():
            matrix[assessors.index(assessor), column] = value
    alpha = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal"))
    return alpha if math.isfinite(alpha) else None
