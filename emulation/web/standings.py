"""Leaderboards: the page, the fragment it polls, the public display and the exports."""

from __future__ import annotations

import gzip

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from emulation.core import charts
from emulation.core.extensions import cache
from emulation.standings import profiles
from emulation.standings import service as standings
from emulation.standings.export import board_csv, board_xlsx
from emulation.standings.service import OFFICIAL, PROVISIONAL
from emulation.web.common import get_campaign, is_htmx

bp = Blueprint("standings", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind() -> str:
    """Official for everyone; provisional (submitted self-scores) for signed-in users."""
    kind = request.args.get("kind", OFFICIAL)
    if kind not in standings.KINDS:
        abort(404)
    return kind


def _cluster_arg() -> int | None:
    value = request.args.get("cluster", "")
    return int(value) if value.isdigit() else None


def _board_for(slug: str):
    campaign = get_campaign(slug)
    kind = _kind()
    if kind == PROVISIONAL and not current_user.is_authenticated:
        return campaign, kind, None
    found = standings.campaign_token(slug)
    board = standings.board(campaign, kind, found[2] if found else None)
    return campaign, kind, board


def _context(campaign, kind, board, cluster_id):
    groups = (
        board.groups
        if cluster_id is None
        else tuple(g for g in board.groups if g.cluster_id == cluster_id)
    )
    return {
        "campaign": campaign,
        "kind": kind,
        "board": board,
        "groups": groups,
        "cluster_id": cluster_id,
        "poll_seconds": current_app.config["STANDINGS_POLL_SECONDS"],
    }


@bp.get("/campaigns/<slug>/standings")
def index(slug: str):
    campaign, kind, board = _board_for(slug)
    if board is None:
        return redirect(url_for("auth.login", next=request.full_path))
    context = _context(campaign, kind, board, _cluster_arg())
    return render_template("standings/index.html", **context)


@bp.get("/campaigns/<slug>/standings/fragment")
def fragment(slug: str):
    """What an open leaderboard polls: 204 while nothing changed (no rendering at all), else
    the board, rendered once per version, language and filter and kept in the cache."""
    found = standings.campaign_token(slug)
    if found is None:
        abort(404)
    campaign_id, status, token = found
    kind = _kind()
    if kind == PROVISIONAL and not current_user.is_authenticated:
        abort(403)
    if request.args.get("v") == token and status != "draft":
        return Response(status=204)
    if status == "draft":
        get_campaign(slug)  # drafts: the standing office only
    cluster_id = _cluster_arg()
    key = f"standings:html:{campaign_id}:{kind}:{cluster_id}:{get_locale()}:{token}"
    body = cache.get(key)
    if body is None:
        campaign, kind, board = _board_for(slug)
        html = render_template(
            "standings/_board.html", **_context(campaign, kind, board, cluster_id)
        )
        body = gzip.compress(html.encode(), compresslevel=6)
        if board.token == token:  # not a previous board served while another recomputes
            cache.set(key, body, timeout=current_app.config["STANDINGS_BOARD_TTL"])
    return _compressed(body)


def _compressed(body: bytes) -> Response:
    """The board is kept gzipped (a 2,000-unit board: 800 KB of HTML, 28 KB gzipped) and sent
    as it is to every browser that accepts gzip — all of them."""
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = make_response(body)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = make_response(gzip.decompress(body))
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/campaigns/<slug>/standings.<fmt>")
def export(slug: str, fmt: str):
    campaign, kind, board = _board_for(slug)
    if board is None:
        abort(403)
    cluster_id = _cluster_arg()
    name = f"bang-xep-hang-{campaign.slug}-{'chinh-thuc' if kind == OFFICIAL else 'tam-tinh'}"
    if fmt == "csv":
        body, mimetype = board_csv(board, cluster_id), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, mimetype = board_xlsx(board, cluster_id, campaign.name), XLSX
    else:
        abort(404)
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@bp.get("/display/<slug>")
def display(slug: str):
    """The public display: one cluster at a time in large type, the next one after a while
    (htmx, or a meta refresh where scripts are off); official results to everyone, the
    provisional board on a screen signed in to the system."""
    campaign = get_campaign(slug)
    kind = (
        PROVISIONAL
        if current_user.is_authenticated and request.args.get("kind") == PROVISIONAL
        else OFFICIAL
    )
    found = standings.campaign_token(slug)
    board = standings.board(campaign, kind, found[2] if found else None)
    groups = board.groups
    index = request.args.get("i", "0")
    index = int(index) % len(groups) if index.isdigit() and groups else 0
    context = {
        "campaign": campaign,
        "kind": kind,
        "board": board,
        "group": groups[index] if groups else None,
        "index": index,
        "next_index": (index + 1) % len(groups) if groups else 0,
        "count": len(groups),
        "rotate_seconds": current_app.config["DISPLAY_ROTATE_SECONDS"],
    }
    if is_htmx():
        return render_template("standings/_display.html", **context)
    return render_template("standings/display.html", **context)


def _image(data: bytes, fmt: str, name: str) -> Response:
    response = make_response(data)
    response.headers["Content-Type"] = "image/svg+xml" if fmt == "svg" else "image/png"
    response.headers["Cache-Control"] = "public, max-age=300"
    if fmt == "png":
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.png"'
    return response


def _cached_image(key: str, fmt: str, draw) -> bytes:
    """A chart drawn once per version token (the key carries it)."""
    data = cache.get(key)
    if data is None:
        figure, title = draw()
        data = charts.svg(figure, title) if fmt == "svg" else charts.png(figure)
        cache.set(key, data, timeout=current_app.config["STANDINGS_BOARD_TTL"])
    return data


@bp.get("/campaigns/<slug>/standings/chart.<fmt>")
def chart(slug: str, fmt: str):
    if fmt not in ("svg", "png"):
        abort(404)
    campaign, kind, board = _board_for(slug)
    if board is None:
        abort(403)
    cluster_id = _cluster_arg()
    groups = [g for g in board.groups if cluster_id is None or g.cluster_id == cluster_id]

    def draw():
        rows = sorted(
            ((row.short_name, row.total) for g in groups for row in g.rows),
            key=lambda item: -item[1],
        )
        scope = groups[0].name if cluster_id is not None and groups else campaign.name
        title = _("Tổng điểm — %(scope)s", scope=scope)
        if len(rows) > charts.MOST_BARS:
            title += " " + _("(%(n)s đơn vị dẫn đầu)", n=charts.MOST_BARS)
        return charts.standings_chart(rows, board.max_total, title, _("Điểm")), title

    key = f"standings:chart:{campaign.id}:{kind}:{cluster_id}:{get_locale()}:{fmt}:{board.token}"
    return _image(_cached_image(key, fmt, draw), fmt, f"xep-hang-{campaign.slug}")


@bp.get("/campaigns/<slug>/standings/units/<int:unit_id>")
def profile(slug: str, unit_id: int):
    """A unit's row opens its profile: points per criteria group and results over time."""
    campaign, kind, board = _board_for(slug)
    if board is None:
        return redirect(url_for("auth.login", next=request.full_path))
    found = profiles.unit_profile(campaign, unit_id, kind)
    if found is None:
        abort(404)
    history = profiles.unit_history(unit_id)
    return render_template(
        "standings/profile.html",
        campaign=campaign,
        kind=kind,
        board=board,
        profile=found,
        history=history,
    )


@bp.get("/campaigns/<slug>/standings/units/<int:unit_id>/<chart_name>.<fmt>")
def unit_chart(slug: str, unit_id: int, chart_name: str, fmt: str):
    if fmt not in ("svg", "png") or chart_name not in ("profile", "history"):
        abort(404)
    campaign, kind, board = _board_for(slug)
    if board is None:
        abort(403)
    row = next((r for g in board.groups for r in g.rows if r.unit_id == unit_id), None)
    if row is None:
        abort(404)

    def draw():
        """Only when the image for this version is not cached yet: the profile re-scores the
        unit's sheet with the engine."""
        if chart_name == "profile":
            found = profiles.unit_profile(campaign, unit_id, kind)
            title = _("%(unit)s: điểm từng nhóm tiêu chí", unit=row.name)
            items = [(f"{i.code}. {i.title}"[:48], i.points, i.max_points) for i in found.items]
            deductions = [i.section == "deduction" for i in found.items]
            return charts.profile_chart(items, title, _("Điểm"), deductions), title
        title = _("%(unit)s: tổng điểm qua các phong trào", unit=row.name)
        points = [(str(p.campaign.year), p.total) for p in profiles.unit_history(unit_id)]
        return charts.history_chart(points, title, _("Tổng điểm")), title

    key = (
        f"standings:unit:{campaign.id}:{unit_id}:{chart_name}:{kind}:{get_locale()}:{fmt}:"
        f"{board.token}"
    )
    return _image(_cached_image(key, fmt, draw), fmt, f"{chart_name}-{unit_id}")
