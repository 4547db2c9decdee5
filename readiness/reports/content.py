"""What the report says, in the structure of the World Bank's readiness
assessment reports: cover, contents, introduction, then per framework the
executive summary, methodology, one section per dimension, conclusion and
action plan, and the data annex. Built once per language as a Document that
every format renders. Framework texts come from the framework data; the
report's own headings and labels are translated here."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from readiness.actionplans.models import Action
from readiness.actionplans.schedule import Slot, critical_path, month_labels
from readiness.assessments.models import Assessment, Evidence
from readiness.assessments.rollup import suggest_level
from readiness.core import formatting
from readiness.core.bilingual import pick
from readiness.frameworks.models import Dimension, Framework, Question, RatingLevel
from readiness.reports.document import (
    Block,
    Bullet,
    Bullets,
    Cell,
    Chart,
    Contents,
    Document,
    Gantt,
    GanttBar,
    Heading,
    Mark,
    PageBreak,
    Paragraph,
    Sheet,
    Table,
)
from readiness.reports.source import ReportSource
from readiness.reviews.checklist import recorded_coverage, recorded_gaps

BAR_FILL = "#2b5c8a"
CRITICAL_FILL = "#b03a2e"


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


def compose(source: ReportSource, language: str) -> Document:
    """The whole report in one language."""
    with translation.override(language):
        frameworks = load_frameworks(source)
        assessment = source.document["assessment"]
        document = Document(
            language=language,
            date=source.date,
            title=assessment["title"],
            subtitle=" · ".join(pick(f.framework.title) for f in frameworks),
            cover_lines=cover_lines(source),
            footer=status_line(source),
        )
        blocks = document.blocks
        blocks.append(Contents(_("Table of contents")))
        blocks.append(PageBreak())
        blocks += introduction(source, frameworks)
        for data in frameworks:
            blocks.append(PageBreak())
            blocks += framework_chapter(data, subject(source))
        document.sheets = data_annex(frameworks)
        return document


def subject(source: ReportSource) -> str:
    doc = source.document["assessment"]["subject"]
    return Assessment(
        subject_kind=doc["kind"], subject_code=doc["code"], subject_name=doc.get("name", "")
    ).subject_display


def status_line(source: ReportSource) -> str:
    if source.publication is None:
        return _("Working draft of %(date)s, not published") % {
            "date": formatting.long_date(source.date)
        }
    return _("Published version %(number)s, %(date)s") % {
        "number": source.publication,
        "date": formatting.long_date(source.date),
    }


def cover_lines(source: ReportSource) -> list[str]:
    doc = source.document["assessment"]
    lines = [_("Prepared for: %(subject)s") % {"subject": subject(source)}]
    start, end = doc.get("period_start"), doc.get("period_end")
    if start and end:
        lines.append(
            _("Assessment period: %(start)s to %(end)s")
            % {
                "start": formatting.long_date(datetime.date.fromisoformat(start)),
                "end": formatting.long_date(datetime.date.fromisoformat(end)),
            }
        )
    lines.append(status_line(source))
    if source.gaps_reason:
        gaps = "; ".join([recorded_coverage(source.readiness), *recorded_gaps(source.readiness)])
        lines.append(_("Published with gaps: %(gaps)s.") % {"gaps": gaps})
        lines.append(_("The lead's reason: %(reason)s") % {"reason": source.gaps_reason})
    return lines


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


# --- introduction ---------------------------------------------------------------


def introduction(source: ReportSource, frameworks: list[FrameworkData]) -> list[Block]:
    blocks: list[Block] = [Heading(1, _("1. Introduction"), "introduction")]
    description = source.document["assessment"].get("description", "")
    blocks += [Paragraph(part.strip()) for part in description.split("\n\n") if part.strip()]
    blocks.append(
        Paragraph(
            _("This report assesses %(subject)s with the following frameworks:")
            % {"subject": subject(source)}
        )
    )
    blocks.append(
        Bullets(
            [
                Bullet(
                    pick(f.framework.title),
                    lead=_("%(name)s, version %(version)s:")
                    % {"name": pick(f.framework.short_title), "version": f.framework.version},
                )
                for f in frameworks
            ]
        )
    )
    blocks.append(
        Paragraph(
            _(
                "Each chapter gives an executive summary, the methodology, the evidence and "
                "rating for every primary question of each dimension, a conclusion and the "
                "action plan. The data annex (a spreadsheet) lists every question, evidence "
                "item, verdict and action."
            )
        )
    )
    return blocks


# --- a framework's chapter ------------------------------------------------------


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


def verdict_level(data: FrameworkData, dimension: Dimension) -> RatingLevel | None:
    return data.level(data.verdict(dimension).get("level"))


def has_readiness(data: FrameworkData) -> bool:
    return any(level.readiness for level in data.levels)


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


# --- action plan ----------------------------------------------------------------


def cost_text(action: dict[str, Any]) -> str:
    cost = action.get("cost")
    if not cost:
        return action.get("cost_text", "")
    return formatting.cost_range(Decimal(cost["min"]), Decimal(cost["max"]), cost["currency"])


def action_plan(data: FrameworkData, plan: dict[str, Any]) -> list[Block]:
    framework = data.framework
    actions = plan["actions"]
    organisations = {o["abbreviation"]: pick(o["name"]) for o in plan["organisations"]}
    slots = {a["key"]: Slot(a["start_month"], a["duration_months"]) for a in actions}
    critical = critical_path(slots, {a["key"]: set(a["depends_on"]) for a in actions})
    months = max(slot.end for slot in slots.values())
    start = datetime.date.fromisoformat(plan["plan_start"]) if plan.get("plan_start") else None
    summary = _("%(count)s actions over %(months)s months.") % {
        "count": len(actions),
        "months": months,
    }
    if start:
        summary += " " + _("Month 1 is %(month)s.") % {"month": formatting.month_year(start)}
    blocks: list[Block] = [
        Heading(2, _("Action plan"), anchor(framework.key, "plan")),
        Paragraph(summary),
    ]
    titles = {a["key"]: a["title"] for a in actions}
    if critical:
        blocks.append(Paragraph(" → ".join(titles[k] for k in critical), lead=_("Critical path:")))
    by_dimension = group_by_dimension(data, actions)
    phases = list(Action.Phase)
    for dimension, members in by_dimension:
        blocks.append(
            Heading(3, pick(dimension.title), anchor(framework.key, "plan", dimension.key))
        )
        for phase in phases:
            in_phase = [a for a in members if a["phase"] == phase.value]
            if not in_phase:
                continue
            blocks.append(
                Heading(
                    4, str(phase.label), anchor(framework.key, "plan", dimension.key, phase.value)
                )
            )
            for action in in_phase:
                blocks += action_blocks(action, organisations, titles, critical)
    blocks.append(Heading(3, _("Tabular view"), anchor(framework.key, "plan", "grid")))
    blocks.append(
        plan_gantt(
            [
                (a["key"], a["title"], a["start_month"], a["duration_months"])
                for _dimension, members in by_dimension
                for a in members
            ],
            critical,
            start,
        )
    )
    blocks.append(plan_grid(by_dimension, critical, start, months))
    return blocks


def plan_gantt(
    actions: list[tuple[str, str, int, int]], critical: list[str], start: datetime.date | None
) -> Gantt:
    """The Gantt chart of a plan, for the report and the plan page alike:
    `actions` are (key, title, start month, duration) in the plan's order."""
    months = max((first + length - 1 for _key, _title, first, length in actions), default=1)
    axis = _("Month of the plan")
    if start:
        axis = _("Month of the plan (month 1: %(month)s)") % {"month": formatting.month_year(start)}
    return Gantt(
        caption=_("Gantt chart: each action's months; the critical path is hatched and marked *."),
        bars=tuple(
            GanttBar(title, first, first + length - 1, key in critical)
            for key, title, first, length in actions
        ),
        months=max(months, 12),
        month_label=axis,
        critical_label=_("critical path"),
        other_label=_("other actions"),
    )


def group_by_dimension(
    data: FrameworkData, actions: list[dict[str, Any]]
) -> list[tuple[Dimension, list[dict[str, Any]]]]:
    """Each action under its first dimension, dimensions in framework order."""
    groups = []
    for dimension in data.dimensions:
        members = [a for a in actions if a["dimensions"][0] == dimension.key]
        if members:
            groups.append((dimension, sorted(members, key=lambda a: (a["start_month"], a["key"]))))
    return groups


def action_blocks(
    action: dict[str, Any],
    organisations: dict[str, str],
    titles: dict[str, str],
    critical: list[str],
) -> list[Block]:
    def agency(abbreviation: str) -> str:
        name = organisations.get(abbreviation, "")
        return f"{abbreviation} ({name})" if name and name != abbreviation else abbreviation

    facts = [
        Bullet(agency(action["responsible"]), lead=_("Responsible:")),
    ]
    if action["supporting"]:
        facts.append(
            Bullet(", ".join(agency(a) for a in action["supporting"]), lead=_("Supporting:"))
        )
    time = _("months %(start)s to %(end)s") % {
        "start": action["start_month"],
        "end": action["start_month"] + action["duration_months"] - 1,
    }
    if action.get("months"):
        time = "{} ({})".format(action["months"], time)
    facts.append(Bullet(time, lead=_("Time needed:")))
    if cost_text(action):
        facts.append(Bullet(cost_text(action), lead=_("Cost:")))
    if action.get("priority"):
        facts.append(Bullet(str(Action.Priority(action["priority"]).label), lead=_("Priority:")))
    if action["depends_on"]:
        facts.append(
            Bullet(
                "; ".join("{} {}".format(k, titles.get(k, "")) for k in action["depends_on"]),
                lead=_("After:"),
            )
        )
    if action["questions"]:
        facts.append(Bullet(", ".join(action["questions"]), lead=_("Raises questions:")))
    if action["key"] in critical:
        facts.append(Bullet(_("yes"), lead=_("On the critical path:")))
    blocks: list[Block] = [Paragraph(action.get("description", ""), lead=action["title"])]
    blocks.append(Bullets(facts))
    return blocks


def plan_grid(
    by_dimension: list[tuple[Dimension, list[dict[str, Any]]]],
    critical: list[str],
    start: datetime.date | None,
    months: int,
) -> Table:
    labels = month_labels(start, max(months, 12), pattern="MM")
    years = sorted({label["year"] for label in labels})
    top = [
        Cell(_("Action"), bold=True),
        Cell(_("Responsible"), bold=True),
        Cell(_("Cost"), bold=True),
    ]
    top += [
        Cell(
            _("Y%(year)s") % {"year": year},
            bold=True,
            span=sum(1 for label in labels if label["year"] == year),
        )
        for year in years
    ]
    second = [Cell(), Cell(), Cell()] + [Cell(str(label["name"])) for label in labels]
    rows: list[list[Cell]] = []
    for dimension, members in by_dimension:
        rows.append([Cell(pick(dimension.title), bold=True, span=3 + len(labels))])
        for action in members:
            on_path = action["key"] in critical
            end = action["start_month"] + action["duration_months"] - 1
            fill = CRITICAL_FILL if on_path else BAR_FILL
            row = [
                Cell(("* " if on_path else "") + action["title"]),
                Cell(action["responsible"]),
                Cell(cost_text(action)),
            ]
            row += [
                Cell(fill=fill if action["start_month"] <= label["number"] <= end else "")
                for label in labels
            ]
            rows.append(row)
    return Table(
        _("Tabular view: a bar per action over the plan's months; * marks the critical path."),
        [top, second],
        rows,
        kind="grid",
    )


# --- data annex -------------------------------------------------------------------


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
