"""Putting the parts of the report together, once per language."""

from django.utils import translation
from django.utils.translation import gettext as _

from readiness.core.bilingual import pick
from readiness.reports.content._common import load_frameworks
from readiness.reports.content.annex import data_annex
from readiness.reports.content.chapters import framework_chapter
from readiness.reports.content.front import cover_lines, introduction, status_line, subject
from readiness.reports.document import Contents, Document, PageBreak
from readiness.reports.source import ReportSource


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
