"""What the web forms of several rooms share."""

from typing import Any

from django import forms

from readiness.core.bilingual import pick
from readiness.core.errors import InvalidInput


def add_service_errors(form: forms.BaseForm, error: InvalidInput) -> None:
    """Each refusal beside its field, or above the form when it names none of them."""
    for item in error.errors:
        field = item.path if item.path in form.fields else None
        form.add_error(field, item.message if field else str(item))


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def shorten(question: Any, limit: int = 90) -> str:
    """A question's short title, or the beginning of its text, for a choice."""
    text = pick(question.short_title) or pick(question.text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
