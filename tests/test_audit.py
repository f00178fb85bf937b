"""The audit trail: append-only, and verify() finds every kind of tampering and says where."""

from __future__ import annotations

import itertools
import json
import sqlite3

import pytest
from helpers.security import ORGANIZER, ORGANIZER_SECRET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.cli.main import main
from station.errors import StationError
from station.security import audit, audit_chain
from station.store.models import AuditEntry


@pytest.fixture
def log(store):
    """A log of six entries written with nobody logged in (no keyed anchor)."""
    for i in range(1, 7):
        audit.append(store, "export", operator="陈主席", target=f"file-{i}.csv", details={"rows": i})
    return store


def _sql(store, *statements):
    con = sqlite3.connect(store.paths.database)
    try:
        for st in statements:
            con.execute(*st) if isinstance(st, tuple) else con.execute(st)
        con.commit()
    finally:
        con.close()


def _forge(store, seq, prev_hash, action="export"):
    """An entry with a correct hash for its place, as someone who read this code would write it."""
    e = AuditEntry(seq=seq, at="2026-11-25T12:00:00.000000", station_uuid=store.identity.uuid, operator="x",
                   action=action, target="forged", details="{}", prev_hash=prev_hash, hash="")
    e.hash = audit.entry_hash(e)
    return e


def _hash(store, seq):
    con = sqlite3.connect(store.paths.database)
    try:
        return con.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()[0]
    finally:
        con.close()


def _kinds(problems):
    return [(p.seq, p.kind) for p in problems]


def test_appended_entries_chain_from_a_station_genesis(log):
    entries = sorted(audit.entries(log, limit=None), key=lambda e: e.seq)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5, 6]
    assert entries[0].prev_hash == audit_chain.genesis_hash(log.identity.uuid)
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))


def test_intact_log_verifies(log):
    assert audit.verify(log) == []


def test_empty_log_verifies(store):
    assert audit.verify(store) == []


def test_details_with_an_id_number_are_refused(store):
    with pytest.raises(StationError) as err:
        audit.append(store, "unmask", details={"who": "44190019800101123X"})
    assert err.value.key == "audit_personal_data" and "details.who" in err.value.message()


def test_target_with_a_mobile_is_refused(store):
    with pytest.raises(StationError):
        audit.append(store, "unmask", target="13800138000")


def test_counts_and_dates_are_not_mistaken_for_personal_data(store):
    details = {"rows": 1380013, "day": "2026-11-25", "batch": 12345678901234}
    entry = audit.append(store, "purge", details=details)
    assert json.loads(entry.details) == details
    assert [(e.action, json.loads(e.details)) for e in audit.entries(store)] == [("purge", details)]


def test_digests_and_uuids_with_phone_like_digit_runs_are_not_personal_data(store):
    digest = "a13812345678b" + "0" * 51
    target = "0ece6854-164a-4206-ba4b-a13812345678"
    details = {"entries_sha256": digest, "winners": ["0ece6854-164a-4206-ba4b-c13912345678"]}
    audit.append(store, "draw.run", target=target, details=details)
    [entry] = audit.entries(store)
    assert (entry.action, entry.target, json.loads(entry.details)) == ("draw.run", target, details)


def test_a_mobile_beside_a_digest_is_still_refused(store):
    with pytest.raises(StationError):
        audit.append(store, "draw.run", details={"note": "13812345678 " + "a" * 64})


def test_edited_entry_is_found(log):
    _sql(log, ("UPDATE audit_log SET details = ? WHERE seq = 3", ('{"rows":300}',)))
    problems = audit.verify(log)
    assert _kinds(problems) == [(3, "edited")]
    assert "3" in problems[0].message()


def test_deleted_entry_is_found(log):
    _sql(log, "DELETE FROM audit_log WHERE seq = 3")
    assert _kinds(audit.verify(log)) == [(4, "missing")]
    assert audit.verify(log)[0].params == {"first": 3, "last": 3}


def test_deleted_entry_hidden_by_renumbering_is_found(log):
    _sql(log, "DELETE FROM audit_log WHERE seq = 3", "UPDATE audit_log SET seq = seq - 1 WHERE seq > 3")
    problems = audit.verify(log)
    assert problems[0].kind == "missing" and problems[0].params == {"first": 3, "last": 3}


def test_inserted_entry_is_found(log):
    forged = _forge(log, 3, _hash(log, 2))
    _sql(
        log,
        "UPDATE audit_log SET seq = -seq WHERE seq >= 3",
        "UPDATE audit_log SET seq = -seq + 1 WHERE seq < 0",
        (("INSERT INTO audit_log (seq, at, station_uuid, operator, action, target, details, prev_hash, hash)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
         (forged.seq, forged.at, forged.station_uuid, forged.operator, forged.action, forged.target, forged.details,
          forged.prev_hash, forged.hash)),
    )
    assert _kinds(audit.verify(log))[0] == (3, "inserted")


def test_reordered_entries_are_found(log):
    _sql(log, "UPDATE audit_log SET seq = -1 WHERE seq = 2", "UPDATE audit_log SET seq = 2 WHERE seq = 4",
         "UPDATE audit_log SET seq = 4 WHERE seq = -1")
    problems = audit.verify(log)
    assert (2, "reordered") in _kinds(problems) and (4, "reordered") in _kinds(problems)
    assert next(p for p in problems if p.seq == 2).params["original"] == 4


def test_truncated_tail_is_found(log):
    _sql(log, "DELETE FROM audit_log WHERE seq > 4")
    problems = audit.verify(log)
    assert _kinds(problems) == [(5, "truncated")]
    assert problems[0].params == {"head": 6, "last": 4}


def test_truncation_with_the_plain_head_rewound_is_found_by_the_keyed_anchor(store, organizer):
    for i in range(4):
        audit.append(store, "export", operator=ORGANIZER, target=f"f{i}", cipher=organizer.cipher)
    last = max(e.seq for e in audit.entries(store))
    keep = last - 2
    _sql(store, f"DELETE FROM audit_log WHERE seq > {keep}",
         ("UPDATE settings SET value = ? WHERE key = 'audit.head'", (json.dumps({"seq": keep, "hash": _hash(store, keep)}),)))
    assert audit.verify(store) == []  # without the key the cut cannot be seen...
    assert _kinds(audit.verify(store, organizer.cipher)) == [(keep + 1, "truncated")]  # ...with it, it can


def test_rewritten_chain_is_found_by_the_keyed_anchor(store, organizer):
    audit.append(store, "export", operator=ORGANIZER, target="f", cipher=organizer.cipher)
    last = max(e.seq for e in audit.entries(store))
    forged = _forge(store, last, _hash(store, last - 1))
    _sql(store, ("UPDATE audit_log SET target = ?, hash = ? WHERE seq = ?", (forged.target, forged.hash, last)),
         ("UPDATE audit_log SET operator = ?, at = ?, action = ?, details = ? WHERE seq = ?",
          (forged.operator, forged.at, forged.action, forged.details, last)))
    assert audit.verify(store) == []
    assert _kinds(audit.verify(store, organizer.cipher)) == [(last, "head_mismatch")]


def test_forged_anchor_is_found(store, organizer):
    _sql(store, "UPDATE settings SET value = json_set(value, '$.mac', '00') WHERE key = 'audit.anchor'")
    assert [p.kind for p in audit.verify(store, organizer.cipher)] == ["anchor_bad"]


def test_entries_without_a_login_are_chained_and_later_anchored(store, organizer):
    audit.append(store, "login_failed", operator=ORGANIZER)
    audit.append(store, "export", operator=ORGANIZER, cipher=organizer.cipher)
    assert audit.verify(store, organizer.cipher) == []


# -- the command line -------------------------------------------------------------------------


def test_cli_audit_verify_ok(log, data_dir, capsys):
    log.close()
    assert main(["audit", "verify", "--data-dir", str(data_dir)]) == 0
    assert "6" in capsys.readouterr().out


def test_cli_audit_verify_fails_with_exit_2_naming_the_first_bad_entry(log, data_dir, capsys):
    _sql(log, ("UPDATE audit_log SET target = 'x' WHERE seq = 2",), "DELETE FROM audit_log WHERE seq = 5")
    log.close()
    assert main(["--lang", "en", "audit", "verify", "--data-dir", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert "entry 2" in err and "Entry 2 was changed" in err


def test_cli_audit_verify_json(log, data_dir, capsys):
    _sql(log, "DELETE FROM audit_log WHERE seq = 6")
    log.close()
    assert main(["audit", "verify", "--json", "--data-dir", str(data_dir)]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["problems"][0]["kind"] == "truncated" and out["problems"][0]["seq"] == 6


def test_cli_audit_list_is_for_organizers_newest_first(organizer, log, data_dir, capsys, monkeypatch):
    log.close()
    assert main(["audit", "list", "--json", "--data-dir", str(data_dir)]) == 2  # reading the log needs a log-in
    monkeypatch.setenv("STATION_SECRET", ORGANIZER_SECRET)
    assert main(["audit", "list", "--limit", "2", "--json", "--data-dir", str(data_dir), "--operator", ORGANIZER]) == 0
    rows = list(json.loads(capsys.readouterr().out))
    assert rows[0]["action"] == "login" and rows[1]["details"] == {"rows": 6} and rows[0]["seq"] == rows[1]["seq"] + 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(3, 12), op=st.sampled_from(["edit", "delete", "swap", "truncate"]), data=st.data())
def test_any_single_tampering_is_found_near_where_it_happened(tmp_path_factory, n, op, data):
    from station.store.database import open_store

    store = open_store(tmp_path_factory.mktemp("audit"))
    try:
        for i in range(n):
            audit.append(store, "export", target=f"f{i}", details={"rows": i})
        at = data.draw(st.integers(1, n - 1))
        if op == "edit":
            _sql(store, ("UPDATE audit_log SET target = 'changed' WHERE seq = ?", (at,)))
        elif op == "delete":
            _sql(store, ("DELETE FROM audit_log WHERE seq = ?", (at,)))
        elif op == "swap":
            _sql(store, ("UPDATE audit_log SET seq = -1 WHERE seq = ?", (at,)),
                 ("UPDATE audit_log SET seq = ? WHERE seq = ?", (at, at + 1)),
                 ("UPDATE audit_log SET seq = ? WHERE seq = -1", (at + 1,)))
        else:
            _sql(store, ("DELETE FROM audit_log WHERE seq > ?", (at,)))
        problems = audit.verify(store)
        assert problems, op
        first = problems[0].seq
        assert first in (at, at + 1), (op, at, _kinds(problems))
    finally:
        store.close()
