"""Framework texts are stored as {"en": ..., "vi": ...}; pick the active language."""

from typing import Any

from django.utils.translation import get_language

DEFAULT_LANGUAGE = "en"


def pick(text: Any, language: str | None = None) -> str:
    if not isinstance(text, dict):
        return "" if text is None else str(text)
    language = (language or get_language() or DEFAULT_LANGUAGE).split("-")[0]
    return str(text.get(language) or text.get(DEFAULT_LANGUAGE) or "")
