"""The commendation dossier filled from what the system records: the tờ trình and the list of
nominees from the finalized list, the minutes and the vote results from the council meeting.

Documents are written in Vietnamese whatever the interface language, as the law wants them.
`submission_for` and `nominee_list_for` need a finalized list; `minutes_for` and
`results_rows_for` need a meeting whose voting is closed (see `meetings.is_closed`).
"""

from __future__ import annotations

from datetime import datetime, time

from flask import current_app

from emulation.campaigns.models import Campaign
from emulation.commendation import decisions, meetings, nominations
from emulation.commendation.documents.inputs import (
    Attendee,
    AwardGroup,
    Minutes,
    Nominee,
    NomineeList,
    NomineeRow,
    Signature,
    Submission,
    VoteRow,
)
from emulation.commendation.documents.wording import BLANK, long_date
from emulation.commendation.models import Denominator, Meeting, Nomination, NominationSubject
from emulation.core.clock import format_date, to_local
from emulation.core.numbers import format_percent

ISSUING_BODY = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH"
COUNCIL = "Hội đồng Thi đua – Khen thưởng tỉnh"
SUBMISSION_NUMBER = "        /TTr-HĐTĐKT"
LAW = "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;"
DECREE = (
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi "
    "tiết thi hành một số điều của Luật Thi đua, khen thưởng;"
)
DENOMINATOR_TEXT = {
    Denominator.ALL: "tổng số thành viên Hội đồng",
    Denominator.PRESENT: "số thành viên tham gia biểu quyết",
}
DEFAULT_START = time(8, 0)


def _province() -> str:
    return current_app.config.get("PROVINCE_NAME", "Lai Châu")


def _parent_body() -> str:
    return f"ỦY BAN NHÂN DÂN TỈNH {_province().upper()}"


def _person(name: str, title: str) -> str:
    return f"{name}, {title}" if title else name


def _name_and_unit(nomination: Nomination) -> tuple[str, str]:
    """A collective by its own name; a person or a model with the unit beside it."""
    if nomination.subject == NominationSubject.UNIT:
        return nomination.unit.name, ""
    return _person(nomination.person_name, nomination.person_title), nomination.unit.name


def _achievement(nomination: Nomination) -> str:
    return (nomination.summary or nomination.reason or "").strip()


def _nominee(nomination: Nomination) -> Nominee:
    name, unit = _name_and_unit(nomination)
    return Nominee(
        name=name,
        unit=unit,
        achievement=_achievement(nomination),
        is_collective=nomination.subject != NominationSubject.PERSON,
    )


# --- tờ trình and the list sent with it ---------------------------------------------------------


def _basis(campaign: Campaign) -> list[str]:
    lines = [LAW, DECREE]
    if campaign.decision_number:
        issued = f" {long_date(campaign.decision_date)}" if campaign.decision_date else ""
        authority = campaign.authority or f"Ủy ban nhân dân tỉnh {_province()}"
        lines.append(
            f"Căn cứ Quyết định số {campaign.decision_number}{issued} của {authority} "
            f"phát động {campaign.name};"
        )
    if _voted(campaign):
        meeting = meetings.meeting_of(campaign)
        lines.append(
            f"Căn cứ kết quả biểu quyết tại cuộc họp {COUNCIL} {long_date(meeting.held_on)};"
        )
    return lines


def _voted(campaign: Campaign) -> bool:
    meeting = meetings.meeting_of(campaign)
    return meeting is not None and meetings.is_closed(meeting)


def submission_groups(campaign: Campaign) -> list[AwardGroup]:
    """The finalized list per award type; once the council's voting is closed, only the
    nominees who passed the vote (the others are not proposed to the chairman)."""
    if _voted(campaign):
        return [
            AwardGroup(award=award_type.name, nominees=[_nominee(r.nomination) for r in rows])
            for award_type, rows in decisions.passed_by_type(campaign)
        ]
    return [
        AwardGroup(award=award_type.name, nominees=[_nominee(n) for n in items])
        for award_type, items in nominations.grouped(nominations.finalized(campaign))
    ]


def submission_for(campaign: Campaign) -> Submission:
    """Mẫu 01 from the finalized list (after the vote: those who passed), one group per award
    type in the list's order. The number and the day are left blank, to be written when it
    is signed."""
    groups = submission_groups(campaign)
    return Submission(
        number=SUBMISSION_NUMBER,
        issuing_body=ISSUING_BODY,
        parent_body=_parent_body(),
        recipient=f"Chủ tịch Ủy ban nhân dân tỉnh {_province()}",
        subject=f"Về việc đề nghị khen thưởng tổng kết {campaign.name}",
        proposer=COUNCIL,
        place=_province(),
        signature=Signature(title="PHÓ CHỦ TỊCH THƯỜNG TRỰC", on_behalf="KT. CHỦ TỊCH"),
        basis=_basis(campaign),
        body=[
            f"Thực hiện {campaign.name}, trên cơ sở kết quả chấm điểm, xếp hạng chính thức "
            "và đề nghị của các đơn vị, Thường trực Hội đồng đã tổng hợp, chốt danh sách "
            "đề nghị khen thưởng và công khai theo quy định."
        ],
        groups=groups,
        copies_to=["Như trên;", "Thành viên Hội đồng;", "Lưu: VT, TĐKT."],
    )


def nominee_list_for(campaign: Campaign) -> NomineeList:
    """The finalized list for `nominees_xlsx`, with points, rank and grade where known."""
    rows = []
    for nomination in nominations.finalized(campaign):
        name, unit = _name_and_unit(nomination)
        rows.append(
            NomineeRow(
                name=name,
                award=nomination.award_type.name,
                unit=unit or (nomination.cluster.name if nomination.cluster else ""),
                achievement=_achievement(nomination),
                is_collective=nomination.subject != NominationSubject.PERSON,
                total=nomination.total,
                rank=nomination.rank,
                grade=nomination.grade or "",
            )
        )
    return NomineeList(
        title="DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
        rows=rows,
        subtitle=f"Tổng kết {campaign.name}",
    )


# --- the council meeting ----------------------------------------------------------------------


def _threshold(nominee: dict) -> str:
    """ "≥ 70 % tổng số thành viên Hội đồng"."""
    return (
        f"≥ {format_percent(nominee['threshold'], 'vi', 2, minimum=0)} "
        f"{DENOMINATOR_TEXT.get(nominee['denominator_kind'], '')}"
    ).strip()


def _vote_rows(data: dict) -> list[VoteRow]:
    rows = []
    for nominee in data["nominees"]:
        if nominee["subject"] == NominationSubject.UNIT:
            name, unit = nominee["unit"], ""
        else:
            name, unit = _person(nominee["person_name"], nominee["person_title"]), nominee["unit"]
        rows.append(
            VoteRow(
                name=name,
                award=nominee["award_name"],
                agree=nominee["agree"],
                disagree=nominee["disagree"],
                denominator=nominee["denominator"],
                passed=nominee["passed"],
                threshold=_threshold(nominee),
                unit=unit,
                percent=nominee["percent"],
            )
        )
    return rows


def results_rows_for(meeting: Meeting) -> list[VoteRow]:
    """The tally for `results_xlsx`, one row per nominee in agenda order."""
    return _vote_rows(meetings.minutes_data(meeting))


def _ballot(data: dict) -> str:
    secret = {n["award_name"] for n in data["nominees"] if n["secret_ballot"]}
    open_ = [
        name
        for name in dict.fromkeys(n["award_name"] for n in data["nominees"])
        if name not in secret
    ]
    if not open_:
        return "bỏ phiếu kín"
    if not secret:
        return "biểu quyết công khai"
    return f"bỏ phiếu kín (biểu quyết công khai đối với {', '.join(open_)})"


def _quorum_rule(data: dict) -> str:
    fractions = {q["quorum"] for q in data["quorum"]}
    if len(fractions) == 1:
        return f"ít nhất {fractions.pop()} tổng số thành viên Hội đồng"
    return "tỷ lệ thành viên có mặt theo quy định của từng hình thức khen thưởng"


def _agenda(data: dict, campaign: Campaign) -> list[str]:
    lines = [
        f"Thường trực Hội đồng báo cáo kết quả chấm điểm, xếp hạng chính thức của "
        f"{campaign.name} và trình danh sách đề nghị khen thưởng đã được công khai, gồm "
        f"{data['total']:02d} trường hợp."
    ]
    lines += [f"- {q['award_name']}: {q['text']}" for q in data["quorum"]]
    lines.append("Các thành viên Hội đồng thảo luận, cho ý kiến đối với từng trường hợp.")
    return lines


def _times(meeting: Meeting) -> tuple[datetime, time | None]:
    """Start: when voting opened (local), else 08:00; end: when it closed, if the same day."""
    start, end = DEFAULT_START, None
    if meeting.voting_opened_at is not None:
        start = to_local(meeting.voting_opened_at).time().replace(second=0, microsecond=0)
    if meeting.voting_closed_at is not None:
        closed = to_local(meeting.voting_closed_at)
        if closed.date() == meeting.held_on:
            end = closed.time().replace(second=0, microsecond=0)
    return datetime.combine(meeting.held_on, start), end


def minutes_for(meeting: Meeting) -> Minutes:
    """The biên bản from `meetings.minutes_data`: attendance, quorum, each nominee's vote."""
    data = meetings.minutes_data(meeting)
    attendance = data["attendance"]
    written = set(attendance["written_names"])
    absent = [
        f"{name}, có ý kiến bằng văn bản" if name in written else name
        for name in attendance["absent_names"]
    ]
    held_at, ended_at = _times(meeting)
    return Minutes(
        subject=f"xét đề nghị khen thưởng tổng kết {meeting.campaign.name}",
        held_at=held_at,
        meeting_place=meeting.place or BLANK,
        chair=Attendee(meeting.chair or BLANK),
        secretary=Attendee(meeting.secretary or BLANK),
        members_total=attendance["members"],
        members_present=attendance["present"],
        parent_body=_parent_body(),
        council=COUNCIL,
        place=_province(),
        absent=absent,
        written_votes=attendance["written"],
        ballot=_ballot(data),
        quorum_rule=_quorum_rule(data),
        quorum_met=all(q["met"] for q in data["quorum"]) if data["quorum"] else None,
        agenda=_agenda(data, meeting.campaign),
        votes=_vote_rows(data),
        ended_at=ended_at,
    )


def results_title(meeting: Meeting) -> tuple[str, str]:
    """Title and subtitle of the results spreadsheet."""
    return (
        "KẾT QUẢ BIỂU QUYẾT ĐỀ NGHỊ KHEN THƯỞNG",
        f"Họp {COUNCIL} ngày {format_date(meeting.held_on)} – {meeting.campaign.name}",
    )
