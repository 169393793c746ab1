"""The import wizard asks the survey period (default 학년말); the results page switches period, compares
the two side by side and breaks a group down by 학년, marking the cells that stay inside the school."""

from __future__ import annotations

import random
import sqlite3
import sys
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from _import_util import AGREE5, write_csv

GB = "seoul-eval-survey-2025"


def _parents(tmp_path, name: str, grades: list[str], seed: int):
    from schoolvault.catalog import resolve
    items = resolve(None, GB).instrument.items_for("학부모")
    rng = random.Random(seed)
    head = ["타임스탬프", "자녀의 학년(복수 선택 가능)"] + [f"{k}. {i.text}" for k, i in enumerate(items, 1)]
    rows = [[f"9:{r:02d}", g] + [AGREE5[rng.randint(0, 4)] for _ in items] for r, g in enumerate(grades)]
    return write_csv(tmp_path / name, head, rows)


def test_wizard_asks_the_period_and_stores_the_choice(qtbot, fresh_ws_path, tmp_path):
    from schoolvault.ui.dialogs.import_wizard import ImportWizard
    f = _parents(tmp_path, "1학기.csv", ["1학년", "2학년", "3학년, 1학년", "2학년", "1학년", "3학년"], 1)
    w = ImportWizard(str(fresh_ws_path))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.file_page.survey.count() > 0, timeout=10000)
    fp = w.file_page
    assert fp.period.currentData() == "학년말"  # the default
    fp.file.setText(str(f))
    fp.survey.setCurrentIndex(next(k for k in range(fp.survey.count()) if fp.survey.itemData(k)["id"] == GB))
    fp.group.setCurrentIndex(fp.group.findData("학부모"))
    fp.period.setCurrentIndex(fp.period.findData("중간"))
    w.next()
    qtbot.waitUntil(lambda: w.plan is not None, timeout=10000)
    w.next()
    assert "중간평가(1학기)" in w.confirm_page.summary.text()
    assert "학년 문항은 응답자 구분으로 저장합니다" in w.confirm_page.summary.text()
    qtbot.mouseClick(w.confirm_page.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: w.summary is not None, timeout=15000)
    assert "학년 문항을 응답자 구분으로 저장했습니다" in w.confirm_page.result.text()
    w.accept()
    conn = sqlite3.connect(fresh_ws_path)
    assert conn.execute("SELECT period, n_respondents FROM administrations").fetchall() == [("중간", 6)]
    conn.close()


def test_results_page_switches_period_compares_and_breaks_down_by_grade(qtbot, fresh_ws_path, tmp_path):
    from schoolvault.importing import import_responses
    from schoolvault.workspace import open_workspace
    with open_workspace(fresh_ws_path) as ws:
        import_responses(ws, _parents(tmp_path, "1학기.csv", ["1학년"] * 6 + ["2학년"] * 5, 2), GB, "학부모",
                         period="중간")
        import_responses(ws, _parents(tmp_path, "학년말.csv", ["1학년"] * 9 + ["2학년"] * 6 + ["3학년"] * 2, 3),
                         GB, "학부모")
    from conftest import _window, wait_idle
    w = _window(qtbot, fresh_ws_path)
    try:
        res = w.show_page("results")
        res.focus(GB, "학부모")
        qtbot.waitUntil(lambda: res.data is not None and res.data["instrument"] == GB, timeout=10000)
        assert res.data["period"] == "학년말" and res.data["by_group"]["학부모"]["n"] == 17
        # 중간
        res.period_combo.setCurrentIndex(res.period_combo.findData("중간"))
        res.period_combo.activated.emit(res.period_combo.currentIndex())
        qtbot.waitUntil(lambda: res.data["period"] == "중간", timeout=10000)
        assert res.data["by_group"]["학부모"]["n"] == 11 and "중간평가(1학기)" in res.caption.text()
        # 학년별 of the 학년말: 3학년 (2) and the next smallest, 2학년 (6), stay inside
        res.period_combo.setCurrentIndex(res.period_combo.findData("학년말"))
        res.period_combo.activated.emit(res.period_combo.currentIndex())
        qtbot.waitUntil(lambda: res.data["period"] == "학년말", timeout=10000)
        res.tabs.setCurrentIndex(5)
        qtbot.waitUntil(lambda: res.grade_table.rowCount() == 3, timeout=10000)
        t = res.grade_table
        rows = {t.item(r, 0).text(): (t.item(r, 1).text(), t.item(r, t.columnCount() - 1).text())
                for r in range(t.rowCount())}
        assert rows == {"1학년": ("9", "공개"), "2학년": ("6", "외부 비공개"), "3학년": ("2", "외부 비공개")}
        # 비교
        res.period_combo.setCurrentIndex(res.period_combo.findData("비교"))
        res.period_combo.activated.emit(res.period_combo.currentIndex())
        qtbot.waitUntil(lambda: res.stack.currentIndex() == 2 and res.period_table.rowCount() > 0, timeout=10000)
        pt = res.period_table
        heads = [pt.horizontalHeaderItem(c).text() for c in range(pt.columnCount())]
        assert heads[:5] == ["구분", "이름", "중간 평균", "학년말 평균", "변화"]
        first = {heads[c]: pt.item(0, c).text() for c in range(pt.columnCount())}
        assert first["구분"].startswith("영역") and first["변화"][0] in "+-"
        assert abs(float(first["학년말 평균"]) - float(first["중간 평균"]) - float(first["변화"])) < 0.011
        wait_idle(qtbot, w)
    finally:
        w.close()
