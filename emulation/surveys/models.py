"""Surveys (khảo sát): the questionnaire, who may answer it, and the anonymous answers.

Anonymity is built into the tables. Who answered is kept apart from what was answered:
`survey_tokens` and `survey_participations` say which token was spent and which official
answered about which unit, and hold no time at all; `survey_responses` hold the answers with
the unit, the channel and the day only. Nothing links the two sides — no shared key, no
user or token column, a random primary key for responses (SQLite keeps them in key order,
not in arrival order) and no time finer than the day. On PostgreSQL, where every row
remembers the transaction that wrote it, spent tokens and participations are rewritten
together after each submission (emulation.surveys.blur_who_answered).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.campaigns.models import Campaign
from emulation.core.clock import utcnow
from emulation.core.extensions import db
from emulation.units.models import Unit


class SurveyStatus:
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    LABELS = {DRAFT: _l("Đang soạn"), OPEN: _l("Đang nhận phiếu"), CLOSED: _l("Đã đóng")}


class QuestionKind:
    LIKERT = "likert"
    SINGLE = "single"
    MULTIPLE = "multiple"
    NUMBER = "number"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    MATRIX = "matrix"
    LABELS = {
        LIKERT: _l("Mức độ hài lòng (1–5, có “không ý kiến”)"),
        MATRIX: _l("Bảng mức độ hài lòng (nhiều dòng)"),
        SINGLE: _l("Chọn một"),
        MULTIPLE: _l("Chọn nhiều"),
        NUMBER: _l("Số"),
        SHORT_TEXT: _l("Câu trả lời ngắn"),
        LONG_TEXT: _l("Câu trả lời dài"),
    }
    # Kinds whose answers are Likert 1–5 (or "không ý kiến") and so feed the indices.
    RATED = (LIKERT, MATRIX)
    # Kinds an answer can be picked from, so a later question may depend on them.
    CHOSEN = (LIKERT, SINGLE, MULTIPLE)


class Channel:
    """How a response came in; the open link is the one anyone can use again."""

    TOKEN = "token"
    LOGIN = "login"
    OPEN = "open"
    LABELS = {
        TOKEN: _l("Mã phiếu dùng một lần"),
        LOGIN: _l("Cán bộ đăng nhập"),
        OPEN: _l("Đường dẫn mở"),
    }
    TRUSTED = (TOKEN, LOGIN)


survey_units = Table(
    "survey_units",
    db.metadata,
    Column("survey_id", ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class Survey(db.Model):
    """A questionnaire of a campaign about some of its units. Once it has responses its
    questions are frozen; a change makes a new version with the same code."""

    __tablename__ = "surveys"
    __table_args__ = (UniqueConstraint("campaign_id", "code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    # What a survey-index criterion names ("survey" parameter); kept across versions.
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(255))
    intro: Mapped[str] = mapped_column(Text, default="")
    thanks: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=SurveyStatus.DRAFT)
    allow_tokens: Mapped[bool] = mapped_column(default=True)
    allow_open: Mapped[bool] = mapped_column(default=False)
    allow_login: Mapped[bool] = mapped_column(default=False)
    # Whether open-link answers (anyone, any number of times) count in the criterion feed.
    open_in_index: Mapped[bool] = mapped_column(default=False)
    # Below this many responses a unit's index is shown as insufficient.
    min_sample: Mapped[int] = mapped_column(default=30)
    # The random part of the public link /ks/<public_code>.
    public_code: Mapped[str] = mapped_column(String(16), unique=True)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=survey_units)
    previous: Mapped[Survey | None] = relationship(remote_side=[id])
    components: Mapped[list[SurveyComponent]] = relationship(
        back_populates="survey",
        cascade="all, delete-orphan",
        order_by="(SurveyComponent.position, SurveyComponent.id)",
    )
    sections: Mapped[list[SurveySection]] = relationship(
        back_populates="survey",
        cascade="all, delete-orphan",
        order_by="(SurveySection.position, SurveySection.id)",
    )
    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="survey",
        cascade="all, delete-orphan",
        order_by="(SurveyQuestion.position, SurveyQuestion.id)",
    )

    @property
    def status_label(self) -> str:
        return str(SurveyStatus.LABELS.get(self.status, self.status))

    @property
    def channels(self) -> list[str]:
        flags = {
            Channel.TOKEN: self.allow_tokens,
            Channel.LOGIN: self.allow_login,
            Channel.OPEN: self.allow_open,
        }
        return [channel for channel, on in flags.items() if on]

    @property
    def ordered_questions(self) -> list[SurveyQuestion]:
        """Questions in the order a respondent meets them: section by section."""
        rank = {id(section): i for i, section in enumerate(self.sections)}
        return sorted(
            self.questions,
            key=lambda q: (rank.get(id(q.section), len(rank)), q.position, q.id or 0),
        )

    def __repr__(self) -> str:
        return f"<Survey {self.code} v{self.version}>"


class SurveyComponent(db.Model):
    """A group of rated questions reported as one index (e.g. a SIPAS component)."""

    __tablename__ = "survey_components"
    __table_args__ = (UniqueConstraint("survey_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    # What a criterion's "component" parameter names; matched across versions.
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(255))

    survey: Mapped[Survey] = relationship(back_populates="components")


class SurveySection(db.Model):
    """A part of the questionnaire with its own heading."""

    __tablename__ = "survey_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(255))
    intro: Mapped[str] = mapped_column(Text, default="")

    survey: Mapped[Survey] = relationship(back_populates="sections")
    # Read-only view: questions are owned (added, deleted) through Survey.questions.
    questions: Mapped[list[SurveyQuestion]] = relationship(
        order_by="(SurveyQuestion.position, SurveyQuestion.id)", viewonly=True
    )


class SurveyQuestion(db.Model):
    """One question. `options` are the choices (single, multiple), `rows` the items of a
    matrix; `show_if` = {"question": code, "values": [...]} hides it until an earlier
    answer is one of those values."""

    __tablename__ = "survey_questions"
    __table_args__ = (UniqueConstraint("survey_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(
        ForeignKey("survey_sections.id", ondelete="CASCADE"), index=True
    )
    component_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_components.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    help: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(12))
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list] = mapped_column(JSON, default=list)
    rows: Mapped[list] = mapped_column(JSON, default=list)
    min_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    max_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    show_if: Mapped[dict | None] = mapped_column(JSON)

    survey: Mapped[Survey] = relationship(back_populates="questions")
    section: Mapped[SurveySection] = relationship()
    component: Mapped[SurveyComponent | None] = relationship()

    @property
    def kind_label(self) -> str:
        return str(QuestionKind.LABELS.get(self.kind, self.kind))

    @property
    def is_rated(self) -> bool:
        return self.kind in QuestionKind.RATED


class SurveyTokenBatch(db.Model):
    """Single-use tokens printed together for one unit's service counter."""

    __tablename__ = "survey_token_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship()
    unit: Mapped[Unit] = relationship()
    tokens: Mapped[list[SurveyToken]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="SurveyToken.id"
    )


class SurveyToken(db.Model):
    """A single-use code. `used` is all it records of its use: no time, no response."""

    __tablename__ = "survey_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("survey_token_batches.id", ondelete="CASCADE"), index=True
    )
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    used: Mapped[bool] = mapped_column(default=False)

    batch: Mapped[SurveyTokenBatch] = relationship(back_populates="tokens")
    unit: Mapped[Unit] = relationship()


class SurveyParticipation(db.Model):
    """An official who has answered about a unit: enough to refuse a second answer.

    No time and no surrogate key; rows sit in key order (user, unit), not arrival order."""

    __tablename__ = "survey_participations"
    __table_args__ = {"sqlite_with_rowid": False}

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )


class SurveyResponse(db.Model):
    """What one respondent answered, keyed by a random id: no token, no account, the day only.

    `answers` maps question codes to values: 1–5 or 0 ("không ý kiến") for Likert, the
    option text (single), a list of option texts (multiple), a number, a text, or for a
    matrix {"1": 4, "2": 0, …} by row number."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        Index("ix_survey_responses_survey_id_unit_id", "survey_id", "unit_id"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    submitted_on: Mapped[date]
    answers: Mapped[dict] = mapped_column(JSON, default=dict)

    unit: Mapped[Unit] = relationship()

    @property
    def channel_label(self) -> str:
        return str(Channel.LABELS.get(self.channel, self.channel))


class SurveyDraft(db.Model):
    """Answers typed so far, found again through a random key kept in the respondent's
    browser only; deleted when the response is sent."""

    __tablename__ = "survey_drafts"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_on: Mapped[date]
