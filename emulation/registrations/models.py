"""Registrations (đăng ký thi đua): a unit's targets per criterion, and individual pledges."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.accounts.models import User
from emulation.campaigns.models import Campaign
from emulation.core.clock import utcnow
from emulation.core.extensions import db
from emulation.criteria.models import Criterion
from emulation.units.models import Unit

VALUE = Numeric(18, 4)


class RegistrationStatus:
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    LABELS = {
        DRAFT: _l("Đang soạn"),
        SUBMITTED: _l("Đã gửi, chờ duyệt"),
        APPROVED: _l("Đã duyệt"),
        RETURNED: _l("Bị trả lại"),
    }
    EDITABLE = (DRAFT, RETURNED)


class Registration(db.Model):
    """One unit's registration in one campaign; locked once approved."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=RegistrationStatus.DRAFT)
    commitment: Mapped[str] = mapped_column(Text, default="")
    # Titles the unit aims at (danh hiệu đăng ký), as their names.
    titles: Mapped[list] = mapped_column(JSON, default=list)
    # Bumped on every save: an edit made against an older version is refused, not lost.
    version: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()
    unit: Mapped[Unit] = relationship()
    decided_by: Mapped[User | None] = relationship()
    targets: Mapped[list[RegistrationTarget]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )
    events: Mapped[list[RegistrationEvent]] = relationship(
        back_populates="registration",
        cascade="all, delete-orphan",
        order_by="RegistrationEvent.id",
    )
    amendments: Mapped[list[AmendmentRequest]] = relationship(
        back_populates="registration",
        cascade="all, delete-orphan",
        order_by="AmendmentRequest.id",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_label(self) -> str:
        return str(RegistrationStatus.LABELS.get(self.status, self.status))

    @property
    def is_locked(self) -> bool:
        return self.status == RegistrationStatus.APPROVED

    def target_for(self, criterion_id: int) -> RegistrationTarget | None:
        return next((t for t in self.targets if t.criterion_id == criterion_id), None)


class RegistrationTarget(db.Model):
    """A quantified target for one criterion: baseline, target, unit of measure, deadline."""

    __tablename__ = "registration_targets"
    __table_args__ = (UniqueConstraint("registration_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    baseline: Mapped[Decimal | None] = mapped_column(VALUE)
    target: Mapped[Decimal | None] = mapped_column(VALUE)
    unit_of_measure: Mapped[str] = mapped_column(String(40), default="")
    deadline: Mapped[date | None]
    note: Mapped[str] = mapped_column(String(500), default="")

    registration: Mapped[Registration] = relationship(back_populates="targets")
    criterion: Mapped[Criterion] = relationship()


class RegistrationEvent(db.Model):
    """History of a registration: who saved, submitted, approved or returned it, and why."""

    __tablename__ = "registration_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text, default="")

    registration: Mapped[Registration] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()


class AmendmentStatus:
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    LABELS = {
        PENDING: _l("Chờ xem xét"),
        APPROVED: _l("Đã chấp thuận"),
        REJECTED: _l("Không chấp thuận"),
    }


class AmendmentRequest(db.Model):
    """A request to change an approved registration; if granted, the unit edits and resubmits."""

    __tablename__ = "amendment_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=AmendmentStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")

    registration: Mapped[Registration] = relationship(back_populates="amendments")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def status_label(self) -> str:
        return str(AmendmentStatus.LABELS.get(self.status, self.status))


class ExemplaryTaskGroup:
    SHORTCOMING = 1  # (1) khắc phục hạn chế, khuyết điểm kéo dài
    BREAKTHROUGH = 2  # (2) đột phá, đổi mới, sáng tạo, cấp bách
    LABELS = {
        SHORTCOMING: _l("(1) Khắc phục hạn chế, khuyết điểm kéo dài"),
        BREAKTHROUGH: _l("(2) Đột phá, đổi mới, sáng tạo, cấp bách"),
    }


class ExemplaryEvaluation:
    EXCELLENT = "excellent"
    DONE = "done"
    NOT_DONE = "not_done"
    LABELS = {
        EXCELLENT: _l("Hoàn thành xuất sắc"),
        DONE: _l("Hoàn thành"),
        NOT_DONE: _l("Không hoàn thành"),
    }


class ExemplaryRegistration(db.Model):
    """Đăng ký nêu gương: a person in a unit pledges 1–2 concrete tasks for the year."""

    __tablename__ = "exemplary_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    person_name: Mapped[str] = mapped_column(String(120))
    person_title: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(20), default=RegistrationStatus.DRAFT)
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    evaluation: Mapped[str | None] = mapped_column(String(20))
    evaluation_note: Mapped[str] = mapped_column(Text, default="")
    evaluated_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    campaign: Mapped[Campaign] = relationship()
    unit: Mapped[Unit] = relationship()
    tasks: Mapped[list[ExemplaryTask]] = relationship(
        back_populates="exemplary",
        cascade="all, delete-orphan",
        order_by="ExemplaryTask.position",
    )

    @property
    def status_label(self) -> str:
        return str(RegistrationStatus.LABELS.get(self.status, self.status))

    @property
    def evaluation_label(self) -> str:
        return str(ExemplaryEvaluation.LABELS.get(self.evaluation, "")) if self.evaluation else ""


class ExemplaryTask(db.Model):
    __tablename__ = "exemplary_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    exemplary_id: Mapped[int] = mapped_column(
        ForeignKey("exemplary_registrations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    group: Mapped[int] = mapped_column(default=ExemplaryTaskGroup.SHORTCOMING)
    description: Mapped[str] = mapped_column(Text)
    expected_result: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None]

    exemplary: Mapped[ExemplaryRegistration] = relationship(back_populates="tasks")
