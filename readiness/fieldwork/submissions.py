"""Readers for the submissions exported from KoboToolbox and ODK Central, as
CSV, XLSX or JSON, into one shape: a record per submission with its place in
the file, its instance id and its values by column name (lower-case).

The two tools name a field inside a group differently, and the reader keeps
the names as the file has them: KoboToolbox writes `group/field` (its
"group separator", "/" by default; CSV with ";" between values) and its JSON
API the same keys; ODK Central's CSV writes `group-field` and its OData JSON
nests `{"group": {"field": …}}`, which is flattened here to `group/field`.
`columns_for` lists the names a field of the form may have in any of them.

Every read is bounded (core/readers.py, core/spreadsheets.py): size, rows,
nesting, encoding; a workbook is checked as a zip before it is opened."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from readiness.core import readers, spreadsheets, text
from readiness.core.errors import FieldError, InvalidInput

# A DGRA submission with a paragraph of notes on every question is about
# 80 KB; a mission's interviews are tens of submissions. 20 MiB and 1,000
# submissions leave room for a survey many times that size.
MAX_SUBMISSION_BYTES = 20 * 1024 * 1024
MAX_SUBMISSIONS = 1_000
# Five fields a question: 1,500 columns hold a 300-question dimension set,
# the largest a framework may put in one dimension.
MAX_COLUMNS = 1_500

# The instance id, stable across edits first: ODK Central's logical id (KEY in
# CSV, __id in JSON), KoboToolbox's _uuid, then the form's own meta/instanceID.
INSTANCE_COLUMNS = ("__id", "key", "_uuid", "meta/instanceid", "meta-instanceid", "instanceid")
KOBO_COLUMNS = {"_uuid", "_id", "_submission_time"}
ODK_COLUMNS = {"__id", "key", "submissiondate", "__system/submissiondate"}


@dataclass(frozen=True)
class SubmissionRecord:
    place: str  # "line 4", "row 4", "submission 3"
    instance_id: str
    values: dict[str, str]


@dataclass(frozen=True)
class SubmissionFile:
    tool: str  # "kobo", "odk" or "other" (SubmissionImport.Tool)
    records: list[SubmissionRecord]


def columns_for(group: str, name: str) -> tuple[str, ...]:
    """The column names a field in `group` may have in an export, lower-case:
    ungrouped (KoboToolbox without "include groups in headers"), `group/name`
    (KoboToolbox, and ODK's JSON as flattened here) and `group-name` (ODK CSV)."""
    name, group = name.lower(), group.lower()
    return (name, f"{group}/{name}", f"{group}-{name}")


def read_submissions(data: bytes, source: str) -> SubmissionFile:
    """The submissions in an export, whatever its format (told by its bytes:
    a zip is a workbook, `{` or `[` JSON, anything else CSV)."""
    if data.startswith(b"PK"):
        rows = workbook_rows(data, source)
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        rows = json_rows(data, source)
    else:
        rows = csv_rows(data, source)
    return submission_file(rows, source)


def submission_file(rows: list[tuple[str, dict[str, str]]], source: str) -> SubmissionFile:
    if not rows:
        raise InvalidInput.single("", _("no submissions in the file"), source)
    names = set().union(*(values for _place, values in rows))
    column = next((name for name in INSTANCE_COLUMNS if name in names), None)
    if column is None:
        raise InvalidInput.single(
            "",
            _("no column with the submissions' instance ids (one of: %s)")
            % ", ".join(INSTANCE_COLUMNS),
            source,
        )
    records = []
    seen: dict[str, str] = {}
    errors: list[FieldError] = []
    for place, values in rows:
        instance_id = values.get(column, "").strip().removeprefix("uuid:")
        if not instance_id:
            errors.append(FieldError(f"{place}, {column}", _("the instance id is missing")))
        elif problem := text.forbidden_character_message(instance_id):
            errors.append(FieldError(f"{place}, {column}", problem))
        elif len(instance_id) > text.NAME:
            errors.append(FieldError(f"{place}, {column}", _("at most %d characters") % text.NAME))
        elif instance_id in seen:
            errors.append(
                FieldError(
                    f"{place}, {column}",
                    _("the same submission as %(place)s") % {"place": seen[instance_id]},
                )
            )
        seen.setdefault(instance_id, place)
        records.append(SubmissionRecord(place, instance_id, values))
        if len(errors) >= spreadsheets.MAX_ERRORS:
            break
    if errors:
        raise InvalidInput(errors, source)
    tool = "kobo" if names & KOBO_COLUMNS else "odk" if names & ODK_COLUMNS else "other"
    return SubmissionFile(tool, records)


# --- CSV ------------------------------------------------------------------------


def csv_rows(data: bytes, source: str) -> list[tuple[str, dict[str, str]]]:
    decoded = readers.decode(data, source, MAX_SUBMISSION_BYTES)
    first_line = decoded.split("\n", 1)[0]
    # KoboToolbox separates with ";" unless told otherwise, ODK Central with ",".
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    _names, rows = spreadsheets.read_csv(
        decoded,
        source,
        max_bytes=MAX_SUBMISSION_BYTES,
        max_rows=MAX_SUBMISSIONS,
        check_header=lambda names: check_header(names, source, spreadsheets.csv_place(1)),
        delimiter=delimiter,
    )
    return [(spreadsheets.csv_place(line), values) for line, values in rows]


def check_header(names: list[str], source: str, place: str) -> None:
    if len(names) > MAX_COLUMNS:
        raise InvalidInput.single(place, _("more than %d columns") % MAX_COLUMNS, source)
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise InvalidInput.single(place, _("the column %s appears twice") % name, source)
        seen.add(name)


# --- XLSX -----------------------------------------------------------------------


def workbook_rows(data: bytes, source: str) -> list[tuple[str, dict[str, str]]]:
    """The first sheet (KoboToolbox puts the submissions there; its other
    sheets hold repeat groups, which the form has none of)."""
    rows = spreadsheets.read_sheet(
        data, source=source, sheet=None, width=MAX_COLUMNS, max_rows=MAX_SUBMISSIONS
    )
    if not rows:
        raise InvalidInput.single("", _("no submissions in the file"), source)
    header = [cell_text(value).strip().lower() for value in rows[0].values]
    while header and not header[-1]:
        header.pop()
    check_header(header, source, _("row %d") % 1)
    result = []
    for row in rows[1:]:
        values = {
            name: cell_text(value) for name, value in zip(header, row.values, strict=False) if name
        }
        if any(v.strip() for v in values.values()):
            result.append((_("row %d") % row.number, values))
    return result


def cell_text(value: spreadsheets.CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- JSON -----------------------------------------------------------------------


def json_rows(data: bytes, source: str) -> list[tuple[str, dict[str, str]]]:
    """KoboToolbox's `{"results": [...]}` (API v2 data), ODK Central's OData
    `{"value": [...]}`, or a bare list of submissions."""
    document = readers.read_json(data, source, max_bytes=MAX_SUBMISSION_BYTES)
    if isinstance(document, dict):
        key = next((k for k in ("results", "value") if isinstance(document.get(k), list)), None)
        if key is None:
            raise InvalidInput.single(
                "", _("a list of submissions under “results” or “value” is expected"), source
            )
        items, path = document[key], key
    elif isinstance(document, list):
        items, path = document, ""
    else:
        raise InvalidInput.single("", _("a list of submissions is expected"), source)
    if len(items) > MAX_SUBMISSIONS:
        raise InvalidInput.single(
            path, _("at most %d submissions in one file") % MAX_SUBMISSIONS, source
        )
    rows = []
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        if not isinstance(item, dict):
            raise InvalidInput.single(where, _("a submission must be an object"), source)
        values: dict[str, str] = {}
        flatten(item, "", values)
        if len(values) > MAX_COLUMNS:
            raise InvalidInput.single(where, _("more than %d fields") % MAX_COLUMNS, source)
        rows.append((_("submission %d") % (index + 1), values))
    return rows


def flatten(item: dict[str, Any], prefix: str, into: dict[str, str]) -> None:
    """Nested groups (ODK's JSON) become `group/field`; lists (repeat groups,
    attachments' details) and OData links are not fields of the form."""
    for key, value in item.items():
        name = f"{prefix}{key}".lower()
        if isinstance(value, dict):
            flatten(value, f"{name}/", into)
        elif isinstance(value, list) or "@odata" in name:
            continue
        elif value is None:
            into[name] = ""
        elif isinstance(value, bool):
            into[name] = "true" if value else "false"
        else:
            into[name] = str(value)
