"""Vietnamese wording for explanations: numbers with a decimal comma, sanction names."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

SANCTION_TEXT = {
    "no_excellent": "không xếp loại Xuất sắc",
    "max_kha": "không xếp trên loại Khá",
    "down_one": "hạ một bậc xếp loại",
    "force_weak": "xếp loại Yếu",
}
MEASURE_TEXT = {"pct_satisfied": "% hài lòng", "mean": "điểm trung bình"}


def vn_number(value, places: int = 3) -> str:
    """9.5 → "9,5"; 1234.5 → "1.234,5": at most `places` decimals, half-up, no trailing zeros."""
    number = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


def vn_percent(fraction: Decimal) -> str:
    """1.0556 → "105,6 %"."""
    return f"{vn_number(fraction * 100, 1)} %"


def with_unit(value: Decimal, unit: str) -> str:
    """ "9,5 %", "3 vụ", or the bare number when there is no unit."""
    return f"{vn_number(value)} {unit}" if unit else vn_number(value)


def points_text(points: Decimal, section: str) -> str:
    """ "5 điểm", or "trừ 5 điểm" for a deduction item."""
    text = f"{vn_number(points)} điểm"
    return f"trừ {text}" if section == "deduction" else text


def sanction_text(kind: str) -> str:
    return SANCTION_TEXT.get(kind, kind)
