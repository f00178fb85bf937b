"""活动现场 in the app (issue 15): the organizer's laptop hosts the event, another station joins by
scanning the QR code on the host's screen (here: a picture of it, through the webcam's path), and a
ticket that does not fit is refused in plain words."""

from __future__ import annotations

from helpers.lan import new_station
from helpers.ui import type_text
from PySide6.QtCore import Qt

from station.checkin.frames import source_for
from station.sync import lan_link
from station.sync.lan_host import HostServer
from ui.lan_dialogs import JoinDialog
from ui.workers import TaskRunner


def _host_dialog(qtbot, window):
    window.event_host = HostServer(window.store, port=0, bind="127.0.0.1")
    window.show_screen(8)
    dialog = window.open_host_dialog()
    qtbot.waitUntil(lambda: dialog.stop_button.isEnabled(), timeout=15000)
    return dialog


def test_the_host_serves_joins_itself_and_shows_a_ticket_another_station_scans(qtbot, window, store, tmp_path):
    dialog = _host_dialog(qtbot, window)
    assert "活动主机运行中" in dialog.state_label.text()
    own = lan_link.event_link(store)
    assert own is not None and own.host_url == f"https://127.0.0.1:{window.event_host.port}"  # joined itself
    qtbot.waitUntil(lambda: window.live.state.online, timeout=15000)  # and live sync moved to the host
    dialog.address_combo.clear()
    dialog.address_combo.addItem("127.0.0.1", "127.0.0.1")
    type_text(qtbot, dialog.name_edit, "二号门")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.qr_label.pixmap() is not None and not dialog.qr_label.pixmap().isNull(),
                    timeout=10000)
    assert dialog.short_label.text().startswith(f"127.0.0.1:{window.event_host.port} ")
    assert "二号门" in dialog.hint_label.text()
    picture = tmp_path / "ticket.png"
    assert dialog.qr_label.pixmap().save(str(picture))

    other, org = new_station(tmp_path, "二号门")
    runner = TaskRunner()
    join = JoinDialog(other, runner, org)
    qtbot.addWidget(join)
    joined = []
    join.joined.connect(joined.append)
    join.start_source(source_for(picture))  # what the webcam would see
    qtbot.waitUntil(lambda: bool(joined), timeout=15000)
    assert lan_link.event_link(other).host_url == own.host_url
    assert "已加入活动主机" in join.message.text()
    qtbot.waitUntil(lambda: "二号门" in dialog.joined_label.text() or dialog.joined_label.text() != "",
                    timeout=10000)
    join.close()
    runner.wait(10000)
    dialog.close()
    window.event_host.stop()
    other.close()


def test_a_typed_ticket_that_does_not_fit_is_refused_in_plain_words(qtbot, store, organizer, ui_lang):
    runner = TaskRunner()
    join = JoinDialog(store, runner, organizer)
    qtbot.addWidget(join)
    join.show()
    join.submit()
    assert "请输入加入码" in join.message.text()
    type_text(qtbot, join.ticket_edit, "http://example.com/not-a-ticket")
    qtbot.keyClick(join.ticket_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "加入码" in join.message.text() and not join.busy, timeout=10000)
    assert "不是有效的活动主机加入码" in join.message.text()
    assert lan_link.event_link(store) is None
    runner.wait(10000)
