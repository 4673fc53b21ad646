"""Every state change is checked on the server: CSRF, role and unit scope."""

import pytest

from emulation.accounts.models import Role
from emulation.core.extensions import db
from emulation.units.models import Unit
from tests.factories import make_cluster, make_unit, make_user


def test_post_without_csrf_token_is_refused_with_400(client):
    make_user("admin", Role.ADMIN)
    client.login("admin")
    response = client.post(
        "/units/new", data={"code": "X1", "name": "Sở X", "type": "co_quan", "level": "tinh"}
    )
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Unit).where(Unit.code == "X1")) is None


def test_htmx_post_carries_token_in_header(client):
    admin_unit = make_unit("Sở Nội vụ")
    make_user("admin", Role.ADMIN, unit=admin_unit)
    cluster = make_cluster(members=[])
    client.login("admin")
    response = client.htmx(
        "POST",
        f"/clusters/{cluster.id}/members",
        data={"unit_id": admin_unit.id, "position": "member"},
    )
    assert response.status_code == 200
    assert "Sở Nội vụ" in response.get_data(as_text=True)
    assert (
        client.post(
            f"/clusters/{cluster.id}/members",
            data={"unit_id": admin_unit.id},
            headers={"HX-Request": "true"},
        ).status_code
        == 400
    )


@pytest.mark.parametrize(
    "url",
    [
        "/units/",
        "/units/new",
        "/units/import",
        "/users/",
        "/users/new",
        "/clusters/new",
        "/units/export.xlsx",
    ],
)
def test_unit_officer_cannot_reach_admin_pages(client, url):
    make_user("canbo")
    client.login("canbo")
    response = client.get(url)
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.get_data(as_text=True)


def test_unit_officer_cannot_post_to_admin_actions(client):
    make_user("canbo")
    client.login("canbo")
    response = client.submit(
        "/units/new", {"code": "HACK", "name": "Đơn vị lạ", "type": "co_quan", "level": "tinh"}
    )
    assert response.status_code == 403
    assert db.session.scalar(db.select(Unit).where(Unit.code == "HACK")) is None


def test_unit_officer_sees_own_unit_but_not_another(client):
    mine, other = make_unit("Phường Tân Phong"), make_unit("Phường Đoàn Kết")
    make_user("canbo", unit=mine)
    client.login("canbo")
    assert client.get(f"/units/{mine.id}").status_code == 200
    assert client.get(f"/units/{other.id}").status_code == 403


def test_cluster_leader_sees_member_units_of_that_year_only(client):
    from datetime import date

    year = date.today().year
    leader, member, outsider = (
        make_unit("Phường Đoàn Kết"),
        make_unit("Xã Bình Lư"),
        make_unit("Xã Sìn Hồ"),
    )
    make_cluster(year=year, members=[leader, member], leader=leader)
    make_user("cumtruong", unit=leader)
    client.login("cumtruong")
    assert client.get(f"/units/{member.id}").status_code == 200
    assert client.get(f"/units/{outsider.id}").status_code == 403
    assert "cụm trưởng" in client.get("/").get_data(as_text=True)


def test_last_years_leadership_gives_no_rights_this_year(client):
    from datetime import date

    leader, member = make_unit("Phường Đoàn Kết"), make_unit("Xã Bình Lư")
    make_cluster(year=date.today().year - 1, members=[leader, member], leader=leader)
    make_user("cumtruong", unit=leader)
    client.login("cumtruong")
    assert client.get(f"/units/{member.id}").status_code == 403


def test_council_member_reads_units_but_cannot_change_them(client):
    unit = make_unit("Sở Y tế")
    make_user("hoidong", Role.COUNCIL_MEMBER)
    client.login("hoidong")
    assert client.get("/units/").status_code == 200
    assert client.get(f"/units/{unit.id}").status_code == 200
    assert client.get(f"/units/{unit.id}/edit").status_code == 403
    assert (
        client.submit(
            f"/units/{unit.id}/edit", {"code": "X", "name": "Y", "type": "co_quan", "level": "tinh"}
        ).status_code
        == 403
    )


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/units/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_error_pages_are_vietnamese(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)
