"""The showcase of typical examples (điển hình tiên tiến): profiles of awarded units, people
and models, their photos, and the units that took a model up (nhân rộng).

`ShowcaseProfile.award_id` points at the award (and through it the decision) the profile
honours, when the profile was made from one; `award_text` is the line people read, filled
from the award and free to edit for examples honoured outside the system.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.campaigns.models import Campaign
from emulation.commendation.models import Award
from emulation.core.clock import utcnow
from emulation.core.extensions import db
from emulation.units.models import Unit


class ProfileKind:
    UNIT = "unit"  # tập thể: an awarded unit
    PERSON = "person"  # cá nhân
    MODEL = "model"  # mô hình, cách làm hay
    LABELS = {UNIT: _l("Tập thể"), PERSON: _l("Cá nhân"), MODEL: _l("Mô hình")}


# Fields of work (lĩnh vực) a profile is filed under; the list is data, extended here.
FIELDS = {
    "kinh_te": _l("Kinh tế"),
    "van_hoa_xa_hoi": _l("Văn hóa – xã hội"),
    "cai_cach_hanh_chinh": _l("Cải cách hành chính"),
    "quoc_phong_an_ninh": _l("Quốc phòng – an ninh"),
    "xay_dung_dang": _l("Xây dựng Đảng và hệ thống chính trị"),
    "dan_van": _l("Công tác dân vận"),
    "nong_thon_moi": _l("Xây dựng nông thôn mới"),
    "chuyen_doi_so": _l("Chuyển đổi số"),
    "khac": _l("Lĩnh vực khác"),
}


class ShowcaseProfile(db.Model):
    """One typical example: its story, measured results (figures), photos and replications."""

    __tablename__ = "showcase_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    # The awarded unit (tập thể), the unit that built the model, or the person's workplace.
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="SET NULL"), index=True
    )
    person_name: Mapped[str] = mapped_column(String(120), default="")
    person_title: Mapped[str] = mapped_column(String(255), default="")
    # The model's name (required for a model); for a unit or a person, a title of honour.
    title: Mapped[str] = mapped_column(String(255), default="")
    headline: Mapped[str] = mapped_column(String(300), default="")
    story: Mapped[str] = mapped_column(Text, default="")
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    year: Mapped[int] = mapped_column(index=True)
    field: Mapped[str] = mapped_column(String(30))
    award_text: Mapped[str] = mapped_column(String(500), default="")
    # The award this profile honours (one profile per award), if it was made from one.
    award_id: Mapped[int | None] = mapped_column(
        ForeignKey("awards.id", ondelete="SET NULL"), unique=True
    )
    # Measured results: [{"label": …, "value": "12000" (a decimal as text), "unit": "m²"}].
    results: Mapped[list] = mapped_column(JSON, default=list)
    published: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None]
    # Accent-free text of everything a visitor may search for, kept by emulation.showcase.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit | None] = relationship()
    campaign: Mapped[Campaign | None] = relationship()
    award: Mapped[Award | None] = relationship()
    photos: Mapped[list[ShowcasePhoto]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        order_by="[ShowcasePhoto.position, ShowcasePhoto.id]",
    )
    replications: Mapped[list[Replication]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        order_by="[Replication.adopted_on, Replication.id]",
    )

    @property
    def name(self) -> str:
        """Who or what is honoured: the person, the unit, or the model."""
        if self.kind == ProfileKind.PERSON:
            return self.person_name
        if self.kind == ProfileKind.MODEL:
            return self.title
        return self.unit.name if self.unit else self.title

    @property
    def kind_label(self) -> str:
        return str(ProfileKind.LABELS.get(self.kind, self.kind))

    @property
    def field_label(self) -> str:
        return str(FIELDS.get(self.field, self.field))

    @property
    def cover(self) -> ShowcasePhoto | None:
        return self.photos[0] if self.photos else None

    def __repr__(self) -> str:
        return f"<ShowcaseProfile {self.slug}>"


class ShowcasePhoto(db.Model):
    """A photo of a profile, resized and stripped of metadata, kept under SHOWCASE_DIR with a
    400 px thumbnail beside it; served by a route, public once the profile is published."""

    __tablename__ = "showcase_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("showcase_profiles.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    caption: Mapped[str] = mapped_column(String(300), default="")
    width: Mapped[int]
    height: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    # Of the file as uploaded, so the same photo is not added twice.
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    profile: Mapped[ShowcaseProfile] = relationship(back_populates="photos")

    @property
    def thumb_size(self) -> tuple[int, int]:
        """Width and height of the thumbnail (400 px on the long side, never enlarged)."""
        scale = min(1.0, 400 / max(self.width, self.height, 1))
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))

    @property
    def content_type(self) -> str:
        return "image/webp" if self.stored_name.endswith(".webp") else "image/jpeg"


class Replication(db.Model):
    """A unit that took the example up (nhân rộng), and when."""

    __tablename__ = "showcase_replications"
    __table_args__ = (UniqueConstraint("profile_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique key (profile_id, unit_id) serves lookups by profile too.
    profile_id: Mapped[int] = mapped_column(ForeignKey("showcase_profiles.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    adopted_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    profile: Mapped[ShowcaseProfile] = relationship(back_populates="replications")
    unit: Mapped[Unit] = relationship()
