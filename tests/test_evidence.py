"""Evidence files: type by content, size limit, storage, who may download and delete."""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from emulation.accounts.models import Role
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.progress.evidence import clean_filename, detect_kind
from emulation.progress.models import Evidence, ProgressReport
from emulation.progress.service import submit_report
from tests.factories import make_cluster, make_unit, make_user
from tests.test_progress import (
    open_campaign,
    registration_with_targets,
    report_with,
    target_of,
)

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def office_file(*entries: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in entries:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX = office_file("[Content_Types].xml", "_rels/.rels", "word/document.xml")
XLSX = office_file("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml")


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path):
    folder = tmp_path / "evidence"
    app.config["EVIDENCE_DIR"] = str(folder)
    return folder


@pytest.fixture
def unit():
    return make_unit("Phường Tân Phong")


@pytest.fixture
def officer(unit):
    return make_user("canbo", unit=unit)


@pytest.fixture
def draft(unit, officer):
    """A draft report on an approved registration, with the implementation window open."""
    registration = registration_with_targets(unit)
    return report_with(registration, officer, {"1.1": "6"}, submit=False)


def upload(client, report, content: bytes, filename: str, target_id=None, htmx=False):
    data = {
        "target_id": "" if target_id is None else str(target_id),
        "file": (io.BytesIO(content), filename),
    }
    url = f"/progress/{report.id}/evidence"
    if htmx:
        return client.htmx("POST", url, data, content_type="multipart/form-data")
    return client.submit(url, data, content_type="multipart/form-data")


def stored_files(folder) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


def count_evidence() -> int:
    return db.session.scalar(select(func.count()).select_from(Evidence))


# --- type by content --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (WEBP, "webp"),
        (DOCX, "docx"),
        (XLSX, "xlsx"),
        (EXE, None),
        (b"<html><script>alert(1)</script>", None),
        (office_file("[Content_Types].xml", "ppt/presentation.xml"), None),
        (office_file("word/document.xml"), None),  # no [Content_Types].xml: not OOXML
        (b"PK\x03\x04 broken zip", None),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
    ],
)
def test_kind_is_read_from_the_content(content, kind):
    detected = detect_kind(content)
    assert (detected.name if detected else None) == kind


def test_a_pdf_named_file_that_is_a_png_is_stored_as_png(client, officer, draft, evidence_dir):
    client.login("canbo")
    target_id = target_of(draft.registration, "1.1").id
    response = upload(client, draft, PNG, "Biên bản nghiệm thu.pdf", target_id)
    assert response.status_code == 302
    evidence = db.session.scalar(select(Evidence))
    assert evidence.content_type == "image/png"
    assert evidence.stored_name.endswith(".png") and len(evidence.stored_name) == 36
    assert evidence.original_name == "Biên bản nghiệm thu.pdf"
    assert evidence.sha256 == hashlib.sha256(PNG).hexdigest() and evidence.size == len(PNG)
    assert evidence.target_id == target_id and evidence.uploaded_by_id == officer.id
    assert stored_files(evidence_dir) == [evidence.stored_name]
    assert (evidence_dir / evidence.stored_name).read_bytes() == PNG
    response = client.get(f"/evidence/{evidence.id}")
    assert response.mimetype == "image/png"
    assert (
        "Bi%C3%AAn%20b%E1%BA%A3n%20nghi%E1%BB%87m%20thu.png"
        in (response.headers["Content-Disposition"])
    )


WRONG_KIND = "nội dung tệp này không thuộc loại nào trong số đó"


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"This is not a Word file", "Báo cáo.docx", WRONG_KIND),
        (office_file("readme.txt", "data.csv"), "Báo cáo.docx", WRONG_KIND),  # a plain ZIP
        (EXE, "setup.pdf", WRONG_KIND),
        (b"", "trống.pdf", "Tệp rỗng; hãy chọn lại tệp."),
    ],
)
def test_files_that_are_not_what_we_accept_are_refused(
    client, officer, draft, evidence_dir, content, filename, message
):
    client.login("canbo")
    page = client.submit(
        f"/progress/{draft.id}/evidence",
        {"target_id": "", "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert message in page
    assert count_evidence() == 0 and stored_files(evidence_dir) == []


def test_a_docx_that_is_really_an_xlsx_is_stored_as_xlsx(client, officer, draft):
    client.login("canbo")
    upload(client, draft, XLSX, "Số liệu.docx")
    evidence = db.session.scalar(select(Evidence))
    assert evidence.content_type.endswith("spreadsheetml.sheet")
    assert evidence.stored_name.endswith(".xlsx")


def test_size_limit(app, client, officer, draft, evidence_dir):
    app.config["EVIDENCE_MAX_MB"] = 1
    client.login("canbo")
    too_big = b"%PDF-1.7\n" + b"0" * (1024 * 1024)
    page = upload(client, draft, too_big, "scan.pdf", htmx=True).get_data(as_text=True)
    assert "Tệp lớn hơn 1 MB." in page
    assert count_evidence() == 0 and stored_files(evidence_dir) == []
    just_fits = b"%PDF-1.7\n" + b"0" * (1024 * 1024 - 9)
    upload(client, draft, just_fits, "scan.pdf")
    assert count_evidence() == 1


def test_original_name_is_cleaned():
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("C:\\Users\\cb\\Ảnh chụp\u202egnp.exe") == "Ảnh chụpgnp.exe"
    assert clean_filename('bao"cao<1>?.pdf') == "baocao1.pdf"
    assert clean_filename("  ") == "minh-chung"
    assert clean_filename("a" * 300 + ".pdf").endswith("a.pdf")
    assert len(clean_filename("a" * 300 + ".pdf")) == 200


def test_the_same_file_twice_on_one_target_is_refused(client, officer, draft):
    client.login("canbo")
    upload(client, draft, PDF, "a.pdf")
    page = upload(client, draft, PDF, "b.pdf", htmx=True).get_data(as_text=True)
    assert "Tệp này đã được đính kèm rồi." in page
    assert count_evidence() == 1


def test_a_target_of_another_registration_is_refused(client, officer, draft):
    other = registration_with_targets(make_unit("Xã Khác"))
    client.login("canbo")
    page = upload(client, draft, PDF, "a.pdf", target_of(other, "1.1").id, htmx=True).get_data(
        as_text=True
    )
    assert "Chỉ tiêu không thuộc bản đăng ký này." in page
    assert count_evidence() == 0


def test_an_upload_that_lost_a_race_is_stored_once(
    client, officer, draft, evidence_dir, monkeypatch
):
    client.login("canbo")
    commit, lost = db.session.commit, []

    def busy_once():
        if not lost and any(isinstance(o, Evidence) for o in db.session.new):
            lost.append(True)
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))
        commit()

    monkeypatch.setattr(db.session, "commit", busy_once)
    page = upload(client, draft, PDF, "Biên bản.pdf", htmx=True).get_data(as_text=True)
    assert lost and "Đã đính kèm Biên bản.pdf." in page
    evidence = db.session.scalar(select(Evidence))
    assert count_evidence() == 1 and stored_files(evidence_dir) == [evidence.stored_name]
    assert (evidence_dir / evidence.stored_name).read_bytes() == PDF


# --- htmx: the row's evidence list swaps in place --------------------------------------------------


def test_htmx_upload_returns_the_rows_evidence_list(client, officer, draft):
    client.login("canbo")
    target_id = target_of(draft.registration, "1.1").id
    response = upload(client, draft, PDF, "Nghị quyết HĐND.pdf", target_id, htmx=True)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert fragment.lstrip().startswith(f'<section class="evidence" id="evidence-{target_id}">')
    assert "Đã đính kèm Nghị quyết HĐND.pdf." in fragment
    assert "Nghị quyết HĐND.pdf</a>" in fragment
    assert "<!doctype html>" not in fragment


def test_htmx_invalid_file_rerenders_the_list_with_200_and_the_message(client, officer, draft):
    client.login("canbo")
    response = upload(client, draft, EXE, "quyet-dinh.pdf", htmx=True)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="evidence-report"' in fragment and 'role="alert"' in fragment
    assert "Chỉ nhận tệp PDF, ảnh (PNG, JPEG, WebP), Word (.docx) hoặc Excel (.xlsx)" in fragment


def test_report_page_has_an_upload_form_per_target_that_works_without_js(client, officer, draft):
    client.login("canbo")
    page = client.get(f"/progress/{draft.id}").get_data(as_text=True)
    target_id = target_of(draft.registration, "1.1").id
    assert f'id="evidence-{target_id}"' in page and 'id="evidence-report"' in page
    assert page.count('enctype="multipart/form-data"') == 2
    assert page.count('hx-encoding="multipart/form-data"') == 2
    response = upload(client, draft, PDF, "a.pdf", target_id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/progress/{draft.id}#target-{target_id}")
    assert "Đã đính kèm a.pdf." in client.get(f"/progress/{draft.id}").get_data(as_text=True)


# --- who may download ---------------------------------------------------------------------


def test_evidence_access(client, unit, officer):
    today = local_today()
    leader_unit = make_unit("Phường Đoàn Kết")
    cluster = make_cluster(year=today.year, members=[unit, leader_unit], leader=leader_unit)
    registration = registration_with_targets(unit, open_campaign(unit, clusters=[cluster]))
    report = report_with(registration, officer, {"1.1": "6"}, submit=False)
    make_user("cumtruong", unit=leader_unit)
    make_user("thuongtruc", Role.ADMIN)
    make_user("khac", unit=make_unit("Xã Khác"))
    client.login("canbo")
    upload(client, report, PDF, "Báo cáo quý.pdf")
    upload(client, report, DOCX, "Kế hoạch.docx")
    client.submit("/logout")
    pdf, docx = db.session.scalars(select(Evidence).order_by(Evidence.id)).all()

    for username in ("canbo", "thuongtruc", "cumtruong"):
        client.login(username)
        response = client.get(f"/evidence/{pdf.id}")
        assert response.status_code == 200, username
        assert response.data == PDF
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"].startswith("inline")
        word = client.get(f"/evidence/{docx.id}")
        assert word.headers["Content-Disposition"].startswith("attachment")
        assert word.mimetype.endswith("wordprocessingml.document")
        client.submit("/logout")

    client.login("khac")
    assert client.get(f"/evidence/{pdf.id}").status_code == 403
    assert client.get("/evidence/9999").status_code == 404
    client.submit("/logout")
    anonymous = client.get(f"/evidence/{pdf.id}")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_only_the_units_officer_uploads(client, unit, officer, draft):
    make_user("thuongtruc", Role.ADMIN)
    make_user("khac", unit=make_unit("Xã Khác"))
    for username, expected in (("thuongtruc", 403), ("khac", 403)):
        client.login(username)
        assert upload(client, draft, PDF, "a.pdf").status_code == expected
        client.submit("/logout")
    assert count_evidence() == 0


def test_evidence_is_not_under_static(app):
    from emulation.progress.evidence import evidence_dir

    app.config.pop("EVIDENCE_DIR")
    assert evidence_dir() == os.path.join(app.instance_path, "evidence")
    assert not evidence_dir().startswith(app.static_folder)


# --- deleting -------------------------------------------------------------------------------------


def test_officer_deletes_evidence_from_a_draft(client, officer, draft, evidence_dir):
    client.login("canbo")
    upload(client, draft, PDF, "Nhầm tệp.pdf")
    evidence = db.session.scalar(select(Evidence))
    page = client.get(f"/progress/{draft.id}").get_data(as_text=True)
    assert 'hx-confirm="Xóa tệp Nhầm tệp.pdf?"' in page
    response = client.htmx("POST", f"/evidence/{evidence.id}/delete")
    fragment = response.get_data(as_text=True)
    assert "Đã xóa tệp Nhầm tệp.pdf." in fragment and 'id="evidence-report"' in fragment
    assert count_evidence() == 0 and stored_files(evidence_dir) == []


def test_evidence_of_a_submitted_report_cannot_be_deleted(client, officer, draft, evidence_dir):
    client.login("canbo")
    upload(client, draft, PDF, "Biên bản.pdf")
    report = db.session.get(ProgressReport, draft.id)
    submit_report(report, officer)
    db.session.commit()
    evidence = db.session.scalar(select(Evidence))
    page = client.submit(f"/evidence/{evidence.id}/delete", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Báo cáo đã gửi nên không sửa được nữa." in page
    assert count_evidence() == 1 and len(stored_files(evidence_dir)) == 1
    assert "Xóa tệp" not in page and "Tải lên" not in page  # read-only now


def test_another_unit_cannot_delete(client, officer, draft):
    client.login("canbo")
    upload(client, draft, PDF, "a.pdf")
    client.submit("/logout")
    make_user("khac", unit=make_unit("Xã Khác"))
    client.login("khac")
    evidence = db.session.scalar(select(Evidence))
    assert client.submit(f"/evidence/{evidence.id}/delete").status_code == 403
    assert count_evidence() == 1


def test_evidence_cannot_be_added_once_the_window_closes(client, unit, officer, evidence_dir):
    today = local_today()
    campaign = open_campaign(
        unit,
        phases={"implementation": (today - timedelta(days=30), today + timedelta(days=30))},
    )
    registration = registration_with_targets(unit, campaign)
    report = report_with(registration, officer, {"1.1": "6"}, submit=False)
    campaign.phases[0].ends_on = today - timedelta(days=1)
    db.session.commit()
    client.login("canbo")
    page = upload(client, report, PDF, "a.pdf", htmx=True).get_data(as_text=True)
    assert "Ngoài thời gian tổ chức thực hiện" in page
    assert count_evidence() == 0 and stored_files(evidence_dir) == []
