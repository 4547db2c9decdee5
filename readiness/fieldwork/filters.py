"""The filters of the proposed ratings' list, read alike by the API and the web
(core/filtering.py)."""

from typing import Annotated

from ninja import Field, Schema

from readiness.core.choices import OneOf
from readiness.fieldwork.models import ProposedRating


class ProposalFilters(Schema):
    status: Annotated[str, OneOf(ProposedRating.Status.values)] | None = Field(
        None, description="Only the proposals in this status; all when absent."
    )
