"""The 평가 계획 page in a composed year (2026): 지표 추가 per 세부영역, from the bank's examples or typed."""

from __future__ import annotations

import pytest
import yaml
from PySide6.QtCore import Qt

from schoolvault import services
from schoolvault.workspace import open_workspace, selfeval

POOL = {"kind": "itembank", "id": "itembank-2026", "title": "2026 예시 문항", "year": 2026, "sets": [
    {"area": "Ⅲ. 교육 활동 및 교육 성과", "subarea": "Ⅲ-2. 미래역량 교육", "indicator": "인공지능(AI)‧디지털교육 활성화",
     "group": None, "items": ["AI 도구를 알맞게 활용한다."]},
    {"area": "Ⅲ. 교육 활동 및 교육 성과", "subarea": "Ⅲ-3. 민주시민교육", "indicator": "학생자치 활성화",
     "group": None, "items": ["학생회가 활발하다."]}]}


@pytest.fixture
def window26(qtbot, tmp_path):
    from conftest import _window
    path = tmp_path / "w26.sqlite"
    pool = tmp_path / "pool.yaml"
    pool.write_text(yaml.safe_dump(POOL, allow_unicode=True), encoding="utf-8")
    with services.init_workspace(path, name="서울가나초등학교", level="초", district="동부", year=2026) as ws:
        services.import_instrument(ws, pool)
    w = _window(qtbot, path)
    yield w, path
    w.close()


def test_plan_page_composes_from_the_bank_and_typed_and_removes(window26, qtbot, idle):
    w, path = window26
    page = w.show_page("plan")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    assert len(page.add_buttons) == 10 and page._items == {}
    assert "평가지표는 학교가 구성합니다" in page.hint_label.text() and not page.custom_button.isVisibleTo(page)

    page.add_buttons["3-2"].click()
    dlg = page.compose_dialog
    qtbot.waitUntil(lambda: dlg.loaded, timeout=10000)
    names = [dlg.examples.item(i).text() for i in range(dlg.examples.count())]
    assert names[0] == "인공지능(AI)‧디지털교육 활성화"
    assert "2025학년도 세부영역 'Ⅲ-3. 민주시민교육'" in names[1]  # offered here, marked as last year's label
    dlg.examples.setCurrentRow(0)
    assert dlg.title.text() == "인공지능(AI)‧디지털교육 활성화"
    dlg.accept()
    qtbot.waitUntil(lambda: "3-2-S1" in page._items, timeout=10000)
    assert page._items["3-2-S1"].checkState(0) == Qt.Checked and page._items["3-2-S1"].text(1) == "학교 구성 지표"

    page.add_buttons["2-1"].click()
    dlg = page.compose_dialog
    qtbot.waitUntil(lambda: dlg.loaded, timeout=10000)
    dlg.title.setText("함께 만드는 교육과정")
    dlg.accept()
    qtbot.waitUntil(lambda: "2-1-S1" in page._items, timeout=10000)
    assert page.summary.text() == "구성한 지표 2개 · 지표가 있는 세부영역 2/10개"

    page.tree.setCurrentItem(page._items["2-1-S1"])
    page.remove_current()
    qtbot.waitUntil(lambda: "2-1-S1" not in page._items, timeout=10000)
    idle(w)
    with open_workspace(path, readonly=True) as ws:
        assert [e.indicator for e in selfeval.entries(ws, 2026)] == ["3-2-S1"]
        assert services.year_guidebook(ws, 2026).indicator("3-2-S1").title == "인공지능(AI)‧디지털교육 활성화"


def test_a_duplicate_name_is_refused_in_the_dialog(window26, qtbot):
    w, _ = window26
    page = w.show_page("plan")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    for _ in range(2):
        page.add_buttons["1-1"].click()
        dlg = page.compose_dialog
        qtbot.waitUntil(lambda d=dlg: d.loaded, timeout=10000)
        dlg.title.setText("학교 비전 공유")
        dlg.accept()
    qtbot.waitUntil(lambda: dlg.error.text() != "" or "1-1-S2" in page._items, timeout=10000)
    assert "이미 1-1 세부영역에 있습니다" in dlg.error.text()
