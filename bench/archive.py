"""Export and import of a large campaign's archive (emulation.archive.service).

    .venv/bin/python bench/archive.py            # SQLite in temporary files
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/archive.py

Seeds UNITS units × 60 sub-criteria × 3 council members plus the self-scores (bench/seed.py)
and one audit event per score entry, chained, then times once each:
  export       emulation.archive.export_campaign into a temporary file (and its size)
  import       emulation.archive.import_archive into a second, empty database
  import again the same archive into the first database under another slug (every unit,
               cluster and account found by its natural key, the chain continued)
and checks `audit.verify()` on both databases.
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager

from seed import fresh_database, make_app, seed
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from emulation.archive import service as archive
from emulation.campaigns.models import Campaign
from emulation.core.clock import utcnow
from emulation.core.extensions import db
from emulation.scoring import audit
from emulation.scoring.models import ScoreEntry, ScoreEvent

UNITS = int(os.environ.get("UNITS", "250"))


def chain_events(campaign_id: int) -> int:
    """One 'entry_saved' event per score entry, chained the way emulation.scoring.audit does."""
    entries = db.session.execute(
        select(
            ScoreEntry.sheet_id, ScoreEntry.criterion_id, ScoreEntry.stage, ScoreEntry.scorer_id
        ).order_by(ScoreEntry.id)
    ).all()
    previous, events = audit.GENESIS, []
    for sheet_id, criterion_id, stage, scorer_id in entries:
        fields = {
            "prev_hash": previous,
            "at": utcnow(),
            "user_id": scorer_id,
            "campaign_id": campaign_id,
            "sheet_id": sheet_id,
            "criterion_id": criterion_id,
            "stage": stage,
            "action": "entry_saved",
            "old_value": "",
            "new_value": '{"points":"1"}',
            "reason": "",
        }
        fields["hash"] = previous = audit.compute_hash(fields)
        events.append(fields)
    db.session.execute(insert(ScoreEvent.__table__), events)
    db.session.commit()
    return len(events)


@contextmanager
def second_database(url: str):
    """An empty database beside the first: a file on SQLite, a database on PostgreSQL."""
    if not url.startswith("postgresql"):
        with tempfile.TemporaryDirectory(prefix="thidua-bench-") as folder:
            yield f"sqlite:///{folder}/imported.db"
        return
    name = f"{make_url(url).database}_imported"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed_once(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    with fresh_database() as url, tempfile.TemporaryDirectory() as folder:
        source = make_app(url)
        path = os.path.join(folder, "archive.zip")
        with source.app_context():
            db.create_all()
            seeded = seed(units=UNITS)
            events = chain_events(seeded.campaign_id)
            campaign = db.session.get(Campaign, seeded.campaign_id)
            print(f"database: {db.engine.dialect.name}")
            print(f"seeded: {seeded.units} units, {seeded.entries} score entries, {events} events")
            with open(path, "wb") as out:
                seconds, _summary = timed_once(lambda: archive.export_campaign(campaign, out))
            size = os.path.getsize(path)
            print(f"export: {seconds:.2f} s, archive {size / 1024 / 1024:.1f} MB")

        with second_database(url) as other_url:
            target = make_app(other_url)
            with target.app_context():
                db.create_all()
                with open(path, "rb") as source_file:
                    seconds, _ = timed_once(lambda: archive.import_archive(source_file))
                print(f"import into an empty database: {seconds:.2f} s")
                print(f"verify: {audit.verify()}")
                db.session.remove()
                db.engine.dispose()

        with source.app_context():
            with open(path, "rb") as source_file:
                seconds, _ = timed_once(
                    lambda: archive.import_archive(source_file, slug="quy-mo-lon-ban-luu")
                )
            print(f"import again beside itself: {seconds:.2f} s")
            print(f"verify: {audit.verify()}")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
