from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from readiness.core.errors import ServiceError, error_document
from readiness.core.text import is_storable

API_PATH = "/api/"


def error_page(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """The web's one error page (error.html), in the visitor's language."""
    return render(request, "error.html", {"message": message, "status": status}, status=status)


class ServiceErrorMiddleware:
    """Turn the service layer's refusals into HTTP answers for the web views
    (the API has its own handlers), with the status each kind of error
    carries (`ServiceError.status`) and its message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ServiceError):
            return None
        return error_page(request, str(exception), exception.status)


class RefuseControlCharactersMiddleware:
    """Answer 400 to a request whose address (path or query parameters) holds
    a character the text rule refuses (readiness.core.text), NUL among them,
    which PostgreSQL cannot even look for. Our own doors check their
    parameters; this covers Django's (the admin's search, for one). Bodies
    are left to the services, where a typed "%00" is text like any other."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.forbidden_place(request) is None:
            return self.get_response(request)
        # Before LocaleMiddleware: choose the language here.
        with translation.override(translation.get_language_from_request(request)):
            message = _("The address must not contain control characters (%(place)s).") % {
                "place": self.forbidden_place(request)
            }
            if request.path.startswith(API_PATH):
                return JsonResponse(error_document(message), status=400)
            # Without the request's context: the page would repeat the address.
            content = render_to_string("error.html", {"message": message, "status": 400})
        return HttpResponse(content, status=400)

    @staticmethod
    def forbidden_place(request: HttpRequest) -> str | None:
        if not is_storable(request.path):
            return _("path")
        for name, values in request.GET.lists():
            if not all(is_storable(text) for text in [name, *values]):
                return _("query parameter %s") % name
        return None
