"""Báo cáo thành tích: Mẫu 02 for a collective, Mẫu 03 for a person (NĐ 98/2023, Phụ lục I)."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument

from emulation.commendation.documents import layout
from emulation.commendation.documents.inputs import (
    AchievementGroup,
    CollectiveReport,
    IndividualReport,
    PastAward,
    Signature,
    Standing,
    TargetResult,
)
from emulation.commendation.documents.layout import CENTER, LEFT, RIGHT
from emulation.commendation.documents.wording import or_blank, place_date
from emulation.core.clock import format_date
from emulation.core.numbers import format_decimal

TARGET_HEADERS = ("STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)")
TARGET_WIDTHS = (1.1, 6.5, 2.4, 2.0, 2.0, 2.0)
TARGET_ALIGN = (CENTER, LEFT, CENTER, RIGHT, RIGHT, RIGHT)
PAST_WIDTHS = (1.8, 5.7, 8.5)
TITLE_HEADERS = (
    "Năm",
    "Danh hiệu thi đua",
    "Số, ngày, tháng, năm của quyết định công nhận danh hiệu thi đua; cơ quan ban hành quyết định",
)
AWARD_HEADERS = (
    "Năm",
    "Hình thức khen thưởng",
    "Số, ngày, tháng, năm của quyết định khen thưởng; cơ quan ban hành quyết định",
)


def report_title(award: str) -> str:
    return f"ĐỀ NGHỊ TẶNG {award.upper()}"


def target_rows(groups: Sequence[AchievementGroup]) -> list:
    """Table rows: a spanning title per group, then its targets numbered across groups."""
    rows: list = []
    position = 0
    for group in groups:
        if not group.targets:
            continue
        if group.title:
            rows.append(group.title)
        for target in group.targets:
            position += 1
            rows.append(_target_row(position, target))
    return rows


def _target_row(position: int, target: TargetResult) -> tuple[str, ...]:
    achieved = target.achieved
    name = f"{target.name} ({target.note})" if target.note else target.name
    return (
        str(position),
        name,
        target.unit_of_measure,
        format_decimal(target.target, "vi", 2, minimum=0),
        format_decimal(target.result, "vi", 2, minimum=0),
        format_decimal(achieved, "vi", 1, minimum=0),
    )


def _targets_table(doc: DocxDocument, groups: Sequence[AchievementGroup]) -> None:
    rows = target_rows(groups)
    if rows:
        layout.grid_table(doc, TARGET_HEADERS, rows, TARGET_WIDTHS, size=12, align=TARGET_ALIGN)
        layout.para(doc, "", after=6)


def standing_text(standing: Standing) -> str:
    """ "Kết quả chấm điểm chính thức: 92,5/100 điểm, xếp thứ 1/4 trong …; xếp loại Xuất sắc."""
    points = format_decimal(standing.total, "vi", 2, minimum=0)
    if standing.max_total:
        points += f"/{format_decimal(standing.max_total, 'vi', 2, minimum=0)}"
    text = f"Kết quả chấm điểm chính thức: {points} điểm, xếp thứ {standing.rank}/{standing.of}"
    if standing.group:
        text += f" trong {standing.group}"
    if standing.grade:
        text += f"; xếp loại {standing.grade}"
    return text + "."


def _past_awards(doc: DocxDocument, heading: str, headers, awards: Sequence[PastAward]) -> None:
    layout.body(doc, heading, keep_with_next=True)
    if not awards:
        layout.body(doc, "Chưa có.", italic=True)
        return
    layout.grid_table(
        doc,
        headers,
        [(str(a.year), a.name, a.decision) for a in sorted(awards, key=lambda a: a.year)],
        PAST_WIDTHS,
        size=12,
        align=(CENTER, LEFT, LEFT),
    )
    layout.para(doc, "", after=6)


def _paragraphs(doc: DocxDocument, texts: Sequence[str], *, dashed: bool = False) -> None:
    if not texts:
        layout.body(doc, "…………………………………………………………………")
    for text in texts:
        layout.body(doc, f"- {text}" if dashed else text)


# --- Mẫu 02 -----------------------------------------------------------------------------------------


def collective_report_docx(r: CollectiveReport) -> bytes:
    """Mẫu 02 as a .docx: the unit's situation, its targets against results with the rate
    reached, its official result, evidence, earlier titles and awards, two signatures."""
    doc = layout.new_document(f"Báo cáo thành tích – {r.unit_name}", r.unit_name)
    layout.national_header(
        doc,
        issuing_body=r.unit_name,
        parent_body=r.parent_body,
        number=None,
        place_date=place_date(r.place, r.date),
    )
    layout.title(doc, "BÁO CÁO THÀNH TÍCH", report_title(r.award), r.period)
    layout.labelled(doc, "Tên tập thể đề nghị", r.unit_name, strong=True)

    layout.heading(doc, "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH")
    layout.body(doc, "1. Đặc điểm, tình hình", bold=True, keep_with_next=True)
    layout.labelled(doc, "- Địa điểm trụ sở chính", or_blank(r.address))
    phone = or_blank(r.phone)
    if r.website:
        phone += f"; trang thông tin điện tử: {r.website}"
    layout.labelled(doc, "- Điện thoại", phone)
    layout.labelled(doc, "- Thủ trưởng đơn vị", or_blank(r.head))
    for text in r.features:
        layout.body(doc, f"- {text}")
    layout.body(doc, "2. Chức năng, nhiệm vụ", bold=True, keep_with_next=True)
    _paragraphs(doc, r.functions, dashed=True)

    layout.heading(doc, "II. THÀNH TÍCH ĐẠT ĐƯỢC")
    layout.body(doc, "1. Kết quả thực hiện các chỉ tiêu, nhiệm vụ", bold=True, keep_with_next=True)
    _targets_table(doc, r.achievements)
    for group in r.achievements:
        if group.summary:
            layout.body(doc, group.title, italic=True, keep_with_next=True)
            for text in group.summary:
                layout.body(doc, f"- {text}")
    if r.standing is not None:
        layout.body(doc, standing_text(r.standing))
    if not r.achievements and r.standing is None:
        _paragraphs(doc, [])
    layout.body(
        doc,
        "2. Những biện pháp hoặc nguyên nhân đạt được thành tích",
        bold=True,
        keep_with_next=True,
    )
    _paragraphs(doc, r.measures, dashed=True)
    if r.evidence:
        layout.body(doc, "3. Tài liệu minh chứng kèm theo", bold=True, keep_with_next=True)
        for position, name in enumerate(r.evidence, start=1):
            layout.body(doc, f"{position}) {name}")

    layout.heading(doc, "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG")
    _past_awards(doc, "1. Danh hiệu thi đua", TITLE_HEADERS, r.titles_received)
    _past_awards(doc, "2. Hình thức khen thưởng", AWARD_HEADERS, r.awards_received)

    layout.signatures(
        doc,
        Signature("XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG", note="(Ký, đóng dấu)"),
        Signature(r.head_title, r.head, note="(Ký, đóng dấu)"),
    )
    return layout.to_bytes(doc)


# --- Mẫu 03 -----------------------------------------------------------------------------------------


def birth_text(r: IndividualReport) -> str:
    if r.birth_date is not None:
        return format_date(r.birth_date)
    return str(r.birth_year) if r.birth_year else or_blank("")


def individual_report_docx(r: IndividualReport) -> bytes:
    """Mẫu 03 as a .docx: personal details, duties, achievements (with targets when given),
    initiatives, earlier titles and awards, the head's and the person's signatures."""
    doc = layout.new_document(f"Báo cáo thành tích – {r.full_name}", r.full_name)
    layout.motto_header(doc, place_date(r.place, r.date))
    layout.title(doc, "BÁO CÁO THÀNH TÍCH", report_title(r.award), r.period)

    layout.heading(doc, "I. SƠ LƯỢC LÝ LỊCH")
    layout.labelled(doc, "- Họ và tên", r.full_name, strong=True)
    born = layout.labelled(doc, "- Sinh ngày, tháng, năm", birth_text(r))
    layout.add_run(born, f"; Giới tính: {or_blank(r.sex)}")
    if r.ethnicity:
        layout.labelled(doc, "- Dân tộc", r.ethnicity)
    layout.labelled(doc, "- Quê quán", or_blank(r.hometown))
    layout.labelled(doc, "- Trú quán", or_blank(r.residence))
    layout.labelled(doc, "- Đơn vị công tác", or_blank(r.unit))
    layout.labelled(doc, "- Chức vụ (Đảng, chính quyền, đoàn thể)", or_blank(r.position))
    layout.labelled(doc, "- Trình độ chuyên môn, nghiệp vụ", or_blank(r.education))
    if r.political_theory:
        layout.labelled(doc, "- Trình độ lý luận chính trị", r.political_theory)
    layout.labelled(doc, "- Học hàm, học vị, danh hiệu, giải thưởng", or_blank(r.degrees))

    layout.heading(doc, "II. THÀNH TÍCH ĐẠT ĐƯỢC")
    layout.body(doc, "1. Quyền hạn, nhiệm vụ được giao", bold=True, keep_with_next=True)
    _paragraphs(doc, r.duties, dashed=True)
    layout.body(doc, "2. Thành tích đạt được của cá nhân", bold=True, keep_with_next=True)
    _targets_table(doc, [AchievementGroup("", r.targets)])
    _paragraphs(doc, r.achievements, dashed=True)
    layout.body(
        doc,
        "3. Sáng kiến, đề tài khoa học, giải pháp được công nhận",
        bold=True,
        keep_with_next=True,
    )
    if not r.initiatives:
        layout.body(doc, "Chưa có.", italic=True)
    for position, initiative in enumerate(r.initiatives, start=1):
        layout.body(doc, f"{position}) {initiative.title}", italic=True)
        if initiative.recognition:
            layout.body(doc, f"Công nhận: {initiative.recognition}")
        if initiative.benefit:
            layout.body(doc, f"Hiệu quả, phạm vi áp dụng: {initiative.benefit}")

    layout.heading(doc, "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG")
    _past_awards(doc, "1. Danh hiệu thi đua", TITLE_HEADERS, r.titles_received)
    _past_awards(doc, "2. Hình thức khen thưởng", AWARD_HEADERS, r.awards_received)

    layout.signatures(
        doc,
        Signature(r.head_title, r.head, note="(Ký, đóng dấu)"),
        Signature("NGƯỜI BÁO CÁO THÀNH TÍCH", r.full_name, note="(Ký, ghi rõ họ và tên)"),
    )
    return layout.to_bytes(doc)
