"""Personal data at rest: reading the encrypted fields, unmasking on purpose, converting old stores.

ID numbers and mobiles are stored only as AES-GCM ciphertexts with keyed
blind indexes (station/security/fieldcrypt.py, docs/security.md).  Everything that
needs one of them in clear asks here, with the logged-in operator's
session: there is no global key, and a locked station holds none.

A store made before encryption (schema < 0006) still has plaintext in the
``legacy_*`` columns; migrations have no key, so the first organizer
log-in calls ``encrypt_existing``, which converts it in chunks, NULLs the
plaintext, vacuums the file (secure_delete is on) and deletes the backups
that still hold plaintext.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import func, select, text, update

from station.errors import StationError
from station.people import idnumber, mobile
from station.security import audit
from station.security.fieldcrypt import FieldCipher
from station.security.operators import OperatorSession
from station.store.database import Store
from station.store.models import Member, Registration

log = logging.getLogger(__name__)

CHUNK = 10_000
UNMASK_KINDS = ("member", "registration")
MIN_REASON = 2

Progress = Callable[[int, int], None]


# -- reading one record's fields ---------------------------------------------------------


def member_id_number(cipher: FieldCipher, m: Member) -> str:
    """The member's ID number in clear (FieldTampered if the row was altered)."""
    if m.id_enc is None or m.id_bidx is None:
        raise StationError("field_corrupt", table="members", column="id_number")
    return cipher.decrypt("members", "id_number", m.id_enc, m.id_bidx)


def member_phone(cipher: FieldCipher, m: Member) -> str | None:
    if m.phone_enc is None or m.id_bidx is None:
        return None
    return cipher.decrypt("members", "phone", m.phone_enc, m.id_bidx)


def registration_phone(cipher: FieldCipher, r: Registration) -> str | None:
    """The mobile a sign-up gave; None once the retention purge removed it."""
    if r.phone_enc is None:
        return None
    return cipher.decrypt("registrations", "phone", r.phone_enc, r.uuid)


def member_fields(cipher: FieldCipher, id_number: str, phone: str | None) -> dict:
    """The encrypted columns of a new or updated member (no exact phone index on members)."""
    cols = cipher.member_columns(id_number, phone)
    cols.pop("phone_bidx")
    return cols


def registration_fields(cipher: FieldCipher, reg_uuid: str, phone: str) -> dict:
    exact, tail = cipher.phone_indexes(phone)
    return {
        "phone_enc": cipher.encrypt("registrations", "phone", phone, reg_uuid),
        "phone_bidx": exact,
        "phone_tail_bidx": tail,
    }


# -- unmasking ---------------------------------------------------------------------------


def unmask(store: Store, operator: OperatorSession, *, kind: str, target: str | int, reason: str) -> None:
    """Record that an organizer looked at one record in clear, and why; raise unless allowed.

    kind "member" (target: the member's row id) or "registration" (its
    uuid).  Call it before showing the clear value: the audit entry is
    committed first, so nothing is ever seen unrecorded.
    """
    operator.require("unmask")
    if kind not in UNMASK_KINDS:
        raise KeyError(kind)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise StationError("unmask_reason_required")
    audit.append(store, "unmask", operator=operator.name, target=f"{kind}:{target}",
                 details={"reason": reason}, cipher=operator.cipher)


# -- converting a store made before encryption ---------------------------------------------


def needs_encryption(store: Store) -> bool:
    """Whether plaintext from before schema 0006 is still waiting to be encrypted."""
    with store.session() as s:
        members = s.scalar(select(Member.id).where(Member.legacy_id_number.is_not(None)).limit(1))
        regs = s.scalar(select(Registration.id).where(Registration.legacy_phone.is_not(None)).limit(1))
    return members is not None or regs is not None


def encrypt_existing(store: Store, operator: OperatorSession, progress: Progress | None = None) -> dict:
    """Encrypt every legacy plaintext ID and mobile, then scrub the file and its old backups.

    Organizer only (it rewrites the whole roster).  Chunks of 10,000 rows,
    each its own transaction: an interruption leaves some rows converted
    and the rest still legacy, and running it again finishes the job.
    """
    operator.require("import")
    cipher = operator.cipher
    with store.session() as s:
        total_m = s.scalar(select(func.count(Member.id)).where(Member.legacy_id_number.is_not(None))) or 0
        total_r = s.scalar(select(func.count(Registration.id)).where(Registration.legacy_phone.is_not(None))) or 0
    total = total_m + total_r
    done = 0
    while True:
        with store.session() as s:
            rows = s.execute(
                select(Member.id, Member.legacy_id_number, Member.legacy_phone)
                .where(Member.legacy_id_number.is_not(None)).order_by(Member.id).limit(CHUNK)
            ).all()
            if not rows:
                break
            values = []
            for mid, number, phone in rows:
                if number is None:  # the query selects only rows that have one
                    continue
                cols = member_fields(cipher, idnumber.normalize(number), mobile.normalize(phone) if phone else None)
                values.append({"b_id": mid, **cols})
            _update_members(s, values)
            s.commit()
        done += len(rows)
        if progress:
            progress(done, total)
    while True:
        with store.session() as s:
            regs = s.execute(
                select(Registration.id, Registration.uuid, Registration.legacy_phone)
                .where(Registration.legacy_phone.is_not(None)).order_by(Registration.id).limit(CHUNK)
            ).all()
            if not regs:
                break
            for rid, ruuid, phone in regs:
                if phone is None:  # the query selects only rows that have one
                    continue
                s.execute(update(Registration).where(Registration.id == rid).values(
                    legacy_phone=None, legacy_phone_tail=None,
                    **registration_fields(cipher, ruuid, mobile.normalize(phone)),
                ))
            s.commit()
        done += len(regs)
        if progress:
            progress(done, total)
    removed = scrub(store)
    audit.append(store, "encrypt_existing", operator=operator.name,
                 details={"members": total_m, "registrations": total_r, "backups_deleted": removed},
                 cipher=cipher)
    log.info("encrypted %d members and %d registrations; deleted %d old backups", total_m, total_r, removed)
    return {"members": total_m, "registrations": total_r, "backups_deleted": removed}


def _update_members(s, values: list[dict]) -> None:
    s.connection().execute(
        text(
            "UPDATE members SET id_enc=:id_enc, id_bidx=:id_bidx, id_tail_bidx=:id_tail_bidx, "
            "phone_enc=:phone_enc, phone_tail_bidx=:phone_tail_bidx, "
            "id_number=NULL, phone=NULL, id_tail=NULL, phone_tail=NULL WHERE id=:b_id"
        ),
        values,
    )


def scrub(store: Store) -> int:
    """Rewrite the file so no freed page keeps old plaintext, and delete backups made before.

    VACUUM rebuilds the database from its live rows; the WAL is then
    checkpointed and truncated.  Returns how many backups were deleted.
    """
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    removed = 0
    for path in sorted(store.paths.backups.glob("*")):
        if path.is_file():
            path.unlink()
            removed += 1
    return removed
