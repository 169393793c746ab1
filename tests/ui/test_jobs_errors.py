"""Jobs off the GUI thread with delayed progress and Cancel; errors as readable dialogs; shell craft."""

from __future__ import annotations

import logging
import time

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from schoolvault.errors import Cancelled, SchoolVaultError
from schoolvault.ui import errors as ui_errors
from schoolvault.ui.jobs import PROGRESS_DELAY_MS, JobRunner


def slow_job(_ws, steps: int, pause: float, *, progress):
    for i in range(steps):
        progress.report(i, steps, f"{i}번째")
        time.sleep(pause)
    return steps


@pytest.fixture
def runner(qtbot):
    from PySide6.QtWidgets import QWidget
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    r = JobRunner(lambda: None, parent)
    yield r
    r.wait()


def test_quick_job_shows_no_progress_dialog(runner, qtbot):
    got = []
    runner.run(slow_job, 2, 0.01, with_progress=True, on_done=got.append, label="빠른 일")
    qtbot.waitUntil(lambda: got == [2], timeout=10000)
    qtbot.wait(PROGRESS_DELAY_MS + 100)
    assert not [w for w in runner._parent_widget.findChildren(QProgressDialog) if w.isVisible()]


def test_long_job_shows_progress_after_the_delay_and_cancel_stops_it(runner, qtbot):
    done, errors = [], []
    runner.run(slow_job, 400, 0.01, with_progress=True, on_done=done.append,
               on_error=lambda e: errors.append(e) or True, label="긴 일")

    def dialog():
        ds = [w for w in runner._parent_widget.findChildren(QProgressDialog) if w.isVisible()]
        return ds[0] if ds else None
    qtbot.wait(PROGRESS_DELAY_MS - 200)
    assert dialog() is None
    qtbot.waitUntil(lambda: dialog() is not None, timeout=10000)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton
    qtbot.mouseClick(dialog().findChild(QPushButton), Qt.LeftButton)  # the 취소 button
    qtbot.waitUntil(lambda: runner.idle, timeout=10000)
    assert done == [] and errors == []  # Cancelled is quiet: no result, no error dialog


def test_the_gui_thread_keeps_running_while_a_job_works(runner, qtbot):
    gaps, last = [], [time.perf_counter()]
    timer = QTimer()
    timer.setInterval(10)

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
    timer.timeout.connect(tick)
    timer.start()
    runner.run(lambda _ws: time.sleep(0.6) or "ok", on_done=lambda _r: None)
    qtbot.waitUntil(lambda: runner.idle, timeout=10000)
    timer.stop()
    assert len(gaps) > 20 and max(gaps[1:]) < 0.1


def test_a_schoolvault_error_becomes_a_korean_dialog_with_where_and_hint(runner, qtbot):
    def bad(_ws):
        raise SchoolVaultError("파일이 없습니다.", where="응답.xlsx", hint="경로를 확인하세요.")
    runner.run(bad)
    qtbot.waitUntil(lambda: ui_errors.last_box is not None and ui_errors.last_box.isVisible(), timeout=10000)
    box = ui_errors.last_box
    assert box.text() == "파일이 없습니다."
    assert "위치: 응답.xlsx" in box.informativeText() and "경로를 확인하세요." in box.informativeText()
    assert box.detailedText() == ""
    box.close()


def test_last_box_forgets_a_dialog_destroyed_with_its_window(qtbot):
    """A dialog deleted with its window is no longer the last box; an older one's end keeps the newer."""
    import shiboken6
    from PySide6.QtWidgets import QWidget
    old_window, window = QWidget(), QWidget()
    ui_errors.show_info(old_window, "알림", "먼저")
    ui_errors.show_error(window, SchoolVaultError("나중"))
    box = ui_errors.last_box
    assert box is not None and box.text() == "나중"
    shiboken6.delete(old_window)
    assert ui_errors.last_box is box
    shiboken6.delete(window)
    assert ui_errors.last_box is None


def test_an_unexpected_error_shows_details_and_is_logged(runner, qtbot, caplog):
    def bug(_ws):
        return {}["missing"]
    with caplog.at_level(logging.ERROR, logger="schoolvault.ui.errors"):
        runner.run(bug)
        qtbot.waitUntil(lambda: ui_errors.last_box is not None and ui_errors.last_box.isVisible()
                        and "KeyError" in ui_errors.last_box.detailedText(), timeout=10000)
    box = ui_errors.last_box
    assert box.icon() == QMessageBox.Critical
    assert "예상하지 못한 오류" in box.text()
    assert any("KeyError" in r.getMessage() for r in caplog.records)
    box.close()


def test_cancelled_shows_nothing(qtbot):
    ui_errors.last_box = None
    ui_errors.show_error(None, Cancelled())
    assert ui_errors.last_box is None


def test_about_box_names_the_version(demo_window):
    from schoolvault import __version__
    box = demo_window.about()
    assert f"SchoolVault {__version__}" in box.text()
    box.close()


def test_window_geometry_is_remembered(qtbot, demo_ws_path):
    from schoolvault.ui.mainwindow import MainWindow
    w = MainWindow(demo_ws_path)
    qtbot.addWidget(w)
    w.show()
    w.resize(1000, 700)  # within the offscreen test screen (800×800), so nothing is clamped
    qtbot.waitUntil(lambda: w.height() == 700, timeout=2000)
    w.close()
    assert QSettings().value("main_window/geometry") is not None
    w2 = MainWindow(demo_ws_path)
    qtbot.addWidget(w2)
    w2.show()
    assert (w2.width(), w2.height()) == (1000, 700)
    w2.close()


def test_the_indicator_workspace_remembers_how_its_panes_were_split(qtbot, demo_ws_path):
    from schoolvault.ui.mainwindow import MainWindow
    w = MainWindow(demo_ws_path)
    qtbot.addWidget(w)
    w.resize(1300, 850)
    w.show()
    page = w.show_page("selfeval")
    page.split.setSizes([200, 700, 360])
    sizes = page.split.sizes()
    w.close()
    w2 = MainWindow(demo_ws_path)
    qtbot.addWidget(w2)
    w2.resize(1300, 850)
    w2.show()
    assert w2.show_page("selfeval").split.sizes()[0] == sizes[0]
    w2.close()


@pytest.mark.parametrize("key, name, magic", [("workbook", "제출.xlsx", b"PK"), ("evaluation", "보고서.pdf", b"%PDF")])
def test_reports_page_writes_the_document_and_leaves_the_years_stage(demo_window, qtbot, tmp_path,
                                                                     key, name, magic):
    from schoolvault.workspace import open_workspace
    from schoolvault.workspace import school as school_db

    def stage() -> str:
        with open_workspace(demo_window.session.path, readonly=True) as ws:
            return school_db.stage(ws, school_db.current_year(ws))
    before = stage()
    page = demo_window.show_page("reports")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    out = tmp_path / name
    page.make(key, str(out))
    qtbot.waitUntil(lambda: page.rows[key]["status"].text().startswith("저장했습니다"), timeout=30000)
    assert out.exists() and out.read_bytes()[:len(magic)] == magic
    assert page.rows[key]["open"].isVisible()
    # each stage has one explicit finish (the dashboard's); making a document never moves it
    qtbot.waitUntil(lambda: demo_window.session.runner.idle and demo_window.session.saver.idle, timeout=10000)
    assert stage() == before != "report"


def test_paper_entry_opens_from_the_surveys_page(demo_window, qtbot):
    page = demo_window.show_page("surveys")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    w = demo_window.open_paper_entry()
    assert w.isVisible() and w.windowTitle() == "종이 설문 입력"
    qtbot.waitUntil(lambda: demo_window.session.runner.idle, timeout=10000)
    w.close()
