from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from readiness.operations.selectors import health


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For the proxy or the monitor, without a login: 200 when the database
    answers and a job worker is alive, 503 otherwise. Counts only, no names."""
    report = health()
    return JsonResponse(report.as_dict(), status=200 if report.healthy else 503)
