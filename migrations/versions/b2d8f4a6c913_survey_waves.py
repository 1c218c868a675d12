"""survey: members' survey waves, their single-use invitations and the answers

Revision ID: b2d8f4a6c913
Revises: d4e7a2c9f6b1
Create Date: 2026-12-07 11:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d8f4a6c913'
down_revision = 'd4e7a2c9f6b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'survey_wave',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.String(length=16), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('shared_token_hash', sa.String(length=64), nullable=True),
        sa.Column('invited', sa.Integer(), server_default='0', nullable=False),
        sa.Column('is_published', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['space_id'], ['space.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('shared_token_hash'),
    )
    with op.batch_alter_table('survey_wave', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_wave_space_id'), ['space_id'], unique=False)
        batch_op.create_index('uq_survey_wave_open', ['space_id'], unique=True,
                              sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))
    op.create_table(
        'survey_response',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('wave_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.Enum('invitation', 'open_link', name='channel', native_enum=False, length=12),
                  nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('comment', sa.Text(), server_default='', nullable=False),
        sa.Column('answered_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['wave_id'], ['survey_wave.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_response_wave_id'), ['wave_id'], unique=False)
    op.create_table(
        'survey_invitation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('wave_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('address_hash', sa.String(length=64), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['wave_id'], ['survey_wave.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['response_id'], ['survey_response.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
        sa.UniqueConstraint('wave_id', 'address_hash', name='uq_survey_invitation_address'),
    )
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invitation_wave_id'), ['wave_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitation_address_hash'), ['address_hash'], unique=False)


def downgrade():
    op.drop_table('survey_invitation')
    op.drop_table('survey_response')
    op.drop_table('survey_wave')
