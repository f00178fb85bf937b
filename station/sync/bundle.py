"""The offline sync bundle, station side: export the pending batch to a file, import the hub's receipt.

Where there is no network at all (docs/sync-protocol.md, "The offline
bundle"), an organizer writes every pending record to one file on a USB
stick; the hub imports it (`station hub import-bundle`) and writes a receipt
to carry back.  Records stay pending until that receipt is imported here:
only what it lists as accepted, updated or unchanged leaves the queue, with
the same code as a network push's reply (station/sync/records.py).

The receipt is authenticated with an HMAC keyed with the SHA-256 of this
station's credential (only this station and the hub know it), so a forged or
altered receipt cannot make the station drop records it still needs.  A
record that changed after the export (a win voided since) is not marked:
its exported content's digest no longer matches, so the change travels with
the next sync.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import uuid as uuidlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from station.errors import StationError
from station.security import audit, retention
from station.security.fieldcrypt import FieldTampered
from station.security.operators import OperatorSession
from station.store.clock import local_today, now_utc
from station.store.database import Store
from station.store.models import SyncLink, SyncRun
from station.sync import bundle_format
from station.sync import client as sync_client
from station.sync import records as sync_records
from station.sync.report import SyncReport, items_text

MAX_RECORDS = 200_000  # what the hub imports from one bundle
MAX_RECEIPT = 64 * 1024 * 1024  # a receipt for 200,000 records is about 8 MB
_RECEIPT_NS = uuidlib.UUID("5d0c7a52-1f55-4b7e-9a55-0a9f1c2b7e31")  # SyncRun.uuid of a receipt: from its MAC
# The kinds of sync_records that the hub's "draws" part answers for.
_RECORD_KEYS = {"draws": ("draws", "winners"), "audit": ("entries",)}


@dataclass
class BundleResult:
    """What an export wrote: the file, its uuid, and how many records of each kind it carries."""

    path: Path
    bundle_uuid: str
    counts: dict[str, int]
    size: int
    report: SyncReport
    created_at: dt.datetime = field(default_factory=now_utc)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# -- helpers ---------------------------------------------------------------------------------


def _link(store: Store) -> SyncLink:
    row = sync_client.link(store)
    if row is None:
        raise StationError("sync_not_enrolled")
    return row


def _records(kind: str, body: dict) -> list:
    keys = _RECORD_KEYS.get(kind, ("records",))
    out: list = []
    for key in keys:
        value = body.get(key) or []
        out.extend(value)
    return out


def _digest(record: Any) -> str:
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _record_id(record: dict) -> str | None:
    if "uuid" in record:
        return str(record["uuid"])
    if "seq" in record:
        return str(record["seq"])
    return None


def _write_atomically(path: Path, data: bytes) -> None:
    """Temp file beside it, flushed to the stick, then renamed: a pulled stick never leaves half a bundle."""
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        try:  # the rename itself, on file systems that allow syncing a directory
            fd = os.open(path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StationError("sync_bundle_write_failed", path=str(path), reason=exc.strerror or str(exc)) from exc


def _credential(store: Store, operator: OperatorSession) -> str:
    try:
        return sync_client.credential(store, operator)
    except FieldTampered:
        raise StationError("sync_bundle_key_unreadable") from None


def _signing_key(store: Store, operator: OperatorSession):
    try:
        return sync_client.signing_key(store, operator)
    except (FieldTampered, ValueError):
        raise StationError("sync_bundle_key_unreadable") from None


# -- export -----------------------------------------------------------------------------------


def export_bundle(store: Store, operator: OperatorSession, out_dir: Path) -> BundleResult:
    """Write every pending record, in push order, to one signed, encrypted file in ``out_dir``.

    The file is complete on disk (flushed, renamed into place) before the
    export is recorded (a SyncRun "bundle" and an audit entry, counts only).
    Nothing leaves the queue: that is the receipt's job.
    """
    operator.require("sync")
    link = _link(store)
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise StationError("sync_bundle_no_folder", path=str(out_dir))
    key = _signing_key(store, operator)
    started = now_utc()
    parts: dict[str, dict] = {}
    counts: dict[str, int] = {}
    exported: dict[str, list[list[str | None]]] = {}  # kind -> [[id, digest], …] in body order
    for kind in sync_records.PUSH_ORDER:
        batch = sync_records.collect(store, operator, kind, limit=None)
        if not batch.uuids:
            continue
        parts[kind] = batch.body
        for part, ids in batch.parts.items():
            if ids:
                counts[part] = len(ids)
        exported[kind] = [[_record_id(r), _digest(r)] for r in _records(kind, batch.body)]
    total = sum(counts.values())
    if total == 0:
        raise StationError("sync_bundle_nothing")
    if total > MAX_RECORDS:
        raise StationError("sync_bundle_too_many", n=total, max=MAX_RECORDS)
    identity = store.identity
    bundle_uuid = str(uuidlib.uuid4())
    data = bundle_format.write_bundle(station_uuid=identity.uuid, signing_key=key, hub_key=link.hub_bundle_key,
                                      parts=parts, bundle_uuid=bundle_uuid, created_at=started)
    path = out_dir / bundle_format.bundle_file_name(local_today(), identity.name, bundle_uuid)
    _write_atomically(path, data)
    finished = now_utc()
    # Nothing was pushed yet (the receipt says what the hub took): the report holds no push counts.
    report = SyncReport(mode="bundle", started_at=started, finished_at=finished, outcome="ok", bundle_uuid=bundle_uuid)
    stored = json.loads(report.to_json())
    stored["counts"] = counts
    stored["exported"] = exported  # the receipt only marks records still as they were exported
    with store.session() as s:
        s.add(SyncRun(mode="bundle", operator=operator.name, started_at=started, finished_at=finished, outcome="ok",
                      bundle_uuid=bundle_uuid, report=json.dumps(stored, ensure_ascii=False)))
        audit.append(store, "sync_bundle_export", operator=operator.name, target=bundle_uuid,
                     details={"counts": counts, "bytes": len(data)}, cipher=operator.cipher, db=s)
        s.commit()
    return BundleResult(path=path, bundle_uuid=bundle_uuid, counts=counts, size=len(data), report=report,
                        created_at=finished)


# -- receipt ----------------------------------------------------------------------------------


def _read_receipt(path: Path) -> dict:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_RECEIPT:
            raise ValueError("too large")
        receipt = json.loads(path.read_bytes().decode("utf-8-sig"))
        if not (isinstance(receipt, dict) and receipt.get("format") == bundle_format.FORMAT
                and isinstance(receipt.get("replies"), dict) and isinstance(receipt.get("mac"), str)
                and isinstance(receipt.get("bundle_uuid"), str) and isinstance(receipt.get("station_uuid"), str)):
            raise ValueError("not a receipt")
        uuidlib.UUID(receipt["bundle_uuid"])
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        raise StationError("sync_receipt_unreadable", path=str(path)) from None
    return receipt


def _ids(values: Any) -> set[str]:
    return {str(v) for v in values} if isinstance(values, list) else set()


def _refusals(kind: str, reply: dict, order: list[str]) -> list[dict]:
    """{uuid, error, reason} of each record the hub refused in this part (kind: the push kind).

    A refusal names records by uuid or seq, or by a field path into its batch
    (``records.3.id_number``): the index is resolved against the exported
    order when the part went in one batch; otherwise the refusal is kept
    whole, without a record.
    """
    out: list[dict] = []
    for refusal in reply.get("refused") or ():
        if not isinstance(refusal, dict):
            continue
        error = str(refusal.get("error") or "refused")[:40]
        reason = str(refusal.get("reason") or "")[:500]
        named = False
        for rec in refusal.get("records") or ():
            if not isinstance(rec, dict):
                continue
            ident = rec.get("uuid")
            if ident is None and rec.get("seq") is not None:
                ident = str(rec["seq"])
            if ident is None and isinstance(rec.get("field"), str):
                ident = _at_path(kind, rec["field"], order)
            if ident is not None:
                named = True
                out.append({"kind": kind, "uuid": str(ident), "error": error,
                            "reason": str(rec.get("reason") or reason)[:500]})
        if not named:
            out.append({"kind": kind, "uuid": None, "error": error, "reason": reason})
    return out


def _at_path(kind: str, path: str, order: list[str]) -> str | None:
    head, _, rest = path.partition(".")
    index, _, _ = rest.partition(".")
    if not index.isdigit() or len(order) > sync_records.BATCH:
        return None
    if kind == "draws" and head in ("draws", "winners"):
        return None  # draws and winners go in separate batches; the order list mixes them
    i = int(index)
    return order[i] if i < len(order) else None


def _run_uuid(mac: str) -> str:
    return str(uuidlib.uuid5(_RECEIPT_NS, mac))


class ReceiptAlreadyImported(StationError):
    """The same receipt came in before: nothing was changed (``report`` is the first import's)."""

    def __init__(self, at: dt.datetime, report: SyncReport) -> None:
        local = at.replace(tzinfo=dt.timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")
        super().__init__("sync_receipt_again", at=local)
        self.report = report


def _part(current: sync_records.Batch, ident: str, kind: str) -> str:
    return sync_records.part_of(current, ident) if ident else kind


def import_receipt(store: Store, operator: OperatorSession, path: Path) -> SyncReport:
    """Check the hub's receipt for one of our bundles and take what it lists out of the queue.

    Refused records are filed (SyncRefusal) and stay pending.  A receipt
    that does not check (forged, damaged, another station's, a bundle we
    never wrote) raises StationError and changes nothing; the same receipt
    imported again raises ReceiptAlreadyImported and changes nothing.
    """
    operator.require("sync")
    _link(store)
    receipt = _checked_receipt(store, operator, path)
    bundle_uuid = receipt["bundle_uuid"]
    run_uuid = _run_uuid(receipt["mac"])
    exported_raw = _exported_by(store, run_uuid, bundle_uuid)
    report = SyncReport(mode="receipt", started_at=now_utc(), bundle_uuid=bundle_uuid)
    exported = {kind: {str(i): d for i, d in pairs} for kind, pairs in exported_raw.items()}
    orders = {kind: [str(i) for i, _d in pairs] for kind, pairs in exported_raw.items()}
    replies: dict = receipt["replies"]
    done_counts: dict[str, int] = {}
    for kind in sync_records.PUSH_ORDER:
        reply = replies.get(kind)
        if not isinstance(reply, dict) or kind not in exported:
            continue
        _apply_part(store, operator, kind, reply, exported[kind], orders.get(kind, []), report, done_counts)
    report.finish(now_utc(), "attention" if report.needs_attention() else "ok")
    _record_import(store, operator, run_uuid, bundle_uuid, report, done_counts)
    retention.purge(store, operator)  # a receipt is a sync too: what the platform took long ago loses its personal data
    return report


def _checked_receipt(store: Store, operator: OperatorSession, path: Path) -> dict:
    """The receipt, if it is this station's and its MAC checks under our credential."""
    receipt = _read_receipt(path)
    if receipt["station_uuid"] != store.identity.uuid:
        raise StationError("sync_receipt_other_station")
    credential = _credential(store, operator)
    if not bundle_format.receipt_mac_ok(receipt, bundle_format.credential_hash(credential)):
        raise StationError("sync_receipt_bad_mac")
    return receipt


def _exported_by(store: Store, run_uuid: str, bundle_uuid: str) -> dict[str, list[list[str]]]:
    """What the bundle carried (kind -> [[id, digest], …]), refusing a receipt imported before or for a bundle
    this station never wrote."""
    with store.session() as s:
        done = s.scalars(select(SyncRun).where(SyncRun.uuid == run_uuid)).first()
        if done is not None:
            raise ReceiptAlreadyImported(done.finished_at or done.started_at, SyncReport.from_json(done.report))
        exported_run = s.scalars(select(SyncRun).where(SyncRun.mode == "bundle",
                                                       SyncRun.bundle_uuid == bundle_uuid)).first()
        if exported_run is None:
            raise StationError("sync_receipt_unknown_bundle")
        exported: dict[str, list[list[str]]] = json.loads(exported_run.report or "{}").get("exported") or {}
        return exported


def _apply_part(store: Store, operator: OperatorSession, kind: str, reply: dict, as_exported: dict[str, str],
                order: list[str], report: SyncReport, done_counts: dict[str, int]) -> None:
    """One kind's reply: take what it lists (and is unchanged since the export) out of the queue, file its
    refusals, report its notices."""
    current = sync_records.collect(store, operator, kind, limit=None)
    now_digest = {_record_id(r): _digest(r) for r in _records(kind, current.body)}
    unchanged_since = [u for u in current.uuids if u in as_exported and as_exported[u] == now_digest.get(u)]
    keep = _audit_kept(reply, current, unchanged_since) if kind == "audit" else _listed_kept(reply, unchanged_since)
    keep_set = set(keep)
    # The records as they are now, which is as they were exported (the digests matched).
    batch = sync_records.Batch(kind, current.body, keep, {p: [u for u in ids if u in keep_set]
                                                          for p, ids in current.parts.items()})
    if keep:
        result = sync_records.apply_reply(store, kind, batch, reply)
        if kind == "audit":
            report.add_pushed("audit", result.accepted, 0, result.unchanged)
    if kind != "audit":
        for part, ids in batch.parts.items():
            mine = set(ids)
            report.add_pushed(part, *(len(mine & _ids(reply.get(k))) for k in ("accepted", "updated", "unchanged")))
    for part, ids in batch.parts.items():
        if ids:
            done_counts[part] = done_counts.get(part, 0) + len(ids)
    _file_refusals(store, kind, reply, order, current, set(current.uuids) - keep_set, report)
    for notice in reply.get("notices") or ():
        if isinstance(notice, dict):
            report.add_notice(notice)


def _audit_kept(reply: dict, current: sync_records.Batch, unchanged_since: list[str]) -> list[str]:
    """The audit entries up to the head the hub reports, if that head is our entry with our hash."""
    head = reply.get("head")
    if not isinstance(head, dict):
        head = {}
    seq = head.get("seq")
    head_seq = seq if isinstance(seq, int) else 0
    entry = next((e for e in current.body.get("entries", []) if e["seq"] == head_seq), None)
    head_ok = entry is not None and entry["hash"] == head.get("hash")
    return [u for u in unchanged_since if head_ok and int(u) <= head_seq]


def _listed_kept(reply: dict, unchanged_since: list[str]) -> list[str]:
    """The records the reply lists as accepted, updated or unchanged."""
    listed = _ids(reply.get("accepted")) | _ids(reply.get("updated")) | _ids(reply.get("unchanged"))
    return [u for u in unchanged_since if u in listed]


def _file_refusals(store: Store, kind: str, reply: dict, order: list[str], current: sync_records.Batch,
                   pending_ids: set[str], report: SyncReport) -> None:
    """File the reply's refusals of records still pending (SyncRefusal) and report every refusal."""
    filed: dict[tuple[str, str], list[dict]] = {}
    for r in _refusals(kind, reply, order):
        ident = r["uuid"] or ""
        if ident and ident not in pending_ids:
            continue  # taken since, or not this station's any more
        if ident:
            filed.setdefault((r["error"], r["reason"]), []).append({"uuid": ident, "reason": r["reason"]})
        report.add_refused(_part(current, ident, kind), ident, r["error"], r["reason"])
    for (error, reason), recs in filed.items():
        sync_records.record_refusals(store, kind, recs, error, reason)


def _record_import(store: Store, operator: OperatorSession, run_uuid: str, bundle_uuid: str, report: SyncReport,
                   done_counts: dict[str, int]) -> None:
    """The receipt's run (so the same receipt is not imported twice) and its audit entry, in one transaction."""
    with store.session() as s:
        s.add(SyncRun(uuid=run_uuid, mode="receipt", operator=operator.name, started_at=report.started_at,
                      finished_at=report.finished_at, outcome=report.outcome, bundle_uuid=bundle_uuid,
                      report=report.to_json()))
        audit.append(store, "sync_receipt_import", operator=operator.name, target=bundle_uuid,
                     details={"done": done_counts, "refused": len(report.refused), "notices": len(report.notices)},
                     cipher=operator.cipher, db=s)
        s.commit()


def receipt_lines(report: SyncReport, lang: str | None = None) -> list[str]:
    """A receipt import's report in plain sentences: what the platform took, then what needs attention."""
    from station.i18n import t

    return [t("sync_receipt_done", lang, done=f"{report.total_pushed():,}"), *report.summary_lines(lang or "zh")[1:]]


def bundle_lines(result: BundleResult, lang: str | None = None) -> list[str]:
    """An export in plain sentences: where the file is, what it carries, that the records wait for the receipt."""
    from station.i18n import t

    return [t("sync_bundle_written", lang, path=str(result.path), total=f"{result.total:,}"),
            *(t("sync_bundle_part", lang, kind=items_text(k, lang), count=f"{n:,}") for k, n in result.counts.items()),
            t("sync_bundle_pending_note", lang)]


def awaiting_receipt(store: Store) -> dt.datetime | None:
    """When the newest offline file was exported, if its receipt has not been imported yet."""
    with store.session() as s:
        exported = s.scalars(select(SyncRun).where(SyncRun.mode == "bundle")
                             .order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).limit(1)).first()
        if exported is None:
            return None
        back = s.scalars(select(SyncRun.id).where(SyncRun.mode == "receipt",
                                                  SyncRun.bundle_uuid == exported.bundle_uuid)).first()
        return None if back is not None else (exported.finished_at or exported.started_at)


def refusal_labels(store: Store, refusals: list) -> dict[str, str]:
    """uuid -> how an organizer finds a refused sign-up: the masked name and when (never the ID or mobile)."""
    from station.security.masking import mask_name
    from station.store.models import Registration

    uuids = [r.record_uuid for r in refusals if r.kind == "registrations"][:500]
    if not uuids:
        return {}
    with store.session() as s:
        rows = s.execute(select(Registration.uuid, Registration.name, Registration.created_at)
                         .where(Registration.uuid.in_(uuids))).all()
    out = {}
    for u, name, at in rows:
        local = at.replace(tzinfo=dt.timezone.utc).astimezone()
        out[u] = f"{mask_name(name)} {local:%m-%d %H:%M}"
    return out
