"""campaign opt-outs kept by the address's key

Revision ID: b4d9e2f6a1c8
Revises: a7c3e9f15b42
Create Date: 2026-12-07 12:00:00.000000

Opt-outs were kept lower-cased and compared as typed; campaigns now compare addresses by visa.emails.key
(NFKC, case-folded), so "Straße@…" and "strasse@…" are one address. The rows are rewritten by that key. No
column changes; the downgrade leaves the keys (lower case, as before).
"""
from alembic import op
import sqlalchemy as sa

from visa.emails import key


# revision identifiers, used by Alembic.
revision = 'b4d9e2f6a1c8'
down_revision = 'a7c3e9f15b42'
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    opt_outs = sa.table('mail_opt_out', sa.column('id', sa.Integer), sa.column('email', sa.String))
    for row_id, email in conn.execute(sa.select(opt_outs.c.id, opt_outs.c.email)).all():
        if email and key(email) != email:
            conn.execute(opt_outs.update().where(opt_outs.c.id == row_id).values(email=key(email)))


def downgrade():
    pass
