"""The data annex as a workbook: one sheet each for questions, evidence,
verdicts and actions, with a header row, filters and frozen panes."""

import datetime
import io
import shutil
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

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
    ExcelWriter(workbook, DatedZipFile(buffer, moment)).save()
    return buffer.getvalue()


class DatedZipFile(ZipFile):
    """A zip whose members carry the document's date rather than the clock's,
    which would otherwise change the bytes every two seconds."""

    def __init__(self, buffer: io.BytesIO, moment: datetime.datetime) -> None:
        super().__init__(buffer, "w", ZIP_DEFLATED, allowZip64=True)
        # A zip cannot hold a date before 1980.
        self.moment = max(moment, datetime.datetime(1980, 1, 1)).timetuple()[:6]

    def dated(self, name: str) -> ZipInfo:
        info = ZipInfo(name, self.moment)
        info.compress_type = self.compression
        info.external_attr = 0o600 << 16
        return info

    def writestr(
        self, zinfo_or_arcname: str | ZipInfo, data: Any, *args: Any, **kwargs: Any
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self.dated(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl streams each worksheet through a temporary file.
        with open(filename, "rb") as source, self.open(self.dated(arcname), "w") as target:
            shutil.copyfileobj(source, target, 1 << 20)
