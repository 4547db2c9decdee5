"""The lead's assignments of dimensions and questions to team members."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from readiness.assessments.access import require_team_change
from readiness.assessments.models import Assessment, Assignment
from readiness.assessments.permissions import Action, Role, allowed
from readiness.assessments.services.assessments import assessment_dimension, assessment_question
from readiness.core.errors import InvalidInput, NotFound
from readiness.core.history import Actor, acting_user, record_change
from readiness.core.text import is_storable


def assignment_snapshot(assignment: Assignment) -> dict[str, Any]:
    target = assignment.dimension or assignment.question
    assert target is not None  # the check constraint: one or the other
    return {
        "username": assignment.user.get_username(),
        "framework": target.framework.key,
        "dimension": assignment.dimension.key if assignment.dimension else None,
        "question": assignment.question.key if assignment.question else None,
    }


@transaction.atomic
def assign(
    *,
    actor: Actor,
    assessment: Assessment,
    username: str,
    framework_key: str,
    dimension_key: str | None = None,
    question_key: str | None = None,
) -> Assignment:
    """The lead assigns a dimension or one question (exactly one of the two)
    to a team member who may rate: a lead or an assessor. Part of the team's
    organisation, so under the team's rule (frozen while under review)."""
    require_team_change(actor, assessment)
    if (dimension_key is None) == (question_key is None):
        raise InvalidInput.single("dimension", _("give a dimension or a question, not both"))
    member = (
        assessment.memberships.select_related("user")
        .filter(user__username=username, user__is_active=True)
        .first()
        if is_storable(username)
        else None
    )
    if member is None:
        raise InvalidInput.single("username", _("%s is not on the team") % username)
    if not allowed(Role(member.role), Action.EDIT):
        raise InvalidInput.single("username", _("%s may not rate questions") % username)
    if dimension_key is not None:
        target: dict[str, Any] = {
            "dimension": assessment_dimension(assessment, framework_key, dimension_key)
        }
    else:
        target = {"question": assessment_question(assessment, framework_key, str(question_key))}
    assignment, created = Assignment.objects.get_or_create(
        assessment=assessment,
        user=member.user,
        **target,
        defaults={"assigned_by": acting_user(actor)},
    )
    if created:
        record_change(
            assessment_id=assessment.pk,
            entity="assignment",
            entity_id=assignment.pk,
            actor=actor,
            before=None,
            after=assignment_snapshot(assignment),
        )
    return assignment


@transaction.atomic
def unassign(*, actor: Actor, assessment: Assessment, assignment_id: int) -> None:
    require_team_change(actor, assessment)
    assignment = (
        Assignment.objects.select_related("user", "dimension__framework", "question__framework")
        .filter(assessment=assessment, pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise NotFound(_("no assignment %s in this assessment") % assignment_id)
    before = assignment_snapshot(assignment)
    assignment.delete()
    record_change(
        assessment_id=assessment.pk,
        entity="assignment",
        entity_id=assignment_id,
        actor=actor,
        before=before,
        after=None,
    )
