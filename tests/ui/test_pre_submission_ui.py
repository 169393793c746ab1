"""보고서 page: a district-bound file is checked first; each problem links to its place; go on anyway."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from schoolvault import readiness
from schoolvault.workspace import open_workspace


def _reports(qtbot, w):
    page = w.show_page("reports")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    return page


def test_submission_on_an_unfinished_year_shows_the_core_list_and_links_to_the_indicator(
        qtbot, fresh_window, fresh_ws_path, monkeypatch):
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a) or ("", ""))
    page = _reports(qtbot, fresh_window)
    qtbot.mouseClick(page.rows["submission"]["button"], Qt.LeftButton)
    qtbot.waitUntil(lambda: getattr(page, "check_dialog", None) is not None and page.check_dialog.isVisible(),
                    timeout=10000)
    dlg = page.check_dialog
    with open_workspace(fresh_ws_path, readonly=True) as ws:
        assert dlg.problems == readiness.pre_submission_check(ws)
    assert len(dlg.link_buttons) == len(dlg.problems)
    assert not asked  # no file dialog before the user decides
    first = dlg.problems[0]
    assert first["page"] == "selfeval"
    qtbot.mouseClick(dlg.link_buttons[0], Qt.LeftButton)
    sel = fresh_window.page("selfeval")
    assert fresh_window.current_key() == "selfeval"
    qtbot.waitUntil(lambda: sel.detail is not None and sel.detail["code"] == first["target"], timeout=10000)
    assert not dlg.isVisible()


def test_go_on_anyway_writes_the_workbook(qtbot, fresh_window, tmp_path, monkeypatch):
    out = tmp_path / "제출.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    page = _reports(qtbot, fresh_window)
    qtbot.mouseClick(page.rows["workbook"]["button"], Qt.LeftButton)
    qtbot.waitUntil(lambda: getattr(page, "check_dialog", None) is not None and page.check_dialog.isVisible(),
                    timeout=10000)
    qtbot.mouseClick(page.check_dialog.anyway_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.rows["workbook"]["status"].text().startswith("저장했습니다"), timeout=30000)
    assert out.exists()


def test_a_finished_year_goes_straight_to_the_file_and_internal_files_are_not_checked(
        qtbot, demo_window, monkeypatch):
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a[1]) or ("", ""))
    page = _reports(qtbot, demo_window)
    qtbot.mouseClick(page.rows["submission"]["button"], Qt.LeftButton)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=10000)
    assert getattr(page, "check_dialog", None) is None
    qtbot.mouseClick(page.rows["internal"]["button"], Qt.LeftButton)
    assert len(asked) == 2  # 교내 보관용: asked at once, no check
