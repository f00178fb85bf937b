"""The platform keys a station trusts for e-card signatures, by key id.

Rotation: the platform signs with a new key from some day on and keeps the
old one valid until the last code it signed has expired.  Each key therefore
carries the period in which codes signed by it may have been issued
([valid_from, valid_until], either end open); a retired key (one that leaked)
accepts nothing.  A key id not in the store is "unknown": the station has not
synced since the platform rotated, which is not the member's fault (amber,
not red).  Sync adds keys later with source "sync"; keys can also be added
from a file (`station ecard trust add KEY.pub`).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from station.checkin import ecard
from station.errors import StationError
from station.store.clock import now_utc
from station.store.database import Store
from station.store.models import EcardKey


@dataclass(frozen=True)
class TrustedKey:
    kid: str
    public: Ed25519PublicKey
    label: str
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    retired_at: dt.datetime | None
    source: str

    def covers(self, issued_at: dt.datetime) -> bool:
        """May a code issued at ``issued_at`` (naive UTC) be signed by this key?"""
        if self.retired_at is not None:
            return False
        if self.valid_from is not None and issued_at < self.valid_from:
            return False
        return self.valid_until is None or issued_at <= self.valid_until

    def as_json(self) -> dict:
        def iso(v: dt.datetime | None) -> str | None:
            return v.isoformat(timespec="seconds") + "Z" if v else None

        return {"kid": self.kid, "label": self.label, "valid_from": iso(self.valid_from),
                "valid_until": iso(self.valid_until), "retired_at": iso(self.retired_at), "source": self.source}


def _trusted(row: EcardKey) -> TrustedKey:
    return TrustedKey(row.kid, ecard.public_from_raw(bytes.fromhex(row.public_key)), row.label, row.valid_from,
                      row.valid_until, row.retired_at, row.source)


class TrustStore:
    """The trusted keys of one store, read once and kept in memory (a check must not wait on a query)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._keys: dict[str, TrustedKey] | None = None

    def reload(self) -> None:
        with self.store.session() as s:
            keys = {row.kid: _trusted(row) for row in s.scalars(select(EcardKey))}
        with self._lock:
            self._keys = keys

    def get(self, kid: str) -> TrustedKey | None:
        if self._keys is None:
            self.reload()
        assert self._keys is not None
        return self._keys.get(kid)

    def keys(self) -> list[TrustedKey]:
        self.reload()
        assert self._keys is not None
        return sorted(self._keys.values(), key=lambda k: (k.valid_from or dt.datetime.min, k.kid))

    def add(
        self,
        public: Ed25519PublicKey,
        *,
        label: str = "",
        valid_from: dt.datetime | None = None,
        valid_until: dt.datetime | None = None,
        source: str = "local",
    ) -> TrustedKey:
        """Trust ``public`` (again): an existing key id gets the new period and label."""
        kid = ecard.key_id(public)
        with self.store.session() as s:
            row = s.get(EcardKey, kid)
            if row is None:
                row = EcardKey(kid=kid, public_key=ecard.public_raw(public).hex(), added_at=now_utc())
                s.add(row)
            row.label = label[:100]
            row.valid_from = valid_from
            row.valid_until = valid_until
            row.retired_at = None
            row.source = source
            s.commit()
            key = _trusted(row)
        self.reload()
        return key

    def retire(self, kid: str, at: dt.datetime | None = None) -> None:
        """Stop trusting a key altogether (it leaked): every code it signed is refused."""
        with self.store.session() as s:
            row = s.get(EcardKey, kid)
            if row is None:
                raise StationError("ecard_key_unknown", kid=kid)
            row.retired_at = at or now_utc()
            s.commit()
        self.reload()

    def end_validity(self, kid: str, until: dt.datetime) -> None:
        """Rotation: codes this key signs after ``until`` are not accepted."""
        with self.store.session() as s:
            row = s.get(EcardKey, kid)
            if row is None:
                raise StationError("ecard_key_unknown", kid=kid)
            row.valid_until = until
            s.commit()
        self.reload()
