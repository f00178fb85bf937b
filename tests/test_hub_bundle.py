"""The offline bundle: signed by the station, encrypted to the hub, imported with the push rules (issue 7, part 4)."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

import pytest
from sqlalchemy import func, select
from test_hub_api import checkin_rec, event_rec, reg_rec

from station.checkin import ecard
from station.cli import main as cli
from station.hub import bundle, service
from station.hub import schemas as S
from station.hub.db import open_hub_db
from station.hub.models import CheckIn, Event, Member, Registration
from station.sync import bundle_format


@pytest.fixture
def db(hub_url):
    opened = open_hub_db(hub_url)
    yield opened
    opened.dispose()


def enroll(db, with_key: bool = True):
    key = ecard.generate_key()
    with db.session() as s:
        code, _ = service.make_enrollment_code(s, "一号")
        station, secret = service.enroll(s, S.EnrollIn(
            code=code, station_uuid=str(uuid.uuid4()), station_name="一号",
            bundle_signing_key=base64.b64encode(ecard.public_raw(key.public_key())).decode() if with_key else None))
        hub_key = service.hub_bundle_key(s)
        s.commit()
    return station.uuid, secret, key, hub_key


def count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_bundle_imports_once_and_importing_it_again_changes_nothing(db):
    station_uuid, secret, key, hub_key = enroll(db)
    ev = event_rec()
    regs = [reg_rec(ev["uuid"], n) for n in range(1500)]  # more than one push batch
    parts = {"events": {"records": [ev]}, "registrations": {"records": regs},
             "checkins": {"records": [checkin_rec(ev["uuid"], 9)]}}
    data = bundle_format.write_bundle(station_uuid=station_uuid, signing_key=key, hub_key=hub_key, parts=parts)
    assert b"\xe5\xbc\xa0\xe4\xb8\x89" not in data and regs[0]["id_number"].encode() not in data  # 张三, an ID: encrypted
    receipt = bundle.import_bundle(db, data)
    assert receipt["mac"] == bundle_format.receipt_mac(receipt, hashlib.sha256(secret.encode()).hexdigest())
    r = receipt["replies"]
    assert len(r["registrations"]["accepted"]) == 1500 and r["registrations"]["ok"] and r["events"]["accepted"] == [ev["uuid"]]
    assert (count(db, Registration), count(db, Member), count(db, CheckIn), count(db, Event)) == (1500, 1500, 1, 1)
    again = bundle.import_bundle(db, data)["replies"]
    assert again["registrations"]["accepted"] == [] and len(again["registrations"]["unchanged"]) == 1500
    assert (count(db, Registration), count(db, Member), count(db, CheckIn), count(db, Event)) == (1500, 1500, 1, 1)


def test_a_refused_record_is_reported_and_the_rest_goes_in(db):
    station_uuid, _secret, key, hub_key = enroll(db)
    ev = event_rec()
    first = reg_rec(ev["uuid"], 1)
    bundle.import_bundle(db, bundle_format.write_bundle(station_uuid=station_uuid, signing_key=key, hub_key=hub_key,
                                                 parts={"events": {"records": [ev]}, "registrations": {"records": [first]}}))
    changed = dict(first, phone="13900139000")
    later = reg_rec(ev["uuid"], 2)
    parts = {"registrations": {"records": [changed]}, "checkins": {"records": [checkin_rec(ev["uuid"], 3)]},
             "posters": {"records": "not a list"}}
    replies = bundle.import_bundle(db, bundle_format.write_bundle(station_uuid=station_uuid, signing_key=key,
                                                           hub_key=hub_key, parts=parts))["replies"]
    assert replies["registrations"]["ok"] is False
    assert replies["registrations"]["refused"][0]["error"] == "conflict"
    assert replies["registrations"]["refused"][0]["records"][0]["uuid"] == first["uuid"]
    assert replies["checkins"]["ok"] is True and len(replies["checkins"]["accepted"]) == 1
    assert replies["posters"]["refused"][0]["error"] == "invalid_request"
    assert later["uuid"] not in json.dumps(replies)
    assert count(db, Registration) == 1


def test_altered_foreign_or_unreadable_bundles_are_refused(db):
    station_uuid, _secret, key, hub_key = enroll(db)
    parts = {"events": {"records": [event_rec()]}}
    good = bundle_format.write_bundle(station_uuid=station_uuid, signing_key=key, hub_key=hub_key, parts=parts)

    def refused(data: bytes) -> str:
        with pytest.raises(bundle.BundleError) as info:
            bundle.import_bundle(db, data)
        return info.value.code

    flipped = bytearray(good)
    flipped[-80] ^= 1  # inside the ciphertext
    assert refused(bytes(flipped)) == "bundle_bad_signature"
    counts = good.replace(b'"events": 1', b'"events": 9', 1)  # a header edited to say something else
    assert counts != good and refused(counts) == "bundle_bad_signature"
    other_key = ecard.generate_key()
    assert refused(bundle_format.write_bundle(station_uuid=station_uuid, signing_key=other_key, hub_key=hub_key,
                                       parts=parts)) == "bundle_bad_signature"
    assert refused(bundle_format.write_bundle(station_uuid=str(uuid.uuid4()), signing_key=key, hub_key=hub_key,
                                       parts=parts)) == "bundle_unknown_station"
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    other_hub = base64.b64encode(X25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()
    assert refused(bundle_format.write_bundle(station_uuid=station_uuid, signing_key=key, hub_key=other_hub,
                                       parts=parts)) == "bundle_other_hub"
    keyless_uuid, _s, keyless_key, _h = enroll(db, with_key=False)
    assert refused(bundle_format.write_bundle(station_uuid=keyless_uuid, signing_key=keyless_key, hub_key=hub_key,
                                       parts=parts)) == "bundle_no_key"
    assert refused(b"PK\x03\x04 a zip file") == "bundle_not_bundle"
    assert refused(good[:40]) in ("bundle_not_bundle", "bundle_damaged")
    assert refused(good[:-10]) in ("bundle_bad_signature", "bundle_damaged")
    assert count(db, Event) == 0


def test_station_hub_import_bundle_writes_the_receipt(tmp_path, capsys):
    url = str(tmp_path / "hub.sqlite")
    db = open_hub_db(url)
    station_uuid, _secret, key, hub_key = enroll(db)
    db.dispose()
    ev = event_rec()
    path = tmp_path / "20261125-一号.yghsync"
    path.write_bytes(bundle_format.write_bundle(station_uuid=station_uuid, signing_key=key, hub_key=hub_key,
                                         parts={"events": {"records": [ev]},
                                                "registrations": {"records": [reg_rec(ev["uuid"], 4)]}}))
    code = cli.main(["--data-dir", str(tmp_path / "d"), "hub", "import-bundle", "--db", url, str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "registrations：新收 1" in out
    receipt = json.loads((tmp_path / "20261125-一号.receipt.json").read_text(encoding="utf-8"))
    assert receipt["station_uuid"] == station_uuid and len(receipt["replies"]["registrations"]["accepted"]) == 1
    broken = tmp_path / "broken.yghsync"
    data = path.read_bytes()
    broken.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # always a change (a fixed \x00 matched 1 time in 256)
    code = cli.main(["--data-dir", str(tmp_path / "d"), "hub", "import-bundle", "--db", url, str(broken)])
    assert code == 2 and "签名不符" in capsys.readouterr().err
