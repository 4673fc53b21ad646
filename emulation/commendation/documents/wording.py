"""Dates, times and counts as Vietnamese administrative documents write them (numbers come
from emulation.core.numbers with the locale "vi": documents stay Vietnamese)."""

from __future__ import annotations

from datetime import date, datetime, time

BLANK = "…………"


def long_date(day: date | None) -> str:
    """ "ngày 05 tháng 12 năm 2026": days below 10 and the months 1 and 2 take a leading zero
    (Nghị định 30/2020/NĐ-CP, Phụ lục I); None leaves the day to be written by hand."""
    if day is None:
        return "ngày …… tháng …… năm ……"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: date | None) -> str:
    """ "Lai Châu, ngày 05 tháng 12 năm 2026"."""
    return f"{place}, {long_date(day)}"


def clock(moment: time | datetime) -> str:
    """ "14 giờ 00 phút"."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút"


def count(n: int) -> str:
    """ "03": counts below ten take a leading zero, as in the lists of tờ trình."""
    return f"{n:02d}"


def or_blank(text: str | None) -> str:
    """The text, or dots to write it in by hand."""
    return text.strip() if text and text.strip() else BLANK


def people(collectives: int, individuals: int) -> str:
    """ "03 tập thể và 02 cá nhân", leaving out a zero side."""
    parts = []
    if collectives:
        parts.append(f"{count(collectives)} tập thể")
    if individuals:
        parts.append(f"{count(individuals)} cá nhân")
    return " và ".join(parts) or "00 tập thể, cá nhân"
