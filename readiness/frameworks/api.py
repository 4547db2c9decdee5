from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import StringConstraints

from readiness.core.api_errors import READ_ERRORS
from readiness.core.api_pages import page_out, page_schema
from readiness.core.filtering import PageQuery
from readiness.core.text import KeyText
from readiness.frameworks.filters import FrameworkFilters, framework_page
from readiness.frameworks.models import Framework
from readiness.frameworks.services import get_framework

router = Router(tags=["frameworks"])

# As framework files may write it (frameworks.schema), less what no address can
# carry: the control characters (refused by RefuseControlCharactersMiddleware).
Version = Annotated[
    str, StringConstraints(min_length=1, max_length=20, pattern="^[^\x00-\x1f\x7f/]+$")
]

Bilingual = dict[str, str]


class LevelOut(Schema):
    code: str
    label: Bilingual
    description: Bilingual
    colour: str
    score: float | None


class ImportanceOut(Schema):
    code: str
    label: Bilingual
    weight: float


class QuestionOut(Schema):
    key: str
    short_title: Bilingual | None
    text: Bilingual
    importance: str | None
    guidance: Bilingual | None


class DimensionOut(Schema):
    key: str
    order: int
    title: Bilingual
    context: Bilingual | None
    questions: list[QuestionOut]


class FrameworkSummary(Schema):
    key: str
    version: str
    title: Bilingual
    short_title: Bilingual
    source_citation: Bilingual
    source_url: str
    dimension_count: int
    question_count: int


class FrameworkDetail(FrameworkSummary):
    rating_scale: list[LevelOut]
    importance_scale: list[ImportanceOut]
    dimensions: list[DimensionOut]


def summary(framework: Framework, dimension_count: int, question_count: int) -> dict:
    return {
        "key": framework.key,
        "version": framework.version,
        "title": framework.title,
        "short_title": framework.short_title,
        "source_citation": framework.source_citation,
        "source_url": framework.source_url,
        "dimension_count": dimension_count,
        "question_count": question_count,
    }


@router.get(
    "",
    response={200: page_schema(FrameworkSummary), **READ_ERRORS},
    summary="List loaded frameworks",
)
def list_frameworks(
    request: HttpRequest, filters: Query[FrameworkFilters], page: Query[PageQuery]
) -> dict[str, Any]:
    found = framework_page(filters, page)
    return page_out(request, found, lambda f: summary(f, f.dimension_count, f.question_count))


@router.get(
    "/{key}/{version}",
    response={200: FrameworkDetail, **READ_ERRORS},
    summary="One framework version",
)
def framework_detail(request: HttpRequest, key: KeyText, version: Version) -> dict:
    framework = get_framework(key, version)
    dimensions = list(framework.dimensions.all())
    questions = list(framework.questions.select_related("importance"))
    by_dimension: dict[int, list[dict]] = {d.pk: [] for d in dimensions}
    for q in questions:
        by_dimension[q.dimension_id].append(
            {
                "key": q.key,
                "short_title": q.short_title,
                "text": q.text,
                "importance": q.importance.code if q.importance else None,
                "guidance": q.guidance,
            }
        )
    return {
        **summary(framework, len(dimensions), len(questions)),
        "rating_scale": list(framework.levels.all()),
        "importance_scale": list(framework.importance_levels.all()),
        "dimensions": [
            {
                "key": d.key,
                "order": d.order,
                "title": d.title,
                "context": d.context,
                "questions": by_dimension[d.pk],
            }
            for d in dimensions
        ],
    }
