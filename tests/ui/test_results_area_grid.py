"""결과 → 영역 × 평가주체 4단계: the same cells as the 학교평가서 (one rule, school_report_view.area_grid)."""

from __future__ import annotations

from schoolvault.forms.scoring import level_text
from schoolvault.reports import data as report_data
from schoolvault.reports.school_report_view import SUBMISSION, prepare


def test_results_grid_shows_the_school_reports_cells(demo_window, demo_ws, idle):
    res = demo_window.show_page("results")
    idle(demo_window)
    view = prepare(demo_ws, report_data.collect(demo_ws), SUBMISSION)
    t = res.grid_table
    assert t.rowCount() == len(view.areas)
    groups = [t.horizontalHeaderItem(c).text() for c in range(1, t.columnCount())]
    levels = 0
    for r, (key, _title) in enumerate(view.areas):
        for c, g in enumerate(groups, 1):
            cell = view.grid[key, g]
            text = t.item(r, c).text()
            if cell.state == "level":
                assert text == level_text(cell.rounded, cell.level)  # '3.5 우수', as everywhere
                levels += 1
            else:
                assert cell.level is None and "(" not in text
    assert levels > 0
