"""The app shell: window, navigation, dashboard, About box, geometry, startup."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from schoolvault import services
from schoolvault.workspace import open_workspace


def test_window_opens_on_the_dashboard_with_the_school_and_real_counts(demo_window, qtbot, demo_ws_path):
    page = demo_window.pages["dashboard"]
    qtbot.waitUntil(lambda: page.loaded)
    assert demo_window.current_key() == "dashboard"
    assert page.school_label.text() == "서울시험초등학교"
    with open_workspace(demo_ws_path, readonly=True) as ws:
        d = services.dashboard(ws)
    assert page.rated_bar.value() == d["indicators_rated"]
    assert page.rated_bar.maximum() == d["indicators_chosen"]
    assert "2025학년도" in demo_window.windowTitle()
    assert page.next_title.text()


def test_navigation_reaches_every_page_by_keyboard(demo_window, qtbot, idle):
    from PySide6.QtCore import Qt
    from schoolvault.ui.mainwindow import PAGES
    for n, (key, *_rest) in enumerate(PAGES, 1):
        qtbot.keyClick(demo_window, Qt.Key(Qt.Key_0 + n), Qt.ControlModifier)
        assert demo_window.current_key() == key
        idle(demo_window)
    assert set(demo_window.pages) == {p[0] for p in PAGES}
