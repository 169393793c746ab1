"""Read-only means read-only (issue 15, item 7) and 자체평가 at 1366×768 (item 5).

A window on a held workspace, or on a past year not unlocked, disables every widget a page marks as
writing (ui/readonly.py) with the reason as its tooltip; a past year is unlocked only on purpose, and
then typed text autosaves. At 1366×768 the rubric, the rating and the first text field are on screen
together with last year's 개선 계획 above them and no horizontal scrollbar.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextEdit,
    QWidget,
)

from schoolvault import services
from schoolvault.workspace import open_workspace, selfeval
from schoolvault.workspace import school as school_db


def wait_idle(qtbot, w, timeout=10000):
    qtbot.waitUntil(lambda: w.session.runner.idle and w.session.saver.idle, timeout=timeout)


EDIT_TYPES = (QLineEdit, QTextEdit, QPlainTextEdit, QCheckBox, QComboBox, QPushButton, QRadioButton)
PAGES = ["dashboard", "plan", "selfeval", "surveys", "reports"]  # 결과 has no edit widget of its own
PLAN_2024 = "수업 공개 일정을 학기 초에 정하고 협의회 기록을 함께 남긴다."


def _marked(root: QWidget) -> list[QWidget]:
    from schoolvault.ui import readonly as ro
    return ro.marked(root)


def _open(qtbot, path: Path, *, readonly: bool = False, size=(1300, 850)):
    from schoolvault.ui.app import make_app
    from schoolvault.ui.mainwindow import MainWindow
    make_app()
    w = MainWindow(path, readonly=readonly)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    wait_idle(qtbot, w)
    return w


def _visit(qtbot, w, key: str):
    p = w.show_page(key)
    qtbot.waitUntil(lambda: p.loaded and w.session.runner.idle, timeout=10000)
    return p


def _show_indicator(qtbot, w, code: str):
    page = _visit(qtbot, w, "selfeval")
    page.select(code)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail["code"] == code and page.form.isEnabled(),
                    timeout=10000)
    wait_idle(qtbot, w)
    return page


@pytest.fixture
def past_year_path(demo_ws_path) -> Path:
    """The demo school (2025) with a 2024 year of the same guidebook whose 2-2-1 has an 개선 계획."""
    with open_workspace(demo_ws_path) as ws:
        with ws.transaction():
            school_db.add_year(ws, 2024, school_db.guidebook_ref(ws, 2025))
            school_db.set_current_year(ws, 2024)
        services.self_eval_set(ws, "2-2-1", rating=2, improvements=PLAN_2024)
        services.self_eval_set(ws, "1-1-2", rating=3)
        with ws.transaction():
            school_db.set_current_year(ws, 2025)
    return demo_ws_path


def _set_year(path: Path, year: int) -> None:
    with open_workspace(path) as ws, ws.transaction():
        school_db.set_current_year(ws, year)


# ---------------------------------------------------------------- item 7
def test_a_held_workspace_disables_every_marked_edit_widget_on_every_page_with_the_reason(qtbot, demo_ws_path,
                                                                                           typer):
    from schoolvault.ui import readonly as ro
    w = _open(qtbot, demo_ws_path, readonly=True)
    assert w.banner.isVisible()
    found: dict[str, int] = {}
    for key in PAGES:
        page = _show_indicator(qtbot, w, "2-2-1") if key == "selfeval" else _visit(qtbot, w, key)
        qtbot.wait(50)
        widgets = _marked(page)
        found[key] = len(widgets)
        for x in widgets:
            what = f"{key}: {type(x).__name__} {getattr(x, 'text', lambda: '')()!r}"
            assert ro.locked(x), what
            if isinstance(x, EDIT_TYPES):
                assert not x.isEnabled(), what
            assert x.toolTip() == ro.HELD_REASON
    assert all(found.values()), found
    se = w.pages["selfeval"]
    # every text box and rating of the indicator is marked: nothing accepts typing to refuse it later
    for x in se.findChildren(QPlainTextEdit) + se.findChildren(QRadioButton):
        assert x.property(ro.PROPERTY), x
    assert len(se.rubric_options) == 4 and all(not o.radio.isEnabled() for o in se.rubric_options)
    before = se.texts["evidence"].toPlainText()
    typer(se.texts["evidence"], "고쳐 본다")
    se.rubric_options[0].radio.click()
    qtbot.wait(1200)  # past the autosave delay
    assert se.texts["evidence"].toPlainText() == before and se.rubric_options[0].radio.isChecked() is False
    assert w.session.saver.refusals == 0 and w.session.runner.refusals == 0
    # the surveys page's per-import delete buttons and import buttons, rebuilt on refresh, stay locked
    sv = w.pages["surveys"]
    assert sv.delete_buttons and not any(b.isEnabled() for b in sv.delete_buttons.values())
    sv.import_button.setEnabled(True)  # a page re-enabling a button does not unlock it
    assert not sv.import_button.isEnabled()
    # the comment picker (another window) is locked the same way
    picker = w.open_comment_picker()
    assert ro.locked(picker.list) and picker.list.toolTip() == ro.HELD_REASON
    assert picker.survey.isEnabled()  # reading: choosing what to see stays possible
    w.close()


@pytest.mark.parametrize("readonly", [True, False])
def test_the_plan_tree_stays_readable_but_refuses_ticks_only_when_read_only(qtbot, demo_ws_path, readonly):
    from PySide6.QtCore import Qt
    w = _open(qtbot, demo_ws_path, readonly=readonly)
    plan = _visit(qtbot, w, "plan")
    assert plan.tree.isEnabled()  # browsing the plan and its indicator notes stays possible
    code, item = next((c, it) for c, it in plan._items.items()
                      if it.flags() & Qt.ItemIsUserCheckable and it.checkState(0) == Qt.Unchecked)
    other = next(c for c in plan._items if c != code)
    plan.tree.setCurrentItem(plan._items[other])
    qtbot.waitUntil(lambda: plan.info.toPlainText().startswith(other), timeout=5000)
    plan.tree.setCurrentItem(item)
    qtbot.waitUntil(lambda: plan.info.toPlainText().startswith(code), timeout=5000)
    plan.tree.setFocus()
    qtbot.keyClick(plan.tree, Qt.Key_Space)
    assert (item.checkState(0) == Qt.Unchecked) is readonly
    wait_idle(qtbot, w)
    assert w.session.runner.refusals == 0 if readonly else True
    w.close()


def test_a_writable_window_on_the_latest_year_locks_nothing(qtbot, demo_ws_path):
    w = _open(qtbot, demo_ws_path)
    assert not w.past_banner.isVisible() and w.read_only_reason() is None
    for key in PAGES:
        page = _show_indicator(qtbot, w, "2-2-1") if key == "selfeval" else _visit(qtbot, w, key)
        assert page.property("sv_readonly_reason") in (None, "")
        assert all(x.toolTip() != w.read_only_reason() for x in _marked(page))
    se = w.pages["selfeval"]
    assert se.texts["evidence"].isEnabled() and se.rubric_options[0].radio.isEnabled()
    w.close()


def test_a_past_year_is_read_only_until_unlocked_then_typed_text_autosaves(qtbot, past_year_path, typer):
    _set_year(past_year_path, 2024)
    w = _open(qtbot, past_year_path)
    qtbot.waitUntil(lambda: w.past_banner.isVisible(), timeout=5000)
    assert "2024학년도" in w.past_label.text() and "지난 학년도" in w.windowTitle()
    se = _show_indicator(qtbot, w, "1-1-2")
    reason = w.read_only_reason()
    assert reason and "지난 학년도" in reason
    for x in _marked(se):
        assert not x.isEnabled() and x.toolTip() == reason
    dash = _visit(qtbot, w, "dashboard")
    assert dash.year_combo.isEnabled()  # the way back to this year stays open
    assert not dash.advance_button.isEnabled()
    assert not w.act_import.isEnabled() and not w.act_paper.isEnabled()

    # unlocking asks first; no means still read-only
    w.confirm_unlock = lambda: False
    w.unlock_button.click()
    assert w.past_banner.isVisible() and not se.texts["evidence"].isEnabled()
    w.confirm_unlock = lambda: True
    w.unlock_button.click()
    assert not w.past_banner.isVisible() and w.read_only_reason() is None
    se = _show_indicator(qtbot, w, "1-1-2")
    assert se.texts["improvements"].isEnabled() and se.rubric_options[0].radio.isEnabled()
    assert se.texts["improvements"].toolTip() != reason
    se.texts["improvements"].setFocus()
    typer(se.texts["improvements"], "협의회를 격주로 연다")

    def saved() -> str | None:
        with open_workspace(past_year_path, readonly=True) as ws:
            e = selfeval.entry(ws, 2024, "1-1-2")
            return e.improvements if e else None
    qtbot.waitUntil(lambda: saved() == "협의회를 격주로 연다", timeout=3000)
    with open_workspace(past_year_path, readonly=True) as ws:
        assert (selfeval.entry(ws, 2025, "1-1-2").improvements or "") != "협의회를 격주로 연다"
    w.close()


def test_moving_to_the_latest_year_and_back_locks_the_past_year_again(qtbot, past_year_path):
    w = _open(qtbot, past_year_path)
    qtbot.waitUntil(lambda: w.year == 2025, timeout=5000)
    assert not w.past_banner.isVisible()
    dash = _visit(qtbot, w, "dashboard")
    dash._year_chosen(dash.year_combo.findData(2024))
    qtbot.waitUntil(lambda: w.year == 2024 and w.past_banner.isVisible(), timeout=5000)
    assert w.unlock_past_year(confirm=False)
    assert not w.past_banner.isVisible()
    qtbot.waitUntil(lambda: dash.loaded and dash.year_combo.findData(2025) >= 0 and w.session.runner.idle,
                    timeout=5000)
    dash._year_chosen(dash.year_combo.findData(2025))
    qtbot.waitUntil(lambda: w.year == 2025, timeout=5000)
    assert not w.past_banner.isVisible() and not w.past_year_locked()
    wait_idle(qtbot, w)
    dash._year_chosen(dash.year_combo.findData(2024))
    qtbot.waitUntil(lambda: w.year == 2024 and w.past_banner.isVisible(), timeout=5000)
    assert w.past_year_locked()  # unlocking was for one visit, not for good
    w.close()


# ---------------------------------------------------------------- item 5
def _inside(widget: QWidget, viewport: QWidget) -> bool:
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    bottom_right = widget.mapTo(viewport, QPoint(widget.width() - 1, widget.height() - 1))
    return viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right)


def test_selfeval_at_1366x768_shows_last_years_plan_above_the_rubric_rating_and_first_field(
        qtbot, past_year_path):
    w = _open(qtbot, past_year_path, size=(1366, 768))
    assert (w.width(), w.height()) == (1366, 768)
    se = _show_indicator(qtbot, w, "2-2-1")
    qtbot.waitUntil(lambda: PLAN_2024 in se.prev_label.text(), timeout=5000)
    qtbot.wait(100)
    vp = se.form_scroll.viewport()
    assert se.prev_box.isVisible() and "2024학년도 개선 계획" in se.prev_box.title()
    assert se.criteria_label.text()  # the 2025 guidebook's 평가요소 are there too
    assert len(se.rubric_options) == 4 and all(o.text.text() for o in se.rubric_options)
    for widget in (se.prev_box, se.criteria_box, se.rubric_box, se.rubric_options[-1], se.texts["evidence"]):
        assert _inside(widget, vp), f"{widget} not on screen"
        assert widget.visibleRegion().boundingRect().size() == widget.size()
    # last year's plan beside the 평가요소, above the rubric; the rating's levels above the first field
    prev_bottom = se.prev_box.mapTo(vp, QPoint(0, se.prev_box.height())).y()
    assert prev_bottom <= se.rubric_box.mapTo(vp, QPoint(0, 0)).y()
    assert se.rubric_box.mapTo(vp, QPoint(0, se.rubric_box.height())).y() \
        <= se.texts["evidence"].mapTo(vp, QPoint(0, 0)).y()
    assert not se.form_scroll.horizontalScrollBar().isVisible()
    assert se.form.minimumSizeHint().width() <= vp.width()  # nothing cut off at the right either
    # the form pane squeezed (the tree and the survey results widened): plan stacked above, still no clipping
    se.split.setSizes([420, 300, 500])
    qtbot.wait(100)
    assert vp.width() < 600 and se.form.minimumSizeHint().width() <= vp.width()
    assert not se.form_scroll.horizontalScrollBar().isVisible()
    prev_bottom = se.prev_box.mapTo(vp, QPoint(0, se.prev_box.height())).y()
    assert prev_bottom <= se.criteria_box.mapTo(vp, QPoint(0, 0)).y()
    assert _inside(se.prev_box, vp)
    w.close()



def test_a_report_made_in_a_past_year_leaves_that_years_stage(qtbot, past_year_path, tmp_path):
    _set_year(past_year_path, 2024)
    with open_workspace(past_year_path, readonly=True) as ws:
        before = school_db.stage(ws, 2024)
    w = _open(qtbot, past_year_path)
    qtbot.waitUntil(lambda: w.past_year_locked(), timeout=5000)
    page = _visit(qtbot, w, "reports")
    assert not page.submit_button.isEnabled()
    out = tmp_path / "2024.xlsx"
    page.make("workbook", str(out))
    qtbot.waitUntil(lambda: out.exists() and w.session.runner.idle, timeout=30000)
    qtbot.wait(200)
    wait_idle(qtbot, w)
    with open_workspace(past_year_path, readonly=True) as ws:
        assert school_db.stage(ws, 2024) == before != "report"
    w.close()
