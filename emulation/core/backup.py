"""Consistent copies of a live SQLite database through SQLite's online backup API.

PostgreSQL has its own tools (pg_dump / pg_restore); README.md shows them.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine


class BackupError(RuntimeError):
    pass


def _require_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        raise BackupError(
            "Lệnh này dành cho SQLite. Với PostgreSQL hãy dùng pg_dump và pg_restore (xem README.md)."
        )


def backup_sqlite(engine: Engine, path: str | os.PathLike) -> int:
    """Copy the live database to `path` page by page while others keep writing; returns bytes."""
    _require_sqlite(engine)
    target = Path(path)
    if target.exists():
        raise BackupError(f"Tệp {target} đã tồn tại; hãy chọn tên khác.")
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = engine.raw_connection()
    try:
        with sqlite3.connect(target) as destination:
            raw.driver_connection.backup(destination, pages=256)
        destination.close()
    finally:
        raw.close()
    return target.stat().st_size


def restore_sqlite(engine: Engine, path: str | os.PathLike) -> None:
    """Replace the live database's contents with the backup at `path`."""
    _require_sqlite(engine)
    try:
        source = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
        check = source.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} không phải là bản sao lưu SQLite hợp lệ ({error}).") from error
    if check != "ok" or "alembic_version" not in tables:
        source.close()
        raise BackupError(f"{path} không phải là bản sao lưu của hệ thống này.")
    engine.dispose()
    raw = engine.raw_connection()
    try:
        source.backup(raw.driver_connection)
    finally:
        raw.close()
        source.close()
        engine.dispose()
