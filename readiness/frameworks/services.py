"""Validating and loading framework files. The only writer of framework rows."""

import hashlib
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError

from readiness.core import readers, validation
from readiness.core.errors import FieldError, InvalidInput, NotFound
from readiness.core.text import refuse_forbidden_characters
from readiness.frameworks import schema
from readiness.frameworks.models import (
    Dimension,
    Framework,
    ImportanceLevel,
    Question,
    RatingLevel,
)

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"


def errors_from_pydantic(error: ValidationError) -> list[FieldError]:
    return validation.field_errors(error.errors(include_url=False), schema.pydantic_path)


def validate_framework_data(data: Any, source: str = "") -> schema.Framework:
    refuse_forbidden_characters(data, source)
    try:
        framework = schema.Framework.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(errors_from_pydantic(error), source) from None
    problems = schema.reference_errors(framework)
    if problems:
        raise InvalidInput(problems, source)
    return framework


def validate_framework_file(path: Path) -> schema.Framework:
    data = readers.read_yaml(
        readers.read_file(path, readers.MAX_FRAMEWORK_BYTES),
        str(path),
        max_bytes=readers.MAX_FRAMEWORK_BYTES,
    )
    return validate_framework_data(data, str(path))


def content_hash(framework: schema.Framework) -> str:
    canonical = json.dumps(framework.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def load_framework(framework: schema.Framework, source: str = "") -> tuple[Framework, bool]:
    """Store a validated framework version; returns (framework, created).

    Loading the same content again changes nothing. Different content under
    a version that is already loaded is refused: versions are immutable."""
    digest = content_hash(framework)
    existing = Framework.objects.filter(key=framework.key, version=framework.version).first()
    if existing is not None:
        if existing.content_hash != digest:
            raise InvalidInput.single(
                "version",
                _(
                    "%(key)s %(version)s is already loaded with other content; "
                    "a changed framework needs a new version"
                )
                % {"key": framework.key, "version": framework.version},
                source,
            )
        return existing, False

    dump = framework.model_dump(mode="json")
    stored = Framework.objects.create(
        key=framework.key,
        version=framework.version,
        title=dump["title"],
        short_title=dump["short_title"],
        description=dump["description"],
        source_citation=dump["source"]["citation"],
        source_url=framework.source.url or "",
        evidence_signs=dump["evidence_signs"],
        has_importance=framework.importance_scale is not None,
        content_hash=digest,
    )
    RatingLevel.objects.bulk_create(
        RatingLevel(
            framework=stored,
            code=level["code"],
            order=order,
            label=level["label"],
            description=level["description"],
            colour=level["colour"],
            text_colour=level["text_colour"],
            score=level["score"],
            readiness=level["readiness"],
        )
        for order, level in enumerate(dump["rating_scale"], start=1)
    )
    importance = {
        level["code"]: ImportanceLevel.objects.create(
            framework=stored,
            code=level["code"],
            order=order,
            label=level["label"],
            weight=level["weight"],
        )
        for order, level in enumerate(dump["importance_scale"] or [], start=1)
    }
    position = 0
    for dimension_data in sorted(dump["dimensions"], key=lambda d: d["order"]):
        dimension = Dimension.objects.create(
            framework=stored,
            key=dimension_data["key"],
            order=dimension_data["order"],
            title=dimension_data["title"],
            context=dimension_data["context"],
        )
        questions = []
        for question_data in dimension_data["questions"]:
            position += 1
            questions.append(
                Question(
                    framework=stored,
                    dimension=dimension,
                    key=question_data["key"],
                    order=position,
                    short_title=question_data["short_title"],
                    text=question_data["text"],
                    importance=importance.get(question_data["importance"]),
                    guidance=question_data["guidance"],
                    recommended_actions=question_data["recommended_actions"],
                )
            )
        Question.objects.bulk_create(questions)
    return stored, True


def load_framework_file(path: Path) -> tuple[Framework, bool]:
    return load_framework(validate_framework_file(path), str(path))


def builtin_framework_files() -> list[Path]:
    return sorted(BUILTIN_DIR.glob("*.yaml"))


def load_builtin_frameworks() -> list[tuple[Framework, bool]]:
    return [load_framework_file(path) for path in builtin_framework_files()]


def get_framework(key: str, version: str) -> Framework:
    try:
        return Framework.objects.get(key=key, version=version)
    except Framework.DoesNotExist:
        raise NotFound(
            _("Framework %(key)s %(version)s is not loaded.") % {"key": key, "version": version}
        ) from None
