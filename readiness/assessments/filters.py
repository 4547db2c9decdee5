"""The filters and sorts of the assessment and evidence lists, for the API,
the web lists and the CLI alike (readiness/core/filtering.py)."""

import datetime
from typing import Annotated

from django.db.models import Exists, OuterRef, Q, QuerySet
from ninja import Field, Schema
from pydantic import StringConstraints

from readiness.assessments.access import visible_assessments
from readiness.assessments.models import (
    Assessment,
    AssessmentFramework,
    Assignment,
    DimensionVerdict,
    Evidence,
    Membership,
    QuestionRating,
)
from readiness.assessments.permissions import Role, State
from readiness.assessments.selectors import assignments_of, my_questions, question_history
from readiness.core.choices import OneOf
from readiness.core.filtering import Day, Moment, PageQuery, SearchText
from readiness.core.history import Actor, acting_user
from readiness.core.models import ChangeRecord
from readiness.core.pagination import Ordering, Page, SortField, paginate
from readiness.core.text import KeyText, ShortText, SlugText
from readiness.frameworks.models import Question

ASSESSMENT_ORDER = Ordering(
    {
        "created": SortField("created_at"),
        "title": SortField("title"),
        "slug": SortField("slug"),
        "subject": SortField("subject_code"),
        "period": SortField("period_start", nulls=datetime.date.min),
        "state": SortField("state"),
    },
    default="-created",
)

EVIDENCE_ORDER = Ordering(
    {
        "id": SortField("id"),
        "date": SortField("date", nulls=datetime.date.min),
        "sign": SortField("sign"),
        "source_kind": SortField("source_kind"),
        "author": SortField("author"),
    },
    default="id",
)

SubjectCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,10}$")]
Username = Annotated[str, StringConstraints(pattern=r"^[\w.@+-]{1,150}$")]
Year = Annotated[int, Field(ge=1900, le=2200)]


class AssessmentFilters(Schema):
    q: SearchText | None = Field(None, description="Words in the title or the short name.")
    state: Annotated[str, OneOf(State.values)] | None = None
    subject: SubjectCode | None = Field(
        None,
        description="An ISO 3166 code or its beginning: `VN` also finds `VN-HN` "
        "(the subject and the jurisdictions within it).",
    )
    framework: KeyText | None = Field(None, description="A framework's key.")
    year: Year | None = Field(None, description="The assessed period includes this year.")
    member: Username | None = Field(None, description="A team member's username.")
    changed_since: Moment | None = Field(
        None, description="Created or changed at or after this moment (ISO 8601)."
    )
    sort: Annotated[str, OneOf(ASSESSMENT_ORDER.choices)] | None = Field(
        None, description="A column, `-column` for descending; `-created` by default."
    )

    def apply(self, assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
        if self.q:
            assessments = assessments.filter(Q(title__icontains=self.q) | Q(slug__icontains=self.q))
        if self.state:
            assessments = assessments.filter(state=self.state)
        if self.subject:
            assessments = assessments.filter(subject_code__istartswith=self.subject)
        if self.framework:
            links = AssessmentFramework.objects.filter(
                assessment=OuterRef("pk"), framework__key__iexact=self.framework
            )
            assessments = assessments.filter(Exists(links))
        if self.year:
            first, last = datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
            assessments = assessments.filter(
                Q(period_start__lte=last, period_end__gte=first)
                | Q(period_start__isnull=True, period_end__year=self.year)
                | Q(period_end__isnull=True, period_start__year=self.year)
            )
        if self.member:
            members = Membership.objects.filter(
                assessment=OuterRef("pk"), user__username=self.member
            )
            assessments = assessments.filter(Exists(members))
        if self.changed_since:
            changes = ChangeRecord.objects.filter(
                assessment=OuterRef("pk"), at__gte=self.changed_since
            )
            assessments = assessments.filter(
                Q(created_at__gte=self.changed_since) | Exists(changes)
            )
        return assessments


class EvidenceFilters(Schema):
    q: SearchText | None = Field(None, description="Words in the text or the reference.")
    framework: KeyText | None = None
    dimension: KeyText | None = None
    question: KeyText | None = None
    sign: Annotated[str, OneOf(Evidence.Sign.values)] | None = None
    source_kind: Annotated[str, OneOf(Evidence.SourceKind.values)] | None = None
    author: ShortText | None = Field(None, description="Who collected it (whatever the case).")
    date_from: Day | None = Field(None, description="Dated on or after this day.")
    date_to: Day | None = Field(None, description="Dated on or before this day.")
    sort: Annotated[str, OneOf(EVIDENCE_ORDER.choices)] | None = Field(
        None, description="A column, `-column` for descending; `id` by default."
    )

    def apply(self, evidence: QuerySet[Evidence]) -> QuerySet[Evidence]:
        if self.q:
            evidence = evidence.filter(
                Q(text__icontains=self.q) | Q(reference_title__icontains=self.q)
            )
        if self.framework:
            evidence = evidence.filter(question__framework__key__iexact=self.framework)
        if self.dimension:
            evidence = evidence.filter(question__dimension__key__iexact=self.dimension)
        if self.question:
            evidence = evidence.filter(question__key__iexact=self.question)
        if self.sign:
            evidence = evidence.filter(sign=self.sign)
        if self.source_kind:
            evidence = evidence.filter(source_kind=self.source_kind)
        if self.author:
            evidence = evidence.filter(author__iexact=self.author)
        if self.date_from:
            evidence = evidence.filter(date__gte=self.date_from)
        if self.date_to:
            evidence = evidence.filter(date__lte=self.date_to)
        return evidence


def assessment_page(actor: Actor, filters: AssessmentFilters, page: PageQuery) -> Page[Assessment]:
    """The assessments the actor may open, filtered, one page (three queries)."""
    assessments = filters.apply(visible_assessments(actor)).prefetch_related("frameworks")
    return paginate(
        assessments, ASSESSMENT_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit
    )


def evidence_page(
    assessment: Assessment, filters: EvidenceFilters, page: PageQuery
) -> Page[Evidence]:
    """One page of an assessment's evidence, filtered (two queries)."""
    evidence = filters.apply(assessment.evidence.select_related("question__framework"))
    return paginate(
        evidence, EVIDENCE_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit
    )


CHANGE_ORDER = Ordering({"id": SortField("id")}, default="id")


class ChangeFilters(Schema):
    since: Moment | None = Field(
        None, description="Changes recorded at or after this moment (ISO 8601)."
    )
    after: Annotated[int, Field(ge=0, le=2**53)] | None = Field(
        None, description="Changes after the one with this id: the last id a sync has seen."
    )
    assessment: SlugText | None = Field(None, description="Only this assessment's changes.")

    def apply(self, changes: QuerySet[ChangeRecord]) -> QuerySet[ChangeRecord]:
        if self.since:
            changes = changes.filter(at__gte=self.since)
        if self.after is not None:
            changes = changes.filter(pk__gt=self.after)
        if self.assessment:
            changes = changes.filter(assessment__slug__iexact=self.assessment)
        return changes


def change_page(actor: Actor, filters: ChangeFilters, page: PageQuery) -> Page[ChangeRecord]:
    """The history of the assessments the actor may open, oldest first. Others'
    independent ratings stay out: they are private until reconciliation, which
    shows them (GET …/reconciliation/…) to those it is open to."""
    changes = ChangeRecord.objects.filter(assessment__in=visible_assessments(actor).values("pk"))
    if not (actor is None or actor.is_superuser):
        changes = changes.exclude(~Q(actor_id=actor.pk), entity="independent_rating")
    changes = filters.apply(changes).select_related("actor", "assessment")
    return paginate(changes, CHANGE_ORDER, cursor=page.cursor, limit=page.limit)


# The lists within one assessment. Questions and dimensions sort in the
# frameworks' own order, which is the order they were loaded in (their ids).
# Each list is filtered, then one page of it read by the caller.

RATING_ORDER = Ordering(
    {"question": SortField("question_id"), "updated": SortField("updated_at")},
    default="question",
)


class RatingFilters(Schema):
    framework: KeyText | None = None
    dimension: KeyText | None = None
    question: KeyText | None = None
    level: KeyText | None = Field(None, description="A level's code, such as `2`.")
    sort: Annotated[str, OneOf(RATING_ORDER.choices)] | None = Field(
        None, description="A column, `-column` for descending; `question` (the frameworks' order)."
    )

    def apply(self, ratings: QuerySet[QuestionRating]) -> QuerySet[QuestionRating]:
        if self.framework:
            ratings = ratings.filter(question__framework__key__iexact=self.framework)
        if self.dimension:
            ratings = ratings.filter(question__dimension__key__iexact=self.dimension)
        if self.question:
            ratings = ratings.filter(question__key__iexact=self.question)
        if self.level:
            ratings = ratings.filter(level__code__iexact=self.level)
        return ratings


def rating_page(
    assessment: Assessment, filters: RatingFilters, page: PageQuery
) -> Page[QuestionRating]:
    ratings = (
        filters.apply(assessment.ratings.all())
        .select_related("level", "question__framework")
        .prefetch_related("cited_evidence", "question__framework__levels")
    )
    return paginate(ratings, RATING_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit)


VERDICT_ORDER = Ordering(
    {"dimension": SortField("dimension_id"), "updated": SortField("updated_at")},
    default="dimension",
)


class VerdictFilters(Schema):
    framework: KeyText | None = None
    dimension: KeyText | None = None
    level: KeyText | None = Field(None, description="A level's code, such as `2`.")
    sort: Annotated[str, OneOf(VERDICT_ORDER.choices)] | None = Field(
        None,
        description="A column, `-column` for descending; `dimension` (the frameworks' order).",
    )

    def apply(self, verdicts: QuerySet[DimensionVerdict]) -> QuerySet[DimensionVerdict]:
        if self.framework:
            verdicts = verdicts.filter(dimension__framework__key__iexact=self.framework)
        if self.dimension:
            verdicts = verdicts.filter(dimension__key__iexact=self.dimension)
        if self.level:
            verdicts = verdicts.filter(level__code__iexact=self.level)
        return verdicts


def verdict_page(
    assessment: Assessment, filters: VerdictFilters, page: PageQuery
) -> Page[DimensionVerdict]:
    verdicts = filters.apply(assessment.verdicts.all()).select_related(
        "level", "importance", "dimension__framework"
    )
    return paginate(
        verdicts, VERDICT_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit
    )


TEAM_ORDER = Ordering(
    {"username": SortField("user__username"), "role": SortField("role")}, default="username"
)


class TeamFilters(Schema):
    role: Annotated[str, OneOf(Role.values)] | None = None
    sort: Annotated[str, OneOf(TEAM_ORDER.choices)] | None = Field(
        None, description="A column, `-column` for descending; `username` by default."
    )

    def apply(self, members: QuerySet[Membership]) -> QuerySet[Membership]:
        return members.filter(role=self.role) if self.role else members


def team_page(assessment: Assessment, filters: TeamFilters, page: PageQuery) -> Page[Membership]:
    members = filters.apply(assessment.memberships.select_related("user"))
    return paginate(members, TEAM_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit)


HISTORY_ORDER = Ordering({"at": SortField("at")}, default="-at")


class HistoryFilters(Schema):
    entity: Annotated[str, OneOf(["evidence", "rating", "independent_rating"])] | None = Field(
        None, description="Only changes to the evidence, the rating or independent ratings."
    )
    sort: Annotated[str, OneOf(HISTORY_ORDER.choices)] | None = Field(
        None, description="`-at` (newest first, the default) or `at`."
    )

    def apply(self, changes: QuerySet[ChangeRecord]) -> QuerySet[ChangeRecord]:
        return changes.filter(entity=self.entity) if self.entity else changes


def question_history_page(
    assessment: Assessment,
    question: Question,
    actor: Actor,
    filters: HistoryFilters,
    page: PageQuery,
) -> Page[ChangeRecord]:
    changes = filters.apply(question_history(assessment, question, acting_user(actor)))
    return paginate(changes, HISTORY_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit)


ASSIGNMENT_ORDER = Ordering({"username": SortField("user__username")}, default="username")


class AssignmentFilters(Schema):
    username: Username | None = None
    framework: KeyText | None = None
    sort: Annotated[str, OneOf(ASSIGNMENT_ORDER.choices)] | None = Field(
        None, description="`username` (the default) or `-username`."
    )

    def apply(self, assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
        if self.username:
            assignments = assignments.filter(user__username=self.username)
        if self.framework:
            assignments = assignments.filter(
                Q(dimension__framework__key__iexact=self.framework)
                | Q(question__framework__key__iexact=self.framework)
            )
        return assignments


def assignment_page(
    assessment: Assessment, filters: AssignmentFilters, page: PageQuery
) -> Page[Assignment]:
    return paginate(
        filters.apply(assignments_of(assessment)),
        ASSIGNMENT_ORDER,
        sort=filters.sort,
        cursor=page.cursor,
        limit=page.limit,
    )


QUESTION_ORDER = Ordering({"question": SortField("id")}, default="question")


class AssignedQuestionFilters(Schema):
    framework: KeyText | None = None
    dimension: KeyText | None = None
    sort: Annotated[str, OneOf(QUESTION_ORDER.choices)] | None = Field(
        None, description="`question` (the frameworks' order, the default) or `-question`."
    )

    def apply(self, questions: QuerySet[Question]) -> QuerySet[Question]:
        if self.framework:
            questions = questions.filter(framework__key__iexact=self.framework)
        if self.dimension:
            questions = questions.filter(dimension__key__iexact=self.dimension)
        return questions


def my_question_page(
    assessment: Assessment, actor: Actor, filters: AssignedQuestionFilters, page: PageQuery
) -> Page[Question]:
    questions = filters.apply(my_questions(assessment, acting_user(actor)))
    return paginate(
        questions, QUESTION_ORDER, sort=filters.sort, cursor=page.cursor, limit=page.limit
    )
