"""user language: the language a host or admin chose, for pages and mails

Revision ID: c3e8a1f4d2b6
Revises: 2386ddf111b0
Create Date: 2026-11-24 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e8a1f4d2b6'
down_revision = "2386ddf111b0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('language')
