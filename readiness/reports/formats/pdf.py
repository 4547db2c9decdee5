"""The report as PDF: the HTML page laid out by WeasyPrint, with page numbers,
bookmarks from the headings and embedded (subset) Noto fonts."""

import weasyprint

from readiness.reports.document import Document
from readiness.reports.formats import html


def from_html(page: str) -> bytes:
    # A fixed identifier keeps the same document byte-identical between runs;
    # PDF/UA-1 makes it tagged (structure and reading order for screen readers).
    return weasyprint.HTML(string=page).write_pdf(
        pdf_identifier=b"readiness-report", pdf_variant="pdf/ua-1"
    )


def render(document: Document) -> bytes:
    return from_html(html.page(document))
