"""The report as an editable Word document: Word's own Title, Heading 1–4,
Caption and Table Grid styles, so that Word or LibreOffice builds the table of
contents from the headings and a team can go on editing it."""

import datetime
import io

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run

from readiness.core.text import xml_text
from readiness.reports import charts
from readiness.reports.document import (
    Bullets,
    Cell,
    Chart,
    Contents,
    Document,
    Gantt,
    Heading,
    Mark,
    PageBreak,
    Paragraph,
    Table,
)

LANGUAGE_TAGS = {"en": "en-GB", "vi": "vi-VN"}


def render(document: Document) -> bytes:
    word = docx.Document()
    setup(word, document)
    cover(word, document)
    for block in document.blocks:
        if isinstance(block, Heading):
            paragraph = word.add_heading(xml_text(block.text), level=block.level)
            if block.mark:
                paragraph.add_run(" ")
                marked(paragraph, block.mark)
        elif isinstance(block, Paragraph):
            paragraph = word.add_paragraph()
            if block.lead:
                paragraph.add_run(xml_text(block.lead) + " ").bold = True
            paragraph.add_run(xml_text(block.text))
        elif isinstance(block, Bullets):
            bullets(word, block)
        elif isinstance(block, Table):
            table(word, block)
        elif isinstance(block, Chart | Gantt):
            word.add_picture(io.BytesIO(charts.png(block)), width=Cm(16))
            word.add_paragraph(xml_text(block.caption), style="Caption")
        elif isinstance(block, Contents):
            contents(word, block, document.headings(deepest=2))
        elif isinstance(block, PageBreak):
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def setup(word: WordDocument, document: Document) -> None:
    moment = datetime.datetime.combine(document.date, datetime.time())
    properties = word.core_properties
    properties.title = xml_text(document.title)
    properties.subject = xml_text(document.subtitle)
    properties.author = properties.last_modified_by = "Readiness"
    properties.language = LANGUAGE_TAGS.get(document.language, document.language)
    properties.created = properties.modified = moment
    properties.revision = 1
    normal = word.styles["Normal"]
    normal.font.name = "Arial"  # has Vietnamese glyphs wherever Word runs
    normal.font.size = Pt(10)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), LANGUAGE_TAGS.get(document.language, document.language))
    normal.element.get_or_add_rPr().append(language)
    # Ask Word to refresh the table of contents (a field) when it opens the file.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    word.settings.element.append(update)
    footer = word.sections[0].footer.paragraphs[0]
    footer.add_run(xml_text(f"{document.title} — {document.footer}    "))
    field(footer.add_run(), "PAGE")
    footer.add_run("1")
    field_char(footer.add_run(), "end")


def cover(word: WordDocument, document: Document) -> None:
    word.add_paragraph(xml_text(document.title), style="Title")
    word.add_paragraph(xml_text(document.subtitle), style="Subtitle")
    for line in document.cover_lines:
        word.add_paragraph(xml_text(line))
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def field_char(run: Run, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def field(run: Run, instruction: str) -> None:
    """A Word field (PAGE, TOC …) that Word and LibreOffice compute; its
    result (what shows until then) follows in the runs after this one."""
    field_char(run, "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    run._r.append(code)
    field_char(run, "separate")


def contents(word: WordDocument, block: Contents, headings: list[Heading]) -> None:
    """A TOC field whose result already lists the headings, so the contents
    read well before Word refreshes it with page numbers."""
    word.add_paragraph(xml_text(block.title), style="TOC Heading")
    field(word.add_paragraph().add_run(), 'TOC \\o "1-2" \\h \\z \\u')
    for heading in headings:
        entry = word.add_paragraph(xml_text(heading.text))
        entry.paragraph_format.left_indent = Cm(0.6 * (heading.level - 1))
    field_char(word.add_paragraph().add_run(), "end")


def shade(properties: BaseOxmlElement, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    properties.append(shading)


def marked(paragraph: WordParagraph, mark: Mark) -> None:
    run = paragraph.add_run(xml_text(mark.label))
    run.bold = True
    if mark.colour:
        run.font.color.rgb = RGBColor.from_string(mark.text_colour.lstrip("#").upper())
        shade(run._r.get_or_add_rPr(), mark.colour)


def bullets(word: WordDocument, block: Bullets) -> None:
    for item in block.items:
        if item.sign:
            # Evidence: the sign is the bullet, as in the assessors' reports.
            paragraph = word.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(0.8)
            paragraph.paragraph_format.first_line_indent = Cm(-0.6)
            paragraph.add_run(item.sign + "\t").bold = True
        else:
            paragraph = word.add_paragraph(style="List Bullet")
        if item.mark:
            marked(paragraph, item.mark)
            paragraph.add_run(" ")
        if item.lead:
            paragraph.add_run(xml_text(item.lead) + " ").bold = True
        paragraph.add_run(xml_text(item.text))


def fill_cell(target: _Cell, cell: Cell) -> None:
    paragraph = target.paragraphs[0]
    if cell.mark:
        marked(paragraph, cell.mark)
        if cell.mark.colour:
            shade(target._tc.get_or_add_tcPr(), cell.mark.colour)
    elif cell.text:
        run = paragraph.add_run(xml_text(cell.text))
        run.bold = cell.bold
    if cell.fill:
        shade(target._tc.get_or_add_tcPr(), cell.fill)


def table(word: WordDocument, block: Table) -> None:
    grid = block.kind == "grid"
    if grid:
        turn(word, WD_ORIENT.LANDSCAPE)
    word.add_paragraph(xml_text(block.caption), style="Caption")
    columns = sum(cell.span for cell in block.header[0])
    rows = block.header + block.rows
    result = word.add_table(rows=len(rows), cols=columns)
    result.style = word.styles["Table Grid"]
    for number, row in enumerate(rows):
        target_row = result.rows[number]
        if number < len(block.header):
            header = OxmlElement("w:tblHeader")  # repeat on every page
            target_row._tr.get_or_add_trPr().append(header)
        cells = target_row.cells  # computed on each access: once per row
        column = 0
        for cell in row:
            target = cells[column]
            if cell.span > 1:
                target = target.merge(cells[column + cell.span - 1])
            fill_cell(target, cell)
            if grid:
                for paragraph in target.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(6)
            column += cell.span
    if grid:
        turn(word, WD_ORIENT.PORTRAIT)


def turn(word: WordDocument, orientation: WD_ORIENT) -> None:
    """Start a new section on a new page in this orientation."""
    section = word.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    if (orientation == WD_ORIENT.LANDSCAPE) != (width > height):
        section.page_width, section.page_height = height, width
    section.orientation = orientation
