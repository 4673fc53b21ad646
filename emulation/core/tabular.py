"""One reader for every uploaded table (.xlsx or .csv): text cells, bounded, DomainError only.

The contract every import relies on:
- The extension chooses (.xlsx or .csv, nothing else), the content corrects it: a workbook
  renamed to .csv is still read as a workbook; an .xls or a password-protected workbook
  (both are OLE2 containers) is refused with a message that says what to do.
- XLSX: openpyxl in read-only mode with the values last calculated by Excel (data_only). The
  size a sheet declares is ignored, since some writers declare A1:XFD1048576; the workbook
  may unpack to at most MAX_UNPACKED_BYTES.
- CSV: UTF-8 with or without BOM (Excel's "CSV UTF-8"), or UTF-16 with BOM (Excel's "Unicode
  Text"). A legacy code page is not guessed: cp1258 or windows-1252 bytes decode without error
  into wrong letters, so such a file is refused with the line that is not UTF-8.
- The delimiter is whichever of `,` `;` tab occurs most, outside quotes, on the first non-blank
  line (Excel writes `;` where the decimal mark is a comma); ties go in that order.
- Cells are text, NFC-normalised and trimmed. Workbook numbers read as typed (10, not 10.0;
  2.5), booleans as "true"/"false", dates as Python prints them ("2025-01-31 00:00:00").
- Row n of the file (a CSV record, as Excel counts rows) is `rows[n - 1]`: blank rows stay, so
  messages can name the row a person sees. Trailing blank rows and trailing empty cells are
  dropped, and only what is left counts against the row and column limits.
Anything wrong with the file raises DomainError with a message for the person who uploaded it;
no input raises anything else.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from emulation.core.errors import DomainError
from emulation.core.text import fold

MAX_BYTES = 10 * 1024 * 1024
# Reading takes about three seconds per 20 MB of sheet XML; a real list of units or criteria
# unpacks to a few megabytes.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
DELIMITERS = (",", ";", "\t")
# Blank rows after the last row with data are dropped, but a file of nothing but line breaks
# must not keep the reader busy: past this many rows it counts as too long.
BLANK_ROWS_SCANNED = 100_000

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c")
# Trimmed from cells: whitespace (no-break space included), zero-width space, a stray BOM.
# str.strip with a set of characters, not a regex: a long run of spaces stays linear.
_EDGES = "".join(char for char in map(chr, range(0x3001)) if char.isspace()) + "\u200b\ufeff"
_QUOTED = re.compile(r'"[^"]*"')


@dataclass(frozen=True)
class Table:
    """The cells of one sheet (or of a CSV file) as text; row n of the file is rows[n - 1]."""

    name: str  # the sheet's title; "" for a CSV file
    rows: list[list[str]]

    @property
    def header(self) -> list[str]:
        return self.rows[0] if self.rows else []

    def numbered(self, start: int = 1) -> Iterator[tuple[int, list[str]]]:
        """(row number as a spreadsheet shows it, cells), from row `start` on."""
        for number in range(start, len(self.rows) + 1):
            yield number, self.rows[number - 1]


@dataclass(frozen=True)
class _Limits:
    max_rows: int
    max_columns: int
    max_cell_chars: int


def read_table(
    filename: str,
    data: bytes,
    *,
    sheet: str | None = None,
    max_rows: int = 5000,
    max_columns: int = 50,
    max_cell_chars: int = 2000,
    max_bytes: int = MAX_BYTES,
) -> Table:
    """The table of a CSV file, or of the workbook's sheet named `sheet` (else its first sheet)."""
    return read_tables(
        filename,
        data,
        sheets=[sheet] if sheet else [],
        max_rows=max_rows,
        max_columns=max_columns,
        max_cell_chars=max_cell_chars,
        max_bytes=max_bytes,
    )[0]


def read_tables(
    filename: str,
    data: bytes,
    *,
    sheets: Sequence[str] = (),
    max_rows: int = 5000,
    max_columns: int = 50,
    max_cell_chars: int = 2000,
    max_bytes: int = MAX_BYTES,
) -> list[Table]:
    """The tables of an upload: a CSV file is one table. A workbook gives, in the order of
    `sheets`, each named sheet it has (case and accents ignored), the first sheet standing in
    for the first name when no sheet has it; with no names, just its first sheet.

    Limits apply to each table. Raises DomainError, and nothing else, for any unreadable file.
    """
    limits = _Limits(max_rows, max_columns, max_cell_chars)
    extension = filename.lower().rpartition(".")[2] if "." in filename else ""
    if extension not in ("xlsx", "csv"):
        raise DomainError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
    if len(data) > max_bytes:
        raise DomainError(
            _(
                "Tệp lớn hơn %(mb)s MB; hãy chia thành nhiều tệp nhỏ hơn.",
                mb=max_bytes // (1024 * 1024),
            )
        )
    if not data.strip():
        raise DomainError(_("Tệp rỗng; hãy chọn lại tệp."))
    if data.startswith(_OLE2):
        raise DomainError(
            _(
                "Tệp Excel có mật khẩu hoặc ở định dạng cũ (.xls): hãy gỡ mật khẩu rồi lưu lại "
                "dưới dạng .xlsx."
            )
        )
    if data.startswith(_ZIP):
        return _read_xlsx(data, sheets, limits)
    if extension == "xlsx":
        raise _unreadable_workbook()
    rows = _bounded(_csv_records(_decode(data)), "", limits)
    if not rows:  # only separators and spaces
        raise DomainError(_("Tệp rỗng; hãy chọn lại tệp."))
    return [Table("", rows)]


# --- XLSX -----------------------------------------------------------------------------------


def _unreadable_workbook() -> DomainError:
    return DomainError(_("Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng .xlsx."))


def _sheet_key(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(title)))


def _chosen_sheets(worksheets: list, names: Sequence[str]) -> list:
    by_key = {}
    for worksheet in worksheets:
        by_key.setdefault(_sheet_key(worksheet.title), worksheet)
    chosen = [by_key.get(_sheet_key(names[0]), worksheets[0]) if names else worksheets[0]]
    for name in names[1:]:
        worksheet = by_key.get(_sheet_key(name))
        if worksheet is not None and worksheet not in chosen:
            chosen.append(worksheet)
    return chosen


def _read_xlsx(data: bytes, names: Sequence[str], limits: _Limits) -> list[Table]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # Declared sizes hold: zipfile stops at them and then checks the CRC.
            unpacked = sum(member.file_size for member in archive.infolist())
    except Exception as exc:  # BadZipFile, and worse for a truncated or crafted archive
        raise _unreadable_workbook() from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise DomainError(
            _(
                "Tệp Excel quá lớn khi giải nén (hơn %(mb)s MB); hãy xóa các trang và định dạng "
                "thừa rồi lưu lại.",
                mb=MAX_UNPACKED_BYTES // (1024 * 1024),
            )
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise DomainError(_("Tệp Excel không có trang tính nào."))
            tables = []
            for worksheet in _chosen_sheets(book.worksheets, names):
                worksheet.reset_dimensions()  # read every row the sheet holds, no more
                rows = worksheet.iter_rows(values_only=True)
                tables.append(Table(worksheet.title, _bounded(rows, worksheet.title, limits)))
            return tables
        finally:
            book.close()
    except DomainError:
        raise
    except Exception as exc:  # openpyxl raises many kinds (KeyError, InvalidFileException, XML…)
        raise _unreadable_workbook() from exc


def _cell_text(value) -> str:
    """A workbook value as the imports read it: 10 for a whole number, not 10.0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


# --- CSV ------------------------------------------------------------------------------------


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return b"\x00" in sample or controls * 20 > len(sample)


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _not_utf8(data, exc) from exc
    elif _looks_binary(data):
        raise _binary()
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _not_utf8(data, exc) from exc
    if "\x00" in text:
        raise _binary()
    if not text.strip(_EDGES):
        raise DomainError(_("Tệp rỗng; hãy chọn lại tệp."))
    return text


def _binary() -> DomainError:
    return DomainError(
        _("Tệp này không phải văn bản CSV: hãy chọn đúng tệp .csv, hoặc tệp Excel .xlsx.")
    )


def _not_utf8(data: bytes, error: UnicodeDecodeError) -> DomainError:
    return DomainError(
        _(
            "Tệp CSV phải được lưu với bảng mã UTF-8: dòng %(row)s có ký tự không đọc được. "
            "Trong Excel, hãy lưu lại với kiểu “CSV UTF-8”.",
            row=data[: error.start].count(b"\n") + 1,
        )
    )


def _delimiter(text: str) -> str:
    """The most frequent of `,` `;` tab outside quotes on the first non-blank line."""
    for line in io.StringIO(text, newline=None):
        if line.strip():
            unquoted = _QUOTED.sub("", line)
            return max(DELIMITERS, key=unquoted.count)
    return DELIMITERS[0]


def _csv_records(text: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    line = 1  # where the record being read starts
    try:
        for record in reader:
            yield record
            line = reader.line_num + 1
    except csv.Error as exc:  # a field over csv's own limit, often from a quote never closed
        raise DomainError(
            _(
                "Tệp CSV bị lỗi từ dòng %(row)s: một ô quá dài, hoặc một dấu ngoặc kép không được "
                "đóng; hãy mở bằng Excel và lưu lại.",
                row=line,
            )
        ) from exc


# --- both -----------------------------------------------------------------------------------


def _clean(value) -> str:
    return unicodedata.normalize("NFC", _cell_text(value)).strip(_EDGES)


def _in_sheet(sheet: str, problem: str) -> str:
    return _("Trang “%(sheet)s”: %(problem)s", sheet=sheet, problem=problem) if sheet else problem


def _is_blank(values: Sequence) -> bool:
    try:  # CSV cells are all text: one join is far quicker on a damaged file's endless row
        return not "".join(values).strip(_EDGES)
    except TypeError:  # workbook values
        return not any(_clean(value) for value in values)


def _bounded(records: Iterable[Sequence], sheet: str, limits: _Limits) -> list[list[str]]:
    """Clean cells, row by row, stopping at the first row or cell over a limit."""

    def too_many_rows() -> DomainError:
        return DomainError(
            _in_sheet(
                sheet,
                _(
                    "Tệp có hơn %(max)s dòng; hãy chia thành nhiều tệp nhỏ hơn.",
                    max=limits.max_rows,
                ),
            )
        )

    def too_many_columns(number: int) -> DomainError:
        return DomainError(
            _in_sheet(
                sheet,
                _(
                    "Dòng %(row)s có hơn %(max)s cột; hãy xóa các cột thừa.",
                    row=number,
                    max=limits.max_columns,
                ),
            )
        )

    rows: list[list[str]] = []
    blank_run = 0  # blank rows seen since the last row with data; kept only if data follows
    scan_limit = max(limits.max_rows, BLANK_ROWS_SCANNED)
    for number, record in enumerate(records, start=1):
        if number > scan_limit:
            raise too_many_rows()
        # One cell past the limit is enough to tell; the rest only has to be blank.
        cells = [_clean(value) for value in record[: limits.max_columns + 1]]
        if len(record) > limits.max_columns + 1 and not _is_blank(record[limits.max_columns + 1 :]):
            raise too_many_columns(number)
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            blank_run += 1
            continue
        if number > limits.max_rows:
            raise too_many_rows()
        if len(cells) > limits.max_columns:
            raise too_many_columns(number)
        for column, cell in enumerate(cells, start=1):
            if len(cell) > limits.max_cell_chars:
                raise DomainError(
                    _in_sheet(
                        sheet,
                        _(
                            "Ô %(cell)s dài hơn %(max)s ký tự; hãy rút gọn nội dung.",
                            cell=f"{get_column_letter(column)}{number}",
                            max=limits.max_cell_chars,
                        ),
                    )
                )
        rows.extend([] for _blank in range(blank_run))
        blank_run = 0
        rows.append(cells)
    return rows
