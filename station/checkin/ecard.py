"""The e-card code (电子会员卡二维码): a compact token signed by the platform.

A station checks it offline: the signature (Ed25519) proves the platform
issued it, the key id says which of the platform's keys to check it with
(see station.checkin.trust_store), and the fields say who it is for and until when.
The layout is documented for the platform and the hub in docs/ecard.md;
this module is its one implementation.

The QR carries digits only.  Numeric mode packs a byte into 8.03 bits, as
dense as QR's byte mode, and digits survive what letters do not: a USB
scanner typing into a Chinese input method, a keyboard layout other than
US, a full-width input mode (full-width digits are folded back here).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from station.security.masking import mask_name

FORMAT_BYTE = 0xE1  # first byte of every format-1 token; never 0, so the decimal form keeps its length
SIGN_CONTEXT = b"YGH-ECARD-1\x00"  # signed before the payload: no other message of ours verifies as a card
SIGNATURE_LEN = 64
KID_LEN = 4
MAX_UNION_BYTES = 60  # 20 Chinese characters: keeps the QR at version 10 or lower with ECC level M
MAX_NAME_CHARS = 4
MAX_DIGITS = 400  # a format-1 token has at most 160 bytes (386 digits); longer input is refused unread
QR_EC_LEVEL = "M"  # 15 % of the symbol can be lost (a scratched screen, a glare spot)

STATUS_ACTIVE, STATUS_LOST, STATUS_CANCELLED = "active", "lost", "cancelled"
_STATUS_CODES = {STATUS_ACTIVE: 0, STATUS_LOST: 1, STATUS_CANCELLED: 2}
_STATUS_NAMES = {v: k for k, v in _STATUS_CODES.items()}

_DIGITS = re.compile(r"[0-9]+")
_FULLWIDTH_DIGITS = {0xFF10 + i: 0x30 + i for i in range(10)}


class EcardFormatError(ValueError):
    """The text is not a format-1 e-card token (damaged, truncated, another app's code)."""


@dataclass(frozen=True)
class Card:
    """What a token says.  ``signed`` is the payload the signature covers."""

    kid: str  # 8 hex digits
    member: int  # the platform's member id
    status: str  # active | lost | cancelled
    issued_at: dt.datetime  # naive UTC, whole seconds
    expires_at: dt.datetime  # naive UTC
    union: str
    masked_name: str
    signed: bytes
    signature: bytes

    @property
    def valid_seconds(self) -> int:
        return int((self.expires_at - self.issued_at).total_seconds())


# -- keys ------------------------------------------------------------------------
def key_id(public: Ed25519PublicKey) -> str:
    """A key's id: the first 4 bytes of SHA-256 over its raw 32 bytes, in hex."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:KID_LEN].hex()


def public_raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_from_raw(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def generate_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM file; ValueError when it is anything else."""
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def load_public_key(data: bytes) -> Ed25519PublicKey:
    """A public key from PEM (public or private: the public half is taken) or 44-character base64 raw."""
    text = data.strip()
    if b"PRIVATE KEY" in text:
        private = serialization.load_pem_private_key(text, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 key")
        return private.public_key()
    if text.startswith(b"-----"):
        public = serialization.load_pem_public_key(text)
        if not isinstance(public, Ed25519PublicKey):
            raise ValueError("not an Ed25519 key")
        return public
    raw = base64.b64decode(text, validate=True)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


# -- encoding ----------------------------------------------------------------------
def _varint(n: int) -> bytes:
    if n < 0:
        raise ValueError("negative")
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _clip_utf8(text: str, limit: int) -> bytes:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return data
    return data[:limit].decode("utf-8", errors="ignore").encode("utf-8")


def short_masked_name(name: str) -> str:
    """The masked name a token carries: at most 4 characters (欧阳*娜, 阿*曼)."""
    masked = mask_name(name.strip())
    if len(masked) > MAX_NAME_CHARS:
        masked = masked[0] + "**" + masked[-1]
    return masked


def issue(
    key: Ed25519PrivateKey,
    *,
    member: int,
    union: str,
    name: str,
    status: str = STATUS_ACTIVE,
    issued_at: dt.datetime,
    valid_for: dt.timedelta,
) -> str:
    """The token text for one member (what the platform puts in the QR).

    ``name`` is masked here (张三 → 张*); ``union`` is cut to 60 UTF-8 bytes.
    ``issued_at`` is naive UTC.
    """
    if status not in _STATUS_CODES:
        raise ValueError(f"unknown card status {status!r}")
    seconds = int(valid_for.total_seconds())
    if seconds <= 0:
        raise ValueError("valid_for must be positive")
    issued = int(issued_at.replace(tzinfo=dt.timezone.utc).timestamp())
    union_b = _clip_utf8(union.strip(), MAX_UNION_BYTES)
    name_b = short_masked_name(name).encode("utf-8")
    payload = b"".join((
        bytes([FORMAT_BYTE]),
        bytes.fromhex(key_id(key.public_key())),
        _varint(member),
        bytes([_STATUS_CODES[status]]),
        issued.to_bytes(4, "big"),
        _varint(seconds),
        bytes([len(union_b)]), union_b,
        bytes([len(name_b)]), name_b,
    ))
    signature = key.sign(SIGN_CONTEXT + payload)
    return str(int.from_bytes(payload + signature, "big"))


# -- decoding ----------------------------------------------------------------------
class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise EcardFormatError("truncated")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def varint(self, max_bytes: int = 9) -> int:
        value = shift = 0
        for _ in range(max_bytes):
            byte = self.take(1)[0]
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7
        raise EcardFormatError("varint too long")

    def text(self) -> str:
        n = self.take(1)[0]
        try:
            return self.take(n).decode("utf-8")
        except UnicodeDecodeError:
            raise EcardFormatError("not UTF-8") from None


def token_bytes(text: str) -> bytes:
    """The bytes a token's digits stand for; EcardFormatError for anything else."""
    if not isinstance(text, str):
        raise EcardFormatError("not text")
    digits = text.strip().translate(_FULLWIDTH_DIGITS)
    if not digits or len(digits) > MAX_DIGITS or not _DIGITS.fullmatch(digits) or digits[0] == "0":
        raise EcardFormatError("not a format-1 token")
    number = int(digits)
    data = number.to_bytes((number.bit_length() + 7) // 8, "big")
    if data[0] != FORMAT_BYTE:
        raise EcardFormatError("unknown format")
    return data


def parse(text: str) -> Card:
    """Read a token's fields without checking its signature (see verify)."""
    data = token_bytes(text)
    if len(data) < 1 + KID_LEN + SIGNATURE_LEN + 8:
        raise EcardFormatError("too short")
    payload, signature = data[:-SIGNATURE_LEN], data[-SIGNATURE_LEN:]
    r = _Reader(payload)
    r.take(1)
    kid = r.take(KID_LEN).hex()
    member = r.varint()
    status = _STATUS_NAMES.get(r.take(1)[0])
    if status is None:
        raise EcardFormatError("unknown status")
    issued = int.from_bytes(r.take(4), "big")
    seconds = r.varint(5)
    union = r.text()
    name = r.text()
    if r.pos != len(payload):
        raise EcardFormatError("trailing bytes")
    issued_at = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=issued)
    try:
        expires_at = issued_at + dt.timedelta(seconds=seconds)
    except OverflowError:
        raise EcardFormatError("validity out of range") from None
    return Card(kid, member, status, issued_at, expires_at, union, name, payload, signature)


def signature_ok(card: Card, public: Ed25519PublicKey) -> bool:
    try:
        public.verify(card.signature, SIGN_CONTEXT + card.signed)
    except InvalidSignature:
        return False
    return True


def looks_complete(text: str) -> bool:
    """True when ``text`` parses as a whole token (signature unchecked).

    A keyboard-wedge scanner that sends no Enter ends a code by going quiet;
    this tells a complete e-card from a burst cut short.
    """
    try:
        parse(text)
    except EcardFormatError:
        return False
    return True


def qr_version(text: str) -> int:
    """The QR version this token needs at the station's error-correction level."""
    import zxingcpp

    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=QR_EC_LEVEL)
    modules = barcode.to_image(scale=1, add_quiet_zones=False).shape[0]
    return (modules - 17) // 4


def qr_image(text: str, scale: int = 8):
    """The token as a QR code: a greyscale numpy array with quiet zones."""
    import numpy as np
    import zxingcpp

    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=QR_EC_LEVEL)
    return np.array(barcode.to_image(scale=scale, add_quiet_zones=True))
