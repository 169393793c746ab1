"""A composed 평가지표 in the GUI (2026): survey items ticked when composing, one type label, no empty
평가요소/등급 sections but one sentence saying what a composed indicator is."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from schoolvault import composing, services
from schoolvault.forms.labels import COMPOSED_NOTE
from schoolvault.workspace import open_workspace


@pytest.fixture
def window26(qtbot, tmp_path):
    from conftest import _window
    path = tmp_path / "w26.sqlite"
    with services.init_workspace(path, name="서울가나초등학교", level="초", district="동부", year=2026):
        pass
    w = _window(qtbot, path)
    yield w, path
    w.close()


def test_compose_dialog_ticks_the_subarea_items_and_the_panes_show_no_empty_sections(window26, qtbot, idle):
    w, path = window26
    with open_workspace(path) as ws:
        offered = [r["link"] for r in composing.linkable_items(ws, "1-1")]
    page = w.show_page("plan")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    page.add_buttons["1-1"].click()
    dlg = page.compose_dialog
    qtbot.waitUntil(lambda: dlg.loaded, timeout=10000)
    assert dlg.items.count() == len(offered) and dlg.checked_items() == offered  # the proposal: all, none linked yet
    dlg.items.item(0).setCheckState(Qt.Unchecked)
    dlg.title.setText("교육공동체가 함께 만드는 학교 비전")
    dlg.accept()
    qtbot.waitUntil(lambda: "1-1-S1" in page._items, timeout=10000)
    with open_workspace(path) as ws:
        assert services.year_guidebook(ws).indicator("1-1-S1").survey_items == tuple(offered[1:])
    assert page._items["1-1-S1"].text(1) == "학교 구성 지표"

    page.tree.setCurrentItem(page._items["1-1-S1"])
    idle(w)
    qtbot.waitUntil(lambda: "1-1-S1" in page.info.toPlainText(), timeout=10000)
    text = page.info.toPlainText()
    assert "학교 구성 지표" in text and COMPOSED_NOTE in text
    assert text.count("평가요소") == 1 and "등급별 수준" not in text and "자율지표" not in text  # the note alone

    # a second indicator of the 세부영역 is offered the one item left, the others marked with their 지표
    page.add_buttons["1-1"].click()
    dlg = page.compose_dialog
    qtbot.waitUntil(lambda: dlg.loaded, timeout=10000)
    assert dlg.checked_items() == offered[:1]
    assert "1-1-S1에 연결됨" in dlg.items.item(1).text()
    dlg.reject()

    se = w.show_page("selfeval")
    se.focus(code="1-1-S1", tab="final")
    qtbot.waitUntil(lambda: se.detail is not None and se.detail["code"] == "1-1-S1", timeout=10000)
    assert se.path_label.text().endswith("· 학교 구성 지표")
    assert se.criteria_box.title() == "학교 구성 지표" and se.criteria_label.text() == COMPOSED_NOTE
    assert [o.text.text() for o in se.rubric_options] == [""] * len(se.rubric_options)


def test_dashboard_flow_says_the_school_composes_in_a_composed_year(window26, qtbot):
    w, _ = window26
    page = w.show_page("dashboard")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    text = page.flow_label.text()
    assert "2026학년도부터 평가지표는 학교가 세부영역마다 구성합니다" in text and "공통지표" not in text


def test_paper_questionnaire_defaults_to_the_years_own_survey(window26, qtbot):
    w, _ = window26
    page = w.show_page("reports")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    combo = page.rows["questionnaire"]["survey"]
    assert combo.count() > 1 and combo.currentData() == "seoul-eval-survey-2026"


def test_grade_tab_shows_whole_titles_and_the_4_levels(qtbot, tmp_path, idle):
    from conftest import _window

    from schoolvault.demo import fill_demo
    from schoolvault.results import grade_breakdown
    path = tmp_path / "demo26.sqlite"
    with services.init_workspace(path, name="서울예시초등학교", level="초", district="동부", year=2026) as ws:
        fill_demo(ws, seed=7)
        b = grade_breakdown(ws, "seoul-eval-survey-2026", "학부모")
    thresholds = [(4.0, "매우 우수"), (3.0, "우수"), (2.0, "보통"), (float("-inf"), "미흡")]
    for c in b["cells"]:  # each cell's 4단계 is its own rounded mean placed by the year's thresholds
        for code, _t in b["domains"]:
            rounded, level = c["levels"][code]
            assert abs(rounded - c["domains"][code]) <= 0.05 + 1e-9
            assert level == next(lab for low, lab in thresholds if rounded >= low)
    assert any(c["hidden"] for c in b["cells"]) and any(not c["hidden"] for c in b["cells"])
    w = _window(qtbot, path)
    try:
        page = w.show_page("results")
        page.focus("seoul-eval-survey-2026", "학부모")
        qtbot.waitUntil(lambda: page.data is not None and page.group_combo.currentData() == "학부모", timeout=20000)
        page.tabs.setCurrentWidget(page.grade_table.parentWidget())
        idle(w)
        t = page.grade_table
        qtbot.waitUntil(lambda: t.rowCount() == len(b["cells"]), timeout=20000)
        titles = [title for _c, title in b["domains"]]
        assert [t.horizontalHeaderItem(k).toolTip() for k in range(2, 2 + len(titles))] == titles
        for k, title in enumerate(titles, 2):
            head = t.horizontalHeaderItem(k).text()
            assert head.replace("\n", " ").startswith(title) and all(len(x) <= 16 for x in head.split("\n"))
            assert t.columnWidth(k) >= t.fontMetrics().horizontalAdvance(max(head.split("\n"), key=len))
        for r, c in enumerate(b["cells"]):
            code = b["domains"][0][0]
            assert t.item(r, 2).text().endswith(c["levels"][code][1])
            assert t.item(r, t.columnCount() - 1).text() == ("외부 비공개" if c["hidden"] else "공개")
        assert page.group_combo.width() >= page.group_combo.fontMetrics().horizontalAdvance(
            page.group_combo.currentText())
    finally:
        w.close()
