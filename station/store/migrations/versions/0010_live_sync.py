"""live sync: the other stations' check-ins and sign-ups of one event, and the event host's link

Issue 15.  Stations of one event sync continuously with an event host on the
local network; what the others did is kept apart from this station's own
records (station/store/peers.py):

* ``peer_checkins``: another door's check-ins, for 已入场 and the hall's capacity;
* ``peer_registrations``: another booth's sign-ups (blind index and masked name
  only), for 已登记;
* ``event_link``: the enrollment at the event host, its certificate pinned.

New tables only: nothing of an existing store is rewritten.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'peer_checkins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('station_uuid', sa.String(length=36), nullable=False),
        sa.Column('station_name', sa.String(length=100), nullable=False),
        sa.Column('operator', sa.String(length=100), nullable=False),
        sa.Column('verdict', sa.String(length=10), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=True),
        sa.Column('admitted', sa.Boolean(), nullable=False),
        sa.Column('platform_id', sa.Integer(), nullable=True),
        sa.Column('code_sha', sa.String(length=16), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('uuid'),
    )
    op.create_index('ix_peer_checkins_event_platform', 'peer_checkins', ['event_id', 'platform_id', 'admitted'])
    op.create_index('ix_peer_checkins_event_admitted', 'peer_checkins', ['event_id', 'admitted'])
    op.create_table(
        'peer_registrations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('event_uuid', sa.String(length=36), nullable=False),
        sa.Column('station_uuid', sa.String(length=36), nullable=False),
        sa.Column('station_name', sa.String(length=100), nullable=False),
        sa.Column('id_bidx', sa.LargeBinary(), nullable=False),
        sa.Column('masked_name', sa.String(length=20), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('uuid'),
    )
    op.create_index('ix_peer_registrations_id_bidx', 'peer_registrations', ['id_bidx'])
    op.create_table(
        'event_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('host_url', sa.String(length=500), nullable=False),
        sa.Column('host_station_name', sa.String(length=100), nullable=False),
        sa.Column('credential_enc', sa.LargeBinary(), nullable=False),
        sa.Column('pin_sha256', sa.String(length=64), nullable=False),
        sa.Column('cert_pem', sa.Text(), nullable=False),
        sa.Column('joined_at', sa.DateTime(), nullable=False),
        sa.Column('joined_by', sa.String(length=50), nullable=True),
        sa.Column('last_success_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('event_link')
    op.drop_index('ix_peer_registrations_id_bidx', table_name='peer_registrations')
    op.drop_table('peer_registrations')
    op.drop_index('ix_peer_checkins_event_admitted', table_name='peer_checkins')
    op.drop_index('ix_peer_checkins_event_platform', table_name='peer_checkins')
    op.drop_table('peer_checkins')
