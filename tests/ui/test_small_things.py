"""Small things users saw (issue 15, item 8): no internal ids, 버튼 not 단추, whole group labels,
an out-of-range year said, a duplicate file named with its group and a local time."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtWidgets import QComboBox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from _import_util import AGREE5, SODI, sodi_items, write_xlsx

UI = Path(__file__).resolve().parents[2] / "schoolvault" / "ui"


def test_no_ui_text_says_danchu():
    hits = [str(p) for p in UI.rglob("*.py") if "단추" in p.read_text(encoding="utf-8")]
    assert hits == []


def test_survey_choosers_show_titles_never_ids(qtbot, demo_ws_path):
    from schoolvault.ui.dialogs.import_wizard import ImportWizard
    from schoolvault.ui.pages.comment_picker import CommentPickerPage
    from schoolvault.ui.pages.paper_entry import PaperEntryPage
    for cls in (ImportWizard, PaperEntryPage, CommentPickerPage):
        w = cls(str(demo_ws_path))
        qtbot.addWidget(w)
        combo = w.file_page.survey if cls is ImportWizard else w.survey
        qtbot.waitUntil(lambda c=combo: c.count() > 0, timeout=10000)
        for k in range(combo.count()):
            assert combo.itemData(k)["id"] not in combo.itemText(k), cls.__name__
            assert not re.search(r"\([a-z0-9-]+\)$", combo.itemText(k))
        w.close()


def test_setup_with_year_2205_says_it_is_out_of_range(qtbot, tmp_path):
    from schoolvault.ui.dialogs.setup import SchoolSetupDialog
    dlg = SchoolSetupDialog(tmp_path / "new.sqlite")
    qtbot.addWidget(dlg)
    dlg.name.setText("서울가나초등학교")
    dlg.year.lineEdit().setText("2205")
    dlg.year.interpretText()
    assert dlg.year.value() == 2205  # kept as typed, not clamped to another year
    dlg.accept()
    qtbot.waitUntil(lambda: bool(dlg.error.text()), timeout=10000)
    assert "2205학년도" in dlg.error.text() and "범위" in dlg.error.text()
    assert not (tmp_path / "new.sqlite").exists() or dlg.result() == 0


def test_duplicate_file_warning_names_the_group_and_a_local_time(qtbot, fresh_ws_path, tmp_path):
    from schoolvault.importing import import_responses
    from schoolvault.importing.history import list_imports, local_time
    from schoolvault.ui.dialogs.import_wizard import ImportWizard
    from schoolvault.workspace import open_workspace
    items = sodi_items("교원")
    data = [[i.text for i in items]] + [[AGREE5[(r + j) % 5] for j in range(len(items))] for r in range(6)]
    f = write_xlsx(tmp_path / "응답.xlsx", {"교원": data})
    with open_workspace(fresh_ws_path) as ws:
        import_responses(ws, f, SODI, "교원")
        when = list_imports(ws)[0]["imported_at"]
    w = ImportWizard(str(fresh_ws_path))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.file_page.survey.count() > 0, timeout=10000)
    w.file_page.file.setText(str(f))
    w.file_page.survey.setCurrentIndex(next(k for k in range(w.file_page.survey.count())
                                            if w.file_page.survey.itemData(k)["id"] == SODI))
    w.file_page.group.setCurrentIndex(w.file_page.group.findData("교원"))
    w.next()
    qtbot.waitUntil(lambda: w.plan is not None, timeout=10000)
    w.next()
    text = w.confirm_page.summary.text()
    assert f"{local_time(when)}에 교원 응답으로 이미 가져왔습니다" in text
    assert "T" not in re.sub(r"<[^>]+>", "", text).split("이미 가져왔습니다")[0][-40:]
    w.reject()


def test_results_group_chooser_shows_the_whole_label(qtbot, demo_window):
    page = demo_window.show_page("results")
    qtbot.waitUntil(lambda: page.data is not None and page.group_combo.count() > 0, timeout=10000)
    combo = page.group_combo
    assert combo.sizeAdjustPolicy() == QComboBox.AdjustToContents
    widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(k)) for k in range(combo.count()))
    assert combo.sizeHint().width() > widest
