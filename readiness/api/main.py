"""The REST API: one NinjaAPI mounting each app's router. OpenAPI at
/api/v1/openapi.json; the committed snapshot is docs/openapi.json."""

from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBasicAuth, django_auth

from readiness.assessments.api import router as assessments_router
from readiness.core.errors import EditConflict, InvalidInput, NotFound
from readiness.frameworks.api import router as frameworks_router


class BasicAuth(HttpBasicAuth):
    """Username and password, for scripts and command-line clients."""

    def authenticate(self, request: HttpRequest, username: str, password: str) -> Any:
        user = authenticate(request, username=username, password=password)
        if user is not None and user.is_active:
            request.user = user
            return user
        return None


api = NinjaAPI(
    title="Readiness API",
    version="1",
    description="Frameworks, assessments, evidence, ratings and dimension verdicts.",
    auth=[django_auth, BasicAuth()],
    docs_url=None,
    urls_namespace="api",
)
api.add_router("/frameworks", frameworks_router)
api.add_router("/assessments", assessments_router)


@api.exception_handler(InvalidInput)
def invalid_input(request: HttpRequest, error: InvalidInput) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": [{"path": e.path, "message": e.message} for e in error.errors]},
        status=422,
    )


@api.exception_handler(NotFound)
def not_found(request: HttpRequest, error: NotFound) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=404)


@api.exception_handler(EditConflict)
def edit_conflict(request: HttpRequest, error: EditConflict) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": str(error), "current_version": error.current_version, "current": error.current},
        status=409,
    )
