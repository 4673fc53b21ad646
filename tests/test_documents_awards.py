"""The commendation dossier downloaded from the app: the tờ trình and the list from the
finalized nominations, the minutes and the vote results from a closed meeting."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from emulation.accounts.models import Role
from emulation.commendation import meetings, nominations
from emulation.core.extensions import db
from tests.factories import make_user
from tests.test_meetings import _ready, _vote_everything
from tests.test_nominations import NAMES, published

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]

    def cells(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    cells(doc.tables)
    return "\n".join(parts)


def _xlsx_rows(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def dossier(app):
    """tests.test_meetings' council: a finalized list of five and a council of five, plus a
    person added to the list, and a unit officer."""
    campaign, units, admin = published()
    book = nominations.rulebook_for(campaign)
    book.type_by_code("BK_TINH").denominator = "present"
    book.type_by_code("CTD_CP").secret_ballot = False
    nominations.apply_proposals(campaign, admin)
    nominations.finalize(campaign, admin)
    members = [
        make_user("hoidong1", Role.COUNCIL_MEMBER, unit=units[0], full_name="A Thành viên"),
        make_user("hoidong2", Role.COUNCIL_MEMBER, full_name="B Thành viên"),
        make_user("hoidong3", Role.COUNCIL_MEMBER, full_name="C Thành viên"),
        make_user("hoidong4", Role.COUNCIL_MEMBER, full_name="D Thành viên"),
        make_user("hoidong5", Role.COUNCIL_MEMBER, full_name="E Thành viên"),
    ]
    make_user("canbo", Role.UNIT_OFFICER, unit=units[1])
    campaign.decision_number = "1234/QĐ-UBND"
    db.session.commit()
    by_code = {}
    for nomination in nominations.finalized(campaign):
        by_code.setdefault(nomination.award_type.code, []).append(nomination)
    return campaign, admin, members, by_code


def _tallied(campaign, admin, members, by_code):
    meeting = _ready(campaign, admin)
    meetings.open_voting(meeting, admin)
    _vote_everything(meeting, admin, members, by_code)
    meetings.close_voting(meeting, admin)
    db.session.commit()
    return meeting


def test_the_office_downloads_the_to_trinh_of_the_final_list(app, client, dossier):
    campaign, _admin, _members, by_code = dossier
    client.login("thuongtruc")
    response = client.get(f"/campaigns/{campaign.slug}/to-trinh.docx")
    assert response.status_code == 200 and response.mimetype == DOCX_TYPE
    assert "to-trinh-" in response.headers["Content-Disposition"]
    text = _docx_text(response.data)
    assert "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH" in text
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Lai Châu." in text
    assert "Luật Thi đua, khen thưởng số 06/2022/QH15" in text
    assert "Căn cứ Quyết định số 1234/QĐ-UBND" in text
    for items in by_code.values():
        assert f"{items[0].award_type.name}: " in text  # "1. Cờ thi đua …: 01 tập thể"
    for name in NAMES:
        assert name in text
    bk = by_code["BK_TINH"][0].award_type.name
    assert f"{bk}: 02 tập thể" in text


def test_the_list_spreadsheet_has_each_nominee_with_its_award_and_points(app, client, dossier):
    campaign, _admin, _members, by_code = dossier
    client.login("thuongtruc")
    response = client.get(f"/campaigns/{campaign.slug}/danh-sach-de-nghi.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX_TYPE
    rows = _xlsx_rows(response.data)
    assert rows[0][0] == "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    header = rows[2]
    body = [dict(zip(header, row, strict=True)) for row in rows[3:]]
    assert len(body) == sum(len(items) for items in by_code.values()) == 5
    gk = next(
        r for r in body if r["Hình thức khen thưởng đề nghị"] == by_code["GK"][0].award_type.name
    )
    assert gk["Tên tập thể, cá nhân"] == NAMES[3]
    assert gk["Tổng điểm"] == 70 and gk["Xếp hạng"] == 4


def test_documents_of_the_list_wait_until_it_is_finalized(app, client, dossier):
    campaign, admin, _members, _by_code = dossier
    nominations.reopen(campaign, admin)
    db.session.commit()
    client.login("thuongtruc")
    for url in ("to-trinh.docx", "danh-sach-de-nghi.xlsx"):
        response = client.get(f"/campaigns/{campaign.slug}/{url}")
        assert response.status_code == 400
        assert "Danh sách đề nghị khen thưởng chưa chốt." in response.get_data(as_text=True)
    page = client.get(f"/campaigns/{campaign.slug}/awards").get_data(as_text=True)
    assert "to-trinh.docx" not in page


@pytest.mark.parametrize("username", ["hoidong2", "canbo"])
def test_only_the_office_gets_the_to_trinh(app, client, dossier, username):
    campaign, *_rest = dossier
    client.login(username)
    assert client.get(f"/campaigns/{campaign.slug}/to-trinh.docx").status_code == 403
    assert client.get(f"/campaigns/{campaign.slug}/danh-sach-de-nghi.xlsx").status_code == 403


def test_minutes_and_results_of_a_closed_meeting(app, client, dossier):
    campaign, admin, members, by_code = dossier
    meeting = _tallied(campaign, admin, members, by_code)
    client.login("thuongtruc")
    page = client.get(f"/campaigns/{campaign.slug}/meeting").get_data(as_text=True)
    assert f"/meetings/{meeting.id}/bien-ban.docx" in page
    assert f"/meetings/{meeting.id}/ket-qua.xlsx" in page
    page = client.get(f"/campaigns/{campaign.slug}/awards").get_data(as_text=True)
    assert f"/campaigns/{campaign.slug}/to-trinh.docx" in page

    response = client.get(f"/meetings/{meeting.id}/bien-ban.docx")
    assert response.status_code == 200 and response.mimetype == DOCX_TYPE
    text = _docx_text(response.data)
    assert "BIÊN BẢN" in text and "Phòng họp số 1" in text
    assert "Số thành viên Hội đồng có mặt: 4/5 (80 %)" in text
    assert "vắng mặt 1 (E Thành viên, có ý kiến bằng văn bản)" in text
    assert "bỏ phiếu kín (biểu quyết công khai đối với " in text
    assert "3/4 (75 %)" in text  # Bằng khen, second: 4 taking part
    assert "3/5 (60 %)" in text  # Bằng khen, third: a written "no" joins
    assert "4/4 (100 %)" in text  # Cờ thi đua, one member recused
    assert "≥ 70 % số thành viên tham gia biểu quyết" in text
    assert "Không đạt" in text
    for name in NAMES:
        assert name in text
    assert by_code["GK"][0].award_type.name in text

    response = client.get(f"/meetings/{meeting.id}/ket-qua.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX_TYPE
    rows = _xlsx_rows(response.data)
    assert rows[0][0] == "KẾT QUẢ BIỂU QUYẾT ĐỀ NGHỊ KHEN THƯỞNG"
    header = rows[2]
    body = [dict(zip(header, row, strict=True)) for row in rows[3:]]
    bk = by_code["BK_TINH"][0].award_type.name
    second = next(
        r
        for r in body
        if r["Tên tập thể, cá nhân"] == NAMES[1] and r["Hình thức khen thưởng"] == bk
    )
    assert (second["Đồng ý"], second["Không đồng ý"], second["Tổng số phiếu tính tỷ lệ"]) == (
        3,
        1,
        4,
    )
    assert second["Tỷ lệ đồng ý (%)"] == 75.0 and second["Kết quả"] == "Đạt"
    third = next(r for r in body if r["Tên tập thể, cá nhân"] == NAMES[2])
    assert third["Tỷ lệ đồng ý (%)"] == 60.0 and third["Kết quả"] == "Không đạt"
    assert [r["Kết quả"] for r in body].count("Đạt") == 2
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.cell(row=3 + 3, column=8).number_format == "0.0"  # shown as 75,0 in Excel

    # After the vote the tờ trình proposes only those who passed, citing the meeting.
    text = _docx_text(client.get(f"/campaigns/{campaign.slug}/to-trinh.docx").data)
    assert "Căn cứ kết quả biểu quyết tại cuộc họp Hội đồng Thi đua – Khen thưởng tỉnh" in text
    assert f"{bk}: 01 tập thể" in text
    assert NAMES[0] in text and NAMES[1] in text
    assert NAMES[2] not in text and NAMES[3] not in text


def test_council_members_download_the_minutes_once_voting_is_closed(app, client, dossier):
    campaign, admin, members, by_code = dossier
    meeting = _ready(campaign, admin)
    meetings.open_voting(meeting, admin)
    db.session.commit()
    client.login("hoidong2")
    response = client.get(f"/meetings/{meeting.id}/bien-ban.docx")
    assert response.status_code == 400
    assert "Biên bản có sau khi kết thúc biểu quyết." in response.get_data(as_text=True)
    assert client.get(f"/meetings/{meeting.id}/ket-qua.xlsx").status_code == 400
    _vote_everything(meeting, admin, members, by_code)
    meetings.close_voting(meeting, admin)
    db.session.commit()
    page = client.get(f"/campaigns/{campaign.slug}/meeting/minutes").get_data(as_text=True)
    assert f"/meetings/{meeting.id}/bien-ban.docx" in page
    response = client.get(f"/meetings/{meeting.id}/bien-ban.docx")
    assert response.status_code == 200
    assert "3/4 (75 %)" in _docx_text(response.data)
    assert client.get(f"/meetings/{meeting.id}/ket-qua.xlsx").status_code == 200
    client.submit("/logout")
    client.login("canbo")
    assert client.get(f"/meetings/{meeting.id}/bien-ban.docx").status_code == 403
    assert client.get(f"/meetings/{meeting.id}/ket-qua.xlsx").status_code == 403
    assert client.get("/meetings/999999/bien-ban.docx").status_code == 403
