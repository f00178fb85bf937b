"""The 抽奖 screen: prizes, draws shown masked, void and redraw, the projector's roll."""

from __future__ import annotations

import pytest
from helpers.ui import LI, WANG, ZHANG, type_text, wait_idle
from PySide6.QtCore import Qt

from station.draw import service as draw
from station.signup import service as signup

PEOPLE = (("张三丰", "13812341234", ZHANG), ("王芳芳", "13912345678", WANG), ("李明亮", "13712349999", LI))


@pytest.fixture
def screen(qtbot, store, session, organizer):
    from ui.draw_screen import DrawScreen

    for name, phone, id_number in PEOPLE:
        signup.register(store, operator=organizer, name=name, phone=phone, id_number=id_number, consent=True)
    w = DrawScreen(store, operator=organizer)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    wait_idle(qtbot, w)
    yield w
    w.shutdown()
    w.runner.wait(10000)


def add_prize(qtbot, screen, name: str, stock: int) -> None:
    type_text(qtbot, screen.prize_name_edit, name)
    screen.stock_spin.setValue(stock)
    qtbot.mouseClick(screen.add_prize_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, screen)
    wait_idle(qtbot, screen)


def test_the_open_sessions_event_is_chosen(screen, session):
    assert screen.event_id() == session.event_id


def test_adding_a_prize_lists_it_with_its_stock(qtbot, screen, store, session):
    add_prize(qtbot, screen, "电影票", 5)
    assert screen.prize_model.rows() == [("电影票", 5, 5)]
    assert [p.name for p in draw.list_prizes(store, session.event_id)] == ["电影票"]


def test_enter_draws_a_masked_winner_stores_it_and_takes_stock(qtbot, screen, store, session):
    add_prize(qtbot, screen, "电影票", 5)
    screen.count_spin.setFocus()
    qtbot.keyClick(screen.count_spin, Qt.Key.Key_Return)
    wait_idle(qtbot, screen)
    wait_idle(qtbot, screen)
    stored = draw.winners(store, session.event_id, screen.operator)
    assert len(stored) == 1
    shown = screen.result_names.text()
    assert stored[0].name_masked in shown and stored[0].phone_tail in shown
    assert "*" in shown
    assert not any(full in shown for full, _p, _i in PEOPLE)
    assert screen.prize_model.rows() == [("电影票", 4, 5)]
    assert screen.winner_model.rows()[0][0] == stored[0].name_masked
    assert screen.winner_model.rows()[0][2] == "电影票"  # which prize each winner got
    assert stored[0].prize == "电影票"


def test_too_many_winners_is_refused_with_a_sentence(qtbot, screen, store, session):
    add_prize(qtbot, screen, "话费", 10)
    screen.count_spin.setValue(5)
    qtbot.mouseClick(screen.draw_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, screen)
    assert screen.message.kind == "error" and screen.message.text()
    assert draw.winners(store, session.event_id, screen.operator) == []
    assert draw.list_prizes(store, session.event_id)[0].remaining == 10


def test_void_with_redraw_replaces_the_winner(qtbot, screen, store, session):
    add_prize(qtbot, screen, "电影票", 5)
    qtbot.mouseClick(screen.draw_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, screen)
    wait_idle(qtbot, screen)
    first = draw.winners(store, session.event_id, screen.operator)[0]
    screen.winner_view.selectRow(0)
    type_text(qtbot, screen.reason_edit, "未到场")
    assert screen.redraw_check.isChecked()
    qtbot.mouseClick(screen.void_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, screen)
    wait_idle(qtbot, screen)
    now = draw.winners(store, session.event_id, screen.operator)
    assert len(now) == 1 and now[0].registration_uuid != first.registration_uuid, screen.message.text()
    assert now[0].name_masked in screen.result_names.text()
    assert screen.prize_model.rows() == [("电影票", 4, 5)]


def test_void_needs_a_reason(qtbot, screen, store, session):
    add_prize(qtbot, screen, "电影票", 5)
    qtbot.mouseClick(screen.draw_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, screen)
    wait_idle(qtbot, screen)
    screen.winner_view.selectRow(0)
    qtbot.mouseClick(screen.void_button, Qt.MouseButton.LeftButton)
    assert screen.message.kind == "error"
    assert len(draw.winners(store, session.event_id, screen.operator)) == 1


def test_projector_rolls_then_lands_on_the_winner_and_esc_leaves(qtbot, screen, store, session):
    add_prize(qtbot, screen, "电影票", 5)
    qtbot.keyClick(screen, Qt.Key.Key_F11)
    projector = screen.projector
    assert projector is not None and projector.isVisible() and projector.isFullScreen()
    assert projector.prize_label.text() == "电影票"
    qtbot.keyClick(projector, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: projector.rolling, timeout=5000)
    qtbot.waitUntil(lambda: not projector.rolling, timeout=5000)
    won = draw.winners(store, session.event_id, screen.operator)[0]
    assert won.name_masked in projector.names_label.text()
    screen.projector.grab().save("/tmp/draw/test_projector.png")
    qtbot.keyClick(projector, Qt.Key.Key_Escape)
    assert not projector.isVisible()


def test_ctrl_7_opens_the_draw_screen_in_the_main_window(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.draw_screen
    wait_idle(qtbot, window)
