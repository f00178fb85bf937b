"""Key slots: the data key wrapped once per secret, as LUKS does.

Every operator's PIN or passphrase, and the recovery key printed at set-up,
opens its own slot; each slot holds the same data key wrapped by a key
(KEK) derived from that secret with scrypt.  Adding an operator adds a
slot; removing one deletes it; nobody's secret is ever stored.

Opening a slot tells apart four failures, each with its own message and
never a wrong key:

* the slot is malformed or its checksum fails (disk damage) → slot_corrupt;
* the slot was made on another station (copied database) → slot_other_station;
* the secret is wrong (the KEK's verifier differs) → SlotWrongSecret;
* the secret is right but the wrapped key fails its tag (someone altered
  the slot, or moved it to another operator) → slot_tampered.

The verifier (an HKDF output of the KEK) costs an attacker nothing: the
wrapped key already lets them test a guess; the cost of each guess is the
scrypt run, which is the point.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from station.errors import StationError
from station.security.fieldcrypt import KEY_BYTES, NONCE_BYTES
from station.store.models import KeySlot

SLOT_VERSION = 1
SALT_BYTES = 16
KIND_OPERATOR = "operator"
KIND_RECOVERY = "recovery"


@dataclass(frozen=True)
class KdfParams:
    """scrypt cost: memory is 128·n·r bytes, time grows with n·r·p."""

    n: int
    r: int
    p: int

    @property
    def memory_mb(self) -> float:
        return 128 * self.n * self.r / 2**20


# Measured on the 2-core reference machine: n=2**17, r=8 → 0.40 s and 128 MiB
# (2**16 → 0.20 s).  A promoter unlocks a few times a shift, so 0.4 s is
# acceptable; an attacker pays 128 MiB per guess, which keeps GPUs slow.
# Raise it later by re-wrapping slots (params are stored per slot).
DEFAULT_KDF = KdfParams(n=2**17, r=8, p=1)
# Bounds a stored slot must respect: a slot asking for 64 GiB is damage
# (or an attack on the machine's memory), not a reason to try.
_N_RANGE = (2**10, 2**22)
_R_RANGE = (1, 32)
_P_RANGE = (1, 16)


class SlotWrongSecret(StationError):
    """The secret does not open this slot (the KEK's verifier differs)."""

    def __init__(self) -> None:
        super().__init__("slot_wrong_secret")


def normalize_secret(secret: str) -> bytes:
    """NFKC (full-width digits from a Chinese IME become ASCII), outer spaces trimmed."""
    return unicodedata.normalize("NFKC", secret).strip().encode()


def derive_kek(secret: bytes, salt: bytes, params: KdfParams) -> tuple[bytes, bytes]:
    """(wrapping key, verifier) from a secret: one scrypt run, then HKDF to split it."""
    master = hashlib.scrypt(
        secret, salt=salt, n=params.n, r=params.r, p=params.p, dklen=32, maxmem=256 * params.n * params.r * params.p + 2**20
    )

    def split(label: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"ygh-keyslot/v1/" + label).derive(master)

    return split(b"wrap"), split(b"verify")[:16]


def _aad(station_uuid: str, kind: str, owner: str, params: KdfParams, salt: bytes) -> bytes:
    # The slot's identity and parameters are bound to the wrapped key: a
    # slot moved to another operator or station fails its tag.
    return b"|".join(
        [b"ygh-keyslot", str(SLOT_VERSION).encode(), station_uuid.encode(), kind.encode(), owner.encode(),
         b"%d,%d,%d" % (params.n, params.r, params.p), salt]
    )


def _checksum(slot: KeySlot) -> bytes:
    """An unkeyed checksum of the stored fields: tells disk damage from tampering."""
    h = hashlib.sha256()
    for part in (
        str(slot.version), slot.kind, slot.station_uuid, slot.kdf, str(slot.kdf_n), str(slot.kdf_r), str(slot.kdf_p),
    ):
        h.update(part.encode() + b"\x1f")
    for blob in (slot.salt, slot.verifier, slot.nonce, slot.wrapped):
        h.update(len(blob or b"").to_bytes(4, "big") + (blob or b""))
    return h.digest()[:8]


def make_slot(
    data_key: bytes,
    secret: str | bytes,
    *,
    station_uuid: str,
    kind: str,
    owner: str,
    operator_id: int | None = None,
    params: KdfParams | None = None,
) -> KeySlot:
    """A new (unsaved) slot wrapping `data_key` under `secret`.

    owner: the operator's UUID, or "recovery"; bound into the wrap.
    """
    params = params or DEFAULT_KDF
    salt = os.urandom(SALT_BYTES)
    raw = secret if isinstance(secret, bytes) else normalize_secret(secret)
    wrap_key, verifier = derive_kek(raw, salt, params)
    nonce = os.urandom(NONCE_BYTES)
    wrapped = AESGCM(wrap_key).encrypt(nonce, data_key, _aad(station_uuid, kind, owner, params, salt))
    slot = KeySlot(
        kind=kind, operator_id=operator_id, station_uuid=station_uuid, version=SLOT_VERSION, kdf="scrypt",
        kdf_n=params.n, kdf_r=params.r, kdf_p=params.p, salt=salt, verifier=verifier, nonce=nonce, wrapped=wrapped,
    )
    slot.checksum = _checksum(slot)
    return slot


def _well_formed(slot: KeySlot) -> bool:
    try:
        return (
            slot.version == SLOT_VERSION
            and slot.kdf == "scrypt"
            and _N_RANGE[0] <= slot.kdf_n <= _N_RANGE[1]
            and slot.kdf_n & (slot.kdf_n - 1) == 0
            and _R_RANGE[0] <= slot.kdf_r <= _R_RANGE[1]
            and _P_RANGE[0] <= slot.kdf_p <= _P_RANGE[1]
            and len(slot.salt) == SALT_BYTES
            and len(slot.verifier) == 16
            and len(slot.nonce) == NONCE_BYTES
            and len(slot.wrapped) == KEY_BYTES + 16
            and secrets.compare_digest(slot.checksum, _checksum(slot))
        )
    except TypeError:  # a NULL where bytes belong
        return False


def open_slot(slot: KeySlot, secret: str | bytes, *, station_uuid: str, owner: str, owner_label: str) -> bytes:
    """The data key in `slot`, or a StationError saying exactly why not.

    owner: as given to make_slot; owner_label: how the messages name the
    slot's owner (the operator's name, or "恢复密钥").
    """
    if not _well_formed(slot):
        raise StationError("slot_corrupt", owner=owner_label)
    if slot.station_uuid != station_uuid:
        raise StationError("slot_other_station", found=slot.station_uuid, expected=station_uuid)
    params = KdfParams(slot.kdf_n, slot.kdf_r, slot.kdf_p)
    raw = secret if isinstance(secret, bytes) else normalize_secret(secret)
    wrap_key, verifier = derive_kek(raw, slot.salt, params)
    if not secrets.compare_digest(verifier, slot.verifier):
        raise SlotWrongSecret()
    try:
        return AESGCM(wrap_key).decrypt(slot.nonce, slot.wrapped, _aad(station_uuid, slot.kind, owner, params, slot.salt))
    except InvalidTag:
        raise StationError("slot_tampered", owner=owner_label) from None


# -- the recovery key -----------------------------------------------------------------
# 48 digits in 8 groups of 6, as BitLocker does: digits survive any keyboard
# and any input method, and each group is a multiple of 11 below 720,896,
# so it carries 16 bits and catches every single wrong digit and every swap
# of two neighbours — before the slow KDF, and naming the group.
RECOVERY_GROUPS = 8


def new_recovery_key() -> str:
    """128 random bits as 8 dash-separated groups of 6 digits (to show once and print)."""
    return "-".join(f"{secrets.randbelow(2**16) * 11:06d}" for _ in range(RECOVERY_GROUPS))


def parse_recovery_key(text: str) -> bytes:
    """The 16 secret bytes of a typed recovery key; StationError naming the bad group."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())
    if len(digits) != 6 * RECOVERY_GROUPS:
        raise StationError("recovery_key_length", count=len(digits))
    out = bytearray()
    for i in range(RECOVERY_GROUPS):
        group = digits[6 * i : 6 * i + 6]
        value = int(group)
        if value % 11 or value // 11 >= 2**16:
            raise StationError("recovery_key_typo", group=i + 1, digits=group)
        out += (value // 11).to_bytes(2, "big")
    return bytes(out)


def format_recovery_key(secret: bytes) -> str:
    return "-".join(f"{int.from_bytes(secret[i:i + 2], 'big') * 11:06d}" for i in range(0, len(secret), 2))
