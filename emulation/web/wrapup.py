"""The campaign wrap-up page (tổng kết phong trào): figures, charts and the written review.

Public once the official results are published; before that the standing office and the
council see it, marked provisional. The standing office writes the review in place (htmx),
with the same partial for the page and the fragment.
"""

from __future__ import annotations

import hashlib

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from emulation.accounts.models import Role
from emulation.archive import service as archive
from emulation.core import charts
from emulation.core.extensions import cache
from emulation.standings import service as standings
from emulation.standings.service import OFFICIAL
from emulation.web.actions import Outcome, act
from emulation.web.common import get_campaign, is_htmx, render_error, role_required
from emulation.wrapup import charts as wrapup_charts
from emulation.wrapup import service as wrapup
from forms.wrapup import ReviewForm

bp = Blueprint("wrapup", __name__)

# The parts of the review as a wrap-up report orders them (the form's labels, too).
REVIEW_PARTS = (
    ("achievements", _l("Kết quả nổi bật")),
    ("shortcomings", _l("Tồn tại, hạn chế")),
    ("lessons", _l("Bài học kinh nghiệm")),
    ("next_steps", _l("Phương hướng thời gian tới")),
)


def _official_board(campaign):
    found = standings.campaign_token(campaign.slug)
    return standings.board(campaign, OFFICIAL, found[2] if found else None)


def _board_of(slug: str):
    """(campaign, official board, published?) — drafts 404 as on the campaign's page."""
    campaign = get_campaign(slug)
    board = _official_board(campaign)
    return campaign, board, wrapup.results_published(campaign, board)


@bp.app_context_processor
def wrapup_helpers():
    """For the campaign's page: link to the wrap-up only for whoever may open it."""

    def wrapup_visible(campaign) -> bool:
        published = wrapup.results_published(campaign, _official_board(campaign))
        return wrapup.can_view(current_user, published)

    return {"wrapup_visible": wrapup_visible}


def _not_yet():
    return render_error(
        403,
        _("Trang tổng kết được công khai khi Hội đồng công bố kết quả chính thức của phong trào."),
    )


def _review_context(campaign, review, form=None, *, message=None, category=None, typed=None):
    refusal = wrapup.edit_refusal(campaign, current_user)
    return {
        "campaign": campaign,
        "review": review,
        "form": form,
        "parts": [(name, str(label)) for name, label in REVIEW_PARTS],
        "can_edit": refusal is None,
        # Only the standing office is told why it cannot edit; others see no editing at all.
        "refusal": refusal if current_user.is_authenticated and current_user.is_admin else None,
        "message": message,
        "category": category,
        "typed": typed or {},
    }


def _form_for(review) -> ReviewForm:
    form = ReviewForm(formdata=None, obj=review)
    form.version.data = review.version if review is not None else 0
    return form


def _chart_version(chart, data, token: str) -> str:
    """What a chart's image depends on: the standings token, and for the targets chart the
    figures themselves (progress reports move without a score event)."""
    if chart.source == "scoring":
        return token
    digest = hashlib.sha256(repr(data).encode()).hexdigest()[:12]
    return f"{token}-{digest}"


@bp.get("/campaigns/<slug>/tong-ket")
def page(slug: str):
    campaign, board, published = _board_of(slug)
    if not wrapup.can_view(current_user, published):
        return _not_yet()
    figures = wrapup.summary(campaign, board)
    review = wrapup.review_of(campaign)
    context = _review_context(campaign, review)
    if request.args.get("sua") == "1" and context["can_edit"]:
        context["form"] = _form_for(review)
    return render_template("wrapup/page.html", **context, **_page_context(figures))


def _page_context(figures) -> dict:
    sources = {"scoring": figures.scoring, "targets": figures.targets}
    shown = []
    for chart in wrapup_charts.CHARTS.values():
        data = sources[chart.source]
        if chart.shown(data):
            version = _chart_version(chart, data, figures.scoring.token)
            shown.append((chart, chart.alt(data), version))
    return {"figures": figures, "charts": shown, "can_export": archive.can_export(current_user)}


@bp.get("/campaigns/<slug>/tong-ket/danh-gia")
def review(slug: str):
    """The review part alone (htmx): read, or with ?sua=1 the form, for the standing office."""
    if not is_htmx():
        anchor = url_for("wrapup.page", slug=slug, sua=request.args.get("sua"))
        return redirect(f"{anchor}#danh-gia")
    campaign, _board, published = _board_of(slug)
    if not wrapup.can_view(current_user, published):
        abort(403)
    found = wrapup.review_of(campaign)
    context = _review_context(campaign, found)
    if request.args.get("sua") == "1" and context["can_edit"]:
        context["form"] = _form_for(found)
    return render_template("wrapup/_review.html", **context)


@bp.post("/campaigns/<slug>/tong-ket/danh-gia")
@role_required(Role.ADMIN)
def save(slug: str):
    campaign, board, _published = _board_of(slug)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _form_again(campaign, board, form, _("Chưa lưu được; hãy xem lại biểu mẫu."))
    typed = form.texts()
    try:
        done = act(lambda: wrapup.save_review(campaign, current_user, typed, form.opened_version()))
    except IntegrityError:  # another first save won
        done = Outcome(refusal=wrapup.StaleReview())
    if isinstance(done.refusal, wrapup.StaleReview):
        fresh = wrapup.review_of(campaign)
        newer = _form_for(fresh)
        lost = {name: text for name, text in typed.items() if text != getattr(fresh, name, "")}
        return _form_again(campaign, board, newer, done.error, typed=lost, review=fresh)
    if isinstance(done.refusal, wrapup.ReviewInvalid):
        for name, message in done.refusal.errors.items():
            getattr(form, name).errors = [*getattr(form, name).errors, message]
    if not done:
        return _form_again(campaign, board, form, done.error)
    message = _("Đã lưu phần đánh giá tổng kết.")
    if is_htmx():
        context = _review_context(
            campaign, wrapup.review_of(campaign), message=message, category="success"
        )
        return render_template("wrapup/_review.html", **context)
    flash(message, "success")
    return redirect(url_for("wrapup.page", slug=slug) + "#danh-gia")


def _form_again(campaign, board, form, message, *, typed=None, review=None):
    """The form again with its messages and what was typed (200, so htmx swaps it in)."""
    review = review if review is not None else wrapup.review_of(campaign)
    context = _review_context(
        campaign, review, form, message=message, category="error", typed=typed
    )
    if is_htmx():
        return render_template("wrapup/_review.html", **context)
    figures = wrapup.summary(campaign, board)
    return render_template("wrapup/page.html", **context, **_page_context(figures))


@bp.get("/campaigns/<slug>/tong-ket/bieu-do/<name>.<fmt>")
def chart(slug: str, name: str, fmt: str):
    found = wrapup_charts.CHARTS.get(name)
    if found is None or fmt not in ("svg", "png"):
        abort(404)
    campaign, board, published = _board_of(slug)
    if not wrapup.can_view(current_user, published):
        abort(403)
    data = wrapup.scoring(board) if found.source == "scoring" else wrapup.target_figures(campaign)
    if not found.shown(data):
        abort(404)
    version = _chart_version(found, data, board.token)
    key = f"wrapup:chart:{campaign.id}:{name}:{get_locale()}:{fmt}:{version}"
    body = cache.get(key)
    if body is None:
        figure, title = found.draw(data), found.title()
        body = charts.svg(figure, title) if fmt == "svg" else charts.png(figure)
        cache.set(key, body, timeout=current_app.config["STANDINGS_BOARD_TTL"])
    response = make_response(body)
    response.headers["Content-Type"] = "image/svg+xml" if fmt == "svg" else "image/png"
    response.headers["Cache-Control"] = (
        "public, max-age=300" if published else "private, max-age=60"
    )
    if fmt == "png":
        response.headers["Content-Disposition"] = (
            f'attachment; filename="tong-ket-{campaign.slug}-{name}.png"'
        )
    return response
