"""sync: the pending queue (synced_at), the hub enrollment, pull cursors, runs, refusals, flags

Issue 7 (docs/sync-protocol.md).  Rows that exist before this revision have
never reached a hub, so they start pending (synced_at NULL).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

QUEUED = ('events', 'checkins', 'draws', 'draw_winners', 'posters')


def upgrade() -> None:
    for table in QUEUED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('synced_at', sa.DateTime(), nullable=True))
            batch_op.create_index(f'ix_{table}_synced_at', ['synced_at'], unique=False)

    op.create_table('sync_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hub_url', sa.String(length=500), nullable=False),
    sa.Column('hub_station_name', sa.String(length=100), nullable=False),
    sa.Column('credential_enc', sa.LargeBinary(), nullable=False),
    sa.Column('hub_bundle_key', sa.String(length=64), nullable=False),
    sa.Column('bundle_key_enc', sa.LargeBinary(), nullable=False),
    sa.Column('bundle_key_public', sa.String(length=64), nullable=False),
    sa.Column('ca_file', sa.String(length=1000), nullable=True),
    sa.Column('enrolled_at', sa.DateTime(), nullable=False),
    sa.Column('enrolled_by', sa.String(length=50), nullable=True),
    sa.Column('audit_synced_seq', sa.Integer(), nullable=False),
    sa.Column('last_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('last_success_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('sync_cursors',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('cursor', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('kind')
    )
    op.create_table('sync_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('operator', sa.String(length=50), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('bundle_uuid', sa.String(length=36), nullable=True),
    sa.Column('report', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uuid')
    )
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.create_index('ix_sync_runs_started_at', ['started_at'], unique=False)
    op.create_table('sync_refusals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('record_uuid', sa.String(length=36), nullable=False),
    sa.Column('error', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('first_at', sa.DateTime(), nullable=False),
    sa.Column('last_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sync_refusals', schema=None) as batch_op:
        batch_op.create_index('ix_sync_refusals_kind_record', ['kind', 'record_uuid'], unique=True)
    op.create_table('sync_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hub_seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('event_uuid', sa.String(length=36), nullable=True),
    sa.Column('subject', sa.String(length=100), nullable=False),
    sa.Column('stations', sa.Text(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('pulled_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sync_flags', schema=None) as batch_op:
        batch_op.create_index('ix_sync_flags_identity', ['kind', 'event_uuid', 'subject'], unique=True)


def downgrade() -> None:
    op.drop_table('sync_flags')
    op.drop_table('sync_refusals')
    op.drop_table('sync_runs')
    op.drop_table('sync_cursors')
    op.drop_table('sync_link')
    for table in QUEUED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_synced_at')
            batch_op.drop_column('synced_at')
