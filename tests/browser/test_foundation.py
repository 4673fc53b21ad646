"""What htmx and the base layout do in a real page."""

from playwright.sync_api import expect

from emulation.accounts.models import Role
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, make_cluster, make_unit, make_user


def test_sign_in_and_out(page):
    make_user("thuongtruc", Role.ADMIN, full_name="Nguyễn Thị Thu Hà")
    sign_in(page, "thuongtruc", PASSWORD)
    expect(page.get_by_text("Xin chào Nguyễn Thị Thu Hà!")).to_be_visible()
    page.locator("summary", has_text="Nguyễn Thị Thu Hà").click()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()


def test_wrong_password_message_in_the_form(page):
    make_user("canbo")
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill("sai")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng.")).to_be_visible()
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("canbo")


def test_switch_language_and_back(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.get_by_role("button", name="VI").click()
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()


def test_unit_list_filters_as_you_type_without_reloading(page):
    make_user("thuongtruc", Role.ADMIN)
    for name in ["Phường Tân Phong", "Phường Đoàn Kết", "Xã Bình Lư", "Sở Y tế"]:
        make_unit(name)
    sign_in(page, "thuongtruc", PASSWORD)
    page.goto("/units/")
    rows = page.locator("#unit-table tbody tr")
    expect(rows).to_have_count(4)
    page.evaluate("window.__sameDocument = true")  # survives only if the page is not reloaded

    page.get_by_placeholder("Tìm theo tên hoặc mã").press_sequentially("tan phong", delay=30)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Phường Tân Phong")
    page.get_by_placeholder("Tìm theo tên hoặc mã").fill("")
    expect(rows).to_have_count(4)
    assert page.evaluate("window.__sameDocument") is True


def test_adding_a_cluster_member_swaps_the_panel_in_place(page):
    make_user("thuongtruc", Role.ADMIN)
    make_unit("Phường Tân Phong")
    cluster = make_cluster("Cụm thi đua các xã, phường số 1", year=2026)
    sign_in(page, "thuongtruc", PASSWORD)
    page.goto(f"/clusters/{cluster.id}")
    page.evaluate("window.__sameDocument = true")
    page.locator("#members").get_by_label("Đơn vị").select_option(label="Phường Tân Phong")
    page.get_by_label("Vị trí", exact=True).select_option(label="Cụm trưởng")
    page.get_by_role("button", name="Thêm vào cụm, khối").click()
    expect(page.locator("#members tbody")).to_contain_text("Phường Tân Phong")
    expect(
        page.get_by_text("Đã thêm Phường Tân Phong vào Cụm thi đua các xã, phường số 1.")
    ).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True


def test_phone_layout_keeps_the_unit_page_readable(phone):
    unit = make_unit("Phường Tân Phong")
    make_user("canbo", unit=unit)
    sign_in(phone, "canbo", PASSWORD)
    phone.goto(f"/units/{unit.id}")
    expect(phone.get_by_role("heading", name="Phường Tân Phong")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"


def test_a_refused_htmx_action_is_explained_on_the_page(page):
    make_user("thuongtruc", Role.ADMIN)
    make_unit("Phường Tân Phong")
    cluster = make_cluster("Cụm thi đua các xã, phường số 1", year=2026)
    sign_in(page, "thuongtruc", PASSWORD)
    page.goto(f"/clusters/{cluster.id}")
    # The session's token goes stale (as after a long pause and a restart): the server says 400.
    page.evaluate(
        "document.body.setAttribute('hx-headers', JSON.stringify({'X-CSRFToken': 'het-han'}));"
        "document.querySelectorAll('input[name=csrf_token]').forEach(i => i.value = 'het-han')"
    )
    page.locator("#members").get_by_label("Đơn vị").select_option(label="Phường Tân Phong")
    page.get_by_role("button", name="Thêm vào cụm, khối").click()
    expect(page.get_by_role("alert")).to_contain_text("Phiên làm việc đã hết hạn")
