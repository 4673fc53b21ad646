"""Campaigns: list, public page, set-up by the standing office, phases and participants."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__)


@bp.get("/campaigns/<slug>/manage")
def manage(slug: str):
    return slug
