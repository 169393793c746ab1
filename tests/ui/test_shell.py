"""The app shell: window, navigation, dashboard, About box, geometry, startup."""

from __future__ import annotations

import pytest

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


def test_the_app_refuses_a_file_that_is_not_a_workspace_with_a_korean_message(tmp_path, monkeypatch, qapp):
    from schoolvault.ui import app, errors
    bad = tmp_path / "메모.sqlite"
    bad.write_text("이건 작업 파일이 아닙니다", encoding="utf-8")
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, tb=None, modal=False: shown.append(exc))
    assert app.main(["--db", str(bad)]) == 1
    assert "SchoolVault 작업 파일이 아닙니다" in shown[0].message
    assert bad.read_text(encoding="utf-8") == "이건 작업 파일이 아닙니다"


def test_a_workspace_held_by_another_program_is_said_before_the_window_opens(tmp_path, monkeypatch, qapp, fresh_ws_path):
    import subprocess
    import sys

    from schoolvault.ui import app, errors
    code = ("import time; from schoolvault.workspace import open_workspace; "
            f"ws = open_workspace({str(fresh_ws_path)!r}); print('held', flush=True); time.sleep(30)")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        from schoolvault.ui import opening
        shown = []
        monkeypatch.setattr(errors, "show_error", lambda parent, exc, tb=None, modal=False: shown.append(exc))
        # the user is asked (read-only / wait / close) before any window: here "닫기"
        monkeypatch.setattr(opening, "ask_in_use", lambda exc, parent, still=False: shown.append(exc) or opening.CLOSE)
        assert app.main(["--db", str(fresh_ws_path)]) == 1
        assert "사용하고 있습니다" in shown[0].message
    finally:
        holder.kill()
        holder.wait(10)


def test_a_new_workspace_path_asks_for_the_school_first(tmp_path):
    from schoolvault.ui.opening import needs_setup
    assert needs_setup(tmp_path / "없는 파일.sqlite")


def test_korean_fonts_are_registered_from_resources(qapp):
    from schoolvault.resources import fonts_dir
    from schoolvault.ui.app import register_fonts
    chosen = register_fonts()
    if not any(fonts_dir().glob("Nanum*.ttf")):
        pytest.skip("Nanum fonts are not in resources/fonts")
    assert chosen == "NanumGothic"


def test_switching_the_year_on_the_dashboard_shows_that_years_work(demo_window, qtbot):
    from schoolvault.ui.session import ALL
    demo_window.session.call_now(services.new_year)
    demo_window.notify_changed(ALL)
    page = demo_window.show_page("dashboard")
    qtbot.waitUntil(lambda: page.data is not None and page.data["year"] == 2026, timeout=10000)
    assert page.data["indicators_rated"] == 0
    page.year_combo.setCurrentIndex(page.year_combo.findData(2025))
    page.year_combo.activated.emit(page.year_combo.currentIndex())
    qtbot.waitUntil(lambda: page.data["year"] == 2025 and "2025학년도" in demo_window.windowTitle(), timeout=10000)
    assert page.data["indicators_rated"] == page.data["indicators_chosen"] > 0
