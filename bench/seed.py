"""A fresh database filled at scale, shared by the benchmarks.

`fresh_database()` gives a new SQLite file (default) or, with DATABASE_URL set to a
PostgreSQL server, a throw-away database created on it and dropped afterwards. `seed()`
writes units, clusters, a campaign with a criteria set, sheets and score entries with bulk
inserts (the product's own code paths would take minutes at this size; what is measured is
reading, not writing).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app
from emulation.accounts.models import User
from emulation.campaigns.models import Campaign, Phase, campaign_clusters
from emulation.core.clock import local_today
from emulation.core.config import normalize_database_url
from emulation.core.extensions import db
from emulation.criteria.models import CriteriaSet, Criterion
from emulation.scoring.models import ScoreEntry, ScoreSheet, Stage
from emulation.units.models import Cluster, ClusterMember, Unit

# Four base groups of 4 criteria × 3 sub-criteria (48), a bonus group and a deduction group
# of 6 items each: 60 sub-criteria, maxima adding up the way a real criteria set does.
GROUPS = 4
CRITERIA = 4
LEAVES = 3
EXTRA = 6
GRADES = [
    {"name": "Xuất sắc", "min": 95, "quota_pct": 20},
    {"name": "Tốt", "min": 85},
    {"name": "Khá", "min": 70},
    {"name": "Trung bình", "min": 50},
    {"name": "Yếu", "min": 0},
]


@dataclass
class Seeded:
    campaign_id: int
    slug: str
    units: int
    clusters: int
    leaves: int
    council: list[int]
    entries: int


@contextmanager
def fresh_database():
    """Yield a database URL that nothing else uses; remove it afterwards."""
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith("postgres"):
        url = normalize_database_url(url)
        name = f"thidua_bench_{os.getpid()}"
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
        return
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


def make_app(url: str):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "HTMX_SOURCE": "local",
            "RATELIMIT_ENABLED": False,
        }
    )


def _insert(model, rows: list[dict], batch: int = 20_000) -> None:
    # A Core insert of the table (column defaults apply alike): the ORM's bulk insert of a
    # versioned model is about five times slower on PostgreSQL.
    for start in range(0, len(rows), batch):
        db.session.execute(insert(model.__table__), rows[start : start + batch])


def seed(
    *,
    units: int = 2000,
    clusters: int = 40,
    council: int = 3,
    published: bool = True,
    approved: int = 0,
) -> Seeded:
    """Units in clusters, one campaign in its scoring phase with a 60-leaf criteria set,
    every unit self-scored and scored by `council` members; sheets published (or at the
    council stage), except the last `approved` ones, left approved by the council and not yet
    published (a benchmark publishes them one by one to change the official board). Runs
    inside an app context with the schema created."""
    rng = random.Random(2025)
    today = local_today()
    year = today.year
    _insert(
        Unit,
        [
            {
                "code": f"B{i:05}",
                "name": f"Đơn vị thi đua số {i}",
                "short_name": "",
                "type": "co_quan",
                "level": "tinh",
                "active": True,
            }
            for i in range(1, units + 1)
        ],
    )
    _insert(
        Cluster,
        [
            {"name": f"Cụm thi đua số {i}", "kind": "cum", "year": year}
            for i in range(1, clusters + 1)
        ],
    )
    unit_ids = [row[0] for row in db.session.execute(text("SELECT id FROM units ORDER BY id"))]
    cluster_ids = [
        row[0] for row in db.session.execute(text("SELECT id FROM clusters ORDER BY id"))
    ]
    members = []
    for index, unit_id in enumerate(unit_ids):
        cluster = cluster_ids[index % clusters]
        first = index < clusters
        members.append(
            {"cluster_id": cluster, "unit_id": unit_id, "position": "leader" if first else "member"}
        )
    _insert(ClusterMember, members)
    council_ids = []
    for i in range(council):
        user = User(
            username=f"hoidong{i + 1}", full_name=f"Thành viên {i + 1}", role="council_member"
        )
        user.set_password("thidua2025")
        db.session.add(user)
        db.session.flush()
        council_ids.append(user.id)

    campaign = Campaign(
        name="Phong trào thi đua quy mô lớn",
        slug="quy-mo-lon",
        form="thuong_xuyen",
        authority="UBND tỉnh Lai Châu",
        decision_number="99/QĐ-UBND",
        decision_date=today - timedelta(days=300),
        start_date=today - timedelta(days=300),
        end_date=today + timedelta(days=30),
        year=year,
        status="launched",
        council_aggregation="mean",
    )
    db.session.add(campaign)
    db.session.flush()
    db.session.add(
        Phase(
            campaign_id=campaign.id,
            kind="scoring",
            starts_on=today - timedelta(days=5),
            ends_on=today + timedelta(days=20),
        )
    )
    criteria_set = CriteriaSet(
        campaign_id=campaign.id,
        rounding_step=Decimal("0.5"),
        bonus_cap=Decimal(5),
        deduction_cap=Decimal(10),
        grades=GRADES,
        tie_break=["total", "deduction"],
    )
    db.session.add(criteria_set)
    db.session.flush()
    leaves = _criteria(criteria_set.id)
    db.session.execute(
        insert(campaign_clusters),
        [{"campaign_id": campaign.id, "cluster_id": c} for c in cluster_ids],
    )
    stage = Stage.PUBLISHED if published else Stage.COUNCIL
    _insert(
        ScoreSheet,
        [
            {
                "campaign_id": campaign.id,
                "unit_id": u,
                "stage": Stage.APPROVED if index >= units - approved else stage,
                "version": 1,
                "returned_reason": "",
            }
            for index, u in enumerate(unit_ids)
        ],
    )
    sheet_ids = [
        row[0]
        for row in db.session.execute(
            text("SELECT id FROM score_sheets WHERE campaign_id = :c ORDER BY id"),
            {"c": campaign.id},
        )
    ]
    rows = []
    for sheet_id in sheet_ids:
        skill = rng.uniform(0.6, 1.0)
        for leaf in leaves:
            top = leaf.max_points
            if leaf.code.startswith("K."):  # deductions: most units have none
                rows.append(_entry(sheet_id, leaf.id, Stage.SELF, 0, None, Decimal(0)))
                for member in council_ids:
                    given = top if rng.random() < 0.03 else Decimal(0)
                    rows.append(_entry(sheet_id, leaf.id, Stage.COUNCIL, member, member, given))
                continue
            own = min(top, (top * Decimal(str(round(skill + 0.1, 3)))).quantize(Decimal("0.001")))
            rows.append(_entry(sheet_id, leaf.id, Stage.SELF, 0, None, own))
            for member in council_ids:
                wobble = Decimal(str(round(skill + rng.uniform(-0.1, 0.1), 3)))
                given = max(Decimal(0), min(top, (top * wobble).quantize(Decimal("0.001"))))
                rows.append(_entry(sheet_id, leaf.id, Stage.COUNCIL, member, member, given))
    _insert(ScoreEntry, rows)
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return Seeded(campaign.id, campaign.slug, units, clusters, len(leaves), council_ids, len(rows))


def _criteria(set_id: int) -> list[Criterion]:
    def add(**fields) -> Criterion:
        node = Criterion(set_id=set_id, **fields)
        db.session.add(node)
        db.session.flush()
        return node

    leaves = []
    for g in range(1, GROUPS + 1):
        group = add(
            code=str(g),
            title=f"Nhóm tiêu chí {g}",
            section="base",
            max_points=Decimal(25),
            position=g,
        )
        for c in range(1, CRITERIA + 1):
            node = add(
                parent_id=group.id,
                code=f"{g}.{c}",
                title=f"Tiêu chí {g}.{c}",
                max_points=Decimal("6.25"),
                position=c,
            )
            for s, top in enumerate(("2.5", "2.5", "1.25"), start=1):
                leaves.append(
                    add(
                        parent_id=node.id,
                        code=f"{g}.{c}.{s}",
                        title=f"Nội dung {g}.{c}.{s}",
                        max_points=Decimal(top),
                        scoring_type="council",
                        params={},
                        position=s,
                    )
                )
    bonus = add(
        code="T", title="Điểm thưởng", section="bonus", max_points=Decimal(6), position=GROUPS + 1
    )
    deduction = add(
        code="K", title="Điểm trừ", section="deduction", max_points=Decimal(12), position=GROUPS + 2
    )
    for i in range(1, EXTRA + 1):
        leaves.append(
            add(
                parent_id=bonus.id,
                code=f"T.{i}",
                title=f"Sáng kiến {i}",
                max_points=Decimal(1),
                scoring_type="council",
                params={},
                position=i,
            )
        )
    for i in range(1, EXTRA + 1):
        leaves.append(
            add(
                parent_id=deduction.id,
                code=f"K.{i}",
                title=f"Vi phạm {i}",
                max_points=Decimal(2),
                scoring_type="council",
                params={},
                position=i,
                sanction="max_kha" if i == 1 else None,
            )
        )
    return leaves


def _entry(sheet_id, criterion_id, stage, scorer_key, scorer_id, points) -> dict:
    return {
        "sheet_id": sheet_id,
        "criterion_id": criterion_id,
        "stage": stage,
        "scorer_key": scorer_key,
        "scorer_id": scorer_id,
        "value": {"points": str(points)},
        "points": points,
        "note": "",
        "version": 1,
    }


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    """Median wall time of `repeat` runs (seconds) and the last run's result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    times.sort()
    return times[len(times) // 2], result


__all__ = ["Seeded", "date", "fresh_database", "make_app", "seed", "timed"]
