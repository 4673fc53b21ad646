"""Showcase of typical examples (điển hình tiên tiến): profiles, photos, replications.

Revision ID: 5d8e3a7c1f42
Revises: b7e2d9c4a1f3
Create Date: 2026-11-23 21:10:00.000000

showcase_profiles.award_id is a plain nullable integer, deliberately WITHOUT a foreign key:
it will point at the award record a profile honours, and the revision that links the two
adds the key.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d8e3a7c1f42'
down_revision = 'b7e2d9c4a1f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('showcase_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=120), nullable=False),
    sa.Column('person_title', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('headline', sa.String(length=300), nullable=False),
    sa.Column('story', sa.Text(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=30), nullable=False),
    sa.Column('award_text', sa.String(length=500), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=True),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_showcase_profiles_campaign_id_campaigns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_showcase_profiles_unit_id_units'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showcase_profiles')),
    sa.UniqueConstraint('slug', name=op.f('uq_showcase_profiles_slug'))
    )
    with op.batch_alter_table('showcase_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_showcase_profiles_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_showcase_profiles_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_showcase_profiles_year'), ['year'], unique=False)

    op.create_table('showcase_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('caption', sa.String(length=300), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['showcase_profiles.id'], name=op.f('fk_showcase_photos_profile_id_showcase_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showcase_photos')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_showcase_photos_stored_name'))
    )
    with op.batch_alter_table('showcase_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_showcase_photos_profile_id'), ['profile_id'], unique=False)

    op.create_table('showcase_replications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('adopted_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['showcase_profiles.id'], name=op.f('fk_showcase_replications_profile_id_showcase_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_showcase_replications_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showcase_replications')),
    sa.UniqueConstraint('profile_id', 'unit_id', name=op.f('uq_showcase_replications_profile_id'))
    )


def downgrade():
    op.drop_table('showcase_replications')
    with op.batch_alter_table('showcase_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_showcase_photos_profile_id'))

    op.drop_table('showcase_photos')
    with op.batch_alter_table('showcase_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_showcase_profiles_year'))
        batch_op.drop_index(batch_op.f('ix_showcase_profiles_unit_id'))
        batch_op.drop_index(batch_op.f('ix_showcase_profiles_campaign_id'))

    op.drop_table('showcase_profiles')
