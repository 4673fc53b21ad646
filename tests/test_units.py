from emulation.accounts.models import Role
from emulation.core.extensions import db
from emulation.units.models import Unit
from tests.factories import make_unit, make_user


def _admin(client):
    make_user("admin", Role.ADMIN)
    client.login("admin")


def test_admin_creates_a_unit_and_sees_its_page(client):
    _admin(client)
    parent = make_unit("Sở Y tế", code="SYT")
    response = client.submit(
        "/units/new",
        {
            "code": "cdc",
            "name": "Trung tâm Kiểm soát bệnh tật tỉnh",
            "short_name": "CDC tỉnh",
            "type": "su_nghiep",
            "level": "tinh",
            "parent_id": parent.id,
            "active": "y",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Đã thêm đơn vị Trung tâm Kiểm soát bệnh tật tỉnh." in page
    assert "Đơn vị sự nghiệp" in page
    unit = db.session.scalar(db.select(Unit).where(Unit.code == "CDC"))
    assert unit.parent.code == "SYT"


def test_duplicate_code_gets_field_message_and_keeps_what_was_typed(client):
    _admin(client)
    make_unit("Sở Tài chính", code="STC")
    response = client.submit(
        "/units/new",
        {
            "code": "STC",
            "name": "Sở Tư pháp mới gõ",
            "type": "co_quan",
            "level": "tinh",
            "parent_id": 0,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Mã STC đã được dùng cho Sở Tài chính." in page
    assert 'value="Sở Tư pháp mới gõ"' in page


def test_missing_name_is_reported_next_to_the_field(client):
    _admin(client)
    response = client.submit(
        "/units/new", {"code": "X", "name": "", "type": "co_quan", "level": "tinh", "parent_id": 0}
    )
    assert "Trường này không được để trống." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Unit).where(Unit.code == "X")) is None


def test_a_unit_cannot_become_its_own_grandparent(client):
    _admin(client)
    top = make_unit("Sở Y tế")
    child = make_unit("Bệnh viện Đa khoa tỉnh", parent=top)
    response = client.submit(
        f"/units/{top.id}/edit",
        {
            "code": top.code,
            "name": top.name,
            "type": "co_quan",
            "level": "tinh",
            "parent_id": child.id,
            "active": "y",
        },
    )
    assert "không được là chính nó hoặc đơn vị cấp dưới" in response.get_data(as_text=True)
    assert db.session.get(Unit, top.id).parent_id is None


def test_list_is_in_vietnamese_alphabetical_order(client):
    _admin(client)
    for name in [
        "Xã Ứng Hòa",
        "Phường Đoàn Kết",
        "Phường Tân Phong",
        "Phường Dương Nội",
        "Xã Ân Thi",
        "Xã An Khê",
    ]:
        make_unit(name)
    page = client.get("/units/").get_data(as_text=True)
    order = [
        "Phường Dương Nội",
        "Phường Đoàn Kết",
        "Phường Tân Phong",
        "Xã An Khê",
        "Xã Ân Thi",
        "Xã Ứng Hòa",
    ]
    positions = [page.index(name) for name in order]
    assert positions == sorted(positions)


def test_search_fragment_matches_without_diacritics(client):
    _admin(client)
    make_unit("Phường Tân Phong", code="XA-03408")
    make_unit("Phường Đoàn Kết", code="XA-03388")
    response = client.get("/units/table?q=tan+phong", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="unit-table"')  # the table alone, not a page
    assert "Phường Tân Phong" in fragment
    assert "Đoàn Kết" not in fragment
    assert "Phường Đoàn Kết" in client.get("/units/table?q=doan").get_data(as_text=True)
    assert "Tân Phong" in client.get("/units/?q=03408").get_data(as_text=True)


def test_inactive_units_are_hidden_unless_asked(client):
    _admin(client)
    make_unit("Huyện Tam Đường", type="ubnd_huyen", level="huyen", active=False)
    assert "Huyện Tam Đường" not in client.get("/units/table").get_data(as_text=True)
    assert "Huyện Tam Đường" in client.get("/units/table?inactive=1").get_data(as_text=True)


def test_unused_unit_can_be_deleted_but_a_unit_in_use_cannot(client):
    _admin(client)
    spare = make_unit("Đơn vị nhập nhầm")
    used = make_unit("Sở Y tế")
    make_unit("Bệnh viện Đa khoa tỉnh", parent=used)
    page = client.submit(f"/units/{spare.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "Đã xóa đơn vị Đơn vị nhập nhầm." in page
    page = client.submit(f"/units/{used.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "Không xóa được Sở Y tế" in page
    assert db.session.get(Unit, used.id) is not None
