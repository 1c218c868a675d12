"""pass language: the member's language, for the mails of their pass and visits

Revision ID: d5f2a7c9e813
Revises: c3e8a1f4d2b6
Create Date: 2026-11-25 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5f2a7c9e813'
down_revision = "c3e8a1f4d2b6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('visa_pass', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('visa_pass', schema=None) as batch_op:
        batch_op.drop_column('language')
