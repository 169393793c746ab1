"""The results page computes on workers: switching groups, 학년별, 시기 비교 and 의견 주제 never run the
statistics or the Korean analyser on the GUI thread (a GUI blocked over 100 ms is a bug)."""

from __future__ import annotations

import threading

import pytest

from schoolvault import results, survey_stats, themes
from schoolvault.ui.pages.results import COMPARE, GRADE_TAB, THEMES_TAB

SURVEY = "seoul-eval-survey-2025"  # the demo survey with open answers


@pytest.fixture
def calls(monkeypatch):
    """Records (function name, thread) of every heavy core call."""
    seen: list[tuple[str, threading.Thread]] = []

    def recording(name, fn):
        def wrapper(*args, **kwargs):
            seen.append((name, threading.current_thread()))
            return fn(*args, **kwargs)
        return wrapper

    for mod, name in ((survey_stats, "stats"), (survey_stats, "stats_by"), (survey_stats, "compare_periods"),
                      (themes, "extract_keywords"), (themes, "themes_of")):
        monkeypatch.setattr(mod, name, recording(name, getattr(mod, name)))
    monkeypatch.setattr(results, "_STATS_CACHE", {})  # a cached survey would skip survey_stats.stats
    return seen


def test_switching_groups_and_tabs_runs_no_statistics_on_the_gui_thread(demo_window, qtbot, idle, calls):
    res = demo_window.show_page("results")
    res.focus(SURVEY, "교원")
    qtbot.waitUntil(lambda: res.data is not None and res.data["instrument"] == SURVEY, timeout=10000)
    res.tabs.setCurrentIndex(GRADE_TAB)
    for i in range(res.group_combo.count()):
        res.group_combo.setCurrentIndex(i)
        res.group_combo.activated.emit(i)
        idle(demo_window, 30000)
    res.tabs.setCurrentIndex(THEMES_TAB)
    idle(demo_window, 60000)
    qtbot.waitUntil(lambda: res.themes_panel.result is not None, timeout=60000)
    res.period_combo.setCurrentIndex(res.period_combo.findData(COMPARE))
    res.period_combo.activated.emit(res.period_combo.currentIndex())
    idle(demo_window, 30000)

    names = {name for name, _t in calls}
    assert {"stats", "stats_by", "compare_periods", "themes_of"} <= names
    on_gui = [name for name, t in calls if t is threading.main_thread()]
    assert on_gui == []


def test_the_gui_tokenises_in_another_process(demo_window, monkeypatch):
    """Kiwi's load holds the GIL for more than a second: in the GUI it never loads in this process."""
    assert themes._pool_wanted  # make_app asked for the keyword process
    monkeypatch.setattr(themes, "_kiwi", None)
    monkeypatch.setattr(themes, "_KEYWORDS", {})
    texts = ["급식 메뉴가 다양해졌으면 좋겠습니다.", "방과 후 돌봄교실 시간이 늘었으면 합니다."]
    got = themes.extract_keywords(texts)
    assert themes._kiwi is None
    assert "급식" in got[0] and "돌봄교실" in got[1]
