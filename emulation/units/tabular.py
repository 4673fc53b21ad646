"""Import units from XLSX or CSV: every bad row is reported, and a file with errors imports nothing.

Columns (header row, in any order; Vietnamese or English headers):
    Mã | Tên đơn vị | Tên ngắn | Loại | Cấp | Mã đơn vị cấp trên | Đang hoạt động
A code that already exists updates that unit; a parent may be in the same file or already stored.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook

from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.core.tabular import read_table
from emulation.core.text import fold
from emulation.units.models import UNIT_LEVELS, UNIT_TYPES, Unit
from emulation.units.service import save_unit, unit_by_code

COLUMNS = [
    # (key, Vietnamese header, accepted header spellings)
    ("code", "Mã", {"ma", "ma don vi", "code"}),
    ("name", "Tên đơn vị", {"ten don vi", "ten", "name"}),
    ("short_name", "Tên ngắn", {"ten ngan", "ten viet tat", "short name"}),
    ("type", "Loại", {"loai", "loai don vi", "type"}),
    ("level", "Cấp", {"cap", "level"}),
    ("parent", "Mã đơn vị cấp trên", {"ma don vi cap tren", "cap tren", "parent", "parent code"}),
    ("active", "Đang hoạt động", {"dang hoat dong", "hoat dong", "active"}),
]
REQUIRED = {"code", "name", "type", "level"}
TRUE_WORDS = {"", "co", "x", "1", "true", "yes", "dang hoat dong"}
FALSE_WORDS = {"khong", "0", "false", "no", "ngung", "ngung hoat dong"}
# Bounds of an imported file: a province lists a few hundred units.
MAX_ROWS = 5000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 1000


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _key(text: str) -> str:
    """Spelling-tolerant key: accents, case and punctuation do not matter."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def _lookup(choices: dict) -> dict[str, str]:
    """Spellings accepted for a choice: its code ("co_quan") or its label in any language."""
    names = {}
    for code, label in choices.items():
        names[_key(code)] = code
        for language in current_app.config["LANGUAGES"]:
            with force_locale(language):
                names[_key(str(label))] = code
    return names


def _header_map(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    positions, errors = {}, []
    for index, title in enumerate(header):
        key = _key(title)
        for column, _label, spellings in COLUMNS:
            if key in spellings:
                positions[column] = index
    for column, label, _spellings in COLUMNS:
        if column in REQUIRED and column not in positions:
            errors.append(RowError(1, label, _("Thiếu cột bắt buộc.")))
    return positions, errors


def import_units(filename: str, data: bytes) -> ImportReport:
    """Validate every row, then save all of them in one transaction, or none."""
    report = ImportReport()
    table = read_table(
        filename,
        data,
        max_rows=MAX_ROWS,
        max_columns=MAX_COLUMNS,
        max_cell_chars=MAX_CELL_CHARS,
    )
    if not table.rows:
        report.errors.append(RowError(1, "", _("Tệp không có dữ liệu.")))
        return report
    positions, report.errors = _header_map(table.header)
    if report.errors:
        return report

    labels = {column: label for column, label, _s in COLUMNS}
    types, levels = _lookup(UNIT_TYPES), _lookup(UNIT_LEVELS)
    parsed: list[tuple[int, dict]] = []
    codes_in_file: dict[str, int] = {}
    for number, row in table.numbered(start=2):
        cells = {c: row[i] if i < len(row) else "" for c, i in positions.items()}
        if not any(cells.values()):
            continue  # blank lines are common at the end of a sheet

        def fail(column: str, message: str, number=number) -> None:
            report.errors.append(RowError(number, labels[column], message))

        code = cells.get("code", "").upper()
        if not code:
            fail("code", _("Thiếu mã đơn vị."))
        elif code in codes_in_file:
            fail(
                "code", _("Mã %(code)s trùng với dòng %(row)s.", code=code, row=codes_in_file[code])
            )
        else:
            codes_in_file[code] = number
        if not cells.get("name"):
            fail("name", _("Thiếu tên đơn vị."))
        unit_type = types.get(_key(cells.get("type", "")))
        if unit_type is None:
            fail(
                "type",
                _("Loại đơn vị “%(value)s” không có trong danh mục.", value=cells.get("type", "")),
            )
        level = levels.get(_key(cells.get("level", "")))
        if level is None:
            fail(
                "level",
                _(
                    "Cấp “%(value)s” không có trong danh mục (tỉnh, xã, huyện).",
                    value=cells.get("level", ""),
                ),
            )
        active_word = fold(cells.get("active", ""))
        if active_word not in TRUE_WORDS | FALSE_WORDS:
            fail(
                "active",
                _(
                    "Giá trị “%(value)s” không hiểu được; hãy ghi Có hoặc Không.",
                    value=cells["active"],
                ),
            )
        parsed.append(
            (
                number,
                {
                    **cells,
                    "code": code,
                    "type": unit_type,
                    "level": level,
                    "active": active_word not in FALSE_WORDS,
                },
            )
        )

    for number, cells in parsed:
        parent_code = cells.get("parent", "").upper()
        if parent_code and parent_code not in codes_in_file and unit_by_code(parent_code) is None:
            report.errors.append(
                RowError(
                    number, labels["parent"], _("Không có đơn vị mã %(code)s.", code=parent_code)
                )
            )
    if report.errors or not parsed:
        if not parsed and not report.errors:
            report.errors.append(RowError(2, "", _("Tệp không có dòng dữ liệu nào.")))
        return report

    # All rows are valid on their own: save them, parents first by resolving codes as we go.
    with db.session.no_autoflush:
        units = {}
        for _number, cells in parsed:
            unit = unit_by_code(cells["code"])
            if unit is None:
                unit, report.created = Unit(), report.created + 1
            else:
                report.updated += 1
            units[cells["code"]] = unit
        for number, cells in parsed:
            parent_code = cells.get("parent", "").upper()
            parent = units.get(parent_code) or (unit_by_code(parent_code) if parent_code else None)
            try:
                save_unit(
                    units[cells["code"]],
                    code=cells["code"],
                    name=cells["name"],
                    short_name=cells.get("short_name", ""),
                    type=cells["type"],
                    level=cells["level"],
                    parent=parent,
                    active=cells["active"],
                )
            except DomainError as error:
                report.errors.append(
                    RowError(number, labels.get(error.field or "", ""), error.message)
                )
    if report.errors:
        db.session.rollback()
        report.created = report.updated = 0
    else:
        db.session.commit()
    return report


def export_workbook(units: list[Unit]) -> bytes:
    """The units as an .xlsx in the import format (an empty list gives the blank template)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Don vi"
    sheet.append([label for _c, label, _s in COLUMNS])
    for unit in units:
        with force_locale("vi"):
            type_label, level_label = unit.type_label, unit.level_label
        sheet.append(
            [
                unit.code,
                unit.name,
                unit.short_name,
                type_label,
                level_label,
                unit.parent.code if unit.parent else "",
                "Có" if unit.active else "Không",
            ]
        )
    for column, width in zip("ABCDEFG", (14, 48, 24, 22, 18, 20, 16), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
