"""Language choice and the filters that show dates and numbers the Vietnamese way."""

from __future__ import annotations

from babel.numbers import format_decimal
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale

from emulation.core import clock


def select_locale() -> str:
    """The language chosen in this session, else Vietnamese (not the browser's guess:
    a shared office computer with an English browser should still speak Vietnamese)."""
    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_number(value, digits: int = 0) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=str(get_locale()))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date"] = clock.format_date
    app.jinja_env.filters["datetime"] = clock.format_datetime
    app.jinja_env.filters["number"] = format_number

    @app.context_processor
    def language_context():
        return {
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
