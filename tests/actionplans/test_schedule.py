from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.actionplans.schedule import Slot, critical_path, dependency_errors, find_cycle


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
