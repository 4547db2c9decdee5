"""The report as one self-contained HTML page (styles and charts inline):
shown in the application, printable, and the input of the PDF."""

import base64
from typing import Any

from django.template.loader import render_to_string

from readiness.reports import charts
from readiness.reports.document import Bullets, Chart, Document, Gantt


def page(document: Document) -> str:
    items: list[dict[str, Any]] = []
    for block in document.blocks:
        item: dict[str, Any] = {"kind": type(block).__name__.lower(), "block": block}
        if isinstance(block, Chart | Gantt):
            item["kind"] = "chart"
            item["svg"] = base64.b64encode(charts.svg(block).encode()).decode()
        if isinstance(block, Bullets):
            item["signed"] = any(b.sign for b in block.items)
        items.append(item)
    return render_to_string(
        "reports/document.html",
        {
            "document": document,
            "blocks": items,
            "contents": document.headings(deepest=2),
            "created": document.date.isoformat(),
        },
    )


def render(document: Document) -> bytes:
    return page(document).encode()
