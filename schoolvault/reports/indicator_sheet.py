"""The workbook sheet 평가지표 및 현황: what the office collects in its own spreadsheet (no public template).

One row per 평가지표 with the number of items each 평가주체 answered (학년말, guidebook-scored surveys), a total
row per 세부영역, then the 영역 4단계 of each 평가주체. The counts and levels are the 학교평가서's own
(`school_report_view.item_rows` and `area_grid`), so the sheet and the 서식3-1/3-2 cannot disagree.
"""

from __future__ import annotations

from ..forms.scoring import GUIDEBOOK_SCORING
from .data import YearData
from .school_report_view import (
    FORM_GROUPS,
    HIDDEN,
    LEVEL,
    area_grid,
    cell_text,
    item_rows,
    subarea_labels,
)

SHEET = "평가지표 및 현황"
NO_INDICATOR = "(지표 연결 없음)"


def indicator_counts(data: YearData) -> list[tuple[str, str, str, dict[str, int]]]:
    """(영역, 세부영역, 평가지표, {평가주체: items}) in the order the items come, 지표 by 지표."""
    surveys = [s for s in data.surveys if s.survey.scoring == GUIDEBOOK_SCORING]
    out: dict[tuple[str, str, str], dict[str, int]] = {}
    for r in item_rows(data.guidebook, surveys, with_figures=False):
        for ind in r.indicators or (NO_INDICATOR,):  # an item two 지표 link counts for each
            counts = out.setdefault((r.area, r.subarea, ind), {})
            for g in r.answered_by:
                counts[g] = counts.get(g, 0) + 1
    order = {label: n for n, label in enumerate(subarea_labels(data.guidebook).values())}
    # 세부영역 in guidebook order (several surveys may each reach the same one); 지표 as they first came
    return sorted(((a, s, i, c) for (a, s, i), c in out.items()), key=lambda row: order.get(row[1], len(order)))


def write_sheet(sh, fmt: dict, data: YearData) -> None:
    """Fill `sh` (the workbook's row writer over a new worksheet) with the sheet's two tables."""
    groups = list(FORM_GROUPS)
    fm = [fmt["wrap"], fmt["wrap"], fmt["wrap"]] + [fmt["int"]] * (len(groups) + 1)
    sh.header(["영역", "세부영역", "평가지표", *groups, "계"], [22, 24, 34] + [8] * (len(groups) + 1), formats=fm,
              filter_=False)
    rows = indicator_counts(data)
    span = [fmt["span"]] * 3 + [fmt["span"]] * (len(groups) + 1)
    for i, (area, sub, ind, counts) in enumerate(rows):
        values = [counts.get(g, 0) for g in groups]
        sh.put([area, sub, ind, *values, sum(values)], fm)
        if i + 1 == len(rows) or rows[i + 1][1] != sub:  # the 세부영역's total after its last 지표
            totals = [sum(c.get(g, 0) for a, s, _, c in rows if s == sub) for g in groups]
            sh.put([area, f"{sub} 계", "", *totals, sum(totals)], span)
    grand = [sum(c.get(g, 0) for *_, c in rows) for g in groups]
    sh.put(["전체", "", "", *grand, sum(grand)], span)
    sh.put([])
    sh.put(["영역별 평가 결과 (4단계, 학년말 응답)"], fmt["sub"])
    sh.put(["영역", "", "", *groups], fmt["head"])
    surveys = [s for s in data.surveys if s.survey.scoring == GUIDEBOOK_SCORING]
    grid = area_grid(data.guidebook, data.levels, surveys, [])
    keys = list(dict.fromkeys(k for k, _ in grid))
    titles = {k: a.title for k, a in zip(keys, data.guidebook.areas)}
    for key in keys:
        cells = [grid[key, g] for g in groups]
        shown = [c.level or f"{c.rounded:.1f}" if c.state == LEVEL else cell_text(c) for c in cells]
        sh.put([f"{key}. {titles[key]}", "", "", *shown],
               [fmt["wrap"], None, None] + [fmt["supp"] if c.state == HIDDEN else fmt["center"] for c in cells])
    sh.finish()
