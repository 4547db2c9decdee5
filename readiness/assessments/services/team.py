"""The team (who is on it, in which role) and the rating mode the lead sets."""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from readiness.assessments.access import require, require_editable, require_team_change
from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import Action, Role
from readiness.core.errors import EditConflict, InvalidInput, NotFound
from readiness.core.history import Actor, check_version, record_change
from readiness.core.text import is_storable


def team_snapshot(assessment: Assessment) -> dict[str, Any]:
    return {
        m.user.get_username(): m.role
        for m in assessment.memberships.select_related("user").order_by("user__username")
    }


def check_member_version(
    assessment: Assessment, username: str, expected_version: int | None
) -> Membership | None:
    """The membership as stored (locked), or None. A caller that claims the
    version it saw (0: not on the team) gets EditConflict if it changed since;
    one that claims none (the API's and CLI's plain set) is not checked."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, user__username=username)
        .first()
        if is_storable(username)
        else None
    )
    if expected_version == 0 and membership is not None:
        raise EditConflict(
            message=_("%(name)s is on the team already, as %(role)s.")
            % {"name": username, "role": Role(membership.role).label},
            current_version=membership.version,
            current={"username": username, "role": membership.role},
        )
    if expected_version is not None:
        check_version(
            what=_("%(name)s's membership") % {"name": username},
            current_version=membership.version if membership else 0,
            expected_version=expected_version,
            current={"username": username, "role": membership.role} if membership else {},
        )
    return membership


@transaction.atomic
def set_member(
    *,
    actor: Actor,
    assessment: Assessment,
    username: str,
    role: str,
    expected_version: int | None = None,
) -> Membership:
    """Add a user to the team, or change their role."""
    require_team_change(actor, assessment)
    if role not in Role.values:
        raise InvalidInput.single("role", _("must be one of: %s") % ", ".join(Role.values))
    user = (
        User.objects.filter(username=username, is_active=True).first()
        if is_storable(username)
        else None
    )
    if user is None:
        raise InvalidInput.single("username", _("no active user %s") % username)
    before = team_snapshot(assessment)
    membership = check_member_version(assessment, username, expected_version)
    if membership is None:
        membership = Membership.objects.create(assessment=assessment, user=user, role=role)
    elif membership.role != role:
        membership.role = role
        membership.version += 1
        membership.save(update_fields=["role", "version"])
    if not assessment.memberships.filter(role=Role.LEAD).exists():
        raise InvalidInput.single("role", _("the team needs at least one lead"))
    record_change(
        assessment_id=assessment.pk,
        entity="team",
        entity_id=assessment.pk,
        actor=actor,
        before=before,
        after=team_snapshot(assessment),
    )
    return membership


@transaction.atomic
def remove_member(
    *, actor: Actor, assessment: Assessment, username: str, expected_version: int | None = None
) -> None:
    require_team_change(actor, assessment)
    before = team_snapshot(assessment)
    membership = check_member_version(assessment, username, expected_version)
    if membership is None:
        raise NotFound(_("%s is not on the team") % username)
    membership.delete()
    if not assessment.memberships.filter(role=Role.LEAD).exists():
        raise InvalidInput.single("username", _("the team needs at least one lead"))
    record_change(
        assessment_id=assessment.pk,
        entity="team",
        entity_id=assessment.pk,
        actor=actor,
        before=before,
        after=team_snapshot(assessment),
    )


def mode_snapshot(assessment: Assessment) -> dict[str, Any]:
    return {
        "independent_rating": assessment.independent_rating,
        "reconciliation_open": assessment.reconciliation_open,
    }


@transaction.atomic
def set_rating_mode(
    *, actor: Actor, assessment: Assessment, independent: bool, reconciliation_open: bool
) -> Assessment:
    """Independent mode keeps each assessor's ratings private until the lead
    opens reconciliation."""
    require_editable(actor, assessment)
    require(actor, assessment, Action.MANAGE_TEAM)
    before = mode_snapshot(assessment)
    assessment.independent_rating = independent
    assessment.reconciliation_open = independent and reconciliation_open
    assessment.save(update_fields=["independent_rating", "reconciliation_open"])
    record_change(
        assessment_id=assessment.pk,
        entity="assessment",
        entity_id=assessment.pk,
        actor=actor,
        before=before,
        after=mode_snapshot(assessment),
    )
    return assessment
