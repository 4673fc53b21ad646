"""Leaderboards: every unit's rank in its cluster, provisional (submitted self-scores) or
official (published council results), with grade badges and movement since the previous
publication.

Totals come from emulation.scoring.totals — one aggregate query per campaign and stage, never a
query per unit. A board is memoized in the cache under the campaign's version token, and
the token itself is cached so an unchanged poll costs one cache read:

- the token is the campaign's last score event (every score change, stage move, return and
  settings change is one, see emulation.scoring.audit) and the criteria set's last change;
- every write that can change a score marks its campaign on the session (`touch`), and
  once the transaction commits the cached token is deleted (the after_commit hook below), so the next poll
  reads the new token from the database. With Redis (REDIS_URL) the cache is shared by all
  workers and the deletion reaches them all; with the per-process cache a worker may keep
  an old token for STANDINGS_TOKEN_TTL seconds at most.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask import current_app, has_app_context
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session, selectinload

from emulation.campaigns.models import Campaign, campaign_clusters
from emulation.core.clock import utcnow
from emulation.core.extensions import cache, db
from emulation.core.text import sort_key
from emulation.criteria.models import CriteriaSet
from emulation.scoring import rank, table_from_criteria_set
from emulation.scoring.models import ScoreEvent, Stage, StandingSnapshot
from emulation.scoring.sheets import publishing
from emulation.scoring.totals import stage_totals
from emulation.units.models import Cluster, Unit

OFFICIAL = "official"
PROVISIONAL = "provisional"
KINDS = (OFFICIAL, PROVISIONAL)
_TOUCHED = "standings_touched"


@dataclass(frozen=True)
class Row:
    rank: int
    unit_id: int
    name: str
    short_name: str
    total: Decimal
    grade: str | None
    dropped_by_quota: bool
    movement: int | None  # places gained since the previous publication; None: new or unknown
    sheet_id: int


@dataclass(frozen=True)
class Group:
    """One cluster's ranking (cluster_id None, no name: the units taking part on their own)."""

    cluster_id: int | None
    name: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Board:
    campaign_id: int
    kind: str
    token: str
    groups: tuple[Group, ...]
    computed_at: datetime
    max_total: Decimal
    grades: tuple[str, ...] = field(default_factory=tuple)

    @property
    def units(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    def group(self, cluster_id: int | None) -> Group | None:
        return next((g for g in self.groups if g.cluster_id == cluster_id), None)


# --- the version token ------------------------------------------------------------------------


def _token_key(slug: str) -> str:
    return f"standings:token:{slug}"


def token_from_database(campaign_id: int) -> str:
    """The campaign's last score event and the criteria set's last change, in one query."""
    last_event = (
        select(func.max(ScoreEvent.id))
        .where(ScoreEvent.campaign_id == campaign_id)
        .scalar_subquery()
    )
    criteria_changed = (
        select(CriteriaSet.updated_at)
        .where(CriteriaSet.campaign_id == campaign_id)
        .scalar_subquery()
    )
    event_id, changed = db.session.execute(select(last_event, criteria_changed)).one()
    stamp = int(changed.timestamp()) if changed else 0
    return f"{event_id or 0}-{stamp}"


def campaign_token(slug: str) -> tuple[int, str, str] | None:
    """(campaign id, status, token) for a slug, from the cache when it can; None if no such
    campaign. This is all an unchanged poll reads."""
    key = _token_key(slug)
    found = cache.get(key)
    if found is None:
        row = db.session.execute(
            select(Campaign.id, Campaign.status).where(Campaign.slug == slug)
        ).first()
        if row is None:
            return None
        found = (row.id, row.status, token_from_database(row.id))
        cache.set(key, found, timeout=current_app.config["STANDINGS_TOKEN_TTL"])
    return found


def touch(campaign_id: int | None) -> None:
    """Mark a campaign whose scores this transaction changes; its cached token goes on commit."""
    if campaign_id is not None:
        db.session.info.setdefault(_TOUCHED, set()).add(campaign_id)


@event.listens_for(CriteriaSet.updated_at, "set")
def _criteria_changed(criteria_set: CriteriaSet, value, old, initiator) -> None:
    """Every change to a criteria set stamps it (emulation.criteria.service): totals may move."""
    if has_app_context():
        touch(criteria_set.campaign_id)


@event.listens_for(ScoreEvent, "after_insert")
def _score_recorded(mapper, connection, score_event: ScoreEvent) -> None:
    """Every audit event may change a score or a stage: the leaderboards follow on commit."""
    touch(score_event.campaign_id)


@event.listens_for(Session, "after_commit")
def _invalidate_touched(session: Session) -> None:
    touched = session.info.pop(_TOUCHED, None)
    if not touched or not has_app_context():
        return
    slugs = session.info.pop("standings_slugs", {})
    for campaign_id in touched:
        slug = slugs.get(campaign_id)
        if slug is not None:
            cache.delete(_token_key(slug))


@event.listens_for(Session, "before_commit")
def _remember_slugs(session: Session) -> None:
    """Look the slugs up while the transaction is still open (after_commit may not query)."""
    touched = session.info.get(_TOUCHED)
    if touched:
        rows = session.execute(
            select(Campaign.id, Campaign.slug).where(Campaign.id.in_(touched))
        ).all()
        session.info["standings_slugs"] = dict(rows)


@event.listens_for(Session, "after_rollback")
def _forget_touched(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
    session.info.pop("standings_slugs", None)


# --- the boards -------------------------------------------------------------------------------


def board(campaign: Campaign, kind: str = OFFICIAL, token: str | None = None) -> Board:
    """The campaign's board of this kind, from the cache when the token has not moved.

    One request recomputes after a change; others asking meanwhile get the previous board
    (its own, older token tells their next poll to ask again) instead of all recomputing."""
    token = token or token_from_database(campaign.id)
    key = f"standings:board:{campaign.id}:{kind}:{token}"
    found = cache.get(key)
    if found is not None:
        return found
    latest_key = f"standings:latest:{campaign.id}:{kind}"
    lock = f"standings:computing:{campaign.id}:{kind}"
    if not cache.add(lock, token, timeout=60):
        latest = cache.get(latest_key)
        if latest is not None:
            return latest
    try:
        found = compute_board(campaign, kind, token)
        timeout = current_app.config["STANDINGS_BOARD_TTL"]
        cache.set(key, found, timeout=timeout)
        cache.set(latest_key, found, timeout=timeout)
    finally:
        cache.delete(lock)
    return found


def compute_board(campaign: Campaign, kind: str = OFFICIAL, token: str = "") -> Board:
    """Rank every cluster: official = published sheets, council results; provisional =
    self-scores of sheets whose self-scoring was submitted."""
    if campaign.criteria_set is None:
        return Board(campaign.id, kind, token, (), utcnow(), Decimal(0))
    table = table_from_criteria_set(campaign.criteria_set)
    if kind == OFFICIAL:
        found = stage_totals(campaign, Stage.COUNCIL)
        found = {k: t for k, t in found.items() if t.stage == Stage.PUBLISHED}
    else:
        found = stage_totals(campaign, Stage.SELF)
        found = {k: t for k, t in found.items() if t.stage != Stage.SELF}
    units = {
        u.id: u
        for u in db.session.scalars(
            select(Unit).where(Unit.id.in_([t.unit_id for t in found.values()]))
        )
    }
    previous = _previous_ranks(campaign) if kind == OFFICIAL else {}
    # The campaign's clusters with their members in two queries (not one per cluster).
    db.session.scalars(
        select(Cluster)
        .join(campaign_clusters, campaign_clusters.c.cluster_id == Cluster.id)
        .where(campaign_clusters.c.campaign_id == campaign.id)
        .options(selectinload(Cluster.members))
    ).all()
    cluster_of = {m.unit_id: c for c in campaign.clusters for m in c.members}
    by_cluster: dict[int | None, dict[int, object]] = defaultdict(dict)
    for total in found.values():
        cluster = cluster_of.get(total.unit_id)
        by_cluster[cluster.id if cluster else None][total.unit_id] = total
    names = {c.id: c.name for c in campaign.clusters}
    groups = []
    for cluster_id in sorted(by_cluster, key=lambda c: (c is None, sort_key(names.get(c, "")))):
        members = by_cluster[cluster_id]
        ranked = rank(
            {unit_id: t.result for unit_id, t in members.items()},
            table,
            display_key=lambda unit_id: sort_key(units[unit_id].name),
        )
        rows = tuple(
            Row(
                rank=entry.rank,
                unit_id=entry.key,
                name=units[entry.key].name,
                short_name=units[entry.key].short_name or units[entry.key].name,
                total=entry.total,
                grade=entry.grade,
                dropped_by_quota=entry.dropped_by_quota,
                movement=(previous[entry.key] - entry.rank if entry.key in previous else None),
                sheet_id=members[entry.key].sheet_id,
            )
            for entry in ranked
        )
        groups.append(Group(cluster_id, names.get(cluster_id, ""), rows))
    return Board(
        campaign.id,
        kind,
        token,
        tuple(groups),
        utcnow(),
        table.max_total,
        tuple(g.name for g in table.grades),
    )


# --- movement since the previous publication --------------------------------------------------


def _previous_ranks(campaign: Campaign) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(StandingSnapshot.unit_id, StandingSnapshot.rank).where(
                StandingSnapshot.campaign_id == campaign.id
            )
        ).all()
    )


@publishing.connect
def remember_ranks(campaign: Campaign) -> None:
    """Before a publication: keep the official ranks as they stand, for the ↑ ↓ after it."""
    current = compute_board(campaign, OFFICIAL)
    db.session.execute(delete(StandingSnapshot).where(StandingSnapshot.campaign_id == campaign.id))
    now = utcnow()
    for group in current.groups:
        for row in group.rows:
            db.session.add(
                StandingSnapshot(
                    campaign_id=campaign.id,
                    unit_id=row.unit_id,
                    rank=row.rank,
                    total=row.total,
                    taken_at=now,
                )
            )
    touch(campaign.id)
