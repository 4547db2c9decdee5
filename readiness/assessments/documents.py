"""The assessment document (`readiness-assessment/1`): export and all-or-nothing
import. docs/assessment-format.md describes it for people."""

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from readiness.assessments import services
from readiness.assessments.models import Assessment, Evidence
from readiness.core.choices import OneOf
from readiness.core.errors import FieldError, InvalidInput, NotFound
from readiness.core.history import Actor
from readiness.core.text import (
    KEY,
    SLUG,
    LongText,
    NameText,
    ShortText,
    UrlText,
    refuse_forbidden_characters,
)
from readiness.frameworks.services import errors_from_pydantic

FORMAT = "readiness-assessment/1"

Key = Annotated[str, StringConstraints(min_length=1, max_length=KEY)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EvidenceDoc(Strict):
    sign: Annotated[str, OneOf(Evidence.Sign.values)]
    text: Annotated[LongText, StringConstraints(min_length=1)]
    source_kind: Annotated[str, OneOf(Evidence.SourceKind.values)]
    reference_title: NameText = ""
    reference_url: UrlText = ""
    date: datetime.date | None = None
    author: ShortText = ""


class RatingDoc(Strict):
    level: Key
    rationale: LongText = ""
    cites: list[Annotated[int, Field(ge=0)]] = []


class QuestionDoc(Strict):
    key: Key
    evidence: list[EvidenceDoc] = []
    rating: RatingDoc | None = None


class VerdictDoc(Strict):
    level: Key
    importance: Key | None = None
    commentary: LongText = ""
    override_reason: LongText = ""


class DimensionDoc(Strict):
    key: Key
    verdict: VerdictDoc | None = None
    questions: list[QuestionDoc] = []


class FrameworkDoc(Strict):
    key: Key
    version: Key
    dimensions: list[DimensionDoc] = []


class SubjectDoc(Strict):
    kind: Annotated[str, OneOf(Assessment.SubjectKind.values)]
    code: Annotated[str, StringConstraints(min_length=2, max_length=10)]
    name: NameText = ""


class AssessmentDoc(Strict):
    slug: Annotated[str, StringConstraints(min_length=1, max_length=SLUG)]
    title: Annotated[NameText, StringConstraints(min_length=1)]
    subject: SubjectDoc
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    description: LongText = ""


class Document(Strict):
    format: Literal["readiness-assessment/1"]
    assessment: AssessmentDoc
    frameworks: Annotated[list[FrameworkDoc], Field(min_length=1)]


# --- export -------------------------------------------------------------------


def export_assessment(assessment: Assessment) -> dict[str, Any]:
    """The whole assessment as a document; a fixed number of queries."""
    frameworks = [
        link.framework
        for link in assessment.framework_links.select_related("framework").prefetch_related(
            "framework__dimensions", "framework__questions"
        )
    ]
    evidence_by_question: dict[int, list[Evidence]] = {}
    for item in assessment.evidence.order_by("id"):
        evidence_by_question.setdefault(item.question_id, []).append(item)
    ratings = {
        r.question_id: r
        for r in assessment.ratings.select_related("level").prefetch_related("cited_evidence")
    }
    verdicts = {
        v.dimension_id: v for v in assessment.verdicts.select_related("level", "importance")
    }
    framework_docs = []
    for framework in frameworks:
        questions_by_dimension: dict[int, list[Any]] = {}
        for question in framework.questions.all():
            questions_by_dimension.setdefault(question.dimension_id, []).append(question)
        dimension_docs = []
        for dimension in framework.dimensions.all():
            question_docs = []
            for question in questions_by_dimension.get(dimension.pk, []):
                evidence = evidence_by_question.get(question.pk, [])
                rating = ratings.get(question.pk)
                if not evidence and rating is None:
                    continue
                position = {item.pk: index for index, item in enumerate(evidence)}
                question_doc: dict[str, Any] = {
                    "key": question.key,
                    "evidence": [
                        {
                            "sign": item.sign,
                            "text": item.text,
                            "source_kind": item.source_kind,
                            "reference_title": item.reference_title,
                            "reference_url": item.reference_url,
                            "date": item.date.isoformat() if item.date else None,
                            "author": item.author,
                        }
                        for item in evidence
                    ],
                }
                if rating is not None:
                    question_doc["rating"] = {
                        "level": rating.level.code,
                        "rationale": rating.rationale,
                        "cites": sorted(position[e.pk] for e in rating.cited_evidence.all()),
                    }
                question_docs.append(question_doc)
            verdict = verdicts.get(dimension.pk)
            if verdict is None and not question_docs:
                continue
            dimension_doc: dict[str, Any] = {"key": dimension.key}
            if verdict is not None:
                dimension_doc["verdict"] = {
                    "level": verdict.level.code,
                    "importance": verdict.importance.code if verdict.importance else None,
                    "commentary": verdict.commentary,
                    "override_reason": verdict.override_reason,
                }
            dimension_doc["questions"] = question_docs
            dimension_docs.append(dimension_doc)
        framework_docs.append(
            {"key": framework.key, "version": framework.version, "dimensions": dimension_docs}
        )
    return {
        "format": FORMAT,
        "assessment": {
            "slug": assessment.slug,
            "title": assessment.title,
            "subject": {
                "kind": assessment.subject_kind,
                "code": assessment.subject_code,
                "name": assessment.subject_name,
            },
            "period_start": assessment.period_start.isoformat()
            if assessment.period_start
            else None,
            "period_end": assessment.period_end.isoformat() if assessment.period_end else None,
            "description": assessment.description,
        },
        "frameworks": framework_docs,
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- import -------------------------------------------------------------------


def validate_document(data: Any, source: str = "") -> Document:
    refuse_forbidden_characters(data, source)
    try:
        return Document.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(errors_from_pydantic(error), source) from None


def import_assessment(actor: Actor, data: Any, source: str = "") -> Assessment:
    """Create the assessment a document describes, or nothing at all.

    Every field goes through the same services as an edit in the web; the
    first failure rolls everything back and is reported with its path."""
    document = validate_document(data, source)
    try:
        with transaction.atomic():
            return _create_from_document(actor, document)
    except InvalidInput as error:
        raise InvalidInput(error.errors, source) from None


def _create_from_document(actor: Actor, document: Document) -> Assessment:
    frameworks = [
        services.get_framework_for_use(fw.key, fw.version, f"frameworks[{index}]")
        for index, fw in enumerate(document.frameworks)
    ]
    info = document.assessment
    with _errors_at("assessment"):
        assessment = services.create_assessment(
            actor=actor,
            slug=info.slug,
            title=info.title,
            subject_kind=info.subject.kind,
            subject_code=info.subject.code,
            subject_name=info.subject.name,
            period_start=info.period_start,
            period_end=info.period_end,
            description=info.description,
            frameworks=frameworks,
        )
    for f_index, (fw, framework) in enumerate(zip(document.frameworks, frameworks, strict=True)):
        dimensions = {d.key: d for d in framework.dimensions.all()}
        questions = {q.key: q for q in framework.questions.select_related("framework")}
        for d_index, dim in enumerate(fw.dimensions):
            d_path = f"frameworks[{f_index}].dimensions[{d_index}]"
            dimension = dimensions.get(dim.key)
            if dimension is None:
                raise InvalidInput.single(f"{d_path}.key", f"{fw.key} has no dimension {dim.key!r}")
            for q_index, q in enumerate(dim.questions):
                q_path = f"{d_path}.questions[{q_index}]"
                question = questions.get(q.key)
                if question is None or question.dimension_id != dimension.pk:
                    raise InvalidInput.single(
                        f"{q_path}.key", f"dimension {dim.key} has no question {q.key!r}"
                    )
                added = []
                for e_index, item in enumerate(q.evidence):
                    with _errors_at(f"{q_path}.evidence[{e_index}]"):
                        added.append(
                            services.add_evidence(
                                actor=actor,
                                assessment=assessment,
                                question=question,
                                **item.model_dump(),
                            )
                        )
                if q.rating is not None:
                    r_path = f"{q_path}.rating"
                    for c_index, cite in enumerate(q.rating.cites):
                        if cite >= len(added):
                            raise InvalidInput.single(
                                f"{r_path}.cites[{c_index}]",
                                f"there are only {len(added)} evidence items",
                            )
                    with _errors_at(r_path):
                        services.rate_question(
                            actor=actor,
                            assessment=assessment,
                            question=question,
                            level_code=q.rating.level,
                            rationale=q.rating.rationale,
                            cited_evidence_ids=[added[i].pk for i in q.rating.cites],
                            expected_version=None,
                        )
            if dim.verdict is not None:
                with _errors_at(f"{d_path}.verdict"):
                    services.record_verdict(
                        actor=actor,
                        assessment=assessment,
                        dimension=dimension,
                        level_code=dim.verdict.level,
                        importance_code=dim.verdict.importance,
                        commentary=dim.verdict.commentary,
                        override_reason=dim.verdict.override_reason,
                        expected_version=None,
                    )
    return assessment


@contextmanager
def _errors_at(path: str) -> Iterator[None]:
    """Prefix the field paths of service errors with the document path."""
    try:
        yield
    except InvalidInput as error:
        raise InvalidInput(
            [FieldError(f"{path}.{e.path}" if e.path else path, e.message) for e in error.errors]
        ) from None
    except NotFound as error:
        raise InvalidInput.single(path, str(error)) from None
