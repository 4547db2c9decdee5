"""The one rule for web addresses we store and show as links.

Only http and https: every stored address is a document or web page (evidence
references, evidence of progress, a framework's source), so `mailto:` is not
needed, and every other scheme (`javascript:`, `data:`, `vbscript:`, …) could
run script or show forged content when clicked. Services check input with
`url_errors`, API schemas and file formats use `WebUrl`, and templates render
stored addresses only through the `link` filter, which applies the rule again.
"""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

from readiness.core.errors import FieldError
from readiness.core.text import URL

SCHEMES = ["http", "https"]

# Django's validator also refuses whitespace and control characters anywhere in
# the address, which browsers would strip ("java\tscript:" is "javascript:").
validate_web_url = URLValidator(schemes=SCHEMES)


def url_problem(url: str) -> str | None:
    """Why `url` may not be stored or shown as a link, or None if it may."""
    if len(url) > URL:
        return _("at most %d characters") % URL
    try:
        validate_web_url(url)
    except ValidationError:
        return _("must be an http or https address, e.g. https://example.org/page")
    return None


def is_web_url(url: str) -> bool:
    return bool(url) and url_problem(url) is None


def url_errors(field: str, url: str) -> list[FieldError]:
    """The service-side check: an empty address is allowed (no link)."""
    problem = url_problem(url) if url else None
    return [FieldError(field, problem)] if problem else []


def checked_url(url: str) -> str:
    problem = url_problem(url) if url else None
    if problem:
        raise PydanticCustomError("web_url", problem)
    return url


# For API schemas and file formats: surrounding spaces are dropped, "" means no link.
WebUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=URL),
    AfterValidator(checked_url),
]
