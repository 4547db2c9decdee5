"""Charts of the report, drawn with matplotlib: SVG for HTML and PDF, PNG for
Word (which cannot show SVG everywhere). Every bar segment carries its count
and the legend names each level, and the overall rating is written beside
each bar, so colour is never the only carrier of meaning."""

import io
import math
import re
import textwrap
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from readiness.reports.document import Chart, Gantt, HeatMap

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


def svg(chart: Chart | Gantt) -> str:
    with plt.rc_context(STYLE):
        return svg_of(figure_of(chart))


def svg_of(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def web_svg(drawer: Callable[[Any], Figure], block: Any) -> str:
    """A drawing for a web page: without the XML prolog and the <style>
    element that the page's Content-Security-Policy would refuse
    (matplotlib's style only sets default line joins)."""
    with plt.rc_context(STYLE):
        drawing = svg_of(drawer(block))
    drawing = drawing[drawing.index("<svg") :]
    return re.sub(r"<style[^>]*>.*?</style>", "", drawing, flags=re.S)


TILE_COLUMNS = 4
NO_VERDICT_TEXT = "#333333"  # on white: 12.6:1


def draw_heatmap(heatmap: HeatMap) -> Figure:
    count = len(heatmap.tiles)
    columns = min(TILE_COLUMNS, max(count, 1))
    rows = max(math.ceil(count / columns), 1)
    figure, axes = plt.subplots(figsize=(1.9 * columns, 1.0 * rows))
    axes.set_xlim(0, columns)
    axes.set_ylim(rows, 0)
    axes.set_axis_off()
    for index, (name, verdict) in enumerate(heatmap.tiles):
        x, y = index % columns, index // columns
        axes.add_patch(
            Rectangle(
                (x + 0.03, y + 0.05),
                0.94,
                0.9,
                facecolor=verdict.colour if verdict else "#ffffff",
                edgecolor="#333333",
                linewidth=0.6,
                linestyle="solid" if verdict else "dashed",
            )
        )
        colour = verdict.text_colour if verdict else NO_VERDICT_TEXT
        label = "\n".join(textwrap.wrap(name, 24, max_lines=3, placeholder="…"))
        axes.text(
            x + 0.5,
            y + 0.42,
            label,
            ha="center",
            va="center",
            color=colour,
            fontsize=7,
            parse_math=False,  # a "$" in a title is text, not TeX
        )
        axes.text(
            x + 0.5,
            y + 0.8,
            verdict.label if verdict else heatmap.no_verdict,
            ha="center",
            va="center",
            color=colour,
            fontweight="bold",
            fontsize=7.5,
            parse_math=False,
        )
    figure.tight_layout(pad=0.2)
    return figure


@lru_cache(maxsize=64)
def heatmap_svg(heatmap: HeatMap) -> str:
    """For a web page (web_svg). Kept per verdicts: the same heat map is drawn once."""
    return web_svg(draw_heatmap, heatmap)


# The colours of the report's month grid (content.BAR_FILL, CRITICAL_FILL).
BAR_COLOUR = "#2b5c8a"
CRITICAL_COLOUR = "#b03a2e"


def draw_gantt(gantt: Gantt) -> Figure:
    rows = len(gantt.bars)
    figure, axes = plt.subplots(figsize=(7.0, 0.24 * rows + 1.2))
    positions = list(range(rows))[::-1]  # the first action on top
    for position, bar in zip(positions, gantt.bars, strict=True):
        axes.barh(
            position,
            bar.end - bar.start + 1,
            left=bar.start - 0.5,
            height=0.6,
            color=CRITICAL_COLOUR if bar.critical else BAR_COLOUR,
            hatch="///" if bar.critical else None,
            edgecolor="#000000" if bar.critical else BAR_COLOUR,
            linewidth=0.6,
        )
    axes.set_yticks(
        positions,
        [("* " if bar.critical else "") + shorten(bar.label, 50) for bar in gantt.bars],
        fontsize=6.5,
        parse_math=False,  # a "$" in a title is text, not TeX
    )
    step = 3 if gantt.months <= 36 else 6
    axes.set_xticks([1, *range(step, gantt.months + 1, step)])
    axes.set_xlim(0.5, gantt.months + 0.5)
    axes.set_ylim(-0.7, rows - 0.3)
    axes.set_xlabel(gantt.month_label)
    axes.grid(axis="x", color="#dddddd", linewidth=0.5)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(
        handles=[
            Rectangle((0, 0), 1, 1, facecolor=BAR_COLOUR, edgecolor=BAR_COLOUR),
            Rectangle((0, 0), 1, 1, facecolor=CRITICAL_COLOUR, edgecolor="#000000", hatch="///"),
        ],
        labels=[gantt.other_label, "* " + gantt.critical_label],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=2,
        frameon=False,
    )
    figure.tight_layout()
    return figure


def figure_of(block: Chart | Gantt) -> Figure:
    return draw_gantt(block) if isinstance(block, Gantt) else draw(block)


@lru_cache(maxsize=64)
def gantt_svg(gantt: Gantt) -> str:
    """For a web page (web_svg). Kept per plan: the same chart is drawn once."""
    return web_svg(draw_gantt, gantt)


def png(chart: Chart | Gantt) -> bytes:
    with plt.rc_context(STYLE):
        figure = figure_of(chart)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
        plt.close(figure)
    return buffer.getvalue()
