"""The report as a document model: what the report says, independent of the
format. content.compose builds it in one language; the renderers (html, pdf,
docx, xlsx) turn the same Document into files. Text is plain text; every
renderer escapes it for its own format."""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mark:
    """A rating as printed: its name always, its colour as a second cue."""

    label: str
    colour: str
    text_colour: str


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = chapter; the renderers map it to h1…h4 and Word's Heading 1…4
    text: str
    anchor: str
    mark: Mark | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: str = ""  # printed in bold before the text, e.g. "Responsible:"


@dataclass(frozen=True)
class Bullet:
    text: str
    sign: str = ""  # "+", "-" or "o" for evidence; empty for a plain bullet
    lead: str = ""
    mark: Mark | None = None


@dataclass(frozen=True)
class Bullets:
    items: list[Bullet]


@dataclass(frozen=True)
class Cell:
    text: str = ""
    mark: Mark | None = None
    fill: str = ""  # a background without meaning of its own (the plan grid's bars)
    bold: bool = False
    span: int = 1


@dataclass(frozen=True)
class Table:
    caption: str
    header: list[list[Cell]]
    rows: list[list[Cell]]
    kind: str = "data"  # "grid" for the month grid (narrow cells, landscape page)


@dataclass(frozen=True)
class Chart:
    """Ratings per dimension: counts of questions by level, per dimension."""

    caption: str
    dimensions: list[str]
    levels: list[Mark]
    counts: list[list[int]]  # counts[dimension][level]
    verdicts: list[str]  # the overall rating's name, printed beside each bar
    count_label: str


@dataclass(frozen=True)
class HeatMap:
    """The verdict of each dimension of one framework, as coloured tiles that
    also name the dimension and the verdict (colour is never alone)."""

    caption: str
    tiles: tuple[tuple[str, Mark | None], ...]  # (dimension, verdict; None: none yet)
    no_verdict: str


@dataclass(frozen=True)
class GanttBar:
    label: str  # the action's title
    start: int  # month of the plan, from 1
    end: int  # its last month
    critical: bool


@dataclass(frozen=True)
class Gantt:
    """The plan's actions as bars over its months, in the plan's order; the
    critical path in a second colour and hatched, marked * and named in the
    legend (colour is never alone)."""

    caption: str
    bars: tuple[GanttBar, ...]
    months: int
    month_label: str  # the axis
    critical_label: str  # the legend's two entries
    other_label: str


@dataclass(frozen=True)
class Contents:
    """The table of contents; each renderer builds it its own way."""

    title: str


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Bullets | Table | Chart | Gantt | Contents | PageBreak


@dataclass(frozen=True)
class Sheet:
    """A sheet of the data annex (XLSX)."""

    name: str
    header: list[str]
    rows: list[list[str | int | None]]


@dataclass
class Document:
    language: str
    date: datetime.date  # of the publication, or of the draft's rendering
    title: str
    subtitle: str
    cover_lines: list[str]
    footer: str
    blocks: list[Block] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)

    def headings(self, deepest: int = 3) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= deepest]
