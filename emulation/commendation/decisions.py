"""Decisions (quyết định khen thưởng): once the council's vote is closed, the standing office
records the decision for each award type that passed, and every nominee in it gets an Award."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from emulation.accounts.models import User
from emulation.campaigns.models import Campaign, CampaignForm
from emulation.commendation import meetings
from emulation.commendation.awards import _office_only
from emulation.commendation.models import Award, AwardType, Decision
from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.core.text import nfc, sort_key


def decisions(campaign: Campaign) -> list[Decision]:
    return sorted(
        db.session.scalars(select(Decision).where(Decision.campaign_id == campaign.id)),
        key=lambda d: (d.award_type.position, d.id),
    )


def decision_for(campaign: Campaign, award_type: AwardType) -> Decision | None:
    return db.session.scalar(
        select(Decision).where(
            Decision.campaign_id == campaign.id, Decision.award_type_id == award_type.id
        )
    )


def passed_by_type(campaign: Campaign) -> list[tuple[AwardType, list]]:
    """The nominees that passed the vote, per award type (tally rows), once voting closed."""
    meeting = meetings.meeting_of(campaign)
    if meeting is None or not meetings.is_closed(meeting):
        return []
    found: dict[int, tuple[AwardType, list]] = {}
    for row in meetings.tally(meeting):
        if row.passed:
            found.setdefault(row.award_type.id, (row.award_type, []))[1].append(row)
    return sorted(found.values(), key=lambda pair: pair[0].position)


def create_decision(
    campaign: Campaign,
    user: User,
    *,
    award_type: AwardType,
    number: str,
    signed_on: date,
    signer: str,
) -> Decision:
    """Record the decision for one award type; every nominee of that type who passed the
    council's vote gets an Award."""
    _office_only(user)
    number, signer = nfc(number), nfc(signer)
    if not number:
        raise DomainError(_("Cần nhập số quyết định."), "number")
    if not signer:
        raise DomainError(_("Cần nhập người ký."), "signer")
    if signed_on is None:
        raise DomainError(_("Cần nhập ngày ký."), "signed_on")
    passed = dict((t.id, rows) for t, rows in passed_by_type(campaign))
    if award_type.id not in passed:
        raise DomainError(
            _("Chưa có ai được Hội đồng thống nhất đề nghị %(award)s.", award=award_type.name),
            "award_type_id",
        )
    if decision_for(campaign, award_type) is not None:
        raise DomainError(
            _("Đã có quyết định khen thưởng %(award)s.", award=award_type.name), "award_type_id"
        )
    counts = award_type.counts_toward_higher and campaign.form != CampaignForm.THEMED
    decision = Decision(
        campaign=campaign,
        award_type=award_type,
        number=number,
        signed_on=signed_on,
        signer=signer,
        created_by_id=user.id,
    )
    db.session.add(decision)
    rows = sorted(passed[award_type.id], key=lambda r: sort_key(r.nomination.display_name))
    for row in rows:
        nomination = row.nomination
        decision.awards.append(
            Award(
                campaign_id=campaign.id,
                nomination_id=nomination.id,
                award_type_id=award_type.id,
                award_code=award_type.code,
                award_name=award_type.name,
                subject=nomination.subject,
                unit_id=nomination.unit_id,
                person_name=nomination.person_name,
                person_title=nomination.person_title,
                year=campaign.year,
                decision_number=number,
                decision_date=signed_on,
                counts_toward_higher=counts,
            )
        )
    return decision
