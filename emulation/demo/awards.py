"""Demo commendation data: the province's default rulebook, and a few awards from the years
before the system, so unit pages show a history and the "consecutive years" rules have
something to read.

`load(admin)` is idempotent: the rulebook is matched by province and version, past awards
by unit, code and year.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from emulation.accounts.models import User
from emulation.commendation.models import Award, NominationSubject, Rulebook
from emulation.commendation.rulebook import default_rulebook
from emulation.core.extensions import db
from emulation.units.service import unit_by_code

VERSION = "2024"

# (unit code, award code, award name, year, decision number, decision date)
PAST_AWARDS = [
    ("SNV", "TTLDXS", "Tập thể lao động xuất sắc", 2022, "2105/QĐ-UBND", date(2022, 12, 28)),
    ("SNV", "TTLDXS", "Tập thể lao động xuất sắc", 2023, "2210/QĐ-UBND", date(2023, 12, 27)),
    (
        "HUYEN-109",
        "BK_TINH",
        "Bằng khen của Chủ tịch UBND tỉnh",
        2022,
        "1987/QĐ-UBND",
        date(2022, 12, 20),
    ),
    ("HUYEN-106", "CTD_TINH", "Cờ thi đua của UBND tỉnh", 2022, "2011/QĐ-UBND", date(2022, 12, 22)),
]


def load(admin: User | None = None) -> None:
    province = current_app.config.get("PROVINCE_NAME", "Lai Châu")
    exists = db.session.scalar(
        select(Rulebook).where(Rulebook.province == province, Rulebook.version == VERSION)
    )
    if exists is None:
        default_rulebook(province=province, effective_from=date(2024, 1, 1), version=VERSION)
    for code, award_code, name, year, number, signed_on in PAST_AWARDS:
        unit = unit_by_code(code)
        if unit is None:
            continue
        known = db.session.scalar(
            select(Award.id).where(
                Award.unit_id == unit.id, Award.award_code == award_code, Award.year == year
            )
        )
        if known is None:
            db.session.add(
                Award(
                    award_code=award_code,
                    award_name=name,
                    subject=NominationSubject.UNIT,
                    unit=unit,
                    year=year,
                    decision_number=number,
                    decision_date=signed_on,
                    counts_toward_higher=True,
                )
            )
    db.session.flush()
