"""Application factory. `flask` finds `create_app` here; gunicorn runs `app:create_app()`."""

from __future__ import annotations

from flask import Flask

from emulation import cli, web
from emulation import models as _every_table  # noqa: F401  (maps every table for Alembic)
from emulation.core import i18n
from emulation.core.config import build_config
from emulation.core.extensions import babel, cache, csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides what the environment says (tests use it)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(build_config(app.instance_path, config))

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories="emulation/translations",
    )
    login_manager.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)

    i18n.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    return app
