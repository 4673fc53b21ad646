"""One unit on the leaderboards: its points per criteria group and its results over time."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from emulation.campaigns.models import Campaign
from emulation.core.extensions import db
from emulation.scoring import table_from_criteria_set
from emulation.scoring.models import ScoreSheet, Stage
from emulation.scoring.rules import section_of
from emulation.scoring.sheets import stage_result
from emulation.standings.service import OFFICIAL, Group, Row, board


@dataclass(frozen=True)
class ProfileItem:
    code: str
    title: str
    section: str
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class Profile:
    row: Row
    group: Group
    items: tuple[ProfileItem, ...]


def unit_profile(campaign: Campaign, unit_id: int, kind: str = OFFICIAL) -> Profile | None:
    """A unit's place on the board and its points per top-level criteria group against the
    group's maximum; None when the unit is not on this board."""
    current = board(campaign, kind)
    for group in current.groups:
        row = next((r for r in group.rows if r.unit_id == unit_id), None)
        if row is not None:
            break
    else:
        return None
    sheet = db.session.get(ScoreSheet, row.sheet_id)
    result = stage_result(sheet, Stage.COUNCIL if kind == OFFICIAL else Stage.SELF)
    table = table_from_criteria_set(campaign.criteria_set)
    items = tuple(
        ProfileItem(
            rule.code,
            rule.title,
            section_of(rule),
            (result.points.get(rule.code, Decimal(0)) if result else Decimal(0)),
            rule.max_points,
        )
        for rule in table.roots
    )
    return Profile(row, group, items)


@dataclass(frozen=True)
class HistoryPoint:
    campaign: Campaign
    total: Decimal
    grade: str | None
    rank: int


def unit_history(unit_id: int) -> list[HistoryPoint]:
    """The unit's official results campaign after campaign (published sheets), oldest first."""
    campaigns = db.session.scalars(
        select(Campaign)
        .join(ScoreSheet, ScoreSheet.campaign_id == Campaign.id)
        .where(ScoreSheet.unit_id == unit_id, ScoreSheet.stage == Stage.PUBLISHED)
        .order_by(Campaign.start_date)
    )
    points = []
    for campaign in campaigns:
        for group in board(campaign, OFFICIAL).groups:
            row = next((r for r in group.rows if r.unit_id == unit_id), None)
            if row is not None:
                points.append(HistoryPoint(campaign, row.total, row.grade, row.rank))
    return points
