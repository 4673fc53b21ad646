"""A leaderboard as CSV and XLSX, with the columns the page shows."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from emulation.core.numbers import format_decimal
from emulation.standings.service import Board, Row


def columns() -> list[str]:
    return [_("Cụm, khối"), _("Hạng"), _("Đơn vị"), _("Tổng điểm"), _("Xếp loại"), _("Thay đổi")]


def movement_text(row: Row) -> str:
    """As on the page: ↑ 2, ↓ 1, = (unchanged), Mới (first published)."""
    if row.movement is None:
        return _("Mới")
    if row.movement > 0:
        return f"↑ {row.movement}"
    if row.movement < 0:
        return f"↓ {-row.movement}"
    return "="


def rows(board: Board, cluster_id: int | None = None) -> list[list]:
    found = []
    for group in board.groups:
        if cluster_id is not None and group.cluster_id != cluster_id:
            continue
        name = group.name or _("Đơn vị tham gia trực tiếp")
        for row in group.rows:
            movement = movement_text(row) if board.kind == "official" else ""
            found.append([name, row.rank, row.name, row.total, row.grade or "", movement])
    return found


def board_csv(board: Board, cluster_id: int | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the diacritics right;
    totals with a decimal comma as people here type them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns())
    for name, position, unit, total, grade, movement in rows(board, cluster_id):
        writer.writerow(
            [name, position, unit, format_decimal(total, "vi", 2, grouping=False), grade, movement]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def board_xlsx(board: Board, cluster_id: int | None, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Xếp hạng")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(columns())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for name, position, unit, total, grade, movement in rows(board, cluster_id):
        sheet.append([name, position, unit, float(total), grade, movement])
        sheet.cell(row=sheet.max_row, column=4).number_format = "0.00"
    for column, width in zip("ABCDEF", (28, 8, 48, 12, 16, 12), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
