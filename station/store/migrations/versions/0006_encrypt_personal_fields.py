"""encrypt personal fields: ID numbers and mobiles as AES-GCM ciphertexts with blind indexes

Issue 4 (docs/security.md).  New columns hold the ciphertexts and the keyed
HMAC indexes that the look-ups use.  A migration has no key, so existing
plaintext stays in the old columns (now nullable, unindexed, no longer
unique) until the first organizer log-in runs station.security.protect, which
encrypts it in chunks, NULLs it and vacuums the file.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index('ix_members_id_tail')
        batch_op.drop_index('ix_members_phone_tail')
        batch_op.alter_column('id_number', existing_type=sa.String(length=18), nullable=True)
        batch_op.alter_column('id_tail', existing_type=sa.String(length=4), nullable=True)
        batch_op.add_column(sa.Column('id_enc', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('id_bidx', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('id_tail_bidx', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('phone_enc', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('phone_tail_bidx', sa.LargeBinary(), nullable=True))
        batch_op.create_index('ix_members_id_bidx', ['id_bidx'], unique=True)
        batch_op.create_index('ix_members_id_tail_bidx', ['id_tail_bidx'], unique=False)
        batch_op.create_index('ix_members_phone_tail_bidx', ['phone_tail_bidx'], unique=False)
    # The old unnamed UNIQUE(id_number) stays: NULLs never collide, and once
    # every station has run station.security.protect a later revision drops the column.

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_phone_tail')
        batch_op.alter_column('phone', existing_type=sa.String(length=11), nullable=True)
        batch_op.alter_column('phone_tail', existing_type=sa.String(length=4), nullable=True)
        batch_op.add_column(sa.Column('phone_enc', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('phone_bidx', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('phone_tail_bidx', sa.LargeBinary(), nullable=True))
        # Retention (station/security/retention.py): when the hub accepted the sign-up, and when its
        # personal data was purged after the retention period.
        batch_op.add_column(sa.Column('synced_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_registrations_synced_at', ['synced_at'], unique=False)
        batch_op.create_index('ix_registrations_phone_bidx', ['phone_bidx'], unique=False)
        batch_op.create_index('ix_registrations_phone_tail_bidx', ['phone_tail_bidx'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_phone_tail_bidx')
        batch_op.drop_index('ix_registrations_phone_bidx')
        batch_op.drop_index('ix_registrations_synced_at')
        batch_op.drop_column('purged_at')
        batch_op.drop_column('synced_at')
        batch_op.drop_column('phone_tail_bidx')
        batch_op.drop_column('phone_bidx')
        batch_op.drop_column('phone_enc')
        batch_op.create_index('ix_registrations_phone_tail', ['phone_tail'], unique=False)
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index('ix_members_phone_tail_bidx')
        batch_op.drop_index('ix_members_id_tail_bidx')
        batch_op.drop_index('ix_members_id_bidx')
        batch_op.drop_column('phone_tail_bidx')
        batch_op.drop_column('phone_enc')
        batch_op.drop_column('id_tail_bidx')
        batch_op.drop_column('id_bidx')
        batch_op.drop_column('id_enc')
        batch_op.create_index('ix_members_phone_tail', ['phone_tail'], unique=False)
        batch_op.create_index('ix_members_id_tail', ['id_tail'], unique=False)
