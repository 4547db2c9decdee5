"""A framework as an XLSForm (https://xlsform.org): the spreadsheet that
KoboToolbox and ODK Central turn into a form for offline collection.

One group per dimension; each question a `select_one` of the framework's
scale with a rationale, evidence notes and an optional photo and file. The
field names are derived from the framework's keys here, once, and the
submissions reader (`submissions.py`) finds its columns by the same names.
A `framework` field computed in the form says which framework version each
submission answers, so that an export can be read without guessing."""

import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from readiness.core.bilingual import pick
from readiness.core.spreadsheets import write_row
from readiness.frameworks.models import Dimension, Framework, Question

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The languages as XLSForm names them: "label::English (en)".
LANGUAGES = (("en", "English (en)"), ("vi", "Vietnamese (vi)"))
DEFAULT_LANGUAGE = "English (en)"
SCALE_LIST = "scale"
FRAMEWORK_FIELD = "framework"
ORGANISATION_FIELD = "organisation"
DATE_FIELD = "today"
# A photo is scaled down on the phone before it is sent (ODK's advice).
PHOTO_PARAMETERS = "max-pixels=1024"
SURVEY_COLUMNS = (
    "type",
    "name",
    *(f"label::{name}" for _code, name in LANGUAGES),
    *(f"hint::{name}" for _code, name in LANGUAGES),
    "appearance",
    "parameters",
    "calculation",
)


def group_name(dimension_key: str) -> str:
    return f"d_{dimension_key}"


# Framework keys hold letters, digits and ". _ -", all allowed in XML names
# after a letter; one prefix letter per kind of field keeps the names apart.
def rating_name(question_key: str) -> str:
    return f"q_{question_key}"


def rationale_name(question_key: str) -> str:
    return f"r_{question_key}"


def evidence_name(question_key: str) -> str:
    return f"e_{question_key}"


def photo_name(question_key: str) -> str:
    return f"p_{question_key}"


def file_name(question_key: str) -> str:
    return f"f_{question_key}"


def framework_stamp(framework: Framework) -> str:
    """The value of the `framework` field: key and version."""
    return f"{framework.key} {framework.version}"


@dataclass(frozen=True)
class Row:
    type: str
    name: str = ""
    label: dict[str, str] | None = None
    hint: dict[str, str] | None = None
    appearance: str = ""
    parameters: str = ""
    calculation: str = ""

    def values(self) -> list[str]:
        label, hint = self.label or {}, self.hint or {}
        return [
            self.type,
            self.name,
            *(label.get(code, "") for code, _name in LANGUAGES),
            *(hint.get(code, "") for code, _name in LANGUAGES),
            self.appearance,
            self.parameters,
            self.calculation,
        ]


RATIONALE_LABEL = _("%(key)s Rationale for the rating")
EVIDENCE_LABEL = _("%(key)s Evidence notes")
EVIDENCE_HINT = _("What was said or shown, and by which organisation.")
PHOTO_LABEL = _("%(key)s Photo (optional)")
FILE_LABEL = _("%(key)s File (optional)")
ORGANISATION_LABEL = _("Organisation met")
ORGANISATION_HINT = _("Its name or abbreviation; no names of people.")


def both_languages(message: Promise, **values: str) -> dict[str, str]:
    """A message of ours in each language of the form."""
    texts = {}
    for code, _name in LANGUAGES:
        with translation.override(code):
            texts[code] = str(message) % values if values else str(message)
    return texts


def bilingual(text: object, prefix: str = "") -> dict[str, str]:
    return {code: prefix + pick(text, code) for code, _name in LANGUAGES}


def question_rows(question: Question) -> list[Row]:
    key = question.key
    return [
        Row(
            f"select_one {SCALE_LIST}",
            rating_name(key),
            bilingual(question.text, f"{key} "),
            bilingual(question.guidance) if question.guidance else None,
        ),
        Row(
            "text",
            rationale_name(key),
            both_languages(RATIONALE_LABEL, key=key),
            appearance="multiline",
        ),
        Row(
            "text",
            evidence_name(key),
            both_languages(EVIDENCE_LABEL, key=key),
            both_languages(EVIDENCE_HINT),
            appearance="multiline",
        ),
        Row(
            "image",
            photo_name(key),
            both_languages(PHOTO_LABEL, key=key),
            parameters=PHOTO_PARAMETERS,
        ),
        Row("file", file_name(key), both_languages(FILE_LABEL, key=key)),
    ]


def survey_rows(framework: Framework, questions: Iterable[Question]) -> list[Row]:
    rows = [
        Row("today", DATE_FIELD),
        Row("calculate", FRAMEWORK_FIELD, calculation=f"'{framework_stamp(framework)}'"),
        Row(
            "text",
            ORGANISATION_FIELD,
            both_languages(ORGANISATION_LABEL),
            both_languages(ORGANISATION_HINT),
        ),
    ]
    by_dimension: dict[int, list[Question]] = {}
    for question in questions:
        by_dimension.setdefault(question.dimension_id, []).append(question)
    for dimension in Dimension.objects.filter(pk__in=by_dimension).order_by("order"):
        rows.append(
            Row(
                "begin group",
                group_name(dimension.key),
                bilingual(dimension.title, f"{dimension.key}. "),
            )
        )
        for question in sorted(by_dimension[dimension.pk], key=lambda q: q.order):
            rows += question_rows(question)
        rows.append(Row("end group", group_name(dimension.key)))
    return rows


def form_title(framework: Framework) -> str:
    return f"{pick(framework.short_title, 'en')} {framework.version}"


def build_xlsform(framework: Framework) -> bytes:
    """The XLSForm of `framework`, all its questions, as XLSX bytes."""
    chosen = list(framework.questions.all())
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    write_row(survey, 1, SURVEY_COLUMNS)
    for number, row in enumerate(survey_rows(framework, chosen), start=2):
        write_row(survey, number, row.values())

    choices = workbook.create_sheet("choices")
    write_row(choices, 1, ["list_name", "name", *(f"label::{n}" for _c, n in LANGUAGES)])
    for number, level in enumerate(framework.levels.order_by("order"), start=2):
        write_row(choices, number, [SCALE_LIST, level.code, *bilingual(level.label).values()])

    settings = workbook.create_sheet("settings")
    write_row(settings, 1, ["form_title", "form_id", "version", "default_language"])
    write_row(
        settings,
        2,
        [
            form_title(framework),
            framework.key,
            framework.version,
            DEFAULT_LANGUAGE,
        ],
    )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsform_filename(framework: Framework) -> str:
    return f"{framework.key}-{framework.version}.xlsx"
