import unicodedata
from datetime import date, datetime

from emulation.core.clock import format_date, format_datetime, parse_date
from emulation.core.i18n import format_number
from emulation.core.text import fold, sort_key


def test_vietnamese_is_the_default_language(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
    assert "Phong trào thi đua và khen thưởng tỉnh Lai Châu" in page


def test_switching_to_english_and_back(client):
    response = client.submit("/lang", {"lang": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sign in" in page
    client.submit("/lang", {"lang": "vi"})
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_english_error_page_after_switching(client):
    client.submit("/lang", {"lang": "en"})
    assert "Page not found" in client.get("/khong-co").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_foreign_redirects(client):
    response = client.submit("/lang", {"lang": "fr", "next": "//evil.example"})
    assert response.headers["Location"] == "/"
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


def test_dates_are_dd_mm_yyyy_in_vietnam_time():
    assert format_date(date(2023, 10, 30)) == "30/10/2023"
    assert format_datetime(datetime(2025, 12, 31, 18, 30)) == "01/01/2026 01:30"
    assert parse_date("5/6/2024") == date(2024, 6, 5)


def test_numbers_use_vietnamese_separators(app):
    with app.test_request_context():
        assert format_number(1234567.5, 1) == "1.234.567,5"


def test_vietnamese_alphabetical_order():
    names = ["Ứng", "Đào", "Dương", "Ân", "An", "Ăn", "Bình", "Ơn", "Ôn", "On"]
    assert sorted(names, key=sort_key) == [
        "An",
        "Ăn",
        "Ân",
        "Bình",
        "Dương",
        "Đào",
        "On",
        "Ôn",
        "Ơn",
        "Ứng",
    ]
    assert sorted(["Mà", "Ma", "Mạ", "Má", "Mã", "Mả"], key=sort_key) == [
        "Ma",
        "Mà",
        "Mả",
        "Mã",
        "Má",
        "Mạ",
    ]


def test_names_compare_word_by_word_and_numbers_by_value():
    # Communes of Mường Tè: "Ka" ends before "Kan" begins, whatever follows the space.
    communes = ["Xã Kan Hồ", "Xã Ka Lăng", "Xã Mù Cả", "Xã Mường Tè", "Xã Bum Tở", "Xã Bum Nưa"]
    assert sorted(communes, key=sort_key) == [
        "Xã Bum Nưa",
        "Xã Bum Tở",
        "Xã Ka Lăng",
        "Xã Kan Hồ",
        "Xã Mù Cả",
        "Xã Mường Tè",
    ]
    assert sorted(["Anh Dũng", "An Bình", "An"], key=sort_key) == ["An", "An Bình", "Anh Dũng"]
    teams = [
        "Đội Quản lý thị trường số 10",
        "Đội Quản lý thị trường số 2",
        "Đội Quản lý thị trường số 1",
    ]
    assert sorted(teams, key=sort_key) == [
        "Đội Quản lý thị trường số 1",
        "Đội Quản lý thị trường số 2",
        "Đội Quản lý thị trường số 10",
    ]
    assert sorted(["Phường 10", "Phường 9", "Phường 1"], key=sort_key) == [
        "Phường 1",
        "Phường 9",
        "Phường 10",
    ]
    # Composed and decomposed spellings of one name sort together.
    decomposed = unicodedata.normalize("NFD", "Xã Tả Lèng")
    assert sort_key(decomposed)[:2] == sort_key("Xã Tả Lèng")[:2]


def test_fold_makes_search_accent_free():
    assert fold("  Phường ĐOÀN   Kết ") == "phuong doan ket"


def test_numbers_are_read_as_people_type_them():
    from decimal import Decimal

    import pytest

    from emulation.core.numbers import parse_number

    assert parse_number("1.234,5") == Decimal("1234.5")
    assert parse_number("9,0") == Decimal("9.0")
    assert parse_number("9.5") == Decimal("9.5")
    assert parse_number("1.234.567") == Decimal("1234567")
    assert parse_number("1,234.5") == Decimal("1234.5")
    assert parse_number(" 12 000 ") == Decimal("12000")
    assert parse_number("") is None
    for bad in ["abc", "1,2,3", "NaN", "9..5"]:
        with pytest.raises(ValueError):
            parse_number(bad)


def test_an_english_sheet_writes_every_number_the_english_way(client, s):
    client.login("canbo")
    client.submit("/lang", {"lang": "en"})
    base = f"/sheets/{s['sheet'].id}/entries"
    client.htmx("POST", f"{base}/{s['grdp'].id}", {"value": "9,6", "version": "0"})
    client.htmx("POST", f"{base}/{s['ocop'].id}", {"value": "3", "version": "0"})
    page = client.get(f"/sheets/{s['sheet'].id}").get_data(as_text=True)
    explanation = page.split('class="explanation-lines"')[1].split("</details>")[0]
    assert "1.1 Tăng trưởng GRDP: reached 9.6/9% (106.7%) → 10 points" in explanation
    assert "1.2 Sản phẩm OCOP: 3 times × 2 = 6 points" in explanation
    assert "Total: 16 + 0 − 0 = 16 points" in explanation
    assert "16.00" in page
    for vietnamese in ("106,7", "16,00", "9,6", " %", "điểm", "đạt"):
        assert vietnamese not in explanation, vietnamese
    assert "16,00" not in page and "9,6 %" not in page
    # The input is filled with what reads back as the same number: no unit, no grouping.
    assert 'value="9.6"' in page and 'value="9.6%"' not in page


def test_a_vietnamese_sheet_keeps_the_vietnamese_explanation(client, s):
    client.login("canbo")
    base = f"/sheets/{s['sheet'].id}/entries"
    client.htmx("POST", f"{base}/{s['grdp'].id}", {"value": "9,6", "version": "0"})
    page = client.get(f"/sheets/{s['sheet'].id}").get_data(as_text=True)
    assert "1.1 Tăng trưởng GRDP: đạt 9,6/9 % (106,7 %) → 10 điểm" in page
    assert "10,00" in page
