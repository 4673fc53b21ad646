"""Registrations (đăng ký thi đua): the unit's form, review, amendments, pledges and the board."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from emulation.accounts.models import Role
from emulation.accounts.service import leads_cluster
from emulation.campaigns.models import PhaseKind
from emulation.campaigns.service import (
    campaign_cluster_of,
    participates,
    phase_is_open,
    windows_text,
)
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.core.i18n import format_plain
from emulation.registrations import pledges as exemplary
from emulation.registrations import service as domain
from emulation.registrations.models import (
    AmendmentRequest,
    ExemplaryEvaluation,
    ExemplaryRegistration,
    Registration,
)
from emulation.web.actions import act
from emulation.web.common import get_campaign, is_htmx, role_required
from forms import choices
from forms.registrations import (
    EvaluationForm,
    ExemplaryForm,
    ReasonForm,
    RegistrationForm,
    raw_target,
    read_target,
    read_targets,
)

bp = Blueprint("registrations", __name__)


def _own_unit_campaign(slug: str):
    campaign = get_campaign(slug)
    if not current_user.is_unit_officer or current_user.unit is None:
        abort(403)
    if not participates(campaign, current_user.unit):
        flash(_("%(unit)s không tham gia phong trào này.", unit=current_user.unit.name), "error")
        abort(403)
    return campaign, current_user.unit


def _saved_rows(registration: Registration | None, criteria) -> dict:
    """Typed text per row from what is stored (empty rows for a new registration)."""
    rows = {}
    for criterion in criteria:
        target = registration.target_for(criterion.id) if registration else None
        rows[criterion.id] = {
            "baseline": format_plain(target.baseline) if target else "",
            "target": format_plain(target.target) if target else "",
            "uom": (target.unit_of_measure if target else "") or criterion.unit_of_measure,
            "deadline": target.deadline.strftime("%d/%m/%Y") if target and target.deadline else "",
            "note": target.note if target else "",
        }
    return rows


def _form_page(campaign, unit, registration, form, rows, errors=None, warnings=None, status=200):
    criteria = domain.quantitative_criteria(campaign)
    form.titles.choices = choices([(t, t) for t in domain.TITLES.get(campaign.form, [])])
    editable = registration is None or (
        registration.status in ("draft", "returned")
        and (
            phase_is_open(campaign, PhaseKind.REGISTRATION)
            or domain.amendment_granted(registration)
        )
    )
    return render_template(
        "registrations/form.html",
        campaign=campaign,
        unit=unit,
        registration=registration,
        form=form,
        criteria=criteria,
        rows=rows,
        errors=errors or {},
        warnings=warnings or {},
        editable=editable,
        window=windows_text(campaign, PhaseKind.REGISTRATION),
        event_labels=domain.EVENT_LABELS,
    ), status


@bp.route("/campaigns/<slug>/registration", methods=["GET", "POST"])
@role_required(Role.UNIT_OFFICER)
def mine(slug: str):
    """The officer's own unit: fill in, save as draft, submit."""
    campaign, unit = _own_unit_campaign(slug)
    registration = domain.registration_of(campaign, unit)
    criteria = domain.quantitative_criteria(campaign)
    form = RegistrationForm(obj=registration)
    form.titles.choices = choices([(t, t) for t in domain.TITLES.get(campaign.form, [])])
    if request.method == "GET":
        form.version.data = registration.version if registration else 0
        return _form_page(campaign, unit, registration, form, _saved_rows(registration, criteria))

    values, errors, raws = read_targets(request.form, criteria)
    if not form.validate_on_submit() or errors:
        flash(_("Chưa lưu: có ô nhập chưa đúng, xem các thông báo bên dưới."), "error")
        return _form_page(campaign, unit, registration, form, raws, errors)
    # A form opened before anyone saved carries version 0: stale if a registration exists now.
    opened_with = int(form.version.data or 0) if (form.version.data or "0").isdigit() else 0

    def save():
        # Read again: a second run, after losing a race, decides on what the other writer saved.
        registration = domain.registration_of(campaign, unit)
        version = opened_with
        if registration is None:
            registration = domain.start_registration(campaign, unit, current_user)
            db.session.flush()
            version = registration.version
        result = domain.save_draft(
            registration,
            current_user,
            version=version,
            commitment=form.commitment.data or "",
            titles=form.titles.data or [],
            targets=values,
        )
        if request.form.get("action") == "submit":
            db.session.flush()
            domain.submit(registration, current_user)
        return registration, result

    done = act(save)
    if isinstance(done.refusal, domain.StaleEdit):
        done.flash()
        fresh = domain.registration_of(campaign, unit)
        form = RegistrationForm(obj=fresh, formdata=None)
        form.version.data = fresh.version
        return _form_page(campaign, unit, fresh, form, _saved_rows(fresh, criteria))
    if not done:
        done.flash()
        registration = domain.registration_of(campaign, unit)
        return _form_page(campaign, unit, registration, form, raws, errors)
    registration, result = done.value
    if registration.status == "submitted":
        flash(_("Đã gửi bản đăng ký. Cụm trưởng hoặc Thường trực Hội đồng sẽ xem xét."), "success")
    else:
        flash(_("Đã lưu nháp."), "success")
    for criterion_id, warning in result.warnings.items():
        code = next((c.code for c in criteria if c.id == criterion_id), "")
        flash(f"{code}: {warning}", "warning")
    return redirect(url_for("registrations.mine", slug=slug))


@bp.post("/campaigns/<slug>/registration/check/<int:criterion_id>")
@role_required(Role.UNIT_OFFICER)
def check_row(slug: str, criterion_id: int):
    """htmx: the messages for one target row while the officer types; saves nothing."""
    campaign, _unit = _own_unit_campaign(slug)
    criterion = next(
        (c for c in domain.quantitative_criteria(campaign) if c.id == criterion_id), None
    )
    if criterion is None:
        abort(404)
    raw = raw_target(request.form, criterion_id)
    value, errors = read_target(raw)
    warning = None if errors else domain.wrong_way_warning(criterion, value)
    return render_template(
        "registrations/_target_messages.html", c=criterion, row_errors=errors, warning=warning
    )


def _registration_or_404(registration_id: int) -> Registration:
    registration = db.get_or_404(Registration, registration_id)
    if not domain.can_view(current_user, registration):
        abort(403)
    return registration


@bp.get("/registrations/<int:registration_id>")
@login_required
def detail(registration_id: int):
    registration = _registration_or_404(registration_id)
    criteria = domain.quantitative_criteria(registration.campaign)
    return render_template(
        "registrations/detail.html",
        registration=registration,
        criteria=criteria,
        can_review=domain.can_review(current_user, registration),
        can_edit=domain.can_edit(current_user, registration),
        reason_form=ReasonForm(),
        event_labels=domain.EVENT_LABELS,
        warnings={
            c.id: domain.wrong_way_warning(c, t)
            for c in criteria
            if (t := registration.target_for(c.id)) is not None
        },
    )


@bp.post("/registrations/<int:registration_id>/approve")
@login_required
def approve(registration_id: int):
    registration = _registration_or_404(registration_id)
    if not domain.can_review(current_user, registration):
        abort(403)
    done = act(
        lambda: domain.approve(registration, current_user),
        success=_("Đã duyệt bản đăng ký của %(u)s.", u=registration.unit.name),
    )
    return done.redirect(url_for("registrations.detail", registration_id=registration.id))


@bp.post("/registrations/<int:registration_id>/return")
@login_required
def return_for_correction(registration_id: int):
    registration = _registration_or_404(registration_id)
    if not domain.can_review(current_user, registration):
        abort(403)
    reason = request.form.get("reason", "")
    done = act(
        lambda: domain.return_for_correction(registration, current_user, reason),
        success=_("Đã trả lại bản đăng ký của %(u)s kèm lý do.", u=registration.unit.name),
    )
    return done.redirect(url_for("registrations.detail", registration_id=registration.id))


@bp.post("/registrations/<int:registration_id>/amendments")
@login_required
def request_amendment(registration_id: int):
    registration = _registration_or_404(registration_id)
    if not domain.can_edit(current_user, registration):
        abort(403)
    reason = request.form.get("reason", "")
    done = act(
        lambda: domain.request_amendment(registration, current_user, reason),
        success=_("Đã gửi đề nghị điều chỉnh."),
    )
    return done.redirect(url_for("registrations.detail", registration_id=registration.id))


@bp.post("/registrations/<int:registration_id>/amendments/<int:amendment_id>")
@login_required
def decide_amendment(registration_id: int, amendment_id: int):
    registration = _registration_or_404(registration_id)
    amendment = db.get_or_404(AmendmentRequest, amendment_id)
    if amendment.registration_id != registration.id:
        abort(404)
    if not domain.can_review(current_user, registration):
        abort(403)
    grant = request.form.get("decision") == "grant"
    note = request.form.get("note", "")
    message = (
        _("Đã chấp thuận điều chỉnh: đơn vị sửa và gửi lại bản đăng ký.")
        if grant
        else _("Đã không chấp thuận điều chỉnh.")
    )
    done = act(
        lambda: domain.decide_amendment(amendment, current_user, grant=grant, note=note),
        success=message,
    )
    return done.redirect(url_for("registrations.detail", registration_id=registration.id))


@bp.get("/campaigns/<slug>/registrations")
@login_required
def board(slug: str):
    """Who has registered, who is late, who was returned. Cluster leaders see their cluster."""
    campaign = get_campaign(slug)
    rows = domain.registration_board(campaign, local_today())
    if not (current_user.is_admin or current_user.is_council_member):
        led = [c for c in campaign.clusters if leads_cluster(current_user, c)]
        if not led:
            abort(403)
        members = {m.unit_id for c in led for m in c.members}
        rows = [r for r in rows if r.unit.id in members]
    status_filter = request.args.get("status", "")
    shown = [
        r
        for r in rows
        if not status_filter or r.status == status_filter or (status_filter == "late" and r.late)
    ]
    template = "registrations/_board_table.html" if is_htmx() else "registrations/board.html"
    return render_template(
        template,
        campaign=campaign,
        rows=shown,
        all_rows=rows,
        status_filter=status_filter,
        cluster_of={r.unit.id: campaign_cluster_of(campaign, r.unit) for r in rows},
        window=windows_text(campaign, PhaseKind.REGISTRATION),
    )


# --- đăng ký nêu gương ----------------------------------------------------------------------


@bp.get("/campaigns/<slug>/exemplary")
@login_required
def exemplary_list(slug: str):
    campaign = get_campaign(slug)
    if current_user.is_admin or current_user.is_council_member:
        items = exemplary.pledges(campaign)
    elif current_user.is_unit_officer and current_user.unit:
        items = exemplary.pledges(campaign, current_user.unit)
    else:
        abort(403)
    return render_template(
        "registrations/exemplary_list.html",
        campaign=campaign,
        items=items,
        can_add=current_user.is_unit_officer
        and current_user.unit
        and participates(campaign, current_user.unit),
        evaluation_open=exemplary.evaluation_open(campaign),
        registration_open=phase_is_open(campaign, PhaseKind.REGISTRATION),
        window=windows_text(campaign, PhaseKind.REGISTRATION),
    )


def _tasks_from(form: ExemplaryForm) -> list[exemplary.TaskInput]:
    return [
        exemplary.TaskInput(
            group=form[f"task{i}_group"].data,
            description=form[f"task{i}_description"].data or "",
            expected_result=form[f"task{i}_result"].data or "",
            deadline=form[f"task{i}_deadline"].data,
        )
        for i in (1, 2)
    ]


def _fill_exemplary_form(form: ExemplaryForm, pledge: ExemplaryRegistration) -> None:
    for i, task in enumerate(pledge.tasks[:2], start=1):
        form[f"task{i}_group"].data = task.group
        form[f"task{i}_description"].data = task.description
        form[f"task{i}_result"].data = task.expected_result
        form[f"task{i}_deadline"].data = task.deadline


@bp.route("/campaigns/<slug>/exemplary/new", methods=["GET", "POST"])
@bp.route("/exemplary/<int:pledge_id>", methods=["GET", "POST"], endpoint="exemplary_edit")
@login_required
def exemplary_form(slug: str | None = None, pledge_id: int | None = None):
    if pledge_id is not None:
        pledge = db.get_or_404(ExemplaryRegistration, pledge_id)
        if not exemplary.can_view(current_user, pledge):
            abort(403)
        campaign, unit = pledge.campaign, pledge.unit
    else:
        campaign, unit = _own_unit_campaign(slug)
        pledge = ExemplaryRegistration(unit_id=unit.id, status="draft")
    form = ExemplaryForm(obj=pledge if pledge.id else None)
    if request.method == "GET" and pledge.id:
        _fill_exemplary_form(form, pledge)
    if request.method == "POST":
        if not exemplary.can_manage(current_user, pledge):
            abort(403)
        if form.validate_on_submit():

            def save():
                exemplary.save_pledge(
                    pledge,
                    current_user,
                    campaign=campaign,
                    unit=unit,
                    person_name=form.person_name.data,
                    person_title=form.person_title.data or "",
                    tasks=_tasks_from(form),
                )
                if request.form.get("action") == "submit":
                    exemplary.submit_pledge(pledge, current_user)

            done = act(
                save,
                form=form,
                field="person_name",
                success=lambda _value: _(
                    "Đã lưu đăng ký nêu gương của %(n)s.", n=pledge.person_name
                ),
            )
            if done:
                return done.redirect(url_for("registrations.exemplary_list", slug=campaign.slug))
    return render_template(
        "registrations/exemplary_form.html",
        campaign=campaign,
        pledge=pledge,
        form=form,
        review_form=ReasonForm(),
        evaluation_form=_evaluation_form(),
        can_manage=exemplary.can_manage(current_user, pledge),
        evaluation_open=exemplary.evaluation_open(campaign),
    )


def _evaluation_form() -> EvaluationForm:
    form = EvaluationForm()
    form.evaluation.choices = choices([("", _("— Chọn —")), *ExemplaryEvaluation.LABELS.items()])
    return form


@bp.post("/exemplary/<int:pledge_id>/review")
@login_required
def exemplary_review(pledge_id: int):
    pledge = db.get_or_404(ExemplaryRegistration, pledge_id)
    if not exemplary.can_manage(current_user, pledge):
        abort(403)
    approve = request.form.get("decision") == "approve"
    done = act(
        lambda: exemplary.review_pledge(
            pledge, current_user, approve=approve, note=request.form.get("reason", "")
        ),
        success=_("Đã duyệt đăng ký nêu gương.") if approve else _("Đã trả lại đăng ký nêu gương."),
    )
    return done.redirect(url_for("registrations.exemplary_edit", pledge_id=pledge.id))


@bp.post("/exemplary/<int:pledge_id>/evaluate")
@login_required
def exemplary_evaluate(pledge_id: int):
    pledge = db.get_or_404(ExemplaryRegistration, pledge_id)
    if not exemplary.can_manage(current_user, pledge):
        abort(403)
    done = act(
        lambda: exemplary.evaluate_pledge(
            pledge,
            current_user,
            evaluation=request.form.get("evaluation", ""),
            note=request.form.get("note", ""),
        ),
        success=_("Đã ghi kết quả đánh giá cuối năm."),
    )
    return done.redirect(url_for("registrations.exemplary_edit", pledge_id=pledge.id))
