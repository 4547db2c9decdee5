from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from readiness.core.errors import NotFound
from readiness.frameworks.models import Framework
from readiness.frameworks.services import get_framework


@login_required
@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = Framework.objects.annotate(
        dimension_count=Count("dimensions", distinct=True),
        question_count=Count("questions", distinct=True),
    )
    return render(request, "frameworks/list.html", {"frameworks": frameworks})


@login_required
@require_GET
def framework_detail(request: HttpRequest, key: str, version: str) -> HttpResponse:
    try:
        framework = get_framework(key, version)
    except NotFound as error:
        raise Http404(str(error)) from None
    questions_by_dimension: dict[int, list] = {}
    for question in framework.questions.select_related("importance"):
        questions_by_dimension.setdefault(question.dimension_id, []).append(question)
    dimensions = [(d, questions_by_dimension.get(d.pk, [])) for d in framework.dimensions.all()]
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "levels": framework.levels.all(),
            "importance_levels": framework.importance_levels.all(),
            "dimensions": dimensions,
        },
    )
