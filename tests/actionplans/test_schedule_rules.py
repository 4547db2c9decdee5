"""Schedule rules the mutation run showed untested (docs/testing.md): the exact
messages of refused dependencies, a checked graph's cost, and month heads
with no active language."""

import datetime
import signal
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import translation

from readiness.actionplans.schedule import Slot, dependency_errors, find_cycle, month_labels


@contextmanager
def at_most(seconds: int) -> Iterator[None]:
    def too_slow(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_an_unknown_prerequisite_is_refused_with_the_whole_message() -> None:
    with translation.override("en"):
        errors = dependency_errors({"a": Slot(1, 1)}, {"a": {"zz"}})
    assert [(e.path, e.message) for e in errors] == [
        ("a.depends_on", "zz is not an action of this plan")
    ]


def test_a_cycle_is_refused_with_the_whole_message() -> None:
    slots = {k: Slot(1, 1) for k in "abc"}
    with translation.override("en"):
        errors = dependency_errors(slots, {"a": {"b"}, "b": {"c"}, "c": {"a"}})
    assert [(e.path, e.message) for e in errors] == [
        ("a.depends_on", "the dependencies form a cycle: a → b → c → a")
    ]


def test_a_deep_graph_of_shared_prerequisites_is_checked_in_a_moment() -> None:
    # 40 diamonds in a row: end40 needs left39 and right39, both need end39, …
    # Walking every path instead of every action once would take 2**40 steps;
    # a plan sent through the API must not be able to hang the server.
    prerequisites: dict[str, set[str]] = {}
    for i in range(40):
        prerequisites[f"left{i}"] = {f"end{i}"}
        prerequisites[f"right{i}"] = {f"end{i}"}
        prerequisites[f"end{i + 1}"] = {f"left{i}", f"right{i}"}
    with at_most(5):
        assert find_cycle(prerequisites) is None


def test_month_heads_with_no_active_language_are_english() -> None:
    with translation.override(None):
        heads = month_labels(datetime.date(2019, 11, 1), 2)
    assert [h["name"] for h in heads] == ["Nov 2019", "Dec 2019"]


def test_a_month_pattern_names_each_month_in_the_reports_language() -> None:
    # The printed grid's heads: Babel's "MMM" from the plan's start, in the
    # language of the report (written out by hand from the CLDR names).
    start = datetime.date(2026, 11, 1)
    with translation.override("en"):
        assert [label["name"] for label in month_labels(start, 3, "MMM")] == [
            "Nov",
            "Dec",
            "Jan",
        ]
    with translation.override("vi"):
        assert [label["name"] for label in month_labels(start, 3, "MMM")] == [
            "thg 11",
            "thg 12",
            "thg 1",
        ]
