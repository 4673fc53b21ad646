"""Sign in and out, and changing one's own password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from emulation.accounts.service import MIN_PASSWORD_LENGTH, authenticate
from emulation.core.extensions import limiter
from emulation.web.actions import act
from emulation.web.main import safe_next
from forms.auth import LoginForm, PasswordForm

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(_("Xin chào %(name)s!", name=user.full_name), "success")
            return redirect(safe_next(request.args.get("next"), url_for("main.index")))
        form.password.errors.append(_("Tên đăng nhập hoặc mật khẩu không đúng."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("main.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("Mật khẩu hiện tại không đúng."))
        elif len(form.new.data) < MIN_PASSWORD_LENGTH:
            form.new.errors.append(_("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH))
        else:
            done = act(
                lambda: current_user.set_password(form.new.data),
                form=form,
                field="new",
                success=_("Đã đổi mật khẩu."),
            )
            if done:
                return done.redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)
