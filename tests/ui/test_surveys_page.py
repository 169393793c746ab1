"""설문 page: the question list for online forms per group, and every import listed with delete."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

GB = "seoul-eval-survey-2025"


def _surveys(qtbot, w):
    page = w.show_page("surveys")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    return page


def _button(page, name: str) -> QPushButton:
    found = [b for b in page.findChildren(QPushButton) if b.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def test_form_questions_button_shows_the_core_text_copies_and_saves(qtbot, demo_window, demo_ws_path, tmp_path):
    from schoolvault import services
    from schoolvault.workspace import open_workspace
    page = _surveys(qtbot, demo_window)
    title = next(s["title"] for s in page.data if s["id"] == GB)
    qtbot.mouseClick(_button(page, f"{title} 학부모 온라인 설문 문항"), Qt.LeftButton)
    dlg = page.form_dialog
    qtbot.waitUntil(lambda: dlg.loaded, timeout=10000)
    with open_workspace(demo_ws_path, readonly=True) as ws:
        expected = services.form_questions_text(ws, GB, "학부모")
    assert dlg.text.toPlainText() == expected
    assert dlg.text.toPlainText().split("\n")[2].startswith("1. 자녀의 학년")
    qtbot.mouseClick(dlg.copy_button, Qt.LeftButton)
    assert QApplication.clipboard().text() == expected
    out = tmp_path / "학부모.xlsx"
    dlg.save_to(str(out))
    qtbot.waitUntil(lambda: dlg.saved_to is not None, timeout=10000)
    rows = list(openpyxl.load_workbook(out).active.iter_rows(min_row=3, values_only=True))
    assert rows[0][1].startswith("자녀의 학년")
    assert "저장했습니다" in dlg.status.text()
    dlg.close()


def test_every_import_is_listed_with_group_period_rows_and_local_time(qtbot, demo_window, demo_ws_path):
    from schoolvault.importing.history import local_time
    page = _surveys(qtbot, demo_window)
    t = page.imports_table
    conn = sqlite3.connect(demo_ws_path)
    adms = conn.execute("SELECT grp, period, n_respondents, imported_at FROM administrations").fetchall()
    conn.close()
    assert t.rowCount() == len(adms) > 0
    shown = sorted((t.item(r, 2).text(), t.item(r, 3).text(), t.item(r, 4).text(), t.item(r, 5).text())
                   for r in range(t.rowCount()))
    assert shown == sorted((g, "학년말평가", f"{n}명", local_time(at)) for g, _p, n, at in adms)
    assert all("T" not in t.item(r, 5).text() for r in range(t.rowCount()))


def test_delete_import_backs_up_first_and_removes_the_row(qtbot, demo_window, demo_ws_path):
    page = _surveys(qtbot, demo_window)
    conn = sqlite3.connect(demo_ws_path)
    adm_id, grp = conn.execute("SELECT id, grp FROM administrations WHERE grp = '학부모'").fetchone()
    before = conn.execute("SELECT COUNT(*) FROM administrations").fetchone()[0]
    conn.close()
    asked = []
    page.confirm = lambda text: asked.append(text) or True
    qtbot.mouseClick(page.delete_buttons[adm_id], Qt.LeftButton)
    qtbot.waitUntil(lambda: page.loaded and page.imports_table is not None
                    and page.imports_table.rowCount() == before - 1, timeout=15000)
    assert grp in asked[0]
    conn = sqlite3.connect(demo_ws_path)
    assert conn.execute("SELECT COUNT(*) FROM administrations WHERE id = ?", (adm_id,)).fetchone()[0] == 0
    conn.close()
    backup = page.last_deleted["backup"]
    assert backup and Path(backup).exists()
    old = sqlite3.connect(backup)  # the backup still holds the deleted import
    assert old.execute("SELECT COUNT(*) FROM administrations WHERE id = ?", (adm_id,)).fetchone()[0] == 1
    old.close()


def test_delete_can_be_declined(qtbot, demo_window, demo_ws_path):
    page = _surveys(qtbot, demo_window)
    adm_id = next(iter(page.delete_buttons))
    page.confirm = lambda text: False
    qtbot.mouseClick(page.delete_buttons[adm_id], Qt.LeftButton)
    conn = sqlite3.connect(demo_ws_path)
    assert conn.execute("SELECT COUNT(*) FROM administrations WHERE id = ?", (adm_id,)).fetchone()[0] == 1
    conn.close()


def test_typing_the_people_asked_saves_it_and_shows_the_rate(qtbot, demo_window, demo_ws_path):
    from PySide6.QtWidgets import QSpinBox

    from schoolvault import services
    from schoolvault.workspace import open_workspace
    page = _surveys(qtbot, demo_window)
    title = next(s["title"] for s in page.data if s["id"] == GB)
    (box,) = [b for b in page.findChildren(QSpinBox) if b.accessibleName() == f"{title} 학부모 대상자 수"]
    assert box.value() == 0 and box.text() == "모름" and page.rate_labels[(GB, "학부모")].text() == "—"
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "250")
    assert getattr(page, "asked_saves", 0) == 0  # not saved digit by digit
    qtbot.keyClick(box, Qt.Key_Return)
    qtbot.waitUntil(lambda: getattr(page, "asked_saves", 0) == 1, timeout=10000)
    conn = sqlite3.connect(demo_ws_path)
    assert conn.execute("SELECT grp, count FROM asked WHERE instrument_id = ?", (GB,)).fetchall() == [("학부모", 250)]
    conn.close()
    with open_workspace(demo_ws_path, readonly=True) as ws:
        n = services.stats(ws, GB, "학부모")["groups"]["학부모"]["n"]
    assert n > 0
    assert page.rate_labels[(GB, "학부모")].text() == f"{n}/250명 · {n / 250 * 100:.1f}%"
