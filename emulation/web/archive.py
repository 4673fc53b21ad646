"""The campaign's archive (JSON plus files) for the standing office to download and keep."""

from __future__ import annotations

import tempfile

from flask import Blueprint, send_file

from emulation.accounts.models import Role
from emulation.archive import service as archive
from emulation.web.actions import act
from emulation.web.common import get_campaign, render_error, role_required

bp = Blueprint("archive", __name__)


@bp.get("/campaigns/<slug>/archive.zip")
@role_required(Role.ADMIN)
def download(slug: str):
    campaign = get_campaign(slug)
    # Written to disk, not memory (evidence files can make an archive large); the response
    # closes it once sent, so no `with` here.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    done = act(lambda: archive.export_campaign(campaign, spool))
    if not done:
        spool.close()
        return render_error(500, done.error)
    spool.seek(0)
    response = send_file(
        spool,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{campaign.slug}-luu-tru.zip",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
