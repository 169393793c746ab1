"""The import wizard pre-selects the group whose items a file's headers fit clearly better (issue 14, item 2)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from _import_util import AGREE5, SODI, sodi_items, write_csv


def test_a_teachers_file_chosen_as_staff_is_switched_to_teachers_and_imported(qtbot, fresh_ws_path, tmp_path):
    from schoolvault.ui.dialogs.import_wizard import ImportWizard
    items = sodi_items("교원")
    f = write_csv(tmp_path / "교원응답.csv", ["타임스탬프"] + [i.text for i in items],
                  [[f"9:{r:02d}"] + [AGREE5[(r + j) % 5] for j in range(len(items))] for r in range(6)])
    w = ImportWizard(str(fresh_ws_path))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.file_page.survey.count() > 0, timeout=10000)
    w.file_page.file.setText(str(f))
    w.file_page.survey.setCurrentIndex(next(k for k in range(w.file_page.survey.count()) if w.file_page.survey.itemData(k)["id"] == SODI))
    w.file_page.group.setCurrentIndex(w.file_page.group.findData("직원"))
    w.next()
    qtbot.waitUntil(lambda: w.plan is not None and not w.planning, timeout=10000)
    assert w.file_page.group.currentData() == "교원" and w.plan.group == "교원"
    first = w.preview_page.problems.item(0).text()
    assert "'직원'에서 '교원'" in first
    w.next()
    qtbot.mouseClick(w.confirm_page.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: w.summary is not None, timeout=15000)
    w.accept()
    with sqlite3.connect(fresh_ws_path) as c:
        assert c.execute("SELECT grp, n_respondents FROM administrations").fetchall() == [("교원", 6)]
