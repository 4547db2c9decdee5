"""The data annex as a workbook: one sheet each for questions, evidence,
verdicts and actions, with a header row, filters and frozen panes."""

import datetime
import io
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from readiness.core import spreadsheets
from readiness.reports.document import Document

WIDE = 60  # characters; longer texts wrap


def render(document: Document) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    moment = datetime.datetime.combine(document.date, datetime.time())
    workbook.properties.title = document.title
    workbook.properties.creator = "Readiness"
    workbook.properties.language = document.language
    workbook.properties.created = workbook.properties.modified = moment
    for sheet in document.sheets:
        worksheet = workbook.create_sheet(sheet.name[:31])
        spreadsheets.write_row(worksheet, 1, sheet.header)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        widths = [len(h) for h in sheet.header]
        for number, row in enumerate(sheet.rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = worksheet.cell(number, column)
                if isinstance(value, str):
                    spreadsheets.write_text(cell, value)  # text stays text, even "=SUM(…)"
                    if len(value) > WIDE:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                    widths[column - 1] = max(widths[column - 1], min(len(value), WIDE))
                else:
                    cell.value = value
        for column, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(column)].width = width + 2
        worksheet.freeze_panes = "A2"
        worksheet.auto_filter.ref = worksheet.dimensions
    buffer = io.BytesIO()
    # ExcelWriter rather than workbook.save, which stamps "modified" with the
    # clock: a published version's annex must come out the same every time.
    ExcelWriter(workbook, ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()
