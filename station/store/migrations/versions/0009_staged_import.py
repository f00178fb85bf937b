"""staged roster import: the row digest that lets a re-import skip unchanged people, and the publish marker

Issue 14.  A roster import now checks and encrypts the whole file into a
side database first, without touching the store, and then publishes it
into ``members`` in short transactions (station/roster/publish.py):

* ``members.roster_digest``: a keyed digest of what the roster says about a
  person (name, mobile, enterprise, union).  A re-import leaves a person
  whose digest is unchanged alone instead of rewriting their row and its
  six index entries.
* ``import_batches.staging_file`` / ``heartbeat_at``: a roster batch being
  published names its side database and shows it is alive, so a batch
  left behind by a crash or power cut can be finished from that file.

* ``ix_members_union_id`` is dropped: no look-up finds members by union
  (a member's union is read through the member), and every import paid for
  it: a random insert per row, or a sort of the whole table.

Plain ADD COLUMN (no batch copy): a 1.4-million-row members table gets its
column at once.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('members', sa.Column('roster_digest', sa.LargeBinary(), nullable=True))
    op.add_column('import_batches', sa.Column('staging_file', sa.String(length=1000), nullable=True))
    op.add_column('import_batches', sa.Column('heartbeat_at', sa.DateTime(), nullable=True))
    op.drop_index('ix_members_union_id', table_name='members')


def downgrade() -> None:
    op.create_index('ix_members_union_id', 'members', ['union_id'], unique=False)
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('staging_file')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('roster_digest')
