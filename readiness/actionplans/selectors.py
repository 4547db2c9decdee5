from dataclasses import dataclass

from readiness.actionplans.models import Action, ActionUpdate
from readiness.actionplans.schedule import Slot, critical_path
from readiness.assessments.models import Assessment
from readiness.core.bilingual import pick


@dataclass
class PlanView:
    actions: list[Action]
    critical: list[str]  # keys of the actions on the critical path
    months: int  # the plan's length in months (the grid's width)


def plan(assessment: Assessment) -> PlanView:
    """All actions with what the plan views need, in a fixed number of
    queries; by dimension in the order of the frameworks (the assessment's,
    then each framework's own), then by phase, start month and key."""
    actions = list(
        assessment.actions.select_related("responsible").prefetch_related(
            "supporting", "dimensions__framework", "questions", "depends_on", "updates__author"
        )
    )
    framework_order = {link.framework_id: link.order for link in assessment.framework_links.all()}
    phase_order = {phase: position for position, phase in enumerate(Action.Phase.values)}

    def place(action: Action) -> tuple[int, int, int, int, str]:
        dimension = action.dimensions.all()[0]
        return (
            framework_order.get(dimension.framework_id, 0),
            dimension.order,
            phase_order[action.phase],
            action.start_month,
            action.key,
        )

    actions.sort(key=place)
    slots = {a.key: Slot(a.start_month, a.duration_months) for a in actions}
    prerequisites = {a.key: {b.key for b in a.depends_on.all()} for a in actions}
    return PlanView(
        actions=actions,
        critical=critical_path(slots, prerequisites),
        months=max((a.end_month for a in actions), default=0),
    )


def critical_actions(view: PlanView) -> list[Action]:
    """The actions of the critical path, in order: what the pages name by title."""
    by_key = {a.key: a for a in view.actions}
    return [by_key[key] for key in view.critical]


@dataclass
class ProgressSummary:
    label: str
    total: int
    by_status: dict[str, int]
    mean_percent: float


def progress_summaries(
    actions: list[Action],
) -> tuple[list[ProgressSummary], list[ProgressSummary]]:
    """Per dimension (in the order of `actions`) and per responsible agency:
    actions by status and the mean of their latest reported percent (0 when
    none was reported)."""

    def summarise(groups: dict[str, list[Action]]) -> list[ProgressSummary]:
        summaries = []
        for label, members in groups.items():
            latest = [list(a.updates.all()) for a in members]
            percents = [u[-1].percent if u else 0 for u in latest]
            by_status: dict[str, int] = {}
            for action in members:
                by_status[action.status] = by_status.get(action.status, 0) + 1
            summaries.append(
                ProgressSummary(label, len(members), by_status, sum(percents) / len(members))
            )
        return summaries

    by_dimension: dict[str, list[Action]] = {}
    by_agency: dict[str, list[Action]] = {}
    for action in actions:
        dimension = action.dimensions.all()[0]
        label = f"{pick(dimension.framework.short_title)} {dimension.key}. {pick(dimension.title)}"
        by_dimension.setdefault(label, []).append(action)
        by_agency.setdefault(action.responsible.abbreviation, []).append(action)
    return summarise(by_dimension), summarise(dict(sorted(by_agency.items())))


def timeline(actions: list[Action]) -> list[ActionUpdate]:
    """Every progress update of the plan, newest first."""
    updates = [u for a in actions for u in a.updates.all()]
    return sorted(updates, key=lambda u: (u.date, u.pk), reverse=True)
