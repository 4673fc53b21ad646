"""Fixtures: one schema per run, emptied after every test; SQLite by default,
PostgreSQL when TEST_DATABASE=postgresql (make test sets it with TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from datetime import UTC, datetime, time

import pytest
import time_machine
from flask import has_app_context
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import MetaData, event, text

from app import create_app
from emulation.core.clock import VIETNAM
from emulation.core.config import normalize_database_url
from emulation.core.extensions import db

# Property tests: no per-example deadline (CI machines are shared and slow at times).
settings.register_profile("project", deadline=None, print_blob=True)
settings.load_profile("project")

pytest_plugins = ["tests.fixtures_scoring"]

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="HH:MM",
        help="run with the clock stopped at this Vietnam time of today (e.g. 23:59, 00:01)",
    )


def pytest_configure(config):
    """`--clock 00:01`: every clock (datetime, date, time) reads that moment, in Vietnam time,
    for the whole run — the hour at which a server-zone or an import-time date goes wrong."""
    at = config.getoption("--clock")
    if at:
        hour, minute = (int(part) for part in at.split(":"))
        today = datetime.now(VIETNAM).date()
        moment = datetime.combine(today, time(hour, minute), tzinfo=VIETNAM)
        # Given in UTC: the process keeps the server's zone, as in production.
        config._clock = time_machine.travel(moment.astimezone(UTC), tick=False)
        config._clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_clock", None)
    if clock is not None:
        clock.stop()


def pytest_report_header(config):
    clock = config.getoption("--clock")
    database = f"database: {'PostgreSQL' if _on_postgresql() else 'SQLite'}"
    return f"{database}; clock stopped at {clock} Vietnam time" if clock else database


def _on_postgresql() -> bool:
    return os.environ.get("TEST_DATABASE") == "postgresql"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if _on_postgresql():
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            pytest.exit("TEST_DATABASE=postgresql needs TEST_DATABASE_URL", returncode=2)
        return normalize_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        # Drop what the database holds, not only today's tables: a run of another checkout
        # (or one killed half-way) may have left tables that still point at ours.
        leftovers = MetaData()
        leftovers.reflect(bind=db.engine)
        leftovers.drop_all(bind=db.engine)
        db.create_all()
    yield


def _empty_tables() -> None:
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()


class Client(FlaskClient):
    """A test client that can submit forms with the CSRF token a browser would send.

    Each request runs in its own app context, as in production: its own `g`, its own
    database session. The test's session commits first, so afterwards every attribute it
    reads comes fresh from the database and shows only what the view committed.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        page = self.get("/").get_data(as_text=True)
        return CSRF_META.search(page).group(1)

    def submit(self, url: str, data: dict | None = None, **kwargs):
        """POST a form the way the page's own <form> would, token included."""
        data = {"csrf_token": self.csrf_token(), **(data or {})}
        return self.post(url, data=data, **kwargs)

    def htmx(self, method: str, url: str, data: dict | None = None, **kwargs):
        """A request as htmx sends it: HX-Request, and the token in the X-CSRFToken header."""
        headers = {
            "HX-Request": "true",
            "X-CSRFToken": self.csrf_token(),
            **kwargs.pop("headers", {}),
        }
        return self.open(url, method=method, data=data, headers=headers, **kwargs)

    def login(self, username: str, password: str = "password123"):
        response = self.submit("/login", {"username": username, "password": password})
        assert response.status_code == 302, f"login as {username} failed"
        return response


@pytest.fixture
def app(database_url, _schema, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "EVIDENCE_DIR": str(tmp_path / "evidence"),
        }
    )
    app.test_client_class = Client

    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def queries(app):
    """A context manager collecting the SQL statements run inside it (Indico's habit)."""

    @contextmanager
    def collecting():
        statements: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return collecting
