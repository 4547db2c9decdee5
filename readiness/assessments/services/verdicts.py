"""Dimension verdicts, checked against the rating the questions suggest."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from readiness.assessments.access import require_editable
from readiness.assessments.models import Assessment, DimensionVerdict
from readiness.assessments.rollup import Suggestion
from readiness.assessments.selectors import rated_levels, suggestion
from readiness.assessments.services._common import (
    framework_of_assessment,
    level_by_code,
    raise_if,
    save_versioned,
)
from readiness.core.errors import FieldError, InvalidInput
from readiness.core.history import Actor, acting_user, record_change
from readiness.core.text import LONG, clean_text
from readiness.frameworks.models import Dimension


def verdict_snapshot(verdict: DimensionVerdict) -> dict[str, Any]:
    return {
        "dimension": verdict.dimension.key,
        "level": verdict.level.code,
        "importance": verdict.importance.code if verdict.importance else None,
        "commentary": verdict.commentary,
        "override_reason": verdict.override_reason,
        "version": verdict.version,
    }


def dimension_suggestion(assessment: Assessment, dimension: Dimension) -> Suggestion:
    rated = rated_levels(assessment, dimension)[dimension.pk]
    return suggestion(rated, list(dimension.framework.levels.all()))


@transaction.atomic
def record_verdict(
    *,
    actor: Actor,
    assessment: Assessment,
    dimension: Dimension,
    level_code: str,
    commentary: str = "",
    override_reason: str = "",
    importance_code: str | None = None,
    expected_version: int | None,
) -> DimensionVerdict:
    require_editable(actor, assessment)
    framework = dimension.framework
    framework_of_assessment(assessment, framework)
    level = level_by_code(framework, level_code)
    importance = None
    if importance_code:
        importance = next(
            (i for i in framework.importance_levels.all() if i.code == importance_code), None
        )
        if importance is None:
            codes = ", ".join(i.code for i in framework.importance_levels.all())
            raise InvalidInput.single(
                "importance",
                _("%(code)r is not one of: %(codes)s")
                % {"code": importance_code, "codes": codes or "—"},
            )
    errors: list[FieldError] = []
    commentary = clean_text(commentary, LONG, "commentary", errors)
    override_reason = clean_text(override_reason, LONG, "override_reason", errors)
    raise_if(errors)
    suggestion = dimension_suggestion(assessment, dimension)
    if suggestion.level is not None and suggestion.level != level and not override_reason:
        raise InvalidInput.single(
            "override_reason",
            _("the suggested rating is %(suggested)s; say why the verdict differs")
            % {"suggested": suggestion.level},
        )
    if suggestion.level == level:
        override_reason = ""
    fields = {
        "level": level,
        "importance": importance,
        "commentary": commentary,
        "override_reason": override_reason,
        "updated_by": acting_user(actor),
    }
    verdict, before = save_versioned(
        model=DimensionVerdict,
        lookup={"assessment": assessment, "dimension": dimension},
        fields=fields,
        expected_version=expected_version,
        snapshot=verdict_snapshot,
        what=_("This verdict"),
    )
    record_change(
        assessment_id=assessment.pk,
        entity="verdict",
        entity_id=verdict.pk,
        actor=actor,
        before=before,
        after=verdict_snapshot(verdict),
    )
    return verdict
