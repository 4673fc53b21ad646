"""One clock: every date a person sees is the date in Vietnam, whatever zone the server runs in.

New Year's first minute in Hà Nội is still 31/12 in UTC (17:01): a date taken from the server
zone shows the old year there. `make test` also runs the date-dependent modules with the clock
stopped at 23:59 and at 00:01 Vietnam time (`pytest --clock HH:MM`)."""

from datetime import UTC, date, datetime

import time_machine

from emulation.accounts.models import Role
from emulation.core.clock import VIETNAM, format_datetime, local_today, utcnow
from emulation.core.extensions import db
from tests.factories import make_user

# Given in UTC, so the process keeps its own zone (a ZoneInfo destination would switch it).
NEW_YEAR = datetime(2027, 1, 1, 0, 1, tzinfo=VIETNAM).astimezone(UTC)  # 2026-12-31 17:01


def test_today_is_the_vietnamese_day_in_the_first_minute_of_the_year():
    with time_machine.travel(NEW_YEAR, tick=False):
        assert datetime.now(UTC).date() == date(2026, 12, 31)
        assert local_today() == date(2027, 1, 1)
        assert format_datetime(utcnow()) == "01/01/2027 00:01"


def test_pages_open_on_this_year_in_vietnam(client):
    make_user("admin", Role.ADMIN)
    db.session.commit()
    client.login("admin")
    with time_machine.travel(NEW_YEAR, tick=False):
        page = client.get("/clusters/").get_data(as_text=True)
        assert "Cụm, khối thi đua năm 2027" in page
        form = client.get("/clusters/new").get_data(as_text=True)
        assert 'name="year"' in form and 'value="2027"' in form  # a new cluster is for 2027


def test_the_last_minute_of_the_year_is_still_that_year(client):
    make_user("admin", Role.ADMIN)
    db.session.commit()
    client.login("admin")
    with time_machine.travel(datetime(2026, 12, 31, 16, 59, tzinfo=UTC), tick=False):
        assert local_today() == date(2026, 12, 31)
        assert "Cụm, khối thi đua năm 2026" in client.get("/clusters/").get_data(as_text=True)
