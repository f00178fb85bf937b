"""The offline sync bundle's file format (format 1) and the receipt's MAC, shared by the station and the hub.

docs/sync-protocol.md ("The offline bundle") is the format.  This module is
the part both sides need and nothing else: the desktop app writes bundles and
checks receipts with it, and it is shipped without the reference hub
(build.spec leaves ``station.hub`` out), so it depends on no hub code.
station/hub/bundle.py opens bundles and writes receipts with the same
constants and functions.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import hmac
import json
import re
import struct
import uuid as uuidlib
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"YGHSYNC1"
SIGN_CONTEXT = b"YGH-BUNDLE-1\x00"
FORMAT = 1
PROTOCOL = 1
SUFFIX = ".yghsync"
RECEIPT_SUFFIX = ".receipt.json"
ORDER = ("events", "registrations", "checkins", "draws", "posters", "audit")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def iso_utc(value: dt.datetime) -> str:
    """A naive-UTC or aware datetime as ISO 8601 text with a Z, as the hub writes timestamps."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds" if value.microsecond else "seconds") + "Z"


def derive_key(shared: bytes, bundle_uuid: str, station_uuid: str) -> bytes:
    """The AES-256-GCM key: HKDF-SHA256 of the X25519 secret, salted with the bundle uuid's 16 bytes."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=uuidlib.UUID(bundle_uuid).bytes,
                info=b"ygh-bundle/v1" + station_uuid.encode()).derive(shared)


def part_counts(parts: dict[str, Any]) -> dict[str, int]:
    """Records per part, for the header (counts only: the header is not encrypted)."""
    return {k: (len(v.get("records", v.get("entries", []))) if k != "draws"
                else len(v.get("draws", [])) + len(v.get("winners", []))) for k, v in parts.items()}


def write_bundle(*, station_uuid: str, signing_key: Ed25519PrivateKey, hub_key: str, parts: dict[str, Any],
                 bundle_uuid: str | None = None, created_at: dt.datetime | None = None) -> bytes:
    """The bundle's bytes.  ``parts``: kind -> the body its push would have (any number of records)."""
    unknown = set(parts) - set(ORDER)
    if unknown:
        raise ValueError(f"unknown parts: {sorted(unknown)}")
    bundle_uuid = bundle_uuid or str(uuidlib.uuid4())
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(base64.b64decode(hub_key)))
    nonce = AESGCM.generate_key(bit_length=128)[:12]
    header = json.dumps({
        "format": FORMAT, "protocol": PROTOCOL, "bundle_uuid": bundle_uuid, "station_uuid": station_uuid,
        "created_at": iso_utc(created_at or dt.datetime.now(dt.timezone.utc)), "hub_key": hub_key,
        "ephemeral": b64(ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)),
        "nonce": b64(nonce), "counts": part_counts(parts),
    }, ensure_ascii=False, sort_keys=True).encode()
    front = MAGIC + struct.pack(">I", len(header)) + header
    body = gzip.compress(json.dumps({"protocol": PROTOCOL, **parts}, ensure_ascii=False).encode(), mtime=0)
    ciphertext = AESGCM(derive_key(shared, bundle_uuid, station_uuid)).encrypt(nonce, body, front)
    signature = signing_key.sign(SIGN_CONTEXT + front + ciphertext)
    return front + ciphertext + signature


def credential_hash(credential: str) -> str:
    """SHA-256 (hex) of a station credential: what the hub keeps, and the receipt MAC's key."""
    return hashlib.sha256(credential.encode()).hexdigest()


def receipt_mac(receipt: dict, credential_sha256: str) -> str:
    """HMAC-SHA256 over the receipt without its mac, keyed with the SHA-256 of the station's credential."""
    body = json.dumps({k: v for k, v in receipt.items() if k != "mac"}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()
    return hmac.new(bytes.fromhex(credential_sha256), body, hashlib.sha256).hexdigest()


def receipt_mac_ok(receipt: dict, credential_sha256: str) -> bool:
    mac = receipt.get("mac")
    return isinstance(mac, str) and hmac.compare_digest(mac, receipt_mac(receipt, credential_sha256))


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def bundle_file_name(day: dt.date, station_name: str, bundle_uuid: str) -> str:
    """``YYYYMMDD-<station name>-<bundle uuid>.yghsync``, the name made safe for FAT32/NTFS USB sticks."""
    name = _UNSAFE.sub("_", station_name).strip(" .") or "station"
    return f"{day:%Y%m%d}-{name[:60]}-{bundle_uuid}{SUFFIX}"
