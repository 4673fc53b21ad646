"""Criteria sets to and from XLSX or CSV, in one column format (docs/criteria-format.md).

XLSX: sheet "Tiêu chí" (one row per item, header first) and sheet "Thiết lập" (settings).
CSV (UTF-8): the same columns; settings are rows whose first cell is "#thiet_lap", placed
at the top. Export then import gives back the same set. A file with any error imports
nothing, and every error names its row and column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from emulation.core.clock import utcnow
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.tabular import read_tables
from emulation.core.text import fold
from emulation.criteria.models import CriteriaSet, Criterion
from emulation.criteria.service import (
    SANCTIONS,
    SCORING_TYPES,
    SECTIONS,
    Node,
    clean_settings,
    clean_values,
    ensure_criteria_set,
    json_number,
    param_label,
    registered_codes,
    require_editable,
    settings_values,
    tree_problems,
    walk,
)

if TYPE_CHECKING:
    from emulation.campaigns.models import Campaign  # criteria sit below campaigns


CRITERIA_SHEET = "Tiêu chí"
SETTINGS_SHEET = "Thiết lập"
SETTINGS_MARK = "#thiet_lap"
# Bounds of an imported file: a real set has tens of items; guidance may run long.
MAX_ROWS = 2000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 10_000

COLUMNS = [
    # (field, header as exported, header spellings accepted on import)
    ("code", "Mã", {"ma", "ma muc", "code"}),
    ("parent", "Mã mục cha", {"ma muc cha", "muc cha", "ma cha", "parent", "parent code"}),
    ("section", "Phần", {"phan", "phan diem", "section"}),
    ("title", "Tên", {"ten", "ten muc", "noi dung", "title"}),
    ("max_points", "Điểm tối đa", {"diem toi da", "diem chuan", "max", "max points"}),
    ("scoring_type", "Cách chấm", {"cach cham", "cach tinh diem", "scoring type", "type"}),
    ("params", "Tham số", {"tham so", "params", "parameters"}),
    ("guidance", "Hướng dẫn", {"huong dan", "huong dan cham", "guidance"}),
    ("evidence", "Minh chứng", {"minh chung", "evidence"}),
    (
        "evidence_required",
        "Bắt buộc minh chứng",
        {"bat buoc minh chung", "bat buoc", "evidence required"},
    ),
    ("unit_of_measure", "Đơn vị tính", {"don vi tinh", "dvt", "unit", "unit of measure"}),
    ("sanction", "Chế tài", {"che tai", "sanction"}),
]
REQUIRED = ("code", "title", "max_points")
HEADERS = {name: header for name, header, _spellings in COLUMNS}

# Settings rows: a key, then up to three values.
SETTINGS_HEADER = ["Thiết lập", "Giá trị", "Điểm từ", "Tỷ lệ tối đa (%)"]
SETTING_KEYS = [
    ("rounding_step", "Bước làm tròn", {"buoc lam tron", "lam tron", "rounding step"}),
    ("bonus_cap", "Trần điểm thưởng", {"tran diem thuong", "bonus cap"}),
    ("deduction_cap", "Trần điểm trừ", {"tran diem tru", "deduction cap"}),
    ("grade", "Xếp loại", {"xep loai", "grade"}),
    ("tie_break", "Phân định hòa", {"phan dinh hoa", "phan dinh", "tie break"}),
]
SETTING_LABELS = {key: label for key, label, _spellings in SETTING_KEYS}
SCALAR_SETTINGS = ("rounding_step", "bonus_cap", "deduction_cap")


@dataclass
class RowError:
    """One thing wrong in the file, where a person finds it: sheet (XLSX), row and column."""

    row: int
    column: str
    message: str
    sheet: str = ""

    def __str__(self) -> str:
        if self.sheet:
            place = _(
                "Trang “%(sheet)s”, dòng %(row)s, cột “%(column)s”",
                sheet=self.sheet,
                row=self.row,
                column=self.column,
            )
        else:
            place = _("Dòng %(row)s, cột “%(column)s”", row=self.row, column=self.column)
        return f"{place}: {self.message}"


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Sheet:
    """Rows of cell texts with their numbers as a spreadsheet shows them."""

    name: str
    rows: list[tuple[int, list[str]]]


def _key(text: str) -> str:
    """Spelling-tolerant key: accents, case and punctuation do not matter."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


# --- reading --------------------------------------------------------------------------------


def _read(filename: str, data: bytes) -> list[_Sheet]:
    """The criteria sheet (or the CSV file), then the settings sheet if the workbook has one."""
    tables = read_tables(
        filename,
        data,
        sheets=[CRITERIA_SHEET, SETTINGS_SHEET],
        max_rows=MAX_ROWS,
        max_columns=MAX_COLUMNS,
        max_cell_chars=MAX_CELL_CHARS,
    )
    return [_Sheet(table.name, list(table.numbered())) for table in tables]


def _choice_lookup(choices: dict) -> dict[str, str]:
    """Spellings accepted for a code: the code itself or its label in Vietnamese or English."""
    names = {}
    for code, label in choices.items():
        for language in ("en", "vi"):
            with force_locale(language):
                names[_key(str(label))] = code
        names[_key(code)] = code
    return names


# --- import ---------------------------------------------------------------------------------


@dataclass
class _Parsed:
    nodes: list[Node] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    # Where each settings value came from, to name row and column in a message.
    settings_places: dict[str, tuple[str, int, str]] = field(default_factory=dict)


def _split(sheets: list[_Sheet]) -> tuple[list[tuple[str, int, list[str]]], _Sheet]:
    """Settings rows (sheet, row, [key, value, …]) and the criteria sheet without them."""
    settings_rows = []
    main = sheets[0]
    criteria_rows = []
    for number, cells in main.rows:
        if cells and cells[0].strip().lower() == SETTINGS_MARK:
            settings_rows.append((main.name, number, cells[1:]))
        else:
            criteria_rows.append((number, cells))
    for sheet in sheets[1:]:
        for number, cells in sheet.rows:
            if _is_blank(cells) or (number == 1 and _key(cells[0]) == _key(SETTINGS_HEADER[0])):
                continue
            if cells[0].strip().lower() == SETTINGS_MARK:
                cells = cells[1:]
            settings_rows.append((sheet.name, number, cells))
    return settings_rows, _Sheet(main.name, criteria_rows)


def _parse_settings(rows, report: ImportReport, parsed: _Parsed) -> None:
    keys = {}
    for key, label, spellings in SETTING_KEYS:
        keys[_key(label)] = key
        keys.update({spelling: key for spelling in spellings})
    seen: set[str] = set()
    for sheet, number, cells in rows:
        cells = [*cells, "", "", "", ""][:4]
        key = keys.get(_key(cells[0]))
        if key is None:
            report.errors.append(
                RowError(
                    number,
                    SETTINGS_HEADER[0],
                    _(
                        "Không hiểu thiết lập “%(name)s”; dùng: %(names)s.",
                        name=cells[0],
                        names=", ".join(SETTING_LABELS.values()),
                    ),
                    sheet,
                )
            )
        elif key in SCALAR_SETTINGS:
            if key in seen:
                report.errors.append(
                    RowError(
                        number,
                        SETTINGS_HEADER[0],
                        _("Thiết lập “%(name)s” bị ghi hai lần.", name=SETTING_LABELS[key]),
                        sheet,
                    )
                )
            parsed.settings[key] = cells[1]
            parsed.settings_places[key] = (sheet, number, SETTINGS_HEADER[1])
        elif key == "grade":
            grades = parsed.settings.setdefault("grades", [])
            index = len(grades)
            grades.append({"name": cells[1], "min": cells[2], "quota_pct": cells[3]})
            for offset, name in enumerate(("name", "min", "quota_pct"), start=1):
                parsed.settings_places[f"grades.{index}.{name}"] = (
                    sheet,
                    number,
                    SETTINGS_HEADER[offset],
                )
        else:  # one tie-break key per row; a row with no value means "no tie-break"
            keys_so_far = parsed.settings.setdefault("tie_break", [])
            parsed.settings_places[f"tie_break.{len(keys_so_far)}"] = (
                sheet,
                number,
                SETTINGS_HEADER[1],
            )
            keys_so_far.append(cells[1])
        seen.add(key)


def _header_positions(
    sheet: _Sheet, report: ImportReport
) -> tuple[int, dict[str, int], list[tuple[int, list[str]]]]:
    rows = [(number, cells) for number, cells in sheet.rows if not _is_blank(cells)]
    if not rows:
        report.errors.append(RowError(1, HEADERS["code"], _("Tệp không có dòng tiêu chí nào.")))
        return 0, {}, []
    header_number, header = rows[0]
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = _key(title)
        for name, label, spellings in COLUMNS:
            if key == _key(label) or key in spellings:
                positions.setdefault(name, index)
    for name in REQUIRED:
        if name not in positions:
            report.errors.append(
                RowError(header_number, HEADERS[name], _("Thiếu cột bắt buộc."), sheet.name)
            )
    return header_number, positions, rows[1:]


def _column_of(name: str) -> str:
    return HEADERS.get(name.partition(".")[0]) or HEADERS["code"]


def _parse_criteria(sheet: _Sheet, report: ImportReport, parsed: _Parsed) -> None:
    header_number, positions, rows = _header_positions(sheet, report)
    if report.errors:
        return
    if not rows:
        report.errors.append(
            RowError(header_number + 1, HEADERS["code"], _("Tệp không có dòng tiêu chí nào."))
        )
        return

    def fail(number: int, name: str, message: str) -> None:
        report.errors.append(RowError(number, _column_of(name), message, sheet.name))

    sections = _choice_lookup(SECTIONS)
    types = _choice_lookup({code: label for code, (label, _specs) in SCORING_TYPES.items()})
    sanctions = _choice_lookup(SANCTIONS)
    cells_by_row = [
        (number, {n: cells[i].strip() if i < len(cells) else "" for n, i in positions.items()})
        for number, cells in rows
    ]
    later_codes = {cells.get("code", "").casefold() for _number, cells in cells_by_row}
    by_code: dict[str, Node] = {}
    for number, cells in cells_by_row:
        values = dict(cells)
        for name, lookup in (
            ("section", sections),
            ("scoring_type", types),
            ("sanction", sanctions),
        ):
            text = values.get(name, "")
            values[name] = lookup.get(_key(text), text) if text else ""
        params_text = values.get("params", "")
        values["params"] = None
        if params_text:
            try:
                values["params"] = json.loads(params_text)
            except json.JSONDecodeError as exc:
                fail(
                    number,
                    "params",
                    _(
                        'Tham số phải viết theo JSON, ví dụ {"per": 1}: lỗi ở ký tự %(pos)s (%(msg)s).',
                        pos=exc.pos + 1,
                        msg=exc.msg,
                    ),
                )
                values["params"] = {}
        cleaned, errors = clean_values(values)
        scoring_type = cleaned["scoring_type"]
        for name, messages in errors.items():
            for message in messages:
                if name.startswith("params."):
                    param = name.partition(".")[2]
                    message = f"{param_label(scoring_type, param)} ({param}): {message}"
                fail(number, name, message)

        node = Node(**cleaned, source=number)
        parent_code = cells.get("parent", "")
        if parent_code:
            parent = by_code.get(parent_code.casefold())
            if parent is None:
                fail(
                    number,
                    "parent",
                    _(
                        "Mục cha %(code)s phải nằm ở dòng trên mục con.",
                        code=parent_code,
                    )
                    if parent_code.casefold() in later_codes
                    else _("Không có mục mã %(code)s trong tệp.", code=parent_code),
                )
            else:
                node.parent = parent
                parent.children.append(node)
        if node.code:
            by_code.setdefault(node.code.casefold(), node)
        parsed.nodes.append(node)

    for problem in tree_problems(parsed.nodes, complete=True):
        fail(problem.node.source, problem.field, problem.message)


def _check_settings(criteria_set: CriteriaSet, report: ImportReport, parsed: _Parsed) -> dict:
    """Settings from the file; what the file leaves out keeps its current value."""
    group_codes = [node.code for node in parsed.nodes if node.parent is None]
    current = settings_values(criteria_set)
    current["tie_break"] = [
        key
        for key in current["tie_break"]
        if not key.startswith("group:") or key[6:] in group_codes
    ]
    values = {**current, **parsed.settings}
    cleaned, errors = clean_settings(values, group_codes)
    for name, messages in errors.items():
        sheet, number, column = parsed.settings_places.get(name, ("", 1, SETTINGS_HEADER[0]))
        for message in messages:
            report.errors.append(RowError(number, column, message, sheet))
    return cleaned


def import_criteria(campaign: Campaign, filename: str, data: bytes) -> ImportReport:
    """Replace the campaign's criteria set with the file's, or change nothing if any row is wrong.

    Raises DomainError when the file cannot be read at all, NotAllowed when the campaign is
    closed. The caller commits.
    """
    require_editable(campaign)
    existing = getattr(campaign, "criteria_set", None)
    used = registered_codes(existing.criteria) if existing is not None else []
    if used:
        raise NotAllowed(
            _(
                "Đơn vị đã đăng ký chỉ tiêu theo bảng tiêu chí hiện tại (%(codes)s); nhập tệp sẽ thay cả "
                "bảng và làm mất các chỉ tiêu đó. Hãy sửa từng mục trong trình soạn.",
                codes=", ".join(used[:5]) + ("…" if len(used) > 5 else ""),
            )
        )
    report = ImportReport()
    settings_rows, criteria_sheet = _split(_read(filename, data))
    parsed = _Parsed()
    _parse_settings(settings_rows, report, parsed)
    _parse_criteria(criteria_sheet, report, parsed)
    criteria_set = ensure_criteria_set(campaign)
    settings = _check_settings(criteria_set, report, parsed)
    if report.errors:
        report.errors.sort(key=lambda e: (e.sheet != criteria_sheet.name, e.sheet, e.row))
        return report

    with db.session.no_autoflush:
        for criterion in list(criteria_set.criteria):
            db.session.delete(criterion)
        db.session.flush()
        db.session.expire(criteria_set, ["criteria"])
        for name, value in settings.items():
            setattr(criteria_set, name, value)
        created: dict[int, Criterion] = {}
        positions: dict[int | None, int] = {}
        for node in parsed.nodes:
            parent = created[id(node.parent)] if node.parent is not None else None
            key = id(node.parent) if node.parent is not None else None
            positions[key] = positions.get(key, -1) + 1
            criterion = Criterion(
                criteria_set=criteria_set, parent=parent, position=positions[key], **node.values()
            )
            db.session.add(criterion)
            created[id(node)] = criterion
    criteria_set.updated_at = utcnow()  # a version token for caches and polls
    report.imported = len(parsed.nodes)
    return report


# --- export ---------------------------------------------------------------------------------


def _number(value):
    return "" if value is None else json_number(Decimal(str(value)))


def criteria_rows(criteria_set: CriteriaSet) -> list[list]:
    """The header and one row per item, parents first, in display order."""
    rows: list[list] = [[header for _name, header, _spellings in COLUMNS]]
    for node in walk(criteria_set.roots):
        rows.append(
            [
                node.code,
                node.parent.code if node.parent is not None else "",
                node.section or "",
                node.title,
                _number(node.max_points),
                node.scoring_type,
                json.dumps(node.params, ensure_ascii=False) if node.params else "",
                node.guidance or "",
                node.evidence or "",
                "Có" if node.evidence_required else "Không",
                node.unit_of_measure or "",
                node.sanction or "",
            ]
        )
    return rows


def settings_rows(criteria_set: CriteriaSet) -> list[list]:
    """Key/value rows: rounding, caps, one row per grade, one row per tie-break key."""
    rows: list[list] = [
        [SETTING_LABELS[key], _number(getattr(criteria_set, key))] for key in SCALAR_SETTINGS
    ]
    for grade in criteria_set.grades or []:
        rows.append(
            [
                SETTING_LABELS["grade"],
                grade.get("name", ""),
                _number(grade.get("min")),
                _number(grade.get("quota_pct")),
            ]
        )
    for key in criteria_set.tie_break or [""]:
        rows.append([SETTING_LABELS["tie_break"], key])
    return rows


def _text_cells(sheet) -> None:
    """Keep every text a text: a title starting with "=" is not a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", cell.value)
                cell.data_type = "s"


def export_xlsx(criteria_set: CriteriaSet) -> bytes:
    """The set as a workbook: sheet "Tiêu chí" and sheet "Thiết lập"."""
    book = Workbook()
    sheet = book.active
    sheet.title = CRITERIA_SHEET
    for row in criteria_rows(criteria_set):
        sheet.append(row)
    _text_cells(sheet)
    for column, width in zip(
        "ABCDEFGHIJKL", (10, 12, 11, 60, 12, 14, 40, 40, 30, 12, 14, 14), strict=True
    ):
        sheet.column_dimensions[column].width = width
    settings = book.create_sheet(SETTINGS_SHEET)
    settings.append(SETTINGS_HEADER)
    for row in settings_rows(criteria_set):
        settings.append(row)
    _text_cells(settings)
    for column, width in zip("ABCD", (22, 22, 12, 16), strict=True):
        settings.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_csv(criteria_set: CriteriaSet) -> bytes:
    """The set as one UTF-8 CSV: "#thiet_lap" settings rows, a blank line, then the items."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in settings_rows(criteria_set):
        writer.writerow([SETTINGS_MARK, *row])
    writer.writerow([])
    writer.writerows(criteria_rows(criteria_set))
    return buffer.getvalue().encode("utf-8-sig")


def export_criteria(criteria_set: CriteriaSet, filename: str) -> bytes:
    """XLSX or CSV by the file name's extension."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return export_xlsx(criteria_set)
    if name.endswith(".csv"):
        return export_csv(criteria_set)
    raise DomainError(_("Chỉ xuất được tệp .xlsx hoặc .csv."))
