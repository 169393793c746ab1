"""Charts read in black-and-white print (pattern, dash, marker, not colour alone); radar labels stay inside."""

from __future__ import annotations

import itertools

import numpy as np
import pypdfium2 as pdfium
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Polygon, String

from schoolvault.reports.charts import bar_chart, radar_chart

GROUPS = ("교원", "직원", "학생", "학부모")
LONG_LABELS = ["교육과정 운영의 자율성", "학교 비전과 목표 공유", "교사 간 협력적 관계", "의사결정 참여",
               "학생 참여 중심 수업 문화", "학부모와의 소통 및 신뢰", "업무 경감", "전문적 학습공동체 운영 활성화"]


def _gray_bar(group: str) -> tuple[float, float]:
    """(mean, SD) of the grey levels inside one group's bar, printed in greyscale."""
    width, label_w = 300, 10
    d = bar_chart([""], [(group, [100])], width=width, label_width=label_w, bar=24)
    page = pdfium.PdfDocument(renderPDF.drawToString(d))[0]
    img = np.asarray(page.render(scale=2).to_pil().convert("L"), dtype=float)
    x0, x1 = 2 * (label_w + 6), 2 * (width - 26)
    band = img[:, int(x0 + 0.55 * (x1 - x0)):int(x0 + 0.70 * (x1 - x0))]  # between grid lines, right of the legend
    rows = np.nonzero(band.min(axis=1) < 245)[0]
    inside = band[rows[0] + 2:rows[-1] - 1]
    return float(inside.mean()), float(inside.std())


def test_bars_of_each_group_differ_in_greyscale():
    looks = {g: _gray_bar(g) for g in GROUPS}
    for a, b in itertools.combinations(GROUPS, 2):
        (ma, sa), (mb, sb) = looks[a], looks[b]
        assert abs(ma - mb) > 20 or abs(sa - sb) > 15, (a, looks[a], b, looks[b])


def _radar_look(group: str) -> tuple:
    """(line dash, marker shapes) of one group's polygon, colours ignored."""
    n = 5
    d = radar_chart(LONG_LABELS[:n], [(group, [50, 60, 70, 80, 90])], size=300)
    at = next(i for i, s in enumerate(d.contents) if isinstance(s, Polygon) and s.strokeWidth == 1.3)
    markers = d.contents[at + 1:at + 1 + n]
    return (tuple(d.contents[at].strokeDashArray or ()),
            {type(m).__name__ + str(len(getattr(m, "points", ()))) for m in markers})


def test_radar_series_differ_by_dash_and_marker_not_only_colour():
    looks = [_radar_look(g) for g in GROUPS]
    assert len({dash for dash, _ in looks}) == len(GROUPS)
    assert len({frozenset(m) for _, m in looks}) == len(GROUPS)


def test_radar_labels_stay_inside_the_drawing_and_are_not_cut():
    for n in (3, 5, 8):
        for size in (250, 330, 400):
            labels = LONG_LABELS[:n]
            d = radar_chart(labels, [(g, [60] * n) for g in GROUPS], size=size)
            strings = [s for s in d.contents if isinstance(s, String)]
            for s in strings:
                x0, y0, x1, y1 = s.getBounds()
                assert x0 >= 0 and y0 >= 0 and x1 <= d.width and y1 <= d.height, (n, size, s.text)
            shown = " ".join(s.text for s in strings)
            for lab in labels:
                assert all(w in shown for w in lab.split()), lab
            assert "…" not in shown


def test_a_label_too_long_for_two_lines_is_shortened_not_lost():
    label = "아주 긴 요인 이름이 세 줄을 넘어 계속 이어지는 경우의 요인 제목입니다"
    d = radar_chart([label, "둘", "셋"], [("교원", [50, 50, 50])], size=250, label_width=60)
    texts = [s.text for s in d.contents if isinstance(s, String)]
    assert any(t.startswith("아주") for t in texts) and any(t.endswith("…") for t in texts)
    for s in d.contents:
        if isinstance(s, String):
            assert 0 <= s.getBounds()[0] and s.getBounds()[2] <= d.width


def test_excel_line_series_of_the_groups_differ_in_dash_and_marker(tmp_path):
    """The one group → look mapping also gives line/radar series in a workbook their own dash and marker,
    in the PDF's order (교원 solid line with circles)."""
    from _chart_xml import series_looks

    from schoolvault.reports.charts import xlsx_series_style
    from schoolvault.xlsx import new_workbook
    groups = ["교원", "직원", "학생", "학부모"]
    wb = new_workbook(tmp_path / "lines.xlsx")
    sh = wb.add_worksheet("표")
    sh.write_row(0, 0, ["영역", *groups])
    for r in range(1, 4):
        sh.write_row(r, 0, [f"영역{r}", *(60 + r + 5 * c for c in range(len(groups)))])
    ch = wb.add_chart({"type": "radar"})
    for c, g in enumerate(groups, start=1):
        ch.add_series({"name": ["표", 0, c], "categories": ["표", 1, 0, 3, 0], "values": ["표", 1, c, 3, c],
                       **xlsx_series_style(g, c - 1, kind="radar")})
    sh.insert_chart(5, 0, ch)
    wb.close()
    [chart] = series_looks(tmp_path / "lines.xlsx")
    looks = dict(chart)
    assert looks["교원"].endswith("/solid/circle") and looks["직원"].endswith("/dash/square")
    marks = [look.split("/")[2] for look in looks.values()]
    dashes = [look.split("/")[1] for look in looks.values()]
    assert len(set(marks)) == len(set(dashes)) == len(groups)
