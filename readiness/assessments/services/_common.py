"""Checks and the versioned save that several kinds of write share."""

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from readiness.assessments.models import Assessment, AssessmentFramework
from readiness.core.errors import EditConflict, FieldError, InvalidInput, NotFound
from readiness.core.history import check_version
from readiness.frameworks.models import Framework, RatingLevel


def raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(errors)


def level_by_code(framework: Framework, code: str, field: str = "level") -> RatingLevel:
    level = next((lvl for lvl in framework.levels.all() if lvl.code == code), None)
    if level is None:
        codes = ", ".join(lvl.code for lvl in framework.levels.all())
        raise InvalidInput.single(
            field, _("%(code)r is not one of: %(codes)s") % {"code": code, "codes": codes}
        )
    return level


def framework_of_assessment(assessment: Assessment, framework: Framework) -> None:
    if not AssessmentFramework.objects.filter(assessment=assessment, framework=framework).exists():
        raise NotFound(_("%(framework)s is not used by this assessment") % {"framework": framework})


def save_versioned(
    *,
    model: type[Any],
    lookup: dict[str, Any],
    fields: dict[str, Any],
    expected_version: int | None,
    snapshot: Callable[[Any], dict[str, Any]],
    what: str,
) -> tuple[Any, dict[str, Any] | None]:
    """Create or update the one row `lookup` names, refusing a save based on
    another version than the stored one (EditConflict). Returns the row and
    its snapshot before the change (None when it was created)."""
    row: Any = model.objects.select_for_update(of=("self",)).filter(**lookup).first()
    if row is None:
        if expected_version is not None:
            raise EditConflict(
                message=_("%(what)s was removed in the meantime; nothing was saved.")
                % {"what": what},
                current_version=0,
            )
        try:
            with transaction.atomic():
                row = model.objects.create(**lookup, **fields)
        except IntegrityError:
            current: Any = model.objects.get(**lookup)
            raise EditConflict(
                message=_("%(what)s was saved by someone else in the meantime; yours was not.")
                % {"what": what},
                current_version=current.version,
                current=snapshot(current),
            ) from None
        return row, None
    before = snapshot(row)
    check_version(
        what=what, current_version=row.version, expected_version=expected_version, current=before
    )
    for name, value in fields.items():
        setattr(row, name, value)
    row.version += 1
    row.save()
    return row, before
