"""The action plan as an XLSX workbook an assessor can edit in a
spreadsheet, and back. Import goes through `services.import_plan`, all or
nothing; an error names the sheet, row and column. The rules for reading and
writing cells (no formulas, limits) are `readiness.core.spreadsheets`."""

import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from readiness.actionplans import services
from readiness.actionplans.models import Action
from readiness.assessments.models import Assessment
from readiness.core import spreadsheets
from readiness.core.errors import FieldError, InvalidInput
from readiness.core.history import Actor

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "Actions"
COLUMNS = [
    "key",
    "framework",
    "dimensions",
    "questions",
    "title",
    "description",
    "phase",
    "responsible",
    "supporting",
    "start_month",
    "duration_months",
    "months",
    "cost_min",
    "cost_max",
    "currency",
    "cost_text",
    "priority",
    "depends_on",
    "source",
    "note",
]
LIST_COLUMNS = {"dimensions", "questions", "supporting", "depends_on"}
COST_COLUMNS = ("cost_min", "cost_max", "currency")


def export_plan(assessment: Assessment) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    spreadsheets.write_row(sheet, 1, COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    actions = assessment.actions.select_related("responsible").prefetch_related(
        "dimensions__framework", "questions", "supporting", "depends_on"
    )
    for number, action in enumerate(actions.order_by("id"), start=2):
        dimensions = list(action.dimensions.all())
        spreadsheets.write_row(
            sheet,
            number,
            [
                action.key,
                dimensions[0].framework.key,
                ", ".join(d.key for d in dimensions),
                ", ".join(q.key for q in action.questions.all()),
                action.title,
                action.description,
                action.phase,
                action.responsible.abbreviation,
                ", ".join(o.abbreviation for o in action.supporting.all()),
                action.start_month,
                action.duration_months,
                action.months_text,
                int(action.cost_min) if action.cost_min is not None else None,
                int(action.cost_max) if action.cost_max is not None else None,
                action.currency,
                action.cost_text,
                action.priority,
                ", ".join(sorted(a.key for a in action.depends_on.all())),
                action.source,
                action.note,
            ],
        )
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            40 if name in {"title", "description", "note"} else 14
        )
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cell_text(value: spreadsheets.CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a key or number typed as 12 is read back as 12.0
    return str(value).strip()


def import_plan_workbook(
    actor: Actor, assessment: Assessment, data: bytes, source: str
) -> list[Action]:
    """Add the actions of the workbook to the assessment's plan."""
    rows = spreadsheets.read_sheet(
        data,
        source=source,
        sheet=SHEET,
        width=len(COLUMNS),
        max_rows=services.MAX_ACTIONS_PER_PLAN,
    )
    if not rows or [cell_text(v) for v in rows[0].values] != COLUMNS:
        raise InvalidInput.single(
            f"{SHEET}!A1",
            _("the first row must be the column names: %s") % ", ".join(COLUMNS),
            source,
        )
    by_framework: dict[str, list[dict[str, Any]]] = {}
    where: dict[tuple[str, int], int] = {}  # (framework, index in its plan) → sheet row
    errors: list[FieldError] = []
    for row in rows[1:]:
        values = dict(zip(COLUMNS, row.values, strict=True))
        if not any(cell_text(v) for v in values.values()):
            continue
        action, problems = action_from_row(values, row.number)
        errors += problems
        framework = cell_text(values["framework"])
        by_framework.setdefault(framework, []).append(action)
        where[(framework, len(by_framework[framework]) - 1)] = row.number
    if errors:
        raise InvalidInput(errors, source)
    created: list[Action] = []
    with transaction.atomic():  # all frameworks' actions, or none
        for framework, actions in by_framework.items():
            plan = {
                "format": services.FORMAT,
                "assessment": assessment.slug,
                "framework": framework,
                "actions": actions,
            }
            try:
                created += services.import_plan(actor, plan)
            except InvalidInput as error:
                raise InvalidInput(
                    [locate(e, framework, where) for e in error.errors], source
                ) from None
    return created


def action_from_row(
    values: dict[str, spreadsheets.CellValue], number: int
) -> tuple[dict[str, Any], list[FieldError]]:
    action: dict[str, Any] = {}
    errors = []
    for name in COLUMNS:
        text = cell_text(values[name])
        if name in LIST_COLUMNS:
            action[name] = [part.strip() for part in text.split(",") if part.strip()]
        elif name in {"start_month", "duration_months"}:
            months = whole_number(values[name])
            if months is None:
                errors.append(cell_error(number, name, _("a whole number of months")))
            else:
                action[name] = months
        elif name in COST_COLUMNS or name == "framework":
            continue
        elif text or name not in {"priority"}:
            action[name] = text
    cost = {name: values[name] for name in COST_COLUMNS}
    if any(cell_text(v) for v in cost.values()):
        action["cost"] = {"currency": cell_text(cost["currency"])}
        for name, part in (("cost_min", "min"), ("cost_max", "max"), ("currency", "currency")):
            if not cell_text(cost[name]):
                errors.append(
                    cell_error(number, name, _("give cost_min, cost_max and currency together"))
                )
            elif part != "currency":
                amount = amount_of(cost[name])
                if amount is None:
                    errors.append(cell_error(number, name, _("a number")))
                action["cost"][part] = amount
    return action, errors


def whole_number(value: spreadsheets.CellValue) -> int | None:
    """12, 12.0 or "12"; not 2.5, not "soon", not TRUE."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,6}", value.strip()):
        return int(value)
    return None


def amount_of(value: spreadsheets.CellValue) -> Decimal | None:
    """A cost as typed; the plan's rules (whole, not negative) then apply."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(int(value)) if float(value).is_integer() else Decimal(str(value))
    try:
        return Decimal(cell_text(value).replace(",", ""))
    except InvalidOperation:
        return None


def cell_error(row: int, column: str, message: str) -> FieldError:
    letter = get_column_letter(COLUMNS.index(column) + 1)
    return FieldError(f"{SHEET}!{letter}{row} ({column})", message)


# Paths of the plan document that are not columns of the sheet.
PLAN_PATHS = {"cost.min": "cost_min", "cost.max": "cost_max", "cost.currency": "currency"}


def locate(error: FieldError, framework: str, where: dict[tuple[str, int], int]) -> FieldError:
    """Turn a plan path (actions[3].responsible, actions[3].cost.currency)
    into the sheet, row and column the assessor has to fix."""
    match = re.match(r"actions\[(\d+)\]\.([\w.]+)", error.path)
    if match and (framework, int(match.group(1))) in where:
        row = where[(framework, int(match.group(1)))]
        field = match.group(2)
        column = PLAN_PATHS.get(field, field.split(".")[0])
        return cell_error(row, column if column in COLUMNS else "key", error.message)
    return error
