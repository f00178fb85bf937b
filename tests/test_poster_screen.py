"""The poster screen: live preview, one poster, a batch with progress and cancel, the register."""

from __future__ import annotations

import pytest
from helpers.posters import BIGGEST, decode_png, page_png
from PySide6.QtWidgets import QApplication

from station.posters.service import list_posters


@pytest.fixture
def screen(qtbot, poster_store, ui_lang):
    from ui.poster_screen import PosterScreen
    from ui.style import apply_style

    apply_style(QApplication.instance())
    w = PosterScreen(poster_store)
    qtbot.addWidget(w)
    w.resize(1366, 700)
    w.show()
    qtbot.waitExposed(w)
    w.refresh()
    qtbot.waitUntil(lambda: not w.runner.busy, timeout=15000)
    yield w
    w.runner.wait(15000)


def _idle(qtbot, w, timeout=20000):
    qtbot.waitUntil(lambda: not w.runner.busy and not w.preview_timer.isActive(), timeout=timeout)


def test_the_enterprise_list_comes_from_the_roster(screen):
    names = [screen.enterprise_combo.itemText(i) for i in range(screen.enterprise_combo.count())]
    assert names[0] == BIGGEST and len(names) == 5


def test_the_preview_follows_the_title_as_typed(qtbot, screen):
    _idle(qtbot, screen)
    before = screen._preview_image.copy()
    screen.title_edit.setText("扫码入会领好礼")
    _idle(qtbot, screen)
    assert screen._preview_image is not None and screen._preview_image != before
    assert "毫米" in screen.preview_info.text()


def test_a_title_too_long_shows_the_reason_in_the_form(qtbot, screen):
    screen.title_edit.setText("扫码领取工会电子会员卡" * 8)
    _idle(qtbot, screen)
    assert screen.message.kind == "error" and "标题" in screen.message.text()


def test_making_one_poster_writes_a_proofed_pdf_and_lists_it(qtbot, screen, tmp_path, poster_store):
    screen.enterprise_combo.setText(BIGGEST)
    out = tmp_path / "one.pdf"
    screen.make_one(out)
    _idle(qtbot, screen)
    assert out.exists() and "校验通过" in screen.message.text()
    code = list_posters(poster_store)[0].code
    assert screen.register_model.rows()[0][1] == code
    assert decode_png(page_png(out, tmp_path / "one", 100)) == [list_posters(poster_store)[0].url]


def test_making_without_an_enterprise_asks_for_one(qtbot, screen, tmp_path):
    screen.enterprise_combo.setText("")
    assert screen.make_one(tmp_path / "x.pdf") is None
    assert screen.message.kind == "error"


def test_a_batch_reports_progress_and_lists_every_poster(qtbot, screen, tmp_path, poster_store):
    screen.filter_top.setChecked(True)
    screen.count_spin.setValue(3)
    seen = []
    screen.progress.valueChanged.connect(seen.append)
    screen.start_batch(tmp_path / "batch.pdf")
    assert not screen.batch_button.isEnabled() and screen.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not screen.batch_running, timeout=30000)
    _idle(qtbot, screen)
    assert (tmp_path / "batch.pdf").exists()
    assert len(list_posters(poster_store)) == 3 and screen.register_model.rowCount() == 3
    assert seen and max(seen) == 3
    assert "3 张" in screen.batch_message.text()


def test_cancelling_a_batch_leaves_nothing(qtbot, screen, tmp_path, poster_store, monkeypatch):
    import station.posters.service as service

    real = service.PosterPainter

    def slow(spec):  # a batch long enough to press Cancel in
        import time

        time.sleep(0.3)
        return real(spec)

    monkeypatch.setattr(service, "PosterPainter", slow)
    screen.start_batch(tmp_path / "batch.pdf")
    qtbot.waitUntil(lambda: screen.progress.maximum() > 0, timeout=10000)
    screen.cancel_button.click()
    qtbot.waitUntil(lambda: not screen.batch_running, timeout=30000)
    assert "已取消" in screen.batch_message.text()
    assert not (tmp_path / "batch.pdf").exists() and list_posters(poster_store) == []


def test_print_opens_a_preview_of_the_proofed_poster(qtbot, screen, poster_store):
    screen.enterprise_combo.setText(BIGGEST)
    screen.print_current()
    qtbot.waitUntil(lambda: screen.print_dialog is not None, timeout=20000)
    assert screen.print_dialog.isVisible()
    assert len(list_posters(poster_store)) == 1
    screen.print_dialog.reject()


def test_the_english_screen_has_no_chinese_labels(qtbot, poster_store, ui_lang):
    import re

    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

    from ui.poster_screen import PosterScreen

    ui_lang("en")
    w = PosterScreen(poster_store)
    qtbot.addWidget(w)
    cjk = re.compile(r"[\u3400-\u9fff]")
    texts = [x.text() for x in w.findChildren(QLabel) + w.findChildren(QAbstractButton)]
    texts += [g.title() for g in w.findChildren(QGroupBox)]
    leaks = [s for s in texts if cjk.search(s) and s not in (w.title_edit.text(),)]
    assert leaks == []
    w.runner.wait(10000)
