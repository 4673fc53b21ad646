from datetime import timedelta

from emulation.accounts.models import Role
from emulation.campaigns.models import Campaign
from emulation.campaigns.service import clone_campaign, require_phase
from emulation.core.clock import local_today
from emulation.core.errors import NotAllowed
from emulation.core.extensions import db
from tests.factories import add_criterion, make_campaign, make_cluster, make_unit, make_user


def _admin(client):
    make_user("admin", Role.ADMIN)
    client.login("admin")


def test_admin_creates_a_draft_campaign_with_dd_mm_yyyy_dates(client):
    _admin(client)
    response = client.submit(
        "/campaigns/new",
        {
            "name": "Phong trào thi đua đặc biệt chào mừng 115 năm thành lập tỉnh",
            "form": "chuyen_de",
            "authority": "UBND tỉnh Lai Châu",
            "decision_number": "1234/QĐ-UBND",
            "decision_date": "05/05/2023",
            "start_date": "05/05/2023",
            "end_date": "30/10/2023",
            "content_areas": "Kinh tế, GRDP\nThu ngân sách\n\nGiải ngân vốn đầu tư công",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Đã tạo phong trào (dự thảo)" in page
    campaign = db.session.scalar(db.select(Campaign))
    assert campaign.slug == "phong-trao-thi-dua-dac-biet-chao-mung-115-nam-thanh-lap-tinh"
    assert campaign.year == 2023 and campaign.area_list == [
        "Kinh tế, GRDP",
        "Thu ngân sách",
        "Giải ngân vốn đầu tư công",
    ]
    assert (
        campaign.criteria_set is not None and campaign.criteria_set.grades[0]["name"] == "Xuất sắc"
    )
    assert "05/05/2023 – 30/10/2023" in page


def test_bad_dates_get_field_messages_and_keep_typing(client):
    _admin(client)
    page = client.submit(
        "/campaigns/new",
        {
            "name": "Thi đua năm 2026",
            "form": "thuong_xuyen",
            "start_date": "31/02/2026",
            "end_date": "01/01/2026",
        },
    ).get_data(as_text=True)
    assert "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy." in page
    assert 'value="31/02/2026"' in page and 'value="Thi đua năm 2026"' in page
    page = client.submit(
        "/campaigns/new",
        {
            "name": "Thi đua năm 2026",
            "form": "thuong_xuyen",
            "start_date": "01/03/2026",
            "end_date": "01/01/2026",
        },
    ).get_data(as_text=True)
    assert "Ngày kết thúc phải sau ngày bắt đầu." in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Campaign)) == 0


def test_launch_is_refused_until_the_campaign_is_ready(client):
    _admin(client)
    campaign = make_campaign(status="draft", phases={})
    page = client.submit(
        f"/campaigns/{campaign.slug}/status", {"status": "launched"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Chưa có cụm, khối hoặc đơn vị tham gia." in page
    assert "Bảng tiêu chí chưa có tiêu chí nào." in page
    assert db.session.get(Campaign, campaign.id).status == "draft"


def test_status_moves_only_forward(client):
    _admin(client)
    unit = make_unit()
    campaign = make_campaign(status="draft", units=[unit])
    add_criterion(campaign, "1", "Kinh tế", 20)
    assert "Đã phát động" in client.submit(
        f"/campaigns/{campaign.slug}/status", {"status": "launched"}, follow_redirects=True
    ).get_data(as_text=True)
    page = client.submit(
        f"/campaigns/{campaign.slug}/status", {"status": "draft"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Không thể chuyển phong trào từ “Đã phát động” sang “Dự thảo”." in page
    client.submit(f"/campaigns/{campaign.slug}/status", {"status": "closed"})
    assert db.session.get(Campaign, campaign.id).status == "closed"


def test_actions_outside_their_window_are_refused_with_the_dates(app):
    today = local_today()
    campaign = make_campaign(
        phases={"registration": (today - timedelta(days=20), today - timedelta(days=5))}
    )
    try:
        require_phase(campaign, "registration")
    except NotAllowed as refusal:
        message = refusal.message
    else:
        raise AssertionError("registration should be closed")
    start, end = (
        (today - timedelta(days=20)).strftime("%d/%m/%Y"),
        (today - timedelta(days=5)).strftime("%d/%m/%Y"),
    )
    assert message == f"Ngoài thời gian đăng ký thi đua ({start} – {end})."
    require_phase(campaign, "registration", today - timedelta(days=6))  # open on that day


def test_draft_campaign_gates_everything(app):
    campaign = make_campaign(status="draft")
    try:
        require_phase(campaign, "registration")
    except NotAllowed as refusal:
        assert refusal.message == "Phong trào chưa được phát động."
    else:
        raise AssertionError


def test_phases_added_with_htmx(client):
    _admin(client)
    campaign = make_campaign(status="draft", phases={})
    fragment = client.htmx(
        "POST",
        f"/campaigns/{campaign.slug}/phases",
        {
            "kind": "midterm",
            "title": "Sơ kết 6 tháng",
            "starts_on": "01/07/2026",
            "ends_on": "15/07/2026",
        },
    ).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="phases">')
    assert "Sơ kết 6 tháng" in fragment and "01/07/2026" in fragment
    bad = client.htmx(
        "POST",
        f"/campaigns/{campaign.slug}/phases",
        {"kind": "midterm", "starts_on": "20/07/2026", "ends_on": "15/07/2026"},
    ).get_data(as_text=True)
    assert "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu." in bad and 'value="20/07/2026"' in bad


def test_public_page_shows_theme_areas_participants_and_running_phase(client):
    today = local_today()
    unit = make_unit("Phường Tân Phong")
    cluster = make_cluster(
        "Cụm thi đua các xã, phường số 1", year=today.year, members=[unit], leader=unit
    )
    campaign = make_campaign("Thi đua đổi mới, sáng tạo", clusters=[cluster])
    campaign.theme = "Đẩy mạnh đổi mới, sáng tạo"
    campaign.content_areas = "Kinh tế\nVăn hóa – xã hội"
    db.session.commit()
    page = client.get(f"/campaigns/{campaign.slug}").get_data(as_text=True)
    assert "Đẩy mạnh đổi mới, sáng tạo" in page
    assert "<li>Văn hóa – xã hội</li>" in page
    assert "Phường Tân Phong" in page
    assert "<strong>Đăng ký thi đua</strong>" in page  # the phase now running


def test_drafts_are_invisible_to_the_public(client):
    campaign = make_campaign(status="draft")
    assert client.get(f"/campaigns/{campaign.slug}").status_code == 404
    assert campaign.name not in client.get("/campaigns/").get_data(as_text=True)


def test_only_the_standing_office_manages_campaigns(client):
    campaign = make_campaign()
    make_user("canbo")
    client.login("canbo")
    assert client.get(f"/campaigns/{campaign.slug}/manage").status_code == 403
    assert (
        client.submit(f"/campaigns/{campaign.slug}/status", {"status": "closed"}).status_code == 403
    )
    assert client.submit("/campaigns/new", {"name": "X"}).status_code == 403
    assert db.session.get(Campaign, campaign.id).status == "launched"


def test_clone_copies_criteria_participants_and_shifts_phases(app):
    today = local_today()
    unit = make_unit()
    source = make_campaign(
        "Thi đua năm 2025",
        units=[unit],
        phases={"registration": (today, today + timedelta(days=14))},
    )
    group = add_criterion(source, "1", "Kinh tế", 20)
    add_criterion(
        source,
        "1.1",
        "Tăng trưởng GRDP",
        10,
        parent=group,
        scoring_type="ratio",
        unit_of_measure="%",
    )
    copy = clone_campaign(
        source, name="Thi đua năm sau", slug="", start_date=source.start_date + timedelta(days=365)
    )
    db.session.commit()
    assert copy.status == "draft" and copy.slug == "thi-dua-nam-sau"
    assert [c.code for c in copy.criteria_set.criteria] == ["1", "1.1"]
    assert copy.criteria_set.criteria[1].parent.code == "1"
    assert copy.units == [unit]
    assert copy.phases[0].starts_on == today + timedelta(days=365)
    assert source.criteria_set.criteria[0].id != copy.criteria_set.criteria[0].id


def test_edit_puts_a_taken_slug_beside_its_field_and_keeps_the_typing(client):
    _admin(client)
    make_campaign(slug="da-co")
    campaign = make_campaign(status="draft")
    data = {
        "name": "Tên mới của phong trào",
        "slug": "da-co",
        "form": "thuong_xuyen",
        "start_date": campaign.start_date.strftime("%d/%m/%Y"),
        "end_date": campaign.end_date.strftime("%d/%m/%Y"),
    }
    page = client.submit(f"/campaigns/{campaign.slug}/edit", data).get_data(as_text=True)
    assert "Mã đường dẫn da-co đã được dùng." in page
    assert 'value="Tên mới của phong trào"' in page
    assert db.session.get(Campaign, campaign.id).name != "Tên mới của phong trào"
    saved = client.submit(
        f"/campaigns/{campaign.slug}/edit", {**data, "slug": "ten-moi"}, follow_redirects=True
    )
    assert "Đã lưu phong trào." in saved.get_data(as_text=True)
    assert db.session.get(Campaign, campaign.id).slug == "ten-moi"


def test_participants_are_saved_and_refused_once_the_campaign_is_closed(client):
    _admin(client)
    unit = make_unit()
    campaign = make_campaign(status="draft")
    saved = client.submit(
        f"/campaigns/{campaign.slug}/participants", {"units": [unit.id]}, follow_redirects=True
    )
    assert "Đã lưu danh sách tham gia: 1 đơn vị." in saved.get_data(as_text=True)
    assert [u.id for u in db.session.get(Campaign, campaign.id).units] == [unit.id]
    db.session.get(Campaign, campaign.id).status = "closed"
    db.session.commit()
    page = client.submit(f"/campaigns/{campaign.slug}/participants", {"units": []})
    assert page.status_code == 200
    assert "Phong trào đã kết thúc; không thể thay đổi." in page.get_data(as_text=True)
    assert [u.id for u in db.session.get(Campaign, campaign.id).units] == [unit.id]


def test_a_phase_is_deleted_with_htmx(client):
    _admin(client)
    campaign = make_campaign(status="draft")
    phase = campaign.phases[0]
    fragment = client.htmx("POST", f"/campaigns/{campaign.slug}/phases/{phase.id}/delete")
    assert fragment.get_data(as_text=True).lstrip().startswith('<section id="phases">')
    assert db.session.get(Campaign, campaign.id).phases == []
