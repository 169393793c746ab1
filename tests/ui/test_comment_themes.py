"""의견 주제 panel: themes with per-group counts, a theme's comments on click, ticking picks for the report."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core"))
from test_themes import GROUPS, SURVEY, corpus


@pytest.fixture
def themed_ws(_template_ws, tmp_path):
    from schoolvault import services
    from schoolvault.workspace import open_workspace, responses
    path = tmp_path / "school.sqlite"
    shutil.copy(_template_ws, path)
    ws = open_workspace(path)
    _, year = services.require_school(ws)
    ref = services.freeze_for_use(ws, SURVEY)
    with ws.transaction():
        for g in GROUPS:
            rows = [responses.ResponseRow(n + 2, {}, {"O1": t}) for n, (grp, t, _) in enumerate(corpus()) if grp == g]
            responses.add_administration(ws, year=year, instrument_ref=ref, group=g, rows=rows, method="test")
    yield ws
    ws.close()


def test_panel_lists_themes_shows_comments_and_picks_one(qtbot, themed_ws):
    from PySide6.QtCore import Qt

    from schoolvault.importing.comments import list_comments
    from schoolvault.ui.pages.comment_themes import CommentThemesPanel

    def run(fn, *args, on_done=None, label=None, with_progress=False, **kwargs):
        result = fn(themed_ws, *args, **kwargs)  # synchronously: the panel only needs the callback
        if on_done:
            on_done(result)

    panel = CommentThemesPanel(run)
    qtbot.addWidget(panel)
    panel.load(SURVEY, "학년말")
    t = panel.table
    assert t.rowCount() >= 6 and t.item(t.rowCount() - 1, 0).text() == "기타"
    assert [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())] == ["주제", "의견", *GROUPS]
    first = panel.result.themes[0]
    assert t.item(0, 1).text() == str(first.comments)
    assert panel.comments.count() == first.comments  # row 0 is chosen on load
    assert panel.comments.item(0).text().startswith("★ ")
    item = panel.comments.item(0)
    item.setCheckState(Qt.Checked)
    picked = [c for c in list_comments(themed_ws, SURVEY) if c["selected"]]
    assert [c["id"] for c in picked] == [item.data(Qt.UserRole)]
    t.selectRow(1)
    assert panel.comments.count() == panel.result.themes[1].comments
