"""poster register: every QR poster made, for attributing sign-ups to where it hung

New table only (issue 5, docs/posters.md).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('posters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('union_id', sa.Integer(), nullable=True),
    sa.Column('template', sa.String(length=20), nullable=False),
    sa.Column('campaign', sa.String(length=20), nullable=False),
    sa.Column('placement', sa.String(length=20), nullable=False),
    sa.Column('hang_date', sa.Date(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('file_path', sa.String(length=1000), nullable=False),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.Column('batch_uuid', sa.String(length=36), nullable=True),
    sa.Column('module_um', sa.Integer(), nullable=False),
    sa.Column('station_uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], ),
    sa.ForeignKeyConstraint(['union_id'], ['unions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('posters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posters_batch_uuid'), ['batch_uuid'], unique=False)
        batch_op.create_index(batch_op.f('ix_posters_campaign'), ['campaign'], unique=False)
        batch_op.create_index(batch_op.f('ix_posters_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_posters_enterprise_id'), ['enterprise_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('posters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posters_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_posters_created_at'))
        batch_op.drop_index(batch_op.f('ix_posters_campaign'))
        batch_op.drop_index(batch_op.f('ix_posters_batch_uuid'))

    op.drop_table('posters')
