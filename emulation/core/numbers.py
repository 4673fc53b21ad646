"""Numbers read as people type them here and written the way each language writes them.

Reading does not depend on the language: "1.234,5", "9,0", "9.5" and "1 234" all mean what
a Vietnamese office means by them. Writing takes the locale as an argument ("vi", "en"), so
the pure scoring engine and the official documents use it without a request; pages go
through emulation.core.i18n, which passes the request's locale.

Rounding is half-up (Decimal ROUND_HALF_UP), as the scoring engine rounds, so a page never
shows a value rounded differently from how it was computed; Babel alone would round half
to even.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_decimal as babel_decimal
from babel.numbers import get_decimal_symbol

# Nobody types more than this; longer text is refused before Decimal sees it.
MAX_TEXT = 40
# Magnitudes beyond these are typing mistakes, and quantizing them could take forever.
MAX_INTEGER_DIGITS = 15
MAX_DECIMAL_PLACES = 15

# Tails below this are what division leaves (the engine's NOISE).
NOISE = Decimal("1e-10")

_THOUSANDS_DOTS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
# Vietnamese puts a space before the per cent sign (TCVN); CLDR's pattern does not.
_PERCENT_SUFFIX = {"vi": " %"}


def parse_number(text: str | None) -> Decimal | None:
    """A number as people type it here: "1.234,5", "9,0", "9.5", "1 234". Empty → None.

    A dot followed by groups of exactly three digits is a thousands separator (Vietnamese
    style); a single comma is the decimal mark; with both, the last one is the decimal
    mark. Raises ValueError when it is not a number, or not a sensible one (NaN, infinity,
    more than 15 digits before or after the decimal mark).
    """
    text = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if len(text) > MAX_TEXT:
        raise ValueError(text[:MAX_TEXT] + "…")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text:
        if text.count(",") > 1:
            raise ValueError(text)
        text = text.replace(",", ".")
    elif _THOUSANDS_DOTS.match(text):
        text = text.replace(".", "")
    if not _PLAIN.match(text):  # Decimal alone would take "NaN", "Infinity" and "1_000"
        raise ValueError(text)
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if value.adjusted() >= MAX_INTEGER_DIGITS or _places(value) > MAX_DECIMAL_PLACES:
        raise ValueError(text)
    return value


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _decimal(value) -> Decimal:
    """Decimal from what templates and charts hand over; a float (or a numpy number from a
    chart axis) by its shortest repr, so 2.675 stays 2.675."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | str):
        return Decimal(value)
    return Decimal(repr(float(value)))


def half_up(value, places: int) -> Decimal:
    """The value rounded to `places` decimals, halves away from zero. Like the scoring
    engine's round_to_step, a division's tail (7.12499…9) is cut at ten decimals first, so
    a total shows as the engine would round it."""
    value = _decimal(value)
    if isinstance(value.as_tuple().exponent, int) and value.as_tuple().exponent < -10:
        value = value.quantize(NOISE)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_decimal(
    value, locale: str, places: int = 0, minimum: int | None = None, *, grouping: bool = True
) -> str:
    """Grouped, rounded half-up to `places` decimals: "1.234,50" in "vi", "1,234.50" in "en".

    `minimum` (default: `places`) is how many decimals always show; fewer lets trailing
    zeros drop: format_decimal(9.5, "vi", 3, minimum=0) → "9,5". Without grouping for
    spreadsheet columns ("1234,50"). None → ""."""
    if value is None:
        return ""
    minimum = places if minimum is None else min(minimum, places)
    pattern = ("#,##0" if grouping else "0") + (
        "." + "0" * minimum + "#" * (places - minimum) if places else ""
    )
    rounded = half_up(value, places)
    if not rounded:
        rounded = abs(rounded)  # no "-0"
    return babel_decimal(rounded, format=pattern, locale=locale, decimal_quantization=False)


def format_percent(value, locale: str, places: int = 1, minimum: int | None = None) -> str:
    """Per cent points as each language writes them: 7.1 → "7,1 %" in "vi", "7.1%" in "en"."""
    if value is None:
        return ""
    number = format_decimal(value, locale, places, minimum)
    return number + _PERCENT_SUFFIX.get(_language(locale), "%")


def format_plain(value, locale: str) -> str:
    """A stored decimal to edit in a form: every significant decimal, no grouping.

    9.5 → "9,5" in "vi", "9.5" in "en"; 1200.00 → "1200". It always reads back through
    parse_number: where "1.234" would read as a thousand, English keeps a zero ("1.2340").
    """
    if value is None or value == "":
        return ""
    text = format(_decimal(value).normalize(), "f")
    if text in ("-0", "0"):
        return "0"
    mark = get_decimal_symbol(locale)
    if mark == "." and _THOUSANDS_DOTS.match(text):
        text += "0"
    return text.replace(".", mark)


def _language(locale) -> str:
    return str(locale).split("_")[0].split("-")[0]
