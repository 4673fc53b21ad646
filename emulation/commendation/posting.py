"""Public posting (công khai) of the final list before the council meets (NĐ 98 Điều 46).

The window starts on the list's posting date and lasts the longest `posting_days` among the
award types on the list, in working days (0 = posting not required). Anyone may comment;
comments appear publicly only once the standing office has handled them, and the council
cannot start voting while one is unhandled or the window is still running.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from emulation.accounts.models import User
from emulation.campaigns.models import Campaign
from emulation.commendation.models import CommentStatus, Meeting, MeetingStatus, PostingComment
from emulation.commendation.nominations import finalized, nomination_list
from emulation.commendation.rulebook import working_days_end
from emulation.core.clock import format_date, local_today, utcnow
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.text import nfc

CONTENT_MAX = 3000


@dataclass(frozen=True)
class Window:
    starts_on: date
    ends_on: date
    days: int  # working days required; 0 = posting optional

    def has_ended(self, day: date) -> bool:
        return self.days == 0 or day > self.ends_on


def window(campaign: Campaign) -> Window | None:
    """The posting window of the final list, or None before the list is final."""
    found = nomination_list(campaign)
    nominees = finalized(campaign)
    if found is None or not found.is_final or not nominees or found.posting_from is None:
        return None
    days = max(n.award_type.posting_days for n in nominees)
    ends = working_days_end(found.posting_from, days, found.rulebook.holidays)
    return Window(found.posting_from, ends, days)


def _meeting(campaign: Campaign) -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.campaign_id == campaign.id))


def can_move_start(user: User, campaign: Campaign) -> bool:
    """The standing office moves the first day of posting until the council starts voting."""
    meeting = _meeting(campaign)
    return (
        user.is_authenticated
        and user.is_admin
        and (meeting is None or meeting.status == MeetingStatus.PREPARING)
    )


def set_start(campaign: Campaign, user: User, day: date) -> None:
    """Move the first day of posting (before the council starts voting)."""
    if not user.is_authenticated or not user.is_admin:
        raise NotAllowed(_("Chỉ Thường trực Hội đồng được thực hiện thao tác này."))
    found = nomination_list(campaign)
    if found is None or not found.is_final:
        raise DomainError(_("Danh sách chưa chốt."), "posting_from")
    if not can_move_start(user, campaign):
        raise NotAllowed(_("Hội đồng đã bắt đầu biểu quyết; không đổi được thời gian công khai."))
    if day is None:
        raise DomainError(_("Cần nhập ngày bắt đầu công khai."), "posting_from")
    found.posting_from = day


def accepts_comments(campaign: Campaign, day: date | None = None) -> bool:
    """Comments are taken from the first day of posting until the council starts voting."""
    day = day or local_today()
    current = window(campaign)
    if current is None or day < current.starts_on:
        return False
    meeting = _meeting(campaign)
    return meeting is None or meeting.status == MeetingStatus.PREPARING


def submit_comment(
    campaign: Campaign,
    *,
    content: str,
    author_name: str = "",
    contact: str = "",
    nomination_id: int | None = None,
) -> PostingComment:
    """A comment from anyone; it waits for the standing office before it is shown."""
    if not accepts_comments(campaign):
        raise NotAllowed(_("Danh sách hiện không nhận ý kiến."))
    content = nfc(content)
    if not content:
        raise DomainError(_("Cần nhập nội dung ý kiến."), "content")
    if len(content) > CONTENT_MAX:
        raise DomainError(_("Nội dung tối đa %(n)s ký tự.", n=CONTENT_MAX), "content")
    nomination = None
    if nomination_id:
        nomination = next((n for n in finalized(campaign) if n.id == nomination_id), None)
        if nomination is None:
            raise DomainError(_("Đối tượng không có trong danh sách công khai."), "nomination_id")
    comment = PostingComment(
        campaign_id=campaign.id,
        nomination=nomination,
        author_name=nfc(author_name)[:120],
        contact=nfc(contact)[:120],
        content=content,
    )
    db.session.add(comment)
    return comment


def handle_comment(
    comment: PostingComment, user: User, *, status: str, note: str, public: bool = True
) -> PostingComment:
    """Accept (tiếp thu) or dismiss a comment, with the office's note."""
    if not user.is_authenticated or not user.is_admin:
        raise NotAllowed(_("Chỉ Thường trực Hội đồng được thực hiện thao tác này."))
    if status not in (CommentStatus.ACCEPTED, CommentStatus.DISMISSED):
        raise DomainError(_("Chọn tiếp thu hoặc không tiếp thu."), "status")
    note = nfc(note)
    if not note:
        raise DomainError(_("Cần ghi nội dung xử lý, trả lời."), "note")
    comment.status = status
    comment.handled_note = note
    comment.public = public
    comment.handled_by_id = user.id
    comment.handled_at = utcnow()
    return comment


def comments(campaign: Campaign) -> list[PostingComment]:
    """Every comment, unhandled first, then newest first."""
    found = db.session.scalars(
        select(PostingComment).where(PostingComment.campaign_id == campaign.id)
    )
    return sorted(found, key=lambda c: (c.is_handled, -c.submitted_at.timestamp(), -c.id))


def public_comments(campaign: Campaign) -> list[PostingComment]:
    """Handled comments the office chose to publish, with its answers."""
    return [c for c in comments(campaign) if c.is_handled and c.public]


def unhandled_count(campaign: Campaign) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(PostingComment)
        .where(
            PostingComment.campaign_id == campaign.id,
            PostingComment.status == CommentStatus.NEW,
        )
    )


def meeting_blockers(campaign: Campaign, day: date | None = None) -> list[str]:
    """What still stops the council from voting, in words for the standing office."""
    day = day or local_today()
    found = nomination_list(campaign)
    if found is None or not found.is_final:
        return [_("Danh sách đề nghị khen thưởng chưa chốt.")]
    problems = []
    current = window(campaign)
    if current is not None and not current.has_ended(day):
        problems.append(
            _(
                "Đang công khai danh sách đến hết ngày %(end)s (%(n)s ngày làm việc).",
                end=format_date(current.ends_on),
                n=current.days,
            )
        )
    waiting = unhandled_count(campaign)
    if waiting:
        problems.append(_("Còn %(n)s ý kiến của nhân dân chưa xử lý.", n=waiting))
    return problems


def can_open_meeting(campaign: Campaign, day: date | None = None) -> bool:
    """True when the list is final, the posting window is over and every comment handled."""
    return not meeting_blockers(campaign, day)
