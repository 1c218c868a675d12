"""imports: a unique import key, the import lock, a listing's links

Revision ID: a7c3e9f15b42
Revises: f3b9c1d7e2a4
Create Date: 2026-12-07 09:00:00.000000

Listings that two imports running at once created twice share an import key.
The oldest keeps it; each younger one keeps its key with "#<id>" at the end,
so it still shows which import it came from, the next import matches the
oldest, and an admin can merge them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9f15b42'
down_revision = 'f3b9c1d7e2a4'
branch_labels = None
depends_on = None

_KEY_LENGTH = 300


def upgrade():
    op.create_table(
        'import_lock',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('started_by', sa.String(length=254), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    _set_duplicate_keys_apart()
    with op.batch_alter_table('space', schema=None) as batch_op:
        batch_op.add_column(sa.Column('links', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
        batch_op.drop_index(batch_op.f('ix_space_import_key'))
        batch_op.create_index(batch_op.f('ix_space_import_key'), ['import_key'], unique=True)


def _set_duplicate_keys_apart():
    space = sa.table('space', sa.column('id', sa.Integer), sa.column('import_key', sa.String))
    conn = op.get_bind()
    shared = (sa.select(space.c.import_key).where(space.c.import_key.is_not(None))
              .group_by(space.c.import_key).having(sa.func.count() > 1))
    rows = conn.execute(sa.select(space.c.id, space.c.import_key).where(space.c.import_key.in_(shared))
                        .order_by(space.c.import_key, space.c.id)).all()
    kept = set()
    for space_id, key in rows:
        if key not in kept:
            kept.add(key)
            continue
        suffix = f"#{space_id}"
        conn.execute(sa.update(space).where(space.c.id == space_id)
                     .values(import_key=key[:_KEY_LENGTH - len(suffix)] + suffix))


def downgrade():
    with op.batch_alter_table('space', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_space_import_key'))
        batch_op.create_index(batch_op.f('ix_space_import_key'), ['import_key'], unique=False)
        batch_op.drop_column('links')
    op.drop_table('import_lock')
