"""A framework's chapter: executive summary, methodology, one section per
dimension, conclusion and (when there is one) the action plan."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from readiness.core.bilingual import pick
from readiness.frameworks.models import Dimension
from readiness.reports.content._common import (
    FrameworkData,
    anchor,
    has_readiness,
    mark,
    verdict_level,
)
from readiness.reports.content.plans import action_plan
from readiness.reports.document import (
    Block,
    Bullet,
    Bullets,
    Cell,
    Chart,
    Heading,
    Mark,
    Paragraph,
    Table,
)


def framework_chapter(data: FrameworkData, subject_name: str) -> list[Block]:
    framework = data.framework
    blocks: list[Block] = [
        Heading(
            1,
            f"{data.number}. {pick(framework.title)}",
            anchor(framework.key),
        ),
        *executive_summary(data, subject_name),
        *methodology(data),
    ]
    for index, dimension in enumerate(data.dimensions, start=1):
        blocks += dimension_section(data, dimension, index)
    blocks += conclusion(data)
    if data.plan:
        blocks += action_plan(data, data.plan)
    return blocks


def executive_summary(data: FrameworkData, subject_name: str) -> list[Block]:
    framework = data.framework
    header = [Cell(_("Dimension"), bold=True)]
    if framework.has_importance:
        header.append(Cell(_("Importance"), bold=True))
    header.append(Cell(_("Overall rating"), bold=True))
    if has_readiness(data):
        header.append(Cell(pgettext("report column", "Readiness"), bold=True))
    rows = []
    for dimension in data.dimensions:
        verdict = data.verdict(dimension)
        level = data.level(verdict.get("level"))
        row = [Cell(f"{dimension.key}. {pick(dimension.title)}")]
        if framework.has_importance:
            row.append(Cell(data.importance_label(verdict.get("importance"))))
        row.append(Cell(pick(level.label) if level else _("Not rated"), mark=mark(level)))
        if has_readiness(data):
            row.append(Cell(pick(level.readiness) if level and level.readiness else ""))
        rows.append(row)
    rated = sum(
        1
        for part in data.content.values()
        for question in part.get("questions", [])
        if question.get("rating")
    )
    evidence = sum(
        len(question.get("evidence", []))
        for part in data.content.values()
        for question in part.get("questions", [])
    )
    total = sum(len(qs) for qs in data.questions.values())
    return [
        Heading(2, _("Executive summary"), anchor(framework.key, "summary")),
        Paragraph(
            _(
                "%(framework)s rates %(subject)s on %(dimensions)s dimensions. "
                "%(rated)s of %(questions)s primary questions are rated, on the "
                "basis of %(evidence)s evidence items."
            )
            % {
                "framework": pick(framework.short_title),
                "subject": subject_name,
                "dimensions": len(data.dimensions),
                "rated": rated,
                "questions": total,
                "evidence": evidence,
            }
        ),
        Table(
            _("%(framework)s readiness assessment results")
            % {"framework": pick(framework.short_title)},
            [header],
            rows,
        ),
        ratings_chart(data),
    ]


def ratings_chart(data: FrameworkData) -> Chart:
    counts = []
    for dimension in data.dimensions:
        questions = data.content.get(dimension.key, {}).get("questions", [])
        codes = [q["rating"]["level"] for q in questions if q.get("rating")]
        counts.append([codes.count(level.code) for level in data.levels])
    return Chart(
        caption=_("Ratings of the primary questions per dimension (%(framework)s)")
        % {"framework": pick(data.framework.short_title)},
        dimensions=[f"{d.key}. {pick(d.title)}" for d in data.dimensions],
        levels=[Mark(pick(lvl.label), lvl.colour, lvl.readable_text_colour) for lvl in data.levels],
        counts=counts,
        verdicts=[
            pick(level.label) if (level := verdict_level(data, d)) else _("Not rated")
            for d in data.dimensions
        ],
        count_label=_("Questions"),
    )


def methodology(data: FrameworkData) -> list[Block]:
    framework = data.framework
    blocks: list[Block] = [
        Heading(2, _("Methodology"), anchor(framework.key, "methodology")),
        Paragraph(pick(framework.description)),
        Paragraph(
            _(
                "Within each dimension the assessment considers a set of primary questions "
                "and, for each, notes the evidence that favours or weighs against readiness. "
                "Each question and each dimension is rated on this scale:"
            )
        ),
    ]
    header = [Cell(_("Rating"), bold=True), Cell(_("Meaning"), bold=True)]
    if has_readiness(data):
        header.append(Cell(pgettext("report column", "Readiness"), bold=True))
    rows = []
    for level in data.levels:
        row = [Cell(pick(level.label), mark=mark(level)), Cell(pick(level.description))]
        if has_readiness(data):
            row.append(Cell(pick(level.readiness) if level.readiness else ""))
        rows.append(row)
    blocks.append(Table(_("Rating scale"), [header], rows))
    blocks.append(Paragraph(_("Each evidence item carries a sign:")))
    blocks.append(
        Bullets([Bullet(pick(s["label"]), sign=s["code"]) for s in framework.evidence_signs])
    )
    importance = list(framework.importance_levels.all())
    if importance:
        blocks.append(
            Paragraph(
                ", ".join(pick(i.label) for i in importance),
                lead=_("Importance of a question or dimension:"),
            )
        )
    blocks.append(
        Paragraph(
            _("%(framework)s, version %(version)s. %(citation)s")
            % {
                "framework": pick(framework.title),
                "version": framework.version,
                "citation": pick(framework.source_citation),
            },
            lead=_("Source:"),
        )
    )
    if framework.source_url:
        blocks.append(Paragraph(framework.source_url, lead=_("Methodology online:")))
    blocks.append(
        Paragraph(
            _(
                "The suggested rating of a dimension is the importance-weighted mean of its "
                "question ratings, rounded to the nearest level; the team may choose another "
                "rating and then gives its reason."
            )
        )
    )
    return blocks


def dimension_section(data: FrameworkData, dimension: Dimension, index: int) -> list[Block]:
    framework = data.framework
    number = f"{data.number}.{index}"
    title = pick(dimension.title)
    blocks: list[Block] = [
        Heading(
            2,
            f"{number} {title}",
            anchor(framework.key, dimension.key),
            mark=mark(verdict_level(data, dimension)),
        )
    ]
    if dimension.context:
        blocks.append(Paragraph(pick(dimension.context)))
    table_rows = []
    for question, content in data.question_rows(dimension):
        rating = content.get("rating") or {}
        level = data.level(rating.get("level"))
        blocks.append(
            Heading(
                3,
                f"{question.key} {pick(question.text)}",
                anchor(framework.key, "q", question.key),
                mark=mark(level) or Mark(_("Not rated"), "", ""),
            )
        )
        if question.importance:
            blocks.append(Paragraph(pick(question.importance.label), lead=_("Importance:")))
        evidence = content.get("evidence", [])
        if evidence:
            blocks.append(Bullets([Bullet(e["text"], sign=e["sign"]) for e in evidence]))
        else:
            blocks.append(Paragraph(_("No evidence recorded.")))
        row = [Cell(f"{question.key} {pick(question.short_title or question.text)}")]
        if framework.has_importance:
            row.append(Cell(pick(question.importance.label) if question.importance else ""))
        row += [
            Cell(pick(level.label) if level else _("Not rated"), mark=mark(level), bold=True),
            Cell(rating.get("rationale", "")),
        ]
        table_rows.append(row)
    verdict = data.verdict(dimension)
    overall = data.level(verdict.get("level"))
    overall_row = [Cell(_("OVERALL"), bold=True)]
    if framework.has_importance:
        overall_row.append(Cell(data.importance_label(verdict.get("importance"))))
    overall_row += [
        Cell(pick(overall.label) if overall else _("Not rated"), mark=mark(overall), bold=True),
        Cell(verdict.get("commentary", "")),
    ]
    table_rows.append(overall_row)
    header = [Cell(_("Question area"), bold=True)]
    if framework.has_importance:
        header.append(Cell(_("Importance"), bold=True))
    header += [Cell(_("Rating"), bold=True), Cell(_("Commentary"), bold=True)]
    blocks.append(
        Heading(
            3,
            _("Assessment of %(dimension)s") % {"dimension": title},
            anchor(framework.key, dimension.key, "assessment"),
        )
    )
    blocks.append(
        Table(_("Assessment of %(dimension)s") % {"dimension": title}, [header], table_rows)
    )
    suggested = data.suggested_level(dimension)
    if verdict.get("override_reason") and suggested and overall != suggested:
        blocks.append(
            Paragraph(
                _(
                    "The question ratings suggest %(suggested)s; the team rated the dimension "
                    "%(chosen)s because: %(reason)s"
                )
                % {
                    "suggested": pick(suggested.label),
                    "chosen": pick(overall.label) if overall else "",
                    "reason": verdict["override_reason"],
                },
                lead=_("Overall rating differs from the suggestion."),
            )
        )
    return blocks


def conclusion(data: FrameworkData) -> list[Block]:
    framework = data.framework
    judged = [(d, lvl) for d in data.dimensions if (lvl := verdict_level(data, d)) is not None]
    scored = [(d, lvl) for d, lvl in judged if lvl.score is not None]
    blocks: list[Block] = [Heading(2, _("Conclusion"), anchor(framework.key, "conclusion"))]
    if scored:
        best = max(lvl.score or 0 for _d, lvl in scored)
        worst = min(lvl.score or 0 for _d, lvl in scored)

        def names(score: float) -> str:
            return ", ".join(pick(d.title) for d, lvl in scored if lvl.score == score)

        blocks.append(
            Paragraph(
                _("Strongest: %(strong)s. Weakest: %(weak)s.")
                % {"strong": names(best), "weak": names(worst)}
            )
        )
    blocks.append(
        Bullets(
            [
                Bullet(
                    data.verdict(d).get("commentary", ""),
                    lead=f"{pick(d.title)}:",
                    mark=mark(lvl),
                )
                for d, lvl in judged
            ]
        )
    )
    return blocks
