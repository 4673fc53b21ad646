from datetime import timedelta
from decimal import Decimal

import pytest

from emulation.accounts.models import Role
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.registrations.models import ExemplaryRegistration, Registration
from tests.factories import add_criterion, make_campaign, make_cluster, make_unit, make_user


@pytest.fixture
def setting(app):
    """A commune cluster this year, a campaign open for registration, two quantitative criteria."""
    today = local_today()
    leader, member, other = (
        make_unit("Phường Đoàn Kết"),
        make_unit("Phường Tân Phong"),
        make_unit("Xã Bình Lư"),
    )
    cluster = make_cluster(
        "Cụm thi đua các xã, phường số 1",
        year=today.year,
        members=[leader, member, other],
        leader=leader,
    )
    campaign = make_campaign("Thi đua đặc biệt", clusters=[cluster])
    economy = add_criterion(campaign, "1", "Kinh tế", 30)
    grdp = add_criterion(
        campaign,
        "1.1",
        "Tăng trưởng GRDP",
        15,
        parent=economy,
        scoring_type="ratio",
        unit_of_measure="%",
    )
    poverty = add_criterion(
        campaign,
        "1.2",
        "Tỷ lệ hộ nghèo",
        15,
        parent=economy,
        scoring_type="ratio",
        unit_of_measure="%",
        params={"direction": "down", "over_rate": 0, "over_cap": 0},
    )
    make_user("canbo", unit=member)
    make_user("cumtruong", unit=leader)
    make_user("canbo.binhlu", unit=other)
    make_user("admin", Role.ADMIN)
    return {
        "campaign": campaign,
        "member": member,
        "grdp": grdp,
        "poverty": poverty,
        "slug": campaign.slug,
    }


def _form(s, grdp_target="9,0", poverty_target="2,5", **extra):
    g, p = s["grdp"].id, s["poverty"].id
    data = {
        "version": "0",
        f"baseline-{g}": "7,5",
        f"target-{g}": grdp_target,
        f"uom-{g}": "%",
        f"deadline-{g}": "30/10/2023",
        f"baseline-{p}": "4,2",
        f"target-{p}": poverty_target,
        f"uom-{p}": "%",
        "commitment": "Phấn đấu hoàn thành vượt mức các chỉ tiêu.",
        "titles": ["Tập thể lao động xuất sắc"],
        "action": "save",
    }
    data.update(extra)
    return data


def _registration(s) -> Registration | None:
    return db.session.scalar(db.select(Registration).where(Registration.unit_id == s["member"].id))


def test_officer_saves_a_draft_with_vietnamese_decimals(client, setting):
    client.login("canbo")
    page = client.get(f"/campaigns/{setting['slug']}/registration").get_data(as_text=True)
    assert "1.1" in page and "Tăng trưởng GRDP" in page
    page = client.submit(
        f"/campaigns/{setting['slug']}/registration", _form(setting), follow_redirects=True
    ).get_data(as_text=True)
    assert "Đã lưu nháp." in page
    registration = _registration(setting)
    target = registration.target_for(setting["grdp"].id)
    assert (target.baseline, target.target) == (Decimal("7.5"), Decimal("9.0"))
    assert target.deadline.strftime("%d/%m/%Y") == "30/10/2023"
    assert registration.titles == ["Tập thể lao động xuất sắc"]
    assert 'value="9"' in page  # shown back as the officer would type it


def test_bad_number_keeps_what_was_typed_and_saves_nothing(client, setting):
    client.login("canbo")
    client.submit(f"/campaigns/{setting['slug']}/registration", _form(setting))
    version = _registration(setting).version
    response = client.submit(
        f"/campaigns/{setting['slug']}/registration",
        _form(
            setting, grdp_target="chín phẩy năm", version=str(version), commitment="Nội dung mới gõ"
        ),
    )
    page = response.get_data(as_text=True)
    assert "“chín phẩy năm” không phải là số; ví dụ: 1.234,5" in page
    assert 'value="chín phẩy năm"' in page and "Nội dung mới gõ" in page
    db.session.expire_all()
    registration = _registration(setting)
    assert registration.target_for(setting["grdp"].id).target == Decimal("9.0")
    assert registration.commitment == "Phấn đấu hoàn thành vượt mức các chỉ tiêu."


def test_a_target_going_the_wrong_way_is_warned(client, setting):
    client.login("canbo")
    page = client.submit(
        f"/campaigns/{setting['slug']}/registration",
        _form(setting, poverty_target="5"),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "1.2: Chỉ tiêu cao hơn mức hiện tại, trong khi tiêu chí này càng thấp càng tốt." in page
    assert _registration(setting).target_for(setting["poverty"].id).target == Decimal(
        "5"
    )  # a warning, not a refusal


def test_live_row_check_with_htmx(client, setting):
    client.login("canbo")
    g = setting["grdp"].id
    row = client.htmx(
        "POST",
        f"/campaigns/{setting['slug']}/registration/check/{g}",
        {f"baseline-{g}": "7,5", f"target-{g}": "abc"},
    ).get_data(as_text=True)
    assert row.lstrip().startswith(f'<tr id="msgs-{g}"')
    assert "Chỉ tiêu: “abc” không phải là số" in row
    row = client.htmx(
        "POST",
        f"/campaigns/{setting['slug']}/registration/check/{g}",
        {f"baseline-{g}": "7,5", f"target-{g}": "6"},
    ).get_data(as_text=True)
    assert "Chỉ tiêu thấp hơn mức hiện tại" in row
    assert _registration(setting) is None  # checking never saves


def test_submit_needs_every_target(client, setting):
    client.login("canbo")
    page = client.submit(
        f"/campaigns/{setting['slug']}/registration",
        _form(setting, poverty_target="", action="submit"),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Còn 1 tiêu chí chưa có chỉ tiêu: 1.2." in page
    assert _registration(setting) is None or _registration(setting).status == "draft"


def test_submit_approve_lock_and_history(client, setting):
    client.login("canbo")
    page = client.submit(
        f"/campaigns/{setting['slug']}/registration",
        _form(setting, action="submit"),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã gửi bản đăng ký." in page
    registration_id = _registration(setting).id
    client.submit("/logout")
    client.login("cumtruong")
    page = client.submit(
        f"/registrations/{registration_id}/approve", follow_redirects=True
    ).get_data(as_text=True)
    assert "Đã duyệt bản đăng ký của Phường Tân Phong." in page
    assert "Gửi duyệt" in page and "Duyệt" in page  # the history
    client.submit("/logout")
    client.login("canbo")
    version = _registration(setting).version
    page = client.submit(
        f"/campaigns/{setting['slug']}/registration",
        _form(setting, grdp_target="12", version=str(version)),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "đã được duyệt và khóa" in page
    assert _registration(setting).target_for(setting["grdp"].id).target == Decimal("9.0")


def test_return_needs_a_reason_and_the_unit_sees_it(client, setting):
    client.login("canbo")
    client.submit(f"/campaigns/{setting['slug']}/registration", _form(setting, action="submit"))
    registration_id = _registration(setting).id
    client.submit("/logout")
    client.login("admin")
    page = client.submit(
        f"/registrations/{registration_id}/return", {"reason": ""}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Hãy ghi lý do trả lại" in page
    client.submit(
        f"/registrations/{registration_id}/return",
        {"reason": "Chỉ tiêu GRDP thấp hơn Nghị quyết (9,0%)."},
    )
    client.submit("/logout")
    client.login("canbo")
    page = client.get(f"/campaigns/{setting['slug']}/registration").get_data(as_text=True)
    assert "Lý do trả lại:" in page and "Chỉ tiêu GRDP thấp hơn Nghị quyết (9,0%)." in page
    version = _registration(setting).version
    client.submit(
        f"/campaigns/{setting['slug']}/registration",
        _form(setting, version=str(version), action="submit"),
    )
    assert _registration(setting).status == "submitted"


def test_only_the_leader_or_standing_office_reviews(client, setting):
    client.login("canbo")
    client.submit(f"/campaigns/{setting['slug']}/registration", _form(setting, action="submit"))
    registration_id = _registration(setting).id
    client.submit("/logout")
    client.login("canbo.binhlu")  # a peer in the same cluster, not its leader
    assert client.get(f"/registrations/{registration_id}").status_code == 403
    assert client.submit(f"/registrations/{registration_id}/approve").status_code == 403
    assert _registration(setting).status == "submitted"


def test_outside_the_window_nothing_is_saved(client, setting):
    today = local_today()
    campaign = setting["campaign"]
    campaign.phases[0].ends_on = today - timedelta(days=1)
    db.session.commit()
    client.login("canbo")
    page = client.submit(
        f"/campaigns/{setting['slug']}/registration", _form(setting), follow_redirects=True
    ).get_data(as_text=True)
    assert "Ngoài thời gian đăng ký thi đua" in page
    assert _registration(setting) is None


def test_amendment_reopens_an_approved_registration_after_the_window(client, setting):
    today = local_today()
    client.login("canbo")
    client.submit(f"/campaigns/{setting['slug']}/registration", _form(setting, action="submit"))
    registration = _registration(setting)
    client.submit("/logout")
    client.login("cumtruong")
    client.submit(f"/registrations/{registration.id}/approve")
    setting["campaign"].phases[0].ends_on = today - timedelta(days=1)
    db.session.commit()
    client.submit("/logout")
    client.login("canbo")
    client.submit(
        f"/registrations/{registration.id}/amendments",
        {"reason": "Điều chỉnh chỉ tiêu GRDP theo Nghị quyết HĐND."},
    )
    client.submit("/logout")
    client.login("cumtruong")
    amendment_id = _registration(setting).amendments[0].id
    client.submit(
        f"/registrations/{registration.id}/amendments/{amendment_id}",
        {"decision": "grant", "note": "Đồng ý"},
    )
    assert _registration(setting).status == "draft"
    client.submit("/logout")
    client.login("canbo")
    version = _registration(setting).version
    client.submit(
        f"/campaigns/{setting['slug']}/registration",
        _form(setting, grdp_target="9,5", version=str(version), action="submit"),
    )
    registration = _registration(setting)
    assert registration.status == "submitted"
    assert registration.target_for(setting["grdp"].id).target == Decimal("9.5")


def test_a_stale_form_does_not_overwrite_a_newer_save(client, setting):
    client.login("canbo")
    client.submit(f"/campaigns/{setting['slug']}/registration", _form(setting))
    opened_with = _registration(setting).version
    client.submit(
        f"/campaigns/{setting['slug']}/registration",
        _form(setting, grdp_target="10", version=str(opened_with)),
    )
    page = client.submit(
        f"/campaigns/{setting['slug']}/registration",
        _form(setting, grdp_target="11", version=str(opened_with)),
    ).get_data(as_text=True)
    assert "vừa được người khác lưu" in page
    assert 'value="10"' in page  # the newer values are shown
    assert _registration(setting).target_for(setting["grdp"].id).target == Decimal("10")


def test_board_shows_who_registered_and_who_is_late(client, setting):
    today = local_today()
    client.login("canbo")
    client.submit(f"/campaigns/{setting['slug']}/registration", _form(setting, action="submit"))
    client.submit("/logout")
    setting["campaign"].phases[0].ends_on = today - timedelta(days=1)
    db.session.commit()
    client.login("admin")
    page = client.get(f"/campaigns/{setting['slug']}/registrations").get_data(as_text=True)
    assert "Đã gửi, chờ duyệt" in page
    assert page.count("status status-late") == 2  # Đoàn Kết and Bình Lư never submitted
    late = client.get(
        f"/campaigns/{setting['slug']}/registrations?status=late", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "Xã Bình Lư" in late and "Phường Tân Phong" not in late


def test_board_for_a_cluster_leader_and_not_for_a_plain_member(client, setting):
    client.login("cumtruong")
    assert client.get(f"/campaigns/{setting['slug']}/registrations").status_code == 200
    client.submit("/logout")
    client.login("canbo")
    assert client.get(f"/campaigns/{setting['slug']}/registrations").status_code == 403


def test_unit_dashboard_says_what_is_due(client, setting):
    client.login("canbo")
    page = client.get("/").get_data(as_text=True)
    assert "Hoàn thành và gửi bản đăng ký thi đua." in page


def test_exemplary_pledge_one_or_two_tasks_reviewed_and_evaluated(client, setting):
    today = local_today()
    client.login("canbo")
    base = {
        "person_name": "Lò Văn Hùng",
        "person_title": "Chủ tịch UBND phường",
        "task1_group": "1",
        "task1_description": "",
        "task2_group": "2",
        "task2_description": "",
    }
    page = client.submit(f"/campaigns/{setting['slug']}/exemplary/new", base).get_data(as_text=True)
    assert "Hãy ghi ít nhất một việc cụ thể." in page and 'value="Lò Văn Hùng"' in page
    base.update(
        task1_description="Giải quyết dứt điểm 12 hồ sơ đất đai tồn đọng",
        task2_description="Số hóa 100% hồ sơ một cửa",
        task2_deadline="30/06/2024",
        action="submit",
    )
    page = client.submit(
        f"/campaigns/{setting['slug']}/exemplary/new", base, follow_redirects=True
    ).get_data(as_text=True)
    assert "Đã lưu đăng ký nêu gương của Lò Văn Hùng." in page
    pledge = db.session.scalar(db.select(ExemplaryRegistration))
    assert [t.group for t in pledge.tasks] == [1, 2] and pledge.status == "submitted"
    client.submit(f"/exemplary/{pledge.id}/review", {"decision": "approve"})
    page = client.submit(
        f"/exemplary/{pledge.id}/evaluate", {"evaluation": "done"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Chưa đến kỳ đánh giá cuối năm" in page
    setting["campaign"].end_date = today
    db.session.commit()
    client.submit(
        f"/exemplary/{pledge.id}/evaluate", {"evaluation": "excellent", "note": "Vượt tiến độ"}
    )
    assert db.session.get(ExemplaryRegistration, pledge.id).evaluation == "excellent"
    client.submit("/logout")
    client.login("canbo.binhlu")
    assert client.get(f"/exemplary/{pledge.id}").status_code == 403
