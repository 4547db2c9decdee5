"""Charts of the report, drawn with matplotlib: SVG for HTML and PDF, PNG for
Word (which cannot show SVG everywhere). Every bar segment carries its count
and the legend names each level, and the overall rating is written beside
each bar, so colour is never the only carrier of meaning."""

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from readiness.reports.document import Chart

STYLE: dict[Any, Any] = {
    "font.family": "DejaVu Sans",  # ships with matplotlib; has Vietnamese glyphs
    "font.size": 8,
    "svg.fonttype": "none",  # text stays text: searchable, and small
    "svg.hashsalt": "readiness",  # stable ids: the same chart gives the same bytes
}


def draw(chart: Chart) -> Figure:
    rows = len(chart.dimensions)
    figure, axes = plt.subplots(figsize=(7.0, 0.45 * rows + 1.3))
    positions = list(range(rows))[::-1]
    lefts = [0] * rows
    for index, level in enumerate(chart.levels):
        widths = [counts[index] for counts in chart.counts]
        if not any(widths):
            continue
        bars = axes.barh(
            positions,
            widths,
            left=lefts,
            color=level.colour,
            edgecolor="#333333",
            linewidth=0.5,
            label=level.label,
        )
        labels = [str(w) if w else "" for w in widths]
        axes.bar_label(bars, labels=labels, label_type="center", color=level.text_colour)
        lefts = [left + width for left, width in zip(lefts, widths, strict=True)]
    for position, total, verdict in zip(positions, lefts, chart.verdicts, strict=True):
        axes.text(total + 0.2, position, verdict, va="center", fontweight="bold")
    axes.set_yticks(positions, [shorten(name) for name in chart.dimensions])
    axes.set_xlabel(chart.count_label)
    axes.set_xlim(0, max([*lefts, 1]) * 1.35 + 1)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False)
    figure.tight_layout()
    return figure


def shorten(name: str, limit: int = 45) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def svg(chart: Chart) -> str:
    with plt.rc_context(STYLE):
        figure = draw(chart)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(figure)
    return buffer.getvalue()


def png(chart: Chart) -> bytes:
    with plt.rc_context(STYLE):
        figure = draw(chart)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
        plt.close(figure)
    return buffer.getvalue()
