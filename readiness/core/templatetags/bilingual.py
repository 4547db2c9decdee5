from typing import Any

from django import template

from readiness.core.bilingual import pick

register = template.Library()


@register.filter(name="tr")
def translate_text(text: Any) -> str:
    """`{{ question.text|tr }}`: the framework text in the active language."""
    return pick(text)
