"""The filters and sorts of the comments of an assessment and of the list of
published assessments (readiness/core/filtering.py)."""

from typing import Annotated

from django.db.models import OuterRef, Q, QuerySet, Subquery
from ninja import Field, Schema

from readiness.assessments.access import published_assessments
from readiness.assessments.models import Assessment
from readiness.core.choices import OneOf
from readiness.core.filtering import PageQuery
from readiness.core.pagination import Ordering, Page, SortField, paginate
from readiness.core.text import KeyText
from readiness.reviews.models import Comment, Publication

COMMENT_ORDER = Ordering({"created": SortField("created_at")}, default="created")

PUBLISHED_ORDER = Ordering(
    {"published": SortField("latest_published_at"), "slug": SortField("slug")},
    default="-published",
)


class CommentFilters(Schema):
    resolved: bool | None = Field(
        None, description="Comments of resolved threads only, or of open ones only."
    )
    thread: Annotated[int, Field(ge=1, le=2**53)] | None = Field(
        None, description="A thread's first comment and its replies."
    )
    framework: KeyText | None = None
    dimension: KeyText | None = Field(None, description="On this dimension itself.")
    question: KeyText | None = None
    sort: Annotated[str, OneOf(COMMENT_ORDER.choices)] | None = Field(
        None, description="`created` (oldest first, the default) or `-created`."
    )

    def apply(self, comments: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.resolved is not None:
            # A reply is as resolved as its thread, whose first comment holds the mark.
            resolved = Q(parent__isnull=True, resolved_at__isnull=False) | Q(
                parent__resolved_at__isnull=False
            )
            comments = comments.filter(resolved if self.resolved else ~resolved)
        if self.thread:
            comments = comments.filter(Q(pk=self.thread) | Q(parent_id=self.thread))
        if self.framework:
            comments = comments.filter(
                Q(dimension__framework__key__iexact=self.framework)
                | Q(question__framework__key__iexact=self.framework)
            )
        if self.dimension:
            comments = comments.filter(dimension__key__iexact=self.dimension)
        if self.question:
            comments = comments.filter(question__key__iexact=self.question)
        return comments


def comment_page(assessment: Assessment, filters: CommentFilters, page: PageQuery) -> Page[Comment]:
    comments = filters.apply(assessment.comments.all()).select_related(
        "author", "parent", "dimension__framework", "question__framework"
    )
    return paginate(
        comments, COMMENT_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit
    )


class PublishedFilters(Schema):
    sort: Annotated[str, OneOf(PUBLISHED_ORDER.choices)] | None = Field(
        None,
        description="`published` (the latest publication) or `slug`, `-column` for "
        "descending; `-published` by default.",
    )


def published_page(filters: PublishedFilters, page: PageQuery) -> Page[Assessment]:
    """Published assessments, with their publications (to show the latest)."""
    latest = Publication.objects.filter(assessment=OuterRef("pk")).order_by("-published_at")
    assessments = published_assessments().annotate(
        latest_published_at=Subquery(latest.values("published_at")[:1])
    )
    return paginate(
        assessments.prefetch_related("publications"),
        PUBLISHED_ORDER,
        sort=filters.sort,
        cursor=page.cursor,
        limit=page.limit,
    )
