import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.core.errors import InvalidInput
from readiness.core.readers import MAX_FRAMEWORK_BYTES, read_yaml
from readiness.frameworks.models import Framework, Question
from readiness.frameworks.services import (
    BUILTIN_DIR,
    load_framework,
    validate_framework_data,
)

ODRA = yaml.safe_load((BUILTIN_DIR / "odra-3.1.yaml").read_text(encoding="utf-8"))


def small_framework() -> dict[str, Any]:
    framework = copy.deepcopy(ODRA)
    framework["key"] = "test-fw"
    framework["version"] = "1"
    framework["dimensions"] = framework["dimensions"][:2]
    return framework


def error_paths(data: Any) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        validate_framework_data(data, "fw.yaml")
    return [e.path for e in raised.value.errors]


def test_it_names_the_path_of_an_unknown_importance() -> None:
    framework = small_framework()
    framework["dimensions"][1]["questions"][2]["importance"] = "enormous"
    assert error_paths(framework) == ["dimensions[1].questions[2].importance"]


def test_it_names_a_missing_vietnamese_text() -> None:
    framework = small_framework()
    del framework["dimensions"][0]["questions"][0]["text"]["vi"]
    assert error_paths(framework) == ["dimensions[0].questions[0].text.vi"]


def test_it_refuses_duplicate_question_keys() -> None:
    framework = small_framework()
    framework["dimensions"][1]["questions"][0]["key"] = framework["dimensions"][0]["questions"][0][
        "key"
    ]
    assert error_paths(framework) == ["dimensions[1].questions[0].key"]


def test_it_refuses_two_dimensions_with_the_same_order() -> None:
    framework = small_framework()
    framework["dimensions"][1]["order"] = framework["dimensions"][0]["order"]
    assert error_paths(framework) == ["dimensions[1].order"]


def test_it_refuses_duplicate_dimension_keys_and_rating_codes() -> None:
    framework = small_framework()
    framework["dimensions"][1]["key"] = framework["dimensions"][0]["key"]
    framework["rating_scale"][1]["code"] = framework["rating_scale"][0]["code"]
    assert sorted(error_paths(framework)) == ["dimensions[1].key", "rating_scale[1].code"]


def test_it_names_the_rules_of_the_rating_scale() -> None:
    framework = small_framework()
    for level in framework["rating_scale"]:
        level["score"] = None
    with pytest.raises(InvalidInput) as raised:
        validate_framework_data(framework, "fw.yaml")
    assert [(e.path, e.message) for e in raised.value.errors] == [
        ("rating_scale", "at most one level may have no score"),
        ("rating_scale", "at least two levels need a score"),
    ]


def test_a_question_without_importance_is_refused_when_the_framework_has_a_scale() -> None:
    framework = small_framework()
    del framework["dimensions"][0]["questions"][1]["importance"]
    assert error_paths(framework) == ["dimensions[0].questions[1].importance"]


def test_it_refuses_importance_on_a_framework_without_an_importance_scale() -> None:
    framework = small_framework()
    del framework["importance_scale"]
    assert "dimensions[0].questions[0].importance" in error_paths(framework)


def test_it_refuses_a_bad_colour_and_unknown_fields() -> None:
    framework = small_framework()
    framework["rating_scale"][0]["colour"] = "green"
    framework["surprise"] = 1
    assert sorted(error_paths(framework)) == ["rating_scale[0].colour", "surprise"]


def test_a_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(InvalidInput) as raised:
        read_yaml("key: dgra\ntitle: [unclosed\n", "broken.yaml", max_bytes=MAX_FRAMEWORK_BYTES)
    assert "broken.yaml" in str(raised.value)
    assert "line 3" in str(raised.value)


@pytest.mark.django_db
def test_loading_the_same_version_twice_changes_nothing() -> None:
    parsed = validate_framework_data(small_framework())
    first, created = load_framework(parsed)
    again, created_again = load_framework(parsed)
    assert created and not created_again and first.pk == again.pk


@pytest.mark.django_db
def test_a_changed_framework_needs_a_new_version() -> None:
    load_framework(validate_framework_data(small_framework()))
    changed = small_framework()
    changed["dimensions"][0]["questions"][0]["text"]["en"] = "A reworded question?"
    questions_before = Question.objects.count()
    with pytest.raises(InvalidInput) as raised:
        load_framework(validate_framework_data(changed))
    assert raised.value.errors[0].path == "version"
    assert Question.objects.count() == questions_before
    changed["version"] = "2"
    second, created = load_framework(validate_framework_data(changed))
    assert created
    versions = Framework.objects.filter(key="test-fw").order_by("version")
    assert [(f.key, f.version) for f in versions] == [("test-fw", "1"), ("test-fw", "2")]
    # Two dimensions and eleven questions, like the first version; only the new one reworded.
    assert (second.dimensions.count(), second.questions.count()) == (2, 11)
    first_questions = [f.questions.order_by("order").first() for f in versions]
    assert first_questions[1].text["en"] == "A reworded question?"
    assert (
        first_questions[0].text["en"]
        == small_framework()["dimensions"][0]["questions"][0]["text"]["en"]
    )
    assert first_questions[0].text["en"] != "A reworded question?"


@pytest.mark.django_db
def test_the_cli_validates_without_loading_and_reports_bad_files(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(small_framework(), allow_unicode=True), encoding="utf-8")
    bad_data = small_framework()
    bad_data["dimensions"][0]["questions"][1]["importance"] = "huge"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(bad_data, allow_unicode=True), encoding="utf-8")

    call_command("frameworks", "validate", str(good))
    assert "valid (test-fw 1, 2 dimensions, 11 questions)" in capsys.readouterr().out
    assert not Framework.objects.filter(key="test-fw").exists()

    with pytest.raises(CommandError):
        call_command("frameworks", "load", str(bad))
    assert "dimensions[0].questions[1].importance" in capsys.readouterr().err
    assert not Framework.objects.filter(key="test-fw").exists()

    call_command("frameworks", "load", str(good))
    assert Framework.objects.filter(key="test-fw").exists()
    call_command("frameworks", "list")
    assert "test-fw\t1\t2 dimensions\t11 questions" in capsys.readouterr().out


# Property-based: whatever a file holds, validation either accepts it or
# raises InvalidInput with named paths; it never fails in another way.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


def mutate(data: Any, path: list[Any], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    if isinstance(data, dict) and data:
        key = list(data)[head % len(data)]
        copy_ = dict(data)
        copy_[key] = mutate(data[key], rest, value)
        return copy_
    if isinstance(data, list) and data:
        copy_list = list(data)
        index = head % len(data)
        copy_list[index] = mutate(data[index], rest, value)
        return copy_list
    return value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.lists(st.integers(min_value=0, max_value=50), max_size=6), value=json_values)
def test_any_mutation_of_a_framework_is_accepted_or_refused_with_a_path(
    path: list[int], value: Any
) -> None:
    data = mutate(small_framework(), path, value)
    try:
        validate_framework_data(data, "mutated.yaml")
    except InvalidInput as error:
        assert error.errors and all(isinstance(e.path, str) for e in error.errors)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_parsed_or_refused_cleanly(text: str) -> None:
    try:
        validate_framework_data(
            read_yaml(text, "random.yaml", max_bytes=MAX_FRAMEWORK_BYTES), "random.yaml"
        )
    except InvalidInput as error:
        assert str(error).startswith("random.yaml")
