from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext as _

from readiness.core.errors import EditConflict
from readiness.core.models import ChangeRecord

Actor = User | AnonymousUser | None


def acting_user(actor: Actor) -> User | None:
    """The user to store as author: nobody for imports run from the CLI."""
    return actor if isinstance(actor, User) else None


def record_change(
    *,
    assessment_id: int,
    entity: str,
    entity_id: int,
    actor: Actor,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    question_id: int | None = None,
) -> ChangeRecord:
    action = (
        ChangeRecord.Action.CREATE
        if before is None
        else ChangeRecord.Action.DELETE
        if after is None
        else ChangeRecord.Action.UPDATE
    )
    return ChangeRecord.objects.create(
        assessment_id=assessment_id,
        question_id=question_id,
        entity=entity,
        entity_id=entity_id,
        action=action,
        before=before,
        after=after,
        actor=acting_user(actor),
    )


def check_version(
    *, what: str, current_version: int, expected_version: int | None, current: dict[str, Any]
) -> None:
    """Refuse a save that was based on another version than the stored one."""
    if expected_version != current_version:
        raise EditConflict(
            message=_(
                "%(what)s was changed by someone else in the meantime (now version "
                "%(version)s). Your text was not saved; compare it with theirs and save again."
            )
            % {"what": what, "version": current_version},
            current_version=current_version,
            current=current,
        )
