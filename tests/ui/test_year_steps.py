"""The year's steps mean what they say: one explicit finish per stage, the dashboard agrees, a 공통지표
is never dropped silently, a new year from an unfinished one warns."""

from __future__ import annotations

from PySide6.QtCore import Qt

from schoolvault.workspace import open_workspace, selfeval
from schoolvault.workspace import school as school_db


def _stage(path) -> str:
    with open_workspace(path, readonly=True) as ws:
        return school_db.stage(ws, 2025)


def _dashboard(qtbot, w):
    dash = w.show_page("dashboard")
    qtbot.waitUntil(lambda: dash.loaded, timeout=10000)
    return dash


def test_dashboard_says_the_common_indicators_are_preset_not_chosen(qtbot, fresh_window, fresh_ws_path):
    dash = _dashboard(qtbot, fresh_window)
    with open_workspace(fresh_ws_path, readonly=True) as ws:
        n = len(selfeval.entries(ws, 2025))
    assert f"공통지표 {n}개가 미리 골라져 있습니다" in dash.next_detail.text()
    assert "골랐습니다" not in dash.next_detail.text()
    assert dash.advance_button.text() == "계획을 마쳤습니다 → 중간점검으로"


def test_plan_finish_button_moves_the_stage_and_the_dashboard_agrees(qtbot, fresh_window, fresh_ws_path, idle):
    plan = fresh_window.show_page("plan")
    qtbot.waitUntil(lambda: plan.loaded, timeout=10000)
    qtbot.mouseClick(plan.done_button, Qt.LeftButton)
    idle(fresh_window)
    assert fresh_window.current_key() == "selfeval"
    assert _stage(fresh_ws_path) == "midyear"
    dash = _dashboard(qtbot, fresh_window)
    qtbot.waitUntil(lambda: dash.data["stage"] == "midyear", timeout=10000)
    current = [lab.text() for lab in dash.stages.labels if lab.text().startswith("●")]
    assert current == ["● 중간점검"]
    assert dash.advance_button.text() == "중간점검을 마쳤습니다 → 자체평가로"
    qtbot.mouseClick(plan.done_button, Qt.LeftButton)  # a second finish of the plan never skips a stage
    idle(fresh_window)
    assert _stage(fresh_ws_path) == "midyear"


def test_dashboard_finish_moves_one_stage(qtbot, fresh_window, fresh_ws_path, idle):
    dash = _dashboard(qtbot, fresh_window)
    qtbot.mouseClick(dash.advance_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dash.data["stage"] == "midyear", timeout=10000)
    assert _stage(fresh_ws_path) == "midyear"


def _common_item(plan):
    for code, it in plan._items.items():
        info = it.data(0, Qt.UserRole + 1) or {}
        if it.checkState(0) == Qt.Checked and info.get("type") == "common":
            return code, it
    raise AssertionError("no chosen 공통지표")


def test_unchecking_a_common_indicator_asks_and_no_keeps_it(qtbot, fresh_window, fresh_ws_path, idle):
    plan = fresh_window.show_page("plan")
    qtbot.waitUntil(lambda: plan.loaded, timeout=10000)
    asked = []
    plan.confirm_drop_common = lambda title: asked.append(title) or False
    code, it = _common_item(plan)
    it.setCheckState(0, Qt.Unchecked)
    idle(fresh_window)
    assert asked and it.checkState(0) == Qt.Checked
    with open_workspace(fresh_ws_path, readonly=True) as ws:
        assert code in [e.indicator for e in selfeval.entries(ws, 2025)]


def test_unchecking_a_common_indicator_yes_drops_it_and_says_so(qtbot, fresh_window, fresh_ws_path, idle):
    plan = fresh_window.show_page("plan")
    qtbot.waitUntil(lambda: plan.loaded, timeout=10000)
    plan.confirm_drop_common = lambda title: True
    code, it = _common_item(plan)
    it.setCheckState(0, Qt.Unchecked)
    idle(fresh_window)
    with open_workspace(fresh_ws_path, readonly=True) as ws:
        assert code not in [e.indicator for e in selfeval.entries(ws, 2025)]
    assert "공통지표" in fresh_window.status.text()


def test_new_year_from_an_unfinished_year_warns_before_the_start(qtbot, fresh_window, fresh_ws_path, idle):
    from PySide6.QtWidgets import QDialogButtonBox
    fresh_window.start_new_year()
    dlg = fresh_window.new_year_dialog
    qtbot.waitUntil(lambda: dlg.unfinished is not None and dlg.year.value() == 2026, timeout=10000)
    assert dlg.warning.isVisible() and "'계획' 단계" in dlg.warning.text()
    assert dlg.buttons.button(QDialogButtonBox.Ok).text() == "그래도 새 학년도 시작"
    dlg.accept()
    idle(fresh_window)
    with open_workspace(fresh_ws_path, readonly=True) as ws:
        assert 2026 in school_db.years(ws)


def test_new_year_from_a_submitted_year_does_not_warn(qtbot, fresh_window, fresh_ws_path, idle):
    from schoolvault import guide
    with open_workspace(fresh_ws_path) as ws:
        guide.set_stage(ws, "submitted")
    fresh_window.start_new_year()
    dlg = fresh_window.new_year_dialog
    qtbot.waitUntil(lambda: dlg.year.value() == 2026, timeout=10000)
    idle(fresh_window)
    from PySide6.QtWidgets import QDialogButtonBox
    assert dlg.unfinished is None and not dlg.warning.isVisible()
    assert dlg.buttons.button(QDialogButtonBox.Ok).text() == "새 학년도 시작"


def test_making_the_report_and_the_workbook_leaves_the_stage(qtbot, demo_window, demo_ws_path, tmp_path, idle):
    """The 보고서 page writes files; only the dashboard's finish moves the year (one explicit finish)."""
    with open_workspace(demo_ws_path, readonly=True) as ws:
        year = school_db.current_year(ws)
        before = school_db.stage(ws, year)
    assert before != "report"
    page = demo_window.show_page("reports")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    for key, name in (("evaluation", "r.pdf"), ("workbook", "w.xlsx")):
        page.make(key, str(tmp_path / name))
        qtbot.waitUntil(lambda k=key: page.rows[k]["status"].text().startswith("저장했습니다"), timeout=60000)
        idle(demo_window, 30000)
    with open_workspace(demo_ws_path, readonly=True) as ws:
        assert school_db.stage(ws, year) == before
    dash = _dashboard(qtbot, demo_window)
    qtbot.waitUntil(lambda: dash.data["stage"] == before, timeout=10000)
