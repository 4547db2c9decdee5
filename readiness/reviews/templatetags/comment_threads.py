"""Comment threads for the pages of the assessments app. A template tag, so
that assessments (below reviews) need not import reviews: the page asks for
its threads where it shows them, one query per page part."""

from django import template

from readiness.assessments.models import Assessment
from readiness.assessments.selectors import QuestionState
from readiness.frameworks.models import Dimension, Question
from readiness.reviews import selectors
from readiness.reviews.selectors import Thread

register = template.Library()


@register.simple_tag
def assessment_threads(assessment: Assessment) -> list[Thread]:
    return selectors.assessment_threads(assessment)


@register.simple_tag
def dimension_threads(assessment: Assessment, dimension: Dimension) -> list[Thread]:
    return selectors.dimension_threads(assessment, dimension)


@register.simple_tag
def question_threads(
    assessment: Assessment, states: list[QuestionState]
) -> dict[int, list[Thread]]:
    """The threads of every question shown, by question id, in one query."""
    return selectors.threads_by_question(assessment, [state.question for state in states])


@register.filter
def threads_of(by_question: dict[int, list[Thread]], question: Question) -> list[Thread]:
    return by_question.get(question.pk, [])
