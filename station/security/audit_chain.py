"""The audit chain's pure rules: the canonical encoding an entry's hash covers and the genesis hash.

Shared by the station's log (station/security/audit.py) and the hub, which re-checks a pushed log
(station/hub/audit_push.py) without the station's store.
"""

from __future__ import annotations

import hashlib
import json

DOMAIN = b"ygh-audit/v1\n"


def genesis_hash(station_uuid: str) -> str:
    """The prev_hash of entry 1: a chain cannot be grafted onto another station."""
    return hashlib.sha256(DOMAIN + b"genesis " + station_uuid.encode()).hexdigest()


def canonical(seq: int, at: str, station_uuid: str, operator: str | None, action: str, target: str | None,
              details: str, prev_hash: str) -> bytes:
    """The bytes an entry's hash covers: JSON with fixed separators, details re-dumped sorted."""
    body = [seq, at, station_uuid, operator, action, target, json.loads(details or "{}"), prev_hash]
    return DOMAIN + json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def chain_hash(seq: int, at: str, station_uuid: str, operator: str | None, action: str, target: str | None,
               details: str, prev_hash: str) -> str:
    """SHA-256 (hex) of the canonical encoding: the hash an entry stores."""
    return hashlib.sha256(canonical(seq, at, station_uuid, operator, action, target, details, prev_hash)).hexdigest()
