"""The REST API: one NinjaAPI mounting each app's router. OpenAPI at
/api/v1/openapi.json; the committed snapshot is docs/openapi.json."""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBasicAuth, HttpBearer, django_auth
from ninja.types import DictStrAny

from readiness.accounts.api import router as accounts_router
from readiness.accounts.services import user_for_token
from readiness.actionplans.api import router as actionplans_router
from readiness.assessments.api import changes_router
from readiness.assessments.api import router as assessments_router
from readiness.catalogues.api import router as catalogues_router
from readiness.core import readers, validation
from readiness.core.api_errors import UnsupportedMediaType, status_message
from readiness.core.errors import FieldError, InvalidInput, ServiceError, error_document
from readiness.core.text import is_storable
from readiness.fieldwork.api import framework_router as fieldwork_framework_router
from readiness.fieldwork.api import router as fieldwork_router
from readiness.frameworks.api import router as frameworks_router
from readiness.notifications.api import router as notifications_router
from readiness.registry.api import jurisdictions_router, organisations_router
from readiness.reports.api import public_router as published_reports_router
from readiness.reports.api import router as reports_router
from readiness.reviews.api import public_router
from readiness.reviews.api import router as reviews_router


class TokenAuth(HttpBearer):
    """`Authorization: Bearer rdy_…`, a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class BasicAuth(HttpBasicAuth):
    """Username and password (slow by design: prefer a token)."""

    def authenticate(self, request: HttpRequest, username: str, password: str) -> Any:
        if not is_storable(username):
            return None  # no account has such a name; PostgreSQL could not even look for it
        user = authenticate(request, username=username, password=password)
        if user is not None and user.is_active:
            request.user = user
            return user
        return None


class JsonParser(Parser):
    """JSON bodies only as `application/json`: anything else gets 415 rather
    than being parsed as JSON by luck."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        if request.content_type != "application/json":
            raise UnsupportedMediaType(request.content_type)
        return readers.read_json(
            request.body, _("request body"), max_bytes=readers.MAX_REQUEST_BODY_BYTES
        )


api = NinjaAPI(
    title="Readiness API",
    version="1",
    description="Frameworks, assessments, evidence, ratings and dimension verdicts.",
    # Header-based methods first: session auth enforces CSRF on every unsafe
    # request, and would refuse a script before its credentials are looked at.
    auth=[TokenAuth(), BasicAuth(), django_auth],
    docs_url=None,
    urls_namespace="api",
    parser=JsonParser(),
)
api.add_router("/frameworks", frameworks_router)
api.add_router("/assessments", assessments_router)
api.add_router("/assessments", reviews_router)
api.add_router("/assessments", actionplans_router)
api.add_router("/assessments", reports_router)
api.add_router("/assessments", catalogues_router)
api.add_router("/assessments", fieldwork_router)
api.add_router("/frameworks", fieldwork_framework_router)
api.add_router("/published", public_router)
api.add_router("/published", published_reports_router)
api.add_router("/account", accounts_router)
api.add_router("/changes", changes_router)
api.add_router("/notifications", notifications_router)
api.add_router("/organisations", organisations_router)
api.add_router("/jurisdictions", jurisdictions_router)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return api.create_response(request, error.document(), status=error.status)


def client_location(location: Sequence[str | int]) -> Sequence[str | int]:
    """A ninja location without what the client never sees: where the value
    came from ("body", "query", "path") and the body's parameter name."""
    return location[2:] if location[0] == "body" else location[1:]


def field_path(location: Sequence[str | int]) -> str:
    """A pydantic location as the services name fields:
    ("body", "payload", "frameworks", 0, "key") → "frameworks[0].key"."""
    path = ""
    for part in client_location(location):
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Ninja's refusals of parameters and bodies, as the services' own 422:
    one translated message per field, saying the field's label."""
    problems: dict[str, FieldError] = {}
    for problem in error.errors:
        location = client_location(problem["loc"])
        message = validation.labelled(validation.reason(problem), location)  # type: ignore[arg-type]
        problems.setdefault(
            field_path(problem["loc"]), FieldError(field_path(problem["loc"]), message)
        )
    fields = list(problems.values())
    document = error_document("\n".join(e.message for e in fields), fields)
    return api.create_response(request, document, status=InvalidInput.status)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    """Authentication (401), and a body ninja could not parse: the cause says why."""
    cause = error.__cause__
    if isinstance(cause, UnsupportedMediaType):
        status, message = 415, status_message(415, request)
    elif isinstance(cause, RequestDataTooBig):
        status, message = 413, status_message(413, request)
    elif isinstance(cause, InvalidInput):  # refused by the bounded JSON reader
        return api.create_response(request, cause.document(), status=400)
    else:
        status, message = error.status_code, status_message(error.status_code, request)
    return api.create_response(request, error_document(message), status=status)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    """The form fields of an upload over the limit (the files do not count)."""
    return api.create_response(request, error_document(status_message(413, request)), status=413)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return api.create_response(request, error_document(status_message(404, request)), status=404)
