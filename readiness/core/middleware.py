from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
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


class RefuseNulMiddleware:
    """Answer 400 to a request whose parameters or JSON/form body carry the
    NUL character, which no database field can hold (PostgreSQL refuses it).
    Uploaded files are left to their parsers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.carries_nul(request):
            return JsonResponse(
                {"detail": [{"path": "", "message": "must not contain the NUL character"}]},
                status=400,
            )
        return self.get_response(request)

    @staticmethod
    def carries_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.content_type == "multipart/form-data":
            # The form fields, not the uploaded files (binary by nature).
            return any("\x00" in value for _, values in request.POST.lists() for value in values)
        body = request.body
        return b"\x00" in body or b"%00" in body or b"\\u0000" in body.lower()
