"""Commendation: rulebooks and award types, discipline flags, nomination lists and nominees,
public posting comments, the council meeting (attendance, ballots), decisions and awards.

Revision ID: b7e2d9c4a1f3
Revises: ec1c98df6e83
Create Date: 2026-11-23 22:00:00.000000

votes and votes_cast are WITHOUT ROWID tables on SQLite: their rows sit in primary-key order
(a random id for votes), so storage order does not tell who voted what. Nothing links a
votes_cast row (who has voted) to a votes row (what was voted); a secret vote has no voter.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2d9c4a1f3'
down_revision = 'ec1c98df6e83'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rulebooks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province', sa.String(length=120), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('holidays', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rulebooks')),
    sa.UniqueConstraint('province', 'version', name=op.f('uq_rulebooks_province'))
    )
    op.create_table('award_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rulebook_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('subject', sa.String(length=12), nullable=False),
    sa.Column('forms', sa.JSON(), nullable=False),
    sa.Column('eligibility', sa.JSON(), nullable=False),
    sa.Column('quota_per_cluster', sa.Integer(), nullable=True),
    sa.Column('quota_total', sa.Integer(), nullable=True),
    sa.Column('quorum', sa.String(length=12), nullable=False),
    sa.Column('secret_ballot', sa.Boolean(), nullable=False),
    sa.Column('denominator', sa.String(length=10), nullable=False),
    sa.Column('threshold_pct', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('posting_days', sa.Integer(), nullable=False),
    sa.Column('counts_toward_higher', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['rulebook_id'], ['rulebooks.id'], name=op.f('fk_award_types_rulebook_id_rulebooks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_types')),
    sa.UniqueConstraint('rulebook_id', 'code', name=op.f('uq_award_types_rulebook_id'))
    )
    with op.batch_alter_table('award_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_types_rulebook_id'), ['rulebook_id'], unique=False)

    op.create_table('discipline_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('person_name', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_discipline_flags_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_discipline_flags_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discipline_flags'))
    )
    with op.batch_alter_table('discipline_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discipline_flags_unit_id'), ['unit_id'], unique=False)

    op.create_table('nomination_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('rulebook_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('finalized_at', sa.DateTime(), nullable=True),
    sa.Column('finalized_by_id', sa.Integer(), nullable=True),
    sa.Column('posting_from', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_nomination_lists_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['finalized_by_id'], ['users.id'], name=op.f('fk_nomination_lists_finalized_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rulebook_id'], ['rulebooks.id'], name=op.f('fk_nomination_lists_rulebook_id_rulebooks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination_lists')),
    sa.UniqueConstraint('campaign_id', name=op.f('uq_nomination_lists_campaign_id'))
    )
    with op.batch_alter_table('nomination_lists', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_lists_rulebook_id'), ['rulebook_id'], unique=False)

    op.create_table('nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('award_type_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('person_name', sa.String(length=120), nullable=False),
    sa.Column('person_title', sa.String(length=255), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('grade', sa.String(length=40), nullable=True),
    sa.Column('total', sa.Numeric(precision=8, scale=3), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('status_note', sa.Text(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['award_type_id'], ['award_types.id'], name=op.f('fk_nominations_award_type_id_award_types')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_nominations_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_nominations_cluster_id_clusters'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_nominations_proposed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_nominations_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nominations'))
    )
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nominations_award_type_id'), ['award_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_unit_id'), ['unit_id'], unique=False)

    op.create_table('posting_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=120), nullable=False),
    sa.Column('contact', sa.String(length=120), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('handled_note', sa.Text(), nullable=False),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_posting_comments_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_posting_comments_handled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_posting_comments_nomination_id_nominations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posting_comments'))
    )
    with op.batch_alter_table('posting_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posting_comments_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=255), nullable=False),
    sa.Column('chair', sa.String(length=255), nullable=False),
    sa.Column('secretary', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('voting_opened_at', sa.DateTime(), nullable=True),
    sa.Column('voting_closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_meetings_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
    sa.UniqueConstraint('campaign_id', name=op.f('uq_meetings_campaign_id'))
    )
    op.create_table('meeting_attendances',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_attendances_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_attendances_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'user_id', name=op.f('pk_meeting_attendances'))
    )
    op.create_table('votes',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=10), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_votes_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_votes_nomination_id_nominations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['users.id'], name=op.f('fk_votes_voter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index('ix_votes_meeting_id_nomination_id', ['meeting_id', 'nomination_id'], unique=False)

    op.create_table('votes_cast',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('written', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_votes_cast_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_votes_cast_nomination_id_nominations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_votes_cast_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'nomination_id', 'user_id', name=op.f('pk_votes_cast')),
    sqlite_with_rowid=False
    )
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('award_type_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('signer', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['award_type_id'], ['award_types.id'], name=op.f('fk_decisions_award_type_id_award_types')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_decisions_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_decisions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('campaign_id', 'award_type_id', name=op.f('uq_decisions_campaign_id'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_award_type_id'), ['award_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('nomination_id', sa.Integer(), nullable=True),
    sa.Column('award_type_id', sa.Integer(), nullable=True),
    sa.Column('award_code', sa.String(length=20), nullable=False),
    sa.Column('award_name', sa.String(length=255), nullable=False),
    sa.Column('subject', sa.String(length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('person_name', sa.String(length=120), nullable=False),
    sa.Column('person_title', sa.String(length=255), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('decision_number', sa.String(length=80), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('counts_toward_higher', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['award_type_id'], ['award_types.id'], name=op.f('fk_awards_award_type_id_award_types'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_awards_campaign_id_campaigns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_awards_decision_id_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_awards_nomination_id_nominations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_awards_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awards'))
    )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awards_award_code'), ['award_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_year'), ['year'], unique=False)


def downgrade():
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awards_year'))
        batch_op.drop_index(batch_op.f('ix_awards_unit_id'))
        batch_op.drop_index(batch_op.f('ix_awards_decision_id'))
        batch_op.drop_index(batch_op.f('ix_awards_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_awards_award_code'))

    op.drop_table('awards')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_award_type_id'))

    op.drop_table('decisions')
    op.drop_table('votes_cast')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index('ix_votes_meeting_id_nomination_id')

    op.drop_table('votes')
    op.drop_table('meeting_attendances')
    op.drop_table('meetings')
    with op.batch_alter_table('posting_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posting_comments_campaign_id'))

    op.drop_table('posting_comments')
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nominations_unit_id'))
        batch_op.drop_index(batch_op.f('ix_nominations_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_nominations_award_type_id'))

    op.drop_table('nominations')
    with op.batch_alter_table('nomination_lists', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nomination_lists_rulebook_id'))

    op.drop_table('nomination_lists')
    with op.batch_alter_table('discipline_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discipline_flags_unit_id'))

    op.drop_table('discipline_flags')
    with op.batch_alter_table('award_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_types_rulebook_id'))

    op.drop_table('award_types')
    op.drop_table('rulebooks')
