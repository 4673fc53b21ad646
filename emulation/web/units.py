"""Units: the directory (search as you type), CRUD and import for the standing office."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from emulation.accounts.models import Role
from emulation.accounts.service import can_view_unit
from emulation.core.extensions import db
from emulation.units.models import UNIT_LEVELS, UNIT_TYPES, Unit
from emulation.units.service import delete_unit, save_unit, search_units, sorted_units
from emulation.units.tabular import COLUMNS, export_workbook, import_units
from emulation.web.actions import Outcome, act
from emulation.web.common import role_required
from forms import choices
from forms.units import UnitForm, UnitImportForm

bp = Blueprint("units", __name__, url_prefix="/units")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters() -> dict:
    return {
        "q": request.args.get("q", "").strip(),
        "type": request.args.get("type", ""),
        "level": request.args.get("level", ""),
        "inactive": request.args.get("inactive") == "1",
    }


def _search(filters: dict) -> list[Unit]:
    return search_units(filters["q"], filters["type"], filters["level"], filters["inactive"])


@bp.get("/")
@role_required(Role.ADMIN, Role.COUNCIL_MEMBER)
def index():
    filters = _filters()
    return render_template(
        "units/index.html",
        units=_search(filters),
        filters=filters,
        unit_types=UNIT_TYPES,
        unit_levels=UNIT_LEVELS,
    )


@bp.get("/table")
@role_required(Role.ADMIN, Role.COUNCIL_MEMBER)
def table():
    """The result table alone, swapped in by htmx as the user types."""
    filters = _filters()
    return render_template("units/_table.html", units=_search(filters), filters=filters)


@bp.get("/<int:unit_id>")
@login_required
def detail(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    if not can_view_unit(current_user, unit):
        abort(403)
    memberships = sorted(unit.memberships, key=lambda m: m.cluster.year, reverse=True)
    return render_template(
        "units/detail.html",
        unit=unit,
        memberships=memberships,
        children=sorted_units(unit.children),
    )


def _parent_choices(exclude: Unit | None = None) -> list[tuple[int, str]]:
    units = [
        u for u in search_units(include_inactive=True) if exclude is None or u.id != exclude.id
    ]
    return choices([(0, _("— Không có —"))] + [(u.id, f"{u.name} ({u.code})") for u in units])


def _save(form: UnitForm, unit: Unit, success) -> Outcome:
    parent = db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None
    return act(
        lambda: save_unit(
            unit,
            code=form.code.data,
            name=form.name.data,
            short_name=form.short_name.data or "",
            type=form.type.data,
            level=form.level.data,
            parent=parent,
            active=form.active.data,
        ),
        form=form,
        field="name",
        success=success,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create():
    form = UnitForm()
    form.parent_id.choices = _parent_choices()
    if form.validate_on_submit():
        unit = Unit()
        done = _save(form, unit, lambda _value: _("Đã thêm đơn vị %(name)s.", name=unit.name))
        if done:
            return done.redirect(url_for("units.detail", unit_id=unit.id))
    return render_template("units/form.html", form=form, unit=None)


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(obj=unit)
    form.parent_id.choices = _parent_choices(exclude=unit)
    if request.method == "GET":
        form.parent_id.data = unit.parent_id or 0
    if form.validate_on_submit():
        done = _save(form, unit, lambda _value: _("Đã lưu đơn vị %(name)s.", name=unit.name))
        if done:
            return done.redirect(url_for("units.detail", unit_id=unit.id))
    return render_template("units/form.html", form=form, unit=unit)


@bp.post("/<int:unit_id>/delete")
@role_required(Role.ADMIN)
def delete(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    name = unit.name
    done = act(lambda: delete_unit(unit))
    if not done:
        return done.redirect(url_for("units.detail", unit_id=unit_id))
    flash(_("Đã xóa đơn vị %(name)s.", name=name), "info")
    return redirect(url_for("units.index"))


@bp.route("/import", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def import_file():
    form = UnitImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()  # once: a second run, after a lost race, reads the same bytes
        # A file with wrong rows saves none of them; the report lists every one.
        done = act(
            lambda: import_units(upload.filename, data),
            form=form,
            field="file",
            success=lambda report: _(
                "Đã nhập %(created)s đơn vị mới, cập nhật %(updated)s đơn vị.",
                created=report.created,
                updated=report.updated,
            ),
        )
        report = done.value
        if done and report.ok:
            return done.redirect(url_for("units.index"))
    return render_template("units/import.html", form=form, report=report, columns=COLUMNS)


@bp.get("/export.xlsx")
@role_required(Role.ADMIN)
def export():
    """All units (active and not) in the import format; ?template=1 gives the empty sheet."""
    units = [] if request.args.get("template") else search_units(include_inactive=True)
    name = "mau-nhap-don-vi.xlsx" if request.args.get("template") else "danh-sach-don-vi.xlsx"
    return Response(
        export_workbook(units),
        mimetype=XLSX,
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )
