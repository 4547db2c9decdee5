import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import StringConstraints

from readiness.accounts import services
from readiness.accounts.filters import TokenFilters, token_page
from readiness.accounts.models import ApiToken
from readiness.core.api_errors import ACTION_ERRORS, READ_ERRORS, WRITE_ERRORS
from readiness.core.api_pages import page_out, page_schema
from readiness.core.filtering import PageQuery
from readiness.core.history import acting_user
from readiness.core.text import LabelText

router = Router(tags=["accounts"])


class TokenIn(Schema):
    name: Annotated[LabelText, StringConstraints(min_length=1)]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class NewTokenOut(TokenOut):
    token: str


def token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


@router.get(
    "/tokens", response={200: page_schema(TokenOut), **READ_ERRORS}, summary="My API tokens"
)
def list_tokens(
    request: HttpRequest, filters: Query[TokenFilters], page: Query[PageQuery]
) -> dict[str, Any]:
    found = token_page(acting_user(request.user), filters, page)
    return page_out(request, found, token_out)


@router.post("/tokens", response={201: NewTokenOut, **WRITE_ERRORS}, summary="Create an API token")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    """The secret is in the answer to this request only; it is stored hashed."""
    user = acting_user(request.user)
    assert user is not None  # every API route requires authentication
    token, secret = services.create_token(user, payload.name)
    return Status(201, {**token_out(token), "token": secret})


@router.delete(
    "/tokens/{token_id}", response={200: TokenOut, **ACTION_ERRORS}, summary="Revoke an API token"
)
def revoke_token(
    request: HttpRequest, token_id: Annotated[int, Path(ge=1, le=2**53)]
) -> dict[str, Any]:
    user = acting_user(request.user)
    assert user is not None
    return token_out(services.revoke_token(user, token_id))
