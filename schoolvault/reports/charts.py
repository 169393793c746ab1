"""Vector charts (reportlab graphics) for the PDFs, also rendered as SVG for the GUI.

Charts are plain `Drawing`s so the same picture goes into a PDF page and, through
`reportlab.graphics.renderSVG`, into the results page of the app.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Line,
    Path,
    Polygon,
    Rect,
    String,
)
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..forms.scoring import SCORE100_MAX
from .fonts import printable, register_fonts

GROUP_COLORS = {"교원": colors.HexColor("#2F6DB5"), "직원": colors.HexColor("#2A9D8F"),
                "학생": colors.HexColor("#E07A1F"), "학부모": colors.HexColor("#8E5BB5")}
_EXTRA = [colors.HexColor(c) for c in ("#3B6FB0", "#C0392B", "#7F8C8D", "#16A085", "#D4AC0D")]
INK = colors.HexColor("#222222")
GRID = colors.HexColor("#D5D8DC")
MUTED = colors.HexColor("#6B7280")
ACCENT = colors.HexColor("#2F6DB5")
WHITE = colors.white

# Black-and-white print: a series is told apart by its fill pattern (bars) or its line dash and marker
# (radar), never by colour alone. A group keeps the same look in every chart (교원 is always solid).
PATTERNS = ("solid", "diagonal", "tint", "cross", "horizontal")
DASHES: tuple[tuple[float, ...] | None, ...] = (None, (4.5, 2.2), (1.2, 1.6), (7, 2, 1.5, 2), (2.5, 2.5))
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
HATCH_STEP = 2.6      # points between hatch lines
HATCH_WIDTH = 0.7


def series_color(name: str, index: int) -> colors.Color:
    return GROUP_COLORS.get(name, _EXTRA[index % len(_EXTRA)])


def series_look(name: str, index: int) -> int:
    """Which pattern, dash and marker a series gets: a group by its fixed order, others by position."""
    groups = list(GROUP_COLORS)
    return groups.index(name) if name in groups else index


# The same looks in the Excel charts (xlsxwriter series options), so both workbooks print as the PDF does.
XLSX_PATTERNS = {"diagonal": "wide_upward_diagonal", "tint": "percent_25", "cross": "outlined_diamond",
                 "horizontal": "light_horizontal"}  # "solid" is a plain fill
XLSX_DASHES = ("solid", "dash", "round_dot", "long_dash_dot", "square_dot")   # as DASHES
XLSX_MARKERS = ("circle", "square", "triangle", "diamond", "x")              # as MARKERS


def xlsx_series_style(name: str, index: int, *, kind: str = "bar") -> dict:
    """xlsxwriter `add_series` options for a series: a column/bar gets the fill pattern of `patterned_rect`,
    a line/radar series the dash and marker of `radar_chart`; the colour is `series_color`."""
    look = series_look(name, index)
    hexcol = "#" + series_color(name, index).hexval()[2:].upper()
    if kind in ("line", "radar", "scatter"):
        return {"line": {"color": hexcol, "width": 1.5, "dash_type": XLSX_DASHES[look % len(XLSX_DASHES)]},
                "marker": {"type": XLSX_MARKERS[look % len(XLSX_MARKERS)], "size": 6,
                           "border": {"color": hexcol}, "fill": {"color": hexcol}}}
    kind_ = PATTERNS[look % len(PATTERNS)]
    if kind_ == "solid":
        return {"fill": {"color": hexcol}, "border": {"color": hexcol}}
    return {"pattern": {"pattern": XLSX_PATTERNS[kind_], "fg_color": hexcol, "bg_color": "#FFFFFF"},
            "border": {"color": hexcol, "width": 0.75}}


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten a label with … so it fits the width."""
    text = printable(text)
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _hatch(d: Drawing, x: float, y: float, w: float, h: float, col, kind: str) -> None:
    """Hatch lines clipped to the rectangle (x, y, w, h): diagonal (/), cross (/ and \\) or horizontal;
    one path per bar, so a chart of many bars stays a small drawing."""
    path = Path(strokeColor=col, strokeWidth=HATCH_WIDTH, fillColor=None, strokeLineCap=0)

    def diagonal(rising: bool) -> None:
        k = -h
        while k < w:
            x0, y0 = x + max(k, 0.0), y + max(-k, 0.0)
            run = min(w - max(k, 0.0), h - max(-k, 0.0))
            if run > 0.3:
                if rising:
                    path.moveTo(x0, y0)
                    path.lineTo(x0 + run, y0 + run)
                else:  # mirrored left to right
                    path.moveTo(2 * x + w - x0, y0)
                    path.lineTo(2 * x + w - x0 - run, y0 + run)
            k += HATCH_STEP * 1.41
    if kind in ("diagonal", "cross"):
        diagonal(True)
    if kind == "cross":
        diagonal(False)
    if kind == "horizontal":
        yy = y + HATCH_STEP / 2
        while yy < y + h:
            path.moveTo(x, yy)
            path.lineTo(x + w, yy)
            yy += HATCH_STEP * 0.8
    d.add(path)


def patterned_rect(d: Drawing, x: float, y: float, w: float, h: float, col, look: int) -> None:
    """A bar (or legend swatch) in the series' colour and pattern, outlined so a light one shows on paper."""
    kind = PATTERNS[look % len(PATTERNS)]
    if kind == "solid":
        d.add(Rect(x, y, w, h, fillColor=col, strokeColor=None))
        return
    fill = colors.Color(col.red, col.green, col.blue, alpha=0.35) if kind == "tint" else WHITE
    d.add(Rect(x, y, w, h, fillColor=fill, strokeColor=None))
    if w > 0.5:
        _hatch(d, x, y, w, h, col, kind)
    d.add(Rect(x, y, w, h, fillColor=None, strokeColor=col, strokeWidth=0.6))


def marker(d: Drawing, x: float, y: float, col, look: int, r: float = 2.2) -> None:
    """A point marker whose shape tells the series apart: ● ■ ▲ ◆ ✕."""
    kind = MARKERS[look % len(MARKERS)]
    if kind == "circle":
        d.add(Circle(x, y, r, fillColor=col, strokeColor=None))
    elif kind == "square":
        d.add(Rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8, fillColor=col, strokeColor=None))
    elif kind == "triangle":
        d.add(Polygon([x - r * 1.1, y - r * 0.8, x + r * 1.1, y - r * 0.8, x, y + r * 1.2], fillColor=col,
                      strokeColor=None))
    elif kind == "diamond":
        d.add(Polygon([x, y - r * 1.2, x + r * 1.1, y, x, y + r * 1.2, x - r * 1.1, y], fillColor=col, strokeColor=None))
    else:
        for s in (1, -1):
            d.add(Line(x - r, y - s * r, x + r, y + s * r, strokeColor=col, strokeWidth=1.1))


def _legend(d: Drawing, names: Sequence[str], x: float, y: float, font: str, size: float = 7.5, *,
            lines: bool = False) -> None:
    """Swatches as the chart draws the series: patterned squares (bars) or a dashed line with its marker."""
    for i, name in enumerate(names):
        col, look = series_color(name, i), series_look(name, i)
        if lines:
            d.add(Line(x, y + 2.5, x + 16, y + 2.5, strokeColor=col, strokeWidth=1.3,
                       strokeDashArray=DASHES[look % len(DASHES)]))
            marker(d, x + 8, y + 2.5, col, look)
            x += 8
        else:
            patterned_rect(d, x, y - 1, 8, 8, col, look)
        d.add(String(x + 11, y, printable(name), fontName=font, fontSize=size, fillColor=INK))
        x += 18 + stringWidth(name, font, size) + 6


def bar_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
              width: float = 440, vmax: float = SCORE100_MAX, fmt: str = "{:.0f}",
              label_width: float | None = None, bar: float = 7.0, title: str | None = None,
              reference: Sequence[float | None] | None = None) -> Drawing:
    """Horizontal grouped bars: one row per label, one bar per series (e.g. respondent group).

    `reference` draws a thin tick per row (a benchmark mean or last year's value).
    """
    font, bold = register_fonts()
    nser = max(1, len(series))
    row_h = nser * bar + 5
    top = 16 if (nser > 1 or title or (series and series[0][0] in GROUP_COLORS)) else 4
    axis_h = 14
    height = top + len(labels) * row_h + axis_h
    d = Drawing(width, height)
    lw = label_width if label_width is not None else min(170.0, width * 0.38)
    x0, x1 = lw + 6, width - 26
    scale = (x1 - x0) / vmax
    y_axis = axis_h
    if title:
        d.add(String(0, height - 10, title, fontName=bold, fontSize=8.5, fillColor=INK))
    if nser > 1 or (series and series[0][0] in GROUP_COLORS):
        _legend(d, [s[0] for s in series], x0 if not title else x0 + 120, height - 10, font)
    for t in range(0, int(vmax) + 1, int(vmax // 4) or 1):
        x = x0 + t * scale
        d.add(Line(x, y_axis, x, height - top + 2, strokeColor=GRID, strokeWidth=0.5))
        d.add(String(x, y_axis - 9, str(t), fontName=font, fontSize=6.5, fillColor=MUTED, textAnchor="middle"))
    for r, label in enumerate(labels):
        y_row = height - top - (r + 1) * row_h + 2.5
        d.add(String(lw, y_row + (nser * bar) / 2 - 2.5, _fit(label, font, 7.5, lw - 2), fontName=font,
                     fontSize=7.5, fillColor=INK, textAnchor="end"))
        for s, (name, values) in enumerate(series):
            v = values[r] if r < len(values) else None
            y = y_row + (nser - 1 - s) * bar
            if v is None:
                d.add(String(x0 + 2, y + 1, "–", fontName=font, fontSize=6.5, fillColor=MUTED))
                continue
            w = max(0.0, min(v, vmax)) * scale
            patterned_rect(d, x0, y, w, bar - 1, series_color(name, s), series_look(name, s))
            d.add(String(x0 + w + 2, y + 1, fmt.format(v), fontName=font, fontSize=6.5, fillColor=INK))
        ref = reference[r] if reference is not None and r < len(reference) else None
        if ref is not None:
            x = x0 + max(0.0, min(ref, vmax)) * scale
            d.add(Line(x, y_row - 1, x, y_row + nser * bar, strokeColor=INK, strokeWidth=1.4))
    d.add(Line(x0, y_axis, x0, height - top + 2, strokeColor=MUTED, strokeWidth=0.6))
    return d


RADAR_LABEL_SIZE = 7.0
RADAR_LABEL_LEADING = 8.4
RADAR_LABEL_LINES = 2
RADAR_LABEL_GAP = 5.0    # between the outer ring and its label


def _label_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """A label broken between words into at most RADAR_LABEL_LINES lines of `width`; only what still does
    not fit ends in …"""
    lines: list[str] = []
    for word in printable(text).split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and (stringWidth(joined, font, size) <= width or len(lines) == RADAR_LABEL_LINES):
            lines[-1] = joined
        else:
            lines.append(word)
    return [_fit(line, font, size, width) for line in lines] or [""]


def _radar_label_boxes(n: int, lines: list[list[str]], cx: float, cy: float, r: float, font: str):
    """Per spoke: (x, first baseline, anchor, box (x0, y0, x1, y1)) of its label at radius r."""
    out = []
    for i, ls in enumerate(lines):
        a = math.pi / 2 - 2 * math.pi * i / n
        ca, sa = math.cos(a), math.sin(a)
        px, py = cx + (r + RADAR_LABEL_GAP) * ca, cy + (r + RADAR_LABEL_GAP) * sa
        h = len(ls) * RADAR_LABEL_LEADING
        top = py + h if sa > 0.3 else py if sa < -0.3 else py + h / 2
        w = max(stringWidth(t, font, RADAR_LABEL_SIZE) for t in ls)
        anchor, x0 = ("middle", px - w / 2) if abs(ca) < 0.2 else ("start", px) if ca > 0 else ("end", px - w)
        out.append((px, top - RADAR_LABEL_SIZE, anchor, (x0, top - h, x0 + w, top)))
    return out


def radar_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
                size: float = 300, vmax: float = SCORE100_MAX, label_width: float = 78) -> Drawing:
    """A radar (spider) profile on the 100-point scale: one polygon per series, legend on top.

    Series differ in line dash and marker shape as well as colour (black-and-white print). Labels wrap
    between words onto two lines of `label_width`; the radius shrinks until every label lies inside
    the drawing."""
    font, _ = register_fonts()
    n = len(labels)
    legend_h = 16
    width = size + 80
    d = Drawing(width, size + legend_h)
    cx, cy = width / 2, size / 2
    if n < 3:
        d.add(String(cx, cy, "요인이 3개 이상일 때 그릴 수 있습니다.", fontName=font, fontSize=8, textAnchor="middle"))
        return d
    lines = [_label_lines(lab, font, RADAR_LABEL_SIZE, label_width) for lab in labels]
    r = size / 2 - 12
    boxes = _radar_label_boxes(n, lines, cx, cy, r, font)
    while r > size / 6 and not all(b[0] >= 0 and b[1] >= 0 and b[2] <= width and b[3] <= size
                                   for *_, b in boxes):
        r -= 2
        boxes = _radar_label_boxes(n, lines, cx, cy, r, font)

    def pt(i: int, v: float) -> tuple[float, float]:
        a = math.pi / 2 - 2 * math.pi * i / n
        return cx + r * v / vmax * math.cos(a), cy + r * v / vmax * math.sin(a)

    for ring in (25, 50, 75, 100):
        pts = [c for i in range(n) for c in pt(i, ring * vmax / 100)]
        d.add(Polygon(pts, fillColor=None, strokeColor=GRID, strokeWidth=0.5))
        x, y = pt(0, ring * vmax / 100)
        d.add(String(x + 2, y - 7, str(ring), fontName=font, fontSize=6, fillColor=MUTED))
    for i, (x, y, anchor, _box) in enumerate(boxes):
        ex, ey = pt(i, vmax)
        d.add(Line(cx, cy, ex, ey, strokeColor=GRID, strokeWidth=0.5))
        for k, text in enumerate(lines[i]):
            d.add(String(x, y - k * RADAR_LABEL_LEADING, text, fontName=font, fontSize=RADAR_LABEL_SIZE,
                         fillColor=INK, textAnchor=anchor))
    for s, (name, values) in enumerate(series):
        _radar_series(d, [pt(i, v) if v is not None else None for i, v in
                          enumerate(values[i] if i < len(values) else None for i in range(n))],
                      series_color(name, s), series_look(name, s))
    _legend(d, [s[0] for s in series], 4, size + 4, font, lines=True)
    return d


def _radar_series(d: Drawing, pts: list, col, look: int) -> None:
    dash = DASHES[look % len(DASHES)]
    n = len(pts)
    if all(p is not None for p in pts):
        d.add(Polygon([c for p in pts for c in p], fillColor=colors.Color(col.red, col.green, col.blue, alpha=0.08),
                      strokeColor=col, strokeWidth=1.3, strokeDashArray=dash))
    else:
        # a factor not asked of this group: no vertex at 0 (that would read as a low score);
        # the line is broken there instead
        for i in range(n):
            a, b = pts[i], pts[(i + 1) % n]
            if a is not None and b is not None:
                d.add(Line(a[0], a[1], b[0], b[1], strokeColor=col, strokeWidth=1.3, strokeDashArray=dash))
    for p in pts:
        if p is not None:
            marker(d, p[0], p[1], col, look)


def to_svg(drawing: Drawing) -> bytes:
    """The drawing as SVG bytes (UTF-8) for Qt's QSvgRenderer."""
    import re

    from reportlab.graphics import renderSVG
    svg = renderSVG.drawToString(drawing)
    # Qt's SVG renderer (SVG Tiny) does not know <clipPath> and paints its rect black; the
    # drawing stays inside its box anyway, so the clip is dropped.
    svg = re.sub(r"<clipPath.*?</clipPath>", "", svg, flags=re.DOTALL).replace(' style="clip-path: url(#clip)"', "")
    return svg.encode("utf-8")


def survey_chart_svg(ws, instrument_id: str, *, group: str | None = None, kind: str = "radar",
                     year: int | None = None, width: float = 480) -> bytes:
    """SVG of a survey's factor profile for the GUI's results page (same chart as the PDFs).

    kind="radar": 100-point factor scores as a radar; kind="bars": horizontal bars per factor.
    group=None draws every group with at least MIN_GROUP_N respondents; a named group is drawn
    even when smaller (the school's own screen, not a document that leaves the school).
    Raises SchoolVaultError when the survey has no answers for the year.
    """
    from .. import reads
    from ..errors import SchoolVaultError
    from ..forms.groups import canonical_group
    from .data import survey_result
    if year is None:
        _, year = reads.require_school(ws)
    sr = survey_result(ws, instrument_id, year)
    groups = [canonical_group(group)] if group else sr.shown
    groups = [g for g in groups if g in sr.stats["groups"]]
    if not groups:
        raise SchoolVaultError("그릴 응답이 없습니다.", where=instrument_id,
                               hint="응답을 가져왔는지, 집단 응답자가 5명 이상인지 확인하세요.")
    labels, series = factor_series(sr.survey, sr.stats, groups)
    if kind == "radar":
        return to_svg(radar_chart(labels, series, size=min(width, 420) - 80))
    if kind == "bars":
        return to_svg(bar_chart(labels, series, width=width))
    raise SchoolVaultError(f"차트 종류 '{kind}'을(를) 알 수 없습니다.", hint="radar 또는 bars를 쓰세요.")


def factor_series(survey, stats: dict, groups: Sequence[str]) -> tuple[list[str], list[tuple[str, list]]]:
    """Factor titles and, per group, the 100-point factor scores (None where the group has no such factor)."""
    factors = [f for f in survey.factors() if any(f.code in stats["groups"][g]["factors"] for g in groups)]
    labels = [f.title for f in factors]
    series = [(g, [stats["groups"][g]["factors"].get(f.code, {}).get("score100") for f in factors]) for g in groups]
    return labels, series


def box_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[dict | str | None]]], *,
              width: float = 440, vmax: float = SCORE100_MAX, label_width: float = 120, box: float = 8.0) -> Drawing:
    """Horizontal box plots: one row per label (e.g. 영역), one box per series (e.g. 학교급).

    An entry is {"p": {"10", "25", "50", "75", "90": v}, "mean": v, "n": schools}: whiskers from the 10th
    to the 90th percentile, a box from the 25th to the 75th, a line at the median, a dot at the mean. A
    string entry is printed instead of a box (e.g. "5교 미만"); None leaves the place empty. Each box is
    named beside it and patterned as in `bar_chart`, so the series read without colour; n is at the right.
    """
    font, _ = register_fonts()
    nser = max(1, len(series))
    name_w = max([stringWidth(printable(n), font, 6.5) for n, _ in series] + [8]) + 4
    row_h = nser * (box + 3) + 6
    axis_h, top = 14, 4
    height = top + len(labels) * row_h + axis_h
    d = Drawing(width, height)
    x0, x1 = label_width + name_w + 6, width - 34
    scale = (x1 - x0) / vmax
    for t in range(0, int(vmax) + 1, int(vmax // 4) or 1):
        x = x0 + t * scale
        d.add(Line(x, axis_h, x, height - top, strokeColor=GRID, strokeWidth=0.5))
        d.add(String(x, axis_h - 9, str(t), fontName=font, fontSize=6.5, fillColor=MUTED, textAnchor="middle"))
    for r, label in enumerate(labels):
        y_row = height - top - (r + 1) * row_h + 3
        d.add(String(label_width, y_row + row_h / 2 - 5, _fit(label, font, 7.5, label_width - 2), fontName=font,
                     fontSize=7.5, fillColor=INK, textAnchor="end"))
        if r:
            d.add(Line(0, y_row + row_h - 3, width, y_row + row_h - 3, strokeColor=GRID, strokeWidth=0.4))
        for s, (name, entries) in enumerate(series):
            y = y_row + (nser - 1 - s) * (box + 3)
            d.add(String(x0 - 4, y + 1, printable(name), fontName=font, fontSize=6.5, fillColor=INK, textAnchor="end"))
            e = entries[r] if r < len(entries) else None
            if isinstance(e, str):
                d.add(String(x0 + 2, y + 1, printable(e), fontName=font, fontSize=6.5, fillColor=MUTED))
            elif e:
                _box(d, e, x0, scale, y, box, vmax, series_color(name, s), series_look(name, s), font)
    d.add(Line(x0, axis_h, x0, height - top, strokeColor=MUTED, strokeWidth=0.6))
    return d


def _box(d: Drawing, e: dict, x0: float, scale: float, y: float, h: float, vmax: float, col, look: int,
         font: str) -> None:
    p = {k: max(0.0, min(float(v), vmax)) for k, v in e["p"].items()}
    at = {k: x0 + v * scale for k, v in p.items()}
    mid = y + h / 2
    d.add(Line(at["10"], mid, at["25"], mid, strokeColor=INK, strokeWidth=0.7))
    d.add(Line(at["75"], mid, at["90"], mid, strokeColor=INK, strokeWidth=0.7))
    for k in ("10", "90"):
        d.add(Line(at[k], y + 1.5, at[k], y + h - 1.5, strokeColor=INK, strokeWidth=0.7))
    patterned_rect(d, at["25"], y, max(0.8, at["75"] - at["25"]), h, col, look)
    solid = PATTERNS[look % len(PATTERNS)] == "solid"  # a dark box: the median shows white on it
    d.add(Line(at["50"], y - 0.8, at["50"], y + h + 0.8, strokeColor=INK, strokeWidth=2.4))
    if solid:
        d.add(Line(at["50"], y + 0.6, at["50"], y + h - 0.6, strokeColor=WHITE, strokeWidth=1.0))
    if e.get("mean") is not None:
        mx = x0 + max(0.0, min(e["mean"], vmax)) * scale
        d.add(Circle(mx, mid, 1.8, fillColor=WHITE, strokeColor=INK, strokeWidth=0.8))
    d.add(String(x0 + vmax * scale + 4, y + 1, f"n={e['n']}", fontName=font, fontSize=6.3, fillColor=MUTED))
