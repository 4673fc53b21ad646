"""The web layer: one blueprint per area, thin views over the domain in `emulation`."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from emulation.accounts.models import User
from emulation.core.extensions import db, login_manager
from emulation.web.common import ERROR_MESSAGES, render_error

HTMX_VERSION = "2.0.11"
HTMX_CDN = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"


def _register_error_pages(app: Flask) -> None:
    for code in ERROR_MESSAGES:
        if code != 500:  # below: it also rolls back what the failed request left
            app.register_error_handler(code, lambda e, code=code: render_error(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _(
                "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang rồi gửi lại."
            ),
        )

    @app.errorhandler(500)
    def server_error(error):
        """The error page for anything unexpected, after undoing the request's changes."""
        db.session.rollback()
        return render_error(500)


def init_app(app: Flask) -> None:
    from emulation.web import (
        archive,
        auth,
        awards,
        campaigns,
        clusters,
        criteria,
        documents,
        main,
        meetings,
        posting,
        progress,
        registrations,
        rulebook,
        scoring,
        showcase,
        standings,
        survey_respond,
        surveys,
        units,
        users,
        wrapup,
    )

    for module in (
        main,
        auth,
        units,
        clusters,
        users,
        campaigns,
        criteria,
        registrations,
        progress,
        scoring,
        standings,
        surveys,
        survey_respond,
        showcase,
        documents,
        rulebook,
        awards,
        posting,
        meetings,
        wrapup,
        archive,
    ):
        app.register_blueprint(module.bp)

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id))

    @app.context_processor
    def front_end():
        return {
            "htmx_local": app.config["HTMX_SOURCE"] == "local",
            "htmx_cdn": HTMX_CDN,
            "htmx_sri": HTMX_SRI,
            "htmx_version": HTMX_VERSION,
            "province": app.config["PROVINCE_NAME"],
        }

    _register_error_pages(app)
