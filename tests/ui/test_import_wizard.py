"""The import wizard and the paper-entry grid, driven as a user would (pytest-qt, offscreen)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from _import_util import AGREE5, SODI, sodi_items, write_csv, write_xlsx


def _counts(path) -> tuple[int, int]:
    c = sqlite3.connect(path)
    try:
        return (c.execute("SELECT COUNT(*) FROM respondents").fetchone()[0],
                c.execute("SELECT COUNT(*) FROM answers").fetchone()[0])
    finally:
        c.close()


def _export(tmp_path, n=12):
    items = sodi_items("교원")
    header = ["타임스탬프", "이메일 주소"] + [f"{k}. {i.text}" for k, i in enumerate(items, 1)]
    header[2] = "첫 질문(머리글을 줄임)"  # the matcher cannot know this one: the user picks it
    rows = [[f"9:{r:02d}", f"t{r}@school.kr"] + [AGREE5[(r + j) % 5] for j in range(len(items))] for r in range(n)]
    rows[4][5] = "모르겠음"
    return write_csv(tmp_path / "교원응답.csv", header, rows), items


def _open(qtbot, path):
    from schoolvault.ui.dialogs.import_wizard import ImportWizard
    w = ImportWizard(str(path))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.file_page.survey.count() > 0, timeout=10000)
    return w


def _choose(w, f, instrument=SODI, group="교원"):
    w.file_page.file.setText(str(f))
    w.file_page.survey.setCurrentIndex(next(k for k in range(w.file_page.survey.count()) if w.file_page.survey.itemData(k)["id"] == instrument))
    w.file_page.group.setCurrentIndex(w.file_page.group.findData(group))


def test_wizard_previews_every_column_lets_the_user_map_one_and_imports(qtbot, fresh_ws_path, tmp_path):
    f, items = _export(tmp_path)
    w = _open(qtbot, fresh_ws_path)
    _choose(w, f)
    assert w.file_page.isComplete()
    w.next()  # a CSV has one sheet: straight to the preview
    assert w.currentPage() is w.preview_page
    qtbot.waitUntil(lambda: w.plan is not None, timeout=10000)
    table = w.preview_page.table
    roles = {table.item(r, 0).text(): table.item(r, 4).text() for r in range(table.rowCount())}
    assert roles["B"].startswith("개인정보") and roles["C"].startswith("연결 안 됨")
    assert table.item(3, 3).text() == "100%"
    problems = [w.preview_page.problems.item(i).text() for i in range(w.preview_page.problems.count())]
    assert any("이메일 주소" in p and "저장하지 않습니다" in p for p in problems)
    assert any(p.startswith("6행 F열: '모르겠음'") for p in problems)
    # the user maps column C to the first item; the plan is made again
    box = table.cellWidget(2, 2)
    box.setCurrentIndex(box.findData(items[0].code))
    qtbot.waitUntil(lambda: w.plan is not None and w.plan.columns[2].code == items[0].code, timeout=10000)
    assert w.plan.items_missing == []
    w.next()
    assert w.currentPage() is w.confirm_page
    before = _counts(fresh_ws_path)
    qtbot.mouseClick(w.confirm_page.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: w.summary is not None, timeout=15000)
    assert w.summary["respondents"] == 12
    assert w.confirm_page.isComplete()
    w.accept()
    after = _counts(fresh_ws_path)
    assert after[0] - before[0] == 12 and after[1] - before[1] == 12 * len(items) - 1
    raw = Path(fresh_ws_path).read_bytes()
    assert b"school.kr" not in raw


def test_wizard_shows_a_refused_file_inline_and_changes_nothing(qtbot, fresh_ws_path, tmp_path):
    f = write_csv(tmp_path / "엉뚱한.csv", ["날씨", "기분"], [["맑음", "좋음"]])
    w = _open(qtbot, fresh_ws_path)
    _choose(w, f)
    before = Path(fresh_ws_path).read_bytes()
    w.next()
    qtbot.waitUntil(lambda: not w.planning, timeout=10000)
    assert w.plan is None and not w.preview_page.isComplete()
    assert "맞는 열이 하나도 없습니다" in w.preview_page.problems.item(0).text()
    w.reject()
    assert Path(fresh_ws_path).read_bytes() == before


def test_wizard_offers_the_sheets_of_a_workbook_and_warns_about_a_reimport(qtbot, fresh_ws_path, tmp_path):
    from schoolvault.importing import import_responses
    from schoolvault.workspace import open_workspace
    items = sodi_items("교원")
    data = [[i.text for i in items]] + [[AGREE5[(r + j) % 5] for j in range(len(items))] for r in range(4)]
    f = write_xlsx(tmp_path / "응답.xlsx", {"안내": [["설문 결과"]], "교원": data})
    with open_workspace(fresh_ws_path) as ws:
        import_responses(ws, f, SODI, "교원")
    w = _open(qtbot, fresh_ws_path)
    _choose(w, f)
    w.next()
    assert w.currentPage() is w.sheet_page and w.sheet_page.list.count() == 3
    w.sheet_page.list.setCurrentRow(2)
    w.next()
    qtbot.waitUntil(lambda: w.plan is not None, timeout=10000)
    assert w.plan.sheet == "교원"
    w.next()
    assert w.confirm_page.replace.isVisibleTo(w)
    qtbot.mouseClick(w.confirm_page.run_button, Qt.LeftButton)
    assert "이미 가져온" in w.confirm_page.result.text() and w.summary is None
    w.confirm_page.replace.setChecked(True)
    qtbot.mouseClick(w.confirm_page.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: w.summary is not None, timeout=15000)
    assert w.summary["replaced"] is not None and _counts(fresh_ws_path)[0] == 4
    w.accept()


def _paper(qtbot, path):
    from schoolvault.ui.pages.paper_entry import PaperEntryPage
    p = PaperEntryPage(str(path))
    qtbot.addWidget(p)
    p.show()
    qtbot.waitUntil(lambda: p.survey.count() > 0 and p.grid.columnCount() > 0, timeout=10000)
    p.survey.setCurrentIndex(next(k for k in range(p.survey.count()) if p.survey.itemData(k)["id"] == SODI))
    p.group.setCurrentIndex(p.group.findData("학생"))
    return p


def test_paper_entry_is_typed_with_digits_refuses_off_scale_keys_and_saves_itself(qtbot, fresh_ws_path):
    p = _paper(qtbot, fresh_ws_path)
    n_items = p.grid.text_from
    assert n_items == len(sodi_items("학생")) and p.grid.columnCount() > n_items  # + open questions
    p.grid.setFocus()
    qtbot.keyClicks(p.grid, "54")
    assert (p.grid.currentRow(), p.grid.currentColumn()) == (0, 2)
    qtbot.keyClick(p.grid, Qt.Key_7)  # off the 5-point scale: refused, cursor stays
    assert "1~5" in p.status.text() and p.grid.value(0, 2) is None and p.grid.currentColumn() == 2
    qtbot.keyClick(p.grid, Qt.Key_A)
    assert "숫자만" in p.status.text()
    qtbot.keyClicks(p.grid, "3" + "0" * (n_items - 3))  # the rest of form 1 blank: 0 skips
    assert (p.grid.currentRow(), p.grid.currentColumn()) == (1, 0)
    qtbot.keyClicks(p.grid, "21")
    qtbot.keyClick(p.grid, Qt.Key_Return)
    assert (p.grid.currentRow(), p.grid.currentColumn()) == (2, 0)
    qtbot.waitUntil(lambda: p.adm is not None and p.idle, timeout=5000)  # autosave, no button pressed
    assert _counts(fresh_ws_path) == (2, 5)
    # more typing replaces the same batch, it does not add a second one
    qtbot.keyClicks(p.grid, "5")
    qtbot.waitUntil(lambda: p.idle and "3장" in p.status.text(), timeout=5000)
    assert _counts(fresh_ws_path) == (3, 6)
    from schoolvault import services
    from schoolvault.workspace import open_workspace
    with open_workspace(fresh_ws_path) as ws:
        items = services.stats(ws, SODI, "학생")["groups"]["학생"]["items"]
    first = sodi_items("학생")[0].code
    assert items[first]["counts"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 2}


def test_paper_entry_takes_open_answers_as_text_and_stores_them_as_comments(qtbot, fresh_ws_path):
    p = _paper(qtbot, fresh_ws_path)
    p.grid.setFocus()
    qtbot.keyClicks(p.grid, "45")
    p.grid.setCurrentCell(0, p.grid.text_from)
    qtbot.keyClick(p.grid, Qt.Key_M)  # any key opens the editor in a text column
    assert p.grid.state() == p.grid.State.EditingState
    editor = p.grid.findChild(QLineEdit)
    qtbot.keyClicks(editor, "ore trips")
    qtbot.keyClick(editor, Qt.Key_Return)  # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: p.grid.text(0, p.grid.text_from) == "more trips", timeout=2000)
    qtbot.waitUntil(lambda: p.adm is not None and p.idle, timeout=5000)
    c = sqlite3.connect(fresh_ws_path)
    assert c.execute("SELECT text FROM comments").fetchall() == [("more trips",)]
    c.close()


def test_paper_entry_saves_what_is_typed_when_closed_at_once(qtbot, fresh_ws_path):
    p = _paper(qtbot, fresh_ws_path)
    p.grid.setFocus()
    qtbot.keyClicks(p.grid, "4444")
    p.close()  # before the autosave timer fires
    assert _counts(fresh_ws_path) == (1, 4)


def test_main_window_opens_the_wizard_on_its_own_job_runner(qtbot, demo_window):
    from schoolvault.ui.dialogs.import_wizard import ImportWizard
    w = demo_window.open_import_wizard()
    assert isinstance(w, ImportWizard)
    assert w.jobs.runner is demo_window.session.runner
    qtbot.waitUntil(lambda: w.file_page.survey.count() > 0, timeout=10000)
    w.reject()


def test_comment_picker_hides_meaningless_answers_and_stores_the_pick(qtbot, demo_ws_path):
    from schoolvault.importing.comments import is_meaningless
    from schoolvault.ui.pages.comment_picker import CommentPickerPage
    p = CommentPickerPage(str(demo_ws_path))
    qtbot.addWidget(p)
    p.show()
    qtbot.waitUntil(lambda: p.survey.count() > 0 and p.idle, timeout=10000)
    p.survey.setCurrentIndex(next(k for k in range(p.survey.count()) if p.survey.itemData(k)["id"] == SODI))
    p.group.setCurrentIndex(p.group.findData("교원"))
    qtbot.waitUntil(lambda: p.idle and p.list.count() > 0, timeout=10000)
    c = sqlite3.connect(demo_ws_path)
    all_texts = [t for (t,) in c.execute(
        "SELECT c.text FROM comments c JOIN respondents r ON r.id = c.respondent_id JOIN administrations a "
        "ON a.id = r.administration_id JOIN instruments i ON i.id = a.instrument_ref "
        "WHERE i.instrument_id = ? AND a.grp = '교원'", (SODI,))]
    shown = [p.list.item(i).text() for i in range(p.list.count())]
    assert len(shown) == sum(1 for t in all_texts if not is_meaningless(t)) < len(all_texts)
    p.list.item(0).setCheckState(Qt.Checked)
    qtbot.waitUntil(lambda: p.idle, timeout=5000)
    assert "1개" in p.count.text()
    cid = p.list.item(0).data(Qt.UserRole)
    assert c.execute("SELECT selected FROM comments WHERE id = ?", (cid,)).fetchone()[0] == 1
    c.close()
    p.close()


def test_a_schools_own_form_becomes_a_survey_from_the_wizard_and_imports(qtbot, fresh_ws_path, tmp_path):
    header = ["타임스탬프", "1. 우리 학교 축제는 즐거웠다.", "2. 급식이 맛있다.", "3. 하고 싶은 말을 적어 주세요."]
    rows = [["9:00", "매우 그렇다", "그렇다", "축제를 또 해요"], ["9:01", "보통이다", "그렇다", ""]]
    f = write_csv(tmp_path / "축제설문.csv", header, rows)
    w = _open(qtbot, fresh_ws_path)
    _choose(w, f, group="학생")
    w.next()
    qtbot.waitUntil(lambda: w.preview_page.create_button.isVisibleTo(w), timeout=10000)
    qtbot.mouseClick(w.preview_page.create_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: w.plan is not None, timeout=10000)
    assert w.plan.instrument == "school-survey-2025" and w.file_page.survey.currentData()["id"] == w.plan.instrument
    assert [c.role for c in w.plan.columns] == ["meta", "item", "item", "comment"]
    w.next()
    qtbot.mouseClick(w.confirm_page.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: w.summary is not None, timeout=15000)
    assert w.summary["respondents"] == 2 and w.summary["comments"] == 1
    w.accept()


def test_survey_builder_imports_the_bank_builds_from_ticked_sentences_and_saves_a_template(
        qtbot, fresh_ws_path, real_fixtures, tmp_path):
    import openpyxl

    from schoolvault.ui.dialogs.survey_builder import SurveyBuilderDialog
    d = SurveyBuilderDialog(str(fresh_ws_path))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: d.idle and d.survey_id.text() != "", timeout=10000)
    assert d.bank.count() == 0 and "예시자료" in d.message.text() and not d.build_button.isEnabled()
    d.import_bank_file(str(real_fixtures / "seoul-item-bank-2025.json"))
    qtbot.waitUntil(lambda: d.idle and d.tree.topLevelItemCount() > 0, timeout=10000)
    d.group.setCurrentIndex(d.group.findData("학부모"))
    sub = d.tree.topLevelItem(0)
    node = sub.child(0)
    node.child(0).setCheckState(0, Qt.Checked)
    node.child(2).setCheckState(0, Qt.Checked)
    assert "문항 2개" in d.count.text()
    d.title.setText("학부모 만족도")
    qtbot.mouseClick(d.build_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: d.result_info is not None, timeout=10000)
    assert d.result_info["items"] == 2 and d.result_info["title"] == "학부모 만족도"
    out = tmp_path / "양식.xlsx"
    d.write_template_to(str(out))
    qtbot.waitUntil(lambda: d.idle and out.exists(), timeout=10000)
    questions = [r[1] for r in openpyxl.load_workbook(out)["문항"].iter_rows(min_row=2, values_only=True)]
    assert questions == [node.child(0).text(0), node.child(2).text(0)]
    d.reject()


def test_cancelling_the_import_in_the_wizard_leaves_the_workspace_as_it_was(qtbot, fresh_ws_path, tmp_path,
                                                                          monkeypatch):
    import threading

    from schoolvault.importing import commit as commit_mod
    # hold the job until Cancel is pressed, so the test does not race the worker thread
    gate = threading.Event()
    real = commit_mod.commit_plan

    def gated(ws, plan, **kwargs):
        gate.wait(10)
        return real(ws, plan, **kwargs)
    monkeypatch.setattr(commit_mod, "commit_plan", gated)
    f, _ = _export(tmp_path, n=400)
    w = _open(qtbot, fresh_ws_path)
    _choose(w, f)
    w.next()
    qtbot.waitUntil(lambda: w.plan is not None, timeout=10000)
    w.next()
    before = _counts(fresh_ws_path)
    qtbot.mouseClick(w.confirm_page.run_button, Qt.LeftButton)
    assert w.confirm_page.cancel_button.isEnabled()
    qtbot.mouseClick(w.confirm_page.cancel_button, Qt.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: "중지했습니다" in w.confirm_page.result.text(), timeout=10000)
    assert w.summary is None and w.confirm_page.run_button.isEnabled()
    qtbot.waitUntil(lambda: w.jobs.idle, timeout=5000)
    assert _counts(fresh_ws_path) == before
    w.reject()
