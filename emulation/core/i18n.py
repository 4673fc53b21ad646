"""Language choice, and the filters that show dates and numbers in the request's language."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale

from emulation.core import clock, numbers


def select_locale() -> str:
    """The language chosen in this session, else Vietnamese (not the browser's guess:
    a shared office computer with an English browser should still speak Vietnamese)."""
    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    """The request's language ("vi", "en"); Vietnamese outside a request."""
    return str(get_locale() or "vi") if has_request_context() else "vi"


def format_number(value, digits: int = 0, minimum: int | None = None) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English: `digits` decimals, rounded half-up."""
    return numbers.format_decimal(value, current_locale(), digits, minimum)


def format_percent(value, digits: int = 1, minimum: int | None = None) -> str:
    """Per cent points: "7,1 %" in Vietnamese, "7.1%" in English."""
    return numbers.format_percent(value, current_locale(), digits, minimum)


def format_plain(value) -> str:
    """A stored decimal to edit in a form, in the request's language ("9,5", "9.5")."""
    return numbers.format_plain(value, current_locale())


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date"] = clock.format_date
    app.jinja_env.filters["datetime"] = clock.format_datetime
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["percent"] = format_percent

    @app.context_processor
    def language_context():
        return {
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
