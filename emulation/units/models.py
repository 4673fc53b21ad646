"""Units (đơn vị) and clusters (cụm / khối thi đua)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.core.clock import utcnow
from emulation.core.extensions import db

UNIT_TYPES = {
    "co_quan": _l("Sở, ban, ngành"),
    "ubnd_xa": _l("UBND xã, phường"),
    "ubnd_huyen": _l("UBND huyện, thành phố (trước 07/2025)"),
    "doanh_nghiep": _l("Doanh nghiệp"),
    "doan_the": _l("Đoàn thể, hội"),
    "su_nghiep": _l("Đơn vị sự nghiệp"),
    "khac": _l("Khác"),
}

# Two local levels since 01/07/2025; "huyen" stays for units that existed before.
UNIT_LEVELS = {
    "tinh": _l("Cấp tỉnh"),
    "xa": _l("Cấp xã"),
    "huyen": _l("Cấp huyện (trước 07/2025)"),
}

CLUSTER_KINDS = {
    "cum": _l("Cụm thi đua"),
    "khoi": _l("Khối thi đua"),
}


class Unit(db.Model):
    """An organisation that takes part in campaigns: a department, a commune, an enterprise…"""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str] = mapped_column(String(120), default="")
    type: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Accent-free "code name short name", kept in step by emulation.units.save_unit.
    search_text: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    memberships: Mapped[list[ClusterMember]] = relationship(
        back_populates="unit", cascade="all, delete-orphan"
    )

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def type_label(self) -> str:
        return str(UNIT_TYPES.get(self.type, self.type))

    @property
    def level_label(self) -> str:
        return str(UNIT_LEVELS.get(self.level, self.level))

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name}>"


class ClusterPosition:
    MEMBER = "member"
    LEADER = "leader"
    DEPUTY = "deputy"

    LABELS = {MEMBER: _l("Thành viên"), LEADER: _l("Cụm trưởng"), DEPUTY: _l("Cụm phó")}


class Cluster(db.Model):
    """A cụm or khối thi đua for one year, with its members and their positions that year."""

    __tablename__ = "clusters"
    __table_args__ = (UniqueConstraint("name", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[ClusterMember]] = relationship(
        back_populates="cluster", cascade="all, delete-orphan"
    )

    @property
    def kind_label(self) -> str:
        return str(CLUSTER_KINDS.get(self.kind, self.kind))

    def member_in(self, position: str) -> ClusterMember | None:
        return next((m for m in self.members if m.position == position), None)

    @property
    def leader(self) -> Unit | None:
        member = self.member_in(ClusterPosition.LEADER)
        return member.unit if member else None

    @property
    def deputy(self) -> Unit | None:
        member = self.member_in(ClusterPosition.DEPUTY)
        return member.unit if member else None

    def __repr__(self) -> str:
        return f"<Cluster {self.name} {self.year}>"


class ClusterMember(db.Model):
    """A unit's seat in a cluster-year: member, leader (cụm trưởng) or deputy (cụm phó)."""

    __tablename__ = "cluster_members"
    __table_args__ = (UniqueConstraint("cluster_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    position: Mapped[str] = mapped_column(String(10), default=ClusterPosition.MEMBER)

    cluster: Mapped[Cluster] = relationship(back_populates="members")
    # A membership is almost always read for its unit (participants, rankings): load both.
    unit: Mapped[Unit] = relationship(back_populates="memberships", lazy="joined")

    @property
    def position_label(self) -> str:
        return str(ClusterPosition.LABELS.get(self.position, self.position))
