"""The framework file format (`readiness-framework/1`), as pydantic models.

docs/framework-format.md describes it for people; this module is the
authority. Errors carry the path inside the file, e.g.
`dimensions[3].questions[2].importance`."""

import re
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from readiness.core.errors import FieldError
from readiness.core.links import WebUrl
from readiness.core.text import KEY, LONG, Allowed, Normalised

FORMAT = "readiness-framework/1"

# Size limits. The built-ins have at most 8 dimensions, 17 questions in one
# dimension and 66 in all; these leave room for frameworks several times
# larger while keeping a workspace page and a report of reasonable size.
MAX_DIMENSIONS = 50
MAX_DIMENSION_QUESTIONS = 300
MAX_FRAMEWORK_QUESTIONS = 2000

# Every text of a framework (titles, descriptions, questions, guidance) is
# LONG at most; the longest built-in one has 673 characters.
NonEmpty = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=LONG),
    Normalised,
    Allowed,
]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=KEY)]
Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=KEY)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both languages of the product."""

    en: NonEmpty
    vi: NonEmpty


class Source(Strict):
    citation: Text
    url: WebUrl | None = None


class RatingLevel(Strict):
    code: Code
    label: Text
    description: Text
    colour: Colour
    text_colour: Colour = "#000000"
    score: float | None
    readiness: Text | None = None


class ImportanceLevel(Strict):
    code: Code
    label: Text
    weight: Annotated[float, Field(gt=0)]


class EvidenceSign(Strict):
    code: Literal["+", "-", "o"]
    label: Text


class Question(Strict):
    key: Key
    short_title: Text | None = None
    text: Text
    importance: Code | None = None
    guidance: Text | None = None
    recommended_actions: list[Text] = []


class Dimension(Strict):
    key: Key
    order: Annotated[int, Field(ge=1)]
    title: Text
    context: Text | None = None
    questions: Annotated[list[Question], Field(min_length=1, max_length=MAX_DIMENSION_QUESTIONS)]


class Framework(Strict):
    format: Literal["readiness-framework/1"]
    key: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=KEY)]
    version: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
    title: Text
    short_title: Text
    description: Text
    source: Source
    rating_scale: Annotated[list[RatingLevel], Field(min_length=2)]
    importance_scale: list[ImportanceLevel] | None = None
    evidence_signs: Annotated[list[EvidenceSign], Field(min_length=3, max_length=3)]
    dimensions: Annotated[list[Dimension], Field(min_length=1, max_length=MAX_DIMENSIONS)]


def reference_errors(framework: Framework) -> list[FieldError]:
    """What the types alone cannot say: unique codes and keys, importance use."""
    errors: list[FieldError] = []
    questions = sum(len(dimension.questions) for dimension in framework.dimensions)
    if questions > MAX_FRAMEWORK_QUESTIONS:
        # Alone: a framework this large is refused before it is looked into.
        message = _("%(count)d questions in all; the limit is %(limit)d")
        limits = {"count": questions, "limit": MAX_FRAMEWORK_QUESTIONS}
        return [FieldError("dimensions", message % limits)]

    def unique(items: list[str], path: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item in seen:
                message = _("%(value)s appears twice") % {"value": repr(item)}
                errors.append(FieldError(path.format(index), message))
            seen.add(item)

    unique([level.code for level in framework.rating_scale], "rating_scale[{}].code")
    unscored = [level for level in framework.rating_scale if level.score is None]
    if len(unscored) > 1:
        errors.append(FieldError("rating_scale", _("at most one level may have no score")))
    if len(framework.rating_scale) - len(unscored) < 2:
        errors.append(FieldError("rating_scale", _("at least two levels need a score")))
    importance_codes = [level.code for level in framework.importance_scale or []]
    unique(importance_codes, "importance_scale[{}].code")
    unique([sign.code for sign in framework.evidence_signs], "evidence_signs[{}].code")
    unique([d.key for d in framework.dimensions], "dimensions[{}].key")
    unique([str(d.order) for d in framework.dimensions], "dimensions[{}].order")
    seen_questions: set[str] = set()
    for d_index, dimension in enumerate(framework.dimensions):
        for q_index, question in enumerate(dimension.questions):
            path = f"dimensions[{d_index}].questions[{q_index}]"
            if question.key in seen_questions:
                message = _("%(value)s appears twice") % {"value": repr(question.key)}
                errors.append(FieldError(f"{path}.key", message))
            seen_questions.add(question.key)
            if framework.importance_scale is None:
                if question.importance is not None:
                    errors.append(
                        FieldError(
                            f"{path}.importance", _("this framework has no importance_scale")
                        )
                    )
            elif question.importance is None:
                errors.append(FieldError(f"{path}.importance", _("required by importance_scale")))
            elif question.importance not in importance_codes:
                errors.append(
                    FieldError(
                        f"{path}.importance",
                        _("%(value)s is not one of %(codes)s")
                        % {
                            "value": repr(question.importance),
                            "codes": ", ".join(importance_codes),
                        },
                    )
                )
    return errors


def pydantic_path(location: tuple[int | str, ...]) -> str:
    """('dimensions', 3, 'questions', 2, 'importance') → 'dimensions[3].questions[2].importance'"""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            path += f".{part}" if path else part
        else:
            path += f"[{part!r}]"
    return path
