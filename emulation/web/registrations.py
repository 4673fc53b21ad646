"""Registrations (đăng ký thi đua): the unit's form, review, amendments and dashboards."""

from flask import Blueprint

bp = Blueprint("registrations", __name__)
