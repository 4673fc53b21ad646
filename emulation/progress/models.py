"""Progress reports (báo cáo tiến độ): actual values per target, with evidence files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.accounts.models import User
from emulation.core.clock import utcnow
from emulation.core.extensions import db
from emulation.registrations.models import VALUE, Registration, RegistrationTarget


class ReportStatus:
    DRAFT = "draft"
    SUBMITTED = "submitted"
    LABELS = {DRAFT: _l("Đang soạn"), SUBMITTED: _l("Đã gửi")}


class ProgressReport(db.Model):
    """A unit's report for one period (quý, 6 tháng, năm) of a registration."""

    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    period_label: Mapped[str] = mapped_column(String(80))
    period_end: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=ReportStatus.DRAFT)
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    registration: Mapped[Registration] = relationship(
        backref=db.backref("reports", order_by="ProgressReport.period_end", cascade="all")
    )
    created_by: Mapped[User | None] = relationship()
    values: Mapped[list[ProgressValue]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Evidence.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_label(self) -> str:
        return str(ReportStatus.LABELS.get(self.status, self.status))


class ProgressValue(db.Model):
    """The actual value reached for one target by the end of the report's period."""

    __tablename__ = "progress_values"
    __table_args__ = (UniqueConstraint("report_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("registration_targets.id", ondelete="CASCADE")
    )
    actual: Mapped[Decimal | None] = mapped_column(VALUE)
    note: Mapped[str] = mapped_column(String(500), default="")

    report: Mapped[ProgressReport] = relationship(back_populates="values")
    target: Mapped[RegistrationTarget] = relationship()


class Evidence(db.Model):
    """An uploaded file (minh chứng), kept outside static/ and served only to those allowed."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True
    )
    # The target it proves, when it is about one; None for the report as a whole.
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration_targets.id", ondelete="SET NULL")
    )
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[ProgressReport] = relationship(back_populates="evidence")
    target: Mapped[RegistrationTarget | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship()
