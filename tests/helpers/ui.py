"""Fixtures and helpers for the UI tests (tests/test_ui_*.py).

Real temporary stores, real widgets; nothing mocked but the roster import
engine where a test needs a slow or cancellable import on demand.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication

from helpers.security import ORGANIZER, ORGANIZER_SECRET, PROMOTER, PROMOTER_PIN
from station.people.idnumber import check_digit
from station.people.names import initials
from station.signup import booth
from station.store.models import Member, Registration
from station.store.orgs import enterprise_by_name, union_by_name

HOST_ENTERPRISE = "东莞市大朗毛织有限公司"
HOST_UNION = "东莞市大朗毛织有限公司工会委员会"


def make_id(first17: str) -> str:
    return first17 + check_digit(first17)


def id_born(born: dt.date, seq: str = "123", region: str = "441900") -> str:
    return make_id(f"{region}{born:%Y%m%d}{seq}")


ZHANG = make_id("44190019800101123")  # 张三, male, born 1980
WANG = make_id("43052419950305462")  # 王芳, female, born 1995
LI = make_id("45082119900720351")


@pytest.fixture
def session(store):
    return booth.open_session(store, venue="一号饭堂", promoter="李推广", enterprise=HOST_ENTERPRISE, union=HOST_UNION)


def put_on_roster(store, operator, id_number: str, name: str, enterprise: str | None = None, union: str | None = None,
                  phone: str | None = None) -> None:
    """A roster member, written as an import writes it: ID and mobile encrypted under `operator`'s key."""
    from station.security import protect

    with store.session() as s:
        u = union_by_name(s, union) if union else None
        ent = enterprise_by_name(s, enterprise, u) if enterprise else None
        s.add(Member(name=name, initials=initials(name), on_roster=True, enterprise_id=ent.id if ent else None,
                     union_id=u.id if u else None, **protect.member_fields(operator.cipher, id_number, phone)))
        s.commit()


def registrations(store) -> list[Registration]:
    with store.session() as s:
        return list(s.query(Registration).order_by(Registration.id))


@pytest.fixture(autouse=True)
def no_modal_message_boxes(monkeypatch):
    """A modal message box would hang an offscreen test: fail at once with its text instead."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(box, *args):
        raise AssertionError(f"unexpected modal message box: {box.windowTitle()}: {box.text()}")

    monkeypatch.setattr(QMessageBox, "exec", refuse)


@pytest.fixture
def ui_lang():
    """The language the UI was built in; always back to Chinese afterwards."""
    from ui.i18n import install_translators

    install_translators("zh")
    yield install_translators
    install_translators("zh")


# The operators the UI tests log in as: helpers/security.py's, whose `organizer` and
# `promoter` fixtures (and the fast test KDF) every test has.
UI_ORGANIZER = ORGANIZER
UI_ORGANIZER_SECRET = ORGANIZER_SECRET
UI_PROMOTER = PROMOTER
UI_PROMOTER_PIN = PROMOTER_PIN


def make_organizer(store, name: str = UI_ORGANIZER, secret: str = UI_ORGANIZER_SECRET):
    """The station set up (once) with `name` as its first organizer, logged in: an OperatorSession."""
    from station.security import operators

    if not operators.has_operators(store):
        operators.create_first_organizer(store, name, secret)
    return operators.login(store, name, secret)


def open_window(qtbot, store, operator=None, *, lang: str = "zh", idle_ms: int | None = None):
    """The main window at 1366x740, shown; logged in as `operator` (None: at the gate)."""
    from ui.app import create_main_window
    from ui.style import apply_style

    apply_style(QApplication.instance())
    win = create_main_window(store, lang=lang, operator=operator, idle_ms=idle_ms)
    qtbot.addWidget(win)
    win.resize(1366, 740)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


@pytest.fixture
def window(qtbot, store, ui_lang, organizer):
    """The main window with the organizer 陈主席 logged in (window.operator)."""
    win = open_window(qtbot, store, organizer)
    yield win
    win.runner.wait(10000)


def wait_idle(qtbot, win_or_runner, timeout: int = 10000) -> None:
    runner = getattr(win_or_runner, "runner", win_or_runner)
    qtbot.waitUntil(lambda: not runner.busy, timeout=timeout)


def type_text(qtbot, widget, text: str) -> None:
    """Type like a user: ASCII by key presses, Chinese committed by an input method (as 拼音 IMEs do).

    QTest cannot synthesise key presses for non-ASCII characters.
    """
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    run = ""
    for ch in text + "\0":
        if ch != "\0" and ch.isascii():
            run += ch
            continue
        if run:
            qtbot.keyClicks(widget, run)
            run = ""
        if ch != "\0":
            widget.setFocus()
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)
