"""The wrap-up page in a real page: the standing office writes the review in place."""

from playwright.sync_api import expect

from tests.browser.conftest import settled, sign_in
from tests.factories import PASSWORD
from tests.test_wrapup import publish, setting


def test_the_office_writes_the_lessons_in_place_and_visitors_read_them(browser, live_server, page):
    s = setting()
    publish(s)
    sign_in(page, "thuongtruc", PASSWORD)
    page.goto(f"/campaigns/{s['campaign'].slug}/tong-ket")
    page.evaluate("window.__sameDocument = true")  # survives only if the page is not reloaded
    review = page.locator("#danh-gia")
    expect(review).to_contain_text("Thường trực Hội đồng chưa viết phần đánh giá tổng kết")

    review.get_by_role("button", name="Sửa phần đánh giá").click()
    expect(review.get_by_label("Bài học kinh nghiệm")).to_be_visible()
    settled(page)
    review.get_by_label("Bài học kinh nghiệm").fill(
        "Người đứng đầu trực tiếp chỉ đạo, gương mẫu tham gia phong trào."
    )
    review.get_by_role("button", name="Lưu phần đánh giá").click()
    expect(review).to_contain_text("Đã lưu phần đánh giá tổng kết.")
    expect(review).to_contain_text(
        "Người đứng đầu trực tiếp chỉ đạo, gương mẫu tham gia phong trào."
    )
    expect(review.get_by_label("Bài học kinh nghiệm")).to_have_count(0)
    assert page.evaluate("window.__sameDocument") is True

    visitor = browser.new_page(base_url=live_server)
    visitor.goto(f"/campaigns/{s['campaign'].slug}/tong-ket")
    expect(visitor.locator("#danh-gia")).to_contain_text("gương mẫu tham gia phong trào")
    expect(visitor.get_by_role("button", name="Sửa phần đánh giá")).to_have_count(0)
    visitor.close()
