import sqlite3

import pytest
from sqlalchemy import text

from app import create_app
from emulation.core.config import ConfigError, normalize_database_url
from emulation.core.extensions import db


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


def _redis_available() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_available(), reason="no Redis on 127.0.0.1:6379")
def test_two_workers_share_login_limits_through_redis(monkeypatch, database_url):
    """Two app instances (two gunicorn workers, or two hosts) count one client's attempts together."""
    import uuid

    from tests.conftest import Client

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"test-{uuid.uuid4().hex}"
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "LOGIN_RATE_LIMIT": "3 per minute",
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    first = create_app(config)
    first.test_client_class = Client
    with first.app_context():
        client = first.test_client()
        statuses = [
            client.submit("/login", {"username": "x", "password": "y"}).status_code
            for _ in range(3)
        ]
    # A second worker starts with its own storage connection: the count must come from Redis.
    second = create_app(config)
    second.test_client_class = Client
    with second.app_context():
        statuses.append(
            second.test_client().submit("/login", {"username": "x", "password": "y"}).status_code
        )
    assert statuses == [200, 200, 200, 429]


def test_unexpected_errors_show_a_vietnamese_500_page(database_url):
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_EXCEPTIONS": False}
    )

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.get_data(as_text=True)
