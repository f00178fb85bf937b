"""The local store: durable, migrated, self-checking, restorable.

These tests open real SQLite files in a temporary directory; nothing is
mocked, because what they specify is how the file behaves on disk.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select

from station.errors import StationError
from station.store import peers  # noqa: F401  (the live-sync tables: part of the schema)
from station.store.database import (
    KEEP_BACKUPS,
    SCHEMA_HEAD,
    _alembic_config,
    alembic_head,
    list_backups,
    make_engine,
    open_store,
    restore_backup,
    schema_version,
)
from station.store.models import Base, Setting, StationIdentity
from station.store.paths import DataPaths

REPO = Path(__file__).resolve().parent.parent


def _fill_settings(store, count: int) -> None:
    """Enough rows that the settings table spans many pages of the file."""
    with store.session() as s:
        s.add_all(Setting(key=f"filler-{i:05d}", value="填充" * 20) for i in range(count))
        s.commit()


def _scribble_over_page(database: Path, page_no: int) -> None:
    """Overwrite one page (1-based) with garbage, as a bad sector or a torn write would.

    The 16-byte file header stays intact, so the file still looks like
    SQLite and only the integrity check can tell.
    """
    conn = sqlite3.connect(database)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    start = (page_no - 1) * page_size + (100 if page_no == 1 else 0)
    with database.open("r+b") as fh:
        fh.seek(start)
        fh.write(b"\xa5" * (page_size - (start % page_size)))


def _page_count(database: Path) -> int:
    conn = sqlite3.connect(database)
    try:
        return conn.execute("PRAGMA page_count").fetchone()[0]
    finally:
        conn.close()


# -- durability pragmas ------------------------------------------------------


def test_every_connection_uses_wal_with_full_sync(store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # 2 = FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_orm_sessions_get_the_same_pragmas(store) -> None:
    with store.session() as s:
        assert s.connection().exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert s.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_wal_mode_is_recorded_in_the_file_itself(store) -> None:
    # A plain sqlite3 connection that sets no pragma still sees WAL: the mode
    # is persistent, so tools like `sqlite3` on the command line cannot undo it.
    conn = sqlite3.connect(store.paths.database)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


# -- migrations --------------------------------------------------------------


def test_schema_head_constant_matches_alembic_head() -> None:
    assert alembic_head() == SCHEMA_HEAD


def test_opening_an_empty_directory_migrates_to_head(store) -> None:
    assert schema_version(store.engine) == SCHEMA_HEAD
    tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrated_schema_matches_the_models_exactly(store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        diffs = compare_metadata(context, Base.metadata)
    assert diffs == [], f"migrations and station/store/models.py disagree; write a migration for: {diffs}"


def _revisions_oldest_first() -> list[tuple[str, str | None]]:
    script = ScriptDirectory.from_config(_alembic_config())
    revs = list(script.walk_revisions())
    revs.reverse()
    return [(r.revision, r.down_revision) for r in revs]  # type: ignore[misc]


@pytest.mark.parametrize(("revision", "previous"), _revisions_oldest_first(), ids=lambda v: str(v))
def test_each_migration_applies_on_top_of_the_previous_one(tmp_path: Path, revision: str, previous: str | None) -> None:
    engine = make_engine(tmp_path / "step.sqlite")
    try:
        cfg = _alembic_config()
        if previous is not None:
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, previous)
            assert schema_version(engine) == previous
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        assert schema_version(engine) == revision
    finally:
        engine.dispose()


def test_reopening_a_current_store_keeps_its_data(data_dir: Path) -> None:
    first = open_store(data_dir)
    first.set_setting("kept", "是")
    first.close()
    again = open_store(data_dir)
    try:
        assert schema_version(again.engine) == SCHEMA_HEAD
        assert again.get_setting("kept") == "是"
    finally:
        again.close()


def test_a_store_from_a_newer_program_is_refused(data_dir: Path) -> None:
    first = open_store(data_dir)
    with first.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    first.close()
    with pytest.raises(StationError) as err:
        open_store(data_dir)
    assert err.value.key == "db_newer_schema"


# -- identity ----------------------------------------------------------------


def test_station_identity_is_created_once_and_kept_across_reopen(data_dir: Path) -> None:
    first = open_store(data_dir, station_name="东莞一号")
    uuid, name = first.identity.uuid, first.identity.name
    first.close()

    again = open_store(data_dir)
    try:
        assert again.identity.uuid == uuid
        assert again.identity.name == name == "东莞一号"
        with again.session() as s:
            assert s.scalar(select(func.count()).select_from(StationIdentity)) == 1
    finally:
        again.close()


def test_renaming_the_station_keeps_its_uuid(data_dir: Path) -> None:
    first = open_store(data_dir, station_name="旧名")
    uuid = first.identity.uuid
    first.close()
    again = open_store(data_dir, station_name="新名")
    try:
        assert (again.identity.uuid, again.identity.name) == (uuid, "新名")
    finally:
        again.close()


# -- damage and bad places ---------------------------------------------------


def test_corrupted_file_fails_the_integrity_check_with_db_corrupt(data_dir: Path) -> None:
    s = open_store(data_dir)
    _fill_settings(s, 3000)
    s.close()
    database = DataPaths(data_dir).database
    _scribble_over_page(database, _page_count(database) // 2)

    with pytest.raises(StationError) as err:
        open_store(data_dir)
    assert err.value.key == "db_corrupt"
    assert "station restore" in err.value.message("en")


def test_quick_check_also_catches_a_corrupted_file(data_dir: Path) -> None:
    s = open_store(data_dir)
    _fill_settings(s, 3000)
    s.close()
    database = DataPaths(data_dir).database
    _scribble_over_page(database, _page_count(database) // 2)

    with pytest.raises(StationError) as err:
        open_store(data_dir, integrity="quick")
    assert err.value.key == "db_corrupt"


def test_a_file_that_is_not_sqlite_gives_db_not_database(data_dir: Path) -> None:
    paths = DataPaths(data_dir)
    paths.ensure()
    paths.database.write_bytes("姓名,手机号\n张三,13800138000\n".encode("gbk"))
    with pytest.raises(StationError) as err:
        open_store(data_dir)
    assert err.value.key == "db_not_database"
    # The stray file is left alone: it may be something the user needs.
    assert paths.database.read_bytes().startswith("姓名".encode("gbk"))


def test_data_dir_under_a_file_gives_data_dir_unwritable(tmp_path: Path) -> None:
    in_the_way = tmp_path / "not-a-folder"
    in_the_way.write_text("x")
    with pytest.raises(StationError) as err:
        open_store(in_the_way / "data")
    assert err.value.key == "data_dir_unwritable"
    assert "--data-dir" in err.value.message("en")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions that bind (not root)")
def test_read_only_data_dir_gives_data_dir_unwritable(data_dir: Path) -> None:
    DataPaths(data_dir).ensure()
    data_dir.chmod(0o500)
    try:
        with pytest.raises(StationError) as err:
            open_store(data_dir)
        assert err.value.key == "data_dir_unwritable"
    finally:
        data_dir.chmod(0o700)


# -- backups -----------------------------------------------------------------


def test_backups_rotate_keeping_the_newest_seven(store) -> None:
    made = [store.backup(reason=f"r{i}").path.name for i in range(KEEP_BACKUPS + 3)]
    kept = [b.name for b in list_backups(store.paths)]
    assert KEEP_BACKUPS == 7
    assert kept == list(reversed(made[-KEEP_BACKUPS:]))
    assert not list(store.paths.backups.glob("*.partial"))


def test_a_backup_is_a_consistent_readable_database(store) -> None:
    store.set_setting("in-backup", "1")
    backup = store.backup()
    conn = sqlite3.connect(backup.path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT value FROM settings WHERE key = 'in-backup'").fetchone() == ("1",)
    finally:
        conn.close()


def test_restore_brings_back_the_data_and_keeps_the_damaged_file(data_dir: Path) -> None:
    s = open_store(data_dir)
    s.set_setting("摊位", "backed up")
    _fill_settings(s, 3000)
    s.backup(reason="manual")
    s.set_setting("摊位", "after the backup")
    paths = s.paths
    s.close()
    _scribble_over_page(paths.database, _page_count(paths.database) // 2)
    damaged = paths.database.read_bytes()
    with pytest.raises(StationError):
        open_store(data_dir)

    chosen, kept = restore_backup(paths)

    assert chosen.name.endswith("-manual.sqlite")
    assert kept is not None and kept.read_bytes() == damaged
    restored = open_store(data_dir)
    try:
        assert restored.get_setting("摊位") == "backed up"
    finally:
        restored.close()


def test_restore_without_backups_says_so(data_dir: Path) -> None:
    with pytest.raises(StationError) as err:
        restore_backup(DataPaths(data_dir))
    assert err.value.key == "no_backups"


# -- durability across a crash -----------------------------------------------

_CHILD = textwrap.dedent(
    """
    import os, sys, time
    from station.store.database import open_store

    store = open_store(sys.argv[1], integrity="none")
    store.set_setting("durable", "saved before the crash")
    if sys.argv[2] == "exit":
        os._exit(0)  # no close(), no checkpoint, no atexit
    print("committed", flush=True)
    time.sleep(120)
    """
)


def _child(data_dir: Path, mode: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(data_dir), mode],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


def _assert_row_survived(data_dir: Path) -> None:
    after = open_store(data_dir)
    try:
        assert after.get_setting("durable") == "saved before the crash"
    finally:
        after.close()


def test_a_commit_survives_the_process_exiting_without_cleanup(data_dir: Path) -> None:
    open_store(data_dir).close()
    proc = _child(data_dir, "exit")
    try:
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
    _assert_row_survived(data_dir)


def test_a_commit_survives_the_process_being_killed(data_dir: Path) -> None:
    open_store(data_dir).close()
    proc = _child(data_dir, "kill")
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "committed"
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        proc.wait(timeout=30)
    finally:
        proc.kill()
        if proc.stdout:
            proc.stdout.close()
    # The row lives only in the -wal file now: nothing checkpointed it.
    assert DataPaths(data_dir).database.with_name("station.sqlite-wal").stat().st_size > 0
    _assert_row_survived(data_dir)


def test_start_backup_is_skipped_when_one_is_recent(tmp_path):
    from station.store.database import list_backups, open_store

    store = open_store(tmp_path)
    assert store.backup_if_due("start") is not None
    assert store.backup_if_due("start") is None
    assert len(list_backups(store.paths)) == 1
    assert store.backup_if_due("start", min_hours=0) is not None


def test_a_database_from_another_station_is_refused_in_this_folder(tmp_path: Path) -> None:
    mine = open_store(tmp_path / "mine", station_name="甲站")
    mine.close()
    theirs = open_store(tmp_path / "theirs", station_name="乙站")
    theirs.close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / "mine" / f"station.sqlite{suffix}").unlink(missing_ok=True)
    shutil.copyfile(tmp_path / "theirs" / "station.sqlite", tmp_path / "mine" / "station.sqlite")
    with pytest.raises(StationError) as err:
        open_store(tmp_path / "mine")
    assert err.value.key == "db_other_station"
    # Moving a station's database into an empty folder (a new laptop) still works.
    (tmp_path / "new").mkdir()
    shutil.copyfile(tmp_path / "theirs" / "station.sqlite", tmp_path / "new" / "station.sqlite")
    moved = open_store(tmp_path / "new")
    assert moved.identity.name == "乙站"
    moved.close()


def test_a_store_with_sign_ups_migrates_through_table_rebuilds(tmp_path: Path) -> None:
    """Batch migrations rebuild referenced tables (0006 rebuilds members): foreign keys must be off meanwhile."""
    from sqlalchemy import text

    engine = make_engine(tmp_path / "station.sqlite")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO events (uuid, kind, name, date, venue, created_at) "
                          "VALUES ('e', 'booth', '摊位', '2026-11-25', '饭堂', '2026-11-25')"))
        conn.execute(text("INSERT INTO members (name, initials, id_number, id_tail, on_roster, created_at, updated_at) "
                          "VALUES ('张三', 'zs', '44190019800101123X', '123X', 1, '2026-11-25', '2026-11-25')"))
        conn.execute(text("INSERT INTO registrations (uuid, member_id, event_id, name, phone, phone_tail, outcome, "
                          "consent_version, source, station_uuid, station_name, created_at) VALUES ('r', 1, 1, '张三', "
                          "'13800138000', '8000', 'roster', 'v1', 'booth', 's', 'n', '2026-11-25')"))
    engine.dispose()
    store = open_store(tmp_path, integrity="none")
    try:
        assert schema_version(store.engine) == SCHEMA_HEAD
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM registrations")).scalar() == 1
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        store.close()
