"""Helpers every blueprint shares: htmx detection, the role gate, the error page, the
campaign by its slug and a domain refusal shown next to its form field."""

from __future__ import annotations

from functools import wraps

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from emulation.campaigns import service as campaigns
from emulation.campaigns.models import Campaign, CampaignStatus
from emulation.core.errors import DomainError
from emulation.core.extensions import login_manager

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
    """The error page for `code`, with `detail` instead of the usual explanation if given."""
    title, message = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def get_campaign(slug: str) -> Campaign:
    """The campaign, or 404; drafts exist only for the standing office."""
    campaign = campaigns.campaign_by_slug(slug)
    if campaign is None:
        abort(404)
    if campaign.status == CampaignStatus.DRAFT and not (
        current_user.is_authenticated and current_user.is_admin
    ):
        abort(404)
    return campaign


def field_error(form, error: DomainError, default: str) -> None:
    """Show a domain refusal next to the field it names (or `default`, when it names none
    or one this form does not have)."""
    field = getattr(form, error.field or default, None) or getattr(form, default)
    # A list's own errors sit beside those of its rows (the template shows the strings).
    field.errors = [*(field.errors or []), error.message]
