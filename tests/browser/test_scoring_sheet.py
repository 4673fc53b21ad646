"""The scoring sheet in a real page: a number typed, every total follows without a reload."""

from playwright.sync_api import expect

from tests.browser.conftest import settled, sign_in
from tests.factories import PASSWORD


def test_typing_a_self_score_updates_group_and_sheet_totals(page, s):
    sign_in(page, "canbo", PASSWORD)
    page.goto(f"/sheets/{s['sheet'].id}")
    page.evaluate("window.__sameDocument = true")
    table = page.locator("#sheet-table")
    page.get_by_label("Số lần — 1.2").fill("3")
    page.get_by_label("Số lần — 1.2").press("Tab")
    expect(table.locator("tfoot tr").first).to_contain_text("6,00")  # 3 × 2 points
    group_row = table.locator(f"#crit-{s['ocop'].parent_id}")
    expect(group_row).to_contain_text("6,00")
    settled(page)

    page.get_by_label("Kết quả thực hiện — 1.1").fill("mười")
    page.get_by_label("Kết quả thực hiện — 1.1").press("Tab")
    expect(table.get_by_text("“mười” không phải là số")).to_be_visible()
    expect(page.get_by_label("Kết quả thực hiện — 1.1")).to_have_value("mười")
    settled(page)  # the row came back from the server; its input is wired once settled
    page.get_by_label("Kết quả thực hiện — 1.1").fill("9,9")
    page.get_by_label("Kết quả thực hiện — 1.1").press("Tab")
    expect(table.locator("tfoot tr").first).to_contain_text("16,00")
    assert page.evaluate("window.__sameDocument") is True
