"""Commendation (khen thưởng): the rulebook, nominations, public posting, the council meeting
with its ballots, decisions and the award history.

Ballot secrecy: a secret vote is a `Vote` row keyed by a random id, with no member, no time
and no reference to the participation row; who has voted is a `VoteCast` row in another
table. Both are WITHOUT ROWID tables on SQLite, so their rows sit in key order (random for
votes), not in the order the ballots arrived.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.accounts.models import User
from emulation.campaigns.models import Campaign
from emulation.core.clock import utcnow
from emulation.core.extensions import db
from emulation.units.models import Cluster, Unit


class Subject:
    """Who an award type is for."""

    COLLECTIVE = "collective"
    INDIVIDUAL = "individual"
    LABELS = {COLLECTIVE: _l("Tập thể"), INDIVIDUAL: _l("Cá nhân")}


class Denominator:
    ALL = "all"
    PRESENT = "present"
    LABELS = {
        ALL: _l("tổng số thành viên Hội đồng"),
        PRESENT: _l("số thành viên tham gia biểu quyết"),
    }


class Rulebook(db.Model):
    """The province's commendation rules in force from a date; a new version for every change
    to rules a campaign has already used."""

    __tablename__ = "rulebooks"
    __table_args__ = (UniqueConstraint("province", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province: Mapped[str] = mapped_column(String(120))
    version: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    # Public holidays as ISO dates ("2025-09-02"); Saturdays and Sundays are never working days.
    holidays: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    award_types: Mapped[list[AwardType]] = relationship(
        back_populates="rulebook",
        cascade="all, delete-orphan",
        order_by="(AwardType.position, AwardType.id)",
    )

    def type_by_code(self, code: str) -> AwardType | None:
        return next((t for t in self.award_types if t.code == code), None)

    def __repr__(self) -> str:
        return f"<Rulebook {self.province} {self.version}>"


class AwardType(db.Model):
    """A title or form of commendation with its eligibility, quotas, vote settings and posting.

    `eligibility` is data: {"rule": "cluster_first", "min_grade": "Xuất sắc"},
    {"rule": "top_k", "k": 2, "min_grade": "Tốt"} (or "or_min_grade"),
    {"rule": "min_grade", "grade": "Khá"}, {"rule": "manual"}; any of them may add
    "unless": [codes] (not together with those) and "requires": {"award": code, "years": n}.
    """

    __tablename__ = "award_types"
    __table_args__ = (UniqueConstraint("rulebook_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rulebook_id: Mapped[int] = mapped_column(
        ForeignKey("rulebooks.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(12), default=Subject.COLLECTIVE)
    # Campaign forms it applies to: ["thuong_xuyen", "chuyen_de"].
    forms: Mapped[list] = mapped_column(JSON, default=list)
    eligibility: Mapped[dict] = mapped_column(JSON, default=dict)
    quota_per_cluster: Mapped[int | None]
    quota_total: Mapped[int | None]
    # A fraction of all members that must be present, as typed: "2/3", "1/2".
    quorum: Mapped[str] = mapped_column(String(12), default="2/3")
    secret_ballot: Mapped[bool] = mapped_column(default=True)
    denominator: Mapped[str] = mapped_column(String(10), default=Denominator.ALL)
    threshold_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("70"))
    # Working days of public posting before the council meets; 0 = not required.
    posting_days: Mapped[int] = mapped_column(default=0)
    # Awards of a chuyên đề campaign never count, whatever this says (NĐ 98 Điều 4).
    counts_toward_higher: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")

    rulebook: Mapped[Rulebook] = relationship(back_populates="award_types")

    @property
    def subject_label(self) -> str:
        return str(Subject.LABELS.get(self.subject, self.subject))

    @property
    def is_collective(self) -> bool:
        return self.subject == Subject.COLLECTIVE

    @property
    def rule(self) -> str:
        return (self.eligibility or {}).get("rule", "manual")

    def __repr__(self) -> str:
        return f"<AwardType {self.code}>"


class DisciplineFlag(db.Model):
    """A unit, or a person of a unit, under discipline or investigation: not to be proposed
    while the flag runs (until its end date, or indefinitely)."""

    __tablename__ = "discipline_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    # Empty: the unit itself.
    person_name: Mapped[str] = mapped_column(String(120), default="")
    reason: Mapped[str] = mapped_column(Text)
    until: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    unit: Mapped[Unit] = relationship()


class ListStatus:
    OPEN = "open"
    FINALIZED = "finalized"
    LABELS = {OPEN: _l("Đang lập"), FINALIZED: _l("Đã chốt")}


class NominationList(db.Model):
    """A campaign's list of nominees: the rulebook it follows, and whether it is final."""

    __tablename__ = "nomination_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), unique=True
    )
    rulebook_id: Mapped[int] = mapped_column(ForeignKey("rulebooks.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=ListStatus.OPEN)
    finalized_at: Mapped[datetime | None]
    finalized_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # First day of public posting (counted as a working day when it is one).
    posting_from: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    campaign: Mapped[Campaign] = relationship()
    rulebook: Mapped[Rulebook] = relationship()

    @property
    def is_final(self) -> bool:
        return self.status == ListStatus.FINALIZED


class NominationSubject:
    UNIT = "unit"
    PERSON = "person"
    MODEL = "model"
    LABELS = {UNIT: _l("Tập thể"), PERSON: _l("Cá nhân"), MODEL: _l("Điển hình, mô hình")}


class NominationStatus:
    PROPOSED = "proposed"
    REMOVED = "removed"
    LABELS = {PROPOSED: _l("Đề nghị"), REMOVED: _l("Đã loại")}


class Nomination(db.Model):
    """One nominee for one award type: computed from official results or added by a unit."""

    __tablename__ = "nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_types.id"), index=True)
    subject: Mapped[str] = mapped_column(String(10), default=NominationSubject.UNIT)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    # A person's name, or a model's (mô hình, điển hình) name; empty for a unit.
    person_name: Mapped[str] = mapped_column(String(120), default="")
    person_title: Mapped[str] = mapped_column(String(255), default="")
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="SET NULL"))
    rank: Mapped[int | None]
    grade: Mapped[str | None] = mapped_column(String(40))
    total: Mapped[Decimal | None] = mapped_column(Numeric(8, 3))
    reason: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10), default="added")
    status: Mapped[str] = mapped_column(String(10), default=NominationStatus.PROPOSED)
    status_note: Mapped[str] = mapped_column(Text, default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()
    award_type: Mapped[AwardType] = relationship()
    unit: Mapped[Unit] = relationship()
    cluster: Mapped[Cluster | None] = relationship()
    proposed_by: Mapped[User | None] = relationship()

    @property
    def subject_label(self) -> str:
        return str(NominationSubject.LABELS.get(self.subject, self.subject))

    @property
    def status_label(self) -> str:
        return str(NominationStatus.LABELS.get(self.status, self.status))

    @property
    def display_name(self) -> str:
        """ "Phường Tân Phong", or "Nguyễn Văn A, Chủ tịch UBND phường (Phường Tân Phong)"."""
        if self.subject == NominationSubject.UNIT:
            return self.unit.name
        title = f", {self.person_title}" if self.person_title else ""
        return f"{self.person_name}{title} ({self.unit.name})"

    @property
    def is_active(self) -> bool:
        return self.status == NominationStatus.PROPOSED


class CommentStatus:
    NEW = "new"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"
    LABELS = {NEW: _l("Chưa xử lý"), ACCEPTED: _l("Tiếp thu"), DISMISSED: _l("Không tiếp thu")}


class PostingComment(db.Model):
    """A comment from the public on the posted list, handled by the standing office."""

    __tablename__ = "posting_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="SET NULL")
    )
    author_name: Mapped[str] = mapped_column(String(120), default="")
    contact: Mapped[str] = mapped_column(String(120), default="")
    content: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default=CommentStatus.NEW)
    # Shown on the public page with the answer once handled.
    public: Mapped[bool] = mapped_column(default=True)
    handled_note: Mapped[str] = mapped_column(Text, default="")
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None]

    nomination: Mapped[Nomination | None] = relationship()
    handled_by: Mapped[User | None] = relationship()

    @property
    def status_label(self) -> str:
        return str(CommentStatus.LABELS.get(self.status, self.status))

    @property
    def is_handled(self) -> bool:
        return self.status != CommentStatus.NEW


class MeetingStatus:
    PREPARING = "preparing"
    VOTING = "voting"
    CLOSED = "closed"
    LABELS = {
        PREPARING: _l("Chuẩn bị"),
        VOTING: _l("Đang biểu quyết"),
        CLOSED: _l("Đã kết thúc biểu quyết"),
    }


class Meeting(db.Model):
    """The council meeting that deliberates (bình xét) a campaign's nominees."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), unique=True
    )
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(255), default="")
    chair: Mapped[str] = mapped_column(String(255), default="")
    secretary: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(10), default=MeetingStatus.PREPARING)
    voting_opened_at: Mapped[datetime | None]
    voting_closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    campaign: Mapped[Campaign] = relationship()
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return str(MeetingStatus.LABELS.get(self.status, self.status))


class Attendance(db.Model):
    """A council member at the meeting: present or absent (an absent member may vote in
    writing)."""

    __tablename__ = "meeting_attendances"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    present: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    user: Mapped[User] = relationship(lazy="joined")


class VoteChoice:
    AGREE = "agree"
    DISAGREE = "disagree"
    LABELS = {AGREE: _l("Đồng ý"), DISAGREE: _l("Không đồng ý")}


class Vote(db.Model):
    """One ballot on one nominee. Secret ballots carry no voter; open ballots name them."""

    __tablename__ = "votes"
    __table_args__ = (
        Index("ix_votes_meeting_id_nomination_id", "meeting_id", "nomination_id"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(String(10))
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class VoteCast(db.Model):
    """That a member has voted on a nominee (at the meeting, or in writing): enough to refuse
    a second vote, and nothing that leads to the ballot."""

    __tablename__ = "votes_cast"
    __table_args__ = {"sqlite_with_rowid": False}

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    written: Mapped[bool] = mapped_column(default=False)


class Decision(db.Model):
    """The decision (quyết định khen thưởng) for one award type of a campaign."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("campaign_id", "award_type_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_types.id"), index=True)
    number: Mapped[str] = mapped_column(String(80))
    signed_on: Mapped[date]
    signer: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    campaign: Mapped[Campaign] = relationship()
    award_type: Mapped[AwardType] = relationship()
    awards: Mapped[list[Award]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", order_by="Award.id"
    )


class Award(db.Model):
    """An award received: by a unit, or a person of a unit, in a year. Kept with the code and
    name of its type as they were, so history reads the same after the rulebook changes.
    Awards from before the system have no decision row, only its number and date."""

    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="SET NULL")
    )
    award_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("award_types.id", ondelete="SET NULL")
    )
    award_code: Mapped[str] = mapped_column(String(20), index=True)
    award_name: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(10), default=NominationSubject.UNIT)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    person_name: Mapped[str] = mapped_column(String(120), default="")
    person_title: Mapped[str] = mapped_column(String(255), default="")
    year: Mapped[int] = mapped_column(index=True)
    decision_number: Mapped[str] = mapped_column(String(80), default="")
    decision_date: Mapped[date | None]
    counts_toward_higher: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    decision: Mapped[Decision | None] = relationship(back_populates="awards")
    campaign: Mapped[Campaign | None] = relationship()
    unit: Mapped[Unit] = relationship()

    @property
    def display_name(self) -> str:
        if self.subject == NominationSubject.UNIT:
            return self.unit.name
        title = f", {self.person_title}" if self.person_title else ""
        return f"{self.person_name}{title}"
