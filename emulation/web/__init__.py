"""The web layer: one blueprint per area, thin views over the domain in `emulation`."""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from emulation.accounts.models import User
from emulation.core.extensions import db, login_manager

HTMX_VERSION = "2.0.11"
HTMX_CDN = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"

ERROR_MESSAGES = {
    400: (
        _l("Yêu cầu không hợp lệ"),
        _l("Máy chủ không hiểu yêu cầu này. Hãy quay lại và thử lại."),
    ),
    403: (
        _l("Không có quyền truy cập"),
        _l("Tài khoản của bạn không được phép xem hoặc thay đổi nội dung này."),
    ),
    404: (_l("Không tìm thấy trang"), _l("Trang bạn tìm không tồn tại hoặc đã được chuyển đi.")),
    405: (_l("Thao tác không được hỗ trợ"), _l("Trang này không nhận thao tác vừa gửi.")),
    413: (_l("Tệp quá lớn"), _l("Tệp vượt quá dung lượng cho phép. Hãy chọn tệp nhỏ hơn.")),
    429: (
        _l("Quá nhiều yêu cầu"),
        _l("Bạn đã thử quá nhiều lần trong thời gian ngắn. Vui lòng đợi một lát rồi thử lại."),
    ),
    500: (
        _l("Lỗi hệ thống"),
        _l("Đã có lỗi ngoài ý muốn. Bộ phận kỹ thuật đã được ghi nhận; vui lòng thử lại sau."),
    ),
}


def is_htmx() -> bool:
    """True when htmx sent this request and will swap a fragment of the answer.

    A history restore (back button after hx-push-url) wants the whole page, so it is not."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def role_required(*roles: str):
    """Let only signed-in users with one of `roles` through; others get 403 (or the login page)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def render_error(code: int, detail: str | None = None):
    title, message = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def _register_error_pages(app: Flask) -> None:
    for code in ERROR_MESSAGES:
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
