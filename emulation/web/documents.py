"""Dossier documents to download (hồ sơ khen thưởng): the pre-filled báo cáo thành tích, the
tờ trình and list of the finalized nominees, the council's minutes and vote results."""

from __future__ import annotations

import io

from flask import Blueprint, abort, send_file
from flask_babel import gettext as _
from flask_login import current_user

from emulation.accounts.models import Role
from emulation.campaigns.models import Campaign
from emulation.campaigns.service import participates
from emulation.commendation import meetings, nominations
from emulation.commendation.documents import (
    DOCX,
    XLSX,
    collective_report_docx,
    collective_report_for,
    minutes_docx,
    nominees_xlsx,
    results_xlsx,
    submission_docx,
)
from emulation.commendation.documents.from_awards import (
    minutes_for,
    nominee_list_for,
    results_rows_for,
    results_title,
    submission_for,
)
from emulation.commendation.models import Meeting
from emulation.core.extensions import db
from emulation.units.models import Unit
from emulation.web.common import get_campaign, render_error, role_required

bp = Blueprint("documents", __name__)


@bp.get("/campaigns/<slug>/units/<int:unit_id>/bao-cao-thanh-tich.docx")
@role_required(Role.ADMIN, Role.UNIT_OFFICER)
def collective_report(slug: str, unit_id: int):
    """Mẫu 02 pre-filled for a unit: for the standing office and the unit's own officers."""
    campaign = get_campaign(slug)
    unit = db.get_or_404(Unit, unit_id)
    if not current_user.is_admin and current_user.unit_id != unit.id:
        abort(403)
    if not participates(campaign, unit):
        abort(404)
    data = collective_report_docx(collective_report_for(campaign, unit))
    return _download(data, DOCX, f"bao-cao-thanh-tich-{campaign.slug}-{unit.code}.docx")


def _download(data: bytes, mimetype: str, name: str):
    response = send_file(
        io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the finalized list -----------------------------------------------------------------------


def _final_campaign(slug: str) -> tuple[Campaign, str | None]:
    campaign = get_campaign(slug)
    if not nominations.is_final(campaign):
        return campaign, _("Danh sách đề nghị khen thưởng chưa chốt.")
    return campaign, None


@bp.get("/campaigns/<slug>/to-trinh.docx")
@role_required(Role.ADMIN)
def submission(slug: str):
    """Mẫu 01: the tờ trình of the finalized list, for the standing office."""
    campaign, error = _final_campaign(slug)
    if error:
        return render_error(400, error)
    data = submission_docx(submission_for(campaign))
    return _download(data, DOCX, f"to-trinh-{campaign.slug}.docx")


@bp.get("/campaigns/<slug>/danh-sach-de-nghi.xlsx")
@role_required(Role.ADMIN)
def nominee_list(slug: str):
    """The finalized list as a spreadsheet, for the standing office."""
    campaign, error = _final_campaign(slug)
    if error:
        return render_error(400, error)
    data = nominees_xlsx(nominee_list_for(campaign))
    return _download(data, XLSX, f"danh-sach-de-nghi-{campaign.slug}.xlsx")


# --- the council meeting ----------------------------------------------------------------------


def _closed_meeting(meeting_id: int, message: str) -> tuple[Meeting, str | None]:
    meeting = db.get_or_404(Meeting, meeting_id)
    get_campaign(meeting.campaign.slug)  # a draft's meeting is the standing office's only
    if not meetings.is_closed(meeting):
        return meeting, message
    return meeting, None


@bp.get("/meetings/<int:meeting_id>/bien-ban.docx")
@role_required(Role.ADMIN, Role.COUNCIL_MEMBER)
def minutes(meeting_id: int):
    """The biên bản, once voting is closed: for the standing office and council members."""
    meeting, error = _closed_meeting(meeting_id, _("Biên bản có sau khi kết thúc biểu quyết."))
    if error:
        return render_error(400, error)
    data = minutes_docx(minutes_for(meeting))
    return _download(data, DOCX, f"bien-ban-hop-hoi-dong-{meeting.campaign.slug}.docx")


@bp.get("/meetings/<int:meeting_id>/ket-qua.xlsx")
@role_required(Role.ADMIN, Role.COUNCIL_MEMBER)
def results(meeting_id: int):
    """The vote results as a spreadsheet, once voting is closed."""
    meeting, error = _closed_meeting(
        meeting_id, _("Kết quả biểu quyết có sau khi kết thúc biểu quyết.")
    )
    if error:
        return render_error(400, error)
    title, subtitle = results_title(meeting)
    data = results_xlsx(results_rows_for(meeting), title, subtitle)
    return _download(data, XLSX, f"ket-qua-bieu-quyet-{meeting.campaign.slug}.xlsx")
