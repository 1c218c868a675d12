"""volunteer tasks: the volunteers' queue of listings that need a person, and each task's history

Revision ID: a7e3c1d9f402
Revises: d5f2a7c9e813
Create Date: 2026-12-07 08:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7e3c1d9f402'
down_revision = 'd5f2a7c9e813'
branch_labels = None
depends_on = None

REASONS = ('no_email', 'mail_refused', 'no_answer', 'wrong_address', 'report', 'stale')
STATES = ('open', 'review', 'done', 'cancelled')
EVENTS = ('opened', 'reason_added', 'taken', 'extended', 'released', 'expired', 'submitted', 'accepted', 'rejected',
          'cancelled')
ACTIVE = sa.text("state IN ('open', 'review')")


def upgrade():
    op.create_table(
        'volunteer_task',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Enum(*REASONS, name='taskreason', native_enum=False, length=16), nullable=False),
        sa.Column('detail', sa.Text(), server_default='', nullable=False),
        sa.Column('state', sa.Enum(*STATES, name='taskstate', native_enum=False, length=12), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('locked_by_id', sa.Integer(), nullable=True),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['locked_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['space_id'], ['space.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_volunteer_task_space_id', 'volunteer_task', ['space_id'], unique=False)
    op.create_index('uq_volunteer_task_active_space', 'volunteer_task', ['space_id'], unique=True,
                    sqlite_where=ACTIVE, postgresql_where=ACTIVE)
    op.create_table(
        'volunteer_task_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum(*EVENTS, name='taskeventkind', native_enum=False, length=16), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('note', sa.Text(), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['volunteer_task.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_volunteer_task_event_task_id', 'volunteer_task_event', ['task_id'], unique=False)


def downgrade():
    op.drop_index('ix_volunteer_task_event_task_id', table_name='volunteer_task_event')
    op.drop_table('volunteer_task_event')
    op.drop_index('uq_volunteer_task_active_space', table_name='volunteer_task')
    op.drop_index('ix_volunteer_task_space_id', table_name='volunteer_task')
    op.drop_table('volunteer_task')
