"""Link a showcase profile to the award it honours (one profile per award).

Revision ID: c4d6e8f0a2b4
Revises: a1c3e5f7b9d2
Create Date: 2026-11-23 23:00:00.000000

showcase_profiles.award_id existed as a plain integer; it now references awards.id
(set to NULL if the award is deleted) and is unique. Values that point at no award are
cleared first so the key can be created.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d6e8f0a2b4'
down_revision = 'a1c3e5f7b9d2'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        sa.text(
            "UPDATE showcase_profiles SET award_id = NULL "
            "WHERE award_id IS NOT NULL AND award_id NOT IN (SELECT id FROM awards)"
        )
    )
    with op.batch_alter_table('showcase_profiles', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_showcase_profiles_award_id'), ['award_id'])
        batch_op.create_foreign_key(
            batch_op.f('fk_showcase_profiles_award_id_awards'),
            'awards',
            ['award_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('showcase_profiles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_showcase_profiles_award_id_awards'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_showcase_profiles_award_id'), type_='unique')
