"""Who may do what on an assessment: defined once, here, and used by the
services (so web, API and CLI obey the same rules) and by the templates.

Roles are per assessment (Membership). Site administrators (superusers) may
do everything, except decide on a review they submitted themselves. Anyone,
signed in or not, may read the published version of a published assessment;
drafts exist only for their members (others get 404).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from readiness.core.history import Actor


class Role(models.TextChoices):
    LEAD = "lead", _("Lead")
    ASSESSOR = "assessor", _("Assessor")
    REVIEWER = "reviewer", _("Reviewer")
    COUNTERPART = "counterpart", _("Government counterpart")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Action(models.TextChoices):
    VIEW = "view", _("read the working draft")
    EDIT = "edit", _("add evidence, rate questions, draft verdicts")
    COMMENT = "comment", _("comment")
    RESOLVE_COMMENTS = "resolve_comments", _("resolve comments")
    MANAGE_TEAM = "manage_team", _("manage the team and the rating mode")
    SEE_RECONCILIATION = "see_reconciliation", _("see every assessor's independent ratings")
    RECONCILE = "reconcile", _("record agreed ratings")
    TRACK = "track", _("report progress on actions")
    TRACK_PUBLISHED = "track_published", _("report progress on the published plan")


ALL_ROLES = frozenset(Role)

# What the team form offers a new member first: the role that can do least
# harm if nobody changes it. A counterpart reads, comments and reports
# progress on actions (all kept in history); a reviewer could approve the
# work for publication, an assessor change ratings, a lead everything.
NEW_MEMBER_ROLE = Role.COUNTERPART
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.VIEW: ALL_ROLES,
    Action.EDIT: frozenset({Role.LEAD, Role.ASSESSOR}),
    Action.COMMENT: ALL_ROLES,
    Action.RESOLVE_COMMENTS: frozenset({Role.LEAD, Role.REVIEWER}),
    Action.MANAGE_TEAM: frozenset({Role.LEAD}),
    # Assessors settle their disagreements with the lead, so they see the
    # side-by-side ratings; reviewers and counterparts judge the agreed result.
    Action.SEE_RECONCILIATION: frozenset({Role.LEAD, Role.ASSESSOR}),
    Action.RECONCILE: frozenset({Role.LEAD}),
    Action.TRACK: frozenset({Role.LEAD, Role.ASSESSOR, Role.COUNTERPART}),
    # Once published, delivery is tracked by those who own it: the lead, and
    # the government counterpart, who "updates the status of the actions it
    # owns" (PRODUCT.md); the assessors' part ended with the published plan.
    Action.TRACK_PUBLISHED: frozenset({Role.LEAD, Role.COUNTERPART}),
}

# The workflow: (from, to) → who may move it.
TRANSITIONS: dict[tuple[State, State], frozenset[Role]] = {
    (State.DRAFT, State.IN_REVIEW): frozenset({Role.LEAD}),
    (State.IN_REVIEW, State.CHANGES_REQUESTED): frozenset({Role.REVIEWER}),
    (State.IN_REVIEW, State.APPROVED): frozenset({Role.REVIEWER}),
    (State.CHANGES_REQUESTED, State.IN_REVIEW): frozenset({Role.LEAD}),
    (State.APPROVED, State.PUBLISHED): frozenset({Role.LEAD}),
    (State.PUBLISHED, State.DRAFT): frozenset({Role.LEAD}),  # start the next version
    (State.PUBLISHED, State.ARCHIVED): frozenset({Role.LEAD}),
}

# Separation of duties: whoever submitted the current review round may not
# decide it, whatever their role, site administrators included.
REVIEW_DECISIONS = frozenset(
    {(State.IN_REVIEW, State.CHANGES_REQUESTED), (State.IN_REVIEW, State.APPROVED)}
)

# Content (evidence, ratings, verdicts) can change only in these states; a
# draft under review or approved is frozen until it comes back.
EDITABLE_STATES = frozenset({State.DRAFT, State.CHANGES_REQUESTED})

# The team is frozen while a review is under way or its approval stands, so
# that nobody can swap roles to approve their own work.
TEAM_FROZEN_STATES = frozenset({State.IN_REVIEW, State.APPROVED})

# No more progress once archived: the assessment is closed.
TRACKING_STATES = frozenset(State) - {State.ARCHIVED}


def allowed(role: Role | None, action: Action, *, is_admin: bool = False) -> bool:
    return is_admin or (role is not None and role in PERMISSIONS[action])


def may_transition(
    role: Role | None,
    source: State,
    target: State,
    *,
    is_admin: bool = False,
    is_submitter: bool = False,
) -> bool:
    """`is_submitter`: the actor moved the assessment into its current review."""
    if (source, target) not in TRANSITIONS:
        return False
    if is_submitter and (source, target) in REVIEW_DECISIONS:
        return False
    return is_admin or (role is not None and role in TRANSITIONS[(source, target)])


def reconciliation_allows(
    role: Role | None,
    action: Action,
    *,
    independent: bool,
    reconciliation_open: bool,
    is_admin: bool = False,
) -> bool:
    """The one reconciliation rule. Others' independent ratings are seen
    (SEE_RECONCILIATION) only while reconciliation is open; agreed ratings
    are recorded (RECONCILE) then, or at any time outside independent mode,
    where no rating is private."""
    is_open = independent and reconciliation_open
    if not (is_open or (action == Action.RECONCILE and not independent)):
        return False
    return allowed(role, action, is_admin=is_admin)


def may_create_assessments(actor: Actor) -> bool:
    """The site setting ASSESSMENT_CREATORS: "everyone" signed in, "staff"
    (staff users; administrators always may) or the name of a group. The
    system (the CLI without --as) may."""
    if actor is None:
        return True
    if not actor.is_authenticated or not actor.is_active:
        return False
    creators = settings.ASSESSMENT_CREATORS
    if actor.is_superuser or creators == "everyone":
        return True
    if creators == "staff":
        return actor.is_staff
    return actor.groups.filter(name=creators).exists()
