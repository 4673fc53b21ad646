"""Accounts, managed by the standing office."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from emulation.accounts.models import Role, User
from emulation.accounts.service import save_user
from emulation.core.extensions import db
from emulation.core.text import sort_key
from emulation.units.models import Unit
from emulation.units.service import search_units
from emulation.web.actions import Outcome, act
from emulation.web.common import role_required
from forms import choices
from forms.users import UserForm

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    users = sorted(db.session.scalars(select(User)), key=lambda u: (u.role, sort_key(u.full_name)))
    return render_template("users/index.html", users=users)


def _form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    form.unit_id.choices = choices(
        [(0, _("— Không thuộc đơn vị —"))] + [(u.id, u.name) for u in search_units()]
    )
    return form


def _save(form: UserForm, user: User, success) -> Outcome:
    unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
    return act(
        lambda: save_user(
            user,
            username=form.username.data,
            full_name=form.full_name.data,
            role=form.role.data,
            unit=unit,
            email=form.email.data or "",
            password=form.password.data or None,
            active=form.active.data,
        ),
        form=form,
        field="username",
        success=success,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create():
    form = _form()
    user = User()
    if form.validate_on_submit():
        done = _save(form, user, lambda _value: _("Đã tạo tài khoản %(name)s.", name=user.username))
        if done:
            return done.redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = _form(user)
    if not form.is_submitted():
        form.unit_id.data = user.unit_id or 0
    if form.validate_on_submit():
        done = _save(form, user, lambda _value: _("Đã lưu tài khoản %(name)s.", name=user.username))
        if done:
            return done.redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user)
