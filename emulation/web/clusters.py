"""Clusters (cụm / khối thi đua) per year: members, leader and deputy."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from emulation.accounts.models import Role
from emulation.accounts.service import can_view_cluster
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.core.text import sort_key
from emulation.units.models import Cluster, ClusterMember, Unit
from emulation.units.service import (
    add_member,
    cluster_years,
    clusters_of_year,
    copy_clusters,
    remove_member,
    save_cluster,
    search_units,
    set_position,
)
from emulation.web.actions import Outcome, act
from emulation.web.common import is_htmx, role_required
from forms import choices
from forms.clusters import ClusterForm, CopyClustersForm, MemberForm, PositionForm

bp = Blueprint("clusters", __name__, url_prefix="/clusters")


@bp.get("/")
@login_required
def index():
    year = request.args.get("year", type=int) or local_today().year
    years = sorted(set(cluster_years()) | {year}, reverse=True)
    copy_form = CopyClustersForm(from_year=year, to_year=year + 1)
    return render_template(
        "clusters/index.html",
        clusters=clusters_of_year(year),
        year=year,
        years=years,
        copy_form=copy_form,
    )


def _member_form(cluster: Cluster) -> MemberForm:
    form = MemberForm()
    seated = {m.unit_id for c in clusters_of_year(cluster.year) for m in c.members}
    form.unit_id.choices = choices(
        [(0, _("— Chọn đơn vị —"))] + [(u.id, u.name) for u in search_units() if u.id not in seated]
    )
    return form


def _render_members(cluster: Cluster, form: MemberForm | None = None):
    return render_template(
        "clusters/_members.html",
        cluster=cluster,
        members=sorted(cluster.members, key=_member_order),
        member_form=form or _member_form(cluster),
        position_form=PositionForm(),
    )


def _member_order(member: ClusterMember):
    rank = {"leader": 0, "deputy": 1}.get(member.position, 2)
    return rank, sort_key(member.unit.name)


@bp.get("/<int:cluster_id>")
@login_required
def detail(cluster_id: int):
    cluster = db.get_or_404(Cluster, cluster_id)
    if not can_view_cluster(current_user, cluster):
        abort(403)
    return render_template(
        "clusters/detail.html",
        cluster=cluster,
        members=sorted(cluster.members, key=_member_order),
        member_form=_member_form(cluster),
        position_form=PositionForm(),
    )


def _save(form: ClusterForm, cluster: Cluster, success) -> Outcome:
    return act(
        lambda: save_cluster(
            cluster,
            name=form.name.data,
            kind=form.kind.data,
            year=form.year.data,
            note=form.note.data or "",
        ),
        form=form,
        field="name",
        success=success,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create():
    form = ClusterForm()
    if request.method == "GET" and request.args.get("year", type=int):
        form.year.data = request.args.get("year", type=int)
    cluster = Cluster()
    if form.validate_on_submit():
        done = _save(
            form,
            cluster,
            lambda _value: _("Đã tạo %(name)s năm %(year)s.", name=cluster.name, year=cluster.year),
        )
        if done:
            return done.redirect(url_for("clusters.detail", cluster_id=cluster.id))
    return render_template("clusters/form.html", form=form, cluster=None)


@bp.route("/<int:cluster_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(cluster_id: int):
    cluster = db.get_or_404(Cluster, cluster_id)
    form = ClusterForm(obj=cluster)
    if form.validate_on_submit():
        done = _save(form, cluster, lambda _value: _("Đã lưu %(name)s.", name=cluster.name))
        if done:
            return done.redirect(url_for("clusters.detail", cluster_id=cluster.id))
    return render_template("clusters/form.html", form=form, cluster=cluster)


@bp.post("/<int:cluster_id>/delete")
@role_required(Role.ADMIN)
def delete(cluster_id: int):
    cluster = db.get_or_404(Cluster, cluster_id)
    name, year = cluster.name, cluster.year
    done = act(lambda: db.session.delete(cluster))
    if done:
        flash(_("Đã xóa %(name)s năm %(year)s.", name=name, year=year), "info")
    return done.redirect(url_for("clusters.index", year=year))


def _members_response(cluster: Cluster, form: MemberForm | None = None):
    """htmx swaps the member panel; without htmx we go back to the cluster page."""
    if is_htmx():
        return _render_members(cluster, form)
    return redirect(url_for("clusters.detail", cluster_id=cluster.id))


@bp.post("/<int:cluster_id>/members")
@role_required(Role.ADMIN)
def add(cluster_id: int):
    cluster = db.get_or_404(Cluster, cluster_id)
    form = _member_form(cluster)
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data)
        if unit is None:
            form.unit_id.errors.append(_("Hãy chọn đơn vị."))
        else:
            done = act(
                lambda: add_member(cluster, unit, form.position.data),
                form=form,
                field="unit_id",
                success=_(
                    "Đã thêm %(name)s vào %(cluster)s.", name=unit.name, cluster=cluster.name
                ),
            )
            if done:
                done.flash()
                return _members_response(cluster)
    if is_htmx():
        return _render_members(cluster, form)
    for message in form.unit_id.errors:
        flash(message, "error")
    return redirect(url_for("clusters.detail", cluster_id=cluster.id))


def _member(cluster_id: int, member_id: int) -> tuple[Cluster, ClusterMember]:
    member = db.get_or_404(ClusterMember, member_id)
    if member.cluster_id != cluster_id:
        abort(404)
    return member.cluster, member


@bp.post("/<int:cluster_id>/members/<int:member_id>/position")
@role_required(Role.ADMIN)
def position(cluster_id: int, member_id: int):
    cluster, member = _member(cluster_id, member_id)
    form = PositionForm()
    if form.validate_on_submit():
        act(lambda: set_position(cluster, member, form.position.data)).flash()
    return _members_response(cluster)


@bp.post("/<int:cluster_id>/members/<int:member_id>/delete")
@role_required(Role.ADMIN)
def remove(cluster_id: int, member_id: int):
    cluster, member = _member(cluster_id, member_id)
    name = member.unit.name
    done = act(lambda: remove_member(cluster, member))
    if done:
        flash(_("Đã bỏ %(name)s khỏi %(cluster)s.", name=name, cluster=cluster.name), "info")
    else:
        done.flash()
    return _members_response(cluster)


@bp.post("/copy")
@role_required(Role.ADMIN)
def copy():
    form = CopyClustersForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for("clusters.index"))
    done = act(
        lambda: copy_clusters(form.from_year.data, form.to_year.data),
        success=lambda copies: _(
            "Đã sao chép %(n)s cụm, khối sang năm %(year)s. Hãy cập nhật cụm trưởng, cụm phó luân phiên.",
            n=len(copies),
            year=form.to_year.data,
        ),
    )
    # The new year's clusters, or back to the source year when nothing was copied.
    year = form.to_year.data if done else form.from_year.data
    return done.redirect(url_for("clusters.index", year=year))
