"""The front of the report: cover lines, status line and introduction."""

import datetime

from django.utils.translation import gettext as _

from readiness.assessments.models import Assessment
from readiness.core import formatting
from readiness.core.bilingual import pick
from readiness.reports.content._common import FrameworkData
from readiness.reports.document import Block, Bullet, Bullets, Heading, Paragraph
from readiness.reports.source import ReportSource
from readiness.reviews.checklist import recorded_coverage, recorded_gaps


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
