"""Who is at the station: the first-run wizard, log-in, lockout, roles on screen, the lock, unmasking, organizer screens."""

from __future__ import annotations

import csv
import threading

import pytest
from helpers.ui import (
    UI_ORGANIZER,
    UI_ORGANIZER_SECRET,
    UI_PROMOTER,
    UI_PROMOTER_PIN,
    WANG,
    ZHANG,
    open_window,
    type_text,
    wait_idle,
)
from PySide6.QtCore import Qt
from sqlalchemy import select, update

from station.checkin import synth as scan_synth
from station.security import audit, operators
from station.security.operators import ORGANIZER, PROMOTER
from station.signup import service as signup
from station.store.models import AuditEntry, Member


def actions(store) -> list[str]:
    return [e.action for e in reversed(audit.entries(store, limit=None))]


def log_in(qtbot, win, name: str, secret: str) -> None:
    page = win.gate.login
    assert win.gate.stack.currentWidget() is page
    page.name_combo.setEditText(name)
    page.secret_edit.setFocus()
    page.secret_edit.clear()
    type_text(qtbot, page.secret_edit, secret)
    qtbot.keyClick(page.secret_edit, Qt.Key.Key_Return)  # Enter submits
    qtbot.waitUntil(lambda: not page.busy, timeout=5000)


# -- first run ------------------------------------------------------------------------------------


def test_first_run_shows_the_recovery_key_once_and_wants_its_last_group_typed(qtbot, store, ui_lang):
    win = open_window(qtbot, store)
    wizard = win.gate.wizard
    assert win.gate.stack.currentWidget() is wizard and win.operator is None
    assert not win.menuBar().isVisible()

    type_text(qtbot, wizard.name_edit, "陈主席")
    type_text(qtbot, wizard.pass_edit, "123456")
    wizard.create_organizer()
    assert "至少 10 个字符" in wizard.pass_msg.text()  # the rule, in the core's words
    wizard.pass_edit.setText("长安镇饭堂2026年")
    wizard.pass2_edit.setText("长安镇饭堂2026")
    wizard.create_organizer()
    assert "不一致" in wizard.pass2_msg.text()
    assert not operators.has_operators(store)

    wizard.pass2_edit.setText("长安镇饭堂2026年")
    qtbot.keyClick(wizard.pass2_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.key_page, timeout=10000)
    key = wizard.key_view.text()
    groups = key.split("-")
    assert len(groups) == 8 and all(len(g) == 6 and g.isdigit() for g in groups)
    assert not wizard.continue_button.isEnabled()

    wrong = f"{(int(groups[-1]) + 1) % 1000000:06d}"
    qtbot.keyClicks(wizard.confirm_edit, wrong)
    assert not wizard.continue_button.isEnabled() and "不符" in wizard.confirm_msg.text()
    qtbot.keyClick(wizard.confirm_edit, Qt.Key.Key_Return)
    assert win.operator is None  # Enter does not get past a wrong group
    wizard.confirm_edit.clear()
    qtbot.keyClicks(wizard.confirm_edit, groups[-1])
    assert wizard.continue_button.isEnabled()
    qtbot.keyClick(wizard.confirm_edit, Qt.Key.Key_Return)

    assert win.operator is not None and win.operator.name == "陈主席" and win.operator.role == ORGANIZER
    assert win.pages.currentWidget() is win.app_page and win.menuBar().isVisible()
    # Shown once: nothing on screen or in the wizard keeps it.
    assert wizard.recovery_key == "" and wizard.key_view.text() == ""
    assert "setup" in actions(store) and "login" in actions(store)
    assert "陈主席" in win.operator_status.text() and "管理员" in win.operator_status.text()
    # The key that was shown is the station's recovery key.
    again = operators.recover(store, key, "新的一句话密码2026")
    assert again.name == "陈主席"
    win.runner.wait(5000)


def test_the_recovery_key_sheet_prints_to_pdf(tmp_path):
    from ui.auth import write_recovery_pdf

    key = "-".join(["000011"] * 8)
    out = write_recovery_pdf(tmp_path / "key.pdf", key, "一号工作站", "陈主席")
    assert out.read_bytes()[:4] == b"%PDF"


# -- log-in -------------------------------------------------------------------------------------------


def test_log_in_wrong_then_right(qtbot, store, organizer, ui_lang):
    win = open_window(qtbot, store)
    page = win.gate.login
    assert win.gate.stack.currentWidget() is page
    assert page.name_combo.findText(UI_ORGANIZER) >= 0
    log_in(qtbot, win, UI_ORGANIZER, "不是这个密码啊啊啊")
    assert win.operator is None
    assert "不正确" in page.message.text() and "4" in page.message.text()
    assert page.secret_edit.hasFocus()
    log_in(qtbot, win, UI_ORGANIZER, UI_ORGANIZER_SECRET)
    assert win.operator is not None and win.operator.name == UI_ORGANIZER
    assert win.pages.currentWidget() is win.app_page
    assert actions(store)[-2:] == ["login_failed", "login"]
    win.runner.wait(5000)


def test_a_busy_store_at_log_in_says_why_then_logs_in(qtbot, store, organizer, ui_lang, hold_write_lock):
    win = open_window(qtbot, store)
    wait_idle(qtbot, win)
    page = win.gate.login
    page.name_combo.setEditText(UI_ORGANIZER)
    page.secret_edit.setText(UI_ORGANIZER_SECRET)
    holder = hold_write_lock(1.5)
    page.submit()
    qtbot.waitUntil(lambda: page.message.text() == "数据库正忙，请稍候…", timeout=5000)
    assert win.operator is None
    qtbot.waitUntil(lambda: win.operator is not None, timeout=15000)
    holder.wait()
    assert win.operator.name == UI_ORGANIZER and page.message.text() == ""
    assert actions(store)[-1] == "login"
    win.runner.wait(5000)


def test_the_key_derivation_runs_off_the_gui_thread(qtbot, store, organizer, ui_lang, monkeypatch):
    gui = threading.get_ident()
    seen = []
    real = operators.open_slot

    def spy(*args, **kwargs):
        seen.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(operators, "open_slot", spy)
    win = open_window(qtbot, store)
    log_in(qtbot, win, UI_ORGANIZER, UI_ORGANIZER_SECRET)
    assert seen and gui not in seen
    win.runner.wait(5000)


def test_five_wrong_secrets_lock_the_account_and_say_for_how_long(qtbot, store, organizer, ui_lang):
    win = open_window(qtbot, store)
    page = win.gate.login
    for _ in range(5):
        log_in(qtbot, win, UI_ORGANIZER, "错的密码错的密码")
    assert "已锁定" in page.message.text() and "30 秒" in page.message.text()
    log_in(qtbot, win, UI_ORGANIZER, UI_ORGANIZER_SECRET)  # even the right one waits
    assert win.operator is None and "已锁定" in page.message.text()
    assert "login_refused_locked" in actions(store)
    win.runner.wait(5000)


def test_an_unknown_operator_is_named(qtbot, store, organizer, ui_lang):
    win = open_window(qtbot, store)
    log_in(qtbot, win, "张无忌", "1234567890")
    assert "找不到操作员" in win.gate.login.message.text()
    win.runner.wait(5000)


def test_a_forgotten_passphrase_is_reset_with_the_recovery_key(qtbot, store, recovery_key, ui_lang):
    win = open_window(qtbot, store)
    dialog = win.gate.open_recovery()
    digits = recovery_key.replace("-", "")
    dialog.key_edit.setText(digits[:-1] + str((int(digits[-1]) + 1) % 10))  # one digit of group 8 mistyped
    dialog.pass_edit.setText("新的一句话密码2026")
    dialog.pass2_edit.setText("新的一句话密码2026")
    dialog.submit()
    assert "第 8 组" in dialog.message.text() and not dialog.busy  # named at once, before the slow KDF
    dialog.key_edit.setText(recovery_key)
    dialog.submit()
    qtbot.waitUntil(lambda: win.operator is not None, timeout=10000)
    assert win.operator.name == UI_ORGANIZER
    assert operators.login(store, UI_ORGANIZER, "新的一句话密码2026").role == ORGANIZER
    win.runner.wait(5000)


# -- roles on screen ----------------------------------------------------------------------------------


def test_a_promoter_sees_no_import_export_unmask_or_organizer_actions(qtbot, store, promoter, ui_lang):
    win = open_window(qtbot, store, promoter)
    assert win.roster_screen.import_button.isHidden()
    assert win.signups_screen.paper_button.isHidden()
    assert win.signups_screen.export_button.isHidden()
    assert win.signups_screen.unmask_button.isHidden()
    assert win.search_screen.unmask_button.isHidden()
    for action in (win.operators_action, win.audit_action, win.idle_action):
        assert not action.isVisible()
    assert win.open_operators() is None and win.open_audit() is None
    assert win.signups_screen.open_export() is None
    assert "陈小燕" in win.operator_status.text() and "推广员" in win.operator_status.text()
    win.runner.wait(5000)


def test_an_organizer_sees_them(qtbot, store, organizer, ui_lang):
    win = open_window(qtbot, store, organizer)
    assert not win.roster_screen.import_button.isHidden()
    assert not win.signups_screen.export_button.isHidden()
    assert not win.search_screen.unmask_button.isHidden()
    assert win.operators_action.isVisible() and win.audit_action.isVisible()
    win.runner.wait(5000)


# -- the lock --------------------------------------------------------------------------------------------


class EndlessCamera:
    """A webcam that keeps delivering frames until it is closed."""

    live = True
    name = "USB Camera"

    def __init__(self) -> None:
        self.closed = threading.Event()

    def open(self) -> None:
        pass

    def read(self):
        return scan_synth.blank_frame(1)

    def close(self) -> None:
        self.closed.set()


def test_idle_lock_clears_personal_data_and_stops_the_camera(qtbot, store, session, organizer, ui_lang):
    signup.register(store, operator=organizer, name="王芳", phone="13912345678", id_number=WANG, consent=True)
    win = open_window(qtbot, store, organizer, idle_ms=400)
    win.show_screen(2)
    qtbot.waitUntil(lambda: win.signups_screen.model.rowCount() == 1, timeout=5000)
    win.search_screen.query_edit.setText("5678")
    win.search_screen.run_search()
    qtbot.waitUntil(lambda: win.search_screen.model.rowCount() == 1, timeout=5000)
    camera = EndlessCamera()
    win.scan_screen.start_source(camera, pace_s=0.02)
    assert win.scan_screen.camera is not None

    qtbot.waitUntil(lambda: win.operator is None, timeout=1500)  # nobody touched it: locked

    assert win.pages.currentWidget() is win.gate and win.gate.stack.currentWidget() is win.gate.login
    assert win.gate.login.heading.text() == "工作站已锁定" and UI_ORGANIZER in win.gate.login.info_label.text()
    assert not win.menuBar().isVisible()
    for screen in win.personal_screens():
        assert screen.operator is None
    assert win.signups_screen.model.rowCount() == 0 and win.signups_screen.rows == []
    assert win.search_screen.model.rowCount() == 0 and win.search_screen.hits == []
    assert win.search_screen.query_edit.text() == ""
    assert win.signup_screen.recent_model.rowCount() == 0
    assert win.scan_screen.camera is None
    assert camera.closed.wait(3)
    assert actions(store)[-1] == "lock"
    assert audit.entries(store, limit=1)[0].details == '{"reason":"idle"}'
    # The lock screen shows no personal data.
    from PySide6.QtWidgets import QLabel

    shown = " ".join(w.text() for w in win.gate.findChildren(QLabel))
    assert "王" not in shown and "5678" not in shown and WANG[-4:] not in shown

    log_in(qtbot, win, UI_ORGANIZER, UI_ORGANIZER_SECRET)
    assert win.operator is not None and win.pages.currentWidget() is win.app_page
    assert actions(store)[-2:] == ["login", "unlock"]
    win.runner.wait(5000)


def test_ctrl_l_locks_and_another_operator_may_unlock(qtbot, store, organizer, promoter, ui_lang):
    win = open_window(qtbot, store, organizer)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)  # shortcuts reach the active window only
    qtbot.keyClick(win, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert win.operator is None and win.locked_by == UI_ORGANIZER
    log_in(qtbot, win, UI_PROMOTER, UI_PROMOTER_PIN)
    assert win.operator is not None and win.operator.role == PROMOTER
    assert win.roster_screen.import_button.isHidden()  # the new operator's role, not the old one's
    last = audit.entries(store, limit=1)[0]
    assert last.action == "unlock" and last.operator == UI_PROMOTER and last.target == UI_ORGANIZER
    win.runner.wait(5000)


def test_activity_keeps_the_station_unlocked(qtbot, store, organizer, ui_lang):
    win = open_window(qtbot, store, organizer, idle_ms=600)
    for _ in range(5):
        qtbot.wait(200)
        qtbot.keyClick(win.signup_screen.name_edit, Qt.Key.Key_A)
    assert win.operator is not None
    win.runner.wait(5000)


def test_the_idle_minutes_are_an_organizers_setting(qtbot, store, organizer, promoter, ui_lang):
    from station.security.settings import IDLE_LOCK_MINUTES, get_int, set_int

    assert get_int(store, IDLE_LOCK_MINUTES) == 5
    with pytest.raises(Exception) as refused:
        set_int(store, promoter, IDLE_LOCK_MINUTES, 30)
    assert getattr(refused.value, "key", "") == "not_permitted"
    win = open_window(qtbot, store, organizer)
    dialog = win.open_idle_setting()
    dialog.spin.setValue(12)
    dialog.save()
    assert get_int(store, IDLE_LOCK_MINUTES) == 12 and win.idle_timer.interval() == 12 * 60_000
    assert actions(store)[-1] == "setting"
    win.runner.wait(5000)


# -- unmask, export, audit, operators ---------------------------------------------------------------------


def test_unmasking_one_sign_up_asks_why_and_is_audited_before_it_shows(qtbot, store, session, organizer, ui_lang):
    signup.register(store, operator=organizer, name="王芳", phone="13912345678", id_number=WANG, consent=True)
    win = open_window(qtbot, store, organizer)
    screen = win.signups_screen
    win.show_screen(2)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=5000)
    assert WANG not in [str(v) for v in screen.model.rows()[0]]  # masked in the table
    screen.table.selectRow(0)
    dialog = screen.unmask_selected()
    dialog.submit()
    assert "原因" in dialog.message.text() and WANG not in dialog.values_label.text()
    type_text(qtbot, dialog.reason_edit, "会员来电核对")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: WANG in dialog.values_label.text(), timeout=5000)
    assert "13912345678" in dialog.values_label.text()
    last = audit.entries(store, limit=1)[0]
    assert last.action == "unmask" and last.operator == UI_ORGANIZER and "会员来电核对" in last.details
    assert WANG not in last.details and "13912345678" not in (last.target or "")
    win.lock("hotkey")  # locking closes it
    assert not dialog.isVisible()
    win.runner.wait(5000)


def test_unmasking_a_search_result(qtbot, store, session, organizer, ui_lang):
    signup.register(store, operator=organizer, name="王芳", phone="13912345678", id_number=WANG, consent=True)
    win = open_window(qtbot, store, organizer)
    screen = win.search_screen
    screen.query_edit.setText("王芳")
    screen.run_search()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=5000)
    screen.table.selectRow(0)
    dialog = screen.unmask_selected()
    dialog.reason_edit.setText("核对身份")
    dialog.submit()
    qtbot.waitUntil(lambda: WANG in dialog.values_label.text(), timeout=5000)
    assert audit.entries(store, limit=1)[0].target.startswith("member:")
    dialog.reject()
    win.runner.wait(5000)


def test_export_from_the_sign_up_list_needs_a_purpose_and_is_masked(qtbot, store, session, organizer, ui_lang, tmp_path):
    signup.register(store, operator=organizer, name="王芳", phone="13912345678", id_number=WANG, consent=True)
    win = open_window(qtbot, store, organizer)
    win.show_screen(2)
    qtbot.waitUntil(lambda: win.signups_screen.model.rowCount() == 1, timeout=5000)
    dialog = win.signups_screen.open_export()
    assert dialog.unmasked_check.isVisibleTo(dialog) and not dialog.unmasked_check.isChecked()
    out = tmp_path / "out.csv"
    dialog.export_to(out)
    assert "用途" in dialog.message.text() and not out.exists()
    dialog.purpose_edit.setText("向镇总工会报送名单")
    dialog.export_to(out)
    qtbot.waitUntil(lambda: out.exists(), timeout=5000)
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    text = out.read_text(encoding="utf-8-sig")
    assert len(rows) == 2 and WANG not in text and "13912345678" not in text and "王*" in text
    last = audit.entries(store, limit=1)[0]
    assert last.action == "export" and "向镇总工会报送名单" in last.details
    win.runner.wait(5000)


def test_the_audit_screen_verifies_and_points_at_the_edited_entry(qtbot, store, organizer, ui_lang):
    win = open_window(qtbot, store, organizer)
    dialog = win.open_audit()
    assert dialog.model.rowCount() == audit.count(store) >= 2
    dialog.verify()
    qtbot.waitUntil(lambda: dialog.verify_button.isEnabled(), timeout=5000)
    assert "完整" in dialog.result_label.text() and dialog.model.bad_rows == set()

    with store.session() as s:
        s.execute(update(AuditEntry).where(AuditEntry.seq == 1).values(target="别人"))
        s.commit()
    dialog.verify()
    qtbot.waitUntil(lambda: dialog.verify_button.isEnabled(), timeout=5000)
    assert "第 1 条" in dialog.result_label.text() and "改动" in dialog.result_label.text()
    row = dialog.seqs.index(1)
    assert dialog.model.bad_rows == {row}
    assert dialog.first_bad_row == row
    assert dialog.model.data(dialog.model.index(row, 0), Qt.ItemDataRole.BackgroundRole) is not None
    dialog.reject()
    win.runner.wait(5000)


def test_the_operators_screen_adds_resets_and_removes(qtbot, store, organizer, ui_lang, monkeypatch):
    import ui.admin_dialogs as admin

    win = open_window(qtbot, store, organizer)
    dialog = win.open_operators()
    assert [n for n, _r in dialog.names] == [UI_ORGANIZER]
    form = dialog.add()
    form.name_edit.setText("李推广")
    form.secret_edit.setText("123456")
    form.secret2_edit.setText("123456")
    form.submit()
    assert "太简单" in form.message.text()
    form.secret_edit.setText("380517")
    form.secret2_edit.setText("380517")
    form.submit()
    qtbot.waitUntil(lambda: "李推广" in [n for n, _r in dialog.names], timeout=5000)
    assert operators.login(store, "李推广", "380517").role == PROMOTER

    dialog.select_name("李推广")
    dialog.message.clear_message()
    form = dialog.reset_selected()
    form.secret_edit.setText("592604")
    form.secret2_edit.setText("592604")
    form.submit()
    qtbot.waitUntil(lambda: "已保存" in dialog.message.text(), timeout=5000)
    assert operators.login(store, "李推广", "592604").name == "李推广"

    monkeypatch.setattr(admin, "ask", lambda *a, **k: True)
    dialog.select_name(UI_ORGANIZER)
    assert not dialog.remove_button.isEnabled()  # not oneself
    dialog.select_name("李推广")
    dialog.remove_selected()
    assert [n for n, _r in dialog.names] == [UI_ORGANIZER]
    assert actions(store)[-1] == "operator_remove"
    dialog.reject()
    win.runner.wait(5000)


# -- a store from before encryption ----------------------------------------------------------------------------


@pytest.fixture
def old_store(store, organizer, promoter):
    """A member whose ID is still in the legacy plaintext column, as a pre-0006 store has it."""
    with store.session() as s:
        s.add(Member(name="张三", initials="zs", on_roster=True, legacy_id_number=ZHANG, legacy_id_tail=ZHANG[-4:]))
        s.commit()
    return store


def test_a_promoter_cannot_open_a_store_that_needs_encrypting_first(qtbot, old_store, ui_lang):
    win = open_window(qtbot, old_store)
    log_in(qtbot, win, UI_PROMOTER, UI_PROMOTER_PIN)
    assert win.operator is None and "管理员先登录" in win.gate.login.message.text()
    win.runner.wait(5000)


def test_an_organizer_log_in_encrypts_an_old_store_with_a_progress_bar(qtbot, old_store, ui_lang):
    win = open_window(qtbot, old_store)
    log_in(qtbot, win, UI_ORGANIZER, UI_ORGANIZER_SECRET)
    qtbot.waitUntil(lambda: win.operator is not None, timeout=10000)
    assert win.gate.encrypt.bar.value() == win.gate.encrypt.bar.maximum()
    with old_store.session() as s:
        m = s.scalars(select(Member)).one()
        assert m.legacy_id_number is None and m.id_enc is not None
    assert "encrypt_existing" in actions(old_store)
    win.runner.wait(5000)


def test_the_english_gate_has_no_chinese_left(qtbot, tmp_path, ui_lang):
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    from station.store.database import open_store

    cjk = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
    ui_lang("en")
    store = open_store(tmp_path / "en", station_name="Station One")
    win = open_window(qtbot, store, lang="en")
    wizard = win.gate.wizard
    wizard.name_edit.setText("Chen Wei")
    wizard.pass_edit.setText("canteen one 2026")
    wizard.pass2_edit.setText("canteen one 2026")
    wizard.create_organizer()
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.key_page, timeout=10000)
    texts = [w.text() for w in win.gate.findChildren(QLabel) + win.gate.findChildren(QAbstractButton)]
    wizard.confirm_edit.setText(wizard.last_group())
    wizard.finish()
    win.lock("hotkey")
    texts += [w.text() for w in win.gate.findChildren(QLabel) + win.gate.findChildren(QAbstractButton)]
    texts += [w.text() for w in win.statusBar().findChildren(QLabel)]
    leaks = [t for t in texts if cjk.search(t)]
    assert leaks == []
    win.runner.wait(5000)
    win.close()
    store.close()


def test_an_organizer_log_in_checks_the_audit_log(qtbot, store, organizer, ui_lang):
    with store.session() as s:
        s.execute(update(AuditEntry).where(AuditEntry.seq == 1).values(target="别人"))
        s.commit()
    win = open_window(qtbot, store)
    log_in(qtbot, win, UI_ORGANIZER, UI_ORGANIZER_SECRET)
    qtbot.waitUntil(lambda: win.audit_warning.isVisible(), timeout=5000)
    assert "第 1 条" in win.audit_warning.text()
    win.runner.wait(5000)


def test_the_readme_gives_the_demo_log_ins():
    from pathlib import Path

    from station.demo import seed as demo

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for value in (demo.DEMO_ORGANIZER, demo.DEMO_PASSPHRASE, demo.DEMO_PROMOTER, demo.DEMO_PIN):
        assert value in readme


def test_the_demo_secrets_meet_the_rules():
    from station.demo import seed as demo

    operators.check_secret(ORGANIZER, demo.DEMO_PASSPHRASE)
    operators.check_secret(PROMOTER, demo.DEMO_PIN)


def test_a_dialog_open_at_the_lock_comes_back_only_for_the_same_operator(qtbot, store, organizer, promoter, ui_lang):
    win = open_window(qtbot, store, organizer)
    dialog = win.open_session_dialog()
    assert dialog.isVisible()
    win.lock("hotkey")
    assert not dialog.isVisible()
    log_in(qtbot, win, UI_ORGANIZER, UI_ORGANIZER_SECRET)
    assert dialog.isVisible()
    win.lock("hotkey")
    log_in(qtbot, win, UI_PROMOTER, UI_PROMOTER_PIN)
    assert win.session_dialog is None or not win.session_dialog.isVisible()
    win.runner.wait(5000)


def test_a_damaged_key_slot_is_explained_and_is_not_a_wrong_guess(qtbot, store, organizer, ui_lang):
    from station.store.models import KeySlot

    with store.session() as s:
        s.execute(update(KeySlot).where(KeySlot.operator_id == organizer.operator_id).values(checksum=b"\0" * 8))
        s.commit()
    win = open_window(qtbot, store)
    log_in(qtbot, win, UI_ORGANIZER, UI_ORGANIZER_SECRET)
    assert win.operator is None
    text = win.gate.login.message.text()
    assert "密钥槽已损坏" in text and "恢复密钥" in text
    assert actions(store)[-1] == "login_error"
    win.runner.wait(5000)


def test_the_lock_button_next_to_the_operator_locks(qtbot, store, organizer, ui_lang):
    win = open_window(qtbot, store, organizer)
    qtbot.mouseClick(win.lock_button, Qt.MouseButton.LeftButton)
    assert win.operator is None and win.pages.currentWidget() is win.gate
    assert audit.entries(store, limit=1)[0].details == '{"reason":"button"}'
    win.runner.wait(5000)


def test_the_log_in_offers_whoever_logged_in_last(qtbot, store, organizer, promoter, ui_lang):
    win = open_window(qtbot, store)  # the promoter fixture logged in after the organizer
    page = win.gate.login
    assert page.name_combo.currentText() == UI_PROMOTER
    assert page.name_combo.findText(UI_ORGANIZER) >= 0
    assert page.secret_edit.hasFocus() or not win.isActiveWindow()
    win.runner.wait(5000)


def test_a_tail_cut_off_while_locked_is_found_at_the_next_organizer_log_in(qtbot, store, organizer, ui_lang):
    from sqlalchemy import delete

    from station.store.models import Setting

    win = open_window(qtbot, store, organizer)
    win.lock("hotkey")
    # Someone with the file deletes the last entries and puts the plain head back to match.
    last = audit.count(store)
    with store.session() as s:
        s.execute(delete(AuditEntry).where(AuditEntry.seq >= last - 1))
        head = s.get(Setting, audit.HEAD_KEY)
        kept = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        head.value = '{"seq": %d, "hash": "%s"}' % (kept.seq, kept.hash)
        s.commit()
    log_in(qtbot, win, UI_ORGANIZER, UI_ORGANIZER_SECRET)
    qtbot.waitUntil(lambda: win.audit_warning.isVisible(), timeout=5000)
    win.runner.wait(5000)
