"""revision.note: the words an admin gave with a decision (a rejection's reason, the changes asked for)

Revision ID: c3a9e4f1d2b7
Revises: e6dee408eaf8
Create Date: 2026-11-24 05:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c3a9e4f1d2b7'
down_revision = "e6dee408eaf8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_column('note')
