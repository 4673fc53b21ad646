"""Scoring sheets: the overview per campaign, the sheet with inline entry, moving stages."""

from __future__ import annotations

import json
import secrets
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from emulation.accounts.models import Role
from emulation.accounts.service import leads_cluster
from emulation.campaigns.models import PhaseKind
from emulation.campaigns.service import phase_is_open, windows_text
from emulation.core.extensions import db
from emulation.core.i18n import current_locale
from emulation.core.numbers import parse_number
from emulation.criteria.models import Criterion
from emulation.criteria.service import walk
from emulation.registrations.models import Registration
from emulation.registrations.service import can_view as can_view_registration
from emulation.scoring import audit, sheets
from emulation.scoring.models import Aggregation, Explanation, ScoreSheet, Stage
from emulation.web.actions import act
from emulation.web.common import get_campaign, is_htmx, role_required

bp = Blueprint("scoring", __name__)


@bp.get("/campaigns/<slug>/scoring")
@login_required
def overview(slug: str):
    """All sheets with stage, totals, spread and flags; officers go to their own sheet."""
    campaign = get_campaign(slug)
    to_cross = sheets.sheets_to_cross_score(campaign, current_user)
    if current_user.is_unit_officer:
        led = [c for c in campaign.clusters if leads_cluster(current_user, c)]
        if not led:
            own = sheets.ensure_sheet(campaign, current_user.unit) if current_user.unit else None
            db.session.commit()
            if own is None:
                abort(403)
            if not to_cross:
                return redirect(url_for("scoring.sheet", sheet_id=own.id))
            return render_template(
                "scoring/overview.html", campaign=campaign, rows=[], own=own, to_cross=to_cross
            )
    unit_ids = None
    if current_user.is_unit_officer:
        unit_ids = {m.unit_id for c in led for m in c.members} | {current_user.unit_id}
    sheets.sheets_of(campaign)  # participants that had no sheet get one
    db.session.commit()
    rows = sheets.overview(campaign, current_user, unit_ids)
    can_configure = sheets.can_configure_scoring(current_user)
    return render_template(
        "scoring/overview.html",
        campaign=campaign,
        rows=rows,
        to_cross=to_cross,
        can_publish=sheets.can_publish(current_user, campaign),
        can_configure=can_configure,
        assignments=sheets.cross_assignments(campaign) if can_configure else [],
        aggregations=Aggregation.LABELS,
    )


@bp.post("/campaigns/<slug>/scoring/settings")
@role_required(Role.ADMIN)
def settings(slug: str):
    campaign = get_campaign(slug)
    back = url_for("scoring.overview", slug=slug)
    try:
        tolerance = parse_number(request.form.get("tolerance", "")) or Decimal(0)
    except ValueError:
        flash(_("Ngưỡng chênh lệch phải là một số, ví dụ 2 hoặc 2,5."), "error")
        return redirect(back)
    done = act(
        lambda: sheets.save_scoring_settings(
            campaign,
            current_user,
            cross_scoring=request.form.get("cross_scoring") == "1",
            aggregation=request.form.get("aggregation", ""),
            tolerance=tolerance,
        ),
        success=_("Đã lưu cách chấm."),
    )
    return done.redirect(back)


@bp.post("/campaigns/<slug>/scoring/publish")
@role_required(Role.ADMIN)
def publish(slug: str):
    """Publish every sheet the council approved: the official leaderboard moves."""
    campaign = get_campaign(slug)
    done = act(
        lambda: sheets.publish_approved(campaign, current_user),
        success=lambda count: _("Đã công bố kết quả của %(n)s đơn vị.", n=count),
    )
    return done.redirect(url_for("scoring.overview", slug=slug))


@bp.post("/campaigns/<slug>/scoring/draw")
@role_required(Role.ADMIN)
def draw(slug: str):
    """Bốc thăm chấm chéo: seeded, so anyone can re-run it from the logged seed."""
    campaign = get_campaign(slug)
    per_unit = request.form.get("per_unit", type=int) or 0
    seed = request.form.get("seed", type=int)
    if seed is None:
        seed = secrets.randbelow(1_000_000)
    done = act(
        lambda: sheets.draw_cross_assignments(campaign, current_user, per_unit=per_unit, seed=seed),
        success=lambda rows: _(
            "Đã bốc thăm %(n)s cặp chấm chéo (mã bốc thăm %(seed)s).", n=len(rows), seed=seed
        ),
    )
    return done.redirect(url_for("scoring.overview", slug=slug))


def _sheet_or_403(sheet_id: int) -> ScoreSheet:
    sheet = db.get_or_404(ScoreSheet, sheet_id)
    if not sheets.can_view_sheet(current_user, sheet):
        abort(403)
    return sheet


def _context(sheet: ScoreSheet, errors: dict | None = None, typed: dict | None = None) -> dict:
    criteria = list(walk(sheet.campaign.criteria_set.roots))
    evidence = sheets.unit_evidence(sheet)
    return {
        "sheet": sheet,
        "campaign": sheet.campaign,
        "criteria": criteria,
        "columns": sheets.columns_for(sheet, current_user, current_locale()),
        "fields": {c.id: sheets.input_field(c) for c in criteria if c.is_leaf},
        "display": sheets.display_value,
        "editable": sheets.editable_value,
        "errors": errors or {},
        "typed": typed or {},
        "roles": sheets.role_in(current_user, sheet),
        "stage_labels": Stage.LABELS,
        "scoring_open": phase_is_open(sheet.campaign, PhaseKind.SCORING),
        "scoring_window": windows_text(sheet.campaign, PhaseKind.SCORING),
        "explanations": sheets.explanations_of(sheet),
        "can_ask": sheets.can_ask(current_user, sheet),
        "can_answer": sheets.can_answer(current_user, sheet),
        "can_prefill": sheets.can_prefill(current_user, sheet),
        "unit_evidence": evidence,
        "evidence_by_id": {e.id: e for e in evidence},
        "evidence_by_criterion": sheets.evidence_by_criterion(evidence)
        if _can_open_evidence(sheet)
        else {},
        "can_advance": sheets.can_advance(current_user, sheet),
        "can_return": sheets.can_return(current_user, sheet),
    }


def _can_open_evidence(sheet: ScoreSheet) -> bool:
    """Evidence links only for those the download will serve (see emulation.progress.evidence)."""
    registration = db.session.scalar(
        db.select(Registration).where(
            Registration.campaign_id == sheet.campaign_id, Registration.unit_id == sheet.unit_id
        )
    )
    return registration is not None and can_view_registration(current_user, registration)


@bp.get("/sheets/<int:sheet_id>")
@login_required
def sheet(sheet_id: int):
    return render_template("scoring/sheet.html", **_context(_sheet_or_403(sheet_id)))


@bp.post("/sheets/<int:sheet_id>/entries/<int:criterion_id>")
@login_required
def save(sheet_id: int, criterion_id: int):
    """Save one number (inline). htmx gets the sheet table back with every total recomputed."""
    sheet = _sheet_or_403(sheet_id)
    criterion = db.get_or_404(Criterion, criterion_id)
    text = request.form.get("value", "")
    version = request.form.get("version", 0, type=int)
    errors, typed = {}, {}
    stale = _(
        "Điểm này vừa được người khác lưu; đã hiện giá trị mới nhất. Bạn vừa nhập: “%(t)s”.", t=text
    )
    try:
        # A second writer on the same number runs again on fresh data: the version check decides.
        done = act(
            lambda: sheets.save_entry(
                sheet,
                current_user,
                criterion,
                text,
                version=version,
                note=request.form.get("note", ""),
            )
        )
    except IntegrityError:  # the same entry was created at the same moment
        errors[criterion_id] = stale
    else:
        if isinstance(done.refusal, sheets.StaleEntry):
            errors[criterion_id] = stale
        elif not done:
            errors[criterion_id], typed[criterion_id] = done.error, text
    if is_htmx():
        return render_template("scoring/_table.html", **_context(sheet, errors, typed))
    for message in errors.values():
        flash(message, "error")
    return redirect(url_for("scoring.sheet", sheet_id=sheet.id))


@bp.post("/sheets/<int:sheet_id>/explanations")
@login_required
def ask(sheet_id: int):
    """A reviewer asks the unit to explain one criterion (giải trình)."""
    sheet = _sheet_or_403(sheet_id)
    criterion = db.get_or_404(Criterion, request.form.get("criterion_id", type=int) or 0)
    done = act(
        lambda: sheets.request_explanation(
            sheet, current_user, criterion, request.form.get("question", "")
        ),
        success=_("Đã gửi yêu cầu giải trình về tiêu chí %(c)s.", c=criterion.code),
    )
    return done.redirect(url_for("scoring.sheet", sheet_id=sheet.id) + "#explanations")


@bp.post("/explanations/<int:explanation_id>/answer")
@login_required
def answer(explanation_id: int):
    explanation = db.get_or_404(Explanation, explanation_id)
    sheet = _sheet_or_403(explanation.sheet_id)
    done = act(
        lambda: sheets.answer_explanation(
            explanation,
            current_user,
            request.form.get("answer", ""),
            [int(i) for i in request.form.getlist("evidence") if i.isdigit()],
        ),
        success=_("Đã gửi giải trình."),
    )
    return done.redirect(url_for("scoring.sheet", sheet_id=sheet.id) + "#explanations")


@bp.post("/sheets/<int:sheet_id>/prefill")
@login_required
def prefill(sheet_id: int):
    """Self-scoring: take the quantitative results from the latest progress reports."""
    sheet = _sheet_or_403(sheet_id)
    done = act(
        lambda: sheets.prefill_from_progress(sheet, current_user),
        success=lambda filled: _(
            "Đã lấy %(n)s kết quả từ báo cáo tiến độ; hãy kiểm tra lại từng số.", n=filled
        ),
    )
    return done.redirect(url_for("scoring.sheet", sheet_id=sheet.id))


@bp.post("/sheets/<int:sheet_id>/advance")
@login_required
def advance(sheet_id: int):
    sheet = _sheet_or_403(sheet_id)
    done = act(
        lambda: sheets.advance(sheet, current_user),
        success=lambda new: _("Phiếu đã chuyển sang bước “%(s)s”.", s=str(Stage.LABELS[new])),
    )
    return done.redirect(url_for("scoring.sheet", sheet_id=sheet.id))


@bp.post("/sheets/<int:sheet_id>/return")
@login_required
def return_sheet(sheet_id: int):
    sheet = _sheet_or_403(sheet_id)
    done = act(
        lambda: sheets.return_sheet(sheet, current_user, request.form.get("reason", "")),
        success=_("Đã trả phiếu về đơn vị để tự chấm lại."),
    )
    return done.redirect(url_for("scoring.sheet", sheet_id=sheet.id))


@bp.get("/sheets/<int:sheet_id>/history/<int:criterion_id>")
@login_required
def history(sheet_id: int, criterion_id: int):
    """The audit chain for one criterion of one sheet (only what this viewer may see)."""
    sheet = _sheet_or_403(sheet_id)
    criterion = db.get_or_404(Criterion, criterion_id)
    shown = set(sheets.visible_stages(current_user, sheet)) | {""}
    events = [
        e for e in audit.history(sheet_id=sheet.id, criterion_id=criterion.id) if e.stage in shown
    ]
    if not current_user.is_admin:  # other scorers' numbers in a stage still open stay hidden
        events = [
            e for e in events if sheets.stage_closed(sheet, e.stage) or e.user_id == current_user.id
        ]
    template = "scoring/_history.html" if is_htmx() else "scoring/history.html"
    return render_template(
        template,
        sheet=sheet,
        criterion=criterion,
        events=events,
        shown=lambda text: _readable(criterion, text),
        stage_labels=Stage.LABELS,
    )


def _readable(criterion: Criterion, text: str) -> str:
    """A stored value as people read it ("3", "9,5 %", "Đạt"); raw text if it is not a value."""
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return text
    return sheets.display_value(criterion, value) if isinstance(value, dict) else (text or "")
