"""Writes to action plans: actions, their dependencies and progress. The
content of a plan changes like the rest of an assessment (lead and assessors,
draft only); progress is reported by the lead, assessors and the government
counterpart, and once published by the lead and the counterpart only, as
tracking of the published plan. Owners come from the organisations register
(readiness.registry)."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)

from readiness.actionplans.models import Action, ActionUpdate
from readiness.actionplans.schedule import Slot, dependency_errors
from readiness.assessments.access import require_editable, require_tracking
from readiness.assessments.models import Assessment
from readiness.core.errors import FieldError, InvalidInput, NotFound
from readiness.core.history import Actor, acting_user, check_version, record_change
from readiness.core.links import url_errors
from readiness.core.models import ChangeRecord
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
from readiness.registry import services as registry
from readiness.registry.models import Organisation

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


# As the database stores amounts: whole units, at most 14 digits. Documented as
# the JSON number it is (pydantic would also offer any string for a Decimal).
WholeAmount = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=0),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 10**14 - 1, "multipleOf": 1}),
]


class CostDoc(Strict):
    min: WholeAmount
    max: WholeAmount
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
    registry.add_missing_organisations(
        actor, country, [o.model_dump() for o in plan.organisations], source
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
        action = Action(assessment=assessment)
        fill_action(action, doc, organisations, dimensions, questions)
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
    action = locked_action(assessment, key)
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
    prerequisites, missing = prerequisites_of(action, depends_on)
    if missing:
        raise InvalidInput([missing])
    action.start_month, action.duration_months = start_month, duration_months
    action.version += 1
    action.save()
    return depend_and_record(actor, action, prerequisites, before)


def prerequisites_of(action: Action, keys: list[str]) -> tuple[list[Action], FieldError | None]:
    """The other actions of the plan named by `keys`, and the error for the
    field if one of them is the action itself or not in the plan."""
    if action.key in keys:
        return [], FieldError("depends_on", _("an action cannot wait for itself"))
    prerequisites = list(Action.objects.filter(assessment_id=action.assessment_id, key__in=keys))
    missing = sorted(set(keys) - {a.key for a in prerequisites})
    if not missing:
        return prerequisites, None
    return prerequisites, FieldError(
        "depends_on", _("not actions of this plan: %s") % ", ".join(missing)
    )


def depend_and_record(
    actor: Actor, action: Action, prerequisites: list[Action], before: dict[str, Any]
) -> Action:
    """Give the action its prerequisites, check the whole plan's dependencies
    again (the caller's atomic block undoes the change if they break) and
    record the change."""
    action.depends_on.set(prerequisites)
    errors = plan_errors(action.assessment)
    if errors:
        raise InvalidInput(errors)
    record_change(
        assessment_id=action.assessment_id,
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


# --- one action at a time: add, edit, delete, restore -----------------------------


def key_from_title(title: str, taken: set[str]) -> str:
    """A key for a new action made from its title, by the slug rule (lower
    case letters, digits and hyphens; at most KEY characters), not one of
    `taken`: a number is added when it would be."""
    base = slugify(unidecode_vi(title))[:KEY].strip("-") or "action"
    key, number = base, 1
    while key in taken:
        number += 1
        suffix = f"-{number}"
        key = base[: KEY - len(suffix)].rstrip("-") + suffix
    return key


def unidecode_vi(text: str) -> str:
    """Vietnamese letters without their marks (đ has none to drop)."""
    return text.replace("đ", "d").replace("Đ", "D")


def without_prefix(errors: list[FieldError], prefix: str) -> list[FieldError]:
    return [
        FieldError(e.path.removeprefix(prefix), e.message) if e.path.startswith(prefix) else e
        for e in errors
    ]


def add_action(actor: Actor, assessment: Assessment, framework: str, data: Any) -> Action:
    """One action, by the rules of an import; errors name its fields."""
    try:
        (action,) = import_plan(
            actor,
            {
                "format": FORMAT,
                "assessment": assessment.slug,
                "framework": framework,
                "actions": [data],
            },
        )
    except InvalidInput as error:
        raise InvalidInput(without_prefix(error.errors, "actions[0]."), error.source) from None
    return action


def locked_action(assessment: Assessment, key: str) -> Action:
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
    return action


def references(
    assessment: Assessment, framework_key: str
) -> tuple[dict[str, Organisation], dict[str, Any], dict[str, Any]]:
    framework = assessment.frameworks.get(key=framework_key)
    country = assessment.subject_code.split("-")[0]
    return (
        {o.abbreviation: o for o in Organisation.objects.filter(country_code=country)},
        {d.key: d for d in framework.dimensions.all()},
        {q.key: q for q in framework.questions.all()},
    )


def fill_action(
    action: Action,
    doc: ActionDoc,
    organisations: dict[str, Organisation],
    dimensions: dict[str, Any],
    questions: dict[str, Any],
) -> None:
    """Store the fields of an action document on `action` (saved), except its
    prerequisites, which need the whole plan."""
    action.key = doc.key
    action.title = doc.title
    action.description = doc.description
    action.phase = doc.phase
    action.responsible = organisations[doc.responsible]
    action.start_month = doc.start_month
    action.duration_months = doc.duration_months
    action.months_text = doc.months
    action.cost_min = doc.cost.min if doc.cost else None
    action.cost_max = doc.cost.max if doc.cost else None
    action.currency = doc.cost.currency if doc.cost else ""
    action.cost_text = doc.cost_text
    action.priority = doc.priority or ""
    action.source = doc.source
    action.note = doc.note
    action.save()
    action.dimensions.set([dimensions[k] for k in doc.dimensions])
    action.questions.set([questions[k] for k in doc.questions])
    action.supporting.set([organisations[a] for a in doc.supporting])


@transaction.atomic
def update_action(
    *,
    actor: Actor,
    assessment: Assessment,
    key: str,
    changes: dict[str, Any],
    expected_version: int | None,
) -> Action:
    """Change the fields of one action named in `changes` (those of an action
    in a plan document, docs/action-plan-format.md); the others keep their
    value. Its key may change: other actions keep depending on it. The whole
    plan's dependencies are checked again; nothing changes if they break."""
    require_editable(actor, assessment)
    action = locked_action(assessment, key)
    before = action_snapshot(action)
    check_version(
        what=_("This action"),
        current_version=action.version,
        expected_version=expected_version,
        current=before,
    )
    refuse_forbidden_characters(changes)
    current = action_document(action)
    merged = {**current, **changes}
    if merged.get("cost") is None:
        merged.pop("cost", None)
    try:
        doc = ActionDoc.model_validate(merged)
    except ValidationError as error:
        raise InvalidInput(errors_from_pydantic(error)) from None
    framework_key = action.dimensions.all()[0].framework.key
    organisations, dimensions, questions = references(assessment, framework_key)
    errors = without_prefix(
        action_reference_errors("", doc, organisations, dimensions, questions), "."
    )
    if doc.key != action.key and assessment.actions.filter(key=doc.key).exists():
        errors.append(FieldError("key", _("%s exists already") % doc.key))
    prerequisites, missing = prerequisites_of(action, doc.depends_on)
    if missing:
        errors.append(missing)
    if errors:
        raise InvalidInput(errors)
    fill_action(action, doc, organisations, dimensions, questions)
    action.version += 1
    action.save(update_fields=["version"])
    return depend_and_record(actor, action, prerequisites, before)


def dependents(action: Action) -> list[Action]:
    """The actions that start after this one."""
    return list(action.enables.order_by("start_month", "key"))


@transaction.atomic
def delete_action(
    *,
    actor: Actor,
    assessment: Assessment,
    key: str,
    expected_version: int | None,
    confirmed: bool = False,
) -> None:
    """Delete an action with its progress reports. When other actions start
    after it, only once confirmed (they then no longer wait for it). The
    history keeps all of it, so that `restore_action` can bring it back."""
    require_editable(actor, assessment)
    action = locked_action(assessment, key)
    snapshot = action_snapshot(action)
    check_version(
        what=_("This action"),
        current_version=action.version,
        expected_version=expected_version,
        current=snapshot,
    )
    waiting = dependents(action)
    if waiting and not confirmed:
        raise InvalidInput.single(
            "confirm",
            _(
                "These actions start after this one: %s. Confirm to delete it; "
                "they will no longer wait for it."
            )
            % "; ".join(a.title for a in waiting),
        )
    before = {
        **snapshot,
        "framework": action.dimensions.all()[0].framework.key,
        "document": action_document(action),
        "status": action.status,
        "enables": [a.key for a in waiting],
        "updates": [
            {
                "date": u.date.isoformat(),
                "note": u.note,
                "percent": u.percent,
                "status": u.status,
                "evidence_url": u.evidence_url,
                "author": u.author_id,
                "after_publication": u.after_publication,
            }
            for u in action.updates.all()
        ],
    }
    record_change(
        assessment_id=assessment.pk,
        entity="action",
        entity_id=action.pk,
        actor=actor,
        before=before,
        after=None,
    )
    action.delete()


def deleted_actions(assessment: Assessment) -> list[ChangeRecord]:
    """Deletions of actions that could be undone now: newest first, one per
    key, none whose key is in the plan again."""
    present = set(assessment.actions.values_list("key", flat=True))
    found: dict[str, ChangeRecord] = {}
    for change in ChangeRecord.objects.filter(
        assessment=assessment, entity="action", action=ChangeRecord.Action.DELETE
    ).order_by("-id"):
        before: dict[str, Any] = change.before or {}
        key = str(before.get("key", ""))
        if "document" in before and key not in present and key not in found:
            found[key] = change
    return list(found.values())


@transaction.atomic
def restore_action(*, actor: Actor, assessment: Assessment, change_id: int) -> Action:
    """Bring back a deleted action as it was deleted: its fields, its progress
    reports, what it waited for and what waited for it (of the actions still
    in the plan). The restore is recorded as a new change."""
    require_editable(actor, assessment)
    change = ChangeRecord.objects.filter(
        assessment=assessment, pk=change_id, entity="action", action=ChangeRecord.Action.DELETE
    ).first()
    saved: dict[str, Any] = (change.before if change else None) or {}
    if "document" not in saved:
        raise NotFound(_("no deleted action recorded as change %s") % change_id)
    doc = ActionDoc.model_validate(saved["document"])
    if assessment.actions.filter(key=doc.key).exists():
        raise InvalidInput.single("key", _("%s exists already") % doc.key)
    organisations, dimensions, questions = references(assessment, saved["framework"])
    errors = action_reference_errors("", doc, organisations, dimensions, questions)
    if errors:
        raise InvalidInput(without_prefix(errors, "."))
    action = Action(assessment=assessment, status=saved["status"])
    fill_action(action, doc, organisations, dimensions, questions)
    action.depends_on.set(assessment.actions.filter(key__in=doc.depends_on))
    for waiting in assessment.actions.filter(key__in=saved["enables"]):
        waiting.depends_on.add(action)
    authors = set(
        get_user_model()
        .objects.filter(pk__in=[u["author"] for u in saved["updates"]])
        .values_list("pk", flat=True)
    )
    for update in saved["updates"]:
        ActionUpdate.objects.create(
            action=action,
            date=datetime.date.fromisoformat(update["date"]),
            note=update["note"],
            percent=update["percent"],
            status=update["status"],
            evidence_url=update["evidence_url"],
            author_id=update["author"] if update["author"] in authors else None,
            after_publication=update["after_publication"],
        )
    errors = plan_errors(assessment)
    if errors:
        raise InvalidInput(errors)
    record_change(
        assessment_id=assessment.pk,
        entity="action",
        entity_id=action.pk,
        actor=actor,
        before=None,
        after=action_snapshot(action),
    )
    return action
