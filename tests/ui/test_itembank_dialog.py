"""The survey builder takes the office's workbook and the 2026 pool as they come (issue 12, item 3)."""

from __future__ import annotations

import openpyxl


def _dialog(qtbot, ws_path):
    from schoolvault.ui.dialogs.survey_builder import SurveyBuilderDialog
    d = SurveyBuilderDialog(str(ws_path))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: d.idle and d.survey_id.text() != "", timeout=10000)
    return d


def test_builder_imports_the_workbook_and_says_which_row_it_placed(qtbot, fresh_ws_path, real_fixtures):
    d = _dialog(qtbot, fresh_ws_path)
    d.import_bank_file(str(real_fixtures / "official-itembank-2025-elementary-excerpt.xlsx"))
    qtbot.waitUntil(lambda: d.idle and d.tree.topLevelItemCount() > 0, timeout=10000)
    assert d.bank.currentData()["id"] == "itembank-2025"
    assert "1개 행을 바로잡았습니다" in d.message.text() and "직원용" in d.message.text()
    d.reject()


def test_builder_offers_the_pool_to_every_group(qtbot, fresh_ws_path, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "예시문항"
    ws.append(["영역", "세부영역", "평가지표", "예시문항"])
    ws.append(["Ⅰ. 협력적 학교자치문화", "Ⅰ-1. 소통과 협력의 학교자치", "함께 세우는 학교 비전", "학교 비전을 함께 정한다."])
    path = tmp_path / "2026 예시문항.xlsx"
    wb.save(path)
    d = _dialog(qtbot, fresh_ws_path)
    d.import_bank_file(str(path))
    qtbot.waitUntil(lambda: d.idle and d.tree.topLevelItemCount() > 0, timeout=10000)
    for g in ("학생", "직원"):
        d.group.setCurrentIndex(d.group.findData(g))
        assert d.tree.topLevelItem(0).child(0).child(0).text(0) == "학교 비전을 함께 정한다."
    d.reject()
