"""Time helpers: stored times are naive UTC; people see Vietnam time, dd/mm/yyyy."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """Now in UTC, naive, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A stored (naive UTC) time in Vietnam time."""
    return moment.replace(tzinfo=UTC).astimezone(VIETNAM)


def format_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy, the only date format people here read without thinking."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time."""
    if value is None:
        return ""
    return to_local(value).strftime("%d/%m/%Y %H:%M")


def parse_date(text: str) -> date:
    """Read dd/mm/yyyy (also d/m/yyyy and ISO yyyy-mm-dd); ValueError otherwise."""
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def local_today() -> date:
    """Today's date in Vietnam: phase windows open and close on local days."""
    return datetime.now(VIETNAM).date()
