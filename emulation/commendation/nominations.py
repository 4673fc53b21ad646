"""Nominations (đề nghị khen thưởng): proposals computed from the official results, units'
own nominations, discipline flags, and the standing office's final list.

`propose(campaign)` says for every unit and every collective award type of the campaign's
form whether it is eligible and why (or why not), from `standings.board(campaign,
"official")` and the rulebook's eligibility data. The standing office takes the eligible
ones into the list, units add people, collectives and models during the wrap-up phase, and
the office finalizes the list, which locks it for public posting and the council.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select

from emulation.accounts.models import User
from emulation.campaigns.models import Campaign, PhaseKind
from emulation.campaigns.service import participants, participates, require_phase
from emulation.commendation.awards import requirement_gap
from emulation.commendation.models import (
    AwardType,
    DisciplineFlag,
    ListStatus,
    Meeting,
    Nomination,
    NominationList,
    NominationStatus,
    NominationSubject,
    Rulebook,
    Subject,
)
from emulation.commendation.rulebook import current_rulebook, types_for
from emulation.core.clock import format_date, local_today, utcnow
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.text import fold, nfc, sort_key
from emulation.standings import service as standings
from emulation.units.models import ClusterPosition, Unit

COMPUTED = "computed"
ADDED = "added"
SUMMARY_MAX = 4000


def _office_only(user: User) -> None:
    if not user.is_authenticated or not user.is_admin:
        raise NotAllowed(_("Chỉ Thường trực Hội đồng được thực hiện thao tác này."))


def province() -> str:
    return current_app.config.get("PROVINCE_NAME", "Lai Châu")


# --- the campaign's list ----------------------------------------------------------------------


def nomination_list(campaign: Campaign) -> NominationList | None:
    return db.session.scalar(
        select(NominationList).where(NominationList.campaign_id == campaign.id)
    )


def rulebook_for(campaign: Campaign) -> Rulebook | None:
    """The version the campaign's list follows; before there is a list, the one in force."""
    found = nomination_list(campaign)
    if found is not None:
        return found.rulebook
    return current_rulebook(province(), local_today())


def ensure_list(campaign: Campaign) -> NominationList:
    found = nomination_list(campaign)
    if found is not None:
        return found
    rulebook = current_rulebook(province(), local_today())
    if rulebook is None:
        raise DomainError(
            _(
                "Chưa có quy định khen thưởng của tỉnh %(p)s đang có hiệu lực; Thường trực cần lập trước.",
                p=province(),
            )
        )
    found = NominationList(campaign=campaign, rulebook=rulebook, status=ListStatus.OPEN)
    db.session.add(found)
    db.session.flush()
    return found


def is_final(campaign: Campaign) -> bool:
    found = nomination_list(campaign)
    return found is not None and found.is_final


def _require_open(campaign: Campaign) -> None:
    if is_final(campaign):
        raise NotAllowed(_("Danh sách đề nghị khen thưởng đã chốt; không thể thay đổi."))
    if campaign.status == "closed":
        raise NotAllowed(_("Phong trào đã kết thúc; không thể thay đổi."))


def _order_key(nomination: Nomination) -> tuple:
    return (
        nomination.award_type.position,
        nomination.cluster is None,  # proposals outside any cluster come last
        sort_key(nomination.cluster.name if nomination.cluster else ""),
        nomination.rank if nomination.rank is not None else 10**6,
        sort_key(nomination.display_name),
    )


def nominations_of(campaign: Campaign, *, include_removed: bool = False) -> list[Nomination]:
    """The campaign's nominees in agenda order: award type, cluster, rank, name."""
    stmt = select(Nomination).where(Nomination.campaign_id == campaign.id)
    if not include_removed:
        stmt = stmt.where(Nomination.status == NominationStatus.PROPOSED)
    return sorted(db.session.scalars(stmt), key=_order_key)


def nominations_of_unit(campaign: Campaign, unit_id: int) -> list[Nomination]:
    return [n for n in nominations_of(campaign, include_removed=True) if n.unit_id == unit_id]


def finalized(campaign: Campaign) -> list[Nomination]:
    """The final list (empty until the standing office finalizes it), in agenda order."""
    return nominations_of(campaign) if is_final(campaign) else []


def grouped(nominations: list[Nomination]) -> list[tuple[AwardType, list[Nomination]]]:
    """Nominees per award type, keeping the order they come in."""
    groups: dict[int, tuple[AwardType, list[Nomination]]] = {}
    for nomination in nominations:
        groups.setdefault(nomination.award_type_id, (nomination.award_type, []))[1].append(
            nomination
        )
    return list(groups.values())


# --- discipline -------------------------------------------------------------------------------


def flags(*, active_only: bool = False, day: date | None = None) -> list[DisciplineFlag]:
    day = day or local_today()
    stmt = select(DisciplineFlag)
    if active_only:
        stmt = stmt.where(or_(DisciplineFlag.until.is_(None), DisciplineFlag.until >= day))
    return sorted(
        db.session.scalars(stmt),
        key=lambda f: (sort_key(f.unit.name), sort_key(f.person_name)),
    )


def active_flag(
    unit_id: int, person_name: str = "", day: date | None = None
) -> DisciplineFlag | None:
    """The flag that stops this unit (person_name empty) or this person of the unit."""
    wanted = fold(person_name)
    for flag in flags(active_only=True, day=day):
        if flag.unit_id == unit_id and fold(flag.person_name) == wanted:
            return flag
    return None


def flag_text(flag: DisciplineFlag) -> str:
    if flag.until:
        return _(
            "Đang bị xem xét, xử lý kỷ luật: %(reason)s (đến %(until)s).",
            reason=flag.reason,
            until=format_date(flag.until),
        )
    return _("Đang bị xem xét, xử lý kỷ luật: %(reason)s.", reason=flag.reason)


def add_flag(
    user: User, *, unit: Unit, reason: str, person_name: str = "", until: date | None = None
) -> DisciplineFlag:
    _office_only(user)
    reason = nfc(reason)
    if not reason:
        raise DomainError(_("Cần ghi lý do."), "reason")
    flag = DisciplineFlag(
        unit=unit, person_name=nfc(person_name), reason=reason, until=until, created_by_id=user.id
    )
    db.session.add(flag)
    return flag


def remove_flag(user: User, flag: DisciplineFlag) -> None:
    _office_only(user)
    db.session.delete(flag)


# --- proposals from the official results ------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """One unit against one award type: eligible or not, and the reason in Vietnamese."""

    award_type: AwardType
    unit_id: int
    unit_name: str
    cluster_id: int | None
    cluster_name: str
    rank: int | None
    total: Decimal | None
    grade: str | None
    eligible: bool
    reason: str


def _at_least(grade: str | None, minimum: str, grades: list[str]) -> bool:
    if grade is None or grade not in grades or minimum not in grades:
        return False
    return grades.index(grade) <= grades.index(minimum)


def _check_rule(award_type: AwardType, group, row, grades: list[str], positions: dict):
    """(eligible, reason) by the rule alone."""
    data = award_type.eligibility or {}
    rule = data.get("rule")
    cluster = group.name
    grade = row.grade or _("chưa xếp loại")
    if rule in ("cluster_first", "top_k") and group.cluster_id is None:
        return False, _("Không thuộc cụm, khối thi đua nào.")
    if rule == "cluster_first":
        minimum = data.get("min_grade")
        if data.get("by") == "position":
            first = positions.get(row.unit_id) == ClusterPosition.LEADER
            if not first:
                return False, _("Không phải cụm trưởng %(c)s.", c=cluster)
        elif row.rank != 1:
            return False, _(
                "Xếp thứ %(rank)s trong %(c)s, không dẫn đầu.", rank=row.rank, c=cluster
            )
        if minimum and not _at_least(row.grade, minimum, grades):
            return False, _(
                "Dẫn đầu %(c)s nhưng xếp loại %(g)s, cần từ %(min)s trở lên.",
                c=cluster,
                g=grade,
                min=minimum,
            )
        return True, _("Đứng đầu %(c)s với xếp loại %(g)s.", c=cluster, g=grade)
    if rule == "top_k":
        k = int(data.get("k") or 0)
        minimum, alternative = data.get("min_grade"), data.get("or_min_grade")
        in_top = row.rank is not None and row.rank <= k
        grade_ok = not minimum or _at_least(row.grade, minimum, grades)
        if in_top and grade_ok:
            return True, _(
                "Xếp thứ %(rank)s trong %(c)s (%(k)s đơn vị đầu được đề nghị), xếp loại %(g)s.",
                rank=row.rank,
                c=cluster,
                k=k,
                g=grade,
            )
        if alternative and _at_least(row.grade, alternative, grades):
            return True, _("Xếp loại %(g)s (từ %(min)s trở lên).", g=grade, min=alternative)
        if not in_top:
            return False, _(
                "Xếp thứ %(rank)s trong cụm, chỉ %(k)s đơn vị đầu được đề nghị.",
                rank=row.rank,
                k=k,
            )
        return False, _("Xếp loại %(g)s, cần từ %(min)s trở lên.", g=grade, min=minimum)
    if rule == "min_grade":
        minimum = data.get("grade", "")
        if row.grade is None:
            return False, _("Chưa được xếp loại.")
        if _at_least(row.grade, minimum, grades):
            return True, _("Xếp loại %(g)s (từ %(min)s trở lên).", g=grade, min=minimum)
        return False, _("Xếp loại %(g)s, cần từ %(min)s trở lên.", g=grade, min=minimum)
    return False, _("Do đơn vị đề nghị.")


def propose(campaign: Campaign, rulebook: Rulebook | None = None) -> list[Proposal]:
    """Every unit against every computed collective award type of the campaign's form."""
    rulebook = rulebook or rulebook_for(campaign)
    if rulebook is None:
        return []
    award_types = [
        t for t in types_for(rulebook, campaign.form, Subject.COLLECTIVE) if t.rule != "manual"
    ]
    if not award_types:
        return []
    board = standings.board(campaign, standings.OFFICIAL)
    grades = list(board.grades)
    entries = [(group, row) for group in board.groups for row in group.rows]
    on_board = {row.unit_id for _group, row in entries}
    missing = [u for u in participants(campaign) if u.id not in on_board]
    positions = {m.unit_id: m.position for c in campaign.clusters for m in c.members}
    unit_flags = {f.unit_id: f for f in flags(active_only=True) if not f.person_name and f.unit_id}
    eligible_codes: dict[int, dict[str, str]] = defaultdict(dict)
    proposals: list[Proposal] = []
    for award_type in award_types:
        data = award_type.eligibility or {}
        verdicts: dict[int, tuple[bool, str]] = {}
        for group, row in entries:
            ok, reason = _check_rule(award_type, group, row, grades, positions)
            if ok:
                taken = [
                    name
                    for code, name in eligible_codes[row.unit_id].items()
                    if code in (data.get("unless") or [])
                ]
                if taken:
                    ok, reason = False, _("Đã được đề nghị %(award)s.", award=taken[0])
            if ok:
                gap = requirement_gap(award_type, row.unit_id, campaign.year)
                if gap:
                    ok, reason = False, gap
            if ok and row.unit_id in unit_flags:
                ok, reason = False, flag_text(unit_flags[row.unit_id])
            verdicts[row.unit_id] = (ok, reason)
        if award_type.quota_per_cluster:
            for group in board.groups:
                chosen = [r for r in group.rows if verdicts[r.unit_id][0]]
                for row in chosen[award_type.quota_per_cluster :]:
                    verdicts[row.unit_id] = (
                        False,
                        _(
                            "Vượt số lượng tối đa %(n)s đơn vị mỗi cụm, khối.",
                            n=award_type.quota_per_cluster,
                        ),
                    )
        if award_type.quota_total:
            chosen = sorted(
                (row for _group, row in entries if verdicts[row.unit_id][0]),
                key=lambda r: (-r.total, r.rank, sort_key(r.name)),
            )
            for row in chosen[award_type.quota_total :]:
                verdicts[row.unit_id] = (
                    False,
                    _("Vượt số lượng tối đa %(n)s đơn vị toàn tỉnh.", n=award_type.quota_total),
                )
        for group, row in entries:
            ok, reason = verdicts[row.unit_id]
            if ok:
                eligible_codes[row.unit_id][award_type.code] = award_type.name
            proposals.append(
                Proposal(
                    award_type,
                    row.unit_id,
                    row.name,
                    group.cluster_id,
                    group.name,
                    row.rank,
                    row.total,
                    row.grade,
                    ok,
                    reason,
                )
            )
        for unit in missing:
            proposals.append(
                Proposal(
                    award_type,
                    unit.id,
                    unit.name,
                    None,
                    "",
                    None,
                    None,
                    None,
                    False,
                    _("Chưa có kết quả chấm điểm chính thức."),
                )
            )
    return proposals


def apply_proposals(campaign: Campaign, user: User) -> int:
    """Take every eligible proposal into the list (once); returns how many were added."""
    _office_only(user)
    _require_open(campaign)
    found = ensure_list(campaign)
    existing = {
        (n.award_type_id, n.unit_id)
        for n in nominations_of(campaign, include_removed=True)
        if n.subject == NominationSubject.UNIT
    }
    added = 0
    for proposal in propose(campaign, found.rulebook):
        if not proposal.eligible or (proposal.award_type.id, proposal.unit_id) in existing:
            continue
        db.session.add(
            Nomination(
                campaign_id=campaign.id,
                award_type_id=proposal.award_type.id,
                subject=NominationSubject.UNIT,
                unit_id=proposal.unit_id,
                cluster_id=proposal.cluster_id,
                rank=proposal.rank,
                grade=proposal.grade,
                total=proposal.total,
                reason=proposal.reason,
                source=COMPUTED,
                proposed_by_id=user.id,
            )
        )
        existing.add((proposal.award_type.id, proposal.unit_id))
        added += 1
    return added


# --- nominations added by hand ----------------------------------------------------------------


def allowed_types(campaign: Campaign, subject: str) -> list[AwardType]:
    """Award types a nomination of this subject may ask for in this campaign."""
    rulebook = rulebook_for(campaign)
    if rulebook is None:
        return []
    wanted = {
        NominationSubject.UNIT: Subject.COLLECTIVE,
        NominationSubject.PERSON: Subject.INDIVIDUAL,
    }.get(subject)
    return types_for(rulebook, campaign.form, wanted)


def _check_may_add(campaign: Campaign, user: User, unit: Unit) -> None:
    if not user.is_authenticated:
        raise NotAllowed(_("Vui lòng đăng nhập để tiếp tục."))
    if user.is_admin:
        pass
    elif user.is_unit_officer:
        if user.unit_id != unit.id:
            raise NotAllowed(_("Chỉ được đề nghị khen thưởng cho đơn vị của mình."))
        require_phase(campaign, PhaseKind.WRAPUP)
    else:
        raise NotAllowed(_("Tài khoản này không đề nghị khen thưởng."))
    _require_open(campaign)
    if not participates(campaign, unit):
        raise DomainError(_("%(unit)s không tham gia phong trào này.", unit=unit.name), "unit_id")


def _same_subject(a: Nomination, subject: str, unit_id: int, person_name: str) -> bool:
    if a.unit_id != unit_id or a.subject != subject:
        return False
    return subject == NominationSubject.UNIT or fold(a.person_name) == fold(person_name)


def _check_summary(summary: str, required: bool) -> None:
    if required and not summary:
        raise DomainError(_("Cần tóm tắt thành tích."), "summary")
    if len(summary) > SUMMARY_MAX:
        raise DomainError(_("Tóm tắt thành tích tối đa %(n)s ký tự.", n=SUMMARY_MAX), "summary")


def _check_subject(
    campaign: Campaign,
    *,
    award_type: AwardType | None,
    subject: str,
    unit: Unit,
    person_name: str,
    current: Nomination | None = None,
) -> None:
    """Type fits the subject; a name for people and models; not under discipline; the
    history the type requires; not already on the list."""
    if subject not in NominationSubject.LABELS:
        raise DomainError(_("Đối tượng không hợp lệ."), "subject")
    if award_type is None or award_type not in allowed_types(campaign, subject):
        raise DomainError(
            _("Hình thức khen thưởng này không áp dụng cho đối tượng đã chọn."), "award_type_id"
        )
    if subject == NominationSubject.PERSON and not person_name:
        raise DomainError(_("Cần nhập họ và tên."), "person_name")
    if subject == NominationSubject.MODEL and not person_name:
        raise DomainError(_("Cần nhập tên điển hình, mô hình."), "person_name")
    person = "" if subject == NominationSubject.UNIT else person_name
    flag = active_flag(unit.id, person)
    if flag is not None:
        raise DomainError(
            _(
                "Không thể đề nghị %(who)s. %(reason)s",
                who=person or unit.name,
                reason=flag_text(flag),
            ),
            "person_name" if person else "unit_id",
        )
    gap = requirement_gap(award_type, unit.id, campaign.year, person)
    if gap:
        raise DomainError(gap, "award_type_id")
    for other in nominations_of(campaign):
        if (
            other is not current
            and other.award_type_id == award_type.id
            and _same_subject(other, subject, unit.id, person_name)
        ):
            raise DomainError(
                _("Đã có đề nghị %(award)s cho đối tượng này.", award=award_type.name),
                "award_type_id",
            )


def add_nomination(
    campaign: Campaign,
    user: User,
    *,
    award_type: AwardType | None,
    subject: str,
    unit: Unit,
    summary: str,
    person_name: str = "",
    person_title: str = "",
) -> Nomination:
    """A nomination added by a unit (its own, in the wrap-up phase) or by the standing office."""
    _check_may_add(campaign, user, unit)
    ensure_list(campaign)
    person_name, person_title, summary = nfc(person_name), nfc(person_title), nfc(summary)
    if subject == NominationSubject.UNIT:
        person_name = person_title = ""
    _check_subject(
        campaign, award_type=award_type, subject=subject, unit=unit, person_name=person_name
    )
    _check_summary(summary, required=True)
    cluster = next(
        (c for c in campaign.clusters if any(m.unit_id == unit.id for m in c.members)), None
    )
    nomination = Nomination(
        campaign_id=campaign.id,
        award_type=award_type,
        subject=subject,
        unit=unit,
        person_name=person_name,
        person_title=person_title,
        cluster_id=cluster.id if cluster else None,
        summary=summary,
        reason=_("Đơn vị đề nghị.") if user.is_unit_officer else _("Thường trực đề nghị."),
        source=ADDED,
        proposed_by_id=user.id,
    )
    db.session.add(nomination)
    return nomination


def can_edit(nomination: Nomination, user: User) -> bool:
    """Whether this user may change this nomination now (the server checks again)."""
    if not user.is_authenticated or is_final(nomination.campaign):
        return False
    if user.is_admin:
        return True
    return (
        user.is_unit_officer
        and user.unit_id == nomination.unit_id
        and nomination.source == ADDED
        and nomination.is_active
    )


def can_edit_reason(user: User) -> bool:
    """The standing office words why a nominee is proposed; a unit writes only the summary."""
    return user.is_authenticated and user.is_admin


def update_nomination(
    nomination: Nomination,
    user: User,
    *,
    summary: str,
    reason: str | None = None,
    person_name: str | None = None,
    person_title: str | None = None,
) -> Nomination:
    """Edit the summary and a person's name and title; the office may also edit the reason."""
    campaign = nomination.campaign
    if not can_edit(nomination, user):
        _require_open(campaign)
        raise NotAllowed(_("Bạn không được sửa đề nghị này."))
    if user.is_unit_officer:
        require_phase(campaign, PhaseKind.WRAPUP)
    summary = nfc(summary)
    _check_summary(summary, required=nomination.source == ADDED)
    if nomination.subject != NominationSubject.UNIT and person_name is not None:
        person_name = nfc(person_name)
        if fold(person_name) != fold(nomination.person_name):
            _check_subject(
                campaign,
                award_type=nomination.award_type,
                subject=nomination.subject,
                unit=nomination.unit,
                person_name=person_name,
                current=nomination,
            )
        nomination.person_name = person_name
        if person_title is not None:
            nomination.person_title = nfc(person_title)
    nomination.summary = summary
    if reason is not None and can_edit_reason(user):
        nomination.reason = nfc(reason)
    return nomination


def _voting_started(campaign: Campaign) -> bool:
    meeting = db.session.scalar(select(Meeting).where(Meeting.campaign_id == campaign.id))
    return meeting is not None and meeting.status != "preparing"


def can_withdraw(user: User, campaign: Campaign) -> bool:
    """The standing office takes any nominee off the list (with a note once it is final)
    until the council starts voting, while the campaign runs."""
    return (
        user.is_authenticated
        and user.is_admin
        and not _voting_started(campaign)
        and campaign.status != "closed"
    )


def remove_nomination(nomination: Nomination, user: User, note: str = "") -> None:
    """Take a nominee off the list. A unit deletes its own addition before the list is final;
    the office marks any nominee removed with a note, also after finalizing (for instance on
    a comment from the public) until the council starts voting."""
    campaign = nomination.campaign
    note = nfc(note)
    if user.is_authenticated and user.is_admin:
        if not can_withdraw(user, campaign):
            if _voting_started(campaign):
                raise NotAllowed(
                    _("Hội đồng đã bắt đầu biểu quyết; không thể rút tên khỏi danh sách.")
                )
            raise NotAllowed(_("Phong trào đã kết thúc; không thể thay đổi."))
        if is_final(campaign) and not note:
            raise DomainError(_("Cần ghi lý do rút tên khỏi danh sách đã chốt."), "note")
        nomination.status = NominationStatus.REMOVED
        nomination.status_note = note
        return
    if not can_edit(nomination, user):
        _require_open(campaign)
        raise NotAllowed(_("Bạn không được xóa đề nghị này."))
    require_phase(campaign, PhaseKind.WRAPUP)
    db.session.delete(nomination)


def restore_nomination(nomination: Nomination, user: User) -> None:
    _office_only(user)
    _require_open(nomination.campaign)
    nomination.status = NominationStatus.PROPOSED
    nomination.status_note = ""


# --- finalizing -------------------------------------------------------------------------------


def flagged_nominees(campaign: Campaign) -> list[tuple[Nomination, DisciplineFlag]]:
    found = []
    for nomination in nominations_of(campaign):
        person = "" if nomination.subject == NominationSubject.UNIT else nomination.person_name
        flag = active_flag(nomination.unit_id, person)
        if flag is not None:
            found.append((nomination, flag))
    return found


def finalize(campaign: Campaign, user: User) -> NominationList:
    """Lock the list: no more additions or edits; public posting starts today unless a
    start date was set."""
    _office_only(user)
    _require_open(campaign)
    found = ensure_list(campaign)
    if not nominations_of(campaign):
        raise DomainError(_("Danh sách chưa có đề nghị nào."))
    flagged = flagged_nominees(campaign)
    if flagged:
        raise DomainError(
            _(
                "Có đối tượng đang bị xem xét kỷ luật, cần loại khỏi danh sách: %(names)s.",
                names="; ".join(n.display_name for n, _flag in flagged),
            )
        )
    found.status = ListStatus.FINALIZED
    found.finalized_at = utcnow()
    found.finalized_by_id = user.id
    found.posting_from = found.posting_from or local_today()
    return found


def reopen(campaign: Campaign, user: User) -> NominationList:
    """Unlock the list, as long as no council meeting has been set up for it."""
    _office_only(user)
    found = nomination_list(campaign)
    if found is None or not found.is_final:
        raise DomainError(_("Danh sách chưa chốt."))
    if db.session.scalar(select(Meeting.id).where(Meeting.campaign_id == campaign.id)):
        raise NotAllowed(_("Đã lập cuộc họp Hội đồng; không thể mở lại danh sách."))
    found.status = ListStatus.OPEN
    found.finalized_at = None
    found.finalized_by_id = None
    return found
