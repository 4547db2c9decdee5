"""The data annex: questions, evidence, verdicts and actions as sheets."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from readiness.actionplans.models import Action
from readiness.assessments.models import Evidence
from readiness.core.bilingual import pick
from readiness.reports.content._common import FrameworkData
from readiness.reports.content.plans import cost_text
from readiness.reports.document import Sheet


def data_annex(frameworks: list[FrameworkData]) -> list[Sheet]:
    questions = Sheet(
        pgettext("sheet name", "Questions"),
        [
            _("Framework"),
            _("Dimension"),
            _("Question"),
            _("Question text"),
            _("Importance"),
            _("Rating"),
            _("Commentary"),
            _("Evidence items"),
        ],
        [],
    )
    evidence = Sheet(
        pgettext("sheet name", "Evidence"),
        [
            _("Framework"),
            _("Dimension"),
            _("Question"),
            _("Sign"),
            _("Evidence"),
            _("Source"),
            _("Reference"),
            _("Reference URL"),
            _("Date"),
            _("Collected by"),
        ],
        [],
    )
    verdicts = Sheet(
        pgettext("sheet name", "Verdicts"),
        [
            _("Framework"),
            _("Dimension"),
            _("Importance"),
            _("Suggested rating"),
            _("Overall rating"),
            _("Commentary"),
            _("Reason for differing from the suggestion"),
        ],
        [],
    )
    actions = Sheet(
        pgettext("sheet name", "Actions"),
        [
            _("Framework"),
            _("Action"),
            _("Title"),
            _("Dimensions"),
            _("Phase"),
            _("Responsible"),
            _("Supporting"),
            _("Start month"),
            _("Duration in months"),
            _("Cost"),
            _("Priority"),
            _("Depends on"),
            _("Questions"),
        ],
        [],
    )
    sources = {value: str(label) for value, label in Evidence.SourceKind.choices}
    for data in frameworks:
        short = pick(data.framework.short_title)
        for dimension in data.dimensions:
            for question, content in data.question_rows(dimension):
                rating = content.get("rating") or {}
                level = data.level(rating.get("level"))
                items = content.get("evidence", [])
                questions.rows.append(
                    [
                        short,
                        dimension.key,
                        question.key,
                        pick(question.text),
                        pick(question.importance.label) if question.importance else "",
                        pick(level.label) if level else "",
                        rating.get("rationale", ""),
                        len(items),
                    ]
                )
                for item in items:
                    evidence.rows.append(
                        [
                            short,
                            dimension.key,
                            question.key,
                            item["sign"],
                            item["text"],
                            sources.get(item["source_kind"], item["source_kind"]),
                            item.get("reference_title", ""),
                            item.get("reference_url", ""),
                            item.get("date") or "",
                            item.get("author", ""),
                        ]
                    )
            verdict = data.verdict(dimension)
            overall = data.level(verdict.get("level"))
            suggested = data.suggested_level(dimension)
            verdicts.rows.append(
                [
                    short,
                    f"{dimension.key}. {pick(dimension.title)}",
                    data.importance_label(verdict.get("importance")),
                    pick(suggested.label) if suggested else "",
                    pick(overall.label) if overall else "",
                    verdict.get("commentary", ""),
                    verdict.get("override_reason", ""),
                ]
            )
        for action in (data.plan or {}).get("actions", []):
            actions.rows.append(
                [
                    short,
                    action["key"],
                    action["title"],
                    ", ".join(action["dimensions"]),
                    str(Action.Phase(action["phase"]).label),
                    action["responsible"],
                    ", ".join(action["supporting"]),
                    action["start_month"],
                    action["duration_months"],
                    cost_text(action),
                    str(Action.Priority(action["priority"]).label)
                    if action.get("priority")
                    else "",
                    ", ".join(action["depends_on"]),
                    ", ".join(action["questions"]),
                ]
            )
    return [questions, evidence, verdicts, actions]
