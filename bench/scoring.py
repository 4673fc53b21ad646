"""Full recompute of every unit's council total, against a bare SQL sum of the same rows.

    .venv/bin/python bench/scoring.py            # SQLite in a temporary file
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/scoring.py

Seeds 2,000 units × 60 sub-criteria × 3 council members (plus the units' self-scores) into a
fresh database, then times (median of 5):
  product  emulation.totals.stage_totals(campaign, "council"): clamping at every level, caps,
           rounding, each member's total, the campaign's aggregation, grades and sanctions
  bare     SELECT sheet_id, SUM(points) … WHERE stage = 'council' GROUP BY sheet_id
The last line is `scoring_ratio=<product/bare>` (goal ≤ 3).
"""

from __future__ import annotations

import gc

from seed import fresh_database, make_app, seed, timed
from sqlalchemy import func, select

from emulation.campaigns.models import Campaign
from emulation.core.extensions import db
from emulation.scoring.models import ScoreEntry, ScoreSheet, Stage
from emulation.scoring.totals import stage_totals


def main() -> None:
    with fresh_database() as url:
        app = make_app(url)
        with app.app_context():
            db.create_all()
            seeded = seed()
            campaign = db.session.get(Campaign, seeded.campaign_id)
            print(f"database: {db.engine.dialect.name}")
            print(
                f"seeded: {seeded.units} units, {seeded.leaves} sub-criteria, "
                f"{len(seeded.council)} council members, {seeded.entries} score entries"
            )

            def product():
                return stage_totals(campaign, Stage.COUNCIL)

            bare_query = (
                select(ScoreEntry.sheet_id, func.sum(ScoreEntry.points))
                .where(
                    ScoreEntry.stage == Stage.COUNCIL,
                    ScoreEntry.sheet_id.in_(
                        select(ScoreSheet.id).where(ScoreSheet.campaign_id == campaign.id)
                    ),
                )
                .group_by(ScoreEntry.sheet_id)
            )

            def bare():
                return db.session.execute(bare_query).all()

            product()  # warm the criteria set and the statement caches alike
            bare()
            gc.freeze()  # as a served app does after start-up (gunicorn.conf.py)
            product_s, totals = timed(product)
            bare_s, sums = timed(bare)
            assert len(totals) == len(sums) == seeded.units
            grades = {}
            for total in totals.values():
                grades[total.result.grade] = grades.get(total.result.grade, 0) + 1
            print(f"grades: {dict(sorted(grades.items(), key=lambda item: -item[1]))}")
            print(f"product full recompute: {product_s * 1000:.1f} ms")
            print(f"bare SUM … GROUP BY: {bare_s * 1000:.1f} ms")
            print(f"scoring_ratio={product_s / bare_s:.2f}")


if __name__ == "__main__":
    main()
