"""登记记录: the list of sign-ups, and the paper fallback import."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.ui import LI, WANG, wait_idle

from station.signup import service as signup
from ui.import_dialog import ImportProgressDialog, PaperConsentDialog
from ui.main_window import SCREEN_SIGNUPS


def show_list(qtbot, window, scope: str):
    window.show_screen(SCREEN_SIGNUPS)
    screen = window.signups_screen
    screen.filter_combo.setCurrentIndex(screen.filter_combo.findData(scope))
    wait_idle(qtbot, window)
    return screen


def test_todays_sign_ups_are_listed_masked(qtbot, store, session, window, organizer):
    signup.register(store, operator=organizer, name="王芳", phone="13912345678", id_number=WANG, consent=True)
    signup.register(store, operator=organizer, name="李明", phone="13712345678", id_number=LI, consent=True)
    screen = show_list(qtbot, window, "today")
    rows = screen.model.rows()
    assert [r[1] for r in rows] == ["李*", "王*"]
    assert rows[0][2] == "137****5678"
    assert rows[0][3].startswith(LI[:4]) and "*" in rows[0][3]
    assert rows[0][5] == "新会员申请" and rows[0][6] == "现场" and rows[0][8] == "测试工作站"
    assert "共 2 条" in screen.count_label.text()


def test_this_event_scope_needs_an_open_session(qtbot, store, window):
    screen = show_list(qtbot, window, "event")
    assert screen.model.rowCount() == 0
    assert "尚未开启场次" in screen.count_label.text()


@dataclass
class FakePaperResult:
    rows_read: int
    roster: int
    new: int
    already: int
    rejected: int
    report_path: Path | None
    elapsed_s: float


@pytest.fixture
def fake_paper(monkeypatch, organizer):
    """The paper import engine's contract (station.signup.paper_import), recorded."""
    calls = []
    module = types.ModuleType("station.signup.paper_import")

    def import_paper(store, path, *, mapping=None, session=None, consent_confirmed, progress=None, cancel=None,
                     operator):
        calls.append({"path": path, "mapping": mapping, "consent_confirmed": consent_confirmed,
                      "operator": operator.name})
        signup.register(store, operator=organizer, name="王芳", phone="13912345678", id_number=WANG, consent=True, source="paper")
        return FakePaperResult(rows_read=3, roster=1, new=1, already=0, rejected=1, report_path=None, elapsed_s=0.2)

    def preview_file(path):
        headers = ["姓名", "手机号码", "身份证号码", "单位名称"]
        return types.SimpleNamespace(path=Path(path), header_row=0, headers=headers, missing=[], sample_rows=[],
                                     mapping={"name": 0, "phone": 1, "id_number": 2, "enterprise": 3})

    module.import_paper = import_paper
    module.preview_file = preview_file
    monkeypatch.setitem(sys.modules, "station.signup.paper_import", module)
    import station.signup

    # `from station.signup import paper_import` finds the package attribute first, once the real module was imported.
    monkeypatch.setattr(station.signup, "paper_import", module, raising=False)
    return calls


def test_paper_import_requires_the_signed_consent_confirmation(qtbot, store, session, window, fake_paper, tmp_path):
    screen = show_list(qtbot, window, "today")
    dialog = screen.import_paper(tmp_path / "纸质登记表.xlsx")
    assert isinstance(dialog, PaperConsentDialog) and dialog.isVisible()
    assert "一号饭堂" in dialog.findChildren(type(screen.count_label))[0].text()
    assert not dialog.ok_button.isEnabled()
    dialog.confirm_check.setChecked(True)
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: screen.flow is not None and screen.flow.result is not None, timeout=10000)
    assert fake_paper[0]["consent_confirmed"] is True
    assert fake_paper[0]["operator"] == window.operator.name  # the logged-in organizer imports
    progress = screen.flow.progress_dialog
    assert isinstance(progress, ImportProgressDialog)
    assert progress.count_labels["在册会员"].text() == "1"
    assert progress.count_labels["拒绝"].text() == "1"
    wait_idle(qtbot, window)
    assert [r[6] for r in screen.model.rows()] == ["纸质"]


def test_paper_import_without_a_session_says_to_open_one(qtbot, store, window, fake_paper, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("ui.signups_screen.show_error", lambda parent, exc, title=None: shown.append(exc))
    screen = show_list(qtbot, window, "all")
    assert screen.import_paper(tmp_path / "纸质登记表.xlsx") is None
    assert shown and shown[0].key == "no_session"
    assert fake_paper == []


def write_sheet(path, header, rows):
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def confirm_paper(qtbot, screen, path):
    dialog = screen.import_paper(path)
    dialog.confirm_check.setChecked(True)
    dialog.ok_button.click()


def wait_imported(qtbot, screen):
    """Until the import dialog has an answer; it must be a success."""
    qtbot.waitUntil(lambda: screen.flow is not None and screen.flow.progress_dialog is not None
                    and screen.flow.progress_dialog.state in ("done", "failed", "cancelled"), timeout=20000)
    dialog = screen.flow.progress_dialog
    assert dialog.state == "done", dialog.status.text()
    return screen.flow.result


def test_a_real_paper_sheet_signs_people_up_at_the_open_session(qtbot, store, session, window, tmp_path):
    pytest.importorskip("station.signup.paper_import")
    path = write_sheet(tmp_path / "纸质登记表.csv", ["姓名", "手机号码", "身份证号码"],
                       [["王芳", "13912345678", WANG], ["李明", "13712345678", LI], ["坏行", "123", "1"]])
    screen = show_list(qtbot, window, "today")
    confirm_paper(qtbot, screen, path)
    result = wait_imported(qtbot, screen)
    assert (result.new, result.rejected) == (2, 1)
    dialog = screen.flow.progress_dialog
    assert dialog.count_labels["新会员申请"].text() == "2"
    assert dialog.report_button.isVisible()  # the rejected row is in the report
    wait_idle(qtbot, window)
    assert sorted(r[6] for r in screen.model.rows()) == ["纸质", "纸质"]


def test_a_paper_sheet_without_a_mobile_column_asks_for_it(qtbot, store, session, window, tmp_path):
    pytest.importorskip("station.signup.paper_import")
    from ui.mapping_dialog import ColumnMappingDialog

    # a column the engine cannot recognise, by its header or by its content
    path = write_sheet(tmp_path / "纸质登记表.csv", ["姓名", "身份证号码", "备用"], [["王芳", WANG, "139 1234 5678"]])
    screen = show_list(qtbot, window, "today")
    confirm_paper(qtbot, screen, path)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ColumnMappingDialog)), timeout=10000)
    mapping = next(d for d in window.findChildren(ColumnMappingDialog) if d.isVisible())
    assert not mapping.ok_button.isEnabled() and "手机号码" in mapping.problem.text()
    mapping.choose("phone", "备用")
    mapping.ok_button.click()
    assert wait_imported(qtbot, screen).new == 1


def test_after_a_paper_import_todays_count_includes_the_paper_sign_ups(qtbot, store, session, window, tmp_path):
    pytest.importorskip("station.signup.paper_import")
    path = write_sheet(tmp_path / "纸质登记表.csv", ["姓名", "手机号码", "身份证号码"], [["王芳", "13912345678", WANG]])
    screen = show_list(qtbot, window, "today")
    confirm_paper(qtbot, screen, path)
    wait_imported(qtbot, screen)
    wait_idle(qtbot, window)
    assert window.signup_screen.count_label.text() == "1"
    assert "1" in window.count_status.text()
