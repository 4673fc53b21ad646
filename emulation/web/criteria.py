"""Criteria set editor, import and export (bảng tiêu chí)."""

from flask import Blueprint

bp = Blueprint("criteria", __name__, url_prefix="/campaigns/<slug>/criteria")
