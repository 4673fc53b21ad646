"""Progress reports with evidence (báo cáo tiến độ, minh chứng)."""

from flask import Blueprint

bp = Blueprint("progress", __name__)
