"""The API's one error shape: its schema for the OpenAPI document, the
answers ninja gives through our handlers, and a middleware that gives the
same shape to the errors Django and ninja answer outside them (an unknown
address, a method the address does not take, a body over the size limit, a
server error)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Schema

from readiness.core.errors import error_document
from readiness.core.middleware import API_PATH


class FieldErrorOut(Schema):
    path: str = Field(
        description="The field at fault, e.g. `text` or `frameworks[0].key`; "
        "empty for the request as a whole."
    )
    message: str


class ErrorOut(Schema):
    """Every error answer of the API (`readiness.core.errors.error_document`)."""

    message: str
    errors: list[FieldErrorOut]


class ConflictOut(ErrorOut):
    """409: the workflow state does not allow it, or the save was based on a
    stale version (then with the value saved in between)."""

    current_version: int | None = Field(
        None, description="On a stale save: the version now stored."
    )
    current: dict[str, Any] | None = Field(
        None, description="On a stale save: the value now stored."
    )


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The `response={...}` declarations of error statuses, all in the one shape."""
    return {status: ConflictOut if status == 409 else ErrorOut for status in statuses}


# The statuses each kind of operation can answer besides its success: 400
# (the NUL character, a malformed body), 401 (no or wrong credentials), 403,
# 404 (also an assessment the user may not see), 409 (workflow state, stale
# version), 413 and 415 (where a body is read), 422 (a parameter or field the
# schema or a service refuses).
PUBLIC_ERRORS = error_responses(400, 404, 422)
READ_ERRORS = error_responses(400, 401, 403, 404, 422)
ACTION_ERRORS = error_responses(400, 401, 403, 404, 409, 422)  # a write without a body
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 413, 415, 422)
UPLOAD_ERRORS = error_responses(400, 401, 403, 404, 409, 413, 422)


class UnsupportedMediaType(Exception):
    """A JSON body sent with another content type."""


def status_message(status: int, request: HttpRequest) -> str:
    """The message for an error status given without one of our own."""
    messages = {
        400: _("The request is not valid."),
        401: _(
            "Authentication required: send an API token, a username and password, "
            "or the session cookie."
        ),
        403: _("You may not do this."),
        404: _("There is nothing at this address."),
        405: _("This address does not take the %(method)s method.") % {"method": request.method},
        413: _("The request body is larger than the limit of %(limit)d bytes.")
        % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        415: _("The request body must be JSON, sent as Content-Type: application/json."),
        500: _("Something went wrong on the server."),
    }
    return messages.get(status) or _("The request cannot be carried out.")


class ApiErrorMiddleware:
    """Under /api/, every error answer is JSON in the one error shape: the
    HTML ones Django and ninja give outside our handlers are rewritten."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PATH)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
            and not (settings.DEBUG and response.status_code == 500)  # keep the traceback page
        ):
            # In place, keeping the headers (Allow on a 405, the security headers).
            with translation.override(translation.get_language_from_request(request)):
                message = status_message(response.status_code, request)
            response.content = JsonResponse(error_document(message)).content
            response["Content-Type"] = "application/json; charset=utf-8"
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
