"""The offline bundle (format 1): the pending batch as one file, signed by the station, encrypted to the hub.

docs/sync-protocol.md is the format.  ``write_bundle`` and ``receipt_mac``
live in station/sync/bundle_format.py (the desktop app, which ships without the
hub, writes bundles and checks receipts with them); ``import_bundle`` is the hub's side: check the signature with
the key the station registered at enrollment, decrypt with the hub's X25519
key, apply each part with the same functions (and so the same checks and
idempotency) as the HTTP pushes, and answer with a receipt the station can
authenticate.  Importing a bundle twice changes nothing.
"""

from __future__ import annotations

import base64
import json
import struct
import uuid as uuidlib
import zlib
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from station.hub import audit_push, pushes, service
from station.hub import schemas as S
from station.hub.db import HubDb
from station.hub.models import Setting, Station
from station.hub.service import HubError
from station.sync.bundle_format import FORMAT, MAGIC, ORDER, SIGN_CONTEXT, derive_key, receipt_mac

MAX_HEADER = 64 * 1024
MAX_BODY = 64 * 1024 * 1024  # uncompressed
MAX_RECORDS = 200_000
_BATCHES: dict[str, type[S.Model]] = {"events": S.EventBatch, "registrations": S.RegistrationBatch,
                                       "checkins": S.CheckInBatch, "posters": S.PosterBatch}
_PUSH: dict[str, Callable[[Session, Station, Any], dict]] = {
    "events": pushes.push_events, "registrations": pushes.push_registrations, "checkins": pushes.push_checkins,
    "posters": pushes.push_posters, "draws": pushes.push_draws, "audit": audit_push.push_audit,
}
_key = derive_key


class BundleError(Exception):
    """The file is not a bundle this hub can open: a stable code and an English reason."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


def _split(data: bytes) -> tuple[bytes, dict, bytes, bytes]:
    if len(data) < len(MAGIC) + 4 + 64 or not data.startswith(MAGIC):
        raise BundleError("bundle_not_bundle", "This is not a sync bundle (format 1).")
    (length,) = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])
    if length > MAX_HEADER or len(MAGIC) + 4 + length + 64 + 16 > len(data):
        raise BundleError("bundle_damaged", "The bundle is cut short or damaged.")
    front = data[:len(MAGIC) + 4 + length]
    try:
        header = json.loads(front[len(MAGIC) + 4:])
        assert isinstance(header, dict) and header.get("format") == FORMAT
        uuidlib.UUID(header["bundle_uuid"]), uuidlib.UUID(header["station_uuid"])
    except (ValueError, AssertionError, KeyError, TypeError):
        raise BundleError("bundle_damaged", "The bundle's header is damaged.") from None
    return front, header, data[len(front):-64], data[-64:]


def open_bundle(db: HubDb, data: bytes) -> tuple[dict, dict, Station]:
    """(header, body, station) of a bundle whose signature and encryption check."""
    front, header, ciphertext, signature = _split(data)
    with db.session() as s:
        station = s.scalars(select(Station).where(Station.uuid == header["station_uuid"])).first()
        private = s.get_one(Setting, "bundle.private").value
        public = s.get_one(Setting, "bundle.public").value
    if station is None:
        raise BundleError("bundle_unknown_station", "The bundle comes from a station this hub has not enrolled.")
    if station.revoked_at is not None:
        raise BundleError("bundle_station_revoked", "The bundle's station has been revoked.")
    if not station.bundle_signing_key:
        raise BundleError("bundle_no_key", "The station registered no bundle-signing key at enrollment.")
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(station.bundle_signing_key)).verify(
            signature, SIGN_CONTEXT + front + ciphertext)
    except (InvalidSignature, ValueError):
        raise BundleError("bundle_bad_signature", "The bundle's signature does not check: altered, or not from "
                                                  "that station.") from None
    if header.get("hub_key") != public:
        raise BundleError("bundle_other_hub", "The bundle was encrypted for another hub.")
    try:
        shared = X25519PrivateKey.from_private_bytes(base64.b64decode(private)).exchange(
            X25519PublicKey.from_public_bytes(base64.b64decode(header["ephemeral"])))
        packed = AESGCM(_key(shared, header["bundle_uuid"], header["station_uuid"])).decrypt(
            base64.b64decode(header["nonce"]), ciphertext, front)
        inflater = zlib.decompressobj(wbits=31)
        raw = inflater.decompress(packed, MAX_BODY + 1)
        if len(raw) > MAX_BODY or inflater.unconsumed_tail:
            raise BundleError("bundle_too_large", f"The bundle holds more than {MAX_BODY} bytes.")
        body = json.loads(raw)
    except (InvalidTag, ValueError, KeyError, TypeError, RecursionError, zlib.error):
        raise BundleError("bundle_damaged", "The bundle does not decrypt: damaged or altered.") from None
    if not isinstance(body, dict) or body.get("protocol") != S.PROTOCOL or set(body) - {"protocol", *ORDER}:
        raise BundleError("bundle_damaged", "The bundle's content is not protocol 1.")
    return header, body, station


class _PartError(Exception):
    pass


def _list(part: Any, key: str) -> list:
    value = part.get(key, []) if isinstance(part, dict) else None
    if not isinstance(value, list):
        raise _PartError(f"the part's {key!r} is not a list")
    return value


def _seq(entry: Any) -> int:
    seq = entry.get("seq") if isinstance(entry, dict) else None
    return seq if isinstance(seq, int) else 0


def _chunks(kind: str, part: Any) -> list:
    """The part as validated push bodies of at most MAX_BATCH records each."""
    n = S.MAX_BATCH
    if kind in _BATCHES:
        records = _list(part, "records")
        return [_BATCHES[kind].model_validate({"records": records[i:i + n]}) for i in range(0, len(records), n)]
    if kind == "draws":
        draws, winners = _list(part, "draws"), _list(part, "winners")
        return ([S.DrawBatch.model_validate({"draws": draws[i:i + n]}) for i in range(0, len(draws), n)]
                + [S.DrawBatch.model_validate({"winners": winners[i:i + n]}) for i in range(0, len(winners), n)])
    entries = sorted(_list(part, "entries"), key=_seq)
    pages = [entries[i:i + n] for i in range(0, len(entries), n)]
    return [S.AuditBatch.model_validate({"entries": page, "anchor": part.get("anchor") if i == len(pages) - 1 else None})
            for i, page in enumerate(pages)]


def import_bundle(db: HubDb, data: bytes) -> dict:
    """Apply a bundle, part by part, batch by batch (one transaction each); return the receipt."""
    header, body, station = open_bundle(db, data)
    total = sum(len(v[key]) for k, v in body.items() if k != "protocol" and isinstance(v, dict)
                for key in ("records", "entries", "draws", "winners") if isinstance(v.get(key), list))
    if total > MAX_RECORDS:
        raise BundleError("bundle_too_large", f"The bundle holds more than {MAX_RECORDS} records.")
    replies: dict[str, dict] = {}
    for kind in ORDER:
        if kind not in body:
            continue
        merged: dict[str, Any] = {"ok": True, "kind": kind, "received": 0, "accepted": [], "updated": [],
                                  "unchanged": [], "notices": [], "refused": []}
        try:
            chunks = _chunks(kind, body[kind])
        except (ValidationError, _PartError) as exc:
            from station.hub.app import _clean_errors

            merged["ok"] = False
            merged["refused"].append({"error": "invalid_request", "reason": "The part does not match the protocol.",
                                      "records": _clean_errors(exc.errors()) if isinstance(exc, ValidationError)
                                      else [{"field": kind, "reason": str(exc)}]})
            replies[kind] = merged
            continue
        for chunk in chunks:
            with db.session() as s:
                st = s.get_one(Station, station.id)
                try:
                    reply = _PUSH[kind](s, st, chunk)
                    st.last_push_at = service.now_utc()
                    s.commit()
                except HubError as exc:
                    s.rollback()
                    merged["ok"] = False
                    merged["refused"].append({k: v for k, v in exc.body().items() if k not in ("ok", "protocol")})
                    continue
            if kind == "audit":
                merged["received"] += reply["received"]
                merged["accepted"].append(reply["accepted"])
                merged["unchanged"].append(reply["unchanged"])
                merged["head"], merged["anchor"] = reply["head"], reply["anchor"]
                continue
            merged["received"] += reply["received"]
            for key in ("accepted", "updated", "unchanged", "notices"):
                merged[key] += reply[key]
        if kind == "audit":
            merged["accepted"], merged["unchanged"] = sum(merged["accepted"]), sum(merged["unchanged"])
        replies[kind] = merged
    receipt = {"format": FORMAT, "protocol": S.PROTOCOL, "bundle_uuid": header["bundle_uuid"],
               "station_uuid": station.uuid, "imported_at": service.iso(service.now_utc()), "replies": replies}
    receipt["mac"] = receipt_mac(receipt, station.credential_hash)
    return receipt
