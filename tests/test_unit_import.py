import io

from openpyxl import Workbook, load_workbook

from emulation.accounts.models import Role
from emulation.core.extensions import db
from emulation.units.models import Unit
from tests.factories import make_unit, make_user

HEADER = "Mã,Tên đơn vị,Tên ngắn,Loại,Cấp,Mã đơn vị cấp trên,Đang hoạt động\n"


def _admin(client):
    make_user("admin", Role.ADMIN)
    client.login("admin")


def _upload(client, name: str, data: bytes):
    return client.submit(
        "/units/import",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _count():
    return db.session.scalar(db.select(db.func.count()).select_from(Unit))


def test_csv_import_creates_units_with_parents_from_the_same_file(client):
    _admin(client)
    csv = HEADER + (
        'SYT,Sở Y tế,Sở Y tế,"Sở, ban, ngành",Cấp tỉnh,,Có\n'
        "BVDK,Bệnh viện Đa khoa tỉnh,BVĐK,su_nghiep,tinh,SYT,\n"
        "XA-03408,Phường Tân Phong,P. Tân Phong,UBND xã phường,xa,,có\n"
    )
    page = _upload(client, "donvi.csv", csv.encode("utf-8-sig")).get_data(as_text=True)
    assert "Đã nhập 3 đơn vị mới, cập nhật 0 đơn vị." in page
    child = db.session.scalar(db.select(Unit).where(Unit.code == "BVDK"))
    assert child.parent.name == "Sở Y tế"
    assert child.type == "su_nghiep"


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_row(client):
    _admin(client)
    make_unit("Sở Tài chính", code="STC")
    csv = HEADER + (
        "SYT,Sở Y tế,,co_quan,tinh,,\n"
        "STC,Sở Tài chính (đổi tên),,co_quan,tinh,,\n"
        "BAD,Đơn vị lỗi,,hợp tác xã,tinh,,\n"
        "CDC,Trung tâm CDC,,su_nghiep,tinh,KHONGCO,\n"
    )
    response = _upload(client, "donvi.csv", csv.encode())
    page = response.get_data(as_text=True)
    assert "Tệp có 2 lỗi — chưa nhập đơn vị nào" in page
    assert '<td class="num">4</td><td>Loại</td>' in page
    assert "Loại đơn vị “hợp tác xã” không có trong danh mục." in page
    assert '<td class="num">5</td><td>Mã đơn vị cấp trên</td>' in page
    assert _count() == 1
    assert db.session.scalar(db.select(Unit.name).where(Unit.code == "STC")) == "Sở Tài chính"


def test_a_name_longer_than_the_column_is_a_row_error(client):
    _admin(client)
    csv = (
        HEADER
        + "XA-03430,Xã Bình Lư,,ubnd_xa,xa,,\n"
        + f"XA-03408,{'Phường Tân Phong ' * 16},,ubnd_xa,xa,,\n"
    )
    page = _upload(client, "donvi.csv", csv.encode()).get_data(as_text=True)
    assert '<td class="num">3</td><td>Tên đơn vị</td><td>Tên đơn vị tối đa 255 ký tự.</td>' in page
    assert _count() == 0


def test_missing_required_column_is_reported(client):
    _admin(client)
    page = _upload(client, "x.csv", "Mã,Tên đơn vị\nA,B\n".encode()).get_data(as_text=True)
    assert "Thiếu cột bắt buộc." in page
    assert "Loại" in page and _count() == 0


def test_duplicate_codes_inside_the_file(client):
    _admin(client)
    csv = HEADER + "A1,Đơn vị A,,co_quan,tinh,,\nA1,Đơn vị B,,co_quan,tinh,,\n"
    page = _upload(client, "x.csv", csv.encode()).get_data(as_text=True)
    assert "Mã A1 trùng với dòng 2." in page
    assert _count() == 0


def test_xlsx_export_then_import_reproduces_units(client):
    _admin(client)
    parent = make_unit("Sở Y tế", code="SYT", short_name="SYT")
    make_unit("Bệnh viện Đa khoa tỉnh", code="BVDK", parent=parent, type="su_nghiep")
    make_unit("Huyện Tam Đường", code="H106", type="ubnd_huyen", level="huyen", active=False)
    exported = client.get("/units/export.xlsx")
    assert exported.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(exported.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã" and len(rows) == 4
    before = {
        (u.code, u.name, u.type, u.level, u.parent_id and u.parent.code, u.active)
        for u in db.session.scalars(db.select(Unit))
    }
    page = _upload(client, "danh-sach.xlsx", exported.data).get_data(as_text=True)
    assert "cập nhật 3 đơn vị" in page
    db.session.expire_all()
    after = {
        (u.code, u.name, u.type, u.level, u.parent_id and u.parent.code, u.active)
        for u in db.session.scalars(db.select(Unit))
    }
    assert after == before


def test_xlsx_with_bad_level_names_cell(client):
    _admin(client)
    book = Workbook()
    book.active.append(["Mã", "Tên đơn vị", "Loại", "Cấp"])
    book.active.append(["A", "Xã A", "ubnd_xa", "thôn"])
    buffer = io.BytesIO()
    book.save(buffer)
    page = _upload(client, "a.xlsx", buffer.getvalue()).get_data(as_text=True)
    assert "Cấp “thôn” không có trong danh mục" in page
    assert _count() == 0


def test_damaged_or_wrong_type_file_is_refused_clearly(client):
    _admin(client)
    assert "Không đọc được tệp Excel" in _upload(client, "a.xlsx", b"not a zip").get_data(
        as_text=True
    )
    assert "Chỉ nhận tệp .xlsx hoặc .csv." in _upload(client, "a.pdf", b"%PDF").get_data(
        as_text=True
    )
    assert "UTF-8" in _upload(client, "a.csv", "Mã,Tên\n".encode("latin-1")).get_data(as_text=True)
