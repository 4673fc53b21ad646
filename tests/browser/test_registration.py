"""A unit registers end to end in a real page: live row checks, draft, submit, approval."""

from playwright.sync_api import expect

from emulation.core.clock import local_today
from tests.browser.conftest import sign_in
from tests.factories import (
    PASSWORD,
    add_criterion,
    make_campaign,
    make_cluster,
    make_unit,
    make_user,
)


def test_unit_registers_and_the_cluster_leader_approves(page, browser, live_server):
    year = local_today().year
    leader, member = make_unit("Phường Đoàn Kết"), make_unit("Phường Tân Phong")
    cluster = make_cluster(
        "Cụm thi đua các xã, phường số 1", year=year, members=[leader, member], leader=leader
    )
    campaign = make_campaign("Thi đua thực hiện Nghị quyết Đại hội XV", clusters=[cluster])
    group = add_criterion(campaign, "1", "Phát triển kinh tế", 20)
    grdp = add_criterion(
        campaign,
        "1.1",
        "Tốc độ tăng trưởng GRDP",
        10,
        parent=group,
        scoring_type="ratio",
        unit_of_measure="%",
    )
    make_user("canbo", unit=member)
    make_user("cumtruong", unit=leader)

    sign_in(page, "canbo", PASSWORD)
    page.goto(f"/campaigns/{campaign.slug}")
    page.get_by_role("button", name="Đăng ký thi đua của đơn vị").click()
    expect(page.get_by_role("heading", name="Đăng ký thi đua")).to_be_visible()
    page.evaluate("window.__sameDocument = true")

    page.get_by_label("Hiện trạng — 1.1").fill("7,8")
    target = page.get_by_label("Chỉ tiêu — 1.1")
    target.fill("mười")
    target.press("Tab")  # the row is checked on the server as soon as the field changes
    expect(page.get_by_text("“mười” không phải là số; ví dụ: 1.234,5")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True

    page.get_by_label("Chỉ tiêu — 1.1").fill("7")
    page.get_by_label("Chỉ tiêu — 1.1").press("Tab")
    expect(page.get_by_text("Chỉ tiêu thấp hơn mức hiện tại")).to_be_visible()
    page.get_by_label("Chỉ tiêu — 1.1").fill("10")
    page.get_by_label("Chỉ tiêu — 1.1").press("Tab")
    expect(page.get_by_text("Chỉ tiêu thấp hơn mức hiện tại")).to_have_count(0)

    page.get_by_label("Tập thể lao động xuất sắc").check()
    page.get_by_label("Nội dung cam kết, giao ước").fill(
        "Phấn đấu tăng trưởng GRDP từ 10% trở lên."
    )
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu nháp.")).to_be_visible()
    expect(page.get_by_label("Chỉ tiêu — 1.1")).to_have_value("10")
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_text("Đã gửi bản đăng ký.")).to_be_visible()
    expect(page.get_by_text("Đã gửi, chờ duyệt").first).to_be_visible()

    leader_context = browser.new_context(base_url=live_server)
    leader_page = leader_context.new_page()
    sign_in(leader_page, "cumtruong", PASSWORD)
    leader_page.goto(f"/campaigns/{campaign.slug}/registrations")
    leader_page.get_by_role("link", name="Phường Tân Phong").click()
    expect(leader_page.get_by_text("Tốc độ tăng trưởng GRDP")).to_be_visible()
    leader_page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(leader_page.get_by_text("Đã duyệt bản đăng ký của Phường Tân Phong.")).to_be_visible()
    leader_context.close()

    page.reload()
    expect(page.get_by_text("Bản đăng ký đã được duyệt và khóa.")).to_be_visible()
    expect(page.get_by_role("button", name="Lưu nháp")).to_have_count(0)
    assert grdp.id
