"""What every catalogue reader shares: the text rule applied to a field of a
record, dates as catalogues write them, and web addresses (only http and
https are kept; anything else is a warning and left out)."""

import datetime
import re
from typing import Any

from django.utils.translation import gettext as _

from readiness.core.errors import FieldError
from readiness.core.links import url_problem
from readiness.core.text import clean_text

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# A size as text: "308724", or "308724.0" as opendata-hro.de writes it.
INTEGER = re.compile(r"^\d{1,18}(\.0*)?$")


class Fields:
    """The problems and warnings of one record, each under its place
    ("record 3 (id "abc"), resources[2].url")."""

    def __init__(self, place: str, warnings: list[str]) -> None:
        self.place = place
        self.errors: list[FieldError] = []
        self.warnings = warnings

    def where(self, path: str) -> str:
        return f"{self.place}, {path}" if path else self.place

    def fail(self, path: str, message: str) -> None:
        self.errors.append(FieldError(self.where(path), message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(f"{self.where(path)}: {message}")

    def text(self, value: Any, limit: int, path: str, *, required: bool = False) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(path, _("must be a text, not %s") % type(value).__name__)
            return ""
        errors: list[FieldError] = []
        text = clean_text(value, limit, path, errors, required=required)
        for error in errors:
            self.fail(error.path, error.message)
        return text

    def url(self, value: Any, limit: int, path: str) -> str:
        text = self.text(value, limit, path)
        if text and (problem := url_problem(text)):
            self.warn(
                path,
                _("%(value)s is left out: %(problem)s")
                % {"value": repr(text[:80]), "problem": problem},
            )
            return ""
        return text

    def date(self, value: Any, path: str) -> datetime.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        match = ISO_DATE.match(value) if isinstance(value, str) else None
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                pass
        self.warn(path, _("%s is not a date (YYYY-MM-DD); left out") % repr(str(value)[:40]))
        return None

    def size(self, value: Any, path: str) -> int | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            value = None
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, str) and INTEGER.match(value.strip()):
            value = int(value.strip().split(".")[0])
        if isinstance(value, int) and 0 <= value < 2**63:
            return value
        self.warn(path, _("%s is not a size in bytes; left out") % repr(str(value)[:40]))
        return None
