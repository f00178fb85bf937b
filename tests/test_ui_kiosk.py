"""The door checker (核验员): the 核验 screen only, full screen, left only with an organizer's passphrase."""

from __future__ import annotations

import pytest
from helpers.ui import UI_ORGANIZER, UI_ORGANIZER_SECRET, open_window, type_text
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent

from station.errors import StationError
from station.security import audit, operators
from station.security.operators import CHECKER, ORGANIZER

CHECKER_NAME = "门岗小李"
CHECKER_PIN = "730294"


@pytest.fixture
def checker(store, organizer):
    operators.add_operator(store, organizer, CHECKER_NAME, CHECKER, CHECKER_PIN)
    return operators.login(store, CHECKER_NAME, CHECKER_PIN)


def test_a_checker_uses_a_pin_and_may_check_but_not_sign_up_or_import(store, organizer):
    with pytest.raises(StationError) as bad:
        operators.add_operator(store, organizer, CHECKER_NAME, CHECKER, "门岗的密码很长很长")
    assert bad.value.key == "pin_digits_only"
    operators.add_operator(store, organizer, CHECKER_NAME, CHECKER, CHECKER_PIN)
    session = operators.login(store, CHECKER_NAME, CHECKER_PIN)
    assert session.can("checkin") and session.can("view_masked")
    assert not any(session.can(a) for a in ("signup", "draw", "import", "export", "sync", "unmask", "operators"))
    assert operators.role_label(CHECKER) == "核验员"


def test_a_checker_sees_the_door_only_full_screen(qtbot, store, checker, ui_lang):
    win = open_window(qtbot, store, checker)
    assert win.kiosk and win.isFullScreen()
    assert win.stack.currentWidget() is win.scan_screen
    assert not win.nav.isVisible() and not win.menuBar().isVisible()
    assert win.kiosk_button.isVisible() and not win.scan_screen.new_event_button.isVisible()
    assert not win.session_status.isVisible() and not win.count_status.isVisible()  # the booth's, not the door's
    assert "核验员" in win.operator_status.text()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    qtbot.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # 现场注册's shortcut
    qtbot.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert win.stack.currentWidget() is win.scan_screen
    win.show_screen(0)
    assert win.stack.currentWidget() is win.scan_screen
    assert not win.quit_action.isEnabled()
    # The window's close button (a spontaneous close) is refused while the door is in kiosk mode.
    event = QCloseEvent()
    event.spontaneous = lambda: True  # what the window manager's close sends
    win.closeEvent(event)
    assert not event.isAccepted() and win.isVisible()
    assert "退出核验模式" in win.statusBar().currentMessage()
    win.runner.wait(5000)


def test_only_an_organizers_passphrase_leaves_kiosk_mode(qtbot, store, checker, ui_lang):
    win = open_window(qtbot, store, checker)
    dialog = win.open_kiosk_exit()
    qtbot.waitUntil(lambda: dialog.name_combo.count() == 1, timeout=5000)
    assert dialog.name_combo.currentText() == UI_ORGANIZER  # organizers only: the checker is not offered
    type_text(qtbot, dialog.secret_edit, "这不是管理员的密码")
    qtbot.keyClick(dialog.secret_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    assert win.kiosk and dialog.isVisible() and "不正确" in dialog.message.text()
    dialog.secret_edit.setText(UI_ORGANIZER_SECRET)
    qtbot.keyClick(dialog.secret_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not win.kiosk, timeout=5000)
    assert win.operator.role == ORGANIZER and not win.isFullScreen()
    assert win.nav.isVisible() and win.menuBar().isVisible() and not win.kiosk_button.isVisible()
    win.show_screen(0)
    assert win.stack.currentWidget() is win.signup_screen
    assert [e.action for e in audit.entries(store, limit=2)][0] == "login"
    win.runner.wait(5000)


def test_a_check_at_the_kiosk_carries_the_checker(qtbot, store, checker, ui_lang):
    from test_checkin_world import World
    from test_ui_scan import token_for, use_event, wedge_scan

    world = World(store, checker)
    win = open_window(qtbot, store, checker)
    use_event(qtbot, win.scan_screen, world.event())
    verdict = wedge_scan(qtbot, win.scan_screen, token_for(world))
    assert verdict.passed
    from sqlalchemy import select

    from station.store.models import CheckIn

    with store.session() as s:
        assert s.scalars(select(CheckIn.operator)).all() == [CHECKER_NAME]
    win.runner.wait(5000)
