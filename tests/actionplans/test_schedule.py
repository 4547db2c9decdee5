import datetime
from itertools import pairwise

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.actionplans.schedule import (
    Slot,
    add_months,
    critical_path,
    dependency_errors,
    find_cycle,
    month_labels,
)


def test_a_prerequisite_must_end_before_its_dependant_starts() -> None:
    slots = {"a": Slot(1, 6), "b": Slot(4, 3)}
    errors = dependency_errors(slots, {"b": {"a"}})
    assert [e.path for e in errors] == ["b.start_month"]
    assert "b starts in month 4, before a ends (month 6)" in errors[0].message
    assert dependency_errors({"a": Slot(1, 6), "b": Slot(7, 3)}, {"b": {"a"}}) == []


def test_a_cycle_is_refused_naming_its_actions() -> None:
    slots = {k: Slot(1, 1) for k in "abc"}
    errors = dependency_errors(slots, {"a": {"b"}, "b": {"c"}, "c": {"a"}})
    assert len(errors) == 1 and "a → b → c → a" in errors[0].message


def test_an_unknown_prerequisite_is_named() -> None:
    errors = dependency_errors({"a": Slot(1, 1)}, {"a": {"zz"}})
    assert errors[0].path == "a.depends_on" and "zz" in errors[0].message


def test_the_critical_path_is_the_longest_dependent_chain() -> None:
    slots = {"a": Slot(1, 3), "b": Slot(4, 6), "c": Slot(4, 2), "d": Slot(11, 2), "e": Slot(1, 5)}
    prerequisites = {"b": {"a"}, "c": {"a"}, "d": {"b", "c"}}
    assert critical_path(slots, prerequisites) == ["a", "b", "d"]
    assert critical_path({}, {}) == []


def test_a_long_single_action_outlasts_a_shorter_chain() -> None:
    # a (months 1-2) then b (3-5) ends in month 5; c alone runs months 1-6.
    slots = {"a": Slot(1, 2), "b": Slot(3, 3), "c": Slot(1, 6)}
    assert critical_path(slots, {"b": {"a"}}) == ["c"]


def test_a_chain_one_month_longer_than_a_single_action_is_the_critical_path() -> None:
    # b (1-3) then c (4-6) ends in month 6; a alone ends in month 5.
    slots = {"a": Slot(1, 5), "b": Slot(1, 3), "c": Slot(4, 3)}
    assert critical_path(slots, {"c": {"b"}}) == ["b", "c"]


def test_months_are_added_across_years_to_the_first_of_the_month() -> None:
    assert add_months(datetime.date(2019, 4, 15), 0) == datetime.date(2019, 4, 1)
    assert add_months(datetime.date(2019, 4, 1), 9) == datetime.date(2020, 1, 1)
    assert add_months(datetime.date(2019, 12, 1), 1) == datetime.date(2020, 1, 1)
    assert add_months(datetime.date(2019, 11, 1), 26) == datetime.date(2022, 1, 1)


def test_month_heads_without_a_start_are_numbers_grouped_in_plan_years() -> None:
    labels = month_labels(None, 13)
    assert [label["number"] for label in labels] == list(range(1, 14))
    assert [label["year"] for label in labels] == [1] * 12 + [2]
    assert [label["name"] for label in labels] == [str(n) for n in range(1, 14)]


def test_month_heads_from_the_plans_start_in_the_users_language() -> None:
    with translation.override("en"):
        heads = month_labels(datetime.date(2019, 11, 1), 3)
        assert [label["name"] for label in heads] == ["Nov 2019", "Dec 2019", "Jan 2020"]
        assert [label["year"] for label in heads] == [1, 1, 1]
    with translation.override("en-gb"):
        assert [h["name"] for h in month_labels(datetime.date(2019, 4, 1), 2)] == [
            "Apr 2019",
            "May 2019",
        ]
    with translation.override("vi"):
        assert [h["name"] for h in month_labels(datetime.date(2019, 12, 1), 2)] == [
            "thg 12 2019",
            "thg 1 2020",
        ]


graphs = st.dictionaries(
    st.sampled_from("abcdefgh"), st.sets(st.sampled_from("abcdefgh"), max_size=3), max_size=8
)


@settings(max_examples=300, deadline=None)
@given(graphs, st.lists(st.tuples(st.integers(1, 24), st.integers(1, 12)), min_size=8, max_size=8))
def test_any_dependency_graph_is_either_valid_or_refused_with_a_reason(
    prerequisites: dict[str, set[str]], months: list[tuple[int, int]]
) -> None:
    slots = {key: Slot(*months[i]) for i, key in enumerate("abcdefgh")}
    errors = dependency_errors(slots, prerequisites)
    cycle = find_cycle(prerequisites)
    if cycle:
        assert cycle[0] == cycle[-1]
        assert all(b in prerequisites.get(a, set()) for a, b in pairwise(cycle))
        assert errors and "cycle" in errors[0].message
        return
    late = [(k, b) for k, bs in prerequisites.items() for b in bs if slots[k].start <= slots[b].end]
    assert len(errors) == len(late)
    if not errors:
        path = critical_path(slots, prerequisites)
        assert all(before in prerequisites.get(after, set()) for before, after in pairwise(path))
        # No other chain needs longer: the path's total duration bounds every action's
        # earliest possible finish.
        total = sum(slots[k].duration for k in path)

        def longest(key: str) -> int:
            return slots[key].duration + max(
                (longest(b) for b in prerequisites.get(key, ())), default=0
            )

        assert total == max(longest(k) for k in slots)
