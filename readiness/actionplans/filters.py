"""The filters and sorts of the list of a plan's actions, for the API and
the web list alike (readiness/core/filtering.py)."""

import datetime
from typing import Annotated

from django.db.models import F, Q, QuerySet
from ninja import Field, Schema

from readiness.actionplans.models import Action
from readiness.actionplans.schedule import Slot, critical_path
from readiness.actionplans.services import deleted_actions
from readiness.assessments.models import Assessment
from readiness.core.choices import OneOf
from readiness.core.filtering import PageQuery, SearchText
from readiness.core.models import ChangeRecord
from readiness.core.pagination import Ordering, Page, SortField, paginate
from readiness.core.text import KeyText

ACTION_ORDER = Ordering(
    {
        "start": SortField("start_month"),
        "key": SortField("key"),
        "title": SortField("title"),
        "phase": SortField("phase"),
        "status": SortField("status"),
        "owner": SortField("responsible__abbreviation"),
    },
    default="start",
)

# Finished one way or the other: never overdue.
CLOSED = (Action.Status.DONE, Action.Status.DROPPED)


def current_month(plan_start: datetime.date, today: datetime.date) -> int:
    """The plan month `today` falls in (month 1 is the plan's start)."""
    return (today.year - plan_start.year) * 12 + today.month - plan_start.month + 1


def is_overdue(action: Action, plan_start: datetime.date | None, today: datetime.date) -> bool:
    """The `overdue` filter's rule, for one action already loaded."""
    return (
        plan_start is not None
        and action.end_month < current_month(plan_start, today)
        and action.status not in CLOSED
    )


class ActionFilters(Schema):
    q: SearchText | None = Field(None, description="Words in the key or the title.")
    phase: Annotated[str, OneOf(Action.Phase.values)] | None = None
    status: Annotated[str, OneOf(Action.Status.values)] | None = None
    owner: KeyText | None = Field(
        None, description="The responsible organisation's abbreviation (whatever the case)."
    )
    overdue: bool | None = Field(
        None,
        description="Past its last planned month and neither done nor dropped "
        "(none is, before the plan has a start).",
    )
    sort: Annotated[str, OneOf(ACTION_ORDER.choices)] | None = Field(
        None, description="A column, `-column` for descending; `start` by default."
    )

    def apply(
        self, actions: QuerySet[Action], assessment: Assessment, today: datetime.date
    ) -> QuerySet[Action]:
        if self.q:
            actions = actions.filter(Q(key__icontains=self.q) | Q(title__icontains=self.q))
        if self.phase:
            actions = actions.filter(phase=self.phase)
        if self.status:
            actions = actions.filter(status=self.status)
        if self.owner:
            actions = actions.filter(responsible__abbreviation__iexact=self.owner)
        if self.overdue is not None:
            if assessment.plan_start is None:
                overdue = Q(pk__in=[])
            else:
                now = current_month(assessment.plan_start, today)
                overdue = Q(last_month__lt=now) & ~Q(status__in=CLOSED)
            actions = actions.annotate(last_month=F("start_month") + F("duration_months") - 1)
            actions = actions.filter(overdue if self.overdue else ~overdue)
        return actions


def critical_keys(assessment: Assessment) -> set[str]:
    """The plan's critical path, from the schedule alone (two queries)."""
    slots = {
        key: Slot(start, duration)
        for key, start, duration in assessment.actions.values_list(
            "key", "start_month", "duration_months"
        )
    }
    prerequisites: dict[str, set[str]] = {key: set() for key in slots}
    for key, prerequisite in Action.depends_on.through.objects.filter(
        from_action__assessment=assessment
    ).values_list("from_action__key", "to_action__key"):
        prerequisites[key].add(prerequisite)
    return set(critical_path(slots, prerequisites))


def action_page(
    assessment: Assessment, filters: ActionFilters, page: PageQuery, today: datetime.date
) -> Page[Action]:
    """One page of the plan's actions, filtered, with what each row shows."""
    actions = filters.apply(assessment.actions.all(), assessment, today)
    actions = actions.select_related("responsible").prefetch_related(
        "supporting", "dimensions__framework", "questions", "depends_on", "updates__author"
    )
    return paginate(actions, ACTION_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit)


DELETED_ORDER = Ordering({"deleted": SortField("at")}, default="-deleted")


class DeletedActionFilters(Schema):
    sort: Annotated[str, OneOf(DELETED_ORDER.choices)] | None = Field(
        None, description="`-deleted` (newest first, the default) or `deleted`."
    )


def deleted_action_page(
    assessment: Assessment, filters: DeletedActionFilters, page: PageQuery
) -> Page[ChangeRecord]:
    """One page of the deletions that could be undone (services.deleted_actions)."""
    restorable = [change.pk for change in deleted_actions(assessment)]
    changes = ChangeRecord.objects.filter(pk__in=restorable).select_related("actor")
    return paginate(changes, DELETED_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit)
