"""Criteria sets (bảng tiêu chí, thang điểm): a tree of groups, criteria and sub-criteria.

Every number a scoring rule uses lives here as data: maxima, scoring types and their
parameters, caps, sanctions, rounding, grade thresholds, quotas and the tie-break order.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.core.clock import utcnow
from emulation.core.extensions import db

POINTS = Numeric(8, 3)


class CriteriaSet(db.Model):
    """The scoring table of one campaign, with its grading rules."""

    __tablename__ = "criteria_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), unique=True
    )
    rounding_step: Mapped[Decimal | None] = mapped_column(POINTS)
    bonus_cap: Mapped[Decimal | None] = mapped_column(POINTS)
    deduction_cap: Mapped[Decimal | None] = mapped_column(POINTS)
    # [{"name": "Xuất sắc", "min": 90, "quota_pct": 25}, …] from the best grade down.
    grades: Mapped[list] = mapped_column(JSON, default=list)
    # ["total", "bonus", "group:3"]: what breaks a tie, in order.
    tie_break: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    campaign = relationship("Campaign", backref=db.backref("criteria_set", uselist=False))
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="criteria_set",
        cascade="all, delete-orphan",
        order_by="(Criterion.position, Criterion.id)",
    )

    @property
    def roots(self) -> list[Criterion]:
        return [c for c in self.criteria if c.parent is None]


class Criterion(db.Model):
    """A node of the tree. Leaves carry a scoring type; inner nodes add up their children."""

    __tablename__ = "criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(
        ForeignKey("criteria_sets.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("criteria.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    # Only on top-level groups: "base", "bonus" (điểm thưởng) or "deduction" (điểm trừ).
    section: Mapped[str | None] = mapped_column(String(12))
    max_points: Mapped[Decimal] = mapped_column(POINTS, default=0)
    scoring_type: Mapped[str] = mapped_column(String(20), default="sum")
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    guidance: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_required: Mapped[bool] = mapped_column(default=False)
    unit_of_measure: Mapped[str] = mapped_column(String(40), default="")
    # For deduction items: what else happens to the grade (see emulation.criteria.SANCTIONS).
    sanction: Mapped[str | None] = mapped_column(String(20))

    criteria_set: Mapped[CriteriaSet] = relationship(back_populates="criteria")
    parent: Mapped[Criterion | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Criterion]] = relationship(
        back_populates="parent", order_by="(Criterion.position, Criterion.id)"
    )

    @property
    def depth(self) -> int:
        depth, node = 1, self.parent
        while node is not None:
            depth, node = depth + 1, node.parent
        return depth

    @property
    def root(self) -> Criterion:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    @property
    def root_section(self) -> str:
        return self.root.section or "base"

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def __repr__(self) -> str:
        return f"<Criterion {self.code} {self.title[:30]}>"
