"""A busy store: while another process holds SQLite's write lock, the booth, the door and the log-in wait, say
why, and then give their verdict; two processes doing the same thing at once get one verdict each.

Real processes on a real SQLite file: ``hold_write_lock`` (tests/helpers/busy.py) takes the lock with
BEGIN IMMEDIATE in a second process, as a roster import does while it publishes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from helpers.busy import read_line, start_worker, tell, unfinished_roster_import
from helpers.security import ORGANIZER, ORGANIZER_SECRET, PROMOTER, PROMOTER_PIN
from helpers.ui import LI, WANG, ZHANG, put_on_roster, registrations
from sqlalchemy import func, select
from test_checkin_world import World

from station.errors import StationError
from station.i18n import t
from station.security import operators
from station.signup import service as signup
from station.store import writes
from station.store.models import CheckIn, Member, Operator

WAITED_AT_LEAST_S = 1.0  # the holder keeps the lock 1.5 s from when it says so


def sign_up(store, operator, name="王芳", phone="13912345678", id_number=WANG):
    return signup.register(store, operator=operator, name=name, phone=phone, id_number=id_number, consent=True)


def heard_while(fn):
    """(fn(), the keys the waiting listener heard, seconds it took)."""
    heard: list[writes.Waiting] = []
    start = time.monotonic()
    with writes.on_wait(heard.append):
        value = fn()
    return value, [w.key for w in heard], time.monotonic() - start


# -- waiting, then the verdict ----------------------------------------------------------------------------------


def test_a_sign_up_waits_for_the_lock_then_decides(store, organizer, session, hold_write_lock):
    holder = hold_write_lock(1.5)
    res, heard, took = heard_while(lambda: sign_up(store, organizer))
    holder.wait()
    assert res.outcome == signup.OUTCOME_NEW and took >= WAITED_AT_LEAST_S
    assert heard == [writes.WAIT_BUSY]
    assert [r.outcome for r in registrations(store)] == ["new"]


def test_during_a_roster_import_the_wait_is_named_and_the_roster_still_decides(store, organizer, session,
                                                                               hold_write_lock):
    put_on_roster(store, organizer, ZHANG, "张三", "东莞市虎门服装有限公司")
    unfinished_roster_import(store)
    holder = hold_write_lock(1.5)
    res, heard, took = heard_while(lambda: sign_up(store, organizer, name="张三", id_number=ZHANG))
    holder.wait()
    assert res.outcome == signup.OUTCOME_ROSTER and took >= WAITED_AT_LEAST_S
    assert heard == [writes.WAIT_ROSTER]


def test_the_wait_is_said_in_chinese_and_english():
    assert writes.Waiting(writes.WAIT_ROSTER, 1.0).message() == "正在导入名册，请稍候…"
    assert writes.Waiting(writes.WAIT_ROSTER, 1.0).message("en") == "A roster import is running; please wait…"
    assert writes.Waiting(writes.WAIT_BUSY, 1.0).message() == "数据库正忙，请稍候…"
    assert writes.Waiting(writes.WAIT_BUSY, 1.0).message("en") == "The store is busy; please wait…"


def test_a_door_check_waits_then_admits_and_the_next_is_already_admitted(store, organizer, hold_write_lock):
    world = World(store, operator=organizer)
    door = world.service(world.event())
    code = world.token()
    holder = hold_write_lock(1.5)
    v, heard, took = heard_while(lambda: door.check_code(code, "wedge"))
    holder.wait()
    assert v.passed and v.admitted == 1 and took >= WAITED_AT_LEAST_S
    assert heard == [writes.WAIT_BUSY]
    world.clock.advance(10)  # past the repeat window: a second check of the same card
    holder = hold_write_lock(1.5)
    again, heard, _ = heard_while(lambda: door.check_code(code, "wedge"))
    holder.wait()
    assert again.reason == "already" and heard == [writes.WAIT_BUSY]


def test_a_log_in_waits_for_its_attempt_counter_then_logs_in(store, promoter, hold_write_lock):
    holder = hold_write_lock(1.5)
    op, heard, took = heard_while(lambda: operators.login(store, PROMOTER, PROMOTER_PIN))
    holder.wait()
    assert op.name == PROMOTER and took >= WAITED_AT_LEAST_S
    assert heard == [writes.WAIT_BUSY]
    with store.session() as s:
        assert s.scalar(select(Operator.failed_count).where(Operator.name == PROMOTER)) == 0


def test_a_wrong_pin_on_a_busy_store_still_counts(store, promoter, hold_write_lock):
    holder = hold_write_lock(1.5)
    with pytest.raises(StationError) as caught:
        heard_while(lambda: operators.login(store, PROMOTER, "000000"))
    holder.wait()
    assert caught.value.key == "login_wrong_secret" and caught.value.params["left"] == operators.MAX_FAILURES - 1


def test_past_the_deadline_the_sign_up_is_refused_in_a_sentence_and_nothing_is_stored(store, organizer, session,
                                                                                       hold_write_lock):
    store.write_deadline_s = 0.8
    holder = hold_write_lock(0)
    with pytest.raises(StationError) as caught:
        sign_up(store, organizer)
    assert caught.value.key == "db_busy_timeout"
    assert "本次操作未完成" in caught.value.message() and "再试一次" in caught.value.message()
    assert "try again" in caught.value.message("en")
    holder.release()
    holder.wait()
    unfinished_roster_import(store)
    holder = hold_write_lock(0)
    with pytest.raises(StationError) as caught:
        sign_up(store, organizer)
    assert caught.value.key == "db_busy_timeout_roster" and "名册导入结束后" in caught.value.message()
    holder.release()
    holder.wait()
    assert registrations(store) == []
    assert sign_up(store, organizer).outcome == signup.OUTCOME_NEW  # and once it is free, it goes through


def test_a_unit_inside_a_unit_is_a_programming_error_not_a_hang(store):
    with pytest.raises(RuntimeError, match="inside a write unit"):
        store.write(lambda _s: store.set_setting("x", "1"))


def test_on_the_gui_thread_a_busy_store_hands_the_write_back_instead_of_freezing(store, organizer, session,
                                                                                   hold_write_lock):
    holder = hold_write_lock(0)
    start = time.monotonic()
    with pytest.raises(writes.StoreBusy) as caught, writes.no_wait():
        sign_up(store, organizer)
    assert time.monotonic() - start < 1.0 and caught.value.waiting.key == writes.WAIT_BUSY
    holder.release()
    holder.wait()
    assert registrations(store) == []


# -- the command line ----------------------------------------------------------------------------------------------


def station(data_dir, *args, lang: str | None = None) -> subprocess.Popen:
    env = dict(os.environ, STATION_SECRET=ORGANIZER_SECRET)
    argv = [sys.executable, "-m", "station", "--data-dir", str(data_dir), "--operator", ORGANIZER, *args]
    if lang:
        argv[3:3] = ["--lang", lang]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def register_cli(data_dir, name="王芳", id_number=WANG, lang=None) -> subprocess.Popen:
    return station(data_dir, "register", "--name", name, "--phone", "13912345678", "--id-number", id_number,
                   "--consent", lang=lang)


def test_the_cli_says_why_it_waits_once_then_prints_its_verdict(store, data_dir, organizer, session,
                                                                hold_write_lock):
    holder = hold_write_lock(1.5)
    out, err = register_cli(data_dir).communicate(timeout=60)
    holder.wait()
    assert out.strip() == "新会员申请"
    assert err.strip().splitlines() == ["数据库正忙，请稍候…"]


def test_the_cli_in_english_during_a_roster_import(store, data_dir, organizer, session, hold_write_lock):
    unfinished_roster_import(store)
    holder = hold_write_lock(1.5)
    proc = register_cli(data_dir, lang="en")
    out, err = proc.communicate(timeout=60)
    holder.wait()
    assert proc.returncode == 0
    assert out.strip() == "New member application"
    assert err.strip().splitlines() == ["A roster import is running; please wait…"]


def test_the_cli_past_the_deadline_exits_2_with_the_sentence_not_an_internal_error(store, data_dir, organizer,
                                                                                   session, hold_write_lock):
    holder = hold_write_lock(0)
    script = ("import sys; from station.store import writes; writes.DEADLINE_S = 1.0\n"
              "from station.cli.main import main; sys.exit(main(sys.argv[1:]))")
    env = dict(os.environ, STATION_SECRET=ORGANIZER_SECRET)
    proc = subprocess.run([sys.executable, "-c", script, "--data-dir", str(data_dir), "--operator", ORGANIZER,
                           "register", "--name", "王芳", "--phone", "13912345678", "--id-number", WANG, "--consent"],
                          capture_output=True, text=True, env=env, timeout=60)
    holder.release()
    holder.wait()
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[0] == "数据库正忙，请稍候…"
    assert lines[-1] == t("db_busy_timeout", seconds=1)
    assert "内部错误" not in proc.stderr and "Traceback" not in proc.stderr


# -- races: two processes, one verdict each --------------------------------------------------------------------------


def test_two_cli_sign_ups_of_one_person_at_once(store, data_dir, organizer, session, hold_write_lock):
    # Both start while the store is held, wait, and are let go at the same moment.
    holder = hold_write_lock(0)
    procs = [register_cli(data_dir, name="李四", id_number=LI) for _ in range(2)]
    for proc in procs:
        assert proc.stderr is not None
        assert proc.stderr.readline().strip() == "数据库正忙，请稍候…"
    holder.release()
    results = [proc.communicate(timeout=60) for proc in procs]
    holder.wait()
    assert [proc.returncode for proc in procs] == [0, 0], results
    verdicts = sorted(out.strip().split("：")[0] for out, _err in results)
    assert verdicts == sorted(["新会员申请", "已登记"])
    with store.session() as s:
        assert s.scalar(select(func.count(Member.id))) == 1
    assert len(registrations(store)) == 1


def _race(store, data_dir, jobs, hold_write_lock) -> list[str]:
    """Each job in its own process, logged in and waiting inside the same write for the held lock; their verdicts."""
    workers = [start_worker(data_dir, ORGANIZER, ORGANIZER_SECRET, json.dumps(job)) for job in jobs]
    for w in workers:
        assert read_line(w) == "ready"
    holder = hold_write_lock(0)
    for w in workers:
        tell(w, "go")
    for w in workers:  # both are inside their write now, waiting for the same lock
        assert read_line(w) == f"waiting {writes.WAIT_BUSY}"
    holder.release()
    verdicts = [read_line(w) for w in workers]
    for w in workers:
        _out, err = w.communicate(timeout=60)
        assert w.returncode == 0, err
    holder.wait()
    return sorted(verdicts)


def test_two_processes_signing_up_one_roster_member_inside_the_same_write(store, data_dir, organizer, session,
                                                                         hold_write_lock):
    put_on_roster(store, organizer, ZHANG, "张三", "东莞市虎门服装有限公司")
    job = {"do": "register", "name": "张三", "phone": "13800138000", "id_number": ZHANG}
    assert _race(store, data_dir, [job, job], hold_write_lock) == ["verdict already", "verdict roster"]
    assert [r.outcome for r in registrations(store)] == ["roster"]


def test_two_processes_signing_up_one_new_person_inside_the_same_write(store, data_dir, organizer, session,
                                                                      hold_write_lock):
    job = {"do": "register", "name": "王芳", "phone": "13912345678", "id_number": WANG}
    assert _race(store, data_dir, [job, job], hold_write_lock) == ["verdict already", "verdict new"]
    with store.session() as s:
        assert s.scalar(select(func.count(Member.id))) == 1


def test_two_doors_checking_one_code_at_once_admit_it_once(store, data_dir, organizer, hold_write_lock):
    world = World(store, operator=organizer)
    event = world.event()
    job = {"do": "check", "event": event.id, "code": world.token()}
    assert _race(store, data_dir, [job, job], hold_write_lock) == ["verdict already", "verdict pass"]
    with store.session() as s:
        assert s.scalar(select(func.count(CheckIn.id)).where(CheckIn.admitted.is_(True))) == 1


def test_two_cli_door_checks_of_one_code_at_once(store, data_dir, organizer, hold_write_lock):
    world = World(store, operator=organizer)
    event = world.event()
    code = world.token()
    holder = hold_write_lock(0)
    procs = [station(data_dir, "scan", "--event", str(event.id), "--code", code, "--json") for _ in range(2)]
    for proc in procs:
        assert proc.stderr is not None
        assert proc.stderr.readline().strip() == "数据库正忙，请稍候…"
    holder.release()
    results = [proc.communicate(timeout=60) for proc in procs]
    holder.wait()
    assert [proc.returncode for proc in procs] == [0, 0], results
    verdicts = sorted(json.loads(out)["verdicts"][0]["verdict"] + ":" + str(json.loads(out)["verdicts"][0]["reason"])
                      for out, _err in results)
    assert verdicts == ["pass:None", "refuse:already"]
