"""The dossier documents as people open them: tờ trình, báo cáo thành tích, biên bản, lists.

Every test reads the generated file back with python-docx or openpyxl and looks for the
names and figures a reader would check."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from emulation.accounts.models import Role
from emulation.commendation.documents import (
    DOCX,
    AchievementGroup,
    Attendee,
    AwardGroup,
    CollectiveReport,
    IndividualReport,
    Initiative,
    Minutes,
    Nominee,
    NomineeList,
    NomineeRow,
    PastAward,
    Signature,
    Standing,
    Submission,
    TargetResult,
    VoteRow,
    collective_report_docx,
    collective_report_for,
    individual_report_docx,
    long_date,
    minutes_docx,
    nominees_xlsx,
    place_date,
    results_xlsx,
    submission_docx,
)
from emulation.core.extensions import db
from emulation.progress.models import Evidence, ProgressReport, ProgressValue
from emulation.registrations.models import Registration, RegistrationTarget
from emulation.scoring import sheets
from tests.factories import add_criterion, make_unit, make_user
from tests.test_standings import score, setting

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
THEMED_AWARD = "Bằng khen của Chủ tịch UBND tỉnh (theo chuyên đề)"
CAMPAIGN = (
    "Phong trào thi đua đặc biệt “Thi đua đổi mới, sáng tạo, lập thành tích cao nhất chào mừng "
    "kỷ niệm 115 năm thành lập tỉnh, 75 năm thành lập Đảng bộ tỉnh, 70 năm ngày Bác Hồ gửi thư "
    "cho đồng bào và cán bộ Lai Châu và 20 năm chia tách, thành lập tỉnh”"
)


# --- realistic inputs, in the wording of the demo data and the provincial documents ----------


def demo_submission(**changes) -> Submission:
    """The year-end dossier the standing office sends to the Chairman of the province."""
    fields = dict(
        number="123/TTr-SNV",
        parent_body="UBND tỉnh Lai Châu",
        issuing_body="Sở Nội vụ",
        proposer="Sở Nội vụ",
        recipient="Chủ tịch Ủy ban nhân dân tỉnh Lai Châu",
        subject="Về việc đề nghị tặng Cờ thi đua, Bằng khen của Chủ tịch UBND tỉnh "
        "cho các tập thể, cá nhân có thành tích xuất sắc năm 2025",
        date=date(2025, 12, 5),
        basis=[
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
            "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
            "Căn cứ Biên bản họp Hội đồng Thi đua – Khen thưởng tỉnh ngày 01 tháng 12 năm 2025.",
        ],
        body=[
            "Năm 2025, hưởng ứng các phong trào thi đua do Chủ tịch UBND tỉnh phát động, các cơ "
            "quan, đơn vị trong Khối thi đua các cơ quan tổng hợp và Cụm thi đua các xã, phường "
            "đã ra sức thi đua, hoàn thành và hoàn thành vượt mức các chỉ tiêu đăng ký."
        ],
        groups=[
            AwardGroup(
                "Cờ thi đua của UBND tỉnh",
                [
                    Nominee(
                        "Văn phòng Ủy ban nhân dân tỉnh",
                        "Khối thi đua các cơ quan tổng hợp",
                        "Dẫn đầu Khối thi đua các cơ quan tổng hợp, đạt 96,5/100 điểm",
                    )
                ],
            ),
            AwardGroup(
                "Bằng khen của Chủ tịch UBND tỉnh",
                [
                    Nominee(
                        "Sở Tài chính",
                        "Khối thi đua các cơ quan tổng hợp",
                        "Thu ngân sách đạt 112,4 % dự toán",
                    ),
                    Nominee(
                        "Phường Tân Phong",
                        "Cụm thi đua các xã, phường số 1",
                        "Tỷ lệ hồ sơ trực tuyến toàn trình đạt 62,5 %",
                    ),
                    Nominee(
                        "Bà Lê Thị Hồng",
                        "Trưởng phòng Quản lý ngân sách, Sở Tài chính",
                        "Rút ngắn thời gian thẩm định quyết toán dự án hoàn thành",
                        is_collective=False,
                    ),
                ],
            ),
        ],
        signature=Signature("Giám đốc", "Nguyễn Văn Thành"),
        copies_to=["Như trên;", "Ban Thi đua – Khen thưởng;", "Lưu: VT, TĐKT."],
    )
    fields.update(changes)
    return Submission(**fields)


def demo_collective_report(**changes) -> CollectiveReport:
    fields = dict(
        unit_name="Văn phòng Ủy ban nhân dân tỉnh",
        parent_body="UBND tỉnh Lai Châu",
        award=THEMED_AWARD,
        period=f"(Thành tích trong {CAMPAIGN})",
        date=date(2023, 11, 25),
        address="Tầng 4, Nhà B, Trung tâm Hành chính – Chính trị tỉnh, phường Tân Phong",
        phone="0213 3876 543",
        head="Trần Quốc Khánh",
        features=["Đơn vị thuộc Khối thi đua các cơ quan tổng hợp năm 2023 (khối trưởng)."],
        functions=[
            "Tham mưu tổng hợp, giúp Ủy ban nhân dân tỉnh tổ chức các hoạt động chung; "
            "kiểm soát thủ tục hành chính, vận hành Trung tâm Phục vụ hành chính công."
        ],
        achievements=[
            AchievementGroup(
                "1. Phát triển kinh tế, tăng trưởng GRDP",
                [
                    TargetResult(
                        "Tốc độ tăng trưởng GRDP (giá so sánh 2010)",
                        "%",
                        Decimal("8.5"),
                        Decimal("9.2"),
                    ),
                    TargetResult("Sản phẩm OCOP được công nhận mới", "sản phẩm", 10, 12),
                ],
                ["Tham mưu 14 chương trình, đề án phát triển kinh tế - xã hội."],
            ),
            AchievementGroup(
                "2. Thu ngân sách nhà nước",
                [
                    TargetResult(
                        "Tỷ lệ hoàn thành dự toán thu ngân sách nhà nước",
                        "%",
                        Decimal(100),
                        Decimal("112.4"),
                    )
                ],
            ),
        ],
        standing=Standing(
            1, 6, Decimal("96.5"), Decimal(100), "Xuất sắc", "Khối thi đua các cơ quan tổng hợp"
        ),
        measures=["Phân công lãnh đạo phụ trách từng chỉ tiêu, kiểm điểm tiến độ hằng tháng."],
        evidence=["Báo cáo kết quả năm 2023.pdf (Năm 2023)"],
        titles_received=[
            PastAward(
                2022,
                "Tập thể lao động xuất sắc",
                "Quyết định số 45/QĐ-UBND ngày 12/01/2023 của UBND tỉnh Lai Châu",
            ),
        ],
        awards_received=[
            PastAward(
                2021,
                "Cờ thi đua của UBND tỉnh",
                "Quyết định số 88/QĐ-UBND ngày 20/01/2022 của UBND tỉnh Lai Châu",
            ),
        ],
    )
    fields.update(changes)
    return CollectiveReport(**fields)


def demo_individual_report(**changes) -> IndividualReport:
    fields = dict(
        full_name="Lê Thị Hồng",
        award=THEMED_AWARD,
        birth_year=1982,
        sex="Nữ",
        ethnicity="Kinh",
        hometown="Xã Bình Lư, tỉnh Lai Châu",
        residence="Phường Tân Phong, tỉnh Lai Châu",
        position="Trưởng phòng Quản lý ngân sách",
        unit="Sở Tài chính tỉnh Lai Châu",
        education="Thạc sĩ Tài chính – Ngân hàng",
        political_theory="Cao cấp",
        duties=["Tham mưu quản lý, điều hành ngân sách tỉnh; thẩm định quyết toán dự án."],
        achievements=["Không còn hồ sơ quyết toán quá hạn."],
        targets=[TargetResult("Hồ sơ quyết toán thẩm định đúng hạn", "hồ sơ", 120, 126)],
        initiatives=[
            Initiative(
                "Quy trình thẩm định quyết toán dự án hoàn thành trên phần mềm dùng chung",
                "Quyết định số 15/QĐ-HĐSK ngày 20/11/2023 của Hội đồng sáng kiến tỉnh",
                "Rút ngắn thời gian thẩm định từ 30 xuống 18 ngày; áp dụng toàn tỉnh.",
            )
        ],
        awards_received=[
            PastAward(
                2022,
                "Bằng khen của Chủ tịch UBND tỉnh",
                "Quyết định số 102/QĐ-UBND ngày 25/01/2023 của UBND tỉnh Lai Châu",
            ),
        ],
        head="Phạm Hồng Trường",
    )
    fields.update(changes)
    return IndividualReport(**fields)


def demo_votes() -> list[VoteRow]:
    return [
        VoteRow("Văn phòng Ủy ban nhân dân tỉnh", THEMED_AWARD, 7, 2, 9, True, "≥ 70 % tổng số"),
        VoteRow("Sở Tài chính", THEMED_AWARD, 9, 0, 9, True, "≥ 70 % tổng số"),
        VoteRow(
            "Bà Lê Thị Hồng",
            THEMED_AWARD,
            6,
            3,
            9,
            False,
            "≥ 70 % tổng số",
            unit="Sở Tài chính",
        ),
    ]


def demo_minutes(**changes) -> Minutes:
    fields = dict(
        subject="xét đề nghị khen thưởng tổng kết Phong trào thi đua đặc biệt năm 2023",
        held_at=datetime(2023, 12, 1, 14, 0),
        meeting_place="Phòng họp số 1, Ủy ban nhân dân tỉnh Lai Châu",
        chair=Attendee("Tống Thanh Hải", "Phó Chủ tịch UBND tỉnh, Phó Chủ tịch Hội đồng"),
        secretary=Attendee("Nguyễn Thị Mai", "Chuyên viên Ban Thi đua – Khen thưởng"),
        members_total=9,
        members_present=7,
        number="05/BB-HĐTĐKT",
        absent=["Ông Vũ Mạnh Hà (đi công tác)", "Bà Lò Thị Xuân (ốm)"],
        written_votes=1,
        agenda=[
            "Thường trực Hội đồng báo cáo kết quả chấm điểm, xếp hạng và danh sách đề nghị "
            "khen thưởng; các thành viên thảo luận, cho ý kiến từng trường hợp."
        ],
        votes=demo_votes(),
        ended_at=time(16, 30),
    )
    fields.update(changes)
    return Minutes(**fields)


# --- reading the files back ----------------------------------------------------------------------


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def paragraphs(doc) -> list[str]:
    """Every paragraph's text, those inside tables included, in reading order."""
    found = []

    def walk(container):
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            walk(cell)
            else:
                found.append(block.text)

    walk(doc)
    return found


def text_of(doc) -> str:
    return "\n".join(paragraphs(doc))


def grid_tables(doc) -> list[list[list[str]]]:
    """The bordered data tables as rows of cell texts."""
    return [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in doc.tables
        if table.style is not None and table.style.name == "Table Grid"
    ]


def paragraph_with(doc, text: str):
    return next(p for p in iter_paragraphs(doc) if text in p.text)


def iter_paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


# --- dates ---------------------------------------------------------------------------------------


def test_long_dates_pad_days_below_ten_and_the_first_two_months():
    assert long_date(date(2026, 12, 5)) == "ngày 05 tháng 12 năm 2026"
    assert long_date(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert long_date(date(2026, 3, 15)) == "ngày 15 tháng 3 năm 2026"
    assert place_date("Lai Châu", date(2023, 10, 30)) == "Lai Châu, ngày 30 tháng 10 năm 2023"
    assert long_date(None) == "ngày …… tháng …… năm ……"


# --- tờ trình --------------------------------------------------------------------------------------


def test_submission_follows_the_layout_of_mau_01():
    doc = open_docx(submission_docx(demo_submission()))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == 3.0 and round(section.top_margin.cm, 1) == 2.0
    assert round(section.right_margin.cm, 1) == 2.0
    assert doc.styles["Normal"].font.name == "Times New Roman"

    header = doc.tables[0]
    left, right = (cell.text for cell in header.rows[0].cells)
    assert left.splitlines() == ["UBND TỈNH LAI CHÂU", "SỞ NỘI VỤ"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    rules = [p for p in iter_paragraphs(doc) if p._p.find(f"{W}pPr/{W}pBdr") is not None]
    assert len(rules) == 3  # under the issuing body, under the motto, under the title
    assert paragraph_with(doc, "SỞ NỘI VỤ").runs[0].bold
    number, when = (cell.text for cell in header.rows[1].cells)
    assert number == "Số: 123/TTr-SNV"
    assert when == "Lai Châu, ngày 05 tháng 12 năm 2025"
    assert paragraph_with(doc, "Lai Châu, ngày").runs[0].italic

    text = text_of(doc)
    order = [
        "TỜ TRÌNH",
        "Về việc đề nghị tặng Cờ thi đua, Bằng khen",
        "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Lai Châu.",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP",
        "Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh Lai Châu xem xét, khen thưởng cho "
        "03 tập thể và 01 cá nhân có thành tích xuất sắc, cụ thể như sau:",
        "1. Cờ thi đua của UBND tỉnh: 01 tập thể",
        "2. Bằng khen của Chủ tịch UBND tỉnh: 02 tập thể và 01 cá nhân",
        "Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh Lai Châu xem xét, quyết định./.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, TĐKT.",
        "GIÁM ĐỐC",
        "Nguyễn Văn Thành",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert paragraph_with(doc, "TỜ TRÌNH").runs[0].bold


def test_submission_lists_the_nominees_in_a_numbered_table_per_award():
    doc = open_docx(submission_docx(demo_submission()))
    first, second = grid_tables(doc)
    assert first[0] == ["STT", "Tên tập thể, cá nhân", "Đơn vị", "Thành tích"]
    assert first[1][:3] == [
        "1",
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Khối thi đua các cơ quan tổng hợp",
    ]
    assert [row[:2] for row in second[1:]] == [
        ["1", "Sở Tài chính"],
        ["2", "Phường Tân Phong"],
        ["3", "Bà Lê Thị Hồng"],
    ]
    assert second[1][3] == "Thu ngân sách đạt 112,4 % dự toán"
    assert second[3][2] == "Trưởng phòng Quản lý ngân sách, Sở Tài chính"


def test_a_submission_not_yet_signed_leaves_the_day_blank():
    doc = open_docx(submission_docx(demo_submission(date=None, proposer="")))
    assert "Lai Châu, ngày …… tháng …… năm ……" in text_of(doc)
    assert "Cơ quan kính trình" in text_of(doc)


# --- báo cáo thành tích -------------------------------------------------------------------------


def test_collective_report_shows_targets_against_results_with_the_rate_reached():
    doc = open_docx(collective_report_docx(demo_collective_report()))
    text = text_of(doc)
    for piece in (
        "BÁO CÁO THÀNH TÍCH",
        "ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH (THEO CHUYÊN ĐỀ)",
        "Tên tập thể đề nghị: Văn phòng Ủy ban nhân dân tỉnh",
        "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH",
        "- Điện thoại: 0213 3876 543",
        "- Thủ trưởng đơn vị: Trần Quốc Khánh",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
        "Kết quả chấm điểm chính thức: 96,5/100 điểm, xếp thứ 1/6 trong Khối thi đua các cơ "
        "quan tổng hợp; xếp loại Xuất sắc.",
        "1) Báo cáo kết quả năm 2023.pdf (Năm 2023)",
        "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG",
        "XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG",
        "THỦ TRƯỞNG ĐƠN VỊ",
    ):
        assert piece in text, piece
    targets, titles, awards = grid_tables(doc)
    assert targets[0] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)"]
    assert targets[1][0] == "1. Phát triển kinh tế, tăng trưởng GRDP"  # a group spans the row
    assert targets[2] == [
        "1",
        "Tốc độ tăng trưởng GRDP (giá so sánh 2010)",
        "%",
        "8,5",
        "9,2",
        "108,2",
    ]
    assert targets[3][3:] == ["10", "12", "120"]
    assert targets[5] == [
        "3",
        "Tỷ lệ hoàn thành dự toán thu ngân sách nhà nước",
        "%",
        "100",
        "112,4",
        "112,4",
    ]
    assert titles[1] == [
        "2022",
        "Tập thể lao động xuất sắc",
        "Quyết định số 45/QĐ-UBND ngày 12/01/2023 của UBND tỉnh Lai Châu",
    ]
    assert awards[1][:2] == ["2021", "Cờ thi đua của UBND tỉnh"]
    assert "Trần Quốc Khánh" in doc.tables[-1].rows[0].cells[1].text  # signs on the right


def test_a_report_with_nothing_known_leaves_dotted_lines_to_fill_in():
    report = CollectiveReport("Sở Tư pháp", "Bằng khen của Chủ tịch UBND tỉnh")
    doc = open_docx(collective_report_docx(report))
    text = text_of(doc)
    assert "- Địa điểm trụ sở chính: …………" in text
    assert "Chưa có." in text
    assert grid_tables(doc) == []  # no targets, no earlier awards


def test_individual_report_has_the_person_the_initiatives_and_both_signatures():
    doc = open_docx(individual_report_docx(demo_individual_report()))
    text = text_of(doc)
    for piece in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "I. SƠ LƯỢC LÝ LỊCH",
        "- Họ và tên: Lê Thị Hồng",
        "- Sinh ngày, tháng, năm: 1982; Giới tính: Nữ",
        "- Đơn vị công tác: Sở Tài chính tỉnh Lai Châu",
        "- Trình độ lý luận chính trị: Cao cấp",
        "1) Quy trình thẩm định quyết toán dự án hoàn thành trên phần mềm dùng chung",
        "Công nhận: Quyết định số 15/QĐ-HĐSK ngày 20/11/2023 của Hội đồng sáng kiến tỉnh",
        "THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ",
        "NGƯỜI BÁO CÁO THÀNH TÍCH",
    ):
        assert piece in text, piece
    targets, awards = grid_tables(doc)
    assert targets[1][1:] == ["Hồ sơ quyết toán thẩm định đúng hạn", "hồ sơ", "120", "126", "105"]
    assert awards[1][:2] == ["2022", "Bằng khen của Chủ tịch UBND tỉnh"]
    signed = doc.tables[-1].rows[0].cells
    assert "Phạm Hồng Trường" in signed[0].text and "Lê Thị Hồng" in signed[1].text


def test_individual_report_prints_the_birth_date_when_known():
    doc = open_docx(individual_report_docx(demo_individual_report(birth_date=date(1982, 3, 7))))
    assert "- Sinh ngày, tháng, năm: 07/03/1982; Giới tính: Nữ" in text_of(doc)


# --- biên bản ------------------------------------------------------------------------------------


def test_minutes_state_attendance_quorum_and_the_vote_on_each_nominee():
    doc = open_docx(minutes_docx(demo_minutes()))
    text = text_of(doc)
    for piece in (
        "Số: 05/BB-HĐTĐKT",
        "Lai Châu, ngày 01 tháng 12 năm 2023",
        "BIÊN BẢN",
        "Họp Hội đồng Thi đua – Khen thưởng tỉnh",
        "Vào hồi 14 giờ 00 phút, ngày 01 tháng 12 năm 2023, tại Phòng họp số 1, Ủy ban nhân "
        "dân tỉnh Lai Châu, Hội đồng Thi đua – Khen thưởng tỉnh họp xét đề nghị khen thưởng",
        "- Chủ trì: Tống Thanh Hải – Phó Chủ tịch UBND tỉnh, Phó Chủ tịch Hội đồng",
        "- Thành viên Hội đồng: tổng số 9; có mặt 7; vắng mặt 2 (Ông Vũ Mạnh Hà (đi công tác)",
        "Số thành viên Hội đồng có mặt: 7/9 (77,8 %), đạt ít nhất 2/3 tổng số thành viên Hội "
        "đồng; cuộc họp đủ điều kiện tiến hành theo quy định.",
        "Có 01 thành viên vắng mặt gửi phiếu biểu quyết bằng văn bản",
        "Hình thức biểu quyết: bỏ phiếu kín.",
        "thống nhất đề nghị khen thưởng 02 trường hợp đạt tỷ lệ phiếu đồng ý theo quy định; "
        "01 trường hợp không đạt.",
        f"- {THEMED_AWARD}: Văn phòng Ủy ban nhân dân tỉnh, Sở Tài chính.",
        "Cuộc họp kết thúc vào hồi 16 giờ 30 phút cùng ngày.",
    ):
        assert piece in text, piece
    (votes,) = grid_tables(doc)
    assert votes[0] == [
        "STT",
        "Tên tập thể, cá nhân",
        "Hình thức khen thưởng",
        "Đồng ý",
        "Không đồng ý",
        "Tỷ lệ đồng ý",
        "Yêu cầu",
        "Kết quả",
    ]
    assert votes[1] == [
        "1",
        "Văn phòng Ủy ban nhân dân tỉnh",
        THEMED_AWARD,
        "7",
        "2",
        "7/9 (77,8 %)",
        "≥ 70 % tổng số",
        "Đạt",
    ]
    assert votes[2][5:] == ["9/9 (100 %)", "≥ 70 % tổng số", "Đạt"]
    assert votes[3][1] == "Bà Lê Thị Hồng\nSở Tài chính"
    assert votes[3][5:] == ["6/9 (66,7 %)", "≥ 70 % tổng số", "Không đạt"]
    signed = doc.tables[-1].rows[0].cells
    assert "THƯ KÝ" in signed[0].text and "Nguyễn Thị Mai" in signed[0].text
    assert "CHỦ TRÌ" in signed[1].text and "Tống Thanh Hải" in signed[1].text


def test_minutes_without_a_quorum_say_so():
    doc = open_docx(minutes_docx(demo_minutes(members_present=5, written_votes=0)))
    text = text_of(doc)
    assert "Số thành viên Hội đồng có mặt: 5/9 (55,6 %), chưa đạt" in text
    assert "không đủ điều kiện để biểu quyết" in text
    assert "phiếu biểu quyết bằng văn bản" not in text


# --- spreadsheets --------------------------------------------------------------------------------


def test_nominee_list_from_a_submission_keeps_names_and_awards():
    book = load_workbook(io.BytesIO(nominees_xlsx(NomineeList.from_submission(demo_submission()))))
    sheet = book.active
    assert sheet["A1"].value == "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" and sheet["A1"].font.b
    assert sheet["A2"].value == "(Kèm theo Tờ trình số 123/TTr-SNV)"
    header = [c.value for c in sheet[3]]
    assert header == [
        "STT",
        "Tên tập thể, cá nhân",
        "Tập thể / cá nhân",
        "Đơn vị",
        "Hình thức khen thưởng đề nghị",
        "Thành tích",
    ]
    assert all(c.font.b for c in sheet[3])
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [r[:3] for r in rows] == [
        [1, "Văn phòng Ủy ban nhân dân tỉnh", "Tập thể"],
        [2, "Sở Tài chính", "Tập thể"],
        [3, "Phường Tân Phong", "Tập thể"],
        [4, "Bà Lê Thị Hồng", "Cá nhân"],
    ]
    assert [r[4] for r in rows] == ["Cờ thi đua của UBND tỉnh"] + [
        "Bằng khen của Chủ tịch UBND tỉnh"
    ] * 3
    assert sheet.column_dimensions["B"].width == 36 and sheet.freeze_panes == "A4"


def test_nominee_list_with_results_stores_points_and_ranks_as_numbers():
    rows = [
        NomineeRow(
            "Phường Đoàn Kết", THEMED_AWARD, total=Decimal("96.50"), rank=1, grade="Xuất sắc"
        ),
        NomineeRow("Xã Bình Lư", THEMED_AWARD, total=Decimal("91.25"), rank=2, grade="Xuất sắc"),
    ]
    sheet = load_workbook(io.BytesIO(nominees_xlsx(rows, "DANH SÁCH CÔNG KHAI"))).active
    header = [c.value for c in sheet[3]]
    total, rank = header.index("Tổng điểm") + 1, header.index("Xếp hạng") + 1
    assert sheet.cell(4, total).value == 96.5 and sheet.cell(5, total).value == 91.25
    assert sheet.cell(4, total).number_format == "#,##0.00"
    assert sheet.cell(5, rank).value == 2 and isinstance(sheet.cell(5, rank).value, int)
    assert sheet["A1"].value == "DANH SÁCH CÔNG KHAI"


def test_vote_results_sheet_has_counts_and_rates_as_numbers():
    data = results_xlsx(demo_votes(), "KẾT QUẢ BIỂU QUYẾT", "Phiên họp ngày 01/12/2023")
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[3]]
    assert header[4:8] == ["Đồng ý", "Không đồng ý", "Tổng số phiếu tính tỷ lệ", "Tỷ lệ đồng ý (%)"]
    first = [c.value for c in sheet[4]]
    assert first[1] == "Văn phòng Ủy ban nhân dân tỉnh"
    assert first[4:8] == [7, 2, 9, 77.8] and first[9] == "Đạt"
    assert [c.value for c in sheet[6]][7:] == [66.7, "≥ 70 % tổng số", "Không đạt"]
    assert sheet.cell(4, 8).number_format == "0.0"


# --- pre-filled from the system -----------------------------------------------------------------


@pytest.fixture
def results(app):
    """Four wards with published results; the second has an approved GRDP target, a submitted
    report (9,2 against 8,5) with evidence, and a later draft that must not count."""
    campaign, units, leaf = setting()
    economy = add_criterion(campaign, "2", "Phát triển kinh tế", 0, section="base")
    grdp = add_criterion(
        campaign,
        "2.1",
        "Tốc độ tăng trưởng GRDP",
        0,
        parent=economy,
        scoring_type="ratio",
        unit_of_measure="%",
    )
    admin = make_user("thuongtruc", Role.ADMIN)
    for unit, points in zip(units, ("95", "92.5", "84", "70"), strict=True):
        score(campaign, unit, leaf, points)
    sheets.publish_approved(campaign, admin)
    ward = units[1]
    registration = Registration(
        campaign=campaign,
        unit=ward,
        status="approved",
        commitment="Hoàn thành vượt mức các chỉ tiêu được giao.",
        titles=["Bằng khen của Chủ tịch UBND tỉnh"],
    )
    target = RegistrationTarget(criterion=grdp, target=Decimal("8.5"), unit_of_measure="%")
    registration.targets.append(target)
    db.session.add(registration)
    db.session.flush()
    submitted = ProgressReport(
        registration=registration,
        period_label="6 tháng đầu năm",
        period_end=campaign.start_date + timedelta(days=20),
        status="submitted",
    )
    submitted.values.append(ProgressValue(target=target, actual=Decimal("9.2")))
    draft = ProgressReport(
        registration=registration,
        period_label="Cả năm",
        period_end=campaign.start_date + timedelta(days=25),
        status="draft",
    )
    draft.values.append(ProgressValue(target=target, actual=Decimal("3")))
    for report, name in ((submitted, "Báo cáo GRDP 6 tháng.pdf"), (draft, "Nháp.pdf")):
        report.evidence.append(
            Evidence(
                original_name=name,
                stored_name=name.encode().hex()[:40],
                content_type="application/pdf",
                size=1024,
                sha256="0" * 64,
                target=target,
            )
        )
    db.session.add_all([submitted, draft])
    db.session.commit()
    return {"campaign": campaign, "units": units, "ward": ward, "admin": admin}


def test_collective_report_is_prefilled_from_targets_progress_evidence_and_results(results):
    campaign, ward = results["campaign"], results["ward"]
    report = collective_report_for(campaign, ward)
    assert report.unit_name == "Phường Tân Phong"
    assert report.award == "Bằng khen của Chủ tịch UBND tỉnh"  # the title it registered for
    assert report.standing == Standing(
        rank=2,
        of=4,
        total=Decimal("92.5"),
        max_total=report.standing.max_total,
        grade="Tốt",
        group="Cụm thi đua các xã, phường số 1",
    )
    assert report.evidence == ["Báo cáo GRDP 6 tháng.pdf (6 tháng đầu năm)"]
    doc = open_docx(collective_report_docx(report))
    (targets,) = grid_tables(doc)
    assert targets[1] == ["2. Phát triển kinh tế"] * 6
    assert targets[2] == ["1", "Tốc độ tăng trưởng GRDP", "%", "8,5", "9,2", "108,2"]
    text = text_of(doc)
    assert "xếp thứ 2/4 trong Cụm thi đua các xã, phường số 1; xếp loại Tốt." in text
    assert "92,5/" in text
    assert "1) Báo cáo GRDP 6 tháng.pdf (6 tháng đầu năm)" in text
    assert "Nháp.pdf" not in text
    assert "cam kết: Hoàn thành vượt mức các chỉ tiêu được giao." in text
    assert "UBND TỈNH LAI CHÂU" in doc.tables[0].rows[0].cells[0].text


def test_a_unit_without_registration_or_result_gets_an_empty_form(results):
    report = collective_report_for(results["campaign"], make_unit("Phường Đông Phong mới"))
    assert report.achievements == [] and report.standing is None and report.evidence == []
    doc = open_docx(collective_report_docx(report))
    assert "Kết quả chấm điểm chính thức" not in text_of(doc)


# --- the download ------------------------------------------------------------------------------


def report_url(campaign, unit) -> str:
    return f"/campaigns/{campaign.slug}/units/{unit.id}/bao-cao-thanh-tich.docx"


def test_standing_office_and_the_units_own_officers_download_the_report(client, results):
    campaign, ward = results["campaign"], results["ward"]
    make_user("canbo", unit=ward)
    for username in ("thuongtruc", "canbo"):
        client.login(username)
        response = client.get(report_url(campaign, ward))
        assert response.status_code == 200, username
        assert response.mimetype == DOCX
        assert "attachment" in response.headers["Content-Disposition"]
        assert "bao-cao-thanh-tich" in response.headers["Content-Disposition"]
        text = text_of(open_docx(response.data))
        assert "Tên tập thể đề nghị: Phường Tân Phong" in text and "9,2" in text
        client.submit("/logout")


def test_others_cannot_download_a_units_report(client, results):
    campaign, units, ward = results["campaign"], results["units"], results["ward"]
    url = report_url(campaign, ward)
    assert client.get(url).status_code == 302  # to the login page
    make_user("peer", unit=units[2])
    make_user("hoidong", Role.COUNCIL_MEMBER, unit=make_unit("Sở Tài chính"))
    for username in ("peer", "hoidong"):
        client.login(username)
        assert client.get(url).status_code == 403, username
        client.submit("/logout")


def test_a_unit_outside_the_campaign_has_no_report(client, results):
    outsider = make_unit("Sở Xây dựng")
    client.login("thuongtruc")
    assert client.get(report_url(results["campaign"], outsider)).status_code == 404
    assert (
        client.get(f"/campaigns/khong-co/units/{outsider.id}/bao-cao-thanh-tich.docx").status_code
        == 404
    )
