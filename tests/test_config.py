import sqlite3

import pytest
from sqlalchemy import text

from app import create_app
from emulation.config import ConfigError, normalize_database_url
from emulation.extensions import db


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_starts_with_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    app = create_app()
    assert app.config["SECRET_KEY"] == "s" * 32
    assert app.config["HTMX_SOURCE"] == "cdn"


def test_plain_postgresql_urls_use_psycopg3():
    assert normalize_database_url("postgresql://u@h:5432/d") == "postgresql+psycopg://u@h:5432/d"
    assert normalize_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_redis_url_shares_cache_and_rate_limits(monkeypatch, tmp_path):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.db'}"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert app.config["CACHE_TYPE"] == "RedisCache"


def test_sqlite_runs_in_wal_mode_with_busy_timeout(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'w.db'}"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        raw = db.engine.raw_connection()
        assert isinstance(raw.driver_connection, sqlite3.Connection)
        raw.close()


def test_session_cookie_is_httponly_and_samesite_lax(client):
    response = client.get("/")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_secure_when_configured(monkeypatch, database_url):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    cookie = app.test_client().get("/").headers.get("Set-Cookie", "")
    assert "Secure" in cookie
