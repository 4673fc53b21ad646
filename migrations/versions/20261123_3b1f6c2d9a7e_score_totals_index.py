"""Covering index for campaign totals

Revision ID: 3b1f6c2d9a7e
Revises: e6fbf5dfad54
Create Date: 2026-11-23

The totals of a whole campaign are summed from score entries by stage, sheet and scorer
(emulation.totals); this index holds every column that query reads, so it never touches
the table. It replaces the narrower (stage, sheet_id) index.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "3b1f6c2d9a7e"
down_revision = "e6fbf5dfad54"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("score_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_score_entries_stage_sheet")
        batch_op.create_index(
            "ix_score_entries_totals",
            ["stage", "sheet_id", "scorer_key", "criterion_id", "points"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("score_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_score_entries_totals")
        batch_op.create_index("ix_score_entries_stage_sheet", ["stage", "sheet_id"], unique=False)
