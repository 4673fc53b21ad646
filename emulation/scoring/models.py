"""Scoring records: one sheet per unit and campaign, entries per stage, explanations,
cross-scoring assignments, declared conflicts and the append-only audit chain."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.accounts.models import User
from emulation.campaigns.models import Campaign
from emulation.core.clock import utcnow
from emulation.core.extensions import db
from emulation.criteria.models import POINTS, Criterion
from emulation.units.models import Unit


class Stage:
    """Where a sheet stands. Explanation requests run beside the leader review and appraisal."""

    SELF = "self"
    CROSS = "cross"
    LEADER = "leader"
    APPRAISAL = "appraisal"
    COUNCIL = "council"
    APPROVED = "approved"
    PUBLISHED = "published"
    ORDER = (SELF, CROSS, LEADER, APPRAISAL, COUNCIL, APPROVED, PUBLISHED)
    # Stages whose numbers are entered per scorer (several people score the same sheet).
    PER_SCORER = (CROSS, COUNCIL)
    LABELS = {
        SELF: _l("Tự chấm"),
        CROSS: _l("Chấm chéo"),
        LEADER: _l("Cụm trưởng xem xét"),
        APPRAISAL: _l("Thẩm định"),
        COUNCIL: _l("Hội đồng chấm"),
        APPROVED: _l("Hội đồng thông qua"),
        PUBLISHED: _l("Đã công bố"),
    }


class Aggregation:
    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"
    LABELS = {
        MEAN: _l("Trung bình cộng"),
        MEDIAN: _l("Trung vị"),
        TRIMMED_MEAN: _l("Trung bình bỏ điểm cao nhất và thấp nhất"),
    }


class ScoreSheet(db.Model):
    """A unit's scoring in a campaign, moving through the stages; locked once published."""

    __tablename__ = "score_sheets"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20), default=Stage.SELF)
    # Set when a later stage sends the sheet back: why, and from where.
    returned_reason: Mapped[str] = mapped_column(Text, default="")
    returned_from: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()
    unit: Mapped[Unit] = relationship()
    entries: Mapped[list[ScoreEntry]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def stage_label(self) -> str:
        return str(Stage.LABELS.get(self.stage, self.stage))

    @property
    def is_locked(self) -> bool:
        return self.stage == Stage.PUBLISHED


class ScoreEntry(db.Model):
    """One number for one criterion at one stage by one scorer.

    `value` keeps what was entered (a quantity, a level, a count…); `points` the leaf points
    the engine gave it, so totals can be summed in SQL. `scorer_key` is the scorer's user id
    for per-scorer stages and 0 where the stage has a single voice (self, leader, appraisal).
    """

    __tablename__ = "score_entries"
    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id", "stage", "scorer_key"),
        # Covers the totals query (emulation.scoring.totals): a stage's rows by sheet and scorer,
        # read from the index alone.
        Index(
            "ix_score_entries_totals", "stage", "sheet_id", "scorer_key", "criterion_id", "points"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))
    scorer_key: Mapped[int] = mapped_column(default=0)
    scorer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    value: Mapped[dict] = mapped_column(JSON, default=dict)
    points: Mapped[Decimal | None] = mapped_column(POINTS)
    note: Mapped[str] = mapped_column(Text, default="")
    # Each entry is edited on its own (inline), so each carries its own version.
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    sheet: Mapped[ScoreSheet] = relationship(back_populates="entries")
    criterion: Mapped[Criterion] = relationship()
    scorer: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Explanation(db.Model):
    """Giải trình: a reviewer asks about one criterion; the unit answers, with evidence."""

    __tablename__ = "explanations"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("score_sheets.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))
    question: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]
    # Evidence rows (progress report files) the unit points to, by id.
    evidence_ids: Mapped[list] = mapped_column(JSON, default=list)

    sheet: Mapped[ScoreSheet] = relationship()
    criterion: Mapped[Criterion] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class CrossAssignment(db.Model):
    """Chấm chéo: which unit scores which peer, drawn reproducibly from a seed."""

    __tablename__ = "cross_assignments"
    __table_args__ = (UniqueConstraint("campaign_id", "scorer_unit_id", "target_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    scorer_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    target_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    seed: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    scorer_unit: Mapped[Unit] = relationship(foreign_keys=[scorer_unit_id])
    target_unit: Mapped[Unit] = relationship(foreign_keys=[target_unit_id])


class ConflictDeclaration(db.Model):
    """A scorer declares they must not score a unit (family, former post, …)."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (UniqueConstraint("user_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    unit: Mapped[Unit] = relationship()


class ScoreEvent(db.Model):
    """Append-only record of every score change, chained by hashes.

    `hash` = sha256 over the previous event's hash and this event's fields (see
    emulation.scoring.audit); changing any stored row breaks the chain from that row on.
    """

    __tablename__ = "score_events"
    # A campaign's last event is its standings version token: (campaign_id, id) finds it
    # without reading the campaign's other events.
    __table_args__ = (Index("ix_score_events_campaign_last", "campaign_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))
    sheet_id: Mapped[int | None] = mapped_column(ForeignKey("score_sheets.id"), index=True)
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("criteria.id"))
    stage: Mapped[str] = mapped_column(String(20), default="")
    action: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    # Unique: two writers can never chain onto the same event (the chain cannot fork).
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    user: Mapped[User | None] = relationship()


class StandingSnapshot(db.Model):
    """The official ranks just before the latest publication, for the ↑ ↓ beside each unit."""

    __tablename__ = "standing_snapshots"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    rank: Mapped[int]
    total: Mapped[Decimal] = mapped_column(POINTS)
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
