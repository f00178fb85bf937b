"""Per-field encryption of personal data, and blind indexes to find it.

ID numbers and mobiles are stored as AES-GCM ciphertexts under the
station's random 32-byte data key (see station.security.keyslots for how that key is
kept).  A look-up never decrypts the table: it compares keyed blind indexes
(HMAC-SHA256 of the normalised value under a subkey of the data key), which
are deterministic, so SQLite can index them, and useless without the key.

Ciphertext format (version 1), one BLOB per field::

    0x01 | nonce (12 random bytes) | AES-256-GCM ciphertext | tag (16)

An 18-character ID number becomes 47 bytes, an 11-digit mobile 40.  The
associated data binds each ciphertext to its table and column (and
optionally to a row key such as a registration's UUID): a ciphertext copied
into another column or row fails its tag instead of showing the wrong
person's data.

Blind index sizes (the collision trade-off, see docs/security.md):
exact ID and exact phone keep 16 bytes (128 bits): the ID index is the
members' UNIQUE key, and a collision would silently merge two people; at
1.4 million rows the chance is about 3e-27.  Tails keep 8 bytes: 11,000
possible ID tails or 10,000 phone tails collide with chance ~3e-12, and a
tail search decrypts its candidates anyway, so a collision could only add
a row that the caller filters out.  Tails are cut short on purpose no
further: the index only ever reveals "these rows share a tail", which the
masked screens show already.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import partial
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from station.errors import StationError

VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
_HEADER = bytes([VERSION])
_OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES

# kind -> bytes kept of the HMAC (see the module docstring for why).
INDEX_KINDS: dict[str, int] = {"id": 16, "phone": 16, "id_tail": 8, "phone_tail": 8}
# The roster digest (members.roster_digest, station/roster/rows.py) is no
# index but a keyed digest of what the roster says about a person: equal
# digests let a re-import skip an unchanged row.  Keyed BLAKE2b, one C call
# a row (a third of an HMAC's cost), under a subkey of its own.
DIGEST_BYTES = 16


class FieldTampered(StationError):
    """A ciphertext whose tag does not verify: changed, moved, or foreign."""


def _subkey(data_key: bytes, purpose: str) -> bytes:
    # One HKDF label per purpose: the AES key, each blind index and the
    # audit anchor never share key material.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"ygh-station/v1/" + purpose.encode()).derive(
        data_key
    )


class _Hmac:
    """HMAC-SHA256 with the key's inner and outer pads hashed once.

    Copying two prepared hash states costs 0.65 µs a call against 1.6 µs
    for hmac.digest(); a million-row import makes four per row.
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        block = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def __call__(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


def _aad(table: str, column: str, bind: str | bytes) -> bytes:
    if isinstance(bind, str):
        bind = bind.encode()
    return b"%c%s\x1f%s\x1f%s" % (VERSION, table.encode(), column.encode(), bind)


class FieldCipher:
    """Encrypts fields and computes blind indexes under one data key.

    Cheap to make (a few HKDF calls) and safe to send to a worker process
    as ``FieldCipher(cipher.data_key)``: the import workers encrypt their
    own rows.
    """

    def __init__(self, data_key: bytes) -> None:
        if not isinstance(data_key, (bytes, bytearray)) or len(data_key) != KEY_BYTES:
            raise StationError("bad_data_key")
        self._key = bytes(data_key)
        self._aes = AESGCM(_subkey(self._key, "field-aes-gcm"))
        self._macs = {kind: _Hmac(_subkey(self._key, "blind-index/" + kind)) for kind in INDEX_KINDS}
        self._check = _subkey(self._key, "key-check")[:16]
        self._digest_key = _subkey(self._key, "roster-digest/blake2b")

    @classmethod
    def generate(cls) -> FieldCipher:
        """A cipher over a new random data key (first run only)."""
        return cls(os.urandom(KEY_BYTES))

    @property
    def data_key(self) -> bytes:
        """The raw data key: for wrapping into key slots and for import workers only."""
        return self._key

    @property
    def key_check(self) -> bytes:
        """16 bytes that identify the key without revealing it (stored in settings)."""
        return self._check

    def subkey(self, purpose: str) -> bytes:
        """A key for another module's own use (the audit anchor), separate from the field keys."""
        return _subkey(self._key, "ext/" + purpose)

    # -- fields ---------------------------------------------------------------------
    def encrypt(self, table: str, column: str, value: str, bind: str | bytes = b"") -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return _HEADER + nonce + self._aes.encrypt(nonce, value.encode(), _aad(table, column, bind))

    def encrypt_many(
        self, table: str, column: str, values: Sequence[str | None], binds: Sequence[str | bytes] | None = None
    ) -> list[bytes | None]:
        """Encrypt a batch (None stays None); one urandom call for all the nonces.

        The same bytes as encrypt() per value, made faster for the import's
        million rows: the associated data is the fixed prefix plus the bind.
        """
        nonces = os.urandom(NONCE_BYTES * len(values))
        enc = self._aes.encrypt
        prefix = _aad(table, column, b"")
        out: list[bytes | None] = []
        add = out.append
        starts = range(0, len(values) * NONCE_BYTES, NONCE_BYTES)
        if binds is None:
            for i, value in zip(starts, values, strict=False):  # as long as values, by construction
                if value is None:
                    add(None)
                    continue
                nonce = nonces[i : i + NONCE_BYTES]
                add(_HEADER + nonce + enc(nonce, value.encode(), prefix))
        else:
            raw: Sequence[Any] = binds  # the class test below is the hot loop's narrowing, not isinstance
            for i, value, bind in zip(starts, values, raw, strict=False):
                if value is None:
                    add(None)
                    continue
                nonce = nonces[i : i + NONCE_BYTES]
                if bind.__class__ is str:
                    bind = bind.encode()
                add(_HEADER + nonce + enc(nonce, value.encode(), prefix + bind))
        return out

    def decrypt(self, table: str, column: str, blob: bytes, bind: str | bytes = b"") -> str:
        """The plaintext; FieldTampered if the tag fails, StationError field_corrupt if malformed."""
        if not isinstance(blob, (bytes, bytearray)) or len(blob) < _OVERHEAD or blob[0] != VERSION:
            raise StationError("field_corrupt", table=table, column=column)
        nonce = bytes(blob[1 : 1 + NONCE_BYTES])
        try:
            plain = self._aes.decrypt(nonce, bytes(blob[1 + NONCE_BYTES :]), _aad(table, column, bind))
        except InvalidTag:
            raise FieldTampered("field_tampered", table=table, column=column) from None
        try:
            return plain.decode()
        except UnicodeDecodeError:  # pragma: no cover - only if someone encrypted bytes that were not text
            raise StationError("field_corrupt", table=table, column=column) from None

    # -- blind indexes --------------------------------------------------------------
    def blind_index(self, kind: str, value: str) -> bytes:
        """Keyed, deterministic index of a normalised value.

        kind: "id" (18-char normalised ID), "phone" (11 digits), "id_tail"
        or "phone_tail" (the last 4 characters).  Pass values normalised by
        station.people.idnumber / station.people.mobile: "44190019800101123x" and
        "...123X" are different inputs here.
        """
        return self._macs[kind](value.encode())[: INDEX_KINDS[kind]]

    def blind_indexes(self, kind: str, values: Sequence[str | None]) -> list[bytes | None]:
        mac, size = self._macs[kind], INDEX_KINDS[kind]
        return [None if v is None else mac(v.encode())[:size] for v in values]

    def digests(self, texts: Sequence[str]) -> list[bytes]:
        """Keyed BLAKE2b digests (DIGEST_BYTES) of texts: equal texts, equal digests; nothing without the key."""
        blake = partial(hashlib.blake2b, key=self._digest_key, digest_size=DIGEST_BYTES)
        return [blake(text.encode()).digest() for text in texts]

    def id_indexes(self, id_number: str) -> tuple[bytes, bytes]:
        """(exact, tail) blind indexes of a normalised ID number."""
        return self.blind_index("id", id_number), self.blind_index("id_tail", id_number[-4:])

    def phone_indexes(self, phone: str) -> tuple[bytes, bytes]:
        """(exact, tail) blind indexes of an 11-digit mobile."""
        return self.blind_index("phone", phone), self.blind_index("phone_tail", phone[-4:])

    def member_columns(self, id_number: str, phone: str | None) -> dict[str, bytes | None]:
        """The six stored columns of one member, as the wiring plan names them.

        The phone's ciphertext is bound to the member's ID index, so a phone
        copied onto another member fails to decrypt.
        """
        id_bidx, id_tail = self.id_indexes(id_number)
        out: dict[str, bytes | None] = {
            "id_enc": self.encrypt("members", "id_number", id_number, id_bidx),
            "id_bidx": id_bidx,
            "id_tail_bidx": id_tail,
            "phone_enc": None,
            "phone_bidx": None,
            "phone_tail_bidx": None,
        }
        if phone:
            out["phone_enc"] = self.encrypt("members", "phone", phone, id_bidx)
            out["phone_bidx"], out["phone_tail_bidx"] = self.phone_indexes(phone)
        return out
