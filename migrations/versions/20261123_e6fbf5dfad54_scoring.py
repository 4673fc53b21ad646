"""Scoring: sheets and entries per stage, explanations, cross-scoring assignments,
declared conflicts, the audit chain, and the campaign's scoring settings.

Revision ID: e6fbf5dfad54
Revises: 10f549dd423c
Create Date: 2026-11-23 17:46:54.984376

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e6fbf5dfad54'
down_revision = '10f549dd423c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cross_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('scorer_unit_id', sa.Integer(), nullable=False),
    sa.Column('target_unit_id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_cross_assignments_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scorer_unit_id'], ['units.id'], name=op.f('fk_cross_assignments_scorer_unit_id_units')),
    sa.ForeignKeyConstraint(['target_unit_id'], ['units.id'], name=op.f('fk_cross_assignments_target_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cross_assignments')),
    sa.UniqueConstraint('campaign_id', 'scorer_unit_id', 'target_unit_id', name=op.f('uq_cross_assignments_campaign_id'))
    )
    with op.batch_alter_table('cross_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cross_assignments_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('score_sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('returned_reason', sa.Text(), nullable=False),
    sa.Column('returned_from', sa.String(length=20), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_score_sheets_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_score_sheets_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_sheets')),
    sa.UniqueConstraint('campaign_id', 'unit_id', name=op.f('uq_score_sheets_campaign_id'))
    )
    with op.batch_alter_table('score_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_sheets_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_score_sheets_unit_id'), ['unit_id'], unique=False)

    op.create_table('conflict_declarations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('declared_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_conflict_declarations_unit_id_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_conflict_declarations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_declarations')),
    sa.UniqueConstraint('user_id', 'unit_id', name=op.f('uq_conflict_declarations_user_id'))
    )
    op.create_table('explanations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('evidence_ids', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_explanations_answered_by_id_users')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_explanations_criterion_id_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_explanations_requested_by_id_users')),
    sa.ForeignKeyConstraint(['sheet_id'], ['score_sheets.id'], name=op.f('fk_explanations_sheet_id_score_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_explanations'))
    )
    with op.batch_alter_table('explanations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_explanations_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('score_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('scorer_key', sa.Integer(), nullable=False),
    sa.Column('scorer_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('points', sa.Numeric(precision=8, scale=3), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_score_entries_criterion_id_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scorer_id'], ['users.id'], name=op.f('fk_score_entries_scorer_id_users')),
    sa.ForeignKeyConstraint(['sheet_id'], ['score_sheets.id'], name=op.f('fk_score_entries_sheet_id_score_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_entries')),
    sa.UniqueConstraint('sheet_id', 'criterion_id', 'stage', 'scorer_key', name=op.f('uq_score_entries_sheet_id'))
    )
    with op.batch_alter_table('score_entries', schema=None) as batch_op:
        batch_op.create_index('ix_score_entries_stage_sheet', ['stage', 'sheet_id'], unique=False)

    op.create_table('score_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('sheet_id', sa.Integer(), nullable=True),
    sa.Column('criterion_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=False),
    sa.Column('new_value', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_score_events_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_score_events_criterion_id_criteria')),
    sa.ForeignKeyConstraint(['sheet_id'], ['score_sheets.id'], name=op.f('fk_score_events_sheet_id_score_sheets')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_score_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_score_events_hash')),
    sa.UniqueConstraint('prev_hash', name=op.f('uq_score_events_prev_hash'))
    )
    with op.batch_alter_table('score_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_events_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_score_events_sheet_id'), ['sheet_id'], unique=False)

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        # Existing campaigns get the defaults: no cross-scoring, mean, tolerance 2 points.
        batch_op.add_column(sa.Column('cross_scoring', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('council_aggregation', sa.String(length=20), nullable=False, server_default='mean'))
        batch_op.add_column(sa.Column('flag_tolerance', sa.Numeric(precision=8, scale=3), nullable=False, server_default='2'))



def downgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('flag_tolerance')
        batch_op.drop_column('council_aggregation')
        batch_op.drop_column('cross_scoring')

    with op.batch_alter_table('score_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_events_sheet_id'))
        batch_op.drop_index(batch_op.f('ix_score_events_campaign_id'))

    op.drop_table('score_events')
    with op.batch_alter_table('score_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_score_entries_stage_sheet')

    op.drop_table('score_entries')
    with op.batch_alter_table('explanations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_explanations_sheet_id'))

    op.drop_table('explanations')
    op.drop_table('conflict_declarations')
    with op.batch_alter_table('score_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_sheets_unit_id'))
        batch_op.drop_index(batch_op.f('ix_score_sheets_campaign_id'))

    op.drop_table('score_sheets')
    with op.batch_alter_table('cross_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cross_assignments_campaign_id'))

    op.drop_table('cross_assignments')
