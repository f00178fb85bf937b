"""查询: one box, results as you type, personal data masked."""

from __future__ import annotations

from helpers.ui import LI, WANG, ZHANG, put_on_roster

from station.signup import service as signup
from ui.main_window import SCREEN_SEARCH


def search_for(qtbot, window, text):
    window.show_screen(SCREEN_SEARCH)
    screen = window.search_screen
    screen.query_edit.clear()
    qtbot.keyClicks(screen.query_edit, text)
    qtbot.waitUntil(lambda: not screen.timer.isActive() and not window.runner.busy, timeout=5000)
    return screen


def test_pinyin_initials_find_the_person_masked(qtbot, store, session, window, organizer):
    put_on_roster(store, organizer, ZHANG, "张三丰", "东莞市虎门服装有限公司", phone="13800138000")
    put_on_roster(store, organizer, WANG, "王芳", "东莞市虎门服装有限公司", phone="13912345678")
    screen = search_for(qtbot, window, "zsf")
    rows = screen.model.rows()
    assert len(rows) == 1
    name, id_number, phone, enterprise, on_roster, signed = rows[0]
    assert (name, phone, enterprise, on_roster) == ("张*丰", "138****8000", "东莞市虎门服装有限公司", "在册")
    assert id_number == ZHANG[:4] + "**********" + ZHANG[-4:]
    assert signed == "未登记"
    assert "找到 1 人" in screen.status_label.text()


def test_phone_tail_finds_a_sign_up_with_when_and_where(qtbot, store, session, window, organizer):
    signup.register(store, operator=organizer, name="李明", phone="13712345678", id_number=LI, consent=True)
    screen = search_for(qtbot, window, "5678")
    rows = screen.model.rows()
    assert [r[0] for r in rows] == ["李*"]
    assert rows[0][4] == "新会员申请"
    assert "一号饭堂" in rows[0][5] and "测试工作站" in rows[0][5]


def test_nothing_found_says_so(qtbot, store, session, window):
    screen = search_for(qtbot, window, "xyz")
    assert screen.model.rowCount() == 0
    assert "没有找到" in screen.status_label.text()


def test_ctrl_f_goes_to_the_search_box(qtbot, store, session, window):
    window.find_action.trigger()
    assert window.stack.currentWidget() is window.search_screen
    qtbot.waitUntil(lambda: window.search_screen.query_edit.hasFocus())
