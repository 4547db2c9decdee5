"""The frameworks of the report with their part of the document, and the
small helpers every part of the report uses."""

from dataclasses import dataclass
from typing import Any

from readiness.assessments.rollup import suggest_level
from readiness.core.bilingual import pick
from readiness.frameworks.models import Dimension, Framework, Question, RatingLevel
from readiness.reports.document import Mark
from readiness.reports.source import ReportSource


@dataclass
class FrameworkData:
    """One framework of the assessment with the document's parts indexed."""

    framework: Framework
    number: int  # the chapter number
    levels: list[RatingLevel]
    dimensions: list[Dimension]
    questions: dict[int, list[Question]]  # by dimension id
    content: dict[str, dict[str, Any]]  # dimension key → its part of the document
    plan: dict[str, Any] | None

    def level(self, code: str | None) -> RatingLevel | None:
        return next((lvl for lvl in self.levels if lvl.code == code), None)

    def verdict(self, dimension: Dimension) -> dict[str, Any]:
        """The dimension's verdict in the document; empty when there is none."""
        return self.content.get(dimension.key, {}).get("verdict") or {}

    def question_rows(self, dimension: Dimension) -> list[tuple[Question, dict[str, Any]]]:
        """Every question of the dimension with its part of the document."""
        content = {q["key"]: q for q in self.content.get(dimension.key, {}).get("questions", [])}
        return [(q, content.get(q.key, {})) for q in self.questions.get(dimension.pk, [])]

    def suggested_level(self, dimension: Dimension) -> RatingLevel | None:
        """What the question ratings suggest (assessments.rollup)."""
        rated = []
        for question, content in self.question_rows(dimension):
            level = self.level((content.get("rating") or {}).get("level"))
            if level is not None:
                rated.append((level, question.importance.weight if question.importance else 1.0))
        return suggest_level(rated, self.levels).level if rated else None

    def importance_label(self, code: str | None) -> str:
        level = next((i for i in self.framework.importance_levels.all() if i.code == code), None)
        return pick(level.label) if level else ""


def load_frameworks(source: ReportSource) -> list[FrameworkData]:
    plans = {plan["framework"]: plan for plan in source.plans}
    result = []
    for number, doc in enumerate(source.document["frameworks"], start=2):
        framework = (
            Framework.objects.prefetch_related("levels", "importance_levels", "dimensions")
            .filter(key=doc["key"], version=doc["version"])
            .get()
        )
        questions: dict[int, list[Question]] = {}
        for question in framework.questions.select_related("importance"):
            questions.setdefault(question.dimension_id, []).append(question)
        result.append(
            FrameworkData(
                framework=framework,
                number=number,
                levels=list(framework.levels.all()),
                dimensions=list(framework.dimensions.all()),
                questions=questions,
                content={d["key"]: d for d in doc["dimensions"]},
                plan=plans.get(framework.key),
            )
        )
    return result


def mark(level: RatingLevel | None) -> Mark | None:
    if level is None:
        return None
    return Mark(pick(level.label), level.colour, level.readable_text_colour)


def anchor(*parts: str) -> str:
    return "-".join(p.replace(".", "_").replace(" ", "_") for p in parts)


def verdict_level(data: FrameworkData, dimension: Dimension) -> RatingLevel | None:
    return data.level(data.verdict(dimension).get("level"))


def has_readiness(data: FrameworkData) -> bool:
    return any(level.readiness for level in data.levels)
