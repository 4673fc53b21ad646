"""Campaigns: list, public page, set-up by the standing office, phases and participants."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from emulation.accounts.models import Role
from emulation.campaigns import service as domain
from emulation.campaigns.models import Campaign, CampaignStatus, Phase
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.registrations.service import registration_board
from emulation.units.models import Cluster, Unit
from emulation.units.service import clusters_of_year, search_units
from emulation.web.actions import act
from emulation.web.common import get_campaign, is_htmx, role_required
from forms import choices
from forms.campaigns import CampaignForm, CloneForm, ParticipantsForm, PhaseForm

bp = Blueprint("campaigns", __name__)


@bp.get("/campaigns/")
def index():
    show_drafts = current_user.is_authenticated and current_user.is_admin
    campaigns = domain.list_campaigns(include_drafts=show_drafts)
    today = local_today()
    return render_template(
        "campaigns/index.html",
        campaigns=campaigns,
        running={c.id: domain.current_phase(c, today) for c in campaigns},
    )


@bp.get("/campaigns/<slug>")
def public(slug: str):
    """What anyone may read: theme, dates, content areas, participants, the phase now running."""
    campaign = get_campaign(slug)
    return render_template(
        "campaigns/public.html",
        campaign=campaign,
        participants=domain.participants(campaign),
        running=domain.current_phase(campaign),
    )


def _fill(campaign: Campaign, form: CampaignForm) -> dict:
    return dict(
        name=form.name.data,
        slug=form.slug.data or "",
        theme=form.theme.data or "",
        form=form.form.data,
        authority=form.authority.data or "",
        decision_number=form.decision_number.data or "",
        decision_date=form.decision_date.data,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        content_areas=form.content_areas.data or "",
    )


@bp.route("/campaigns/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create():
    form = CampaignForm()
    if request.method == "GET":
        form.authority.data = _("UBND tỉnh %(p)s", p=current_app.config["PROVINCE_NAME"])
    if form.validate_on_submit():
        done = act(
            lambda: domain.create_campaign(**_fill(Campaign(), form)),
            form=form,
            field="name",
            success=_(
                "Đã tạo phong trào (dự thảo). Tiếp theo: giai đoạn, đơn vị tham gia, bảng tiêu chí."
            ),
        )
        if done:
            return done.redirect(url_for("campaigns.manage", slug=done.value.slug))
    return render_template("campaigns/form.html", form=form, campaign=None)


@bp.route("/campaigns/<slug>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(slug: str):
    campaign = get_campaign(slug)
    if campaign.status == CampaignStatus.CLOSED:
        flash(_("Phong trào đã kết thúc; không thể thay đổi."), "error")
        return redirect(url_for("campaigns.manage", slug=slug))
    form = CampaignForm(obj=campaign)
    if form.validate_on_submit():
        done = act(
            lambda: domain.save_campaign(campaign, **_fill(campaign, form)),
            form=form,
            field="name",
            success=_("Đã lưu phong trào."),
        )
        if done:
            return done.redirect(url_for("campaigns.manage", slug=campaign.slug))
    return render_template("campaigns/form.html", form=form, campaign=campaign)


@bp.get("/campaigns/<slug>/manage")
@role_required(Role.ADMIN)
def manage(slug: str):
    return render_template("campaigns/manage.html", **_manage_context(get_campaign(slug)))


def _board_counts(board) -> dict:
    counts = {"none": 0, "draft": 0, "submitted": 0, "approved": 0, "returned": 0, "late": 0}
    for row in board:
        counts[row.status] += 1
        counts["late"] += row.late
    return counts


@bp.post("/campaigns/<slug>/status")
@role_required(Role.ADMIN)
def change_status(slug: str):
    campaign = get_campaign(slug)
    done = act(
        lambda: domain.change_status(campaign, request.form.get("status", "")),
        success=lambda _value: _(
            "Phong trào chuyển sang trạng thái “%(s)s”.", s=campaign.status_label
        ),
    )
    return done.redirect(url_for("campaigns.manage", slug=slug))


def _phases_response(campaign: Campaign, form: PhaseForm | None = None):
    if is_htmx():
        return render_template(
            "campaigns/_phases.html", campaign=campaign, phase_form=form or PhaseForm()
        )
    return redirect(url_for("campaigns.manage", slug=campaign.slug))


@bp.post("/campaigns/<slug>/phases")
@role_required(Role.ADMIN)
def add_phase(slug: str):
    campaign = get_campaign(slug)
    form = PhaseForm()
    if campaign.status == CampaignStatus.CLOSED:
        form.kind.errors = [_("Phong trào đã kết thúc; không thể thay đổi.")]
    elif form.validate_on_submit():
        done = act(
            lambda: domain.save_phase(
                Phase(),
                campaign,
                kind=form.kind.data,
                title=form.title.data or "",
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
            ),
            form=form,
            field="kind",
        )
        if done:
            return _phases_response(campaign)
    if is_htmx():
        return _phases_response(campaign, form)
    return render_template("campaigns/manage.html", **_manage_context(campaign, phase_form=form))


def _manage_context(campaign: Campaign, **overrides) -> dict:
    today = local_today()
    context = dict(
        campaign=campaign,
        phase_form=PhaseForm(),
        participants=domain.participants(campaign),
        problems=domain.launch_problems(campaign)
        if campaign.status == CampaignStatus.DRAFT
        else [],
        running=domain.current_phase(campaign, today),
        counts=_board_counts(registration_board(campaign, today)),
        next_statuses=CampaignStatus.TRANSITIONS[campaign.status],
        status_labels=CampaignStatus.LABELS,
    )
    context.update(overrides)
    return context


@bp.post("/campaigns/<slug>/phases/<int:phase_id>/delete")
@role_required(Role.ADMIN)
def delete_phase(slug: str, phase_id: int):
    campaign = get_campaign(slug)
    phase = db.get_or_404(Phase, phase_id)
    if phase.campaign_id != campaign.id:
        abort(404)
    if campaign.status == CampaignStatus.CLOSED:
        flash(_("Phong trào đã kết thúc; không thể thay đổi."), "error")
    else:
        act(lambda: campaign.phases.remove(phase)).flash()
    return _phases_response(campaign)


@bp.route("/campaigns/<slug>/participants", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def participants(slug: str):
    campaign = get_campaign(slug)
    form = ParticipantsForm()
    year_clusters = clusters_of_year(campaign.year)
    form.clusters.choices = choices([(c.id, f"{c.name} ({len(c.members)})") for c in year_clusters])
    form.units.choices = choices([(u.id, u.name) for u in search_units()])
    if request.method == "GET":
        form.clusters.data = [c.id for c in campaign.clusters]
        form.units.data = [u.id for u in campaign.units]
    if form.validate_on_submit():
        clusters = [db.session.get(Cluster, i) for i in form.clusters.data]
        units = [db.session.get(Unit, i) for i in form.units.data]
        done = act(
            lambda: domain.set_participants(campaign, clusters, units),
            form=form,
            field="clusters",
            success=lambda _value: _(
                "Đã lưu danh sách tham gia: %(n)s đơn vị.", n=len(domain.participants(campaign))
            ),
        )
        if done:
            return done.redirect(url_for("campaigns.manage", slug=slug))
    return render_template(
        "campaigns/participants.html", campaign=campaign, form=form, year_clusters=year_clusters
    )


@bp.route("/campaigns/<slug>/clone", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def clone(slug: str):
    source = get_campaign(slug)
    form = CloneForm()
    if request.method == "GET":
        form.name.data = source.name
    if form.validate_on_submit():
        done = act(
            lambda: domain.clone_campaign(
                source,
                name=form.name.data,
                slug=form.slug.data or "",
                start_date=form.start_date.data,
            ),
            form=form,
            field="name",
            success=_(
                "Đã nhân bản thành phong trào mới (dự thảo): tiêu chí, đơn vị tham gia và các giai đoạn đã được dời ngày."
            ),
        )
        if done:
            return done.redirect(url_for("campaigns.manage", slug=done.value.slug))
    return render_template("campaigns/clone.html", campaign=source, form=form)
