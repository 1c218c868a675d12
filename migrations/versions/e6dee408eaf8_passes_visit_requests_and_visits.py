"""passes, visit requests and visits (visa_pass, visit_request, visit)

Revision ID: e6dee408eaf8
Revises: 7c1d5e2a9b40
Create Date: 2026-11-24 05:11:45.692414

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e6dee408eaf8'
down_revision = '7c1d5e2a9b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visa_pass',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('home_space_id', sa.Integer(), nullable=False),
    sa.Column('member_name', sa.String(length=200), nullable=False),
    sa.Column('member_email', sa.String(length=254), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'active', 'declined', 'revoked', name='passstatus', native_enum=False, length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('key_id', sa.String(length=64), nullable=True),
    sa.Column('token', sa.Text(), nullable=True),
    sa.Column('access_hash', sa.String(length=64), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoke_reason', sa.String(length=500), server_default='', nullable=False),
    sa.Column('message', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['home_space_id'], ['space.id'], name=op.f('fk_visa_pass_home_space_id_space'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_visa_pass_issued_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visa_pass')),
    sa.UniqueConstraint('access_hash', name=op.f('uq_visa_pass_access_hash'))
    )
    with op.batch_alter_table('visa_pass', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visa_pass_home_space_id'), ['home_space_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visa_pass_key_id'), ['key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visa_pass_member_email'), ['member_email'], unique=False)
        batch_op.create_index(batch_op.f('ix_visa_pass_status'), ['status'], unique=False)

    op.create_table('visit_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pass_id', sa.String(length=32), nullable=True),
    sa.Column('host_space_id', sa.Integer(), nullable=False),
    sa.Column('home_space_id', sa.Integer(), nullable=True),
    sa.Column('member_country', sa.String(length=2), server_default='', nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('message', sa.Text(), server_default='', nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', 'cancelled', 'checked_in', name='requeststatus', native_enum=False, length=12), nullable=False),
    sa.Column('verdict', sa.JSON(), nullable=True),
    sa.Column('decline_reason', sa.String(length=500), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_visit_request_answered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['home_space_id'], ['space.id'], name=op.f('fk_visit_request_home_space_id_space'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['host_space_id'], ['space.id'], name=op.f('fk_visit_request_host_space_id_space'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pass_id'], ['visa_pass.id'], name=op.f('fk_visit_request_pass_id_visa_pass'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_request'))
    )
    with op.batch_alter_table('visit_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_request_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_request_home_space_id'), ['home_space_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_request_host_space_id'), ['host_space_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_request_pass_id'), ['pass_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_request_status'), ['status'], unique=False)

    op.create_table('visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('host_space_id', sa.Integer(), nullable=False),
    sa.Column('home_space_id', sa.Integer(), nullable=True),
    sa.Column('member_country', sa.String(length=2), server_default='', nullable=False),
    sa.Column('pass_id', sa.String(length=32), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['user_account.id'], name=op.f('fk_visit_checked_in_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['home_space_id'], ['space.id'], name=op.f('fk_visit_home_space_id_space'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['host_space_id'], ['space.id'], name=op.f('fk_visit_host_space_id_space'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pass_id'], ['visa_pass.id'], name=op.f('fk_visit_pass_id_visa_pass'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['visit_request.id'], name=op.f('fk_visit_request_id_visit_request'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit')),
    sa.UniqueConstraint('pass_id', 'host_space_id', 'visit_date', name='uq_visit_pass_host_day')
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index('ix_visit_home_date', ['home_space_id', 'visit_date'], unique=False)
        batch_op.create_index('ix_visit_host_date', ['host_space_id', 'visit_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_pass_id'), ['pass_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_visit_date'), ['visit_date'], unique=False)



def downgrade():
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_visit_date'))
        batch_op.drop_index(batch_op.f('ix_visit_request_id'))
        batch_op.drop_index(batch_op.f('ix_visit_pass_id'))
        batch_op.drop_index('ix_visit_host_date')
        batch_op.drop_index('ix_visit_home_date')

    op.drop_table('visit')
    with op.batch_alter_table('visit_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_request_status'))
        batch_op.drop_index(batch_op.f('ix_visit_request_pass_id'))
        batch_op.drop_index(batch_op.f('ix_visit_request_host_space_id'))
        batch_op.drop_index(batch_op.f('ix_visit_request_home_space_id'))
        batch_op.drop_index(batch_op.f('ix_visit_request_created_at'))

    op.drop_table('visit_request')
    with op.batch_alter_table('visa_pass', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visa_pass_status'))
        batch_op.drop_index(batch_op.f('ix_visa_pass_member_email'))
        batch_op.drop_index(batch_op.f('ix_visa_pass_key_id'))
        batch_op.drop_index(batch_op.f('ix_visa_pass_home_space_id'))

    op.drop_table('visa_pass')
