"""Small QPainter charts: horizontal bars on a 0–100 axis, one or several series (this year / last
year, or one bar per group). Drawn by hand so they stay crisp at any DPI and need nothing extra."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ["#2f6db5", "#e08a2c", "#3a9d5d", "#b54a6d", "#7a5bb5", "#8a8f98"]
# the same group colours as the PDF charts (reports/charts.py), so screen and paper agree
GROUP_COLORS = {"교원": "#2f6db5", "직원": "#2a9d8f", "학생": "#e07a1f", "학부모": "#8e5bb5"}


def color_for(name: str, index: int) -> QColor:
    return QColor(GROUP_COLORS.get(name, PALETTE[index % len(PALETTE)]))


class BarChart(QWidget):
    """Horizontal bars: rows of labels, each with one bar per series; values 0..maximum or None."""

    def __init__(self, parent: QWidget | None = None, *, maximum: float = 100.0, value_format: str = "{:.0f}",
                 bar_height: int = 12, label_width: int = 230, axis: bool = True):
        super().__init__(parent)
        self.maximum = maximum
        self.value_format = value_format
        self.bar_height = bar_height
        self.label_width = label_width
        self.axis = axis
        self.labels: list[str] = []
        self.series: list[tuple[str, list[float | None]]] = []
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)

    def set_data(self, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> None:
        self.labels = list(labels)
        self.series = [(name, list(vals)) for name, vals in series]
        self.setFixedHeight(self.sizeHint().height())
        self.setAccessibleDescription("; ".join(
            f"{lab}: " + ", ".join(f"{n} {self._fmt(v[i])}" for n, v in self.series)
            for i, lab in enumerate(self.labels)))
        self.update()

    def _fmt(self, v: float | None) -> str:
        return "—" if v is None else self.value_format.format(v)

    def _row_height(self) -> int:
        return max(len(self.series), 1) * (self.bar_height + 2) + 8

    def _legend_height(self) -> int:
        return 22 if len(self.series) > 1 else 0

    def sizeHint(self) -> QSize:
        return QSize(420, self._legend_height() + len(self.labels) * self._row_height() + (24 if self.axis else 6))

    def minimumSizeHint(self) -> QSize:
        return QSize(260, self.sizeHint().height())

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        fm = QFontMetrics(self.font())
        w = self.width()
        label_w = min(self.label_width, int(w * 0.45))
        value_w = fm.horizontalAdvance("100.0") + 8
        x0 = label_w + 8
        plot_w = max(40, w - x0 - value_w)
        y = 2
        if len(self.series) > 1:
            lx = x0
            for i, (name, _) in enumerate(self.series):
                p.fillRect(QRectF(lx, y + 4, 12, 12), color_for(name, i))
                p.setPen(QColor("#333"))
                p.drawText(int(lx + 16), y + 15, name)
                lx += 16 + fm.horizontalAdvance(name) + 18
            y += self._legend_height()
        top = y
        rh = self._row_height()
        p.setPen(QPen(QColor("#e3e7ec"), 1))
        for t in (0, 0.25, 0.5, 0.75, 1.0):
            x = x0 + plot_w * t
            p.drawLine(int(x), top, int(x), top + rh * len(self.labels))
        value_font = self.font()
        value_font.setPixelSize(max(8, min(self.bar_height + 1, fm.height())))
        for r, label in enumerate(self.labels):
            ry = top + r * rh
            p.setPen(QColor("#222"))
            p.setFont(self.font())
            text = fm.elidedText(label, Qt.ElideRight, label_w)
            p.drawText(QRectF(0, ry, label_w, rh), Qt.AlignRight | Qt.AlignVCenter, text)
            p.setFont(value_font)
            for s, (name, vals) in enumerate(self.series):
                v = vals[r] if r < len(vals) else None
                by = ry + 4 + s * (self.bar_height + 2)
                if v is not None:
                    bw = plot_w * max(0.0, min(v, self.maximum)) / self.maximum
                    p.fillRect(QRectF(x0, by, bw, self.bar_height), color_for(name, s))
                p.setPen(QColor("#333"))
                p.drawText(QRectF(x0 + plot_w + 4, by - 2, value_w, self.bar_height + 4),
                           Qt.AlignLeft | Qt.AlignVCenter, self._fmt(v))
        if not self.axis:
            p.end()
            return
        p.setFont(self.font())
        p.setPen(QColor("#888"))
        axis_y = top + rh * len(self.labels) + 14
        for t in (0, 0.5, 1.0):
            x = x0 + plot_w * t
            p.drawText(int(x - 10), axis_y, self.value_format.format(self.maximum * t))
        p.end()


class RadarChart(QWidget):
    """Factor profile as a radar (0–100 rings), one outline per series (group).

    Drawn with QPainter rather than the report's SVG so that showing it never imports reportlab
    (a half-second import that would hold the interpreter while the GUI waits).
    """

    def __init__(self, parent: QWidget | None = None, *, maximum: float = 100.0, size: int = 460):
        super().__init__(parent)
        self.maximum = maximum
        self.labels: list[str] = []
        self.series: list[tuple[str, list[float | None]]] = []
        self.setFixedSize(size + 220, size + 40)

    def set_data(self, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> None:
        self.labels = list(labels)
        self.series = [(name, list(vals)) for name, vals in series]
        self.setAccessibleDescription("; ".join(
            f"{lab}: " + ", ".join(f"{n} {'—' if v[i] is None else f'{v[i]:.0f}'}" for n, v in self.series)
            for i, lab in enumerate(self.labels)))
        self.update()

    def paintEvent(self, _event) -> None:
        n = len(self.labels)
        if n < 3:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        fm = QFontMetrics(self.font())
        legend_h = 24
        cx, cy = self.width() / 2, legend_h + (self.height() - legend_h) / 2
        r = min(self.width() - 240, self.height() - legend_h - 50) / 2

        def point(i: int, v: float) -> QPointF:
            a = -math.pi / 2 + 2 * math.pi * i / n
            k = max(0.0, min(v, self.maximum)) / self.maximum * r
            return QPointF(cx + k * math.cos(a), cy + k * math.sin(a))

        p.setPen(QPen(QColor("#d5d8dc"), 1))
        for ring in (0.25, 0.5, 0.75, 1.0):
            p.drawPolygon(QPolygonF([point(i, self.maximum * ring) for i in range(n)]))
        for i in range(n):
            p.drawLine(QPointF(cx, cy), point(i, self.maximum))
        p.setPen(QColor("#888"))
        for ring in (0.5, 1.0):
            p.drawText(point(0, self.maximum * ring) + QPointF(4, 12), f"{self.maximum * ring:.0f}")
        p.setPen(QColor("#333"))
        for i, label in enumerate(self.labels):
            text = fm.elidedText(label, Qt.ElideRight, 110)
            q = point(i, self.maximum * 1.08)
            w = fm.horizontalAdvance(text)
            x = q.x() - w / 2 if abs(q.x() - cx) < 5 else (q.x() if q.x() > cx else q.x() - w)
            p.drawText(QPointF(x, q.y() + fm.ascent() / 2), text)
        for s, (name, vals) in enumerate(self.series):
            color = color_for(name, s)
            pts = [point(i, v) for i, v in enumerate(vals) if v is not None]
            pen = QPen(color, 2)
            p.setPen(pen)
            fill = QColor(color)
            fill.setAlpha(35)
            p.setBrush(QBrush(fill))
            if len(pts) == n:
                p.drawPolygon(QPolygonF(pts))
            else:  # a group without some factors: dots only where it has a score
                p.setBrush(QBrush(color))
                for q in pts:
                    p.drawEllipse(q, 3, 3)
        x = 8
        for s, (name, _) in enumerate(self.series):
            p.fillRect(QRectF(x, 6, 12, 12), color_for(name, s))
            p.setPen(QColor("#333"))
            p.drawText(int(x + 16), 17, name)
            x += 16 + fm.horizontalAdvance(name) + 18
        p.end()
