"""Campaigns (phong trào thi đua) and their dated phases."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Numeric, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.core.clock import utcnow
from emulation.core.extensions import db
from emulation.units.models import Cluster, Unit


class CampaignForm:
    REGULAR = "thuong_xuyen"
    THEMED = "chuyen_de"
    LABELS = {REGULAR: _l("Thường xuyên"), THEMED: _l("Theo chuyên đề")}


class CampaignStatus:
    DRAFT = "draft"
    LAUNCHED = "launched"
    CLOSED = "closed"
    LABELS = {DRAFT: _l("Dự thảo"), LAUNCHED: _l("Đã phát động"), CLOSED: _l("Đã kết thúc")}
    # The only moves the standing office can make; anything else is refused on the server.
    TRANSITIONS = {DRAFT: (LAUNCHED,), LAUNCHED: (CLOSED,), CLOSED: ()}


class PhaseKind:
    REGISTRATION = "registration"
    IMPLEMENTATION = "implementation"
    MIDTERM = "midterm"
    SCORING = "scoring"
    WRAPUP = "wrapup"
    LABELS = {
        REGISTRATION: _l("Đăng ký thi đua"),
        IMPLEMENTATION: _l("Tổ chức thực hiện"),
        MIDTERM: _l("Sơ kết"),
        SCORING: _l("Chấm điểm"),
        WRAPUP: _l("Tổng kết"),
    }
    ORDER = (REGISTRATION, IMPLEMENTATION, MIDTERM, SCORING, WRAPUP)


campaign_clusters = Table(
    "campaign_clusters",
    db.metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("cluster_id", ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True),
)

campaign_units = Table(
    "campaign_units",
    db.metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class Campaign(db.Model):
    """An emulation campaign: launched by a decision, run in phases, closed by a wrap-up."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    theme: Mapped[str] = mapped_column(Text, default="")
    form: Mapped[str] = mapped_column(String(20), default=CampaignForm.REGULAR)
    year: Mapped[int] = mapped_column(index=True)
    authority: Mapped[str] = mapped_column(String(255), default="")
    decision_number: Mapped[str] = mapped_column(String(80), default="")
    decision_date: Mapped[date | None]
    start_date: Mapped[date]
    end_date: Mapped[date]
    # One content area per line (nội dung thi đua); they usually become the criteria groups.
    content_areas: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=CampaignStatus.DRAFT)
    # Scoring settings: optional cross-scoring by cluster peers; how council members' numbers
    # are combined; how far self and council may differ before an entry is flagged.
    cross_scoring: Mapped[bool] = mapped_column(default=False)
    council_aggregation: Mapped[str] = mapped_column(String(20), default="mean")
    flag_tolerance: Mapped[Decimal] = mapped_column(Numeric(8, 3), default=Decimal("2"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    phases: Mapped[list[Phase]] = relationship(
        back_populates="campaign",
        cascade="all, delete-orphan",
        order_by="(Phase.starts_on, Phase.id)",
    )
    clusters: Mapped[list[Cluster]] = relationship(secondary=campaign_clusters)
    units: Mapped[list[Unit]] = relationship(secondary=campaign_units)

    @property
    def form_label(self) -> str:
        return str(CampaignForm.LABELS.get(self.form, self.form))

    @property
    def is_closed(self) -> bool:
        return self.status == CampaignStatus.CLOSED

    @property
    def status_label(self) -> str:
        return str(CampaignStatus.LABELS.get(self.status, self.status))

    @property
    def area_list(self) -> list[str]:
        return [line.strip() for line in self.content_areas.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<Campaign {self.slug}>"


class Phase(db.Model):
    """A dated window (inclusive) in which one kind of action is open."""

    __tablename__ = "phases"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(255), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]

    campaign: Mapped[Campaign] = relationship(back_populates="phases")

    @property
    def kind_label(self) -> str:
        return str(PhaseKind.LABELS.get(self.kind, self.kind))

    @property
    def display_title(self) -> str:
        return self.title or self.kind_label

    def is_open(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on
