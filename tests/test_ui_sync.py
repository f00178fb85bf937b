"""同步 (Ctrl+9, organizers only): enroll, pending counts, 立即同步 against a real loopback hub, errors, the offline file."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers import sync as F
from helpers.ui import open_window, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

from station.sync import client as sync_client
from station.sync import records as sync_records
from ui.main_window import SCREEN_SYNC

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def captive_portal():
    """A canteen Wi-Fi's login page: 200 with HTML to every request."""

    class Portal(BaseHTTPRequestHandler):
        def _page(self):
            body = "<html><body>请先登录饭堂 Wi-Fi</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _page

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def open_sync(qtbot, win):
    action = win.screen_actions[SCREEN_SYNC]
    assert action.shortcut().toString() == "Ctrl+9"
    action.trigger()
    screen = win.sync_screen
    qtbot.waitUntil(lambda: screen.loaded, timeout=10000)
    wait_idle(qtbot, win)
    return screen


def tile_values(screen) -> dict:
    return {kind: tile.value.text() for kind, tile in screen.tiles.items()}


def enroll_by_keyboard(qtbot, screen, url: str, code: str) -> None:
    screen.url_edit.setText(url)
    screen.code_edit.setText(code)
    screen.code_edit.setFocus()
    qtbot.keyClick(screen.code_edit, Qt.Key.Key_Return)


def test_promoters_do_not_see_the_sync_screen(qtbot, store, ui_lang, organizer, promoter):
    win = open_window(qtbot, store, promoter)
    assert not win.nav_buttons[SCREEN_SYNC].isVisibleTo(win)
    assert not win.screen_actions[SCREEN_SYNC].isVisible()
    assert not win.screen_actions[SCREEN_SYNC].isEnabled()
    win.show_screen(SCREEN_SYNC)
    assert win.stack.currentWidget() is not win.sync_screen
    win.lock()
    win.set_operator(organizer)
    assert win.nav_buttons[SCREEN_SYNC].isVisibleTo(win) and win.screen_actions[SCREEN_SYNC].isEnabled()
    win.runner.wait(10000)


def test_enroll_see_pending_sync_now_and_read_the_report(qtbot, window, store, organizer, sqlite_hub):
    F.day_of_work(store, organizer, signups=30, checkins=8, draws=1, posters=2, audits=2)
    screen = open_sync(qtbot, window)
    assert screen.enroll_box.isVisible() and not screen.sync_button.isEnabled()
    assert screen.hub_label.text() == "尚未注册到平台"
    assert tile_values(screen)["registrations"] == "30" and tile_values(screen)["checkins"] == "8"
    assert tile_values(screen)["draws"] == "6"  # a draw and its 5 winners: one "抽奖"
    assert screen.tiles["registrations"].label.text() == "报名"

    enroll_by_keyboard(qtbot, screen, sqlite_hub.base_url, sqlite_hub.code("东城一号"))
    qtbot.waitUntil(lambda: sync_client.link(store) is not None and not screen.busy, timeout=15000)
    wait_idle(qtbot, window)
    assert not screen.enroll_box.isVisible() and store.identity.name in screen.hub_label.text()
    assert screen.sync_button.isEnabled() and "已注册到平台" in screen.status.text()

    stages = []
    original = screen._progress
    screen._progress = lambda value: (stages.append(screen.stage_text(value[0])), original(value))[-1]
    qtbot.keyClick(screen.sync_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not screen.busy, timeout=30000)
    wait_idle(qtbot, window)
    assert all(v == "0" for k, v in tile_values(screen).items() if k != "audit")
    assert "正在上传报名" in stages
    text = screen.report_view.toPlainText()
    assert "30" in text and "报名" in text
    assert screen.status.text() == text.splitlines()[0]
    assert "上次" in screen.last_label.text()
    assert not screen.refusals.isVisible() and screen.refusals_empty.isVisible()


def test_a_captive_portal_shows_a_plain_error_and_keeps_the_records(qtbot, window, store, organizer, sqlite_hub,
                                                                       captive_portal, monkeypatch):
    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, 12)
    sync_client.enroll(store, organizer, sqlite_hub.base_url, sqlite_hub.code())
    with store.session() as s:
        sync_records.link_row(s).hub_url = captive_portal
        s.commit()
    screen = open_sync(qtbot, window)
    assert tile_values(screen)["registrations"] == "12"
    screen.sync_button.click()
    qtbot.waitUntil(lambda: not screen.busy, timeout=30000)
    wait_idle(qtbot, window)
    message = screen.status.text()
    assert "Wi-Fi" in message or "登录" in message or "网页" in message, message
    assert "Traceback" not in message and "Error" not in message
    assert screen.status.styleSheet().endswith("#c62828;")
    assert tile_values(screen)["registrations"] == "12"
    assert sync_records.pending_counts(store)["registrations"] == 12


def test_export_the_offline_file_and_see_where_it_went(qtbot, window, store, organizer, sqlite_hub, tmp_path):
    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, 7)
    sync_client.enroll(store, organizer, sqlite_hub.base_url, sqlite_hub.code())
    screen = open_sync(qtbot, window)
    total = sum(sync_records.pending_counts(store).values())
    usb = tmp_path / "usb"
    usb.mkdir()
    screen.export_to(usb)
    qtbot.waitUntil(lambda: not screen.busy, timeout=15000)
    wait_idle(qtbot, window)
    (path,) = usb.glob("*.yghsync")
    assert str(path) in screen.status.text() and f"（{total} 条记录）" in screen.status.text()
    assert "报名：7 条" in screen.report_view.toPlainText()
    assert "仍算待同步" in screen.status.text()
    assert tile_values(screen)["registrations"] == "7"  # pending until the receipt comes back

    import json

    from station.hub import bundle as hub_bundle

    receipt = path.with_name(path.stem + ".receipt.json")
    receipt.write_text(json.dumps(hub_bundle.import_bundle(sqlite_hub.db, path.read_bytes())), encoding="utf-8")
    screen.import_receipt(receipt)
    qtbot.waitUntil(lambda: not screen.busy, timeout=15000)
    wait_idle(qtbot, window)
    assert tile_values(screen)["registrations"] == "0"
    assert "回执已导入" in screen.status.text()
    screen.import_receipt(receipt)  # the same receipt again: said plainly, nothing changes
    qtbot.waitUntil(lambda: not screen.busy, timeout=15000)
    wait_idle(qtbot, window)
    assert "已经导入过" in screen.status.text()


def test_the_sync_screen_in_english_has_no_chinese(qtbot, store, ui_lang, organizer, sqlite_hub):
    win = open_window(qtbot, store, organizer, lang="en")
    screen = open_sync(qtbot, win)
    texts = [w.text() for w in screen.findChildren(QLabel) + screen.findChildren(QAbstractButton)
             if w.isVisibleTo(screen)]
    texts += [screen.url_edit.placeholderText(), screen.code_edit.placeholderText()]
    assert [t for t in texts if CJK.search(t)] == []
    assert "Sync" in win.nav_buttons[SCREEN_SYNC].text()
    win.runner.wait(10000)


def test_a_revoked_station_is_told_plainly_and_enrolls_again_from_the_screen(qtbot, window, store, organizer,
                                                                              sqlite_hub):
    from station.hub import service

    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, 5)
    sync_client.enroll(store, organizer, sqlite_hub.base_url, sqlite_hub.code())
    with sqlite_hub.db.session() as s:
        assert service.revoke_station(s, store.identity.uuid)
        s.commit()
    screen = open_sync(qtbot, window)
    assert not screen.enroll_box.isVisible() and screen.reenroll_button.isVisible()
    screen.start_sync()
    qtbot.waitUntil(lambda: not screen.busy, timeout=30000)
    wait_idle(qtbot, window)
    assert "吊销" in screen.status.text() and screen.status.styleSheet().endswith("#c62828;")
    assert screen.enroll_box.isVisible() and screen.url_edit.text() == sqlite_hub.base_url
    assert tile_values(screen)["registrations"] == "5"
    enroll_by_keyboard(qtbot, screen, sqlite_hub.base_url, sqlite_hub.code())
    qtbot.waitUntil(lambda: not screen.busy and not screen.enroll_box.isVisible(), timeout=15000)
    screen.start_sync()
    qtbot.waitUntil(lambda: not screen.busy, timeout=30000)
    wait_idle(qtbot, window)
    assert tile_values(screen)["registrations"] == "0", screen.status.text()


def test_cancel_stops_after_the_batch_and_keeps_the_rest_pending(qtbot, window, store, organizer, sqlite_hub,
                                                                 monkeypatch):
    import time

    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, 3000)
    sync_client.enroll(store, organizer, sqlite_hub.base_url, sqlite_hub.code())
    push = sync_client.HubClient.push

    def slow_push(self, *args, **kw):
        time.sleep(0.3)  # a slow canteen network
        return push(self, *args, **kw)

    monkeypatch.setattr(sync_client.HubClient, "push", slow_push)
    screen = open_sync(qtbot, window)
    screen.start_sync()
    qtbot.waitUntil(lambda: screen.stage_label.text() == "正在上传报名", timeout=15000)
    assert screen.cancel_button.isVisible() and screen.progress.isVisible() and not screen.sync_button.isEnabled()
    qtbot.keyClick(screen.sync_button, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not screen.busy, timeout=30000)
    wait_idle(qtbot, window)
    assert "取消" in screen.status.text()
    left = sync_records.pending_counts(store)["registrations"]
    assert 0 < left < 3000 and tile_values(screen)["registrations"] == f"{left:,}"


def test_the_stages_in_words(qtbot, window):
    screen = window.sync_screen
    assert screen.stage_text("events") == "正在上传活动"
    assert screen.stage_text("registrations") == "正在上传报名"
    assert screen.stage_text("winners") == "正在上传抽奖"
    assert screen.stage_text("pull:events") == "正在取回活动"  # events go both ways
    assert screen.stage_text("pull:roster") == "正在取回名册"
    assert screen.stage_text("audit") == "正在上传审计日志"
    assert screen.stage_text("something new") == "正在同步"
