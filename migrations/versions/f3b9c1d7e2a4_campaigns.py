"""campaigns: outreach campaigns, their entries, opt-outs; provenance of a listing's facts

Revision ID: f3b9c1d7e2a4
Revises: f1a6c3d9b2e4
Create Date: 2026-12-07 08:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3b9c1d7e2a4'
down_revision = 'f1a6c3d9b2e4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'campaign',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('selection', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.create_table(
        'campaign_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.Enum('queued', 'sent', 'refused', 'no_address', 'answered', 'unanswered',
                                   name='entrystate', native_enum=False, length=12), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('refused_reason', sa.Text(), server_default='', nullable=False),
        sa.Column('reminders_sent', sa.Integer(), server_default='0', nullable=False),
        sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answer', sa.Enum('confirmed', 'closed', 'wrong_address', 'opted_out', name='answer',
                                    native_enum=False, length=16), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('to_volunteers_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['space_id'], ['space.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('campaign_id', 'space_id', name='uq_campaign_entry_space'),
    )
    with op.batch_alter_table('campaign_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_entry_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_entry_space_id'), ['space_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_entry_state'), ['state'], unique=False)
    op.create_table(
        'mail_opt_out',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=True),
        sa.Column('campaign_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['space_id'], ['space.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('mail_opt_out', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_opt_out_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_opt_out_space_id'), ['space_id'], unique=False)
    with op.batch_alter_table('space', schema=None) as batch_op:
        batch_op.add_column(sa.Column('terms_confirmed_by', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('terms_confirmed_via', sa.String(length=300), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('import_file', sa.String(length=200), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_space_import_file'), ['import_file'], unique=False)
        # The campaigns' entries record every freshness mail now (visa remind-stale).
        batch_op.drop_column('stale_reminder_sent_at')


def downgrade():
    with op.batch_alter_table('space', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stale_reminder_sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_index(batch_op.f('ix_space_import_file'))
        batch_op.drop_column('import_file')
        batch_op.drop_column('terms_confirmed_via')
        batch_op.drop_column('terms_confirmed_by')
    op.drop_table('mail_opt_out')
    op.drop_table('campaign_entry')
    op.drop_table('campaign')
