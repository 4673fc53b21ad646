"""Evidence files (minh chứng): the type read from the content, a size limit, and storage
outside static/ under random names, served only to those who may see the registration."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from emulation.accounts.models import User
from emulation.core.errors import DomainError
from emulation.progress.models import Evidence, ProgressReport
from emulation.progress.service import check_report_editable
from emulation.registrations.service import can_view

DEFAULT_MAX_MB = 10
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}$")


@dataclass(frozen=True)
class FileKind:
    """A file type we accept: what its content starts with decides it, never its name."""

    name: str
    extension: str
    content_type: str
    # Extensions people give this type; a name with another one is corrected on download.
    aliases: tuple[str, ...] = ()

    @property
    def inline(self) -> bool:
        """Shown in the browser (PDF, images) rather than downloaded."""
        return self.name in ("pdf", "png", "jpeg", "webp")


PDF = FileKind("pdf", ".pdf", "application/pdf")
PNG = FileKind("png", ".png", "image/png")
JPEG = FileKind("jpeg", ".jpg", "image/jpeg", (".jpeg", ".jpe"))
WEBP = FileKind("webp", ".webp", "image/webp")
DOCX = FileKind(
    "docx",
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileKind(
    "xlsx",
    ".xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
KINDS = (PDF, PNG, JPEG, WEBP, DOCX, XLSX)
KIND_BY_CONTENT_TYPE = {k.content_type: k for k in KINDS}
# For the file picker on phones (camera, gallery, documents); the server decides regardless.
ACCEPT = ",".join([k.extension for k in KINDS] + [".jpeg"] + [k.content_type for k in KINDS])


def detect_kind(data: bytes) -> FileKind | None:
    """The kind of file these bytes are, by their magic numbers and, for Office, ZIP entries."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def _office_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


# --- settings -------------------------------------------------------------------------------


def evidence_dir() -> str:
    """Where files are kept: EVIDENCE_DIR, else instance/evidence (never under static/)."""
    return current_app.config.get("EVIDENCE_DIR") or os.path.join(
        current_app.instance_path, "evidence"
    )


def max_megabytes() -> int | float:
    return current_app.config.get("EVIDENCE_MAX_MB") or DEFAULT_MAX_MB


def max_bytes() -> int:
    return int(max_megabytes() * 1024 * 1024)


# --- names ----------------------------------------------------------------------------------


def clean_filename(name: str | None) -> str:
    """The name as the person knew it, safe to show and to send back: no folders, no control
    characters, no characters Windows refuses; Vietnamese letters kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = re.sub(r'[<>:"|?*]', "", name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = stem[: 200 - len(extension) - 1] + dot + extension if dot else name[:200]
    return name or "minh-chung"


def download_name(evidence: Evidence) -> str:
    """The original name, with the extension of the type actually detected."""
    kind = KIND_BY_CONTENT_TYPE.get(evidence.content_type)
    if kind is None:
        return evidence.original_name
    stem, dot, extension = evidence.original_name.rpartition(".")
    if dot and "." + extension.lower() in (kind.extension, *kind.aliases):
        return evidence.original_name
    return (stem if dot and stem else evidence.original_name) + kind.extension


def stored_path(evidence: Evidence) -> str:
    """The file on disk; the stored name is checked so a tampered row cannot point elsewhere."""
    if not STORED_NAME.match(evidence.stored_name):
        raise FileNotFoundError(evidence.stored_name)
    return os.path.join(evidence_dir(), evidence.stored_name)


# --- storing and deleting ---------------------------------------------------------------------


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(
            _(
                "Tệp lớn hơn %(mb)s MB. Hãy chọn tệp nhỏ hơn (chụp ảnh độ phân giải thấp hơn, nén hoặc chia nhỏ tệp).",
                mb=max_megabytes(),
            ),
            "file",
        )
    return data


def store_evidence(
    report: ProgressReport,
    user: User,
    *,
    filename: str | None,
    stream: BinaryIO,
    target_id: int | None = None,
) -> Evidence:
    """Check and keep an uploaded file for the report (or one of its targets).

    The file is written before the row is committed; if the commit fails, call
    `remove_stored_file` so no orphan stays on disk.
    """
    check_report_editable(report, user)
    if target_id is not None and not any(t.id == target_id for t in report.registration.targets):
        raise DomainError(_("Chỉ tiêu không thuộc bản đăng ký này."), "file")
    data = _read_limited(stream, max_bytes())
    if not data:
        raise DomainError(_("Tệp rỗng; hãy chọn lại tệp."), "file")
    kind = detect_kind(data)
    if kind is None:
        raise DomainError(
            _(
                "Chỉ nhận tệp PDF, ảnh (PNG, JPEG, WebP), Word (.docx) hoặc Excel (.xlsx); nội dung tệp này không thuộc loại nào trong số đó."
            ),
            "file",
        )
    digest = hashlib.sha256(data).hexdigest()
    if any(e.sha256 == digest and e.target_id == target_id for e in report.evidence):
        raise DomainError(_("Tệp này đã được đính kèm rồi."), "file")

    stored_name = uuid.uuid4().hex + kind.extension
    folder = evidence_dir()
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, stored_name)
    partial = path + ".part"
    with open(partial, "wb") as out:
        out.write(data)
    os.replace(partial, path)

    evidence = Evidence(
        target_id=target_id,
        original_name=clean_filename(filename),
        stored_name=stored_name,
        content_type=kind.content_type,
        size=len(data),
        sha256=digest,
        uploaded_by_id=user.id,
    )
    report.evidence.append(evidence)
    return evidence


def remove_stored_file(stored_name: str) -> None:
    """Delete a kept file; a missing one is not an error."""
    if not STORED_NAME.match(stored_name):
        return
    with contextlib.suppress(FileNotFoundError):
        os.remove(os.path.join(evidence_dir(), stored_name))


def delete_evidence(evidence: Evidence, user: User) -> str:
    """Remove the row while the report is a draft; returns the stored name, whose file the
    caller removes with `remove_stored_file` once the deletion is committed."""
    check_report_editable(evidence.report, user)
    evidence.report.evidence.remove(evidence)
    return evidence.stored_name


def can_view_evidence(user: User, evidence: Evidence) -> bool:
    return can_view(user, evidence.report.registration)
