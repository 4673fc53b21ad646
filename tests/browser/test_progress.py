"""The report form on a phone: type values, attach a photo in place, save, submit."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, make_unit, make_user
from tests.test_progress import registration_with_targets, report_with

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_commune_officer_reports_on_a_phone(phone, app, tmp_path):
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    unit = make_unit("Xã Bình Lư")
    officer = make_user("canbo", unit=unit)
    registration = registration_with_targets(
        unit,
        targets={
            "1.1": dict(title="Tăng trưởng GRDP", baseline="5", target="7", uom="%"),
            "1.2": dict(title="Km đường giao thông nông thôn", target="40", uom="km"),
        },
    )
    report = report_with(registration, officer, {"1.1": "6"}, label="Quý I", submit=False)
    target_id = next(t.id for t in registration.targets if t.criterion.code == "1.2")

    sign_in(phone, "canbo", PASSWORD)
    phone.goto(f"/progress/{report.id}")
    expect(phone.get_by_role("heading", name="Báo cáo tiến độ Quý I")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"

    phone.evaluate("window.__sameDocument = true")
    row = phone.locator(f"#target-{target_id}")
    row.get_by_label("Số thực hiện (km)").fill("35")
    row.get_by_label("Thêm tệp minh chứng").set_input_files(
        files=[{"name": "anh-hien-truong.jpg", "mimeType": "image/jpeg", "buffer": PNG}]
    )
    row.get_by_role("button", name="Tải lên").click()
    expect(row.get_by_text("Đã đính kèm anh-hien-truong.jpg.")).to_be_visible()
    expect(row.get_by_role("link", name="anh-hien-truong.jpg")).to_be_visible()
    assert phone.evaluate("window.__sameDocument") is True
    expect(row.get_by_label("Số thực hiện (km)")).to_have_value("35")  # typed value survives

    phone.get_by_role("button", name="Lưu nháp").click()
    expect(phone.get_by_text("Đã lưu nháp báo cáo Quý I.")).to_be_visible()
    expect(phone.locator(f"#target-{target_id}")).to_contain_text("87,5 %")

    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Lưu và gửi báo cáo").click()
    expect(phone.get_by_text("Đã gửi báo cáo Quý I.")).to_be_visible()
    expect(phone.get_by_role("button", name="Tải lên")).to_have_count(0)
