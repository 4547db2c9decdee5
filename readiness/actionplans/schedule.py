"""Dependency rules and the critical path of an action plan, as pure
functions over (start month, duration) and prerequisite sets."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date
from django.utils.translation import gettext as _

from readiness.core import formatting
from readiness.core.errors import FieldError


@dataclass(frozen=True)
class Slot:
    start: int  # month of the plan, from 1
    duration: int  # months, at least 1

    @property
    def end(self) -> int:
        return self.start + self.duration - 1


def find_cycle(prerequisites: Mapping[str, set[str]]) -> list[str] | None:
    """A dependency cycle as a list of keys (first == last), or None."""
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(key: str) -> list[str] | None:
        state[key] = 1
        stack.append(key)
        for before in sorted(prerequisites.get(key, ())):
            if state.get(before) == 1:
                return [*stack[stack.index(before) :], before]
            if state.get(before) is None:
                found = visit(before)
                if found:
                    return found
        stack.pop()
        state[key] = 2
        return None

    for key in sorted(prerequisites):
        if state.get(key) is None:
            found = visit(key)
            if found:
                return found
    return None


def dependency_errors(
    slots: Mapping[str, Slot], prerequisites: Mapping[str, set[str]]
) -> list[FieldError]:
    """Unknown prerequisites, cycles, and actions that start before one of
    their prerequisites ends; each error names the actions involved."""
    errors = []
    for key, befores in sorted(prerequisites.items()):
        for before in sorted(befores):
            if before not in slots:
                errors.append(
                    FieldError(f"{key}.depends_on", _("%s is not an action of this plan") % before)
                )
    if errors:
        return errors
    cycle = find_cycle(prerequisites)
    if cycle:
        return [
            FieldError(
                f"{cycle[0]}.depends_on",
                _("the dependencies form a cycle: %s") % " → ".join(cycle),
            )
        ]
    for key, befores in sorted(prerequisites.items()):
        for before in sorted(befores):
            if slots[key].start <= slots[before].end:
                errors.append(
                    FieldError(
                        f"{key}.start_month",
                        _(
                            "%(action)s starts in month %(start)d, before %(before)s ends "
                            "(month %(end)d)"
                        )
                        % {
                            "action": key,
                            "start": slots[key].start,
                            "before": before,
                            "end": slots[before].end,
                        },
                    )
                )
    return errors


def critical_path(slots: Mapping[str, Slot], prerequisites: Mapping[str, set[str]]) -> list[str]:
    """The chain of dependent actions that fixes the plan's shortest length:
    with every action started as early as its prerequisites allow, the chain
    ending at the latest finish. Assumes no cycles."""
    earliest_end: dict[str, int] = {}
    via: dict[str, str | None] = {}

    def finish(key: str) -> int:
        if key not in earliest_end:
            befores = sorted(prerequisites.get(key, ()))
            latest = max(befores, key=finish, default=None)
            start = finish(latest) + 1 if latest is not None else 1
            earliest_end[key] = start + slots[key].duration - 1
            via[key] = latest
        return earliest_end[key]

    if not slots:
        return []
    last = max(sorted(slots), key=finish)
    path = [last]
    while (previous := via[path[-1]]) is not None:
        path.append(previous)
    return list(reversed(path))


def add_months(start: datetime.date, months: int) -> datetime.date:
    month = start.month - 1 + months
    return datetime.date(start.year + month // 12, month % 12 + 1, 1)


def month_labels(
    plan_start: datetime.date | None, months: int, pattern: str | None = None
) -> list[dict[str, Any]]:
    """Column heads of the month grid: year of the plan (Y1 …) and month,
    named from the plan's start when it has one, in the one month-head style
    of the language (core.formatting.short_month). The printed report's grid
    passes a Babel `pattern` ("MM"): its month columns are a few millimetres
    wide, under heads that already name the year."""
    labels = []
    for month in range(1, months + 1):
        label = {"number": month, "year": (month - 1) // 12 + 1, "name": str(month)}
        if plan_start:
            day = add_months(plan_start, month - 1)
            label["name"] = (
                formatting.short_month(day)
                if pattern is None
                else format_date(day, pattern, locale=formatting.language())
            )
        labels.append(label)
    return labels
