"""A framework's action plan: the actions by dimension and phase, the Gantt
chart and the tabular view."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from readiness.actionplans.models import Action
from readiness.actionplans.schedule import Slot, critical_path, month_labels
from readiness.core import formatting
from readiness.core.bilingual import pick
from readiness.frameworks.models import Dimension
from readiness.reports.content._common import FrameworkData, anchor
from readiness.reports.document import (
    Block,
    Bullet,
    Bullets,
    Cell,
    Gantt,
    GanttBar,
    Heading,
    Paragraph,
    Table,
)

BAR_FILL = "#2b5c8a"
CRITICAL_FILL = "#b03a2e"


def cost_text(action: dict[str, Any]) -> str:
    cost = action.get("cost")
    if not cost:
        return action.get("cost_text", "")
    return formatting.cost_range(Decimal(cost["min"]), Decimal(cost["max"]), cost["currency"])


def action_plan(data: FrameworkData, plan: dict[str, Any]) -> list[Block]:
    framework = data.framework
    actions = plan["actions"]
    organisations = {o["abbreviation"]: pick(o["name"]) for o in plan["organisations"]}
    slots = {a["key"]: Slot(a["start_month"], a["duration_months"]) for a in actions}
    critical = critical_path(slots, {a["key"]: set(a["depends_on"]) for a in actions})
    months = max(slot.end for slot in slots.values())
    start = datetime.date.fromisoformat(plan["plan_start"]) if plan.get("plan_start") else None
    summary = _("%(actions)s over %(months)s.") % {
        "actions": ngettext("%(count)s action", "%(count)s actions", len(actions))
        % {"count": len(actions)},
        "months": ngettext("%(count)s month", "%(count)s months", months) % {"count": months},
    }
    if start:
        summary += " " + _("Month 1 is %(month)s.") % {"month": formatting.month_year(start)}
    blocks: list[Block] = [
        Heading(2, _("Action plan"), anchor(framework.key, "plan")),
        Paragraph(summary),
    ]
    titles = {a["key"]: a["title"] for a in actions}
    if critical:
        blocks.append(Paragraph(" → ".join(titles[k] for k in critical), lead=_("Critical path:")))
    by_dimension = group_by_dimension(data, actions)
    phases = list(Action.Phase)
    for dimension, members in by_dimension:
        blocks.append(
            Heading(3, pick(dimension.title), anchor(framework.key, "plan", dimension.key))
        )
        for phase in phases:
            in_phase = [a for a in members if a["phase"] == phase.value]
            if not in_phase:
                continue
            blocks.append(
                Heading(
                    4, str(phase.label), anchor(framework.key, "plan", dimension.key, phase.value)
                )
            )
            for action in in_phase:
                blocks += action_blocks(action, organisations, titles, critical)
    blocks.append(Heading(3, _("Tabular view"), anchor(framework.key, "plan", "grid")))
    blocks.append(
        plan_gantt(
            [
                (a["key"], a["title"], a["start_month"], a["duration_months"])
                for _dimension, members in by_dimension
                for a in members
            ],
            critical,
            start,
        )
    )
    blocks.append(plan_grid(by_dimension, critical, start, months))
    return blocks


def plan_gantt(
    actions: list[tuple[str, str, int, int]], critical: list[str], start: datetime.date | None
) -> Gantt:
    """The Gantt chart of a plan, for the report and the plan page alike:
    `actions` are (key, title, start month, duration) in the plan's order."""
    months = max((first + length - 1 for _key, _title, first, length in actions), default=1)
    axis = _("Month of the plan")
    if start:
        axis = _("Month of the plan (month 1: %(month)s)") % {"month": formatting.month_year(start)}
    return Gantt(
        caption=_("Gantt chart: each action's months; the critical path is hatched and marked *."),
        bars=tuple(
            GanttBar(title, first, first + length - 1, key in critical)
            for key, title, first, length in actions
        ),
        months=max(months, 12),
        month_label=axis,
        critical_label=_("critical path"),
        other_label=_("other actions"),
    )


def group_by_dimension(
    data: FrameworkData, actions: list[dict[str, Any]]
) -> list[tuple[Dimension, list[dict[str, Any]]]]:
    """Each action under its first dimension, dimensions in framework order."""
    groups = []
    for dimension in data.dimensions:
        members = [a for a in actions if a["dimensions"][0] == dimension.key]
        if members:
            groups.append((dimension, sorted(members, key=lambda a: (a["start_month"], a["key"]))))
    return groups


def action_blocks(
    action: dict[str, Any],
    organisations: dict[str, str],
    titles: dict[str, str],
    critical: list[str],
) -> list[Block]:
    def agency(abbreviation: str) -> str:
        name = organisations.get(abbreviation, "")
        return f"{abbreviation} ({name})" if name and name != abbreviation else abbreviation

    facts = [
        Bullet(agency(action["responsible"]), lead=_("Responsible:")),
    ]
    if action["supporting"]:
        facts.append(
            Bullet(", ".join(agency(a) for a in action["supporting"]), lead=_("Supporting:"))
        )
    time = _("months %(start)s to %(end)s") % {
        "start": action["start_month"],
        "end": action["start_month"] + action["duration_months"] - 1,
    }
    if action.get("months"):
        time = "{} ({})".format(action["months"], time)
    facts.append(Bullet(time, lead=_("Time needed:")))
    if cost_text(action):
        facts.append(Bullet(cost_text(action), lead=_("Cost:")))
    if action.get("priority"):
        facts.append(Bullet(str(Action.Priority(action["priority"]).label), lead=_("Priority:")))
    if action["depends_on"]:
        facts.append(
            Bullet(
                "; ".join("{} {}".format(k, titles.get(k, "")) for k in action["depends_on"]),
                lead=_("After:"),
            )
        )
    if action["questions"]:
        facts.append(Bullet(", ".join(action["questions"]), lead=_("Raises questions:")))
    if action["key"] in critical:
        facts.append(Bullet(_("yes"), lead=_("On the critical path:")))
    blocks: list[Block] = [Paragraph(action.get("description", ""), lead=action["title"])]
    blocks.append(Bullets(facts))
    return blocks


def plan_grid(
    by_dimension: list[tuple[Dimension, list[dict[str, Any]]]],
    critical: list[str],
    start: datetime.date | None,
    months: int,
) -> Table:
    labels = month_labels(start, max(months, 12), pattern="MM")
    years = sorted({label["year"] for label in labels})
    top = [
        Cell(_("Action"), bold=True),
        Cell(_("Responsible"), bold=True),
        Cell(_("Cost"), bold=True),
    ]
    top += [
        Cell(
            _("Y%(year)s") % {"year": year},
            bold=True,
            span=sum(1 for label in labels if label["year"] == year),
        )
        for year in years
    ]
    second = [Cell(), Cell(), Cell()] + [Cell(str(label["name"])) for label in labels]
    rows: list[list[Cell]] = []
    for dimension, members in by_dimension:
        rows.append([Cell(pick(dimension.title), bold=True, span=3 + len(labels))])
        for action in members:
            on_path = action["key"] in critical
            end = action["start_month"] + action["duration_months"] - 1
            fill = CRITICAL_FILL if on_path else BAR_FILL
            row = [
                Cell(("* " if on_path else "") + action["title"]),
                Cell(action["responsible"]),
                Cell(cost_text(action)),
            ]
            row += [
                Cell(fill=fill if action["start_month"] <= label["number"] <= end else "")
                for label in labels
            ]
            rows.append(row)
    return Table(
        _("Tabular view: a bar per action over the plan's months; * marks the critical path."),
        [top, second],
        rows,
        kind="grid",
    )
