"""The council meeting: set-up and attendance by the standing office, members' ballots,
absent members' written votes, the tally and the minutes (biên bản)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from emulation.accounts.models import Role, User
from emulation.campaigns.models import Campaign
from emulation.commendation import meetings as domain
from emulation.commendation import posting
from emulation.commendation.models import Meeting, VoteChoice
from emulation.commendation.nominations import is_final
from emulation.core.extensions import db
from emulation.web.actions import Outcome, act
from emulation.web.common import get_campaign, is_htmx, role_required
from forms.awards import MeetingForm

bp = Blueprint("meetings", __name__)


def _meeting(campaign: Campaign) -> Meeting:
    meeting = domain.meeting_of(campaign)
    if meeting is None:
        abort(404)
    return meeting


def _context(campaign: Campaign, meeting: Meeting | None, **extra) -> dict:
    context = dict(
        campaign=campaign,
        meeting=meeting,
        final=is_final(campaign),
        blockers=posting.meeting_blockers(campaign),
        form=MeetingForm(obj=meeting) if meeting else MeetingForm(),
    )
    if meeting is not None:
        members, present = domain.counts(meeting)
        closed = domain.is_closed(meeting)
        context.update(
            roll=domain.roll(meeting),
            members=members,
            present=present,
            checks=domain.quorum_checks(meeting),
            voting_blockers=domain.voting_blockers(meeting)
            if meeting.status == "preparing"
            else [],
            agenda=domain.agenda(meeting),
            progress=domain.progress(meeting),
            tally=domain.tally(meeting) if closed else [],
            can_prepare=domain.can_prepare(current_user, meeting),
            can_close=domain.can_close(current_user, meeting),
        )
    context.update(extra)
    return context


def _to_manage(campaign: Campaign):
    return redirect(url_for("meetings.manage", slug=campaign.slug))


@bp.route("/campaigns/<slug>/meeting", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def manage(slug: str):
    campaign = get_campaign(slug)
    meeting = domain.meeting_of(campaign)
    form = MeetingForm(obj=meeting) if meeting else MeetingForm()
    if form.validate_on_submit():
        fields = dict(
            held_on=form.held_on.data,
            place=form.place.data or "",
            chair=form.chair.data or "",
            secretary=form.secretary.data or "",
        )

        def save():
            if meeting is None:
                return domain.create_meeting(campaign, current_user, **fields)
            return domain.update_meeting(meeting, current_user, **fields)

        done = act(
            save,
            form=form,
            field="held_on",
            success=_("Đã lưu thông tin cuộc họp."),
        )
        if done:
            return done.redirect(url_for("meetings.manage", slug=slug))
        meeting = domain.meeting_of(campaign)
    return render_template("meetings/manage.html", **_context(campaign, meeting, form=form))


@bp.post("/campaigns/<slug>/meeting/attendance/<int:user_id>")
@role_required(Role.ADMIN)
def attendance(slug: str, user_id: int):
    campaign = get_campaign(slug)
    meeting = _meeting(campaign)
    done = act(
        lambda: domain.set_attendance(
            meeting, current_user, user_id, request.form.get("present") == "1"
        )
    )
    return done.answer(
        url_for("meetings.manage", slug=slug),
        lambda: render_template(
            "meetings/_roll.html", **_context(campaign, meeting, refusal=done.error)
        ),
    )


@bp.post("/campaigns/<slug>/meeting/sync")
@role_required(Role.ADMIN)
def sync(slug: str):
    campaign = get_campaign(slug)
    meeting = _meeting(campaign)
    done = act(
        lambda: domain.sync_members(meeting, current_user),
        success=lambda added: _("Đã thêm %(n)s thành viên vào danh sách điểm danh.", n=added),
    )
    return done.redirect(url_for("meetings.manage", slug=slug))


@bp.post("/campaigns/<slug>/meeting/open")
@role_required(Role.ADMIN)
def open_voting(slug: str):
    campaign = get_campaign(slug)
    meeting = _meeting(campaign)
    done = act(
        lambda: domain.open_voting(meeting, current_user),
        success=_("Đã mở biểu quyết. Thành viên có mặt bỏ phiếu trên trang của mình."),
    )
    return done.redirect(url_for("meetings.manage", slug=slug))


@bp.post("/campaigns/<slug>/meeting/close")
@role_required(Role.ADMIN)
def close_voting(slug: str):
    campaign = get_campaign(slug)
    meeting = _meeting(campaign)
    done = act(
        lambda: domain.close_voting(meeting, current_user),
        success=_("Đã kết thúc biểu quyết. Kết quả kiểm phiếu ở dưới."),
    )
    return done.redirect(url_for("meetings.manage", slug=slug))


# --- ballots ----------------------------------------------------------------------------------


def _read_choices(lines) -> dict[int, str]:
    found = {}
    for line in lines:
        if line.state != "open":
            continue
        choice = request.form.get(f"vote-{line.nomination.id}", "")
        if choice in VoteChoice.LABELS:
            found[line.nomination.id] = choice
    return found


def _ballot_page(campaign, meeting, member, *, written: bool, done: Outcome | None = None):
    """The ballot; after a submission answered by htmx, with what came of it."""
    lines = domain.ballot(meeting, member)
    template = "meetings/_ballot.html" if is_htmx() else "meetings/ballot.html"
    return render_template(
        template,
        campaign=campaign,
        meeting=meeting,
        member=member,
        lines=lines,
        attendance=domain.attendance_of(meeting, member.id),
        written=written,
        choices=VoteChoice.LABELS,
        message=(done.category, done.message or done.error) if done else None,
    )


def _cast(meeting, member, *, entered_by=None) -> Outcome:
    """Cast the ballot posted."""
    chosen = _read_choices(domain.ballot(meeting, member))
    done = act(
        lambda: domain.cast_ballot(meeting, member, chosen, entered_by=entered_by),
        success=lambda count: _("Đã ghi nhận %(n)s phiếu.", n=count),
    )
    if done:
        domain.blur_ballots(meeting)
    return done


@bp.route("/campaigns/<slug>/meeting/ballot", methods=["GET", "POST"])
@role_required(Role.COUNCIL_MEMBER)
def ballot(slug: str):
    """A member's own ballot during the meeting."""
    campaign = get_campaign(slug)
    meeting = _meeting(campaign)
    if request.method == "POST":
        done = _cast(meeting, current_user)
        return done.answer(
            url_for("meetings.ballot", slug=slug),
            lambda: _ballot_page(campaign, meeting, current_user, written=False, done=done),
        )
    return _ballot_page(campaign, meeting, current_user, written=False)


@bp.route("/campaigns/<slug>/meeting/written/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def written(slug: str, user_id: int):
    """The standing office enters an absent member's written vote."""
    campaign = get_campaign(slug)
    meeting = _meeting(campaign)
    member = db.get_or_404(User, user_id)
    if domain.attendance_of(meeting, member.id) is None:
        abort(404)
    if request.method == "POST":
        done = _cast(meeting, member, entered_by=current_user)
        if done:
            return done.redirect(url_for("meetings.manage", slug=slug))
        done.flash()
    return _ballot_page(campaign, meeting, member, written=True)


# --- minutes ----------------------------------------------------------------------------------


@bp.get("/campaigns/<slug>/meeting/minutes")
@role_required(Role.ADMIN, Role.COUNCIL_MEMBER)
def minutes(slug: str):
    campaign = get_campaign(slug)
    meeting = _meeting(campaign)
    if not domain.is_closed(meeting):
        flash(_("Biên bản có sau khi kết thúc biểu quyết."), "info")
        if current_user.is_admin:
            return _to_manage(campaign)
        return redirect(url_for("meetings.ballot", slug=slug))
    return render_template(
        "meetings/minutes.html",
        campaign=campaign,
        data=domain.minutes_data(meeting),
        meeting_id=meeting.id,
    )
