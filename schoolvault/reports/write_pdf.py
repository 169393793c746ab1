"""PDF writer of a `docmodel.Document` (reportlab, Nanum embedded as subsets).

Body text and table cells break lines between words (어절), as 한글 does (`pdf_common.paragraph_style`).
Tick cells are drawn as a vector check mark: the Nanum fonts have no ✔, and a symbol font that is not
embedded would be flagged on an official document.
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, TableStyle
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from ..progress import NULL_PROGRESS
from . import docmodel as dm
from .pdf_common import (
    BODY_W,
    INK,
    LABEL_BG,
    MUTED,
    ReportDoc,
    build,
    esc,
    h1,
    h2,
    h3,
    paragraph_style,
)

GRID_LINE = 0.5
KEEP_WITH_NEXT = 40 * mm  # room a heading needs below it for a few lines of what follows


class TickMark(Flowable):
    """A check mark (✔) centred in its cell, as tall as the cell's text."""

    def __init__(self, size: float):
        super().__init__()
        self.size = size

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.size

    def draw(self):
        s = self.size
        x0 = (self.width - s) / 2
        c = self.canv
        c.saveState()
        c.setStrokeColor(INK)
        c.setLineWidth(max(1.0, s * 0.14))
        c.setLineCap(1)
        c.setLineJoin(1)
        p = c.beginPath()
        p.moveTo(x0 + s * 0.12, s * 0.52)
        p.lineTo(x0 + s * 0.40, s * 0.18)
        p.lineTo(x0 + s * 0.90, s * 0.92)
        c.drawPath(p, stroke=1, fill=0)
        c.restoreState()


def _paragraph(p: dm.Paragraph) -> list:
    if p.style == "title":
        return [Spacer(1, 6 * mm), RLParagraph(esc(p.text), paragraph_style("t", 18, bold=True, align="c")), Spacer(1, 2 * mm)]
    if p.style == "subtitle":
        return [RLParagraph(esc(p.text), paragraph_style("st", 11.5, align="c")), Spacer(1, 5 * mm)]
    if p.style == "note":
        return [Spacer(1, 1 * mm), RLParagraph(esc(p.text), paragraph_style("n", 7.8, color=MUTED)), Spacer(1, 1.5 * mm)]
    return [RLParagraph(esc(p.text), paragraph_style("b", 9.5)), Spacer(1, 2 * mm)]


def _table(t: dm.Table) -> RLTable:
    total = sum(t.widths)
    widths = [w / total * BODY_W for w in t.widths]
    size = t.font_size
    styles = {(b, a): paragraph_style(f"c{size}{b}{a}", size, bold=b, align=a) for b in (False, True) for a in "lcr"}
    data = [["" for _ in widths] for _ in t.all_rows()]
    cmds = [("GRID", (0, 0), (-1, -1), GRID_LINE, INK), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("LINEBELOW", (0, len(t.header) - 1), (-1, len(t.header) - 1), 1.0, INK)]
    for row in t.grid():
        for r, c, cell in row:
            if cell.tick:
                data[r][c] = TickMark(size * 1.05)
            elif cell.text:
                data[r][c] = RLParagraph(esc(cell.text), styles[cell.bold, cell.align])
            if cell.rowspan > 1 or cell.colspan > 1:
                cmds.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
            if cell.shaded:
                cmds.append(("BACKGROUND", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1), LABEL_BG))
    table = RLTable(data, colWidths=widths, repeatRows=len(t.header), splitByRow=1, splitInRow=1)
    table.setStyle(TableStyle(cmds))
    return table


def story_of(doc: dm.Document) -> list:
    """reportlab flowables of the document, in order."""
    heading = {1: h1, 2: h2, 3: h3}
    story: list = []
    for b in doc.blocks:
        if isinstance(b, dm.Heading):  # never alone at the foot of a page
            story += [CondPageBreak(KEEP_WITH_NEXT), heading[min(3, b.level)](b.text)]
        elif isinstance(b, dm.Paragraph):
            story += _paragraph(b)
        elif isinstance(b, dm.Table):
            story.append(_table(b))
            if b.caption:
                story += _paragraph(dm.Paragraph(b.caption, "note"))
            story.append(Spacer(1, 2 * mm))
        elif isinstance(b, dm.PageBreak):
            story.append(PageBreak())
    return story


def write_pdf_document(doc: dm.Document, *, progress=NULL_PROGRESS) -> tuple[bytes, int]:
    """(PDF bytes, page count) of the document, laid out on A4 with the running header and page numbers."""
    buf = io.BytesIO()
    rdoc = ReportDoc(buf, title=doc.title, header_right=doc.header, progress=progress, first="body")
    build(rdoc, story_of(doc))
    return buf.getvalue(), rdoc.page

