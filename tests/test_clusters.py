from emulation.accounts.models import Role, User
from emulation.accounts.service import led_clusters
from emulation.core.extensions import db
from emulation.units.models import Cluster, ClusterMember
from tests.factories import make_cluster, make_unit, make_user


def _admin(client):
    make_user("admin", Role.ADMIN)
    client.login("admin")


def test_admin_creates_a_cluster_for_a_year(client):
    _admin(client)
    page = client.submit(
        "/clusters/new",
        {"name": "Cụm thi đua các xã, phường số 2", "kind": "cum", "year": "2026"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã tạo Cụm thi đua các xã, phường số 2 năm 2026." in page


def test_bad_year_is_reported_and_name_kept(client):
    _admin(client)
    page = client.submit(
        "/clusters/new", {"name": "Khối doanh nghiệp", "kind": "khoi", "year": "hai nghìn"}
    ).get_data(as_text=True)
    assert "Hãy nhập năm, ví dụ 2025." in page or "Năm phải từ 2000 đến 2100." in page
    assert 'value="Khối doanh nghiệp"' in page


def test_adding_a_member_with_htmx_returns_the_member_panel(client):
    _admin(client)
    unit = make_unit("Phường Tân Phong")
    cluster = make_cluster(year=2026)
    response = client.htmx(
        "POST", f"/clusters/{cluster.id}/members", {"unit_id": unit.id, "position": "leader"}
    )
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="members">')
    assert "Đã thêm Phường Tân Phong vào Cụm thi đua số 1." in fragment
    assert db.session.get(Cluster, cluster.id).leader.name == "Phường Tân Phong"


def test_a_unit_sits_in_one_cluster_per_year(client):
    _admin(client)
    unit = make_unit("Xã Bình Lư")
    make_cluster("Cụm số 1", year=2026, members=[unit])
    other = make_cluster("Cụm số 2", year=2026)
    response = client.htmx(
        "POST", f"/clusters/{other.id}/members", {"unit_id": unit.id, "position": "member"}
    )
    # The unit is not even offered; a forged request is refused all the same.
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(
        as_text=True
    ) or "đã thuộc" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(ClusterMember)) == 1
    assert make_cluster("Cụm số 1", year=2027, members=[unit]).members  # next year is free


def test_new_leader_replaces_the_old_one(client):
    _admin(client)
    a, b = make_unit("Phường Tân Phong"), make_unit("Phường Đoàn Kết")
    cluster = make_cluster(year=2026, members=[a, b], leader=a)
    member_b = next(m for m in cluster.members if m.unit_id == b.id)
    client.htmx(
        "POST", f"/clusters/{cluster.id}/members/{member_b.id}/position", {"position": "leader"}
    )
    cluster = db.session.get(Cluster, cluster.id)
    assert cluster.leader.name == "Phường Đoàn Kết"
    assert [m.position for m in cluster.members if m.unit_id == a.id] == ["member"]


def test_leader_rights_follow_the_cluster_year(app):
    a, b = make_unit("Phường Tân Phong"), make_unit("Phường Đoàn Kết")
    make_cluster(year=2025, members=[a, b], leader=a, deputy=b)
    make_cluster(year=2026, members=[a, b], leader=b, deputy=a)
    officer = make_user("canbo", unit=a)
    assert [c.year for c in led_clusters(officer, 2025)] == [2025]
    officer_b = db.session.scalar(db.select(User).where(User.id == make_user("b", unit=b).id))
    assert [c.member_in("leader").unit_id for c in led_clusters(officer_b, 2026)] == [b.id]


def test_copy_clusters_to_next_year(client):
    _admin(client)
    a, b = make_unit("Phường Tân Phong"), make_unit("Phường Đoàn Kết")
    make_cluster(year=2025, members=[a, b], leader=a)
    page = client.submit(
        "/clusters/copy", {"from_year": "2025", "to_year": "2026"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Đã sao chép 1 cụm, khối sang năm 2026." in page
    assert "Phường Tân Phong" in page
    again = client.submit(
        "/clusters/copy", {"from_year": "2025", "to_year": "2026"}, follow_redirects=True
    )
    assert "Năm 2026 đã có cụm, khối." in again.get_data(as_text=True)


def test_remove_member_without_htmx_redirects_back(client):
    _admin(client)
    a = make_unit("Xã Tả Lèng")
    cluster = make_cluster(year=2026, members=[a])
    response = client.submit(f"/clusters/{cluster.id}/members/{cluster.members[0].id}/delete")
    assert response.status_code == 302
    assert db.session.get(Cluster, cluster.id).members == []


def test_delete_cluster_keeps_its_units(client):
    _admin(client)
    a = make_unit("Xã Tả Lèng")
    cluster_id = make_cluster("Cụm tạo nhầm", year=2026, members=[a]).id
    page = client.submit(f"/clusters/{cluster_id}/delete", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Đã xóa Cụm tạo nhầm năm 2026." in page
    assert db.session.get(Cluster, cluster_id) is None
    assert a.name == "Xã Tả Lèng"  # the unit itself stays
