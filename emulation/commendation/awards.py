"""Decisions (quyết định khen thưởng) and the award history of units and people.

A decision lists the nominees of one award type that passed the council's vote and creates
their Award rows. History reads those rows across years; awards from before the system are
recorded by hand. An award counts toward higher awards unless its type says not, and never
when it closed a chuyên đề campaign (NĐ 98 Điều 4).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from emulation.accounts.models import User
from emulation.campaigns.models import Campaign
from emulation.commendation.models import Award, AwardType, NominationSubject
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.text import fold, nfc
from emulation.units.models import Unit


def _office_only(user: User) -> None:
    if not user.is_authenticated or not user.is_admin:
        raise NotAllowed(_("Chỉ Thường trực Hội đồng được thực hiện thao tác này."))


# --- history ----------------------------------------------------------------------------------


def _newest_first(awards) -> list[Award]:
    return sorted(awards, key=lambda a: (a.year, a.decision_date or date.min, a.id), reverse=True)


def history_of_unit(unit_id: int) -> list[Award]:
    """The unit's own (collective) awards, newest year first."""
    return _newest_first(
        db.session.scalars(
            select(Award).where(Award.unit_id == unit_id, Award.subject == NominationSubject.UNIT)
        )
    )


def people_awards_of_unit(unit_id: int) -> list[Award]:
    """Awards of the unit's people and models, newest year first."""
    return _newest_first(
        db.session.scalars(
            select(Award).where(Award.unit_id == unit_id, Award.subject != NominationSubject.UNIT)
        )
    )


def awards_of_campaign(campaign: Campaign) -> list[Award]:
    """Every award decided for the campaign, by decision then in the decision's order."""
    return list(
        db.session.scalars(
            select(Award)
            .where(Award.campaign_id == campaign.id)
            .order_by(Award.decision_id, Award.id)
        )
    )


def counting_years(unit_id: int, award_code: str, person_name: str = "") -> set[int]:
    """Years in which the unit (or the person) received this award in a way that counts."""
    stmt = select(Award).where(
        Award.unit_id == unit_id, Award.award_code == award_code, Award.counts_toward_higher
    )
    if person_name:
        wanted = fold(person_name)
        return {
            a.year
            for a in db.session.scalars(stmt.where(Award.subject != NominationSubject.UNIT))
            if fold(a.person_name) == wanted
        }
    return set(
        db.session.scalars(
            select(Award.year)
            .where(
                Award.unit_id == unit_id,
                Award.award_code == award_code,
                Award.counts_toward_higher,
                Award.subject == NominationSubject.UNIT,
            )
            .distinct()
        )
    )


def streak(years: set[int], year: int) -> list[int]:
    """The run of consecutive years ending in `year`, or in the year before when `year` has
    none yet (this year's award may still be pending)."""
    end = year if year in years else year - 1
    run = []
    while end in years:
        run.append(end)
        end -= 1
    return sorted(run)


def requirement_gap(
    award_type: AwardType, unit_id: int, year: int, person_name: str = ""
) -> str | None:
    """Why the history falls short of the type's "requires" rule, or None when it does not."""
    requires = (award_type.eligibility or {}).get("requires")
    if not requires:
        return None
    code, needed = requires.get("award", ""), int(requires.get("years") or 0)
    run = streak(counting_years(unit_id, code, person_name), year)
    if len(run) >= needed:
        return None
    name = award_type.rulebook.type_by_code(code)
    label = name.name if name is not None else code
    if run:
        return _(
            "Cần %(n)s năm liên tục đạt %(award)s; mới có %(have)s (%(years)s).",
            n=needed,
            award=label,
            have=len(run),
            years=", ".join(str(y) for y in run),
        )
    return _("Cần %(n)s năm liên tục đạt %(award)s; chưa có năm nào.", n=needed, award=label)


def can_record_past_award(user: User) -> bool:
    """Awards from before the system (or from another body) are recorded by the standing office."""
    return user.is_authenticated and user.is_admin


def can_delete_past_award(user: User, award: Award) -> bool:
    """The standing office, for an award recorded by hand (one from a decision stays)."""
    return can_record_past_award(user) and award.decision_id is None


def record_past_award(
    user: User,
    *,
    unit: Unit,
    award_code: str,
    award_name: str,
    year: int,
    person_name: str = "",
    person_title: str = "",
    decision_number: str = "",
    decision_date: date | None = None,
    counts_toward_higher: bool = True,
) -> Award:
    """An award from before the system (or from another body), for the history."""
    if not can_record_past_award(user):
        raise NotAllowed(_("Chỉ Thường trực Hội đồng được thực hiện thao tác này."))
    award_code, award_name = nfc(award_code).upper(), nfc(award_name)
    if not award_code:
        raise DomainError(_("Cần nhập mã hình thức khen thưởng."), "award_code")
    if not award_name:
        raise DomainError(_("Cần nhập tên hình thức khen thưởng."), "award_name")
    if not 1990 <= year <= 2100:
        raise DomainError(_("Năm không hợp lệ."), "year")
    award = Award(
        award_code=award_code,
        award_name=award_name,
        subject=NominationSubject.PERSON if nfc(person_name) else NominationSubject.UNIT,
        unit=unit,
        person_name=nfc(person_name),
        person_title=nfc(person_title),
        year=year,
        decision_number=nfc(decision_number),
        decision_date=decision_date,
        counts_toward_higher=counts_toward_higher,
    )
    db.session.add(award)
    return award


def delete_past_award(user: User, award: Award) -> None:
    if not can_delete_past_award(user, award):
        _office_only(user)  # the office's; and then not one that came with a decision
        raise NotAllowed(_("Khen thưởng theo quyết định trong hệ thống không xóa riêng được."))
    db.session.delete(award)


# --- decisions --------------------------------------------------------------------------------
