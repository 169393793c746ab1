"""Windows built apart, wired into the main window: close-time flush, menus, district, safety, files."""

from __future__ import annotations

import sqlite3

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
