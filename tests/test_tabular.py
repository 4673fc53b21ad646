"""The one reader of uploaded tables: what each kind of file gives, and every bad file refused
with a message a person can act on — never another exception."""

import io
import re
import unicodedata
import zipfile
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook

from emulation.accounts.models import Role
from emulation.core import tabular
from emulation.core.errors import DomainError
from emulation.core.tabular import read_table, read_tables
from tests.factories import make_campaign, make_user

UNITS_CSV = (
    "Mã,Tên đơn vị,Loại,Cấp\n"
    "XA-03408,Phường Tân Phong,UBND xã phường,xa\n"
    "XA-03430,Xã Bình Lư,UBND xã phường,xa\n"
)


def _workbook(*sheets: tuple[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cp1258(text: str) -> bytes:
    """Text as Excel on a Vietnamese Windows saves "CSV (Comma delimited)": tones as marks."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            letters = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", letters[:-1])
            out += base.encode("cp1258") + letters[-1].encode("cp1258")
    return out


def _refused(filename: str, data: bytes, **limits) -> str:
    with pytest.raises(DomainError) as caught:
        read_table(filename, data, **limits)
    return caught.value.message


def _rewritten(workbook: bytes, member: str, change) -> bytes:
    """The workbook with one member's bytes passed through `change`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, change(content) if name == member else content)
    return out.getvalue()


# --- CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16"], ids=["utf-8", "utf-8 with BOM", "utf-16"]
)
def test_csv_in_utf8_with_or_without_bom_and_utf16_reads_the_same(encoding):
    table = read_table("donvi.csv", UNITS_CSV.encode(encoding))
    assert table.name == ""
    assert table.header == ["Mã", "Tên đơn vị", "Loại", "Cấp"]
    assert table.rows[1:] == [
        ["XA-03408", "Phường Tân Phong", "UBND xã phường", "xa"],
        ["XA-03430", "Xã Bình Lư", "UBND xã phường", "xa"],
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mã;Tên đơn vị\nXA-03408;Phường Tân Phong\n", ["XA-03408", "Phường Tân Phong"]),
        (
            "Mã\tTên đơn vị\nXA-03430\tXã Bình Lư, Điện Biên\n",
            ["XA-03430", "Xã Bình Lư, Điện Biên"],
        ),
        ('\n\nMã,Điểm\n1.1,"2,5"\n', ["1.1", "2,5"]),
        # Excel in Vietnamese settings: ";" between cells, "," as the decimal mark.
        ("#thiet_lap;Bước làm tròn;0,25\n1.1;2,5\n", ["1.1", "2,5"]),
        # Commas inside a quoted header do not count.
        (
            '"Tên, đầy đủ";Mã;Cấp\nPhường Tân Phong;XA-03408;xa\n',
            ["Phường Tân Phong", "XA-03408", "xa"],
        ),
    ],
    ids=["semicolon", "tab", "blank lines first", "decimal commas", "quoted commas"],
)
def test_the_delimiter_is_the_most_frequent_outside_quotes_on_the_first_line(text, expected):
    rows = read_table("a.csv", text.encode()).rows
    assert [row for row in rows if row][1] == expected


def test_cells_are_nfc_and_trimmed_and_rows_keep_their_numbers():
    decomposed = unicodedata.normalize("NFD", "Phường Tân Phong")
    text = (
        "Mã;Tên đơn vị;;\n"
        f" XA-03408 ;\u00a0{decomposed}\u200b;;\n"
        ";;;\n"
        "XA-03430;\ufeffXã Bình Lư\n"
        ";;\n\n\n"
    )
    table = read_table("a.csv", text.encode())
    assert table.rows == [
        ["Mã", "Tên đơn vị"],
        ["XA-03408", "Phường Tân Phong"],
        [],
        ["XA-03430", "Xã Bình Lư"],
    ]
    assert table.rows[1][1] == unicodedata.normalize("NFC", "Phường Tân Phong")
    assert list(table.numbered(start=3)) == [(3, []), (4, ["XA-03430", "Xã Bình Lư"])]


def test_a_cell_may_hold_line_breaks_and_quotes():
    text = 'Mã,Hướng dẫn\n1.1,"Dòng một\r\nDòng “hai”, có ""ngoặc"""\n'
    assert read_table("a.csv", text.encode()).rows[1] == [
        "1.1",
        'Dòng một\r\nDòng “hai”, có "ngoặc"',
    ]


def test_a_legacy_code_page_is_refused_with_the_line_to_look_at():
    message = _refused("donvi.csv", _cp1258("Mã,Tên đơn vị\nXA-03430,Xã Bình Lư\n"))
    assert message.startswith("Tệp CSV phải được lưu với bảng mã UTF-8") and "dòng 1" in message
    pasted = UNITS_CSV.encode() + _cp1258("XA-03433,Xã Bình Lư\n")
    assert "dòng 4" in _refused("donvi.csv", pasted)


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 4, b"PNG\x00\x00\x00\x0dIHDR" * 50, "Mã,Tên\n".encode("utf-16-le")],
    ids=["random bytes", "an image", "utf-16 without BOM"],
)
def test_binary_garbage_is_not_read_as_text(data):
    assert _refused("donvi.csv", data).startswith("Tệp này không phải văn bản CSV")


def test_an_unclosed_quote_names_the_line_where_it_opened():
    text = 'Mã,Tên\nA,Xã Bình Lư\nB,"Phường Tân Phong\n' + "x" * 200_000 + "\n"
    assert "dòng 3" in _refused("a.csv", text.encode())


# --- XLSX -----------------------------------------------------------------------------------


def test_workbook_cells_come_out_as_the_imports_read_them():
    data = _workbook(
        (
            "Đơn vị",
            [
                ["Mã", "Tên đơn vị", "Điểm", "Tỷ lệ", "Hoạt động", "Ngày", "Trống", "Công thức"],
                [3408, " Phường Tân Phong ", 10.0, 2.5, True, datetime(2025, 1, 31), None, "=1+1"],
            ],
        )
    )
    table = read_table("donvi.xlsx", data)
    assert table.name == "Đơn vị"
    # A formula gives the value Excel saved with it; this workbook never went through Excel.
    assert table.rows[1] == ["3408", "Phường Tân Phong", "10", "2.5", "true", "2025-01-31 00:00:00"]


def test_named_sheets_are_found_whatever_their_case_and_accents():
    data = _workbook(
        ("Hướng dẫn", [["Đọc trước khi nhập"]]),
        ("THIET LAP", [["Thiết lập", "Giá trị"], ["Bước làm tròn", 0.25]]),
        ("tiêu chí", [["Mã", "Tên"], ["1", "Công tác chuyên môn"]]),
    )
    tables = read_tables("bang.xlsx", data, sheets=["Tiêu chí", "Thiết lập"])
    assert [table.name for table in tables] == ["tiêu chí", "THIET LAP"]
    assert tables[1].rows[1] == ["Bước làm tròn", "0.25"]
    assert read_table("bang.xlsx", data).name == "Hướng dẫn"
    assert read_table("bang.xlsx", data, sheet="thiết lập").name == "THIET LAP"


def test_without_the_named_sheet_the_first_stands_in_and_extras_are_optional():
    data = _workbook(("Sheet1", [["Mã"], ["1"]]), ("Sheet2", [["x"]]))
    tables = read_tables("bang.xlsx", data, sheets=["Tiêu chí", "Thiết lập"])
    assert [table.name for table in tables] == ["Sheet1"]
    assert read_tables("bang.csv", UNITS_CSV.encode(), sheets=["Tiêu chí"])[0].name == ""


def test_blank_rows_keep_numbering_and_a_false_dimension_is_ignored():
    data = _workbook(("Đơn vị", [["Mã", "Tên đơn vị"], [], ["XA-03430", "Xã Bình Lư"], []]))
    # Some writers declare the whole grid as used; reading must not walk a million rows.
    data = _rewritten(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml),
    )
    assert read_table("donvi.xlsx", data).rows == [
        ["Mã", "Tên đơn vị"],
        [],
        ["XA-03430", "Xã Bình Lư"],
    ]


def test_a_workbook_renamed_to_csv_is_still_read_as_a_workbook():
    data = _workbook(("Đơn vị", [["Mã", "Tên đơn vị"], ["XA-03408", "Phường Tân Phong"]]))
    assert read_table("donvi.csv", data).rows[1] == ["XA-03408", "Phường Tân Phong"]


UNREADABLE = "Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng .xlsx."


VALID = _workbook(("Đơn vị", [["Mã", "Tên đơn vị"], ["XA-03408", "Phường Tân Phong"]]))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"not a zip", id="not a zip"),
        pytest.param(VALID[:300], id="truncated"),
        pytest.param(VALID[:-40], id="central directory cut"),
        pytest.param(
            _rewritten(VALID, "xl/workbook.xml", lambda xml: xml[: len(xml) // 2]),
            id="broken workbook XML",
        ),
        pytest.param(
            _rewritten(VALID, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</row>", b"")),
            id="broken sheet XML",
        ),
        pytest.param(
            _rewritten(VALID, "[Content_Types].xml", lambda xml: b"<Types/>"),
            id="no content types",
        ),
    ],
)
def test_a_corrupt_workbook_is_refused_clearly(data):
    assert _refused("donvi.xlsx", data) == UNREADABLE


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert _refused("donvi.xlsx", buffer.getvalue()) == UNREADABLE


def test_a_password_protected_or_old_xls_workbook_says_what_to_do():
    # Both are OLE2 compound files; Excel wraps an encrypted .xlsx in one.
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"EncryptedPackage"
    for name in ("donvi.xlsx", "donvi.csv"):
        message = _refused(name, ole2)
        assert "mật khẩu" in message and ".xls" in message


def test_a_workbook_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_UNPACKED_BYTES", 4096)
    assert "quá lớn khi giải nén" in _refused("donvi.xlsx", VALID)


# --- for every kind ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("donvi.csv", b""),
        ("donvi.csv", b"\xef\xbb\xbf \r\n\t\n"),
        ("donvi.xlsx", b""),
        ("donvi.csv", " \u200b\n".encode()),
        ("donvi.csv", b";;;\r\n\t;\r\n"),
    ],
    ids=["empty csv", "only a BOM and spaces", "empty xlsx", "zero-width space", "separators"],
)
def test_an_empty_file_is_refused(filename, data):
    assert _refused(filename, data) == "Tệp rỗng; hãy chọn lại tệp."


@pytest.mark.parametrize("filename", ["donvi.xls", "donvi.pdf", "donvi.txt", "donvi", "csv", ""])
def test_only_xlsx_and_csv_names_are_accepted(filename):
    assert _refused(filename, UNITS_CSV.encode()) == "Chỉ nhận tệp .xlsx hoặc .csv."


def test_the_extension_is_read_whatever_its_case():
    assert read_table("DONVI.CSV", UNITS_CSV.encode()).rows[2][1] == "Xã Bình Lư"


def test_a_file_over_the_size_limit_is_refused():
    data = UNITS_CSV.encode() * (tabular.MAX_BYTES // len(UNITS_CSV.encode()) + 1)
    assert _refused("donvi.csv", data) == "Tệp lớn hơn 10 MB; hãy chia thành nhiều tệp nhỏ hơn."
    two_megabytes = 2 * 1024 * 1024
    message = _refused("donvi.xlsx", VALID + b"\x00" * two_megabytes, max_bytes=two_megabytes)
    assert message == "Tệp lớn hơn 2 MB; hãy chia thành nhiều tệp nhỏ hơn."


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_rows_columns_and_cells_are_bounded(kind):
    def encoded(rows: list[list[str]]) -> bytes:
        if kind == "xlsx":
            return _workbook(("Đơn vị", rows))
        return "\n".join(",".join(row) for row in rows).encode()

    name = f"donvi.{kind}"
    header = ["Mã", "Tên đơn vị"]
    rows = [header, *([f"XA-{n}", "Xã Bình Lư"] for n in range(4))]
    assert len(read_table(name, encoded(rows), max_rows=5).rows) == 5
    assert "hơn 4 dòng" in _refused(name, encoded(rows), max_rows=4)
    # Trailing blank rows do not count.
    assert len(read_table(name, encoded([*rows, [""], [""], [""]]), max_rows=5).rows) == 5

    assert "Dòng 1 có hơn 1 cột" in _refused(name, encoded(rows), max_columns=1)
    assert (
        len(read_table(name, encoded([[*row, "", ""] for row in rows]), max_columns=2).header) == 2
    )

    long_name = [["Mã", "Tên đơn vị"], ["XA-03408", "Phường Tân Phong " * 10]]
    message = _refused(name, encoded(long_name), max_cell_chars=100)
    assert "Ô B2 dài hơn 100 ký tự" in message
    if kind == "xlsx":
        assert message.startswith("Trang “Đơn vị”: ")


def test_a_file_of_endless_blank_lines_or_separators_is_dealt_with_at_once():
    lines = UNITS_CSV.encode() + b"\r\n" * 200_000 + "XA-03433,Xã Bình Lư\n".encode()
    assert "hơn 5000 dòng" in _refused("donvi.csv", lines)
    separators = UNITS_CSV.encode() + b"," * 1_000_000 + b"\n"
    assert len(read_table("donvi.csv", separators).rows) == 3
    assert "Dòng 4 có hơn 50 cột" in _refused("donvi.csv", separators[:-1] + b"x")


# --- no input escapes as another exception -----------------------------------------------------


def _only_domain_errors(filename: str, data: bytes) -> None:
    try:
        tables = read_tables(filename, data, sheets=["Tiêu chí", "Thiết lập"], max_rows=50)
    except DomainError as error:
        assert error.message
    else:
        assert all(isinstance(cell, str) for table in tables for row in table.rows for cell in row)


@given(st.binary(max_size=4096), st.sampled_from(["a.csv", "a.xlsx"]))
@hypothesis_settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_bytes_give_a_table_or_a_domain_error(data, filename):
    _only_domain_errors(filename, data)


@given(st.data())
@hypothesis_settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_damaged_workbooks_give_a_table_or_a_domain_error(draw):
    data = bytearray(VALID)
    for _change in range(draw.draw(st.integers(1, 8))):
        position = draw.draw(st.integers(0, len(data) - 1))
        data[position] = draw.draw(st.integers(0, 255))
    _only_domain_errors("donvi.xlsx", bytes(data))


@given(st.text(max_size=500), st.sampled_from([",", ";", "\t"]))
@hypothesis_settings(max_examples=300)
def test_any_text_gives_a_table_or_a_domain_error(text, delimiter):
    _only_domain_errors("a.csv", text.replace(",", delimiter).encode())


# --- through the import pages ---------------------------------------------------------------


def _upload(client, url: str, name: str, data: bytes):
    return client.submit(
        url, {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


@pytest.mark.parametrize("page", ["units", "criteria"])
def test_an_unreadable_file_uploaded_to_an_import_page_is_shown_in_its_form(client, page):
    make_user("thuongtruc", Role.ADMIN)
    client.login("thuongtruc")
    if page == "units":
        url = "/units/import"
    else:
        url = f"/campaigns/{make_campaign().slug}/criteria/import"
    for name, data, message in [
        ("donvi.xlsx", VALID[:300], UNREADABLE),
        ("donvi.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "có mật khẩu"),
        ("donvi.csv", _cp1258("Mã,Tên\nXA-03430,Xã Bình Lư\n"), "bảng mã UTF-8"),
        ("donvi.csv", b"", "Tệp rỗng"),
    ]:
        response = _upload(client, url, name, data)
        assert response.status_code == 200, name
        page_text = response.get_data(as_text=True)
        assert re.search(r'<small class="field-error" id="file-msg">[^<]*' + message, page_text)
