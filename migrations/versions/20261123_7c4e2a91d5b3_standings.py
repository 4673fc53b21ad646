"""Standings: ranks before the latest publication; last score event per campaign

Revision ID: 7c4e2a91d5b3
Revises: 3b1f6c2d9a7e
Create Date: 2026-11-23

standing_snapshots keeps the official ranks as they stood before the latest publication
(the ↑ ↓ on the leaderboards). The score events' campaign index becomes (campaign_id, id):
a campaign's last event is its standings version token, read on every poll.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c4e2a91d5b3"
down_revision = "3b1f6c2d9a7e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "standing_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("total", sa.Numeric(precision=8, scale=3), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_standing_snapshots_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_standing_snapshots_unit_id_units"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standing_snapshots")),
        sa.UniqueConstraint(
            "campaign_id", "unit_id", name=op.f("uq_standing_snapshots_campaign_id")
        ),
    )
    with op.batch_alter_table("score_events", schema=None) as batch_op:
        batch_op.drop_index("ix_score_events_campaign_id")
        batch_op.create_index("ix_score_events_campaign_last", ["campaign_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("score_events", schema=None) as batch_op:
        batch_op.drop_index("ix_score_events_campaign_last")
        batch_op.create_index("ix_score_events_campaign_id", ["campaign_id"], unique=False)
    op.drop_table("standing_snapshots")
