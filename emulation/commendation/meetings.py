"""The council meeting (họp Hội đồng Thi đua – Khen thưởng): attendance and quorum, the agenda,
ballots, the tally against the rulebook's thresholds, and the minutes (biên bản) as data.

Secrecy: a secret ballot is stored as a `Vote` (random id, nominee, choice — no member, no
time) and, separately, a `VoteCast` saying only that the member has voted on that nominee.
Both are added in one transaction, and nothing in either row leads to the other. Open
ballots (by the award type's setting) keep the voter on the vote.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from emulation.accounts.models import Role, User
from emulation.campaigns.models import Campaign
from emulation.commendation.models import (
    Attendance,
    AwardType,
    Denominator,
    Meeting,
    MeetingStatus,
    Nomination,
    Vote,
    VoteCast,
    VoteChoice,
)
from emulation.commendation.nominations import finalized, is_final
from emulation.commendation.posting import meeting_blockers
from emulation.commendation.rulebook import parse_quorum
from emulation.core.clock import format_date, utcnow
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.i18n import format_number
from emulation.core.text import nfc, sort_key


def _office_only(user: User) -> None:
    if not user.is_authenticated or not user.is_admin:
        raise NotAllowed(_("Chỉ Thường trực Hội đồng được thực hiện thao tác này."))


def meeting_of(campaign: Campaign) -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.campaign_id == campaign.id))


def is_closed(meeting: Meeting) -> bool:
    return meeting.status == MeetingStatus.CLOSED


def council_members() -> list[User]:
    """Active council member accounts, by name."""
    found = db.session.scalars(
        select(User).where(User.role == Role.COUNCIL_MEMBER, User.active.is_(True))
    )
    return sorted(found, key=lambda u: sort_key(u.full_name))


def _check_fields(held_on: date | None, chair: str) -> None:
    if held_on is None:
        raise DomainError(_("Cần nhập ngày họp."), "held_on")
    if not chair:
        raise DomainError(_("Cần nhập người chủ trì."), "chair")


def create_meeting(
    campaign: Campaign,
    user: User,
    *,
    held_on: date,
    place: str = "",
    chair: str = "",
    secretary: str = "",
) -> Meeting:
    """Set up the meeting for a final list; every active council member is on the roll,
    absent until marked present."""
    _office_only(user)
    if not is_final(campaign):
        raise DomainError(_("Danh sách đề nghị khen thưởng chưa chốt."))
    if meeting_of(campaign) is not None:
        raise DomainError(_("Phong trào đã có cuộc họp Hội đồng."))
    chair = nfc(chair)
    _check_fields(held_on, chair)
    members = council_members()
    if not members:
        raise DomainError(_("Chưa có tài khoản thành viên Hội đồng nào."))
    meeting = Meeting(
        campaign=campaign,
        held_on=held_on,
        place=nfc(place),
        chair=chair,
        secretary=nfc(secretary),
        status=MeetingStatus.PREPARING,
    )
    meeting.attendances = [Attendance(user=m, present=False) for m in members]
    db.session.add(meeting)
    return meeting


def update_meeting(
    meeting: Meeting, user: User, *, held_on: date, place: str, chair: str, secretary: str
) -> Meeting:
    _office_only(user)
    if is_closed(meeting):
        raise NotAllowed(_("Cuộc họp đã kết thúc biểu quyết; không thể thay đổi."))
    chair = nfc(chair)
    _check_fields(held_on, chair)
    meeting.held_on, meeting.place = held_on, nfc(place)
    meeting.chair, meeting.secretary = chair, nfc(secretary)
    return meeting


def can_prepare(user: User, meeting: Meeting) -> bool:
    """The standing office keeps the roll, and opens the vote, while the meeting is prepared."""
    return user.is_authenticated and user.is_admin and meeting.status == MeetingStatus.PREPARING


def can_close(user: User, meeting: Meeting) -> bool:
    """The standing office ends the vote it opened."""
    return user.is_authenticated and user.is_admin and meeting.status == MeetingStatus.VOTING


def _require_preparer(user: User, meeting: Meeting) -> None:
    if not can_prepare(user, meeting):
        _office_only(user)
        _require_preparing(meeting)


def _require_preparing(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.PREPARING:
        raise NotAllowed(_("Đã mở biểu quyết; không thay đổi điểm danh được nữa."))


def sync_members(meeting: Meeting, user: User) -> int:
    """Put council members added since the meeting was set up on the roll."""
    _require_preparer(user, meeting)
    known = {a.user_id for a in meeting.attendances}
    fresh = [m for m in council_members() if m.id not in known]
    for member in fresh:
        meeting.attendances.append(Attendance(user=member, present=False))
    return len(fresh)


def roll(meeting: Meeting) -> list[Attendance]:
    return sorted(meeting.attendances, key=lambda a: sort_key(a.user.full_name))


def attendance_of(meeting: Meeting, member_id: int) -> Attendance | None:
    return next((a for a in meeting.attendances if a.user_id == member_id), None)


def set_attendance(meeting: Meeting, user: User, member_id: int, present: bool) -> Attendance:
    _require_preparer(user, meeting)
    attendance = attendance_of(meeting, member_id)
    if attendance is None:
        raise DomainError(_("Không phải thành viên Hội đồng của cuộc họp."))
    attendance.present = present
    return attendance


def counts(meeting: Meeting) -> tuple[int, int]:
    """(members on the roll, members present)."""
    return len(meeting.attendances), sum(1 for a in meeting.attendances if a.present)


# --- agenda and quorum ------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    award_type: AwardType
    cluster_name: str
    nominations: tuple[Nomination, ...]


def agenda(meeting: Meeting) -> list[AgendaItem]:
    """The final list by award type, then cluster (units on their own last)."""
    items: list[AgendaItem] = []
    for nomination in finalized(meeting.campaign):
        cluster = nomination.cluster.name if nomination.cluster else ""
        last = items[-1] if items else None
        if last and last.award_type.id == nomination.award_type_id and last.cluster_name == cluster:
            items[-1] = AgendaItem(last.award_type, cluster, (*last.nominations, nomination))
        else:
            items.append(AgendaItem(nomination.award_type, cluster, (nomination,)))
    return items


def agenda_types(meeting: Meeting) -> list[AwardType]:
    seen: dict[int, AwardType] = {}
    for item in agenda(meeting):
        seen.setdefault(item.award_type.id, item.award_type)
    return list(seen.values())


@dataclass(frozen=True)
class QuorumCheck:
    award_type: AwardType
    members: int
    present: int
    quorum: Fraction
    needed: int  # the fewest members present that make the quorum

    @property
    def met(self) -> bool:
        return self.members > 0 and self.present >= self.needed

    @property
    def text(self) -> str:
        return _(
            "%(present)s/%(members)s thành viên có mặt, cần ít nhất %(needed)s (%(q)s).",
            present=self.present,
            members=self.members,
            needed=self.needed,
            q=quorum_label(self.quorum),
        )


def quorum_label(quorum: Fraction) -> str:
    return f"{quorum.numerator}/{quorum.denominator}"


def needed_for(quorum: Fraction, members: int) -> int:
    """The smallest whole number of members that is at least quorum × members."""
    exact = quorum * members
    return int(exact) if exact.denominator == 1 else int(exact) + 1


def quorum_checks(meeting: Meeting) -> list[QuorumCheck]:
    members, present = counts(meeting)
    checks = []
    for award_type in agenda_types(meeting):
        quorum = parse_quorum(award_type.quorum)
        checks.append(
            QuorumCheck(award_type, members, present, quorum, needed_for(quorum, members))
        )
    return checks


def voting_blockers(meeting: Meeting) -> list[str]:
    """What stops voting from opening: posting, unhandled comments, quorum."""
    problems = list(meeting_blockers(meeting.campaign))
    checks = quorum_checks(meeting)
    short: dict[str, list[str]] = {}
    for check in checks:
        if not check.met:
            short.setdefault(check.text, []).append(check.award_type.name)
    for text, names in short.items():
        if len(names) == len(checks):
            problems.append(_("Chưa đủ số thành viên dự họp để biểu quyết: %(text)s", text=text))
        else:
            problems.append(
                _(
                    "Chưa đủ số thành viên dự họp để biểu quyết %(award)s: %(text)s",
                    award=", ".join(names),
                    text=text,
                )
            )
    return problems


def open_voting(meeting: Meeting, user: User) -> None:
    _require_preparer(user, meeting)
    problems = voting_blockers(meeting)
    if problems:
        raise DomainError(" ".join(problems))
    meeting.status = MeetingStatus.VOTING
    meeting.voting_opened_at = utcnow()


def close_voting(meeting: Meeting, user: User) -> None:
    if not can_close(user, meeting):
        _office_only(user)
        raise NotAllowed(_("Cuộc họp không ở trạng thái biểu quyết."))
    meeting.status = MeetingStatus.CLOSED
    meeting.voting_closed_at = utcnow()


# --- ballots ----------------------------------------------------------------------------------


def recused(member: User, nomination: Nomination) -> bool:
    """A member does not vote on a nominee from their own unit."""
    return member.unit_id is not None and member.unit_id == nomination.unit_id


def voted_on(meeting: Meeting, member_id: int) -> set[int]:
    """Nominees this member has voted on (never how)."""
    return set(
        db.session.scalars(
            select(VoteCast.nomination_id).where(
                VoteCast.meeting_id == meeting.id, VoteCast.user_id == member_id
            )
        )
    )


@dataclass(frozen=True)
class BallotLine:
    nomination: Nomination
    state: str  # "open", "voted", "recused"


def ballot(meeting: Meeting, member: User) -> list[BallotLine]:
    """The member's ballot: each nominee still to vote on, voted, or recused from."""
    done = voted_on(meeting, member.id)
    lines = []
    for nomination in finalized(meeting.campaign):
        if recused(member, nomination):
            state = "recused"
        elif nomination.id in done:
            state = "voted"
        else:
            state = "open"
        lines.append(BallotLine(nomination, state))
    return lines


def cast(
    meeting: Meeting,
    member: User,
    nomination: Nomination,
    choice: str,
    *,
    entered_by: User | None = None,
) -> None:
    """One member's vote on one nominee: by the member at the meeting, or — for an absent
    member's written vote — entered by the standing office (`entered_by`)."""
    if meeting.status == MeetingStatus.PREPARING:
        raise NotAllowed(_("Chưa mở biểu quyết."))
    if meeting.status == MeetingStatus.CLOSED:
        raise NotAllowed(_("Đã kết thúc biểu quyết."))
    attendance = attendance_of(meeting, member.id)
    if attendance is None:
        raise NotAllowed(_("Không phải thành viên Hội đồng của cuộc họp."))
    written = entered_by is not None
    if written:
        _office_only(entered_by)
        if attendance.present:
            raise NotAllowed(
                _("%(name)s có mặt tại cuộc họp và tự biểu quyết.", name=member.full_name)
            )
    elif not attendance.present:
        raise NotAllowed(
            _("Bạn không có mặt tại cuộc họp; ý kiến bằng văn bản do Thường trực nhập.")
        )
    if nomination.campaign_id != meeting.campaign_id or nomination not in finalized(
        meeting.campaign
    ):
        raise DomainError(_("Đối tượng không có trong danh sách biểu quyết."))
    if recused(member, nomination):
        raise NotAllowed(
            _(
                "%(name)s không biểu quyết đề nghị khen thưởng của chính đơn vị mình (%(unit)s).",
                name=member.full_name,
                unit=nomination.unit.name,
            )
        )
    if choice not in VoteChoice.LABELS:
        raise DomainError(_("Chọn đồng ý hoặc không đồng ý."))
    if nomination.id in voted_on(meeting, member.id):
        raise DomainError(_("Đã biểu quyết đối với %(name)s.", name=nomination.display_name))
    db.session.add(
        VoteCast(
            meeting_id=meeting.id, nomination_id=nomination.id, user_id=member.id, written=written
        )
    )
    db.session.add(
        Vote(
            id=uuid.uuid4().hex,
            meeting_id=meeting.id,
            nomination_id=nomination.id,
            choice=choice,
            voter_id=None if nomination.award_type.secret_ballot else member.id,
        )
    )
    db.session.flush()


def blur_ballots(meeting: Meeting) -> None:
    """Rewrite the meeting's votes in a transaction of their own, in the order of their
    random ids, after a ballot has been committed.

    PostgreSQL stamps every row with the transaction that wrote it (xmin) and appends rows
    in the order they arrive, so a vote would share its stamp with the member's VoteCast
    row and sit in the table in voting order. Rewritten together, every vote of the meeting
    carries one newer stamp and lies in id order. SQLite keeps no such stamp, and its
    WITHOUT ROWID table already keeps votes in id order, so there is nothing to do there."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    rows = [
        dict(row._mapping)
        for row in db.session.execute(
            select(Vote.id, Vote.meeting_id, Vote.nomination_id, Vote.choice, Vote.voter_id)
            .where(Vote.meeting_id == meeting.id)
            .order_by(Vote.id)
        )
    ]
    if not rows:
        return
    db.session.execute(delete(Vote).where(Vote.meeting_id == meeting.id))
    db.session.execute(insert(Vote), rows)
    db.session.commit()


def cast_ballot(
    meeting: Meeting, member: User, choices: dict[int, str], *, entered_by: User | None = None
) -> int:
    """Several votes at once (all or none: the caller commits or rolls back)."""
    nominees = {n.id: n for n in finalized(meeting.campaign)}
    if not choices:
        raise DomainError(_("Chưa chọn ý kiến nào."))
    for nomination_id, choice in choices.items():
        nomination = nominees.get(nomination_id)
        if nomination is None:
            raise DomainError(_("Đối tượng không có trong danh sách biểu quyết."))
        cast(meeting, member, nomination, choice, entered_by=entered_by)
    return len(choices)


# --- tally ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TallyRow:
    nomination: Nomination
    award_type: AwardType
    agree: int
    disagree: int
    recused: int
    written: int
    members: int
    denominator: int
    percent: Decimal | None
    threshold: Decimal
    quorum_met: bool

    @property
    def voted(self) -> int:
        return self.agree + self.disagree

    @property
    def passed(self) -> bool:
        return (
            self.quorum_met
            and self.denominator > 0
            and Decimal(self.agree * 100) >= self.threshold * self.denominator
        )

    @property
    def result_label(self) -> str:
        return _("Đạt") if self.passed else _("Không đạt")

    @property
    def denominator_label(self) -> str:
        return str(Denominator.LABELS.get(self.award_type.denominator, ""))

    @property
    def text(self) -> str:
        """ "7/9 = 77,8 % (cần ≥ 70 % tổng số thành viên Hội đồng)"."""
        return _(
            "%(agree)s/%(den)s = %(pct)s %% (cần ≥ %(thr)s %% %(of)s)",
            agree=self.agree,
            den=self.denominator,
            pct=format_number(self.percent, 1) if self.percent is not None else "—",
            thr=format_number(
                self.threshold, 0 if self.threshold == self.threshold.to_integral() else 2
            ),
            of=self.denominator_label,
        )


def tally(meeting: Meeting) -> list[TallyRow]:
    """Per nominee: agree and disagree, the denominator of its award type (all members, or
    those who took part: present or voting in writing), the percentage and the result.
    Members recused from a nominee are left out of its denominator."""
    nominees = finalized(meeting.campaign)
    choices: dict[int, list[str]] = {}
    for nomination_id, choice in db.session.execute(
        select(Vote.nomination_id, Vote.choice).where(Vote.meeting_id == meeting.id)
    ):
        choices.setdefault(nomination_id, []).append(choice)
    written: dict[int, set[int]] = {}
    for nomination_id, user_id in db.session.execute(
        select(VoteCast.nomination_id, VoteCast.user_id).where(
            VoteCast.meeting_id == meeting.id, VoteCast.written.is_(True)
        )
    ):
        written.setdefault(nomination_id, set()).add(user_id)
    quorum = {c.award_type.id: c.met for c in quorum_checks(meeting)}
    roll_ = meeting.attendances
    rows = []
    for nomination in nominees:
        award_type = nomination.award_type
        votes = choices.get(nomination.id, [])
        out = [a for a in roll_ if recused(a.user, nomination)]
        if award_type.denominator == Denominator.PRESENT:
            taking_part = [
                a for a in roll_ if a.present or a.user_id in written.get(nomination.id, set())
            ]
            denominator = len([a for a in taking_part if a not in out])
        else:
            denominator = len(roll_) - len(out)
        agree = votes.count(VoteChoice.AGREE)
        percent = (
            (Decimal(agree * 100) / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if denominator
            else None
        )
        rows.append(
            TallyRow(
                nomination=nomination,
                award_type=award_type,
                agree=agree,
                disagree=votes.count(VoteChoice.DISAGREE),
                recused=len(out),
                written=len(written.get(nomination.id, set())),
                members=len(roll_),
                denominator=denominator,
                percent=percent,
                threshold=Decimal(award_type.threshold_pct),
                quorum_met=quorum.get(award_type.id, False),
            )
        )
    return rows


def progress(meeting: Meeting) -> dict[int, int]:
    """How many members have voted on each nominee so far (counts only, never choices)."""
    found: dict[int, int] = {}
    for (nomination_id,) in db.session.execute(
        select(VoteCast.nomination_id).where(VoteCast.meeting_id == meeting.id)
    ):
        found[nomination_id] = found.get(nomination_id, 0) + 1
    return found


def minutes_data(meeting: Meeting) -> dict:
    """The minutes (biên bản họp Hội đồng) as plain data, for the page and the DOCX."""
    campaign = meeting.campaign
    members, present = counts(meeting)
    attendance = roll(meeting)
    written_voters = set(
        db.session.scalars(
            select(VoteCast.user_id).where(
                VoteCast.meeting_id == meeting.id, VoteCast.written.is_(True)
            )
        )
    )
    rows = tally(meeting)
    nominees = []
    for row in rows:
        nomination = row.nomination
        nominees.append(
            {
                "nomination_id": nomination.id,
                "award_code": row.award_type.code,
                "award_name": row.award_type.name,
                "cluster": nomination.cluster.name if nomination.cluster else "",
                "subject": nomination.subject,
                "name": nomination.display_name,
                "unit": nomination.unit.name,
                "person_name": nomination.person_name,
                "person_title": nomination.person_title,
                "secret_ballot": row.award_type.secret_ballot,
                "agree": row.agree,
                "disagree": row.disagree,
                "recused": row.recused,
                "written": row.written,
                "denominator": row.denominator,
                "denominator_kind": row.award_type.denominator,
                "denominator_label": row.denominator_label,
                "percent": row.percent,
                "threshold": row.threshold,
                "quorum_met": row.quorum_met,
                "passed": row.passed,
                "result": row.result_label,
                "text": row.text,
            }
        )
    return {
        "campaign": {
            "name": campaign.name,
            "slug": campaign.slug,
            "year": campaign.year,
            "form": campaign.form,
        },
        "meeting": {
            "held_on": meeting.held_on,
            "held_on_text": format_date(meeting.held_on),
            "place": meeting.place,
            "chair": meeting.chair,
            "secretary": meeting.secretary,
            "status": meeting.status,
            "closed": is_closed(meeting),
        },
        "attendance": {
            "members": members,
            "present": present,
            "absent": members - present,
            "written": len(written_voters),
            "present_names": [a.user.full_name for a in attendance if a.present],
            "absent_names": [a.user.full_name for a in attendance if not a.present],
            "written_names": [a.user.full_name for a in attendance if a.user_id in written_voters],
        },
        "quorum": [
            {
                "award_code": c.award_type.code,
                "award_name": c.award_type.name,
                "members": c.members,
                "present": c.present,
                "needed": c.needed,
                "quorum": quorum_label(c.quorum),
                "met": c.met,
                "text": c.text,
            }
            for c in quorum_checks(meeting)
        ],
        "nominees": nominees,
        "passed": sum(1 for n in nominees if n["passed"]),
        "total": len(nominees),
    }
