"""entry and exit: doors that let people out and back in (出场再入场)

Issue 15, item 4.  An event may allow leaving and coming back
(``events.reentry``); each check-in says which way it went
(``checkins.direction``, ``peer_checkins.direction``: ``in`` or ``out``), so
a door can count who is inside now (场内人数) beside who was admitted.

Existing rows are entries (``in``) and their events allow no re-entry, as
before: nothing of an existing store changes meaning.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events') as batch:
        batch.add_column(sa.Column('reentry', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('checkins') as batch:
        batch.add_column(sa.Column('direction', sa.String(length=3), nullable=False, server_default='in'))
    with op.batch_alter_table('peer_checkins') as batch:
        batch.add_column(sa.Column('direction', sa.String(length=3), nullable=False, server_default='in'))


def downgrade() -> None:
    with op.batch_alter_table('peer_checkins') as batch:
        batch.drop_column('direction')
    with op.batch_alter_table('checkins') as batch:
        batch.drop_column('direction')
    with op.batch_alter_table('events') as batch:
        batch.drop_column('reentry')
