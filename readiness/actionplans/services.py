"""Writes to action plans: actions, their dependencies and progress. The
content of a plan changes like the rest of an assessment (lead and assessors,
draft only); progress is reported by the lead, assessors and the government
counterpart at any time, since tracking goes on after publication."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from readiness.actionplans.models import Action, ActionUpdate, Organisation
from readiness.actionplans.schedule import Slot, dependency_errors
from readiness.assessments.access import require, require_editable
from readiness.assessments.models import Assessment
from readiness.assessments.permissions import Action as Permission
from readiness.core.errors import FieldError, InvalidInput, NotFound
from readiness.core.history import Actor, acting_user, check_version, record_change
from readiness.frameworks.services import errors_from_pydantic

FORMAT = "readiness-action-plan/1"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Text(Strict):
    en: str = Field(min_length=1)
    vi: str = Field(min_length=1)


class OrganisationDoc(Strict):
    abbreviation: str = Field(min_length=1, max_length=30)
    name: Text
    kind: Organisation.Kind


class CostDoc(Strict):
    min: Decimal = Field(ge=0)
    max: Decimal = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class ActionDoc(Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    dimensions: list[str] = Field(min_length=1)
    questions: list[str] = []
    phase: Action.Phase
    responsible: str
    supporting: list[str] = []
    start_month: int = Field(ge=1, le=240)
    duration_months: int = Field(ge=1, le=240)
    months: str = Field("", max_length=200)
    cost: CostDoc | None = None
    cost_text: str = Field("", max_length=500)
    priority: Action.Priority | None = None
    depends_on: list[str] = []
    source: str = Field("", max_length=500)
    note: str = ""


class PlanDoc(Strict):
    format: str = Field(pattern=r"^readiness-action-plan/1$")
    assessment: str
    framework: str
    plan_start: datetime.date | None = None
    organisations: list[OrganisationDoc] = []
    actions: list[ActionDoc]


def action_snapshot(action: Action) -> dict[str, Any]:
    return {
        "key": action.key,
        "title": action.title,
        "phase": action.phase,
        "responsible": action.responsible.abbreviation,
        "start_month": action.start_month,
        "duration_months": action.duration_months,
        "status": action.status,
        "depends_on": sorted(a.key for a in action.depends_on.all()),
        "version": action.version,
    }


def export_plans(assessment: Assessment) -> list[dict[str, Any]]:
    """The plan as `readiness-action-plan/1` documents, one per framework that
    has actions, with the organisations they name: what a publication freezes
    and what reports are made from."""
    actions = list(
        assessment.actions.select_related("responsible").prefetch_related(
            "dimensions__framework", "questions", "supporting", "depends_on"
        )
    )
    by_framework: dict[str, list[Action]] = {}
    for action in actions:
        by_framework.setdefault(action.dimensions.all()[0].framework.key, []).append(action)
    documents = []
    for link in assessment.framework_links.select_related("framework"):
        members = by_framework.get(link.framework.key)
        if not members:
            continue
        organisations = {a.responsible for a in members} | {
            o for a in members for o in a.supporting.all()
        }
        documents.append(
            {
                "format": FORMAT,
                "assessment": assessment.slug,
                "framework": link.framework.key,
                "plan_start": assessment.plan_start.isoformat() if assessment.plan_start else None,
                "organisations": [
                    {"abbreviation": o.abbreviation, "name": o.name, "kind": o.kind}
                    for o in sorted(organisations, key=lambda o: o.abbreviation)
                ],
                "actions": [action_document(a) for a in members],
            }
        )
    return documents


def action_document(action: Action) -> dict[str, Any]:
    document: dict[str, Any] = {
        "key": action.key,
        "title": action.title,
        "description": action.description,
        "dimensions": [d.key for d in action.dimensions.all()],
        "questions": [q.key for q in action.questions.all()],
        "phase": action.phase,
        "responsible": action.responsible.abbreviation,
        "supporting": sorted(o.abbreviation for o in action.supporting.all()),
        "start_month": action.start_month,
        "duration_months": action.duration_months,
        "months": action.months_text,
        "cost_text": action.cost_text,
        "priority": action.priority or None,
        "depends_on": sorted(a.key for a in action.depends_on.all()),
        "source": action.source,
        "note": action.note,
    }
    if action.cost_min is not None and action.cost_max is not None:
        document["cost"] = {
            "min": int(action.cost_min),
            "max": int(action.cost_max),
            "currency": action.currency,
        }
    return document


def plan_errors(assessment: Assessment) -> list[FieldError]:
    actions = list(assessment.actions.prefetch_related("depends_on"))
    slots = {a.key: Slot(a.start_month, a.duration_months) for a in actions}
    prerequisites = {a.key: {b.key for b in a.depends_on.all()} for a in actions}
    return dependency_errors(slots, prerequisites)


@transaction.atomic
def import_plan(actor: Actor, data: Any, source: str = "") -> list[Action]:
    """Add the actions of a `readiness-action-plan/1` document to its
    assessment, all or nothing; errors name the action and field."""
    try:
        plan = PlanDoc.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(errors_from_pydantic(error), source) from None
    assessment = Assessment.objects.filter(slug=plan.assessment).first()
    if assessment is None:
        raise InvalidInput.single(
            "assessment", _("no assessment named %s") % plan.assessment, source
        )
    require_editable(actor, assessment)
    framework = assessment.frameworks.filter(key=plan.framework).first()
    if framework is None:
        raise InvalidInput.single(
            "framework", _("%s is not used by this assessment") % plan.framework, source
        )
    country = assessment.subject_code.split("-")[0]
    for org in plan.organisations:
        Organisation.objects.get_or_create(
            country_code=country,
            abbreviation=org.abbreviation,
            defaults={"name": org.name.model_dump(), "kind": org.kind},
        )
    organisations = {o.abbreviation: o for o in Organisation.objects.filter(country_code=country)}
    dimensions = {d.key: d for d in framework.dimensions.all()}
    questions = {q.key: q for q in framework.questions.all()}
    errors: list[FieldError] = []
    created: dict[str, Action] = {}
    for index, doc in enumerate(plan.actions):
        path = f"actions[{index}]"
        problems = action_reference_errors(path, doc, organisations, dimensions, questions)
        if assessment.actions.filter(key=doc.key).exists() or doc.key in created:
            problems.append(FieldError(f"{path}.key", _("%s exists already") % doc.key))
        if problems:
            errors += problems
            continue
        action = Action.objects.create(
            assessment=assessment,
            key=doc.key,
            title=doc.title,
            description=doc.description,
            phase=doc.phase,
            responsible=organisations[doc.responsible],
            start_month=doc.start_month,
            duration_months=doc.duration_months,
            months_text=doc.months,
            cost_min=doc.cost.min if doc.cost else None,
            cost_max=doc.cost.max if doc.cost else None,
            currency=doc.cost.currency if doc.cost else "",
            cost_text=doc.cost_text,
            priority=doc.priority or "",
            source=doc.source,
            note=doc.note,
        )
        action.dimensions.set([dimensions[k] for k in doc.dimensions])
        action.questions.set([questions[k] for k in doc.questions])
        action.supporting.set([organisations[a] for a in doc.supporting])
        created[doc.key] = action
    if errors:
        raise InvalidInput(errors, source)
    by_key = {a.key: a for a in assessment.actions.all()}
    for index, doc in enumerate(plan.actions):
        unknown = [k for k in doc.depends_on if k not in by_key]
        if unknown:
            errors.append(
                FieldError(
                    f"actions[{index}].depends_on",
                    _("not actions of this plan: %s") % ", ".join(unknown),
                )
            )
            continue
        created[doc.key].depends_on.set([by_key[k] for k in doc.depends_on])
    errors += plan_errors(assessment)
    if plan.plan_start:
        assessment.plan_start = plan.plan_start
        assessment.save(update_fields=["plan_start"])
    if errors:
        raise InvalidInput(errors, source)
    for action in created.values():
        record_change(
            assessment_id=assessment.pk,
            entity="action",
            entity_id=action.pk,
            actor=actor,
            before=None,
            after=action_snapshot(action),
        )
    return list(created.values())


def action_reference_errors(
    path: str,
    doc: ActionDoc,
    organisations: dict[str, Organisation],
    dimensions: dict[str, Any],
    questions: dict[str, Any],
) -> list[FieldError]:
    errors = []
    for name in [doc.responsible, *doc.supporting]:
        if name not in organisations:
            errors.append(
                FieldError(
                    f"{path}.responsible", _("%s is not in the organisations register") % name
                )
            )
    for key in doc.dimensions:
        if key not in dimensions:
            errors.append(FieldError(f"{path}.dimensions", _("no dimension %s") % key))
    for key in doc.questions:
        if key not in questions:
            errors.append(FieldError(f"{path}.questions", _("no question %s") % key))
    if doc.cost and doc.cost.max < doc.cost.min:
        errors.append(FieldError(f"{path}.cost.max", _("must not be below the minimum")))
    return errors


@transaction.atomic
def reschedule(
    *,
    actor: Actor,
    assessment: Assessment,
    key: str,
    start_month: int,
    duration_months: int,
    depends_on: list[str],
    expected_version: int,
) -> Action:
    """Move an action or change its prerequisites; the whole plan's
    dependencies are checked again and nothing changes if they break."""
    require_editable(actor, assessment)
    action = (
        Action.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, key=key)
        .first()
    )
    if action is None:
        raise NotFound(_("no action %s") % key)
    before = action_snapshot(action)
    check_version(
        what=_("This action"),
        current_version=action.version,
        expected_version=expected_version,
        current=before,
    )
    if start_month < 1 or duration_months < 1:
        raise InvalidInput.single("start_month", _("months count from 1"))
    prerequisites = list(assessment.actions.filter(key__in=depends_on))
    if len(prerequisites) != len(set(depends_on)):
        missing = sorted(set(depends_on) - {a.key for a in prerequisites})
        raise InvalidInput.single(
            "depends_on", _("not actions of this plan: %s") % ", ".join(missing)
        )
    action.start_month, action.duration_months = start_month, duration_months
    action.version += 1
    action.save()
    action.depends_on.set(prerequisites)
    errors = plan_errors(assessment)
    if errors:
        raise InvalidInput(errors)  # the atomic block undoes the move
    record_change(
        assessment_id=assessment.pk,
        entity="action",
        entity_id=action.pk,
        actor=actor,
        before=before,
        after=action_snapshot(action),
    )
    return action


@transaction.atomic
def record_progress(
    *,
    actor: Actor,
    assessment: Assessment,
    key: str,
    date: datetime.date,
    note: str,
    percent: int,
    status: str,
    evidence_url: str = "",
) -> ActionUpdate:
    require(actor, assessment, Permission.TRACK)
    action = Action.objects.filter(assessment=assessment, key=key).first()
    if action is None:
        raise NotFound(_("no action %s") % key)
    errors = []
    if not note.strip():
        errors.append(FieldError("note", _("must not be empty")))
    if not 0 <= percent <= 100:
        errors.append(FieldError("percent", _("from 0 to 100")))
    if status not in Action.Status.values:
        errors.append(
            FieldError("status", _("must be one of: %s") % ", ".join(Action.Status.values))
        )
    if errors:
        raise InvalidInput(errors)
    before = action_snapshot(action)
    update = ActionUpdate.objects.create(
        action=action,
        date=date,
        note=note.strip(),
        percent=percent,
        status=status,
        evidence_url=evidence_url,
        author=acting_user(actor),
    )
    action.status = status
    action.version += 1
    action.save(update_fields=["status", "version"])
    record_change(
        assessment_id=assessment.pk,
        entity="action",
        entity_id=action.pk,
        actor=actor,
        before=before,
        after={**action_snapshot(action), "progress": percent, "note": update.note},
    )
    return update
