from dataclasses import dataclass

from readiness.actionplans.models import Action
from readiness.actionplans.schedule import Slot, critical_path
from readiness.assessments.models import Assessment


@dataclass
class PlanView:
    actions: list[Action]
    critical: list[str]  # keys of the actions on the critical path
    months: int  # the plan's length in months (the grid's width)


def plan(assessment: Assessment) -> PlanView:
    """All actions with what the plan views need, in a fixed number of queries."""
    actions = list(
        assessment.actions.select_related("responsible").prefetch_related(
            "supporting", "dimensions__framework", "questions", "depends_on", "updates"
        )
    )
    slots = {a.key: Slot(a.start_month, a.duration_months) for a in actions}
    prerequisites = {a.key: {b.key for b in a.depends_on.all()} for a in actions}
    return PlanView(
        actions=actions,
        critical=critical_path(slots, prerequisites),
        months=max((a.end_month for a in actions), default=0),
    )
