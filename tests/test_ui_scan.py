"""The scan screen, driven as staff would: scanner bursts, frames from files, a manual look-up.

Real store, real verdict service, real camera worker thread reading files;
the sounds are recorded instead of played.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select
from test_checkin_world import UNION_A, UNION_B, World

from station.checkin import ecard
from station.checkin import synth as scan_synth
from station.checkin.frames import CameraLost, ImageSource, VideoSource
from station.checkin.service import revoke
from station.checkin.sound import SoundPlayer
from station.i18n import t
from station.store.clock import now_utc
from station.store.models import CheckIn


@pytest.fixture
def world(store, organizer):
    return World(store, organizer)


@pytest.fixture
def screen(qtbot, store, ui_lang, organizer):
    from PySide6.QtWidgets import QApplication

    from ui.scan_screen import ScanScreen
    from ui.style import apply_style

    apply_style(QApplication.instance())
    widget = ScanScreen(store, sound=SoundPlayer(enabled=False), operator=organizer)
    qtbot.addWidget(widget)
    widget.resize(1198, 740)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    yield widget
    widget.shutdown()


def use_event(qtbot, screen, event) -> None:
    screen.select_event(event.id)
    qtbot.waitUntil(lambda: screen.service is not None and screen.current_event.id == event.id, timeout=5000)


def token_for(world, **kw) -> str:
    kw.setdefault("issued_at", now_utc() - dt.timedelta(minutes=5))
    return world.token(**kw)


def wedge_scan(qtbot, screen, text: str, terminator=Qt.Key.Key_Return, target=None):
    """A USB scanner: the whole code as one burst of keys, then Enter (or Tab)."""
    target = target or screen.manual_edit
    with qtbot.waitSignal(screen.checked, timeout=5000) as blocker:
        qtbot.keyClicks(target, text)
        if terminator is not None:
            qtbot.keyClick(target, terminator)
    return blocker.args[0]


def rows(store):
    with store.session() as s:
        return list(s.scalars(select(CheckIn).order_by(CheckIn.id)))


def test_a_wedge_burst_ending_in_enter_admits_and_shows_green(qtbot, screen, world):
    use_event(qtbot, screen, world.event(capacity=300, unions=[UNION_A]))
    screen.manual_edit.setFocus()
    v = wedge_scan(qtbot, screen, token_for(world, name="王小芳"))
    assert v.passed
    assert screen.verdict_panel.kind == "pass"
    assert screen.verdict_panel.title_label.text() == "通过"
    assert "王*芳" in screen.verdict_panel.text() and UNION_A in screen.verdict_panel.text()
    assert screen.counter_label.text() == "已入场 1 / 300"
    assert screen.manual_edit.text() == ""  # the scanner's keys never land in the focused field
    assert screen.sound.played == ["pass"]


def test_the_check_is_stored_before_the_verdict_shows(qtbot, screen, world, store):
    use_event(qtbot, screen, world.event())
    seen = []
    screen.checked.connect(lambda v: seen.append([r.uuid for r in rows(store)]))
    v = wedge_scan(qtbot, screen, "not an e-card at all")
    assert seen == [[v.checkin_uuid]]


def test_a_burst_ending_in_tab_is_a_scan_too(qtbot, screen, world):
    use_event(qtbot, screen, world.event())
    v = wedge_scan(qtbot, screen, token_for(world), terminator=Qt.Key.Key_Tab, target=screen.event_combo)
    assert v.passed


def test_a_scanner_that_sends_no_terminator_still_works(qtbot, screen, world):
    use_event(qtbot, screen, world.event())
    v = wedge_scan(qtbot, screen, token_for(world), terminator=None)
    assert v.passed


def test_a_partial_burst_is_dropped_with_a_hint(qtbot, screen, world, store):
    use_event(qtbot, screen, world.event())
    token = token_for(world)
    qtbot.keyClicks(screen.manual_edit, token[:120])
    qtbot.waitUntil(lambda: screen.message.kind == "hint", timeout=3000)
    assert "不完整" in screen.message.text()
    assert rows(store) == [] and screen.manual_edit.text() == ""


def test_keys_typed_by_a_person_reach_the_field(qtbot, screen, world):
    use_event(qtbot, screen, world.event())
    screen.manual_edit.setFocus()
    qtbot.keyClicks(screen.manual_edit, "zs", delay=150)
    qtbot.waitUntil(lambda: screen.manual_edit.text() == "zs", timeout=3000)


def test_the_same_code_within_3_seconds_is_one_scan(qtbot, screen, world, store):
    use_event(qtbot, screen, world.event())
    token = token_for(world)
    wedge_scan(qtbot, screen, token)
    qtbot.keyClicks(screen.manual_edit, token)
    qtbot.keyClick(screen.manual_edit, Qt.Key.Key_Return)
    screen.checks.wait(5000)
    qtbot.wait(50)
    assert len(rows(store)) == 1
    assert screen.verdict_panel.kind == "pass" and screen.sound.played == ["pass"]


def _admit_elsewhere(store, event, platform_id, minutes_ago=4):
    with store.session() as s:
        s.add(CheckIn(event_id=event.id, station_uuid="other", station_name="二号工作站", source="camera",
                      verdict="pass", admitted=True, platform_id=platform_id,
                      created_at=now_utc() - dt.timedelta(minutes=minutes_ago)))
        s.commit()


TOMORROW = dt.date.today() + dt.timedelta(days=1)
YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def _case(reason, world, store):
    """(event, code) that must be refused for ``reason``."""
    if reason == "invalid":
        return world.event(), "https://weixin.qq.com/r/abc"
    if reason == "unknown_key":
        return world.event(), token_for(world, key=ecard.generate_key())
    if reason == "expired":
        return world.event(), token_for(world, issued_at=now_utc() - dt.timedelta(hours=2), valid=dt.timedelta(hours=1))
    if reason == "revoked":
        revoke(store, 4242, "cancelled")
        return world.event(), token_for(world, member=4242)
    if reason == "not_eligible":
        return world.event(unions=[UNION_A]), token_for(world, union=UNION_B)
    if reason == "not_open":
        return world.event(date=TOMORROW), token_for(world)
    if reason == "closed":
        return world.event(date=YESTERDAY), token_for(world)
    if reason == "already":
        ev = world.event()
        _admit_elsewhere(store, ev, 777)
        return ev, token_for(world, member=777)
    if reason == "full":
        ev = world.event(capacity=1)
        _admit_elsewhere(store, ev, 778)
        return ev, token_for(world, member=779)
    raise AssertionError(reason)


@pytest.mark.parametrize("reason", ["invalid", "unknown_key", "expired", "revoked", "not_eligible", "not_open",
                                    "closed", "already", "full"])
def test_every_refusal_reason_shows_big_with_its_colour_and_sound(qtbot, screen, world, store, reason):
    event, code = _case(reason, world, store)
    use_event(qtbot, screen, event)
    v = wedge_scan(qtbot, screen, code)
    assert v.reason == reason
    expected_kind = "warn" if reason == "unknown_key" else "refuse"
    assert screen.verdict_panel.kind == expected_kind
    assert screen.verdict_panel.title_label.text() == t(f"reason_{reason}")
    assert screen.sound.played == [expected_kind]
    assert [r.reason for r in rows(store) if r.station_name != "二号工作站"] == [reason]
    if reason == "already":
        assert "二号工作站" in screen.verdict_panel.text()
    if reason == "full":
        assert screen.counter_label.text() == "已入场 1 / 1"


def _qr_frame(token: str, seed: int = 3) -> np.ndarray:
    shot, frame = next(scan_synth.frames(token, "clean", 1, seed=seed))
    return frame


def test_a_photo_of_the_phone_from_a_file_is_checked(qtbot, screen, world, tmp_path):
    import cv2

    use_event(qtbot, screen, world.event())
    path = tmp_path / "phone.jpg"
    cv2.imwrite(str(path), _qr_frame(token_for(world, name="李四")))
    with qtbot.waitSignal(screen.checked, timeout=10000) as blocker:
        screen.start_source(ImageSource([path]))
    assert blocker.args[0].passed and blocker.args[0].source == "image"
    qtbot.waitUntil(lambda: screen.preview_label.pixmap() is not None and not screen.preview_label.pixmap().isNull())


def test_a_video_of_one_phone_is_one_admission(qtbot, screen, world, store, tmp_path):
    use_event(qtbot, screen, world.event())
    token = token_for(world)
    frames = [scan_synth.blank_frame(1)] + [_qr_frame(token, seed=i) for i in range(8)]
    path = tmp_path / "door.avi"
    scan_synth.write_video(path, frames)
    with qtbot.waitSignal(screen.checked, timeout=10000):
        worker = screen.start_source(VideoSource(path), pace_s=0)
    qtbot.waitUntil(lambda: worker.frames == len(frames), timeout=10000)
    screen.checks.wait(5000)
    assert [(r.verdict, r.source) for r in rows(store)] == [("pass", "video")]


class VanishingCamera:
    """A webcam that delivers a few frames, then is unplugged."""

    live = True
    name = "USB2.0 HD UVC WebCam"

    def __init__(self, frames: int = 3) -> None:
        self.left = frames

    def open(self) -> None:
        pass

    def read(self):
        if self.left <= 0:
            raise CameraLost(self.name)
        self.left -= 1
        return scan_synth.blank_frame(self.left)

    def close(self) -> None:
        pass


def test_a_camera_that_disappears_is_reported_and_the_scanner_keeps_working(qtbot, screen, world):
    use_event(qtbot, screen, world.event())
    screen.start_source(VanishingCamera())
    qtbot.waitUntil(lambda: screen.camera_message.kind == "error", timeout=5000)
    assert "摄像头已断开" in screen.camera_message.text() and "扫码枪" in screen.camera_message.text()
    assert wedge_scan(qtbot, screen, token_for(world)).passed


def test_a_manual_look_up_admits_and_is_marked_manual(qtbot, screen, world, store):
    from station.people.idnumber import check_digit

    base = "44190019900101125"
    world.roster_member("周杰伦", base + check_digit(base), union=UNION_A, phone="13900001234")
    use_event(qtbot, screen, world.event(unions=[UNION_A]))
    screen.manual_edit.setText("1234")
    screen.run_search()
    qtbot.waitUntil(lambda: screen.manual_list.count() == 1, timeout=5000)
    with qtbot.waitSignal(screen.checked, timeout=5000) as blocker:
        qtbot.mouseClick(screen.manual_button, Qt.MouseButton.LeftButton)
    v = blocker.args[0]
    assert v.passed and v.manual
    assert t("manual_mark") in screen.verdict_panel.text()
    assert rows(store)[0].source == "manual"


def test_checking_without_an_event_asks_for_one(qtbot, screen):
    qtbot.waitUntil(lambda: screen.event_combo.count() > 0, timeout=5000)
    qtbot.keyClicks(screen.manual_edit, "1234567890123")
    qtbot.keyClick(screen.manual_edit, Qt.Key.Key_Return)
    assert "请先选择或新建活动" in screen.message.text()


def test_a_new_event_from_the_editor_is_selected(qtbot, screen, store):
    editor = screen.open_event_editor()
    editor.name_edit.setText("真功夫豆浆兑换")
    editor.venue_edit.setText("真功夫东城万达店")
    editor.kind_combo.setCurrentIndex(1)
    editor.limit_check.setChecked(True)
    editor.capacity_spin.setValue(200)
    editor.unions_edit.setPlainText(UNION_A)
    qtbot.mouseClick(editor.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.current_event is not None and screen.current_event.name == "真功夫豆浆兑换", timeout=5000)
    assert screen.current_event.kind == "redemption" and screen.current_event.capacity == 200 and screen.current_event.unions == (UNION_A,)
    assert screen.counter_label.text() == "已入场 0 / 200"


def test_the_editor_says_what_is_missing(qtbot, screen):
    editor = screen.open_event_editor()
    qtbot.mouseClick(editor.create_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible() and "活动名称" in editor.error_label.text()
    editor.reject()


def test_the_english_scan_screen_has_no_chinese_left(qtbot, store, ui_lang, world, organizer):
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    from ui.scan_screen import ScanScreen

    ui_lang("en")
    widget = ScanScreen(store, sound=SoundPlayer(enabled=False), operator=organizer)
    qtbot.addWidget(widget)
    widget.show()
    use_event(qtbot, widget, world.event(name="Screening", venue="Hall 3"))
    with qtbot.waitSignal(widget.checked, timeout=5000):
        qtbot.keyClicks(widget.manual_edit, "https://example.com/not-a-card")
        qtbot.keyClick(widget.manual_edit, Qt.Key.Key_Return)
    assert widget.verdict_panel.title_label.text() == "Invalid code / signature mismatch"
    cjk = re.compile(r"[\u3400-\u9fff]")
    leaks = [w.text() for w in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton) if cjk.search(w.text())]
    assert leaks == []
    widget.shutdown()


def test_keys_a_sync_brought_are_used_at_the_door_without_reopening_it(qtbot, screen, world):
    """The platform started signing with a new key; the sync pulled it while the door screen was open."""
    from station.checkin import ecard
    from station.checkin.trust_store import TrustStore

    use_event(qtbot, screen, world.event())
    new_key = ecard.generate_key()
    code = token_for(world, key=new_key)
    assert wedge_scan(qtbot, screen, code).verdict == "warn"  # 未知密钥: the door has not heard of it
    TrustStore(world.store).add(new_key.public_key(), label="platform 2027")  # what the pull writes
    screen.sync_arrived()  # the 同步 screen's signal; the reload queues on the check thread before the next code
    assert wedge_scan(qtbot, screen, token_for(world, key=new_key)).passed


def test_a_check_names_the_logged_in_operator_and_follows_a_switch(qtbot, screen, world, store, organizer, promoter):
    use_event(qtbot, screen, world.event())
    wedge_scan(qtbot, screen, token_for(world))
    screen.set_operator(promoter)  # the station was unlocked by another operator
    qtbot.waitUntil(lambda: screen.service is not None and screen.service.operator is promoter, timeout=5000)
    wedge_scan(qtbot, screen, token_for(world))
    assert [r.operator for r in rows(store)] == [organizer.name, promoter.name]
    assert not hasattr(screen, "operator_edit")  # no typed-in name to attribute a check to


def test_a_locked_screen_checks_nothing(qtbot, screen, world, store):
    use_event(qtbot, screen, world.event())
    screen.set_operator(None)
    screen.clear_personal_data()
    assert screen.service is None
    screen.submit_code(token_for(world), "wedge")
    screen.checks.wait()
    assert rows(store) == []
    assert screen.message.text() == t("checkin_login_required")


def test_an_operator_without_the_checkin_permission_is_told_so(qtbot, screen, world, store, promoter, monkeypatch):
    from station.security import operators

    use_event(qtbot, screen, world.event())
    monkeypatch.setitem(operators.PERMISSIONS, "checkin", frozenset({operators.ORGANIZER}))
    screen.set_operator(promoter)
    qtbot.waitUntil(lambda: screen.message.kind == "error", timeout=5000)
    assert "推广员无权执行此操作" in screen.message.text()
    assert screen.service is None
    screen.submit_code(token_for(world), "wedge")
    screen.checks.wait()
    assert rows(store) == []


def test_a_busy_store_says_why_then_shows_the_verdict(qtbot, screen, world, store, hold_write_lock):
    use_event(qtbot, screen, world.event())
    holder = hold_write_lock(1.5)
    with qtbot.waitSignal(screen.checked, timeout=15000) as blocker:
        screen.submit_code(token_for(world), "wedge")
        qtbot.waitUntil(lambda: screen.message.text() == t("wait_store_busy"), timeout=5000)
    holder.wait()
    assert blocker.args[0].passed and screen.verdict_panel.kind == "pass"
    assert screen.message.text() == ""
    assert [r.admitted for r in rows(store)] == [True]


def test_an_event_made_elsewhere_appears_in_the_list_without_a_restart(qtbot, screen, world):
    """Made from the CLI or another screen while the door screen is open: it shows up on its own."""
    screen.catalog_timer.setInterval(100)
    first = world.event(name="上午场", venue="1 号厅")
    qtbot.waitUntil(lambda: screen.event_combo.findData(first.id) >= 0, timeout=5000)
    use_event(qtbot, screen, first)
    later = world.event(name="晚场放映", venue="2 号厅")  # as `station event create` writes it
    qtbot.waitUntil(lambda: screen.event_combo.findData(later.id) >= 0, timeout=5000)
    assert "晚场放映" in screen.event_combo.itemText(screen.event_combo.findData(later.id))
    assert screen.current_event.id == first.id  # the door stays on its event


def test_a_key_added_elsewhere_is_used_at_the_door_without_a_sync_signal(qtbot, screen, world):
    from station.checkin import ecard
    from station.checkin.trust_store import TrustStore

    screen.catalog_timer.setInterval(100)
    use_event(qtbot, screen, world.event())
    new_key = ecard.generate_key()
    assert wedge_scan(qtbot, screen, token_for(world, key=new_key)).verdict == "warn"
    seen = screen._catalog
    TrustStore(world.store).add(new_key.public_key(), label="imported by the CLI")
    qtbot.waitUntil(lambda: screen._catalog != seen, timeout=5000)
    qtbot.waitUntil(lambda: wedge_scan(qtbot, screen, token_for(world, key=new_key)).passed, timeout=5000)


def test_two_equal_refusals_in_a_row_look_different(qtbot, screen, world):
    """无效码 twice: the running number, the flash and the newest row say the second scan happened."""
    use_event(qtbot, screen, world.event())
    first = wedge_scan(qtbot, screen, "https://example.com/not-a-card")
    title, seq = screen.verdict_panel.title_label.text(), screen.verdict_panel.seq_label.text()
    assert first.verdict == "refuse" and seq.startswith("第 1 次核验")
    qtbot.waitUntil(lambda: not screen.verdict_panel.flashing, timeout=2000)
    second = wedge_scan(qtbot, screen, "https://example.com/another-bad-one")
    assert second.verdict == "refuse" and screen.verdict_panel.title_label.text() == title
    assert screen.verdict_panel.seq_label.text().startswith("第 2 次核验")
    assert screen.verdict_panel.flashing  # the frame lights up for a moment
    assert "solid #ffffff" in screen.verdict_panel.styleSheet()
    qtbot.waitUntil(lambda: not screen.verdict_panel.flashing, timeout=2000)
    assert "solid #ffffff" not in screen.verdict_panel.styleSheet()
    assert screen.recent_table.selectionModel().isRowSelected(0)


def test_an_exit_door_lets_out_and_the_entrance_lets_back_in_counting_who_is_inside(qtbot, screen, world, store):
    """出场再入场 (issue 15, item 4): F8 turns the door into an exit, painted blue; who is inside is counted."""
    plain = world.event(name="普通场")
    use_event(qtbot, screen, plain)
    assert not screen.direction_bar.isVisibleTo(screen)  # an event without re-entry has no exit mode
    qtbot.keyClick(screen, Qt.Key.Key_F8)
    assert screen.direction() == "in"

    ev = world.event(name="两场连映", reentry=True, capacity=1)
    use_event(qtbot, screen, ev)
    assert screen.direction_bar.isVisibleTo(screen)
    token = token_for(world, name="王小芳")
    v = wedge_scan(qtbot, screen, token)
    assert v.passed and screen.verdict_panel.title_label.text() == "通过"
    qtbot.waitUntil(lambda: screen.direction_bar.inside_label.text() == "场内 1 人", timeout=5000)

    screen.manual_edit.setFocus()
    qtbot.keyClick(screen.manual_edit, Qt.Key.Key_F8)  # the key works wherever focus is on the screen
    assert screen.direction() == "out" and screen.direction_bar.out_button.isChecked()
    assert screen.verdict_panel.title_label.text() == "出口：请出示电子会员卡"
    out = wedge_scan(qtbot, screen, token)
    assert out.passed and out.direction == "out"
    assert screen.verdict_panel.kind == "exit" and screen.verdict_panel.title_label.text() == "出场"
    assert "王*芳" in screen.verdict_panel.text()
    qtbot.waitUntil(lambda: screen.direction_bar.inside_label.text() == "场内 0 人", timeout=5000)
    assert screen.direction_bar.gate_label.text() == "本门 入 1 · 出 1"
    assert screen.recent_model.index(0, 1).data() == "出场"

    # Out again without coming in: refused in words.
    stranger = token_for(world, name="李四")
    nope = wedge_scan(qtbot, screen, stranger)
    assert nope.reason == "not_inside" and screen.verdict_panel.title_label.text() == "未在场内"

    qtbot.keyClick(screen.manual_edit, Qt.Key.Key_F8)
    assert screen.direction() == "in"
    back = wedge_scan(qtbot, screen, token)
    # Back in though the one place is taken: it is hers, and it is still one admission.
    assert back.passed and screen.verdict_panel.title_label.text() == "再次入场"
    assert screen.counter_label.text() == "已入场 1 / 1"
    qtbot.waitUntil(lambda: screen.direction_bar.gate_label.text() == "本门 入 2 · 出 1", timeout=5000)
    with store.session() as s:
        assert [(r.direction, r.admitted) for r in s.scalars(select(CheckIn).where(CheckIn.event_id == ev.id)
                                                               .order_by(CheckIn.id))] == \
            [("in", True), ("out", False), ("out", False), ("in", False)]


def test_the_editor_makes_an_event_that_allows_coming_back_in(qtbot, screen):
    editor = screen.open_event_editor()
    editor.name_edit.setText("周末双场")
    editor.venue_edit.setText("东城影剧院")
    editor.reentry_check.setChecked(True)
    qtbot.mouseClick(editor.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.current_event is not None and screen.current_event.name == "周末双场", timeout=5000)
    assert screen.current_event.reentry and screen.direction_bar.isVisibleTo(screen)
