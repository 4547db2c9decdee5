"""Who the actor is on an assessment. Services call `require` before every
read of a working draft and every write; `actor=None` is the system itself
(the CLI run by the operator), which may do everything."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import (
    EDITABLE_STATES,
    Action,
    Role,
    State,
    allowed,
    may_transition,
)
from readiness.core.errors import Forbidden, NotFound, WrongState
from readiness.core.history import Actor


@dataclass(frozen=True)
class Access:
    assessment: Assessment
    role: Role | None
    is_admin: bool

    @property
    def is_member(self) -> bool:
        return self.role is not None or self.is_admin

    def can(self, action: Action | str) -> bool:
        return allowed(self.role, Action(action), is_admin=self.is_admin)

    def may_move_to(self, target: State | str) -> bool:
        return may_transition(
            self.role, State(self.assessment.state), State(target), is_admin=self.is_admin
        )

    @property
    def allowed(self) -> frozenset[str]:
        """The actions allowed, for templates: `{% if "comment" in access.allowed %}`."""
        return frozenset(action.value for action in Action if self.can(action))

    @property
    def next_states(self) -> list[State]:
        return [state for state in State if self.may_move_to(state)]

    @property
    def can_edit_now(self) -> bool:
        return self.can(Action.EDIT) and self.assessment.state in EDITABLE_STATES


def access_to(actor: Actor, assessment: Assessment) -> Access:
    if actor is None:
        return Access(assessment, None, is_admin=True)
    if not actor.is_authenticated:
        return Access(assessment, None, is_admin=False)
    role = (
        Membership.objects.filter(assessment=assessment, user_id=actor.pk)
        .values_list("role", flat=True)
        .first()
    )
    return Access(assessment, Role(role) if role else None, is_admin=actor.is_superuser)


def not_found(slug: str) -> NotFound:
    return NotFound(_("no assessment named %s") % slug)


def require(actor: Actor, assessment: Assessment, action: Action = Action.VIEW) -> Access:
    """The actor's access, or NotFound for non-members (drafts are not
    revealed), or Forbidden for members whose role does not allow it."""
    access = access_to(actor, assessment)
    if not access.is_member:
        raise not_found(assessment.slug)
    if not access.can(action):
        raise Forbidden(_("Your role on this assessment does not allow this."))
    return access


def require_editable(actor: Actor, assessment: Assessment) -> Access:
    access = require(actor, assessment, Action.EDIT)
    # Read the state again under a row lock: an edit must not slip in after
    # a concurrent move_to (which locks the same row) froze the assessment.
    assessment.state = (
        Assessment.objects.select_for_update(no_key=True)
        .filter(pk=assessment.pk)
        .values_list("state", flat=True)
        .get()
    )
    check_editable_state(assessment)
    return access


def check_editable_state(assessment: Assessment) -> None:
    if assessment.state not in EDITABLE_STATES:
        raise WrongState(
            _("The assessment is %(state)s; its content can change only as a draft.")
            % {"state": State(assessment.state).label}
        )


def visible_assessments(actor: Actor) -> QuerySet[Assessment]:
    """The working drafts the actor may open."""
    if actor is None or (actor.is_authenticated and actor.is_superuser):
        return Assessment.objects.all()
    if not actor.is_authenticated:
        return Assessment.objects.none()
    return Assessment.objects.filter(memberships__user_id=actor.pk)


def published_assessments() -> QuerySet[Assessment]:
    return Assessment.objects.filter(publications__isnull=False).distinct()
