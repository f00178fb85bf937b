"""The offline bundle, station side, against the real hub code: export, hub import, receipt (issue 7, part 4).

The station is a real store with a real organizer's key, enrolled at a real
hub over loopback HTTP (tests/helpers/hub.py); the bundle is imported with
station.hub.bundle on the hub's own database, as `station hub import-bundle`
does, and the receipt carried back.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from helpers import sync as F
from helpers.hub import LiveHub
from helpers.security import ORGANIZER, ORGANIZER_SECRET
from sqlalchemy import func, select, update

from station.cli.main import main
from station.errors import StationError
from station.hub import bundle as hub_bundle
from station.hub import models as H
from station.store.models import AuditEntry, DrawWinner, Registration, SyncRefusal, SyncRun
from station.sync import bundle as sync_bundle
from station.sync import bundle_format
from station.sync import client as sync_client
from station.sync import records as sync_records


def enroll(store, organizer, live: LiveHub) -> None:
    sync_client.enroll(store, organizer, live.base_url, live.code("东城一号"))


def data_pending(store) -> dict:
    counts = sync_records.pending_counts(store)
    counts.pop("audit")
    return counts


def hub_count(live: LiveHub, model) -> int:
    with live.db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def carry(live: LiveHub, bundle_path: Path) -> Path:
    """The hub imports the file from the USB stick and writes the receipt beside it (as its CLI does)."""
    receipt = hub_bundle.import_bundle(live.db, bundle_path.read_bytes())
    out = bundle_path.with_name(bundle_path.name.removesuffix(".yghsync") + ".receipt.json")
    out.write_text(json.dumps(receipt, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def synced_at(store) -> list:
    with store.session() as s:
        return list(s.scalars(select(Registration.synced_at).order_by(Registration.id)))


def test_bundle_round_trip_with_the_real_hub(store, organizer, hub, tmp_path):  # sqlite and postgresql
    enroll(store, organizer, hub)
    F.day_of_work(store, organizer, signups=120, checkins=40, draws=2, posters=5, audits=5)
    before = sync_records.pending_counts(store)
    usb = tmp_path / "usb"
    usb.mkdir()

    result = sync_bundle.export_bundle(store, organizer, usb)

    assert result.path.parent == usb and list(usb.iterdir()) == [result.path]  # no temp file left behind
    assert re.fullmatch(rf"\d{{8}}-{re.escape(store.identity.name)}-{result.bundle_uuid}\.yghsync", result.path.name)
    data = result.path.read_bytes()
    assert data.startswith(bundle_format.MAGIC) and F.unique_id(0).encode() not in data  # encrypted
    assert "张三丰".encode() not in data and b"13800000000" not in data
    assert result.counts["registrations"] == 120 and result.counts["checkins"] == 40
    assert result.counts["winners"] == 10 and result.counts["draws"] == 2 and result.counts["posters"] == 5
    assert sync_records.pending_counts(store) == {**before, "audit": before["audit"] + 1}  # still pending (+ its audit)
    with store.session() as s:
        run = s.scalars(select(SyncRun).where(SyncRun.mode == "bundle")).one()
        assert run.bundle_uuid == result.bundle_uuid and run.outcome == "ok"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "sync_bundle_export")).one()
        assert json.loads(entry.details)["counts"]["registrations"] == 120
        assert F.unique_id(0) not in entry.details and F.unique_id(0) not in run.report

    receipt = carry(hub, result.path)
    report = sync_bundle.import_receipt(store, organizer, receipt)

    assert report.outcome == "ok" and report.refused == []
    assert all(n == 0 for n in data_pending(store).values())
    assert report.pushed["registrations"]["accepted"] == 120 and report.pushed["winners"]["accepted"] == 10
    assert any("120" in line for line in report.summary_lines("zh"))
    assert hub_count(hub, H.Registration) == 120 and hub_count(hub, H.CheckIn) == 40
    assert hub_count(hub, H.Poster) == 5 and hub_count(hub, H.DrawWinner) == 10
    with store.session() as s:
        floor = s.scalar(select(func.max(AuditEntry.seq)))
    assert sync_records.pending_counts(store)["audit"] <= 2  # the export's and the receipt's own entries
    assert floor - sync_records.link_row(store.session()).audit_synced_seq == sync_records.pending_counts(store)["audit"]

    # The hub imports the same file again: everything unchanged, nothing doubled; its receipt changes nothing here.
    stamps = synced_at(store)
    again = sync_bundle.import_receipt(store, organizer, carry(hub, result.path))
    assert again.pushed["registrations"] == {"accepted": 0, "updated": 0, "unchanged": 0} or \
        "registrations" not in again.pushed  # nothing of ours was pending any more
    assert hub_count(hub, H.Registration) == 120 and synced_at(store) == stamps
    # The first receipt once more: refused as already imported, nothing changed.
    with pytest.raises(sync_bundle.ReceiptAlreadyImported):
        sync_bundle.import_receipt(store, organizer, receipt)
    assert synced_at(store) == stamps


def test_a_receipt_for_a_bundle_imported_twice_lists_everything_unchanged(store, organizer, sqlite_hub, tmp_path):
    enroll(store, organizer, sqlite_hub)
    F.day_of_work(store, organizer, signups=30, checkins=5, draws=1, posters=1, audits=1)
    result = sync_bundle.export_bundle(store, organizer, tmp_path)
    hub_bundle.import_bundle(sqlite_hub.db, result.path.read_bytes())  # the first receipt got lost on the way
    report = sync_bundle.import_receipt(store, organizer, carry(sqlite_hub, result.path))
    assert report.outcome == "ok"
    assert report.pushed["registrations"] == {"accepted": 0, "updated": 0, "unchanged": 30}
    assert all(n == 0 for n in data_pending(store).values())
    assert hub_count(sqlite_hub, H.Registration) == 30


def test_a_receipt_import_is_a_sync_and_runs_the_retention_purge(store, organizer, sqlite_hub, tmp_path):
    import datetime as dt

    enroll(store, organizer, sqlite_hub)
    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, 3)
    with store.session() as s:  # one sign-up the platform took 40 days ago (retention: 30 days)
        first = s.scalars(select(Registration.id).order_by(Registration.id)).first()
        s.execute(update(Registration).where(Registration.id == first)
                  .values(synced_at=dt.datetime.utcnow() - dt.timedelta(days=40)))
        s.commit()
    result = sync_bundle.export_bundle(store, organizer, tmp_path)
    sync_bundle.import_receipt(store, organizer, carry(sqlite_hub, result.path))
    with store.session() as s:
        regs = s.scalars(select(Registration).order_by(Registration.id)).all()
        assert regs[0].purged_at is not None and regs[0].phone_enc is None
        assert all(r.purged_at is None and r.synced_at is not None for r in regs[1:])  # taken just now: kept


def test_forged_altered_or_foreign_receipts_change_nothing(store, organizer, sqlite_hub, tmp_path):
    enroll(store, organizer, sqlite_hub)
    F.day_of_work(store, organizer, signups=10, checkins=2, draws=0, posters=0, audits=0)
    result = sync_bundle.export_bundle(store, organizer, tmp_path)
    good = json.loads(carry(sqlite_hub, result.path).read_text(encoding="utf-8"))
    before = sync_records.pending_counts(store)

    def refused(receipt: dict | str, name: str = "bad.receipt.json") -> str:
        path = tmp_path / name
        path.write_text(receipt if isinstance(receipt, str) else json.dumps(receipt), encoding="utf-8")
        with pytest.raises(StationError) as info:
            sync_bundle.import_receipt(store, organizer, path)
        assert sync_records.pending_counts(store) == before
        return info.value.key

    forged = json.loads(json.dumps(good))
    forged["replies"]["registrations"]["accepted"] = forged["replies"]["registrations"]["accepted"][:5]
    assert refused(forged) == "sync_receipt_bad_mac"
    no_mac = {k: v for k, v in good.items() if k != "mac"}
    assert refused(no_mac) == "sync_receipt_unreadable"
    assert refused(dict(good, station_uuid=str(uuid.uuid4()))) == "sync_receipt_other_station"
    credential = sync_client.credential(store, organizer)
    stranger = dict(good, bundle_uuid=str(uuid.uuid4()))  # authentic, but for a bundle this station never wrote
    stranger["mac"] = bundle_format.receipt_mac(stranger, bundle_format.credential_hash(credential))
    assert refused(stranger) == "sync_receipt_unknown_bundle"
    assert refused(json.dumps(good)[:-40]) == "sync_receipt_unreadable"  # cut short
    assert refused("<html>not a receipt</html>") == "sync_receipt_unreadable"
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(SyncRun).where(SyncRun.mode == "receipt")) == 0
    # The genuine one still goes in afterwards.
    assert sync_bundle.import_receipt(store, organizer, carry(sqlite_hub, result.path)).outcome == "ok"
    assert all(n == 0 for n in data_pending(store).values())


def test_a_refused_record_stays_pending_and_is_reported(store, organizer, sqlite_hub, tmp_path):
    enroll(store, organizer, sqlite_hub)
    ev = F.add_event(store)
    first = F.add_signups(store, organizer, ev, 3)
    assert sync_client.run_sync(store, organizer).outcome == "ok"
    more = F.add_signups(store, organizer, ev, 4, start=100)
    with store.session() as s:  # a sign-up changed after the hub took it: the hub has other content
        s.execute(update(Registration).where(Registration.uuid == first[0]).values(name="王小明", synced_at=None))
        s.commit()
    F.add_checkins(store, ev, 3)

    result = sync_bundle.export_bundle(store, organizer, tmp_path)
    assert result.counts["registrations"] == 5
    report = sync_bundle.import_receipt(store, organizer, carry(sqlite_hub, result.path))

    assert report.outcome == "attention"
    assert [(r["kind"], r["uuid"], r["error"]) for r in report.refused] == [("registrations", first[0], "conflict")]
    assert any("拒收" in line for line in report.summary_lines("zh"))
    pending = data_pending(store)
    assert pending["checkins"] == 0  # the other parts went in
    # One bad record costs its batch at the hub: the refused one and its batch-mates stay pending.
    assert pending["registrations"] == 5
    with store.session() as s:
        refusal = s.scalars(select(SyncRefusal)).one()
        assert (refusal.kind, refusal.record_uuid, refusal.error) == ("registrations", first[0], "conflict")
        assert refusal.resolved_at is None
    # Fix it (here: put the content back) and sync over the network: the batch-mates go, the refusal resolves.
    with store.session() as s:
        s.execute(update(Registration).where(Registration.uuid == first[0]).values(name="李小梅"))
        s.commit()
    assert sync_client.run_sync(store, organizer).outcome == "ok"
    assert data_pending(store)["registrations"] == 0 and set(more) <= {
        u for (u,) in sqlite_hub.db.session().execute(select(H.Registration.uuid))}


def test_a_win_voided_after_the_export_stays_pending(store, organizer, sqlite_hub, tmp_path):
    from station.draw import service as draw

    enroll(store, organizer, sqlite_hub)
    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, 20)
    res = F.add_draws(store, organizer, ev, draws=1, per_draw=3)[0]
    draw.void_win(store, res.winners[1].win_id, "未到场", operator=organizer)  # voided before: the void goes in the file
    result = sync_bundle.export_bundle(store, organizer, tmp_path)
    draw.void_win(store, res.winners[0].win_id, "未到场", operator=organizer)
    sync_bundle.import_receipt(store, organizer, carry(sqlite_hub, result.path))
    with store.session() as s:
        pending = list(s.scalars(select(DrawWinner.uuid).where(DrawWinner.synced_at.is_(None))))
    assert pending == [res.winners[0].win_uuid]  # the later void has not reached the hub yet: it goes with the next sync
    assert sync_client.run_sync(store, organizer).outcome == "ok"
    assert data_pending(store)["winners"] == 0


def test_not_enrolled_nothing_pending_no_folder_and_promoters(store, organizer, promoter, sqlite_hub, tmp_path):
    with pytest.raises(StationError) as e:
        sync_bundle.export_bundle(store, organizer, tmp_path)
    assert e.value.key == "sync_not_enrolled"
    with pytest.raises(StationError) as e:
        sync_bundle.export_bundle(store, promoter, tmp_path)
    assert e.value.key == "not_permitted"
    enroll(store, organizer, sqlite_hub)
    with pytest.raises(StationError) as e:
        sync_bundle.export_bundle(store, organizer, tmp_path / "no-such-stick")
    assert e.value.key == "sync_bundle_no_folder" and "U 盘" in e.value.message()
    assert sync_client.run_sync(store, organizer).outcome == "ok"
    with store.session() as s:  # everything synced, the audit log too
        link = sync_records.link_row(s)
        link.audit_synced_seq = s.scalar(select(func.max(AuditEntry.seq)))
        s.commit()
    with pytest.raises(StationError) as e:
        sync_bundle.export_bundle(store, organizer, tmp_path)
    assert e.value.key == "sync_bundle_nothing"
    assert not list(tmp_path.glob("*.yghsync"))


def test_the_bundle_and_receipt_commands(store, organizer, sqlite_hub, data_dir, tmp_path, capsys, monkeypatch):
    enroll(store, organizer, sqlite_hub)
    F.day_of_work(store, organizer, signups=15, checkins=3, draws=0, posters=1, audits=0)
    store.close()
    monkeypatch.setenv("STATION_SECRET", ORGANIZER_SECRET)
    base = ["--data-dir", str(data_dir), "--operator", ORGANIZER]
    usb = tmp_path / "usb"
    usb.mkdir()
    assert main([*base, "sync", "bundle", "--out", str(usb)]) == 0
    out = capsys.readouterr().out
    (path,) = usb.glob("*.yghsync")
    assert str(path) in out and "15" in out
    # At the platform: `station hub import-bundle` on the hub's database writes the receipt beside the file.
    assert main(["--data-dir", str(tmp_path / "h"), "hub", "import-bundle", "--db", str(tmp_path / "hub.sqlite"),
                 str(path)]) == 0
    capsys.readouterr()
    receipt = path.with_name(path.stem + ".receipt.json")
    assert main([*base, "sync", "receipt", str(receipt)]) == 0
    assert "15" in capsys.readouterr().out
    assert main([*base, "sync", "receipt", str(receipt)]) == 0  # again: says so, changes nothing
    assert "已经导入过" in capsys.readouterr().out
    assert main([*base, "--lang", "en", "sync", "bundle", "--out", str(tmp_path / "gone")]) == 2
    assert "USB stick" in capsys.readouterr().err
