"""A citizen reads the posted nominees on a phone and comments; the standing office handles
the comment, and the answer appears on the public page."""

from __future__ import annotations

from playwright.sync_api import expect

from emulation.commendation import nominations
from emulation.commendation.models import PostingComment
from emulation.core.extensions import db
from tests.browser.conftest import sign_in
from tests.test_nominations import NAMES, published


def test_a_citizen_comments_on_the_posted_list_and_the_office_answers(phone, page, app):
    campaign, _units, admin = published()
    nominations.apply_proposals(campaign, admin)
    nominations.finalize(campaign, admin)
    db.session.commit()
    url = f"/campaigns/{campaign.slug}/cong-khai"

    phone.goto(url)
    expect(
        phone.get_by_role("heading", name="Công khai danh sách đề nghị khen thưởng")
    ).to_be_visible()
    expect(phone.get_by_role("heading", name="Cờ thi đua của UBND tỉnh (1)")).to_be_visible()
    expect(phone.get_by_text(NAMES[3], exact=True)).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"

    phone.get_by_label("Họ và tên (không bắt buộc)").fill("Lò Văn Dân")
    phone.get_by_role("button", name="Gửi ý kiến").click()
    expect(phone.get_by_text("Hãy nhập nội dung ý kiến.")).to_be_visible()
    expect(phone.get_by_label("Họ và tên (không bắt buộc)")).to_have_value("Lò Văn Dân")
    phone.get_by_label("Về đối tượng (không bắt buộc)").select_option(
        label=f"Giấy khen: {NAMES[3]}"
    )
    phone.get_by_label("Nội dung ý kiến").fill("Xã còn để tồn đọng hồ sơ đất đai của dân.")
    phone.get_by_role("button", name="Gửi ý kiến").click()
    expect(phone.get_by_text("Cảm ơn bạn đã góp ý.")).to_be_visible()
    comment = db.session.scalars(db.select(PostingComment)).one()
    assert comment.author_name == "Lò Văn Dân" and comment.nomination.unit.name == NAMES[3]
    expect(phone.get_by_text("Xã còn để tồn đọng hồ sơ")).to_have_count(0)  # not yet handled

    sign_in(page, "thuongtruc", "password123")
    page.goto(f"/campaigns/{campaign.slug}/awards/comments")
    expect(page.get_by_text("Còn 1 ý kiến của nhân dân chưa xử lý.")).to_be_visible()
    expect(page.get_by_text("Xã còn để tồn đọng hồ sơ đất đai của dân.")).to_be_visible()
    page.get_by_label("Tiếp thu", exact=True).check()
    page.get_by_label("Nội dung xử lý, trả lời").fill(
        "Đã giao Sở Nông nghiệp và Môi trường kiểm tra."
    )
    page.get_by_role("button", name="Lưu xử lý").click()
    expect(page.get_by_text("Trả lời:")).to_be_visible()
    expect(page.get_by_role("button", name="Lưu xử lý")).to_have_count(0)

    phone.reload()
    expect(phone.get_by_text("Đã giao Sở Nông nghiệp và Môi trường kiểm tra.")).to_be_visible()
    expect(phone.get_by_text("Xã còn để tồn đọng hồ sơ đất đai của dân.")).to_be_visible()
