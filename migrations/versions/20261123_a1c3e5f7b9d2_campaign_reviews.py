"""Campaign wrap-up review (tổng kết): results, shortcomings, lessons learned, way forward.

Revision ID: a1c3e5f7b9d2
Revises: 5d8e3a7c1f42
Create Date: 2026-11-23 22:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c3e5f7b9d2"
down_revision = "5d8e3a7c1f42"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "campaign_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("achievements", sa.Text(), nullable=False),
        sa.Column("shortcomings", sa.Text(), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_reviews_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_campaign_reviews_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_reviews")),
        sa.UniqueConstraint("campaign_id", name=op.f("uq_campaign_reviews_campaign_id")),
    )


def downgrade():
    op.drop_table("campaign_reviews")
