"""Lists of nominees and vote results as .xlsx: a title row, a bold header, set widths,
numbers stored as numbers (so they add up and sort) and printed on A4 landscape."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from emulation.commendation.documents.inputs import NomineeList, NomineeRow, VoteRow

FONT = "Times New Roman"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTERED = Alignment(horizontal="center", vertical="top", wrap_text=True)

# (header, width, number format or None for text)
Column = tuple[str, float, str | None]


def _sheet(book: Workbook, name: str, title: str, subtitle: str, columns: Sequence[Column]):
    sheet = book.active
    sheet.title = name[:31]
    last = get_column_letter(len(columns))
    sheet.append([title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(name=FONT, bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 36
    sheet.append([subtitle])
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].font = Font(name=FONT, italic=True, size=12)
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet.append([header for header, _width, _format in columns])
    for cell in sheet[3]:
        cell.font = Font(name=FONT, bold=True, size=12)
        cell.alignment = CENTERED
        cell.fill = HEADER_FILL
        cell.border = BOX
    for position, (_header, width, _format) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return sheet


def _append(sheet: Worksheet, values: Sequence, columns: Sequence[Column]) -> None:
    sheet.append(list(values))
    for cell, (_header, _width, number_format) in zip(sheet[sheet.max_row], columns, strict=True):
        cell.font = Font(name=FONT, size=12)
        cell.border = BOX
        if number_format:
            cell.number_format = number_format
            cell.alignment = Alignment(horizontal="right", vertical="top")
        else:
            cell.alignment = WRAP


def _number(value):
    """Decimals become floats: a spreadsheet has no decimal type, and text would not add up."""
    return float(value) if value is not None else None


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def nominees_xlsx(
    rows: Sequence[NomineeRow] | NomineeList, title: str = "", subtitle: str = ""
) -> bytes:
    """A list of nominees; the points, rank and grade columns appear when some row has them."""
    if isinstance(rows, NomineeList):
        title, subtitle, rows = title or rows.title, subtitle or rows.subtitle, rows.rows
    scored = any(r.total is not None or r.rank is not None or r.grade for r in rows)
    columns: list[Column] = [
        ("STT", 6, "0"),
        ("Tên tập thể, cá nhân", 36, None),
        ("Tập thể / cá nhân", 12, None),
        ("Đơn vị", 30, None),
        ("Hình thức khen thưởng đề nghị", 30, None),
    ]
    if scored:
        columns += [("Tổng điểm", 11, "#,##0.00"), ("Xếp hạng", 9, "0"), ("Xếp loại", 12, None)]
    columns.append(("Thành tích", 50, None))
    book = Workbook()
    sheet = _sheet(book, "Danh sách", title or "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", subtitle, columns)
    for position, row in enumerate(rows, start=1):
        values = [
            position,
            row.name,
            "Tập thể" if row.is_collective else "Cá nhân",
            row.unit,
            row.award,
        ]
        if scored:
            values += [_number(row.total), row.rank, row.grade]
        values.append(row.achievement)
        _append(sheet, values, columns)
    return _save(book)


def results_xlsx(rows: Sequence[VoteRow], title: str = "", subtitle: str = "") -> bytes:
    """The council's votes, one nominee per row: counts, the rate agreeing, the result."""
    columns: list[Column] = [
        ("STT", 6, "0"),
        ("Tên tập thể, cá nhân", 36, None),
        ("Đơn vị", 28, None),
        ("Hình thức khen thưởng", 30, None),
        ("Đồng ý", 9, "0"),
        ("Không đồng ý", 10, "0"),
        ("Tổng số phiếu tính tỷ lệ", 12, "0"),
        ("Tỷ lệ đồng ý (%)", 11, "0.0"),
        ("Yêu cầu", 24, None),
        ("Kết quả", 12, None),
    ]
    book = Workbook()
    sheet = _sheet(book, "Kết quả biểu quyết", title or "KẾT QUẢ BIỂU QUYẾT", subtitle, columns)
    for position, row in enumerate(rows, start=1):
        values = [
            position,
            row.name,
            row.unit,
            row.award,
            row.agree,
            row.disagree,
            row.denominator,
            _number(row.rate),
            row.threshold,
            row.result,
        ]
        _append(sheet, values, columns)
    return _save(book)
