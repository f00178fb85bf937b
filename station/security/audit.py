"""The audit trail: an append-only, hash-chained log of sensitive actions.

Every entry hashes the one before it (SHA-256 over a canonical encoding
that includes ``prev_hash``; station/security/audit_chain.py, shared with the hub), so editing, deleting, inserting or reordering
any entry breaks the chain at a place ``verify`` names by sequence number.

A chain alone cannot see its own tail cut off, so the head (last seq and
hash) is kept twice in ``settings``:

* ``audit.head`` — updated with every entry in the same transaction;
  catches a tail deleted by someone who did not also edit settings.
* ``audit.anchor`` — the head with an HMAC under a subkey of the data key,
  written whenever an operator is logged in (every login writes one).
  Without the data key nobody can move it, so rewriting or cutting the
  chain up to the anchor is caught.  Entries written with nobody logged in
  (failed logins) are only chained until the next login anchors them.

What this cannot catch locally — a whole old copy of the database put
back — the hub can: the log travels with the sync and the hub keeps the
highest anchor it has seen (docs/security.md).

Details are JSON and must hold no personal data: append() refuses values
that look like an ID number or a mobile number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.errors import StationError
from station.i18n import t
from station.security.audit_chain import chain_hash, genesis_hash
from station.security.fieldcrypt import FieldCipher
from station.store.clock import now_utc
from station.store.database import Store
from station.store.models import AuditEntry, Setting

HEAD_KEY = "audit.head"
ANCHOR_KEY = "audit.anchor"
# 17 digits then a digit or X (an ID number), or a Chinese mobile, not part of a longer number.
_PERSONAL = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|1[3-9][0-9]{9})(?![0-9])")
# A whole SHA-256 hex digest or canonical UUID is an identifier, not text: its digit runs
# (e.g. "a13812345678b" inside a digest) are chance, and refusing them would fail ~2% of draws.
_IDENTIFIER = re.compile(r"[0-9a-f]{64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def entry_hash(e: AuditEntry, seq: int | None = None) -> str:
    return chain_hash(e.seq if seq is None else seq, e.at, e.station_uuid, e.operator, e.action, e.target, e.details,
                      e.prev_hash)


def _check_no_personal_data(field: str, value: object) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _check_no_personal_data(f"{field}.{k}", v)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _check_no_personal_data(f"{field}[{i}]", v)
    elif isinstance(value, str) and _IDENTIFIER.fullmatch(value):
        return
    elif isinstance(value, (str, int)) and _PERSONAL.search(str(value)):
        raise StationError("audit_personal_data", field=field)


def _anchor_mac(cipher: FieldCipher, seq: int, digest: str) -> str:
    return hmac.new(cipher.subkey("audit-anchor"), f"{seq}:{digest}".encode(), hashlib.sha256).hexdigest()


def _put(s: Session, key: str, value: str) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value


def append(
    store: Store,
    action: str,
    *,
    operator: str | None = None,
    target: str | None = None,
    details: dict | None = None,
    cipher: FieldCipher | None = None,
    db: Session | None = None,
    clock: Callable[[], dt.datetime] = now_utc,
) -> AuditEntry:
    """Append one entry and move the head (and, given the data key, the anchor).

    db: an open ORM session to write in without committing, so the entry
    lands in the same transaction as the action it records.  Otherwise the
    entry is committed here.  Raises StationError audit_personal_data if
    target or details hold something that looks like an ID or mobile.
    """
    details = details or {}
    _check_no_personal_data("target", target or "")
    _check_no_personal_data("details", details)
    detail_text = json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    station = store.identity.uuid

    def add(s: Session) -> AuditEntry:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
        seq = (last.seq + 1) if last else 1
        prev = last.hash if last else genesis_hash(station)
        entry = AuditEntry(
            seq=seq, at=clock().isoformat(timespec="microseconds"), station_uuid=station, operator=operator,
            action=action, target=target, details=detail_text, prev_hash=prev, hash="",
        )
        entry.hash = entry_hash(entry)
        s.add(entry)
        _put(s, HEAD_KEY, json.dumps({"seq": seq, "hash": entry.hash}))
        if cipher is not None:
            _put(s, ANCHOR_KEY, json.dumps({"seq": seq, "hash": entry.hash, "mac": _anchor_mac(cipher, seq, entry.hash)}))
        s.flush()
        return entry

    if db is not None:
        return add(db)
    # Its own unit of work (Store.write): the write lock before the last seq is read, so no other
    # process takes the same seq; a busy store is waited for, not an error.
    return store.write(add)


# The message key of each kind of problem: one constant each, never a key built at run time.
PROBLEM_KEYS: dict[str, str] = {
    "edited": "audit_edited", "missing": "audit_missing", "inserted": "audit_inserted",
    "reordered": "audit_reordered", "broken_link": "audit_broken_link", "truncated": "audit_truncated",
    "head_mismatch": "audit_head_mismatch", "anchor_bad": "audit_anchor_bad",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the log, at entry `seq`: a message key and its parameters."""

    seq: int
    kind: str  # edited | missing | inserted | reordered | broken_link | truncated | head_mismatch | anchor_bad
    params: dict

    def message(self, lang: str | None = None) -> str:
        return t(PROBLEM_KEYS[self.kind], lang, **self.params)

    def as_json(self) -> dict:
        return {"seq": self.seq, "kind": self.kind, "message": self.message()}


# How far an entry may have moved and still be recognised as moved rather than edited.
_MOVE_WINDOW = 64


def _original_seq(e: AuditEntry) -> int | None:
    """The seq under which the entry's stored hash verifies (its own when untouched), or None if edited."""
    if entry_hash(e) == e.hash:
        return e.seq
    for cand in range(max(1, e.seq - _MOVE_WINDOW), e.seq + _MOVE_WINDOW + 1):
        if cand != e.seq and entry_hash(e, cand) == e.hash:
            return cand
    return None


def stored_anchor(store: Store) -> str | None:
    """The keyed anchor as stored, to check with ``verify(..., anchor=)`` after a log-in has moved it."""
    with store.session() as s:
        row = s.get(Setting, ANCHOR_KEY)
        return row.value if row is not None else None


def verify(store: Store, cipher: FieldCipher | None = None, *, anchor: str | None = None) -> list[Problem]:
    """Every problem found, in log order; an empty list means the log is intact.

    Each entry's hash covers its seq, so a row that was moved still verifies
    under the seq it was written with: that tells a reorder, an insertion
    and a deletion apart from an edit.  With the data key (`cipher`) the
    keyed anchor is checked too; without it (the CLI before login) only the
    chain and the plain head are.  anchor: the anchor read before logging in
    (``stored_anchor``), since the log-in's own entry re-anchors the log as it
    then is — a cut or rewritten tail would no longer show.
    """
    with store.session() as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        head_row = s.get(Setting, HEAD_KEY)
        anchor_row = s.get(Setting, ANCHOR_KEY)
    anchor_value = anchor if anchor is not None else (anchor_row.value if anchor_row is not None else None)
    problems = _chain_problems(rows, store.identity.uuid)
    last_seq = rows[-1].seq if rows else 0
    if head_row is not None:
        problems += _head_problems(head_row.value, last_seq)
    if cipher is not None and anchor_value is not None:
        problems += _anchor_problems(cipher, anchor_value, rows, last_seq,
                                     truncated=any(p.kind == "truncated" for p in problems))
    return sorted(problems, key=lambda p: p.seq)


def _chain_problems(rows: list[AuditEntry], station: str) -> list[Problem]:
    """The chain rebuilt in log order: edited, inserted, reordered, missing and unlinked entries."""
    problems: list[Problem] = []
    origin = {e.seq: _original_seq(e) for e in rows}
    originals = [o for o in origin.values() if o is not None]
    linked = {e.prev_hash for e in rows}
    hash_of = {0: genesis_hash(station)}  # original seq -> hash, as the chain is rebuilt
    prev_orig, prev_flagged = 0, False
    for i, e in enumerate(rows):
        o = origin[e.seq]
        if o is not None and o == prev_orig and i > 0 and origin[rows[i - 1].seq] == o:
            # Two rows claim one place: the one nothing links to was slipped in.
            is_last = i == len(rows) - 1
            inserted = e if (e.hash not in linked and not is_last) else rows[i - 1]
            problems.append(Problem(inserted.seq, "inserted", {"seq": inserted.seq}))
            hash_of[o] = rows[i - 1].hash if inserted is e else e.hash
            prev_orig, prev_flagged = o, True
            continue
        problem, o = _entry_problem(e, o, prev_orig, prev_flagged, originals, hash_of)
        if problem is not None:
            problems.append(problem)
        hash_of[o] = e.hash
        prev_orig, prev_flagged = max(prev_orig, o), problem is not None
    return problems


def _entry_problem(e: AuditEntry, o: int | None, prev_orig: int, prev_flagged: bool, originals: list[int],
                   hash_of: dict[int, str]) -> tuple[Problem | None, int]:
    """What is wrong with one entry against the one before it (or None), and the place it takes in the chain.

    o: the seq the entry's hash verifies under (None: edited); prev_orig: the place the chain has reached.
    """
    if o is None:
        return Problem(e.seq, "edited", {"seq": e.seq}), prev_orig + 1
    if o <= prev_orig or (o > prev_orig + 1 and any(prev_orig < x < o for x in originals)):
        return Problem(e.seq, "reordered", {"seq": e.seq, "original": o}), o
    if o > prev_orig + 1:
        return Problem(e.seq, "missing", {"first": prev_orig + 1, "last": o - 1}), o
    if e.prev_hash != hash_of.get(o - 1) and not prev_flagged:
        return Problem(e.seq, "broken_link", {"seq": e.seq}), o
    return None, o


def _head_problems(head_value: str, last_seq: int) -> list[Problem]:
    """The plain head names an entry past the last one: the tail was cut off."""
    head = json.loads(head_value)
    if head["seq"] > last_seq:
        return [Problem(last_seq + 1, "truncated", {"head": head["seq"], "last": last_seq})]
    return []


def _anchor_problems(cipher: FieldCipher, anchor_value: str, rows: list[AuditEntry], last_seq: int, *,
                     truncated: bool) -> list[Problem]:
    """The keyed anchor: its MAC, then that the entry it names is there with the hash it names.

    truncated: the head already showed a cut tail (then an anchor past the end adds nothing).
    """
    a = json.loads(anchor_value)
    if not hmac.compare_digest(str(a.get("mac", "")), _anchor_mac(cipher, a["seq"], a["hash"])):
        return [Problem(int(a.get("seq", 0)), "anchor_bad", {})]
    if a["seq"] > last_seq:
        if truncated:
            return []
        return [Problem(last_seq + 1, "truncated", {"head": a["seq"], "last": last_seq})]
    at = next((e for e in rows if e.seq == a["seq"]), None)
    if at is None or at.hash != a["hash"]:
        return [Problem(a["seq"], "head_mismatch", {"seq": a["seq"]})]
    return []


def count(store: Store) -> int:
    with store.session() as s:
        return s.scalar(select(func.count(AuditEntry.seq))) or 0


def entries(store: Store, limit: int | None = 50) -> list[AuditEntry]:
    """The newest entries first."""
    q = select(AuditEntry).order_by(AuditEntry.seq.desc())
    if limit:
        q = q.limit(limit)
    with store.session() as s:
        return list(s.scalars(q))


def entry_json(e: AuditEntry) -> dict:
    return {
        "seq": e.seq, "at": e.at, "station": e.station_uuid, "operator": e.operator, "action": e.action,
        "target": e.target, "details": json.loads(e.details or "{}"), "hash": e.hash,
    }
