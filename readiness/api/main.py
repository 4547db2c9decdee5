"""The REST API: one NinjaAPI mounting each app's router. OpenAPI at
/api/v1/openapi.json; the committed snapshot is docs/openapi.json."""

from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBasicAuth, HttpBearer, django_auth

from readiness.accounts.api import router as accounts_router
from readiness.accounts.services import user_for_token
from readiness.actionplans.api import router as actionplans_router
from readiness.assessments.api import router as assessments_router
from readiness.core.errors import EditConflict, Forbidden, InvalidInput, NotFound, WrongState
from readiness.frameworks.api import router as frameworks_router
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
        user = authenticate(request, username=username, password=password)
        if user is not None and user.is_active:
            request.user = user
            return user
        return None


api = NinjaAPI(
    title="Readiness API",
    version="1",
    description="Frameworks, assessments, evidence, ratings and dimension verdicts.",
    # Header-based methods first: session auth enforces CSRF on every unsafe
    # request, and would refuse a script before its credentials are looked at.
    auth=[TokenAuth(), BasicAuth(), django_auth],
    docs_url=None,
    urls_namespace="api",
)
api.add_router("/frameworks", frameworks_router)
api.add_router("/assessments", assessments_router)
api.add_router("/assessments", reviews_router)
api.add_router("/assessments", actionplans_router)
api.add_router("/assessments", reports_router)
api.add_router("/published", public_router)
api.add_router("/published", published_reports_router)
api.add_router("/account", accounts_router)


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


@api.exception_handler(Forbidden)
def forbidden(request: HttpRequest, error: Forbidden) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=403)


@api.exception_handler(WrongState)
def wrong_state(request: HttpRequest, error: WrongState) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=409)
