"""user email key and skeleton: accounts compared by NFKC case-folded address, look-alikes found by skeleton

Revision ID: f1a6c3d9b2e4
Revises: b8f4d2e0a513
Create Date: 2026-12-07 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

# The same functions the accounts service writes them with (pure: no app is needed).
from visa.emails import key, skeleton


# revision identifiers, used by Alembic.
revision = 'f1a6c3d9b2e4'
down_revision = 'b8f4d2e0a513'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_key', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('email_skeleton', sa.String(length=640), nullable=True))
    conn = op.get_bind()
    users = sa.table('user_account', sa.column('id', sa.Integer), sa.column('email', sa.String),
                     sa.column('email_key', sa.String), sa.column('email_skeleton', sa.String))
    for user_id, email in conn.execute(sa.select(users.c.id, users.c.email)).all():
        conn.execute(users.update().where(users.c.id == user_id).values(email_key=key(email),
                                                                         email_skeleton=skeleton(email)))
    # Two accounts whose addresses differ only by case folding (Straße, strasse) stop the upgrade here: an admin
    # decides which one stays.
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('email_key', existing_type=sa.String(length=320), nullable=False)
        batch_op.alter_column('email_skeleton', existing_type=sa.String(length=640), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_user_account_email_key'), ['email_key'])
        batch_op.create_index(batch_op.f('ix_user_account_email_skeleton'), ['email_skeleton'], unique=False)


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_email_skeleton'))
        batch_op.drop_constraint(batch_op.f('uq_user_account_email_key'), type_='unique')
        batch_op.drop_column('email_skeleton')
        batch_op.drop_column('email_key')
