"""Submissions as KoboToolbox and ODK Central export them, built by hand
for the demo assessment: the same three submissions in each tool's CSV,
XLSX and JSON, with each tool's naming of the fields inside a group."""

import csv
import io
import json

from openpyxl import Workbook

from readiness.assessments.models import Assessment
from readiness.frameworks.models import Question


def unrated(demo: Assessment, count: int) -> list[Question]:
    """The first DGRA questions, whose demo ratings the tests remove first."""
    questions = Question.objects.filter(framework__key="dgra", framework__version="2018")
    return list(questions.select_related("dimension").order_by("order")[:count])


def answers(demo: Assessment) -> list[dict[str, tuple[Question, str]]]:
    """Three submissions, by field kind: s1 rates q1 with notes, s2 writes
    notes on q2, s3 rates q3 and writes notes on q1. Hand-counted: 3 evidence
    items (s1 q1, s2 q2, s3 q1) and 2 proposals (s1 q1, s3 q3)."""
    q1, q2, q3 = unrated(demo, 3)
    return [
        {"q": (q1, "green"), "r": (q1, "A strategy is adopted."), "e": (q1, "MIC said so.")},
        {"e": (q2, "Budget lines exist.")},
        {"q": (q3, "red"), "e": (q1, "APCA confirmed it.")},
    ]


def flat(demo: Assessment, separator: str, instance_column: str) -> list[dict[str, str]]:
    """The submissions as a tool's flat export: `group<separator>field` columns."""
    rows = []
    for number, fields in enumerate(answers(demo), start=1):
        row = {
            instance_column: f"uuid:0000000{number}-aaaa-bbbb-cccc-dddddddddddd",
            "today": f"2018-01-1{number}",
            "framework": "dgra 2018",
            "organisation": "MIC",
        }
        for kind, (question, value) in fields.items():
            row[f"d_{question.dimension.key}{separator}{kind}_{question.key}"] = value
        rows.append(row)
    return rows


def as_csv(rows: list[dict[str, str]], delimiter: str) -> bytes:
    columns = sorted({name for row in rows for name in row})
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, delimiter=delimiter, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows: list[dict[str, str]]) -> bytes:
    columns = sorted({name for row in rows for name in row})
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(name, "") for name in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def nested(row: dict[str, str]) -> dict:
    """ODK Central's OData shape: a group is an object."""
    result: dict = {}
    for name, value in row.items():
        if "/" in name:
            group, field = name.split("/", 1)
            result.setdefault(group, {})[field] = value
        else:
            result[name] = value
    return result


def kobo_csv(demo):
    return as_csv(flat(demo, "/", "_uuid"), ";")


def kobo_xlsx(demo):
    return as_xlsx(flat(demo, "/", "_uuid"))


def kobo_json(demo):
    return json.dumps({"count": 3, "results": flat(demo, "/", "_uuid")}).encode()


def odk_csv(demo):
    return as_csv(flat(demo, "-", "KEY"), ",")


def odk_json(demo):
    rows = [nested(row) for row in flat(demo, "/", "__id")]
    return json.dumps({"@odata.context": "x", "value": rows}).encode()


EXPORTS = {
    "kobo.csv": kobo_csv,
    "kobo.xlsx": kobo_xlsx,
    "kobo.json": kobo_json,
    "odk.csv": odk_csv,
    "odk.json": odk_json,
}
