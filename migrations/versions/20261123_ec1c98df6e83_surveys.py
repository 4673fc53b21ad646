"""Surveys: questionnaires (sections, components, questions), tokens and their batches,
officials' participation, anonymous responses and drafts.

Revision ID: ec1c98df6e83
Revises: 7c4e2a91d5b3
Create Date: 2026-11-23 18:52:47.202606

Responses, participations and drafts are WITHOUT ROWID tables on SQLite: their rows sit in
primary-key order (a random id for responses), so storage order does not tell who answered
what. Nothing links survey_tokens or survey_participations to survey_responses.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ec1c98df6e83'
down_revision = '7c4e2a91d5b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('thanks', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('allow_tokens', sa.Boolean(), nullable=False),
    sa.Column('allow_open', sa.Boolean(), nullable=False),
    sa.Column('allow_login', sa.Boolean(), nullable=False),
    sa.Column('open_in_index', sa.Boolean(), nullable=False),
    sa.Column('min_sample', sa.Integer(), nullable=False),
    sa.Column('public_code', sa.String(length=16), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_surveys_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['previous_id'], ['surveys.id'], name=op.f('fk_surveys_previous_id_surveys'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('campaign_id', 'code', 'version', name=op.f('uq_surveys_campaign_id')),
    sa.UniqueConstraint('public_code', name=op.f('uq_surveys_public_code'))
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveys_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('survey_components',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_components_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_components')),
    sa.UniqueConstraint('survey_id', 'code', name=op.f('uq_survey_components_survey_id'))
    )
    op.create_table('survey_drafts',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('updated_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_drafts_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_drafts')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('survey_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_drafts_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_participations',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_participations_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_participations_unit_id_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_survey_participations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'user_id', 'unit_id', name=op.f('pk_survey_participations')),
    sqlite_with_rowid=False
    )
    op.create_table('survey_responses',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_responses_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_responses_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index('ix_survey_responses_survey_id_unit_id', ['survey_id', 'unit_id'], unique=False)

    op.create_table('survey_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_sections_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_sections'))
    )
    with op.batch_alter_table('survey_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_sections_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_token_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_token_batches_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_token_batches_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_token_batches'))
    )
    with op.batch_alter_table('survey_token_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_token_batches_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_units',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_units_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_units_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'unit_id', name=op.f('pk_survey_units'))
    )
    op.create_table('survey_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('component_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('help', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('min_value', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.Column('max_value', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.Column('show_if', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['component_id'], ['survey_components.id'], name=op.f('fk_survey_questions_component_id_survey_components'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['section_id'], ['survey_sections.id'], name=op.f('fk_survey_questions_section_id_survey_sections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_questions_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questions')),
    sa.UniqueConstraint('survey_id', 'code', name=op.f('uq_survey_questions_survey_id'))
    )
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_questions_section_id'), ['section_id'], unique=False)

    op.create_table('survey_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['survey_token_batches.id'], name=op.f('fk_survey_tokens_batch_id_survey_token_batches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_tokens_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_tokens_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_tokens')),
    sa.UniqueConstraint('code', name=op.f('uq_survey_tokens_code'))
    )
    with op.batch_alter_table('survey_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_tokens_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_tokens_survey_id'), ['survey_id'], unique=False)



def downgrade():
    with op.batch_alter_table('survey_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_tokens_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_tokens_batch_id'))

    op.drop_table('survey_tokens')
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_questions_section_id'))

    op.drop_table('survey_questions')
    op.drop_table('survey_units')
    with op.batch_alter_table('survey_token_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_token_batches_survey_id'))

    op.drop_table('survey_token_batches')
    with op.batch_alter_table('survey_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_sections_survey_id'))

    op.drop_table('survey_sections')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_responses_survey_id_unit_id')

    op.drop_table('survey_responses')
    op.drop_table('survey_participations')
    with op.batch_alter_table('survey_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_drafts_survey_id'))

    op.drop_table('survey_drafts')
    op.drop_table('survey_components')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveys_campaign_id'))

    op.drop_table('surveys')
