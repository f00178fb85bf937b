"""The hub's e-card signing keys and issuing e-card codes, with station/checkin/ecard.py.

The reference hub keeps each private key (PEM) in its own database so that
one file or one PostgreSQL database is the whole hub.  A production
platform would keep it in an HSM or a KMS and sign there; the public half
is all that stations ever receive (the ``keys`` pull).
"""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from station.checkin import ecard
from station.hub.db import next_seqs
from station.hub.models import Member, SigningKey, Union
from station.hub.service import HubError, iso, now_utc


def new_key(s: Session, *, label: str = "", valid_from: dt.datetime | None = None,
            valid_until: dt.datetime | None = None) -> SigningKey:
    """Make an Ed25519 signing key; it is pulled by stations from the next sync on."""
    key = ecard.generate_key()
    row = SigningKey(kid=ecard.key_id(key.public_key()), public_key=ecard.public_raw(key.public_key()).hex(),
                     private_pem=ecard.private_pem(key).decode(), label=label[:100], valid_from=valid_from,
                     valid_until=valid_until, seq=next_seqs(s))
    s.add(row)
    s.flush()
    return row


def key_json(k: SigningKey) -> dict:
    return {"kid": k.kid, "label": k.label, "valid_from": iso(k.valid_from), "valid_until": iso(k.valid_until),
            "retired_at": iso(k.retired_at), "created_at": iso(k.created_at)}


def list_keys(s: Session) -> list[SigningKey]:
    return list(s.scalars(select(SigningKey).order_by(SigningKey.created_at, SigningKey.kid)))


def _get(s: Session, kid: str) -> SigningKey:
    row = s.get(SigningKey, kid.strip().lower())
    if row is None:
        raise HubError(404, "unknown_key", f"No signing key {kid}.")
    return row


def retire_key(s: Session, kid: str) -> SigningKey:
    """A leaked key: stations refuse every code it signed once they pull this."""
    row = _get(s, kid)
    row.retired_at = now_utc()
    row.seq = next_seqs(s)
    return row


def end_key(s: Session, kid: str, until: dt.datetime) -> SigningKey:
    """Rotation: codes this key signs after ``until`` are refused."""
    row = _get(s, kid)
    row.valid_until = until
    row.seq = next_seqs(s)
    return row


def export_public(s: Session, kid: str) -> bytes:
    row = _get(s, kid)
    return ecard.public_pem(ecard.public_from_raw(bytes.fromhex(row.public_key)))


def signing_key(s: Session, kid: str | None, at: dt.datetime) -> SigningKey:
    """The named key, or the newest one that may sign at ``at``."""
    if kid:
        row = _get(s, kid)
    else:
        rows = [k for k in list_keys(s) if k.retired_at is None and (k.valid_from is None or k.valid_from <= at)
                and (k.valid_until is None or at <= k.valid_until)]
        if not rows:
            raise HubError(404, "no_signing_key", "No signing key may sign now: make one with `station hub keys new`.")
        row = rows[-1]
    if row.retired_at is not None:
        raise HubError(409, "key_retired", f"Key {row.kid} is retired.")
    return row


def issue_card(s: Session, *, id_number: str | None = None, platform_id: int | None = None,
               valid_for: dt.timedelta = dt.timedelta(hours=12), kid: str | None = None,
               at: dt.datetime | None = None) -> tuple[str, Member, SigningKey]:
    """An e-card code for one member, signed by the hub's key (station/checkin/ecard.py format 1)."""
    if id_number:
        member = s.scalars(select(Member).where(Member.id_number == id_number)).first()
    elif platform_id:
        member = s.get(Member, platform_id)
    else:
        raise ValueError("id_number or platform_id")
    if member is None:
        raise HubError(404, "unknown_member", "No such member on the hub.")
    at = (at or now_utc()).replace(microsecond=0)
    row = signing_key(s, kid, at)
    key = serialization.load_pem_private_key(row.private_pem.encode(), password=None)
    assert isinstance(key, Ed25519PrivateKey), "make_key stores Ed25519 keys only"
    union = s.get_one(Union, member.union_id).name if member.union_id else ""
    token = ecard.issue(key, member=member.id, union=union, name=member.name, status=member.card_status,
                        issued_at=at, valid_for=valid_for)
    return token, member, row
