"""The `station` command's log-in and personal-data commands (issue 4): who may do what, and what they see."""

from __future__ import annotations

import getpass
import json

import pytest
from helpers.security import ORGANIZER, ORGANIZER_SECRET, PROMOTER, PROMOTER_PIN

from station.cli import login as login_cli
from station.cli import main as cli
from station.security import audit
from station.store.database import open_store


@pytest.fixture
def run(data_dir, capsys, monkeypatch):
    """run(*args, secret=None, **env) -> (code, out, err); `secret` goes in STATION_SECRET."""

    def run(*args: str, secret: str | None = None, **env: str) -> tuple[int, str, str]:
        for name in (login_cli.SECRET_ENV, login_cli.NEW_SECRET_ENV, login_cli.RECOVERY_ENV):
            monkeypatch.delenv(name, raising=False)
        if secret is not None:
            monkeypatch.setenv(login_cli.SECRET_ENV, secret)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        code = cli.main(["--data-dir", str(data_dir), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def no_prompt(monkeypatch):
    """Fail the test if anything asks for a secret on the terminal."""

    def refuse(prompt: str = "") -> str:
        raise AssertionError(f"unexpected prompt {prompt!r}")

    monkeypatch.setattr(getpass, "getpass", refuse)


@pytest.fixture
def station(run, no_prompt):
    """A station set up with its organizer and one promoter, through the CLI; returns the recovery key."""
    code, out, _ = run("setup", "--name", ORGANIZER, "--json", secret=ORGANIZER_SECRET)
    assert code == 0
    code, _, err = run("--operator", ORGANIZER, "operators", "add", "--name", PROMOTER, "--role", "promoter",
                       secret=ORGANIZER_SECRET, STATION_NEW_SECRET=PROMOTER_PIN)
    assert code == 0, err
    return json.loads(out)["recovery_key"]


def _audit_actions(data_dir) -> list[str]:
    store = open_store(data_dir)
    try:
        return [e.action for e in reversed(audit.entries(store, limit=None))]
    finally:
        store.close()


# -- setup -------------------------------------------------------------------------------
def test_setup_prints_the_recovery_key_once_with_the_warning(run, data_dir, no_prompt):
    code, out, err = run("setup", "--name", ORGANIZER, secret=ORGANIZER_SECRET)
    assert code == 0, err
    key = next(line.strip() for line in out.splitlines() if line.strip().count("-") == 7)
    assert len(key.replace("-", "")) == 48
    assert out.count(key) == 1 and "只显示这一次" in out and "打印" in out
    # Set up once only, and the key is never shown again.
    code, out2, err = run("setup", "--name", "别人", secret=ORGANIZER_SECRET)
    assert code == 2 and "已设置过管理员" in err and key not in out2 + err
    code, out3, _ = run("--operator", ORGANIZER, "audit", "list", "--json", "--limit", "100", secret=ORGANIZER_SECRET)
    assert key not in out3 and key.replace("-", "") not in out3
    assert key not in (data_dir / "logs" / "station.log").read_text(encoding="utf-8")


def test_setup_json_has_the_key_and_the_warning(run, no_prompt):
    code, out, _ = run("setup", "--name", ORGANIZER, "--json", secret=ORGANIZER_SECRET)
    data = json.loads(out)
    assert code == 0 and data["operator"] == ORGANIZER and data["role"] == "organizer"
    assert len(data["recovery_key"].replace("-", "")) == 48 and "打印" in data["warning"]


def test_setup_asks_twice_on_the_terminal_and_refuses_a_mismatch(run, monkeypatch):
    answers = iter([ORGANIZER_SECRET, ORGANIZER_SECRET + "x"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    code, out, err = run("setup", "--name", ORGANIZER)
    assert code == 2 and "不一致" in err and out == ""
    answers = iter([ORGANIZER_SECRET, ORGANIZER_SECRET])
    code, out, _ = run("setup", "--name", ORGANIZER)
    assert code == 0 and "恢复密钥" in out


def test_setup_says_the_passphrase_rule_before_asking_again(run, monkeypatch):
    prompts = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": prompts.append(prompt) or "短密码")
    code, _, err = run("setup", "--name", ORGANIZER)
    assert code == 2 and "至少 10 个字符" in err and len(prompts) == 1


# -- log-in --------------------------------------------------------------------------------
def test_a_login_command_without_operator_says_how_to_log_in(run, station):
    code, out, err = run("operators", "list")
    assert code == 2 and out == ""
    assert "--operator" in err and "STATION_SECRET" in err and "station --operator 陈主席 operators list" in err


def test_without_any_organizer_the_message_says_to_run_setup(run):
    code, _, err = run("operators", "list")
    assert code == 2 and "station setup --name" in err


def test_wrong_secret_exits_2_with_tries_left(run, station, data_dir):
    code, out, err = run("--operator", ORGANIZER, "operators", "list", secret="这不是正确的密码啊")
    assert code == 2 and out == "" and "不正确" in err and "4 次" in err and "Traceback" not in err
    assert _audit_actions(data_dir)[-1] == "login_failed"


def test_wrong_secret_in_english(run, station):
    code, _, err = run("--lang", "en", "--operator", ORGANIZER, "operators", "list", secret="not the right one")
    assert code == 2 and "Wrong PIN or passphrase" in err


def test_five_wrong_secrets_lock_the_account(run, station):
    for _ in range(4):
        run("--operator", PROMOTER, "operators", "passwd", secret="111222")
    code, _, err = run("--operator", PROMOTER, "operators", "passwd", secret="111222")
    assert code == 2 and "锁定" in err
    code, _, err = run("--operator", PROMOTER, "operators", "passwd", secret=PROMOTER_PIN)
    assert code == 2 and "锁定" in err and "秒" in err


def test_unknown_operator(run, station):
    code, _, err = run("--operator", "王五", "operators", "list", secret="whatever123")
    assert code == 2 and "找不到操作员“王五”" in err


def test_the_secret_is_asked_on_the_terminal_when_not_in_the_environment(run, station, monkeypatch):
    prompts = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": prompts.append(prompt) or ORGANIZER_SECRET)
    code, out, _ = run("--operator", ORGANIZER, "operators", "list", "--json")
    assert code == 0 and prompts == ["陈主席 的密码（PIN）："]
    assert {r["name"]: r["role"] for r in json.loads(out)} == {ORGANIZER: "organizer", PROMOTER: "promoter"}


def test_no_terminal_and_no_environment_says_to_set_station_secret(run, station, monkeypatch):
    def no_tty(prompt: str = "") -> str:
        raise getpass.GetPassWarning("Can not control echo on the terminal.")

    monkeypatch.setattr(getpass, "getpass", no_tty)
    code, _, err = run("--operator", ORGANIZER, "operators", "list")
    assert code == 2 and "STATION_SECRET" in err and "终端" in err


def test_operator_option_is_accepted_after_the_subcommand(run, station):
    code, out, _ = run("operators", "list", "--operator", ORGANIZER, secret=ORGANIZER_SECRET)
    assert code == 0 and PROMOTER in out


# -- operators -------------------------------------------------------------------------------
def test_promoter_cannot_add_or_remove_operators_or_list_them(run, station):
    for args in (("operators", "add", "--name", "王五", "--role", "promoter"),
                 ("operators", "remove", "--name", ORGANIZER), ("operators", "list")):
        code, out, err = run("--operator", PROMOTER, *args, secret=PROMOTER_PIN, STATION_NEW_SECRET="480519")
        assert code == 2 and out == "" and "推广员无权" in err, args


def test_promoter_changes_own_pin_but_not_anothers(run, station):
    code, _, err = run("--operator", PROMOTER, "operators", "passwd", secret=PROMOTER_PIN, STATION_NEW_SECRET="480519")
    assert code == 0 and "已更改" in err + _
    code, _, _ = run("--operator", PROMOTER, "operators", "list", secret="480519")
    assert code == 2  # logged in with the new PIN, but a promoter may not list operators
    code, _, err = run("--operator", PROMOTER, "operators", "passwd", "--name", ORGANIZER, secret="480519",
                       STATION_NEW_SECRET="新的长安镇密码2026")
    assert code == 2 and "推广员无权" in err


def test_organizer_resets_a_promoters_pin_and_removes_them(run, station, data_dir):
    code, _, _ = run("--operator", ORGANIZER, "operators", "passwd", "--name", PROMOTER, secret=ORGANIZER_SECRET,
                     STATION_NEW_SECRET="592046")
    assert code == 0
    assert run("--operator", PROMOTER, "operators", "passwd", secret="592046", STATION_NEW_SECRET="603715")[0] == 0
    code, out, _ = run("--operator", ORGANIZER, "operators", "remove", "--name", PROMOTER, "--json",
                       secret=ORGANIZER_SECRET)
    assert code == 0 and json.loads(out)["removed"] is True
    code, _, err = run("--operator", PROMOTER, "operators", "passwd", secret="603715", STATION_NEW_SECRET="714826")
    assert code == 2 and "找不到操作员" in err
    assert {"operator_add", "secret_change", "operator_remove"} <= set(_audit_actions(data_dir))


def test_new_pin_rules_are_explained(run, station):
    code, _, err = run("--operator", ORGANIZER, "operators", "add", "--name", "王五", "--role", "promoter",
                       secret=ORGANIZER_SECRET, STATION_NEW_SECRET="123456")
    assert code == 2 and "太简单" in err
    code, _, err = run("--lang", "en", "--operator", ORGANIZER, "operators", "add", "--name", "王五", "--role",
                       "organizer", secret=ORGANIZER_SECRET, STATION_NEW_SECRET="short")
    assert code == 2 and "at least 10 characters" in err


def test_bad_role_is_an_argument_error(run, station):
    code, _, err = run("operators", "add", "--name", "王五", "--role", "boss")
    assert code == 2 and "boss" in err and "promoter" in err


# -- recovery ----------------------------------------------------------------------------------
def test_recover_with_the_key_sets_a_new_passphrase(run, station, data_dir):
    new = "新的长安镇密码2026"
    code, out, err = run("recover", "--name", ORGANIZER, STATION_RECOVERY_KEY=station, STATION_NEW_SECRET=new)
    assert code == 0 and "新密码" in out, err
    assert run("--operator", ORGANIZER, "operators", "list", secret=ORGANIZER_SECRET)[0] == 2
    assert run("--operator", ORGANIZER, "operators", "list", secret=new)[0] == 0
    assert "recover" in _audit_actions(data_dir)


def test_recover_names_the_mistyped_group_before_asking_for_a_passphrase(run, station, monkeypatch):
    groups = station.split("-")
    groups[2] = groups[2][:5] + str((int(groups[2][5]) + 1) % 10)
    asked = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": asked.append(prompt) or "-".join(groups))
    code, _, err = run("recover", "--name", ORGANIZER)
    assert code == 2 and "第 3 组" in err and len(asked) == 1


def test_recover_with_another_stations_key_is_refused(run, station):
    other = "-".join(f"{11 * i:06d}" for i in range(1, 9))
    code, _, err = run("--lang", "en", "recover", STATION_RECOVERY_KEY=other, STATION_NEW_SECRET="新的长安镇密码2026")
    assert code == 2 and "not this station's recovery key" in err


# -- settings and the audit log ----------------------------------------------------------------------
def test_settings_set_is_organizer_only_checked_and_audited(run, station, data_dir):
    code, _, err = run("--operator", PROMOTER, "settings", "set", "retention.days", "7", secret=PROMOTER_PIN)
    assert code == 2 and "推广员无权" in err
    code, _, err = run("--operator", ORGANIZER, "settings", "set", "security.idle_lock_minutes", "600",
                       secret=ORGANIZER_SECRET)
    assert code == 2 and "1 到 60" in err
    code, out, _ = run("--operator", ORGANIZER, "settings", "set", "retention.days", "7", "--json",
                       secret=ORGANIZER_SECRET)
    assert code == 0 and json.loads(out) == {"key": "retention.days", "old": 30, "value": 7}
    code, out, _ = run("settings", "list", "--json")
    assert json.loads(out) == {"security.idle_lock_minutes": 5, "retention.days": 7}
    assert _audit_actions(data_dir)[-1] == "setting"
    # Without --json the change is said in words (the message's own {key} once made this an internal error).
    code, out, _ = run("--operator", ORGANIZER, "settings", "set", "retention.days", "8", secret=ORGANIZER_SECRET)
    assert code == 0 and out.strip() == "retention.days：7 → 8（已记入审计日志）"


def test_audit_list_is_for_organizers(run, station):
    assert run("audit", "list")[0] == 2
    code, _, err = run("--operator", PROMOTER, "audit", "list", secret=PROMOTER_PIN)
    assert code == 2 and "推广员无权" in err
    code, out, _ = run("--operator", ORGANIZER, "audit", "list", "--json", secret=ORGANIZER_SECRET)
    assert code == 0 and json.loads(out)[0]["action"] == "login"


def test_audit_verify_checks_the_keyed_anchor_when_logged_in(run, station, data_dir):
    code, out, _ = run("audit", "verify", "--json")
    assert code == 0 and json.loads(out)["anchor_checked"] is False
    code, out, _ = run("--operator", ORGANIZER, "audit", "verify", secret=ORGANIZER_SECRET)
    assert code == 0 and "受密钥保护" in out
    # Cut the tail and rewind the plain head: only the keyed anchor can tell.
    import sqlite3

    con = sqlite3.connect(data_dir / "station.sqlite")
    last = con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    con.execute("DELETE FROM audit_log WHERE seq >= ?", (last - 1,))
    prev = con.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    con.execute("UPDATE settings SET value = ? WHERE key = 'audit.head'", (json.dumps({"seq": prev[0], "hash": prev[1]}),))
    con.commit()
    con.close()
    assert run("audit", "verify")[0] == 0  # without the key it cannot see it
    code, out, err = run("--lang", "en", "--operator", ORGANIZER, "audit", "verify", "--json", secret=ORGANIZER_SECRET)
    data = json.loads(out)
    assert code == 2 and data["ok"] is False and data["anchor_checked"] is True and "verification failed" in err


# -- personal data: lists, export, unmask, purge -------------------------------------------------------
def _id(first17: str) -> str:
    from station.people.idnumber import check_digit

    return first17 + check_digit(first17)


LI_ID, LI_PHONE = _id("43052419950305456"), "13912345678"
WANG_ID, WANG_PHONE = _id("44190019800101123"), "13800138000"
FORMULA = "=HYPERLINK(\"http://x\",\"点我\")"


@pytest.fixture
def booth(run, station):
    """Two sign-ups at an open booth session, one of them from an enterprise named like a formula."""
    as_org = {"secret": ORGANIZER_SECRET}
    assert run("--operator", ORGANIZER, "event", "open", "--venue", "一号饭堂", "--promoter", PROMOTER, **as_org)[0] == 0
    for name, phone, number, ent in (("李四", LI_PHONE, LI_ID, "东莞市长安电子有限公司"), ("王芳", WANG_PHONE, WANG_ID, FORMULA)):
        code, _, err = run("--operator", PROMOTER, "register", "--name", name, "--phone", phone, "--id-number", number,
                           "--enterprise", ent, "--consent", secret=PROMOTER_PIN)
        assert code == 0, err
    return station


def _clear_values_in(text: str) -> list[str]:
    return [v for v in (LI_ID, LI_PHONE, WANG_ID, WANG_PHONE, "李四", "王芳") if v in text]


def test_personal_data_commands_need_a_log_in(run, booth):
    for args in (("registrations", "list"), ("roster", "find", "ls"),
                 ("register", "--name", "赵六", "--phone", "13711112222", "--id-number", LI_ID, "--consent"),
                 ("export", "--purpose", "月度报送名单", "--out", "x.csv"), ("unmask", "--member", "1", "--reason", "核对"),
                 ("purge",)):
        code, out, err = run(*args)
        assert code == 2 and out == "" and "--operator" in err, args


def test_lists_are_masked_for_everyone_by_default(run, booth):
    for who, secret in ((PROMOTER, PROMOTER_PIN), (ORGANIZER, ORGANIZER_SECRET)):
        code, out, _ = run("--operator", who, "registrations", "list", "--json", secret=secret)
        assert code == 0 and len(json.loads(out)) == 2 and _clear_values_in(out) == []
        code, out, _ = run("--operator", who, "roster", "find", "ls", secret=secret)
        assert code == 0 and "李*" in out and _clear_values_in(out) == []


def test_unmasked_lists_are_organizer_only_need_a_reason_and_are_audited(run, booth, data_dir):
    code, out, err = run("--operator", PROMOTER, "registrations", "list", "--unmasked", "--reason", "核对",
                         secret=PROMOTER_PIN)
    assert code == 2 and out == "" and "推广员无权" in err
    code, out, err = run("--operator", ORGANIZER, "roster", "find", "ls", "--unmasked", secret=ORGANIZER_SECRET)
    assert code == 2 and out == "" and "--reason" in err
    before = len(_audit_actions(data_dir))
    code, out, _ = run("--operator", ORGANIZER, "registrations", "list", "--unmasked", "--reason", "职工来电核对",
                       "--json", secret=ORGANIZER_SECRET)
    rows = json.loads(out)
    assert code == 0 and {r["phone"] for r in rows} == {LI_PHONE, WANG_PHONE} and {r["id_number"] for r in rows} == {LI_ID, WANG_ID}
    code, out, _ = run("--operator", ORGANIZER, "roster", "find", LI_PHONE[-4:], "--unmasked", "--reason", "核对身份",
                       "--json", secret=ORGANIZER_SECRET)
    assert code == 0 and json.loads(out)[0]["id_number"] == LI_ID
    store = open_store(data_dir)
    try:
        unmasks = [e for e in audit.entries(store, limit=None) if e.seq > before and e.action == "unmask"]
    finally:
        store.close()
    details = sorted((json.loads(e.details) for e in unmasks), key=lambda d: d["rows"])
    assert [d["rows"] for d in details] == [1, 2] and details[0]["reason"] == "核对身份"
    assert sorted(details[1]["targets"]) == sorted(r["uuid"] for r in rows)


def test_promoter_cannot_export_or_unmask(run, booth, tmp_path):
    out_file = tmp_path / "名单.csv"
    code, _, err = run("--operator", PROMOTER, "export", "--purpose", "向镇总工会报送名单", "--out", str(out_file),
                       secret=PROMOTER_PIN)
    assert code == 2 and "推广员无权" in err and not out_file.exists()
    code, _, err = run("--operator", PROMOTER, "unmask", "--member", "1", "--reason", "核对身份", secret=PROMOTER_PIN)
    assert code == 2 and "推广员无权" in err


def test_export_is_masked_formula_safe_and_audited(run, booth, tmp_path, data_dir):
    import csv

    out_file = tmp_path / "名单.csv"
    code, out, err = run("--operator", ORGANIZER, "export", "--purpose", "向镇总工会报送本月新会员名单", "--out",
                         str(out_file), "--json", secret=ORGANIZER_SECRET)
    assert code == 0, err
    res = json.loads(out)
    assert res["rows"] == 2 and res["masked"] is True
    raw = out_file.read_text(encoding="utf-8-sig")
    assert _clear_values_in(raw) == [] and "李*" in raw and "4305**********" in raw
    with out_file.open(encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert "'" + FORMULA in cells and FORMULA not in [c for c in cells if not c.startswith("'")]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    store = open_store(data_dir)
    try:
        entry = audit.entries(store, limit=1)[0]
    finally:
        store.close()
    details = json.loads(entry.details)
    assert entry.action == "export" and entry.seq == res["audit_seq"] and entry.operator == ORGANIZER
    assert details["purpose"] == "向镇总工会报送本月新会员名单" and details["rows"] == 2 and details["masked"] is True
    assert _clear_values_in(entry.details + (entry.target or "")) == []


def test_unmasked_xlsx_export_has_the_full_values_as_text(run, booth, tmp_path):
    from openpyxl import load_workbook

    out_file = tmp_path / "名单.xlsx"
    code, out, _ = run("--lang", "en", "--operator", ORGANIZER, "export", "--purpose", "core-platform correction",
                       "--out", str(out_file), "--unmasked", secret=ORGANIZER_SECRET)
    assert code == 0 and "full ID numbers" in out
    ws = load_workbook(out_file).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert ws["A1"].value == "Signed up at" and LI_ID in values and WANG_PHONE in values
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row if c.value is not None)


def test_export_needs_a_purpose_and_a_known_format(run, booth, tmp_path):
    code, _, err = run("--operator", ORGANIZER, "export", "--purpose", "看看", "--out", str(tmp_path / "a.csv"),
                       secret=ORGANIZER_SECRET)
    assert code == 2 and "用途" in err
    code, _, err = run("--operator", ORGANIZER, "export", "--purpose", "月度报送名单", "--out", str(tmp_path / "a.pdf"),
                       secret=ORGANIZER_SECRET)
    assert code == 2 and ".csv" in err
    code, _, err = run("--operator", ORGANIZER, "export", "--what", "roster", "--date", "2026-11-25", "--purpose",
                       "月度报送名单", "--out", str(tmp_path / "a.csv"), secret=ORGANIZER_SECRET)
    assert code == 2 and "--date" in err


def test_export_of_the_roster(run, station, tmp_path, data_dir):
    from station.security import operators, protect
    from station.store.models import Member

    store = open_store(data_dir)
    try:
        org = operators.login(store, ORGANIZER, ORGANIZER_SECRET)
        with store.session() as s:
            s.add(Member(name="张三丰", initials="zsf", on_roster=True, **protect.member_fields(org.cipher, WANG_ID, WANG_PHONE)))
            s.commit()
    finally:
        store.close()
    out_file = tmp_path / "名册.csv"
    code, out, _ = run("--operator", ORGANIZER, "export", "--what", "roster", "--purpose", "名册核对用", "--out",
                       str(out_file), "--unmasked", "--json", secret=ORGANIZER_SECRET)
    assert code == 0 and json.loads(out)["rows"] == 1
    assert WANG_ID in out_file.read_text(encoding="utf-8-sig")


def test_unmask_one_record_shows_it_and_audits_first(run, booth, data_dir):
    code, out, _ = run("--operator", ORGANIZER, "registrations", "list", "--json", secret=ORGANIZER_SECRET)
    li = next(r for r in json.loads(out) if r["name"] == "李*")
    code, out, err = run("--operator", ORGANIZER, "unmask", "--registration", li["uuid"], "--reason", "职工来电核对",
                         "--json", secret=ORGANIZER_SECRET)
    rec = json.loads(out)
    assert code == 0 and rec["phone"] == LI_PHONE and rec["id_number"] == LI_ID and rec["name"] == "李四"
    code, out, _ = run("--operator", ORGANIZER, "unmask", "--member", str(rec["member_id"]), "--reason", "核对身份",
                       secret=ORGANIZER_SECRET)
    assert code == 0 and LI_ID in out and "审计" in err + _
    store = open_store(data_dir)
    try:
        entries = [e for e in audit.entries(store, limit=4) if e.action == "unmask"]
    finally:
        store.close()
    assert [e.target for e in entries] == [f"member:{rec['member_id']}", f"registration:{li['uuid']}"]
    code, _, err = run("--operator", ORGANIZER, "unmask", "--member", "999", "--reason", "核对身份", secret=ORGANIZER_SECRET)
    assert code == 2 and "999" in err
    code, _, err = run("--operator", ORGANIZER, "unmask", "--member", "1", "--reason", " ", secret=ORGANIZER_SECRET)
    assert code == 2 and "理由" in err


def test_purge_is_organizer_only(run, booth):
    code, _, err = run("--operator", PROMOTER, "purge", secret=PROMOTER_PIN)
    assert code == 2 and "推广员无权" in err
    code, out, _ = run("--operator", ORGANIZER, "purge", "--json", secret=ORGANIZER_SECRET)
    assert code == 0 and json.loads(out) == {"registrations": 0, "members": 0, "backups": 0, "days": 30}
    code, out, _ = run("--operator", ORGANIZER, "purge", secret=ORGANIZER_SECRET)
    assert code == 0 and "保留期 30 天" in out


def test_draw_logs_in_and_shows_only_masked_winners(run, booth):
    code, out, _ = run("--operator", ORGANIZER, "event", "current", "--json", secret=ORGANIZER_SECRET)
    event = json.loads(out)["event_uuid"]
    assert run("draw", "prizes", "add", "--event", event, "--name", "电影票", "--stock", "2")[0] == 0
    code, _, err = run("draw", "run", "--event", event, "--prize", "电影票")
    assert code == 2 and "--operator" in err
    code, out, _ = run("--operator", PROMOTER, "draw", "run", "--event", event, "--prize", "电影票", "--count", "2",
                       secret=PROMOTER_PIN)
    assert code == 0 and _clear_values_in(out) == [] and LI_PHONE[-4:] in out and WANG_PHONE[-4:] in out


# -- a store from before encryption -------------------------------------------------------------------
def _legacy_member(data_dir) -> None:
    """A roster member as a pre-0006 station stored it: ID and mobile in clear."""
    import sqlite3

    con = sqlite3.connect(data_dir / "station.sqlite")
    con.execute("INSERT INTO members (name, initials, id_number, phone, id_tail, phone_tail, on_roster, created_at, "
                "updated_at) VALUES ('王芳', 'wf', ?, ?, ?, ?, 1, '2026-01-01', '2026-01-01')",
                (WANG_ID, WANG_PHONE, WANG_ID[-4:], WANG_PHONE[-4:]))
    con.commit()
    con.close()


def test_old_plaintext_is_encrypted_at_the_first_organizer_log_in(run, station, data_dir):
    from station.security import protect

    _legacy_member(data_dir)
    code, out, err = run("--operator", PROMOTER, "roster", "find", "wf", secret=PROMOTER_PIN)
    assert code == 2 and out == "" and "管理员" in err and "加密" in err
    code, out, err = run("--operator", ORGANIZER, "roster", "find", "wf", "--json", secret=ORGANIZER_SECRET)
    assert code == 0 and "加密完成" in err and "会员 1 条" in err
    assert json.loads(out)[0]["phone"] == "138****8000"
    store = open_store(data_dir)
    try:
        assert not protect.needs_encryption(store)
    finally:
        store.close()
    assert WANG_ID.encode() not in (data_dir / "station.sqlite").read_bytes()
    code, out, _ = run("--operator", PROMOTER, "roster", "find", WANG_PHONE, "--json", secret=PROMOTER_PIN)
    assert code == 0 and len(json.loads(out)) == 1


def _sql(data_dir, statement: str, *params) -> None:
    import sqlite3

    con = sqlite3.connect(data_dir / "station.sqlite")
    con.execute(statement, params)
    con.commit()
    con.close()


def test_a_damaged_key_slot_is_named_and_not_counted_as_a_guess(run, station, data_dir):
    _sql(data_dir, "UPDATE key_slots SET checksum = zeroblob(8) WHERE operator_id = "
                   "(SELECT id FROM operators WHERE name = ?)", PROMOTER)
    code, out, err = run("--operator", PROMOTER, "registrations", "list", secret=PROMOTER_PIN)
    assert code == 2 and out == "" and "损坏" in err and PROMOTER in err and "Traceback" not in err
    code, _, err = run("--lang", "en", "--operator", PROMOTER, "registrations", "list", secret=PROMOTER_PIN)
    assert code == 2 and "damaged" in err
    assert run("--operator", ORGANIZER, "registrations", "list", secret=ORGANIZER_SECRET)[0] == 0


def test_key_slots_of_another_station_are_refused(run, station, data_dir):
    """Slots carried in from another station's database (well-formed, checksums right)."""
    from station.security import keyslots
    from station.store.models import KeySlot

    store = open_store(data_dir)
    try:
        with store.session() as s:
            for slot in s.query(KeySlot):
                slot.station_uuid = "00000000-0000-4000-8000-000000000000"
                slot.checksum = keyslots._checksum(slot)
            s.commit()
    finally:
        store.close()
    code, out, err = run("--operator", ORGANIZER, "registrations", "list", secret=ORGANIZER_SECRET)
    assert code == 2 and out == "" and "另一台工作站" in err and "Traceback" not in err


def test_a_database_of_another_station_is_refused_at_open(run, station, data_dir):
    _sql(data_dir, "UPDATE station_identity SET uuid = '00000000-0000-4000-8000-000000000000'")
    code, out, err = run("--operator", ORGANIZER, "registrations", "list", secret=ORGANIZER_SECRET)
    assert code == 2 and out == "" and "另一台工作站" in err and "Traceback" not in err


def test_ctrl_d_at_the_prompt_cancels(run, station, monkeypatch):
    def eof(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr(getpass, "getpass", eof)
    code, out, err = run("--operator", ORGANIZER, "operators", "list")
    assert code == 130 and out == "" and "Traceback" not in err


def test_roster_import_is_organizer_only_and_then_found_masked(run, station, tmp_path):
    import csv
    import inspect

    from station.roster import importer as roster_import

    if "operator" not in inspect.signature(roster_import.import_roster).parameters:
        pytest.skip("roster import under the operator's key lands with the import-crypt branch")
    sheet = tmp_path / "名册.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["姓名", "身份证号码", "手机号码", "单位名称"])
        w.writerow(["王芳", WANG_ID, WANG_PHONE, "东莞市长安电子有限公司"])
    code, _, err = run("--operator", PROMOTER, "roster", "import", str(sheet), secret=PROMOTER_PIN)
    assert code == 2 and "推广员无权" in err
    code, out, err = run("--operator", ORGANIZER, "roster", "import", str(sheet), "--json", secret=ORGANIZER_SECRET)
    assert code == 0 and json.loads(out)["inserted"] == 1, err
    code, out, _ = run("--operator", PROMOTER, "roster", "find", WANG_PHONE[-4:], "--json", secret=PROMOTER_PIN)
    assert code == 0 and json.loads(out)[0]["id_number"] == "4419**********" + WANG_ID[-4:]


def test_setup_on_a_store_from_before_encryption_converts_it(run, data_dir, no_prompt):
    assert run("init")[0] == 0
    _legacy_member(data_dir)
    code, out, err = run("setup", "--name", ORGANIZER, secret=ORGANIZER_SECRET)
    assert code == 0 and "恢复密钥" in out and "加密完成" in err
    assert WANG_PHONE.encode() not in (data_dir / "station.sqlite").read_bytes()


def test_an_organizer_log_in_warns_of_a_tampered_audit_log_but_works(run, station, data_dir):
    assert run("--operator", ORGANIZER, "operators", "list", secret=ORGANIZER_SECRET)[2] == ""
    _sql(data_dir, "UPDATE audit_log SET target = 'x' WHERE seq = 2")
    code, out, err = run("--operator", ORGANIZER, "operators", "list", secret=ORGANIZER_SECRET)
    assert code == 0 and PROMOTER in out and "警告" in err and "第 2 条" in err
    code, _, err = run("--operator", PROMOTER, "operators", "passwd", secret=PROMOTER_PIN, STATION_NEW_SECRET="480519")
    assert code == 0 and "警告" not in err  # promoters are not told about the audit log
