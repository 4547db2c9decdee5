"""The action plan as an XLSX workbook an assessor can edit in a
spreadsheet, and back. Import goes through `services.import_plan`, all or
nothing; an error names the sheet, row and column."""

import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from readiness.actionplans import services
from readiness.actionplans.models import Action
from readiness.assessments.models import Assessment
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


def export_plan(assessment: Assessment) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    actions = assessment.actions.select_related("responsible").prefetch_related(
        "dimensions__framework", "questions", "supporting", "depends_on"
    )
    for action in actions.order_by("id"):
        dimensions = list(action.dimensions.all())
        sheet.append(
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
            ]
        )
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            40 if name in {"title", "description", "note"} else 14
        )
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def import_plan_workbook(
    actor: Actor, assessment: Assessment, data: bytes, source: str
) -> list[Action]:
    """Add the actions of the workbook to the assessment's plan."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise InvalidInput.single(
            "", f"not an XLSX workbook ({type(error).__name__})", source
        ) from None
    if SHEET not in workbook.sheetnames:
        raise InvalidInput.single("", f"no sheet named {SHEET!r}", source)
    rows = list(workbook[SHEET].iter_rows(values_only=True))
    if not rows or [cell_text(v) for v in rows[0][: len(COLUMNS)]] != COLUMNS:
        raise InvalidInput.single(
            f"{SHEET}!A1", "the first row must be the column names: " + ", ".join(COLUMNS), source
        )
    by_framework: dict[str, list[dict[str, Any]]] = {}
    where: dict[tuple[str, int], int] = {}  # (framework, index in its plan) → sheet row
    errors: list[FieldError] = []
    for number, row in enumerate(rows[1:], start=2):
        values = dict(zip(COLUMNS, row, strict=False))
        if not any(cell_text(v) for v in values.values()):
            continue
        action, problems = action_from_row(values, number)
        errors += problems
        framework = cell_text(values["framework"])
        by_framework.setdefault(framework, []).append(action)
        where[(framework, len(by_framework[framework]) - 1)] = number
    if errors:
        raise InvalidInput(errors, source)
    created: list[Action] = []
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


def action_from_row(values: dict[str, Any], number: int) -> tuple[dict[str, Any], list[FieldError]]:
    action: dict[str, Any] = {}
    errors = []
    for name in COLUMNS:
        text = cell_text(values.get(name))
        if name in LIST_COLUMNS:
            action[name] = [part.strip() for part in text.split(",") if part.strip()]
        elif name in {"start_month", "duration_months"}:
            if not re.fullmatch(r"\d+(\.0)?", text):
                errors.append(cell_error(number, name, "a whole number of months"))
            else:
                action[name] = int(float(text))
        elif name in {"cost_min", "cost_max", "currency", "framework"}:
            continue
        elif text or name not in {"priority"}:
            action[name] = text
    cost = [cell_text(values.get(n)) for n in ("cost_min", "cost_max", "currency")]
    if any(cost):
        try:
            action["cost"] = {"min": Decimal(cost[0]), "max": Decimal(cost[1]), "currency": cost[2]}
        except InvalidOperation:
            errors.append(cell_error(number, "cost_min", "costs are numbers, with a currency"))
    return action, errors


def cell_error(row: int, column: str, message: str) -> FieldError:
    letter = get_column_letter(COLUMNS.index(column) + 1)
    return FieldError(f"{SHEET}!{letter}{row} ({column})", message)


def locate(error: FieldError, framework: str, where: dict[tuple[str, int], int]) -> FieldError:
    """Turn a plan path (actions[3].responsible, or key.start_month) into the
    sheet, row and column the assessor has to fix."""
    match = re.match(r"actions\[(\d+)\]\.(\w+)", error.path)
    if match and (framework, int(match.group(1))) in where:
        row = where[(framework, int(match.group(1)))]
        column = match.group(2) if match.group(2) in COLUMNS else "key"
        return cell_error(row, column, error.message)
    return error
