"""The booth form, driven like a promoter: type, press Enter, read the big answer."""

from __future__ import annotations

import datetime as dt

from helpers.busy import unfinished_roster_import
from helpers.ui import (
    HOST_ENTERPRISE,
    HOST_UNION,
    LI,
    WANG,
    ZHANG,
    id_born,
    put_on_roster,
    registrations,
    type_text,
    wait_idle,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from station.signup import service as signup


def fill(qtbot, screen, name="张三", phone="13800138000", id_number=ZHANG, consent=True):
    """Type into each field in turn, as the promoter does (focus, then keys)."""
    for edit, text in ((screen.name_edit, name), (screen.phone_edit, phone), (screen.id_edit, id_number)):
        edit.setFocus()
        type_text(qtbot, edit, text)
    if consent:
        screen.consent_check.setFocus()
        qtbot.keyClick(screen.consent_check, Qt.Key.Key_Space)


def enter(qtbot, widget):
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_roster_member_shows_green_with_roster_name_and_employer(qtbot, store, session, window, organizer):
    put_on_roster(store, organizer, ZHANG, "张三", "东莞市虎门服装有限公司")
    screen = window.signup_screen
    fill(qtbot, screen)
    enter(qtbot, screen.id_edit)

    assert screen.outcome.kind == "roster"
    assert screen.outcome.title_label.text() == "在册会员"
    assert "张三 · 东莞市虎门服装有限公司" in screen.outcome.text()
    regs = registrations(store)
    assert len(regs) == 1 and regs[0].outcome == "roster"


def test_unknown_person_shows_blue_new_member_application(qtbot, store, session, window):
    screen = window.signup_screen
    fill(qtbot, screen, name="王芳", phone="13912345678", id_number=WANG)
    enter(qtbot, screen.name_edit)

    assert screen.outcome.kind == "new"
    assert screen.outcome.title_label.text() == "新会员申请"
    assert "王芳" in screen.outcome.text() and HOST_ENTERPRISE in screen.outcome.text()
    assert [r.outcome for r in registrations(store)] == ["new"]


def test_second_sign_up_shows_amber_with_when_and_which_station(qtbot, store, session, window, organizer):
    signup.register(store, operator=organizer, name="王芳", phone="13912345678", id_number=WANG, consent=True)
    screen = window.signup_screen
    fill(qtbot, screen, name="王芳", phone="13912345678", id_number=WANG)
    enter(qtbot, screen.phone_edit)

    assert screen.outcome.kind == "already"
    assert screen.outcome.title_label.text() == "已登记"
    text = screen.outcome.text()
    assert "测试工作站" in text and "一号饭堂" in text and dt.date.today().isoformat() in text
    assert len(registrations(store)) == 1  # nothing written the second time


def test_after_a_sign_up_the_form_clears_and_focus_returns_to_name(qtbot, store, session, window):
    screen = window.signup_screen
    screen.enterprise_combo.setText("东莞市其他电子厂")
    fill(qtbot, screen, name="王芳", phone="13912345678", id_number=WANG)
    enter(qtbot, screen.id_edit)

    assert screen.outcome.kind == "new"
    assert (screen.name_edit.text(), screen.phone_edit.text(), screen.id_edit.text()) == ("", "", "")
    assert not screen.consent_check.isChecked()
    assert screen.enterprise_combo.text() == HOST_ENTERPRISE
    assert screen.union_combo.text() == HOST_UNION
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.name_edit)


def test_todays_count_goes_up_with_each_sign_up(qtbot, store, session, window):
    screen = window.signup_screen
    wait_idle(qtbot, window)
    assert screen.count_label.text() == "0"
    fill(qtbot, screen, name="王芳", phone="13912345678", id_number=WANG)
    enter(qtbot, screen.id_edit)
    fill(qtbot, screen, name="李明", phone="13712345678", id_number=LI)
    enter(qtbot, screen.id_edit)

    assert screen.count_label.text() == "2"
    assert "2" in window.count_status.text()
    wait_idle(qtbot, window)
    assert screen.recent_model.rowCount() == 2
    assert screen.recent_model.rows()[0][1] == "李*"  # masked


def test_enter_in_the_enterprise_box_submits_too(qtbot, store, session, window):
    screen = window.signup_screen
    fill(qtbot, screen, name="王芳", phone="13912345678", id_number=WANG)
    enter(qtbot, screen.enterprise_combo.lineEdit())
    assert screen.outcome.kind == "new"


def test_bad_id_checksum_is_flagged_under_the_field_as_typed(qtbot, store, session, window):
    screen = window.signup_screen
    bad = ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1")
    qtbot.keyClicks(screen.id_edit, bad)
    assert screen.id_msg.kind == "error"
    assert "校验位不符" in screen.id_msg.text()


def test_excel_number_id_is_explained(qtbot, store, session, window):
    screen = window.signup_screen
    qtbot.keyClicks(screen.id_edit, "4.41900199001011E+17")
    assert "Excel" in screen.id_msg.text()
    assert screen.id_msg.kind == "error"


def test_bad_phone_is_flagged_when_leaving_the_field(qtbot, store, session, window):
    screen = window.signup_screen
    screen.phone_edit.setFocus()
    qtbot.keyClicks(screen.phone_edit, "1380013")
    qtbot.keyClick(screen.phone_edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: screen.phone_msg.kind == "error")
    assert "11 位" in screen.phone_msg.text()


def test_field_errors_on_submit_refuse_and_save_nothing(qtbot, store, session, window):
    screen = window.signup_screen
    fill(qtbot, screen, name="王芳", phone="12345", id_number=WANG)
    enter(qtbot, screen.name_edit)
    assert screen.outcome.kind == "refused"
    assert "手机号码" in screen.outcome.text()
    assert screen.phone_msg.kind == "error"
    assert registrations(store) == []
    assert screen.name_edit.text() == "王芳"  # kept, to correct
    assert QApplication.focusWidget() is screen.phone_edit


def test_valid_id_shows_sex_birth_date_age_and_roster_hint(qtbot, store, session, window, organizer):
    put_on_roster(store, organizer, ZHANG, "张三", "东莞市虎门服装有限公司")
    screen = window.signup_screen
    qtbot.keyClicks(screen.id_edit, ZHANG)
    assert "男" in screen.id_msg.text() and "1980-01-01" in screen.id_msg.text()
    assert screen.id_hint.text() == "名册：张三 · 东莞市虎门服装有限公司"


def test_id_already_signed_up_shows_where_in_the_hint(qtbot, store, session, window, organizer):
    signup.register(store, operator=organizer, name="王芳", phone="13912345678", id_number=WANG, consent=True)
    screen = window.signup_screen
    qtbot.keyClicks(screen.id_edit, WANG)
    assert screen.id_hint.text().startswith("已登记：") and "一号饭堂" in screen.id_hint.text()


def test_under_16_is_refused_in_red_with_the_age(qtbot, store, session, window):
    today = dt.date.today()
    young = id_born(dt.date(today.year - 15, 1, 1) if today.month > 1 else dt.date(today.year - 15, 1, 1))
    screen = window.signup_screen
    fill(qtbot, screen, name="小明", phone="13712345678", id_number=young)
    assert "未满 16 周岁" in screen.id_msg.text()
    enter(qtbot, screen.id_edit)

    assert screen.outcome.kind == "refused"
    assert screen.outcome.title_label.text() == "未满16周岁，不能登记"
    assert "15 岁" in screen.outcome.text()
    assert registrations(store) == []


def test_consent_unticked_saves_nothing_and_points_at_the_box(qtbot, store, session, window):
    screen = window.signup_screen
    fill(qtbot, screen, name="王芳", phone="13912345678", id_number=WANG, consent=False)
    enter(qtbot, screen.id_edit)

    assert screen.outcome.kind == "refused"
    assert "同意" in screen.outcome.text()
    assert registrations(store) == []
    assert QApplication.focusWidget() is screen.consent_check
    qtbot.keyClick(screen.consent_check, Qt.Key.Key_Space)  # Space ticks it ...
    enter(qtbot, screen.consent_check)  # ... and Enter submits
    assert screen.outcome.kind == "new"
    assert len(registrations(store)) == 1


def test_consent_text_can_be_read_and_agreed_to(qtbot, store, session, window):
    screen = window.signup_screen
    screen.consent_view_button.click()
    from ui.consent_dialog import ConsentDialog

    dialog = screen.findChild(ConsentDialog)
    assert dialog is not None and dialog.isVisible()
    assert "个人信息" in dialog.text.toPlainText()
    dialog.agree_button.click()
    assert screen.consent_check.isChecked()


def test_without_a_session_the_screen_asks_to_open_one(qtbot, store, window):
    screen = window.signup_screen
    assert screen.session_bar.isVisible()
    assert "尚未开启场次" in screen.session_label.text()
    fill(qtbot, screen, name="王芳", phone="13912345678", id_number=WANG)
    enter(qtbot, screen.id_edit)

    assert screen.outcome.kind == "refused"
    assert "场次" in screen.outcome.text()
    assert registrations(store) == []
    qtbot.waitUntil(lambda: window.session_dialog is not None and window.session_dialog.isVisible())


def test_main_window_fits_a_1366_by_768_screen_without_horizontal_scrolling(qtbot, store, session, window):
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768
    screen = window.signup_screen
    assert screen.submit_button.isVisible()
    # every field lies fully inside the screen's visible area
    for w in (screen.name_edit, screen.union_combo, screen.consent_check, screen.submit_button):
        bottom_right = w.mapTo(window, w.rect().bottomRight())
        assert bottom_right.x() <= window.width() and bottom_right.y() <= window.height()


def test_a_busy_store_says_why_and_takes_no_keys_until_the_outcome_shows(qtbot, store, session, window,
                                                                         hold_write_lock):
    unfinished_roster_import(store)  # another process is publishing a roster, holding the store
    screen = window.signup_screen
    fill(qtbot, screen, name="王芳", phone="13912345678", id_number=WANG)
    wait_idle(qtbot, window)
    holder = hold_write_lock(1.5)
    enter(qtbot, screen.id_edit)
    assert screen.saving
    assert screen.outcome.title_label.text() == "正在导入名册，请稍候…"
    assert "还未保存" in screen.outcome.text()
    assert screen.name_edit.isReadOnly() and not screen.submit_button.isEnabled()
    enter(qtbot, screen.id_edit)  # pressed again while it waits: still one sign-up
    qtbot.waitUntil(lambda: screen.outcome.kind == "new", timeout=15000)
    holder.wait()
    assert screen.outcome.title_label.text() == "新会员申请"
    assert not screen.saving and not screen.name_edit.isReadOnly() and screen.submit_button.isEnabled()
    assert screen.name_edit.text() == ""  # ready for the next person
    assert [r.outcome for r in registrations(store)] == ["new"]
