"""e-card checks: screening and redemption events, trust store, card status, check-ins

Events gain an entry window, a capacity and admissions per member (NULL for
booth events, which keep working as before); the rest are new tables.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entry_start', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('entry_end', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('capacity', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('admissions_per_member', sa.Integer(), nullable=True))

    op.create_table('event_eligibility',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('union_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], ),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ),
    sa.ForeignKeyConstraint(['union_id'], ['unions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event_eligibility', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_eligibility_event_id'), ['event_id'], unique=False)

    op.create_table('ecard_keys',
    sa.Column('kid', sa.String(length=8), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('valid_from', sa.DateTime(), nullable=True),
    sa.Column('valid_until', sa.DateTime(), nullable=True),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('kid')
    )
    op.create_table('card_holders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('member_id'),
    sa.UniqueConstraint('platform_id')
    )
    op.create_table('card_revocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('card_revocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_revocations_platform_id'), ['platform_id'], unique=False)

    op.create_table('checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('station_uuid', sa.String(length=36), nullable=False),
    sa.Column('station_name', sa.String(length=100), nullable=False),
    sa.Column('operator', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=True),
    sa.Column('detail', sa.String(length=40), nullable=True),
    sa.Column('admitted', sa.Boolean(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('key_id', sa.String(length=8), nullable=True),
    sa.Column('code_sha', sa.String(length=16), nullable=True),
    sa.Column('masked_name', sa.String(length=20), nullable=True),
    sa.Column('union_name', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uuid')
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_index('ix_checkins_event_admitted', ['event_id', 'admitted', 'created_at'], unique=False)
        batch_op.create_index('ix_checkins_event_member', ['event_id', 'member_id', 'admitted'], unique=False)
        batch_op.create_index('ix_checkins_event_platform', ['event_id', 'platform_id', 'admitted'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index('ix_checkins_event_platform')
        batch_op.drop_index('ix_checkins_event_member')
        batch_op.drop_index('ix_checkins_event_admitted')
    op.drop_table('checkins')
    with op.batch_alter_table('card_revocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_revocations_platform_id'))
    op.drop_table('card_revocations')
    op.drop_table('card_holders')
    op.drop_table('ecard_keys')
    with op.batch_alter_table('event_eligibility', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_eligibility_event_id'))
    op.drop_table('event_eligibility')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('admissions_per_member')
        batch_op.drop_column('capacity')
        batch_op.drop_column('entry_end')
        batch_op.drop_column('entry_start')
