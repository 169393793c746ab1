"""Windows built apart, wired into the main window: close-time flush, menus, district, safety, files."""

from __future__ import annotations

import sqlite3

import shiboken6
from PySide6.QtCore import Qt


def _counts(path) -> tuple[int, int]:
    c = sqlite3.connect(path)
    try:
        return (c.execute("SELECT COUNT(*) FROM respondents").fetchone()[0],
                c.execute("SELECT COUNT(*) FROM answers").fetchone()[0])
    finally:
        c.close()


def _menu_action(window, text: str):
    """The menu action whose text is `text` (menus are how the user reaches these windows)."""
    from PySide6.QtGui import QAction
    for a in window.findChildren(QAction):
        if a.text() == text:
            return a
    raise AssertionError(f"no menu action {text!r}")


def test_paper_answers_typed_just_before_quitting_are_in_the_workspace(fresh_window, qtbot, fresh_ws_path):
    from schoolvault.ui.pages.paper_entry import AUTOSAVE_MS
    p = fresh_window.open_paper_entry()
    qtbot.waitUntil(lambda: p.survey.count() > 0 and p.grid.columnCount() > 0, timeout=10000)
    p.group.setCurrentIndex(p.group.findData("학생"))
    before = _counts(fresh_ws_path)
    p.grid.setFocus()
    qtbot.keyClicks(p.grid, "4321")
    assert p.timer.isActive() and p.timer.interval() == AUTOSAVE_MS  # the autosave has not run yet
    fresh_window.close()  # at once: the main window, not the paper window, is closed
    assert not p.isVisible()
    respondents, answers = _counts(fresh_ws_path)
    assert (respondents - before[0], answers - before[1]) == (1, 4)


def test_a_survey_built_from_the_item_bank_appears_on_the_surveys_page(fresh_window, qtbot, real_fixtures, idle):
    page = fresh_window.show_page("surveys")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    before = {s["id"] for s in page.data}
    _menu_action(fresh_window, "문항 예시자료로 설문 만들기…").trigger()
    d = fresh_window.extra_windows[-1]
    assert type(d).__name__ == "SurveyBuilderDialog" and d.isVisible()
    assert d.jobs.runner is fresh_window.session.runner  # one connection, one job thread
    qtbot.waitUntil(lambda: d.idle and d.survey_id.text() != "", timeout=10000)
    d.import_bank_file(str(real_fixtures / "seoul-item-bank-2025.json"))
    qtbot.waitUntil(lambda: d.idle and d.tree.topLevelItemCount() > 0, timeout=10000)
    d.group.setCurrentIndex(d.group.findData("학부모"))
    d.tree.topLevelItem(0).child(0).child(0).setCheckState(0, Qt.Checked)
    d.title.setText("학부모 만족도")
    page.loaded = False
    qtbot.mouseClick(d.build_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: d.result_info is not None, timeout=10000)
    # the page was visible: created(dict) -> workspace_changed -> the list reloads by itself
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    new = {s["id"] for s in page.data} - before
    assert new == {d.result_info["id"]}
    assert any(s["title"] == "학부모 만족도" for s in page.data)
    d.reject()
    idle(fresh_window)


def test_the_comment_picker_opens_from_the_survey_menu_and_from_the_results_page(demo_window, qtbot, idle):
    from PySide6.QtWidgets import QPushButton
    _menu_action(demo_window, "서술형 의견 고르기…").trigger()
    w = demo_window.extra_windows[-1]
    assert type(w).__name__ == "CommentPickerPage" and w.isVisible()
    qtbot.waitUntil(lambda: w.idle and w.list.count() > 0, timeout=10000)
    w.close()
    results = demo_window.show_page("results")
    button = next(b for b in results.findChildren(QPushButton) if b.text() == "보고서에 실을 의견 고르기…")
    button.click()
    assert type(demo_window.extra_windows[-1]).__name__ == "CommentPickerPage"
    assert demo_window.extra_windows[-1] is not w
    idle(demo_window)


def test_district_analysis_opens_its_own_window_on_the_district_workspace(fresh_window, qtbot, tmp_path, monkeypatch):
    from schoolvault.paths import DATA_DIR_ENV
    from schoolvault.ui.pages.district import DistrictPage
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data-dir"))
    _menu_action(fresh_window, "교육지원청 분석…").trigger()
    w = fresh_window.district_window
    assert isinstance(w, DistrictPage) and w.isWindow() and w.isVisible()
    assert w.session.path == tmp_path / "data-dir" / "district.sqlite"
    assert w.session.path != fresh_window.session.path
    qtbot.waitUntil(lambda: w.loaded, timeout=10000)
    assert (tmp_path / "data-dir" / "district.sqlite").exists()
    _menu_action(fresh_window, "교육지원청 분석…").trigger()  # a second time: the same window comes forward
    assert fresh_window.district_window is w
    fresh_window.close()  # closing the main window closes the district window (deleted on close)
    qtbot.waitUntil(lambda: not shiboken6.isValid(w) or not w.isVisible(), timeout=5000)
