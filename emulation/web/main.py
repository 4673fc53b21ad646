"""Home page, language switch and health check."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import func, select

from emulation.accounts.models import User
from emulation.accounts.service import led_clusters
from emulation.campaigns.service import list_campaigns
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.registrations.service import unit_dashboard
from emulation.showcase.service import home_section
from emulation.units.models import Cluster, Unit
from emulation.units.service import cluster_of_unit, clusters_of_year

bp = Blueprint("main", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """A local path to return to; never another site (open redirects)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.get("/")
def index():
    year = local_today().year
    context = {"year": year}
    if current_user.is_authenticated:
        if current_user.is_unit_officer and current_user.unit:
            context["my_cluster"] = cluster_of_unit(current_user.unit, year)
            context["led"] = led_clusters(current_user, year)
            context["due"] = unit_dashboard(current_user.unit, local_today())
        if current_user.is_admin:
            context["counts"] = {
                "units": db.session.scalar(select(func.count()).where(Unit.active.is_(True))),
                "clusters": db.session.scalar(select(func.count()).where(Cluster.year == year)),
                "users": db.session.scalar(select(func.count()).where(User.active.is_(True))),
            }
    context["clusters"] = clusters_of_year(year)
    context["campaigns"] = [
        c for c in list_campaigns(include_drafts=False) if c.status == "launched"
    ]
    context["home_showcase"] = home_section()
    return render_template("main/index.html", **context)


@bp.post("/lang")
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("main.index")))


@bp.get("/healthz")
def health():
    db.session.execute(select(1))
    return {"status": "ok"}
