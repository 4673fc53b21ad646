"""Tờ trình đề nghị khen thưởng in the layout of Mẫu 01 (NĐ 98/2023/NĐ-CP, Phụ lục I)."""

from __future__ import annotations

from emulation.commendation.documents import layout
from emulation.commendation.documents.inputs import AwardGroup, Submission
from emulation.commendation.documents.layout import CENTER, LEFT
from emulation.commendation.documents.wording import people, place_date

NOMINEE_HEADERS = ("STT", "Tên tập thể, cá nhân", "Đơn vị", "Thành tích")
NOMINEE_WIDTHS = (1.2, 4.8, 4.0, 6.0)


def default_proposal(s: Submission) -> str:
    proposer = s.proposer or "Cơ quan"
    return (
        f"{proposer} kính trình {s.recipient} xem xét, khen thưởng cho "
        f"{people(s.collectives, s.individuals)} có thành tích xuất sắc, cụ thể như sau:"
    )


def default_closing(s: Submission) -> str:
    proposer = s.proposer or "Cơ quan"
    return f"{proposer} kính trình {s.recipient} xem xét, quyết định./."


def _group_line(position: int, group: AwardGroup) -> str:
    return f"{position}. {group.award}: {people(group.collectives, group.individuals)}"


def submission_docx(s: Submission) -> bytes:
    """The tờ trình as a .docx: header, number and date, title, "Kính gửi", căn cứ, the
    nominees as one numbered table per award, closing, "Nơi nhận" and the signature."""
    doc = layout.new_document(f"Tờ trình số {s.number}", s.issuing_body)
    layout.national_header(
        doc,
        issuing_body=s.issuing_body,
        parent_body=s.parent_body,
        number=s.number,
        place_date=place_date(s.place, s.date),
    )
    layout.title(doc, "TỜ TRÌNH", s.subject)
    layout.para(doc, f"Kính gửi: {s.recipient}.", size=14, align=CENTER, after=12)
    for paragraph in s.basis:
        layout.body(doc, paragraph)
    for paragraph in s.body:
        layout.body(doc, paragraph)
    layout.body(doc, s.proposal or default_proposal(s))
    for position, group in enumerate(s.groups, start=1):
        layout.body(doc, _group_line(position, group), bold=True, keep_with_next=True)
        layout.grid_table(
            doc,
            NOMINEE_HEADERS,
            [
                (str(i), n.name, n.unit, n.achievement)
                for i, n in enumerate(group.nominees, start=1)
            ],
            NOMINEE_WIDTHS,
            align=(CENTER, LEFT, LEFT, LEFT),
        )
        layout.para(doc, "", after=6)
    layout.body(doc, s.closing or default_closing(s))
    layout.recipients_and_signature(doc, s.copies_to, s.signature)
    return layout.to_bytes(doc)
