"""The wrap-up (tổng kết) of a campaign: the standing office's written review."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.accounts.models import User
from emulation.campaigns.models import Campaign
from emulation.core.clock import utcnow
from emulation.core.extensions import db


class CampaignReview(db.Model):
    """The four parts of a wrap-up report (báo cáo tổng kết) that figures cannot say: notable
    results, shortcomings, lessons learned and the way forward. One per campaign."""

    __tablename__ = "campaign_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), unique=True
    )
    achievements: Mapped[str] = mapped_column(Text, default="")  # kết quả nổi bật
    shortcomings: Mapped[str] = mapped_column(Text, default="")  # tồn tại, hạn chế
    lessons: Mapped[str] = mapped_column(Text, default="")  # bài học kinh nghiệm
    next_steps: Mapped[str] = mapped_column(Text, default="")  # phương hướng
    # Moves on every save: a form opened on an older version is refused, not silently lost.
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    campaign: Mapped[Campaign] = relationship()
    updated_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_empty(self) -> bool:
        return not any((self.achievements, self.shortcomings, self.lessons, self.next_steps))
