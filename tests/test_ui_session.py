"""开启场次: the dialog a promoter fills in before the first sign-up."""

from __future__ import annotations

from helpers.ui import HOST_ENTERPRISE, HOST_UNION, ZHANG, put_on_roster, type_text, wait_idle
from PySide6.QtCore import Qt

from station.signup import booth


def open_dialog(qtbot, window):
    dialog = window.open_session_dialog()
    qtbot.waitExposed(dialog)
    wait_idle(qtbot, window)  # completion lists loaded
    return dialog


def test_opening_a_session_shows_it_on_the_sign_up_screen_and_status_bar(qtbot, store, window):
    dialog = open_dialog(qtbot, window)
    type_text(qtbot, dialog.venue_edit, "二号饭堂")
    type_text(qtbot, dialog.promoter_edit, "陈推广")
    qtbot.keyClick(dialog.promoter_edit, Qt.Key.Key_Return)

    info = booth.current_session(store)
    assert info is not None and info.venue == "二号饭堂" and info.promoter == "陈推广"
    assert not dialog.isVisible()
    screen = window.signup_screen
    assert "二号饭堂" in screen.session_label.text() and "陈推广" in screen.session_label.text()
    assert "二号饭堂" in window.session_status.text()


def test_venue_and_promoter_are_required_and_said_so_inline(qtbot, store, window):
    dialog = open_dialog(qtbot, window)
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert "地点" in dialog.venue_msg.text()
    assert booth.current_session(store) is None
    type_text(qtbot, dialog.venue_edit, "一号饭堂")
    dialog.ok_button.click()
    assert "推广员" in dialog.promoter_msg.text()
    assert booth.current_session(store) is None


def test_choosing_the_host_enterprise_fills_in_its_union(qtbot, store, window, organizer):
    put_on_roster(store, organizer, ZHANG, "张三", HOST_ENTERPRISE, HOST_UNION)
    dialog = open_dialog(qtbot, window)
    assert HOST_ENTERPRISE in [dialog.enterprise_combo.itemText(i) for i in range(dialog.enterprise_combo.count())]
    dialog.enterprise_combo.setCurrentIndex(dialog.enterprise_combo.findText(HOST_ENTERPRISE))
    dialog.enterprise_combo.activated.emit(dialog.enterprise_combo.currentIndex())
    assert dialog.union_combo.text() == HOST_UNION


def test_the_sign_up_form_defaults_to_the_sessions_host(qtbot, store, session, window):
    screen = window.signup_screen
    assert screen.enterprise_combo.text() == HOST_ENTERPRISE
    assert screen.union_combo.text() == HOST_UNION


def test_the_dialog_offers_the_open_session_to_change(qtbot, store, session, window):
    dialog = open_dialog(qtbot, window)
    assert dialog.venue_edit.text() == "一号饭堂"
    assert dialog.promoter_edit.text() == "李推广"
    dialog.cancel_button.click()
    assert booth.current_session(store).venue == "一号饭堂"


def test_a_session_left_open_from_an_earlier_day_is_flagged_and_asked_about(qtbot, store, window):
    import datetime as dt

    old = booth.open_session(store, venue="一号饭堂", promoter="李推广", date=dt.date.today() - dt.timedelta(days=1))
    window.set_session(old)
    assert "不是今天" in window.signup_screen.session_label.text()
    window.prompt_session_if_needed()
    qtbot.waitUntil(lambda: window.session_dialog is not None and window.session_dialog.isVisible())


def test_enter_in_the_host_enterprise_box_opens_exactly_one_session(qtbot, store, window):
    from sqlalchemy import func, select

    from station.store.models import BoothSession

    dialog = open_dialog(qtbot, window)
    type_text(qtbot, dialog.venue_edit, "二号饭堂")
    type_text(qtbot, dialog.promoter_edit, "陈推广")
    dialog.enterprise_combo.setFocus()
    type_text(qtbot, dialog.enterprise_combo.lineEdit(), "东莞市新厂")
    qtbot.keyClick(dialog.enterprise_combo.lineEdit(), Qt.Key.Key_Return)
    assert not dialog.isVisible()
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(BoothSession)) == 1
    assert booth.current_session(store).enterprise == "东莞市新厂"
