"""visa terms: every field may be "not stated" (NULL)

Revision ID: 7c1d5e2a9b40
Revises: b7c41d2e9a10
Create Date: 2026-11-24 02:40:00

Imports used to stamp "terms last confirmed" with the import date; a listing
that only an import ever wrote has its date cleared, since no host confirmed.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1d5e2a9b40'
down_revision = 'b7c41d2e9a10'
branch_labels = None
depends_on = None

#: (column, type, the value a NULL becomes on downgrade: the old column default)
_COLUMNS = [
    ('is_participating', sa.Boolean(), 'true'),
    ('free_days_per_visit', sa.Integer(), '3'),
    ('advance_notice_hours', sa.Integer(), '24'),
    ('request_method', sa.Enum('email', 'form', 'phone', name='requestmethod', native_enum=False, length=8),
     "'email'"),
    ('request_contact', sa.String(length=300), "''"),
    ('requires_membership_proof', sa.Boolean(), 'true'),
    ('weekdays', sa.Integer(), '31'),
    ('blackout_dates', sa.JSON(), "'[]'"),
    ('excludes_same_city', sa.Boolean(), 'false'),
    ('is_reciprocal_only', sa.Boolean(), 'false'),
    ('notes', sa.Text(), "''"),
]


def upgrade():
    with op.batch_alter_table('visa_terms', schema=None) as batch_op:
        for name, type_, _old in _COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=True)
    op.execute("UPDATE space SET terms_confirmed_at = NULL WHERE geocode_source LIKE 'import%' AND NOT EXISTS "
               "(SELECT 1 FROM revision WHERE revision.space_id = space.id AND revision.source <> 'import')")


def downgrade():
    for name, _type, old in _COLUMNS:
        value = "CAST('[]' AS JSON)" if name == 'blackout_dates' else old
        op.execute(f"UPDATE visa_terms SET {name} = {value} WHERE {name} IS NULL")
    with op.batch_alter_table('visa_terms', schema=None) as batch_op:
        for name, type_, _old in _COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
