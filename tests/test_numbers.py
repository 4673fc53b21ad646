import time
from decimal import Decimal

import pytest

from emulation.core.numbers import format_decimal, format_percent, format_plain, parse_number
from emulation.scoring import round_to_step

D = Decimal


def test_reads_numbers_as_people_type_them_here():
    assert parse_number("1.234,5") == D("1234.5")
    assert parse_number("9,0") == D("9.0")
    assert parse_number("9.5") == D("9.5")
    assert parse_number("1 234") == D("1234")
    assert parse_number("1\u00a0234,75") == D("1234.75")
    assert parse_number("1,234.5") == D("1234.5")
    assert parse_number("-1.500") == D("-1500")
    assert parse_number("  ") is None
    assert parse_number(None) is None


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1,2,3",
        "9..5",
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "sNaN",
        "1_000",
        "0x10",
        "1e999999999",
        "1e-999999999",
        "0e999999999",
        "9" * 5000,
        "1" * 16,
        "0," + "1" * 16,
    ],
)
def test_refuses_what_is_not_a_sensible_number(text):
    started = time.perf_counter()
    with pytest.raises(ValueError):
        parse_number(text)
    assert time.perf_counter() - started < 1  # refused at once, not after a long computation


def test_accepts_numbers_up_to_the_bounds():
    assert parse_number("9" * 15) == D("9" * 15)
    assert parse_number("0," + "1" * 15) == D("0." + "1" * 15)


def test_decimals_in_vietnamese_and_english():
    assert format_decimal(D("1234.5"), "vi", 1) == "1.234,5"
    assert format_decimal(D("1234.5"), "en", 1) == "1,234.5"
    assert format_decimal(D("1234567"), "vi") == "1.234.567"
    assert format_decimal(D("9.5"), "vi", 2) == "9,50"
    assert format_decimal(D("9.5"), "en", 2) == "9.50"
    assert format_decimal(D("9.5"), "vi", 3, minimum=0) == "9,5"
    assert format_decimal(D("-2.50"), "en", 3, minimum=0) == "-2.5"
    assert format_decimal(1234.5, "vi", 2, grouping=False) == "1234,50"
    assert format_decimal(None, "vi") == ""


def test_rounding_is_half_up_like_the_engine():
    # Babel on its own rounds half to even: 0,125 would show as 0,12.
    assert format_decimal(D("0.125"), "vi", 2) == "0,13"
    assert format_decimal(D("2.5"), "en") == "3"
    assert format_decimal(D("-0.125"), "en", 2) == "-0.13"
    assert format_decimal(2.675, "en", 2) == "2.68"  # a float by its repr, not its binary tail
    assert format_decimal(D("-0.001"), "vi", 2) == "0,00"  # never "-0,00"
    assert format_percent(D("7.05"), "vi") == "7,1 %"
    # What a division leaves is rounded as the engine rounds it, not a hundredth lower.
    tail = D(57) / D(8) - D("1e-25")  # 7.12499…9
    assert (
        format_decimal(tail, "vi", 2)
        == "7,13"
        == format_decimal(round_to_step(tail, D("0.01")), "vi", 2)
    )


def test_percent_in_vietnamese_and_english():
    assert format_percent(D("7.1"), "vi") == "7,1 %"
    assert format_percent(D("7.1"), "en") == "7.1%"
    assert format_percent(D("105.56"), "vi", 1) == "105,6 %"
    assert format_percent(1234.5, "en", 0) == "1,235%"
    assert format_percent(D("70"), "vi", 2, minimum=0) == "70 %"
    assert format_percent(None, "en") == ""


def test_plain_numbers_read_back_in_either_language():
    assert format_plain(D("9.5"), "vi") == "9,5"
    assert format_plain(D("9.5"), "en") == "9.5"
    assert format_plain(D("1200.00"), "vi") == "1200"
    assert format_plain(D("0.000"), "en") == "0"
    assert format_plain(None, "vi") == ""
    for value in ["1.234", "1234.5", "0.25", "-12.125", "1500", "0.001"]:
        for locale in ("vi", "en"):
            assert parse_number(format_plain(D(value), locale)) == D(value), (value, locale)
