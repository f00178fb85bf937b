"""Chinese first, English complete: every tr() string has an English translation."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers.ui import WANG, make_organizer
from PySide6.QtWidgets import QAbstractButton, QLabel

from station.signup import booth
from station.store.database import open_store

REPO = Path(__file__).resolve().parent.parent
TS = REPO / "resources" / "translations" / "station_en.ts"
QM = TS.with_suffix(".qm")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        pytest.skip(f"{name} not installed")
    return found


def unfinished(ts: Path) -> list[str]:
    bad = []
    for m in ET.parse(ts).getroot().iter("message"):
        tr = m.find("translation")
        if tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished") or not (tr.text or "").strip():
            bad.append(m.findtext("source"))
    return bad


def test_every_string_in_the_english_translation_is_translated():
    assert TS.exists()
    assert unfinished(TS) == []


def test_the_translation_source_is_up_to_date_with_the_screens(tmp_path):
    copy = tmp_path / "station_en.ts"
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (REPO / "ui").glob("*.py"))
    subprocess.run([tool("pyside6-lupdate"), "-no-obsolete", *sources, "-ts", str(copy)], check=True,
                   capture_output=True)
    new = unfinished(copy)
    assert new == [], f"run pyside6-lupdate and translate: {new}"


def test_the_compiled_translation_matches_its_source(tmp_path):
    out = tmp_path / "station_en.qm"
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(out)], check=True, capture_output=True)
    assert QM.read_bytes() == out.read_bytes(), "run pyside6-lrelease on station_en.ts and commit the .qm"


@pytest.fixture
def english_window(qtbot, tmp_path, ui_lang):
    from ui.app import create_main_window

    store = open_store(tmp_path / "data", station_name="Station One")
    booth.open_session(store, venue="Canteen 1", promoter="Li", enterprise="Acme Knitwear")
    organizer = make_organizer(store, name="Chen Wei", secret="canteen one 2026")
    win = create_main_window(store, lang="en", operator=organizer)
    qtbot.addWidget(win)
    win.resize(1366, 740)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    store.close()


def test_english_sign_up_screen_has_english_labels(qtbot, english_window):
    screen = english_window.signup_screen
    assert english_window.windowTitle() == "Yuegonghui Field Station"
    assert screen.name_label.text() == "&Name"
    assert screen.submit_button.text() == "Sign up (Enter)"
    assert screen.consent_check.text().startswith("Has read and agrees")


def test_english_core_messages_follow_the_ui_language(qtbot, english_window):
    screen = english_window.signup_screen
    screen.id_edit.setFocus()
    qtbot.keyClicks(screen.id_edit, WANG[:-1] + ("0" if WANG[-1] != "0" else "1"))
    assert "check character" in screen.id_msg.text()


def test_no_chinese_leaks_into_the_english_screens(qtbot, english_window):
    leaks = []
    for screen in (english_window.signup_screen, english_window.roster_screen, english_window.signups_screen,
                   english_window.search_screen, english_window.nav, english_window.statusBar()):
        for w in screen.findChildren(QLabel) + screen.findChildren(QAbstractButton):
            if CJK.search(w.text()):
                leaks.append(w.text())
    for action in english_window.menuBar().actions():
        if CJK.search(action.text()):
            leaks.append(action.text())
    assert leaks == []
