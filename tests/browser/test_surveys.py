"""A citizen answers a survey on a phone: scan the token, rate, see a question appear,
fix a wrong number as told, send, and read the thank-you page."""

from __future__ import annotations

from playwright.sync_api import expect

from emulation.core.extensions import db
from emulation.surveys.models import SurveyResponse
from tests.test_surveys_web import open_survey


def test_a_citizen_answers_on_a_phone(phone, app):
    s = open_survey()
    code = s["tokens"][0]
    phone.goto(f"/ks/m/{code}")
    expect(
        phone.get_by_role("heading", name="Khảo sát sự hài lòng tại bộ phận một cửa")
    ).to_be_visible()
    expect(phone.get_by_text("Phường Tân Phong")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    expect(phone.get_by_text("Đã trả lời 0/3 câu")).to_be_visible()

    rate = phone.get_by_role("group", name="C1. Mức độ hài lòng với nơi chờ")
    rate.get_by_label("4 · Hài lòng").check()
    expect(phone.get_by_text("Đã trả lời 1/3 câu")).to_be_visible()

    why = phone.get_by_label("C3. Nội dung góp ý")
    expect(why).to_be_hidden()
    phone.get_by_role("group", name="C2. Ông/bà có góp ý không?").get_by_label("Có").check()
    expect(why).to_be_visible()  # shown by the answer "Có", without reloading the page

    visits = phone.get_by_label("C4. Số lần đi lại")
    visits.fill("25")
    visits.blur()
    expect(phone.get_by_text("Số lớn nhất là 20.")).to_be_visible()
    visits.fill("2")
    visits.blur()
    expect(phone.get_by_text("Số lớn nhất là 20.")).to_have_count(0)

    phone.get_by_role("button", name="Gửi phiếu").click()
    expect(phone.get_by_text("Câu này cần được trả lời.")).to_be_visible()  # C3 left empty
    expect(visits).to_have_value("2")  # what was typed is kept
    phone.get_by_label("C3. Nội dung góp ý").fill("Cần thêm ghế chờ vào giờ cao điểm.")
    phone.get_by_role("button", name="Gửi phiếu").click()
    expect(phone.get_by_role("heading", name="Cảm ơn bạn đã tham gia khảo sát!")).to_be_visible()

    response = db.session.scalars(db.select(SurveyResponse)).one()
    assert response.answers == {
        "C1": 4,
        "C2": "Có",
        "C3": "Cần thêm ghế chờ vào giờ cao điểm.",
        "C4": 2,
    }
    phone.goto(f"/ks/m/{code}")
    expect(phone.get_by_role("heading", name="Mã phiếu đã được dùng")).to_be_visible()
