"""Biên bản họp Hội đồng Thi đua – Khen thưởng: attendance, quorum, the vote on each nominee."""

from __future__ import annotations

from emulation.commendation.documents import layout
from emulation.commendation.documents.inputs import (
    Attendee,
    Minutes,
    Signature,
    VoteRow,
    ratio_percent,
)
from emulation.commendation.documents.layout import CENTER, LEFT
from emulation.commendation.documents.wording import clock, count, long_date, place_date
from emulation.core.numbers import format_percent

VOTE_HEADERS = (
    "STT",
    "Tên tập thể, cá nhân",
    "Hình thức khen thưởng",
    "Đồng ý",
    "Không đồng ý",
    "Tỷ lệ đồng ý",
    "Yêu cầu",
    "Kết quả",
)
VOTE_WIDTHS = (1.0, 3.4, 2.9, 1.4, 1.5, 2.2, 2.0, 1.6)
VOTE_ALIGN = (CENTER, LEFT, LEFT, CENTER, CENTER, CENTER, CENTER, CENTER)


def _person(attendee: Attendee) -> str:
    return f"{attendee.name} – {attendee.title}" if attendee.title else attendee.name


def vote_share(row: VoteRow) -> str:
    """ "7/9 (77,8 %)"."""
    return f"{row.agree}/{row.denominator} ({format_percent(row.rate, 'vi', 1, minimum=0)})"


def quorum_text(m: Minutes) -> str:
    share = f"{m.members_present}/{m.members_total}"
    rate = format_percent(ratio_percent(m.members_present, m.members_total), "vi", 1, minimum=0)
    if m.has_quorum:
        return (
            f"Số thành viên Hội đồng có mặt: {share} ({rate}), đạt {m.quorum_rule}; "
            "cuộc họp đủ điều kiện tiến hành theo quy định."
        )
    return (
        f"Số thành viên Hội đồng có mặt: {share} ({rate}), chưa đạt {m.quorum_rule}; "
        "cuộc họp không đủ điều kiện để biểu quyết."
    )


def default_conclusion(m: Minutes) -> list[str]:
    """Who passed, award by award, and how many did not."""
    passed = [v for v in m.votes if v.passed]
    failed = len(m.votes) - len(passed)
    lines = [
        f"Căn cứ kết quả biểu quyết, {m.council} thống nhất đề nghị khen thưởng "
        f"{count(len(passed))} trường hợp đạt tỷ lệ phiếu đồng ý theo quy định"
        + (f"; {count(failed)} trường hợp không đạt." if failed else ".")
    ]
    awards: dict[str, list[str]] = {}
    for vote in passed:
        awards.setdefault(vote.award, []).append(vote.name)
    lines += [f"- {award}: {', '.join(names)}." for award, names in awards.items()]
    return lines


def minutes_docx(m: Minutes) -> bytes:
    """The minutes as a .docx: time, place, attendance and quorum, the vote tally per
    nominee against its threshold, the conclusion and the signatures of secretary and chair."""
    doc = layout.new_document(f"Biên bản họp {m.council}", m.body)
    layout.national_header(
        doc,
        issuing_body=m.body,
        parent_body=m.parent_body,
        number=m.number or None,
        place_date=place_date(m.place, m.held_at.date()),
    )
    layout.title(doc, "BIÊN BẢN", f"Họp {m.council}", m.subject)
    layout.body(
        doc,
        f"Vào hồi {clock(m.held_at)}, {long_date(m.held_at.date())}, tại {m.meeting_place}, "
        f"{m.council} họp {m.subject}.",
    )

    layout.heading(doc, "I. THÀNH PHẦN THAM DỰ")
    layout.labelled(doc, "- Chủ trì", _person(m.chair))
    layout.labelled(doc, "- Thư ký", _person(m.secretary))
    attendance = (
        f"tổng số {m.members_total}; có mặt {m.members_present}; vắng mặt {m.members_absent}"
    )
    if m.absent:
        attendance += f" ({'; '.join(m.absent)})"
    layout.labelled(doc, "- Thành viên Hội đồng", attendance + ".")
    if m.guests:
        layout.labelled(doc, "- Đại biểu mời", "; ".join(m.guests) + ".")
    layout.body(doc, quorum_text(m))
    if m.written_votes:
        layout.body(
            doc,
            f"Có {count(m.written_votes)} thành viên vắng mặt gửi phiếu biểu quyết bằng văn bản; "
            "phiếu được tính vào kết quả biểu quyết.",
        )

    layout.heading(doc, "II. NỘI DUNG")
    for text in m.agenda:
        layout.body(doc, text)
    layout.body(
        doc,
        f"Hình thức biểu quyết: {m.ballot}. Kết quả biểu quyết như sau:",
        keep_with_next=True,
    )
    layout.grid_table(
        doc,
        VOTE_HEADERS,
        [
            (
                str(i),
                f"{v.name}\n{v.unit}" if v.unit else v.name,
                v.award,
                str(v.agree),
                str(v.disagree),
                vote_share(v),
                v.threshold,
                v.result,
            )
            for i, v in enumerate(m.votes, start=1)
        ],
        VOTE_WIDTHS,
        size=12,
        align=VOTE_ALIGN,
    )
    layout.para(doc, "", after=6)

    layout.heading(doc, "III. KẾT LUẬN")
    for text in m.conclusion or default_conclusion(m):
        layout.body(doc, text)
    ending = f"Cuộc họp kết thúc vào hồi {clock(m.ended_at)} cùng ngày. " if m.ended_at else ""
    layout.body(
        doc,
        ending + "Biên bản đã được đọc lại cho các thành viên dự họp cùng nghe "
        "và nhất trí thông qua./.",
    )
    layout.signatures(
        doc, Signature("THƯ KÝ", m.secretary.name), Signature("CHỦ TRÌ", m.chair.name)
    )
    return layout.to_bytes(doc)
