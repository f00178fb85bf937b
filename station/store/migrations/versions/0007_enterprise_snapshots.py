"""enterprise snapshots: per-enterprise daily counts for the reports' change since last week

New table only (issue 8, station/reports/planner.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('enterprise_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('imported', sa.Integer(), nullable=False),
    sa.Column('signed_up', sa.Integer(), nullable=False),
    sa.Column('verified', sa.Integer(), nullable=False),
    sa.Column('unknown', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('enterprise_snapshots', schema=None) as batch_op:
        batch_op.create_index('ix_enterprise_snapshots_day_enterprise', ['day', 'enterprise_id'], unique=True)


def downgrade() -> None:
    op.drop_table('enterprise_snapshots')
