"""Writes to action plans: actions, their dependencies and progress. The
content of a plan changes like the rest of an assessment (lead and assessors,
draft only); progress is reported by the lead, assessors and the government
counterpart, and once published by the lead and the counterpart only, as
tracking of the published plan. The organisations register has owners."""

import datetime
import re
from decimal import Decimal
from typing import Annotated, Any

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from readiness.actionplans.models import Action, ActionUpdate, Organisation
from readiness.actionplans.schedule import Slot, dependency_errors
from readiness.assessments.access import require_editable, require_tracking
from readiness.assessments.models import Assessment
from readiness.core.errors import FieldError, Forbidden, InvalidInput, NotFound
from readiness.core.history import Actor, acting_user, check_version, record_change
from readiness.core.links import url_errors
from readiness.core.text import (
    KEY,
    LONG,
    LongText,
    Lowered,
    NameText,
    ShortText,
    clean_identifier,
    clean_text,
    refuse_forbidden_characters,
)
from readiness.frameworks.services import errors_from_pydantic

FORMAT = "readiness-action-plan/1"
# The demo's two plans have 47 actions together; 500 is ten times that. The
# plan page and an import grow with the plan (on a busy 2-core machine, 500
# actions: 14 s to import, 10 s to show), so a bigger plan ties up a worker.
MAX_ACTIONS_PER_PLAN = 500


# Action keys are stored lower-case and matched whatever their case.
ActionKey = Annotated[
    str, StringConstraints(pattern=rf"^[a-z0-9][a-z0-9-]{{0,{KEY - 1}}}$"), Lowered
]
RequiredName = Annotated[NameText, StringConstraints(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Text(Strict):
    en: RequiredName
    vi: RequiredName


class OrganisationDoc(Strict):
    abbreviation: str = Field(min_length=1, max_length=30)
    name: Text
    kind: Organisation.Kind


class CostDoc(Strict):
    # As the database stores them: whole units, at most 14 digits.
    min: Decimal = Field(ge=0, max_digits=14, decimal_places=0)
    max: Decimal = Field(ge=0, max_digits=14, decimal_places=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class ActionDoc(Strict):
    key: ActionKey
    title: RequiredName
    description: LongText = ""
    dimensions: list[str] = Field(min_length=1)
    questions: list[str] = []
    phase: Action.Phase
    responsible: str
    supporting: list[str] = []
    start_month: int = Field(ge=1, le=240)
    duration_months: int = Field(ge=1, le=240)
    months: ShortText = ""
    cost: CostDoc | None = None
    cost_text: ShortText = ""
    priority: Action.Priority | None = None
    depends_on: list[ActionKey] = []
    source: NameText = ""
    note: LongText = ""


class PlanDoc(Strict):
    format: str = Field(pattern=r"^readiness-action-plan/1$")
    assessment: str
    framework: str
    plan_start: datetime.date | None = None
    organisations: list[OrganisationDoc] = []
    actions: list[ActionDoc] = Field(max_length=MAX_ACTIONS_PER_PLAN)


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
    refuse_forbidden_characters(data, source)
    try:
        plan = PlanDoc.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(errors_from_pydantic(error), source) from None
    assessment = Assessment.objects.filter(slug=clean_identifier(plan.assessment)).first()
    if assessment is None:
        raise InvalidInput.single(
            "assessment", _("no assessment named %s") % plan.assessment, source
        )
    require_editable(actor, assessment)
    if assessment.actions.count() + len(plan.actions) > MAX_ACTIONS_PER_PLAN:
        raise InvalidInput.single(
            "actions",
            _("a plan holds at most %(limit)d actions; this one has %(count)d already")
            % {"limit": MAX_ACTIONS_PER_PLAN, "count": assessment.actions.count()},
            source,
        )
    framework = assessment.frameworks.filter(key=plan.framework).first()
    if framework is None:
        raise InvalidInput.single(
            "framework", _("%s is not used by this assessment") % plan.framework, source
        )
    country = assessment.subject_code.split("-")[0]
    add_listed_organisations(actor, country, plan.organisations, source)
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


REGISTER_PERMISSION = "actionplans.add_organisation"


def may_add_organisations(actor: Actor) -> bool:
    """The organisations register is shared by every assessment of a country,
    so it has owners: the system, site administrators and users given the
    actionplans.add_organisation permission (directly or by a group)."""
    return actor is None or (actor.is_authenticated and actor.has_perm(REGISTER_PERMISSION))


def add_listed_organisations(
    actor: Actor, country: str, listed: list[OrganisationDoc], source: str = ""
) -> None:
    """Add the organisations a plan lists that the register lacks, if the
    actor owns the register; otherwise refuse, naming them. Entries already
    in the register are left as they are."""
    known = set(
        Organisation.objects.filter(
            country_code=country, abbreviation__in=[o.abbreviation for o in listed]
        ).values_list("abbreviation", flat=True)
    )
    unknown = [(index, org) for index, org in enumerate(listed) if org.abbreviation not in known]
    if unknown and not may_add_organisations(actor):
        raise InvalidInput(
            [
                FieldError(
                    f"organisations[{index}].abbreviation",
                    _(
                        "%(name)s is not in the organisations register of %(country)s; "
                        "ask a register owner to add it"
                    )
                    % {"name": org.abbreviation, "country": country},
                )
                for index, org in unknown
            ],
            source,
        )
    for _index, org in unknown:
        Organisation.objects.create(
            country_code=country,
            abbreviation=org.abbreviation,
            name=org.name.model_dump(),
            kind=org.kind,
        )


@transaction.atomic
def add_organisation(actor: Actor, country: str, data: Any, source: str = "") -> Organisation:
    """Add one organisation to a country's register: register owners only."""
    if not may_add_organisations(actor):
        raise Forbidden(_("Only the owners of the organisations register may add to it."))
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise InvalidInput.single("country", _("an ISO 3166-1 alpha-2 code, such as VN"), source)
    refuse_forbidden_characters(data, source)
    try:
        org = OrganisationDoc.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(errors_from_pydantic(error), source) from None
    if Organisation.objects.filter(country_code=country, abbreviation=org.abbreviation).exists():
        raise InvalidInput.single(
            "abbreviation", _("%s is in the register already") % org.abbreviation, source
        )
    add_listed_organisations(actor, country, [org], source)
    return Organisation.objects.get(country_code=country, abbreviation=org.abbreviation)


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
    name = clean_identifier(key)
    action = (
        Action.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, key=name)
        .first()
        if name
        else None
    )
    if action is None:
        raise NotFound(_("no action %s") % key)
    depends_on = [clean_identifier(k) or "" for k in depends_on]
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
    """Progress on an action (access.require_tracking says who, when). Once
    the assessment has been published it is tracking of the published plan,
    marked so, and the publication's frozen plan stays as it was."""
    require_tracking(actor, assessment)
    name = clean_identifier(key)
    action = Action.objects.filter(assessment=assessment, key=name).first() if name else None
    if action is None:
        raise NotFound(_("no action %s") % key)
    errors: list[FieldError] = []
    note = clean_text(note, LONG, "note", errors, required=True)
    if not 0 <= percent <= 100:
        errors.append(FieldError("percent", _("from 0 to 100")))
    if status not in Action.Status.values:
        errors.append(
            FieldError("status", _("must be one of: %s") % ", ".join(Action.Status.values))
        )
    evidence_url = evidence_url.strip()
    errors += url_errors("evidence_url", evidence_url)
    if errors:
        raise InvalidInput(errors)
    before = action_snapshot(action)
    update = ActionUpdate.objects.create(
        action=action,
        date=date,
        note=note,
        percent=percent,
        status=status,
        evidence_url=evidence_url,
        author=acting_user(actor),
        after_publication=assessment.publications.exists(),
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
