from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from readiness.core.errors import Forbidden, NotFound, WrongState


class ServiceErrorMiddleware:
    """Turn the service layer's refusals into HTTP answers for the web views
    (the API has its own handlers): 404, 403 and 409 with the message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        statuses: dict[type[Exception], int] = {NotFound: 404, Forbidden: 403, WrongState: 409}
        status = statuses.get(type(exception))
        if status is None:
            return None
        return render(
            request, "error.html", {"message": str(exception), "status": status}, status=status
        )
