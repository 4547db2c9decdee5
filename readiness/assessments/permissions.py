"""Who may do what on an assessment: defined once, here, and used by the
services (so web, API and CLI obey the same rules) and by the templates.

Roles are per assessment (Membership). Site administrators (superusers) may
do everything. Anyone, signed in or not, may read the published version of a
published assessment; drafts exist only for their members (others get 404).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    RECONCILE = "reconcile", _("record agreed ratings")
    TRACK = "track", _("report progress on actions")


ALL_ROLES = frozenset(Role)
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.VIEW: ALL_ROLES,
    Action.EDIT: frozenset({Role.LEAD, Role.ASSESSOR}),
    Action.COMMENT: ALL_ROLES,
    Action.RESOLVE_COMMENTS: frozenset({Role.LEAD, Role.REVIEWER}),
    Action.MANAGE_TEAM: frozenset({Role.LEAD}),
    Action.RECONCILE: frozenset({Role.LEAD}),
    Action.TRACK: frozenset({Role.LEAD, Role.ASSESSOR, Role.COUNTERPART}),
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

# Content (evidence, ratings, verdicts) can change only in these states; a
# draft under review or approved is frozen until it comes back.
EDITABLE_STATES = frozenset({State.DRAFT, State.CHANGES_REQUESTED})


def allowed(role: Role | None, action: Action, *, is_admin: bool = False) -> bool:
    return is_admin or (role is not None and role in PERMISSIONS[action])


def may_transition(
    role: Role | None, source: State, target: State, *, is_admin: bool = False
) -> bool:
    if (source, target) not in TRANSITIONS:
        return False
    return is_admin or (role is not None and role in TRANSITIONS[(source, target)])
