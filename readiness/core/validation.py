"""The one place where pydantic's (and so django-ninja's) refusals become
our translated messages: the reason by the error's type, not pydantic's
English text. Files name the field by its path ("actions[2].cost.min:
must be a number"); the API says the field's label ("Version: required")."""

import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from readiness.core.errors import FieldError

# Pydantic's own error types; any other type is one of ours
# (PydanticCustomError), whose message is already translated.
PYDANTIC_TYPES = frozenset(typing.get_args(ErrorType))

# Labels of the fields the API's schemas take, by key; a key not listed is
# shown as it is (keys are English, so every schema field belongs here).
FIELD_LABELS: dict[str, Promise] = {
    "abbreviation": gettext_lazy("Abbreviation"),
    "assessment": gettext_lazy("Assessment"),
    "assessor": gettext_lazy("Assessor"),
    "author": gettext_lazy("Author"),
    "cited_evidence": gettext_lazy("Cited evidence"),
    "code": gettext_lazy("Code"),
    "commentary": gettext_lazy("Commentary"),
    "cost": gettext_lazy("Cost"),
    "country": gettext_lazy("Country"),
    "currency": gettext_lazy("Currency"),
    "date": gettext_lazy("Date"),
    "depends_on": gettext_lazy("Depends on"),
    "description": gettext_lazy("Description"),
    "dimension": gettext_lazy("Dimension"),
    "duration_months": gettext_lazy("Duration in months"),
    "evidence_id": gettext_lazy("Evidence"),
    "evidence_url": gettext_lazy("Evidence address"),
    "format": gettext_lazy("Format"),
    "framework": gettext_lazy("Framework"),
    "frameworks": gettext_lazy("Frameworks"),
    "importance": gettext_lazy("Importance"),
    "independent": gettext_lazy("Independent rating"),
    "key": gettext_lazy("Key"),
    "kind": gettext_lazy("Kind"),
    "language": gettext_lazy("Language"),
    "level": gettext_lazy("Level"),
    "limit": gettext_lazy("Number of items"),
    "max": gettext_lazy("Maximum"),
    "min": gettext_lazy("Minimum"),
    "name": gettext_lazy("Name"),
    "note": gettext_lazy("Note"),
    "offset": gettext_lazy("Start"),
    "override_reason": gettext_lazy("Reason for differing from the suggestion"),
    "page": gettext_lazy("Page"),
    "password": gettext_lazy("Password"),
    "percent": gettext_lazy("Percent complete"),
    "period_end": gettext_lazy("End of the period"),
    "period_start": gettext_lazy("Start of the period"),
    "plan_start": gettext_lazy("Start of the plan"),
    "question": gettext_lazy("Question"),
    "rationale": gettext_lazy("Rationale"),
    "reference_title": gettext_lazy("Reference title"),
    "reference_url": gettext_lazy("Reference address"),
    "report_id": gettext_lazy("Report"),
    "responsible": gettext_lazy("Responsible"),
    "role": gettext_lazy("Role"),
    "sign": gettext_lazy("Sign"),
    "slug": gettext_lazy("Short name"),
    "source_kind": gettext_lazy("Kind of source"),
    "start_month": gettext_lazy("Start month"),
    "state": gettext_lazy("State"),
    "status": gettext_lazy("Status"),
    "subject": gettext_lazy("Subject"),
    "supporting": gettext_lazy("Supporting organisations"),
    "text": gettext_lazy("Text"),
    "title": gettext_lazy("Title"),
    "user": gettext_lazy("User"),
    "username": gettext_lazy("Username"),
    "version": gettext_lazy("Version"),
}


def _expected(context: dict[str, Any]) -> str:
    # pydantic writes "'a', 'b' or 'c'": keep the values, drop the English "or".
    return str(context.get("expected", "")).replace(" or ", ", ")


REASONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda c: _("required"),
    "string_too_short": lambda c: (
        _("must not be empty")
        if c.get("min_length") == 1
        else _("must have at least %(min)s characters") % {"min": c.get("min_length")}
    ),
    "string_too_long": lambda c: (
        _("must have at most %(max)s characters") % {"max": c.get("max_length")}
    ),
    "too_short": lambda c: _("must have at least %(min)s items") % {"min": c.get("min_length")},
    "too_long": lambda c: _("must have at most %(max)s items") % {"max": c.get("max_length")},
    "less_than_equal": lambda c: _("must be at most %(limit)s") % {"limit": c.get("le")},
    "less_than": lambda c: _("must be less than %(limit)s") % {"limit": c.get("lt")},
    "greater_than_equal": lambda c: _("must be at least %(limit)s") % {"limit": c.get("ge")},
    "greater_than": lambda c: _("must be more than %(limit)s") % {"limit": c.get("gt")},
    "int_parsing": lambda c: _("must be a whole number"),
    "int_type": lambda c: _("must be a whole number"),
    "int_from_float": lambda c: _("must be a whole number"),
    "float_parsing": lambda c: _("must be a number"),
    "float_type": lambda c: _("must be a number"),
    "decimal_parsing": lambda c: _("must be a number"),
    "decimal_type": lambda c: _("must be a number"),
    "finite_number": lambda c: _("must be a number"),
    "bool_parsing": lambda c: _("must be true or false"),
    "bool_type": lambda c: _("must be true or false"),
    "string_type": lambda c: _("must be text"),
    "list_type": lambda c: _("must be a list"),
    "dict_type": lambda c: _("must be an object with named fields"),
    "model_type": lambda c: _("must be an object with named fields"),
    "model_attributes_type": lambda c: _("must be an object with named fields"),
    "date_parsing": lambda c: _("must be a date written YYYY-MM-DD"),
    "date_from_datetime_parsing": lambda c: _("must be a date written YYYY-MM-DD"),
    "date_type": lambda c: _("must be a date written YYYY-MM-DD"),
    "datetime_parsing": lambda c: _("must be a date and time written YYYY-MM-DDTHH:MM"),
    "datetime_from_date_parsing": lambda c: _("must be a date and time written YYYY-MM-DDTHH:MM"),
    "datetime_type": lambda c: _("must be a date and time written YYYY-MM-DDTHH:MM"),
    "enum": lambda c: _("must be one of %(values)s") % {"values": _expected(c)},
    "literal_error": lambda c: _("must be one of %(values)s") % {"values": _expected(c)},
    "json_invalid": lambda c: _("is not valid JSON"),
    "json_type": lambda c: _("is not valid JSON"),
    "extra_forbidden": lambda c: _("is not a field of this document"),
    "string_pattern_mismatch": lambda c: _("is not in the expected form"),
    "url_parsing": lambda c: _("must be a web address"),
    "url_scheme": lambda c: _("must be a web address"),
    "uuid_parsing": lambda c: _("is not in the expected form"),
}


def reason(error: ErrorDetails) -> str:
    """What is wrong with the value, translated, without naming the field."""
    context = dict(error.get("ctx") or {})
    kind = error["type"]
    if kind in REASONS:
        return REASONS[kind](context)
    if kind in {"value_error", "assertion_error"} and "error" in context:
        return str(context["error"])  # our own validators' (translated) message
    if kind not in PYDANTIC_TYPES:
        return error["msg"]  # PydanticCustomError: ours, already translated
    return _("is not valid")


def label(path: Sequence[int | str]) -> str:
    """The label of the field at the end of a location, or the request itself."""
    names = [part for part in path if isinstance(part, str)]
    if not names:
        return _("The request")
    name = names[-1]
    return str(FIELD_LABELS.get(name, name))


def field_errors(
    errors: Iterable[ErrorDetails], path_of: Callable[[tuple[int | str, ...]], str]
) -> list[FieldError]:
    """One error per field (pydantic may give several, e.g. each member of
    a union), with its translated reason."""
    result: dict[str, FieldError] = {}
    for error in errors:
        path = path_of(error["loc"])
        result.setdefault(path, FieldError(path, reason(error)))
    return list(result.values())


def labelled(message: str, location: Sequence[int | str]) -> str:
    """A reason as the API says it: "Version: required"."""
    return _("%(field)s: %(reason)s") % {"field": label(location), "reason": message}
