"""photos: a listing's photos and travellers' reports about them

Revision ID: d4e7a2c9f6b1
Revises: b4d9e2f6a1c8
Create Date: 2026-12-07 11:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e7a2c9f6b1'
down_revision = 'b4d9e2f6a1c8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'photo',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('widths', sa.JSON(), nullable=False),
        sa.Column('alt', sa.String(length=300), nullable=False),
        sa.Column('caption', sa.String(length=300), server_default='', nullable=False),
        sa.Column('lang', sa.String(length=16), server_default='en', nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('pending', 'approved', name='photostatus', native_enum=False, length=12),
                  nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['space_id'], ['space.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('space_id', 'key', name='uq_photo_space_key'),
    )
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_space_id'), ['space_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photo_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_photo_status'), ['status'], unique=False)
    op.create_table(
        'photo_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('photo_id', sa.Integer(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('photo_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_report_photo_id'), ['photo_id'], unique=False)


def downgrade():
    with op.batch_alter_table('photo_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_report_photo_id'))
    op.drop_table('photo_report')
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_status'))
        batch_op.drop_index(batch_op.f('ix_photo_key'))
        batch_op.drop_index(batch_op.f('ix_photo_space_id'))
    op.drop_table('photo')
