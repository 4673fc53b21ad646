"""The showcase on a phone: a visitor filters the gallery in place and opens a profile."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_unit
from tests.test_showcase import make_profile
from tests.test_showcase_web import _photo, dan_van_model


@pytest.fixture(autouse=True)
def showcase_dir(app, tmp_path):
    app.config["SHOWCASE_DIR"] = str(tmp_path / "showcase")


def test_a_visitor_on_a_phone_filters_the_gallery_and_opens_a_profile(phone):
    model = dan_van_model()
    _photo(model, caption="Người dân cùng làm đường liên thôn", size=(1800, 1200))
    make_profile(
        kind="unit",
        title="",
        unit=make_unit("Văn phòng UBND tỉnh"),
        field="chuyen_doi_so",
        year=2023,
        headline="Họp không giấy",
        story="Văn bản điện tử có chữ ký số.",
    )
    make_profile(
        kind="person",
        title="",
        person_name="Vàng Thị Mai",
        field="van_hoa_xa_hoi",
        year=2024,
        story="Mười năm bám bản.",
    )

    phone.goto("/showcase/")
    phone.evaluate("window.__sameDocument = true")
    cards = phone.locator("#showcase-results .sc-card")
    expect(cards).to_have_count(3)

    phone.get_by_label("Lĩnh vực").select_option(label="Chuyển đổi số")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Văn phòng UBND tỉnh")
    expect(phone).to_have_url(re.compile(r"/showcase/\?.*field=chuyen_doi_so"))

    phone.get_by_label("Lĩnh vực").select_option(value="")
    expect(cards).to_have_count(3)
    phone.get_by_label("Tìm điển hình").fill("hien dat lam duong")  # typed without accents
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Dân vận khéo")
    expect(phone.locator("#showcase-results")).to_contain_text("1 điển hình")
    assert phone.evaluate("window.__sameDocument") is True  # updated in place, no reload
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows

    cards.first.get_by_role("link").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(model.name)
    expect(phone.get_by_text("Nhân rộng: 2 đơn vị đã áp dụng mô hình")).to_be_visible()
    expect(phone.get_by_text("Bằng khen của Chủ tịch UBND tỉnh năm 2025")).to_be_visible()
    photo = phone.get_by_role("img", name="Người dân cùng làm đường liên thôn")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert photo.bounding_box()["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.go_back()
    expect(phone.get_by_label("Tìm điển hình")).to_have_value("hien dat lam duong")
    expect(cards).to_have_count(1)
