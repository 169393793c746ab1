"""The indicator workspace: rubric, texts, autosave within two seconds, kill-recovery, mid-year check."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from schoolvault.workspace import open_workspace, selfeval


def entry(path: Path, code: str, year: int = 2025):
    with open_workspace(path, readonly=True) as ws:
        return selfeval.entry(ws, year, code)


def open_indicator(qtbot, w, code: str):
    page = w.show_page("selfeval")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    page.select(code)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail["code"] == code and page.form.isEnabled(),
                    timeout=10000)
    return page


def test_indicator_shows_its_criteria_and_one_rubric_option_per_level(fresh_window, qtbot):
    page = open_indicator(qtbot, fresh_window, "1-1-2")
    assert page.title_label.text().startswith("1-1-2 학교 비전")
    assert "의견이 수렴" in page.criteria_label.text()
    assert [o.radio.text() for o in page.rubric_options] == ["1 미흡", "2 보통", "3 우수", "4 매우 우수"]
    assert page.rating_group.checkedId() == -1


def test_clicking_a_rubric_level_saves_the_rating_at_once(fresh_window, qtbot, fresh_ws_path):
    page = open_indicator(qtbot, fresh_window, "1-1-2")
    qtbot.mouseClick(page.rubric_options[2].radio, Qt.LeftButton)
    qtbot.waitUntil(lambda: (entry(fresh_ws_path, "1-1-2").rating == 3), timeout=2000)
    qtbot.waitUntil(lambda: page._items["1-1-2"].text(0).startswith("✓"), timeout=2000)


def test_typed_text_is_in_the_workspace_within_two_seconds(typer, fresh_window, qtbot, fresh_ws_path):
    page = open_indicator(qtbot, fresh_window, "1-1-2")
    page.texts["evidence"].setFocus()
    typer(page.texts["evidence"], "학교교육계획서, 회의록")
    start = time.monotonic()
    qtbot.waitUntil(lambda: entry(fresh_ws_path, "1-1-2").evidence == "학교교육계획서, 회의록", timeout=2000)
    assert time.monotonic() - start < 2.0


def test_moving_to_another_indicator_saves_the_text_of_the_first(typer, fresh_window, qtbot, fresh_ws_path):
    page = open_indicator(qtbot, fresh_window, "1-1-2")
    typer(page.texts["improvements"], "회의 시간을 줄인다")
    page.select("1-1-4")  # before the autosave timer fires
    qtbot.waitUntil(lambda: entry(fresh_ws_path, "1-1-2").improvements == "회의 시간을 줄인다", timeout=2000)
    qtbot.waitUntil(lambda: page.detail["code"] == "1-1-4", timeout=10000)
    assert page.texts["improvements"].toPlainText() == ""
    assert entry(fresh_ws_path, "1-1-4").improvements in ("", None)


def test_closing_the_window_right_after_typing_loses_nothing(typer, qtbot, fresh_ws_path):
    from schoolvault.ui.mainwindow import MainWindow
    w = MainWindow(fresh_ws_path)
    qtbot.addWidget(w)
    w.show()
    page = open_indicator(qtbot, w, "1-1-4")
    typer(page.texts["shortcomings"], "참여가 적었다")
    w.close()  # the autosave timer has not fired yet
    assert entry(fresh_ws_path, "1-1-4").shortcomings == "참여가 적었다"


def test_text_survives_the_app_being_killed(tmp_path, fresh_ws_path):
    script = Path(__file__).with_name("typing_app.py")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([sys.executable, str(script), str(fresh_ws_path), "1-1-2", "비전 협의회를 두 번 열었다"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "typed", proc.stderr.read()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    e = entry(fresh_ws_path, "1-1-2")
    assert e.achievements == "비전 협의회를 두 번 열었다"


def test_midyear_check_is_kept_apart_from_the_final_rating(typer, fresh_window, qtbot, fresh_ws_path):
    page = open_indicator(qtbot, fresh_window, "1-1-2")
    page.focus(tab="midyear")
    assert page.tabs.currentIndex() == 1
    qtbot.mouseClick(page.mid_radios["attention"], Qt.LeftButton)
    typer(page.texts["midyear_note"], "2학기에 보완")
    qtbot.waitUntil(lambda: entry(fresh_ws_path, "1-1-2").midyear_note == "2학기에 보완", timeout=2000)
    e = entry(fresh_ws_path, "1-1-2")
    assert e.midyear_status == "attention"
    assert e.rating is None


def test_linked_survey_results_show_the_indicators_items_with_positive_rates(demo_window, qtbot, demo_ws_path):
    from schoolvault import services
    page = open_indicator(qtbot, demo_window, "1-1-2")
    qtbot.waitUntil(lambda: "Q003" in page.linked.charts, timeout=10000)
    with open_workspace(demo_ws_path, readonly=True) as ws:
        st = services.stats(ws, "seoul-eval-survey-2025")
    q003 = st["groups"]["교원"]["items"]["Q003"]["positive_rate"]
    chart = page.linked.charts["Q003"]  # asked of 교원 and 직원 only
    assert chart.labels == ["교원", "직원"]
    assert chart.series[0][1][0] == pytest.approx(q003, abs=1e-12)
    assert "Q001" not in page.linked.charts  # linked to 1-1-1, not to this indicator


def test_the_midyear_tab_marks_indicators_by_their_midyear_check(fresh_window, qtbot, idle):
    page = open_indicator(qtbot, fresh_window, "1-1-2")
    qtbot.mouseClick(page.rubric_options[1].radio, Qt.LeftButton)  # rated, not yet checked mid-year
    idle(fresh_window)
    qtbot.waitUntil(lambda: page._items["1-1-2"].text(0).startswith("✓"), timeout=10000)
    page.focus(tab="midyear")
    assert page._items["1-1-2"].text(0).startswith("○")
    assert "중간점검" in page.progress_label.text()
    qtbot.mouseClick(page.mid_radios["on_track"], Qt.LeftButton)
    qtbot.waitUntil(lambda: page._items["1-1-2"].text(0).startswith("✓"), timeout=10000)
    page.go_next_todo()
    qtbot.waitUntil(lambda: page.detail is not None and page.detail["code"] != "1-1-2", timeout=10000)
    assert page.tabs.currentIndex() == 1  # still checking mid-year


def test_autosave_does_not_wait_behind_a_long_job(typer, fresh_window, qtbot, fresh_ws_path):
    page = open_indicator(qtbot, fresh_window, "1-1-2")
    fresh_window.session.run(lambda _ws: time.sleep(2.5))  # e.g. a report being written
    typer(page.texts["evidence"], "회의록")
    qtbot.waitUntil(lambda: entry(fresh_ws_path, "1-1-2").evidence == "회의록", timeout=2000)
    assert not fresh_window.session.runner.idle  # the long job is still running


def test_a_rubric_level_and_the_next_indicator_are_reachable_from_the_keyboard(fresh_window, qtbot, fresh_ws_path):
    page = open_indicator(qtbot, fresh_window, "1-1-2")
    page.texts["evidence"].setFocus()
    qtbot.keyClick(page.texts["evidence"], Qt.Key_4, Qt.AltModifier)
    qtbot.waitUntil(lambda: entry(fresh_ws_path, "1-1-2").rating == 4, timeout=2000)
    qtbot.keyClick(page.texts["evidence"], Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail["code"] != "1-1-2", timeout=10000)
