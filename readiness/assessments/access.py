"""Who the actor is on an assessment. Services call `require` before every
read of a working draft and every write; `actor=None` is the system itself
(the CLI run by the operator), which may do everything."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import (
    EDITABLE_STATES,
    TEAM_FROZEN_STATES,
    TRACKING_STATES,
    Action,
    Role,
    State,
    allowed,
    may_transition,
    reconciliation_allows,
)
from readiness.core.errors import Forbidden, NotFound, WrongState
from readiness.core.history import Actor
from readiness.core.models import ChangeRecord


@dataclass(frozen=True)
class Access:
    assessment: Assessment
    role: Role | None
    is_admin: bool
    # The actor moved the assessment into the review that is under way now.
    is_submitter: bool = False

    @property
    def is_member(self) -> bool:
        return self.role is not None or self.is_admin

    def can(self, action: Action | str) -> bool:
        return allowed(self.role, Action(action), is_admin=self.is_admin)

    def may_move_to(self, target: State | str) -> bool:
        return may_transition(
            self.role,
            State(self.assessment.state),
            State(target),
            is_admin=self.is_admin,
            is_submitter=self.is_submitter,
        )

    def reconciliation_allows(self, action: Action) -> bool:
        return reconciliation_allows(
            self.role,
            action,
            independent=self.assessment.independent_rating,
            reconciliation_open=self.assessment.reconciliation_open,
            is_admin=self.is_admin,
        )

    @property
    def may_change_team_now(self) -> bool:
        """For templates; require_team_change says why not."""
        return self.can(Action.MANAGE_TEAM) and self.assessment.state not in TEAM_FROZEN_STATES

    @property
    def tracking_permission(self) -> Action:
        """Progress on actions: the tracking roles (TRACK) before publication;
        once published, only those who track delivery (TRACK_PUBLISHED)."""
        published = self.assessment.publications.exists()
        return Action.TRACK_PUBLISHED if published else Action.TRACK

    @property
    def may_track(self) -> bool:
        """For templates: whether to offer the progress form now."""
        return self.assessment.state in TRACKING_STATES and self.can(self.tracking_permission)

    @property
    def sees_reconciliation(self) -> bool:
        """For templates: whether to offer the reconciliation pages."""
        return self.reconciliation_allows(Action.SEE_RECONCILIATION)

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
    return Access(
        assessment,
        Role(role) if role else None,
        is_admin=actor.is_superuser,
        is_submitter=assessment.state == State.IN_REVIEW
        and last_moved_by(assessment, State.IN_REVIEW) == actor.pk,
    )


def last_moved_by(assessment: Assessment, state: State) -> int | None:
    """Who last moved the assessment into `state` (None for the system or
    never). The workflow history is the record: move_to writes it in the
    same transaction as the move."""
    return (
        ChangeRecord.objects.filter(
            assessment=assessment, entity="workflow", after__state=state.value
        )
        .order_by("-id")
        .values_list("actor_id", flat=True)
        .first()
    )


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


def require_reconciliation(actor: Actor, assessment: Assessment, action: Action) -> Access:
    """Every door that shows others' independent ratings (SEE_RECONCILIATION)
    or records an agreed rating (RECONCILE) asks here, and only here."""
    access = require(actor, assessment, Action.VIEW)
    if access.reconciliation_allows(action):
        return access
    if access.can(action):
        raise Forbidden(_("Reconciliation has not been opened yet."))
    raise Forbidden(_("Your role on this assessment does not allow this."))


def require_team_change(actor: Actor, assessment: Assessment) -> Access:
    """The lead changes the team, but not while a review is under way or its
    approval stands: nobody may swap roles to approve their own work."""
    access = require(actor, assessment, Action.MANAGE_TEAM)
    if assessment.state in TEAM_FROZEN_STATES:
        raise WrongState(
            _("The assessment is %(state)s; its team cannot change until the review is over.")
            % {"state": State(assessment.state).label}
        )
    return access


def require_tracking(actor: Actor, assessment: Assessment) -> Access:
    """Progress on actions (Access.tracking_permission), never on an
    archived assessment."""
    access = require(actor, assessment, Action.VIEW)
    if not access.can(access.tracking_permission):
        raise Forbidden(_("Your role on this assessment does not allow this."))
    if assessment.state not in TRACKING_STATES:
        raise WrongState(
            _("The assessment is %(state)s; progress can no longer be reported.")
            % {"state": State(assessment.state).label}
        )
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
