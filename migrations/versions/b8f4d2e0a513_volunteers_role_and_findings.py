"""volunteers: the volunteer role (a wider role column), approval and validator rights, findings

Revision ID: b8f4d2e0a513
Revises: a7e3c1d9f402
Create Date: 2026-12-07 08:40:00.000000

The role is stored by name in a VARCHAR (a non-native enum), on PostgreSQL as on SQLite: "volunteer"
needs 9 characters, so the column grows from 8 to 16; there is no PostgreSQL enum type to ALTER.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8f4d2e0a513'
down_revision = 'a7e3c1d9f402'
branch_labels = None
depends_on = None

OLD_ROLE = sa.Enum('host', 'admin', name='role', native_enum=False, length=8)
NEW_ROLE = sa.Enum('host', 'admin', 'volunteer', name='role', native_enum=False, length=16)


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=OLD_ROLE, type_=NEW_ROLE, existing_nullable=False)
        batch_op.add_column(sa.Column('volunteer_approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('is_validator', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'volunteer_finding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('open_state', sa.Enum('open', 'closed', 'unknown', name='openstate', native_enum=False, length=8),
                  nullable=False),
        sa.Column('terms', sa.JSON(), nullable=False),
        sa.Column('source_kind', sa.Enum('website', 'phone', 'visit', name='sourcekind', native_enum=False, length=8),
                  nullable=False),
        sa.Column('source_url', sa.String(length=500), server_default='', nullable=False),
        sa.Column('checked_on', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), server_default='', nullable=False),
        sa.Column('space_version', sa.Integer(), nullable=False),
        sa.Column('state', sa.Enum('pending', 'accepted', 'rejected', name='findingstate', native_enum=False, length=8),
                  nullable=False),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('review_comment', sa.Text(), server_default='', nullable=False),
        sa.Column('revision_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['reviewed_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['space_id'], ['space.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['task_id'], ['volunteer_task.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['volunteer_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_volunteer_finding_space_id', 'volunteer_finding', ['space_id'], unique=False)
    op.create_index('ix_volunteer_finding_task_id', 'volunteer_finding', ['task_id'], unique=False)
    op.create_index('ix_volunteer_finding_volunteer_id', 'volunteer_finding', ['volunteer_id'], unique=False)


def downgrade():
    op.drop_index('ix_volunteer_finding_volunteer_id', table_name='volunteer_finding')
    op.drop_index('ix_volunteer_finding_task_id', table_name='volunteer_finding')
    op.drop_index('ix_volunteer_finding_space_id', table_name='volunteer_finding')
    op.drop_table('volunteer_finding')
    # Volunteers become plain accounts again: the narrower column cannot hold their role.
    op.execute("UPDATE user_account SET role = 'host' WHERE role = 'volunteer'")
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('is_validator')
        batch_op.drop_column('volunteer_approved_at')
        batch_op.alter_column('role', existing_type=NEW_ROLE, type_=OLD_ROLE, existing_nullable=False)
