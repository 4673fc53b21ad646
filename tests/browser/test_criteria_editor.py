"""The criteria editor in a real page: rows added inline, live sums, no reload."""

from playwright.sync_api import expect

from emulation.accounts.models import Role
from tests.browser.conftest import settled, sign_in
from tests.factories import PASSWORD, make_campaign, make_user


def test_add_a_group_and_a_criterion_inline_and_watch_the_sum(page):
    make_user("thuongtruc", Role.ADMIN)
    campaign = make_campaign(slug="cai-cach-hanh-chinh")
    sign_in(page, "thuongtruc", PASSWORD)
    page.goto(f"/campaigns/{campaign.slug}/criteria/")
    page.evaluate("window.__sameDocument = true")  # survives only if the page is not reloaded
    tree = page.locator("#criteria-tree")

    page.get_by_role("button", name="+ Thêm nhóm").click()
    form = page.locator("#criterion-form")
    settled(page)
    form.get_by_label("Mã").fill("1")
    form.get_by_label("Điểm tối đa").fill("10")
    form.get_by_label("Tên mục").fill("Công tác chỉ đạo, điều hành")
    form.get_by_role("button", name="Lưu").click()
    expect(tree.get_by_text("Đã lưu mục 1 – Công tác chỉ đạo, điều hành.")).to_be_visible()
    group_row = tree.locator("tbody tr", has_text="Công tác chỉ đạo, điều hành")
    expect(group_row.locator(".sum-check")).to_have_text("0 / 10")

    group_row.get_by_role("button", name="Thêm mục con vào 1").click()
    form = page.locator("#criterion-form")
    settled(page)
    expect(form).to_contain_text("Thêm mục con vào 1 – Công tác chỉ đạo, điều hành")
    form.get_by_label("Mã").fill("1.1")
    form.get_by_label("Điểm tối đa").fill("6,5")
    form.get_by_label("Tên mục").fill("Ban hành kế hoạch thực hiện đúng hạn")
    form.get_by_label("Cách chấm").select_option(label="Trừ dần từ điểm tối đa")
    expect(form.get_by_label("Điểm trừ mỗi lần")).to_have_value("0,5")  # swapped in by htmx
    settled(page)
    form.get_by_role("button", name="Lưu").click()

    expect(group_row.locator(".sum-check")).to_have_text("6,5 / 10")
    expect(tree.locator("tbody tr", has_text="Ban hành kế hoạch")).to_contain_text("6,5")
    expect(page.locator("#criterion-form")).to_have_count(0)

    # Too much for the group: the message sits by the field and what was typed stays.
    group_row.get_by_role("button", name="Thêm mục con vào 1").click()
    form = page.locator("#criterion-form")
    settled(page)
    form.get_by_label("Mã").fill("1.2")
    form.get_by_label("Điểm tối đa").fill("4")
    form.get_by_label("Tên mục").fill("Tổ chức sơ kết")
    form.get_by_label("Cách chấm").select_option(label="Đạt / không đạt")
    form.get_by_role("button", name="Lưu").click()
    expect(
        form.get_by_text("Tổng điểm tối đa các mục con (10,5) vượt điểm tối đa của mục cha (10).")
    ).to_be_visible()
    expect(form.get_by_label("Điểm tối đa")).to_have_value("4")
    settled(page)
    expect(form.get_by_label("Điểm tối đa")).to_be_focused()  # the cursor waits where the fix goes
    form.get_by_label("Điểm tối đa").fill("3,5")
    form.get_by_role("button", name="Lưu").click()
    expect(group_row.locator(".sum-check")).to_have_text("10 / 10")
    expect(group_row.locator(".sum-check")).to_have_class("sum-check full")

    assert page.evaluate("window.__sameDocument") is True
