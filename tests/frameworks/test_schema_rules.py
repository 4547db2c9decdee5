"""The framework format's own rules (readiness/frameworks/schema.py), each at
its boundary and with its exact message: the scale's scored and unscored
levels, duplicates in every list, importance, the size limit, and the paths
errors are reported at."""

import copy
from typing import Any

import pytest
import yaml

from readiness.core.errors import InvalidInput
from readiness.frameworks import schema
from readiness.frameworks.services import BUILTIN_DIR, validate_framework_data

ODRA = yaml.safe_load((BUILTIN_DIR / "odra-3.1.yaml").read_text(encoding="utf-8"))
# ODRA 3.1's scale: five scored levels, then grey without a score.
GREEN, YELLOW_GREEN, YELLOW, YELLOW_RED, RED, GREY = range(6)


def odra() -> dict[str, Any]:
    framework = copy.deepcopy(ODRA)
    framework["key"] = "test-fw"
    return framework


def refusals(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as raised:
        validate_framework_data(data, "fw.yaml")
    return [(e.path, e.message) for e in raised.value.errors]


def with_levels(*indexes: int) -> dict[str, Any]:
    framework = odra()
    framework["rating_scale"] = [ODRA["rating_scale"][i] for i in indexes]
    return framework


def test_a_scale_of_exactly_two_scored_levels_is_enough() -> None:
    assert len(validate_framework_data(with_levels(GREEN, RED)).rating_scale) == 2


def test_one_scored_level_and_one_without_a_score_is_refused() -> None:
    assert refusals(with_levels(GREEN, GREY)) == [
        ("rating_scale", "at least two levels need a score")
    ]


def test_two_levels_without_a_score_are_refused_even_with_enough_scored_ones() -> None:
    framework = with_levels(GREEN, YELLOW, RED, GREY, GREY)
    framework["rating_scale"][4] = {**framework["rating_scale"][4], "code": "unknown"}
    assert refusals(framework) == [("rating_scale", "at most one level may have no score")]


def test_a_duplicate_importance_code_is_named_at_its_second_place() -> None:
    framework = odra()
    framework["importance_scale"][2]["code"] = "very_high"
    assert refusals(framework) == [
        ("importance_scale[2].code", "'very_high' appears twice"),
        # The questions of ODRA that said medium_high no longer find it.
        *[
            (path, "'medium_high' is not one of very_high, high, very_high, medium")
            for path in medium_high_questions()
        ],
    ]


def medium_high_questions() -> list[str]:
    return [
        f"dimensions[{d}].questions[{q}].importance"
        for d, dimension in enumerate(ODRA["dimensions"])
        for q, question in enumerate(dimension["questions"])
        if question["importance"] == "medium_high"
    ]


def test_the_same_evidence_sign_twice_is_refused() -> None:
    framework = odra()
    framework["evidence_signs"][2]["code"] = "+"
    assert refusals(framework) == [("evidence_signs[2].code", "'+' appears twice")]


def test_a_question_key_used_twice_in_one_dimension_is_refused() -> None:
    framework = odra()
    framework["dimensions"][0]["questions"][4]["key"] = "1.2"
    assert refusals(framework) == [("dimensions[0].questions[4].key", "'1.2' appears twice")]


def test_the_same_order_twice_names_the_later_dimension_with_its_value() -> None:
    framework = odra()
    framework["dimensions"][5]["order"] = 2
    assert refusals(framework) == [("dimensions[5].order", "'2' appears twice")]


def test_an_unknown_importance_lists_the_codes_of_the_scale() -> None:
    framework = odra()
    framework["dimensions"][1]["questions"][0]["importance"] = "enormous"
    assert refusals(framework) == [
        (
            "dimensions[1].questions[0].importance",
            "'enormous' is not one of very_high, high, medium_high, medium",
        )
    ]


def test_a_missing_importance_and_an_importance_without_a_scale_say_so() -> None:
    framework = odra()
    del framework["dimensions"][2]["questions"][3]["importance"]
    assert refusals(framework) == [
        ("dimensions[2].questions[3].importance", "required by importance_scale")
    ]
    framework = odra()
    del framework["importance_scale"]
    framework["dimensions"] = framework["dimensions"][:1]
    for question in framework["dimensions"][0]["questions"][1:]:
        del question["importance"]
    assert refusals(framework) == [
        ("dimensions[0].questions[0].importance", "this framework has no importance_scale")
    ]


def numbered_questions(count: int) -> list[dict[str, Any]]:
    template = {k: v for k, v in ODRA["dimensions"][0]["questions"][0].items() if k != "key"}
    return [{**template, "key": f"q{n}"} for n in range(count)]


def large(sizes: list[int]) -> dict[str, Any]:
    framework = odra()
    template = ODRA["dimensions"][0]
    questions = iter(numbered_questions(sum(sizes)))
    framework["dimensions"] = [
        {
            **template,
            "key": f"d{d}",
            "order": d + 1,
            "questions": [next(questions) for _ in range(n)],
        }
        for d, n in enumerate(sizes)
    ]
    return framework


def test_two_thousand_questions_in_all_are_accepted() -> None:
    assert len(validate_framework_data(large([300] * 6 + [200])).dimensions) == 7


def test_one_question_over_two_thousand_is_the_only_error_reported() -> None:
    framework = large([300] * 6 + [201])
    # Otherwise refused too: the size is checked before anything else.
    framework["dimensions"][1]["key"] = "d0"
    assert refusals(framework) == [("dimensions", "2001 questions in all; the limit is 2000")]


@pytest.mark.parametrize(
    ("location", "path"),
    [
        (("dimensions", 3, "questions", 2, "importance"), "dimensions[3].questions[2].importance"),
        ((0, "key"), "[0].key"),
        (("_private",), "_private"),
        (("Extra", "X_1"), "Extra.X_1"),
        (("rating_scale", "a b"), "rating_scale['a b']"),
        (("9lives",), "['9lives']"),
        (("x", "é"), "x['é']"),
        ((), ""),
    ],
)
def test_a_pydantic_location_becomes_the_path_people_read(
    location: tuple[int | str, ...], path: str
) -> None:
    assert schema.pydantic_path(location) == path
