"""The application's own answers to Django's error statuses (400, 403, 404,
500 and a failed CSRF check), rendered with error.html in the visitor's
language. Under /api/ the API's JSON shape is given instead
(readiness.core.api_errors.ApiErrorMiddleware rewrites these answers)."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from readiness.core.middleware import error_page


def message_of(exception: Exception | None) -> str:
    """The message a view gave its Http404 or PermissionDenied (ours are
    translated); Django's own carry a dict (Resolver404) or nothing."""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        return exception.args[0]
    return ""


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, _("The request is not valid."), 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, message_of(exception) or _("You may not do this."), 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, message_of(exception) or _("There is nothing at this address."), 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Without the request's context: the failure may be in what it would
    # read (the session, the user), so the page must not depend on it.
    content = render_to_string(
        "error.html", {"status": 500, "message": _("Something went wrong on the server.")}
    )
    return HttpResponse(content, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(
        request,
        _(
            "The form had expired or came from another site, so nothing was saved. "
            "Reload the page and try again."
        ),
        403,
    )
