"""The roster import in two steps (issue 14): checked into side databases first, then published in short slices.

What a union office notices: a cancelled or bad file leaves the store
exactly as it was; a file whose every row is bad is an error that says why;
a roster imported again rewrites only the people it changed; and an import
killed while it publishes is finished, whole, by the next one.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers.security import ORGANIZER, ORGANIZER_SECRET
from sqlalchemy import func, select

from station import i18n
from station.cli import login as login_cli
from station.cli import main as cli
from station.demo.data import write_roster_csv
from station.errors import StationError
from station.roster import importer as roster_import
from station.roster import publish as roster_publish
from station.roster.importer import finish_interrupted, import_roster
from station.store.models import AuditEntry, ImportBatch, Member

REPO = Path(__file__).resolve().parent.parent


def _members_table(store) -> list[tuple]:
    con = sqlite3.connect(store.paths.database)
    try:
        return con.execute("SELECT * FROM members ORDER BY id").fetchall()
    finally:
        con.close()


def _count(store, model) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _index_names(store) -> set[str]:
    con = sqlite3.connect(store.paths.database)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='members'")}
    finally:
        con.close()


def test_cancel_while_reading_leaves_the_store_and_the_imports_folder_as_they_were(store, tmp_path, organizer) -> None:
    import_roster(store, write_roster_csv(tmp_path / "first.csv", 300, seed=1).path, operator=organizer)
    before = _members_table(store)
    polls = []

    with pytest.raises(StationError) as caught:
        import_roster(
            store, write_roster_csv(tmp_path / "second.csv", 9000, seed=2).path, workers=0, operator=organizer,
            cancel=lambda: polls.append(1) or len(polls) > 2,
        )  # fmt: skip

    assert caught.value.key == "cancelled"
    assert _members_table(store) == before
    assert _count(store, ImportBatch) == 1
    assert list(store.paths.imports.iterdir()) == []
    assert list(store.paths.reports.iterdir()) == []


def test_a_file_whose_every_row_is_rejected_is_an_error_that_counts_the_reasons(store, write_csv, organizer) -> None:
    rows = [["姓名", "身份证号码"]] + [[f"张{i}", "44190019900101123"] for i in range(40)]  # 17 digits
    before = _members_table(store)

    with pytest.raises(StationError) as caught:
        import_roster(store, write_csv(rows), operator=organizer)

    assert caught.value.key == "roster_all_rejected"
    text = str(caught.value)
    assert "40 行数据一行也没有导入" in text and "应为 18 位" in text and "40" in text.split("主要原因")[1]
    assert _members_table(store) == before and _count(store, ImportBatch) == 0
    assert list(store.paths.reports.iterdir()) == [] and list(store.paths.imports.iterdir()) == []

    i18n.set_lang("en")
    with pytest.raises(StationError) as english:
        import_roster(store, write_csv(rows), operator=organizer)
    assert "None of the 40 data rows" in str(english.value) and "18 characters" in str(english.value)


def test_every_row_rejected_exits_2_in_the_cli(data_dir, write_csv, organizer, capsys, monkeypatch) -> None:
    path = write_csv([["姓名", "身份证号码"], ["张三", "123"], ["李四", "456"]])
    monkeypatch.setenv(login_cli.SECRET_ENV, ORGANIZER_SECRET)

    code = cli.main(["--data-dir", str(data_dir), "--lang", "en", "--operator", ORGANIZER, "roster", "import", str(path)])

    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and "2" in err and path.name in err


def test_a_roster_imported_again_rewrites_only_the_people_it_changed(store, tmp_path, organizer) -> None:
    written = write_roster_csv(tmp_path / "r.csv", 500, seed=7)
    first = import_roster(store, written.path, operator=organizer)
    before = {row[0]: row for row in _members_table(store)}
    lines = written.path.read_text(encoding="utf-8-sig").splitlines()
    # One person moves to another enterprise (the 4th column in the demo roster).
    cells = lines[10].split(",")
    cells[3] = "东莞市新华茂电子有限公司"
    lines[10] = ",".join(cells)
    changed = tmp_path / "r2.csv"
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")

    again = import_roster(store, changed, operator=organizer)

    after = {row[0]: row for row in _members_table(store)}
    assert (first.inserted, again.inserted, again.updated, again.unchanged) == (500, 0, 1, 499)
    assert "更新 1 人，499 人无变化" in again.summary()
    rewritten = [mid for mid in after if after[mid] != before[mid]]
    assert len(rewritten) == 1
    with store.session() as s:
        moved = s.get(Member, rewritten[0])
        assert moved.enterprise.name == "东莞市新华茂电子有限公司" and moved.last_import_id == again.batch_id


def test_a_person_signed_up_as_new_is_put_on_the_roster_by_an_unchanged_reimport(store, tmp_path, organizer) -> None:
    written = write_roster_csv(tmp_path / "r.csv", 50, seed=8)
    import_roster(store, written.path, operator=organizer)
    con = sqlite3.connect(store.paths.database)
    con.execute("UPDATE members SET on_roster = 0 WHERE id = 1")
    con.commit()
    con.close()

    import_roster(store, written.path, operator=organizer)

    with store.session() as s:
        assert s.get(Member, 1).on_roster is True


_KILLED_IMPORT = textwrap.dedent(
    r"""
    import os, sys
    from pathlib import Path
    from station.roster import importer, publish
    from station.roster.importer import import_roster
    from station.security import operators
    from station.store.database import open_store

    data_dir, csv_path, name, secret = sys.argv[1:5]
    store = open_store(Path(data_dir))
    organizer = operators.login(store, name, secret)
    publish.FIRST_SLICE_ROWS = 200
    publish.TARGET_HOLD_S = 0.001  # many small slices
    importer.PROGRESS_INTERVAL_S = 0.0  # told of each
    slices = []

    def progress(p):
        if p.stage == "publishing" and p.rows_done:
            slices.append(p.rows_done)
            if len(slices) == 3:
                os._exit(9)  # the power cut: no clean-up, no rollback

    import_roster(store, Path(csv_path), progress=progress, workers=0, operator=organizer)
    """
)


def test_an_import_killed_while_it_publishes_is_finished_whole_by_the_next_one(store, tmp_path, monkeypatch, organizer):
    written = write_roster_csv(tmp_path / "r.csv", 3000, seed=9)
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_IMPORT, str(store.paths.root), str(written.path), ORGANIZER, ORGANIZER_SECRET],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 9, proc.stderr
    with store.session() as s:
        [batch] = s.scalars(select(ImportBatch)).all()
        assert batch.finished_at is None and batch.staging_file
    partly = _count(store, Member)
    assert 0 < partly < 3000  # the booth saw the roster filling in
    assert Path(batch.staging_file).exists()

    # While its heartbeat is fresh, the batch belongs to a live import: nobody touches it.
    assert finish_interrupted(store, organizer) == []
    monkeypatch.setattr(roster_publish, "STALE_S", 0.0)
    assert finish_interrupted(store, organizer) == [batch.id]

    assert _count(store, Member) == 3000
    with store.session() as s:
        done = s.get(ImportBatch, batch.id)
        assert done.finished_at is not None and done.staging_file is None
        # The slices published before the kill are found unchanged: counted once, as inserted.
        assert (done.rows_read, done.rows_inserted, done.rows_updated) == (3000, 3000, 0)
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "import")).all()
    assert json.loads(entry.details)["resumed"] is True and entry.target == batch.uuid
    assert list(store.paths.imports.iterdir()) == []
    assert {"ix_members_name", "ix_members_initials"} <= _index_names(store)


def test_the_next_import_finishes_an_interrupted_one_first(store, tmp_path, monkeypatch, organizer) -> None:
    written = write_roster_csv(tmp_path / "r.csv", 1200, seed=10)
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_IMPORT, str(store.paths.root), str(written.path), ORGANIZER, ORGANIZER_SECRET],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 9, proc.stderr
    monkeypatch.setattr(roster_publish, "STALE_S", 0.0)
    other = write_roster_csv(tmp_path / "other.csv", 100, seed=11)

    result = import_roster(store, other.path, operator=organizer)

    assert result.inserted == 100
    assert _count(store, Member) == 1300
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch).where(ImportBatch.finished_at.is_(None))) == 0


def test_the_publish_slices_hold_the_lock_briefly_and_let_another_writer_in(store, tmp_path, monkeypatch, organizer):
    # Between two slices the lock is free: a writer waiting on it gets in while the import runs.
    monkeypatch.setattr(roster_publish, "FIRST_SLICE_ROWS", 300)
    monkeypatch.setattr(roster_publish, "TARGET_HOLD_S", 0.005)
    written = write_roster_csv(tmp_path / "r.csv", 4000, seed=12)
    wrote_during = []

    def progress(p):
        if p.stage == "publishing" and p.rows_done and not wrote_during:
            other = sqlite3.connect(store.paths.database, timeout=5)
            other.execute("INSERT INTO settings (key, value) VALUES ('booth.note', 'written while publishing')")
            other.commit()
            other.close()
            wrote_during.append(p.rows_done)

    result = import_roster(store, written.path, progress=progress, workers=0, operator=organizer)

    assert result.inserted == 4000 and wrote_during and wrote_during[0] < 4000
    assert store.get_setting("booth.note") == "written while publishing"
    assert roster_import.ImportProgress.__doc__ and "publishing" in roster_import.ImportProgress.__doc__


_SLOW_IMPORT = textwrap.dedent(
    r"""
    import sys
    from pathlib import Path
    from station.roster import importer, publish
    from station.roster.importer import import_roster
    from station.security import operators
    from station.store.database import open_store

    data_dir, csv_path, name, secret = sys.argv[1:5]
    store = open_store(Path(data_dir))
    organizer = operators.login(store, name, secret)
    publish.FIRST_SLICE_ROWS = 300
    publish.TARGET_HOLD_S = 0.05
    publish.REBUILD_MIN_NEW = 10  # the index builds too, as a big first import does
    importer.PROGRESS_INTERVAL_S = 0.0
    said = []

    def progress(p):
        if p.stage not in said:
            said.append(p.stage)
            print(p.stage, flush=True)

    result = import_roster(store, Path(csv_path), progress=progress, workers=0, operator=organizer)
    print("done", result.inserted, flush=True)
    """
)


def test_the_booth_signs_people_up_from_another_process_while_a_roster_publishes(
    store, tmp_path, organizer, session
) -> None:
    from station.demo.data import generate_roster_rows
    from station.signup import service as signup

    written = write_roster_csv(tmp_path / "r.csv", 6000, seed=13)
    people = list(generate_roster_rows(6000, seed=13))
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_IMPORT, str(store.paths.root), str(written.path), ORGANIZER, ORGANIZER_SECRET],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        while (line := proc.stdout.readline().strip()) != "publishing":
            assert line, proc.stderr.read() if proc.stderr else "the import ended early"
        outcomes = []
        for person in people[-40:]:  # the last rows of the file: not yet published when signed up, mostly
            unfinished = _count_unfinished(store)
            res = signup.register(store, operator=organizer, name=person["name"], phone=person["phone"],
                                  id_number=person["id_number"], consent=True)  # fmt: skip
            outcomes.append((res.outcome, unfinished))
            if proc.poll() is not None:
                break
        rest, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    # A person signed up before their roster row was published is matched, not added again.
    new = sum(1 for o, _u in outcomes if o == signup.OUTCOME_NEW)
    assert f"done {6000 - new}" in rest
    assert any(unfinished for _outcome, unfinished in outcomes)  # some sign-ups went in while it published
    assert {o for o, _u in outcomes} <= {signup.OUTCOME_NEW, signup.OUTCOME_ROSTER}
    # Each person is one member, on the roster once the import is done, with their one sign-up.
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Member)) == 6000
        assert s.scalar(select(func.count()).select_from(Member).where(Member.on_roster.is_(False))) == 0


def _count_unfinished(store) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(ImportBatch).where(ImportBatch.finished_at.is_(None)))
