"""Retention: personal data of synced sign-ups is kept N days, then purged; the counts stay.

PIPL asks a device to keep personal information no longer than its purpose
needs.  Once the hub has accepted a sign-up (``synced_at``) the platform
holds it; the station keeps it ``retention.days`` more days (default 30,
organizer-only: station.security.settings.RETENTION_DAYS) for corrections, then:
- the registration loses its mobile (ciphertext and indexes) and its name
  becomes the masked form (张*三), so lists and draws still read sensibly;
- a member who exists only because of such sign-ups (not on the roster,
  no sign-up still inside the period) loses the ID and mobile ciphertexts
  and their blind indexes, and the name is masked likewise;
- roster members stay: the roster is the union's, re-imported as a whole;
- backups older than the period are deleted;
- one ``purge`` audit entry records the counts.
Event, enterprise and outcome columns are untouched, so the day and
enterprise reports count exactly as before.  secure_delete (station.store.database)
zeroes the freed bytes.  It runs at start-up and after each sync, and by
hand (``station purge``).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import aliased

from station.security import audit, settings
from station.security.masking import mask_name
from station.security.operators import OperatorSession
from station.store.clock import now_utc
from station.store.database import Store, list_backups
from station.store.models import Member, Registration

log = logging.getLogger(__name__)

def purge(store: Store, operator: OperatorSession | None = None, *, days: int | None = None,
          clock=now_utc) -> dict:
    """Purge what is past retention; returns the counts (all zero when nothing was due).

    Needs no key (it only deletes); given an operator it requires "purge"
    and anchors the audit entry.  Nothing is audited when nothing was due.
    """
    if operator is not None:
        operator.require("purge")
    keep = days if days is not None else settings.get_int(store, settings.RETENTION_DAYS)
    now = clock()
    cutoff = now - dt.timedelta(days=keep)
    due = and_(Registration.synced_at.is_not(None), Registration.synced_at < cutoff, Registration.purged_at.is_(None))
    with store.session() as s:
        regs = s.execute(select(Registration.id, Registration.name, Registration.member_id).where(due)).all()
        member_ids = {mid for _, _, mid in regs}
        for rid, name, _ in regs:
            s.execute(update(Registration).where(Registration.id == rid).values(
                name=mask_name(name), phone_enc=None, phone_bidx=None, phone_tail_bidx=None,
                legacy_phone=None, legacy_phone_tail=None, purged_at=now,
            ))
        s.flush()
        # Members made by sign-ups only, with no sign-up left that still holds personal data.
        other = aliased(Registration)
        still_held = exists().where(other.member_id == Member.id, other.purged_at.is_(None))
        members = s.execute(
            select(Member.id, Member.name).where(
                Member.id.in_(member_ids), Member.on_roster.is_(False), ~still_held,
                Member.id_enc.is_not(None),
            )
        ).all() if member_ids else []
        for mid, name in members:
            s.execute(update(Member).where(Member.id == mid).values(
                name=mask_name(name), initials="", id_enc=None, id_bidx=None, id_tail_bidx=None,
                phone_enc=None, phone_tail_bidx=None,
            ))
        local_cutoff = dt.datetime.now() - dt.timedelta(days=keep)  # backup times are local (file mtimes)
        backups = [b for b in list_backups(store.paths) if b.taken_at < local_cutoff]
        counts = {"registrations": len(regs), "members": len(members), "backups": len(backups), "days": keep}
        if regs or members or backups:
            audit.append(store, "purge", operator=operator.name if operator else None, details=counts,
                         cipher=operator.cipher if operator else None, db=s)
        s.commit()
    for b in backups:
        b.path.unlink(missing_ok=True)
    if regs or members or backups:
        log.info("retention purge: %s", counts)
    return counts
