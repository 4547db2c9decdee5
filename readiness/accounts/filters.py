"""The filters and sorts of the list of one's API tokens
(readiness/core/filtering.py)."""

from typing import Annotated

from django.contrib.auth.models import User
from django.db.models import QuerySet
from ninja import Field, Schema

from readiness.accounts.models import ApiToken
from readiness.core.choices import OneOf
from readiness.core.filtering import PageQuery
from readiness.core.pagination import Ordering, Page, SortField, paginate

TOKEN_ORDER = Ordering(
    {"created": SortField("created_at"), "name": SortField("name")}, default="-created"
)


class TokenFilters(Schema):
    revoked: bool | None = Field(None, description="Revoked tokens only, or live ones only.")
    sort: Annotated[str, OneOf(TOKEN_ORDER.choices)] | None = Field(
        None, description="A column, `-column` for descending; `-created` by default."
    )

    def apply(self, tokens: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
        if self.revoked is None:
            return tokens
        return tokens.filter(revoked_at__isnull=not self.revoked)


def token_page(user: User | None, filters: TokenFilters, page: PageQuery) -> Page[ApiToken]:
    tokens = filters.apply(ApiToken.objects.filter(user=user))
    return paginate(tokens, TOKEN_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit)
