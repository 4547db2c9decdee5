"""The report's file formats. Each renderer turns a Document into bytes."""

from collections.abc import Callable
from dataclasses import dataclass

from readiness.reports.document import Document


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    content_type: str
    render: Callable[[Document], bytes]


def formats() -> dict[str, Format]:
    from readiness.reports.formats import docx, html, pdf, xlsx

    return {
        "html": Format("html", "html", "text/html; charset=utf-8", html.render),
        "pdf": Format("pdf", "pdf", "application/pdf", pdf.render),
        "docx": Format(
            "docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            docx.render,
        ),
        "xlsx": Format(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            xlsx.render,
        ),
    }


FORMAT_NAMES = ("html", "pdf", "docx", "xlsx")
