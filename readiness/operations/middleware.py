import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("readiness.requests")


class RequestLogMiddleware:
    """One log line per request: method, path (never the query string, which
    may carry tokens), status, duration and the user's id. Outermost, so the
    status is the one sent, also for refusals by the middleware inside it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s %.0fms user=%s",
            request.method,
            request.path,
            response.status_code,
            (time.perf_counter() - start) * 1000,
            user.pk if user is not None and user.is_authenticated else "-",
        )
        return response
