"""The overview's "Review and publication" part: the workflow buttons and the
readiness checklist (reviews.checklist), given to the assessments app's page
as a template tag so that assessments need not import reviews."""

from typing import Any

from django import template

from readiness.assessments.access import Access
from readiness.assessments.permissions import State
from readiness.reviews.checklist import checklist

register = template.Library()


@register.inclusion_tag("reviews/_workflow.html")
def workflow_panel(access: Access) -> dict[str, Any]:
    assessment = access.assessment
    return {
        "assessment": assessment,
        "access": access,
        "checklist": checklist(assessment),
        "may_publish": State.PUBLISHED in access.next_states,
    }
