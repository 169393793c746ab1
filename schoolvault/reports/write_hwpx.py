"""HWPX writer of a `docmodel.Document` (python-hwpx): real 한글 tables (hp:tbl) with merged cells.

Schools edit the 학교평가서 in 한글 before it goes out, so every table is a table, header rows repeat on each
page, and long tables flow across pages (a table laid out as a character never breaks in 한글). Headings are
bold paragraphs, not 개요 styles: 한글 would number them again ("1. 서식3-1 …").
"""

from __future__ import annotations

import logging
import warnings

from ..errors import SchoolVaultError
from ..progress import NULL_PROGRESS
from . import docmodel as dm

HEADING_SIZES = {1: 14, 2: 12, 3: 11}
SHADE = "#E8ECF2"
FLOW_ROWS = 12  # a table with more rows may outgrow a page: let 한글 break it between rows

log = logging.getLogger(__name__)


class _Writer:
    def __init__(self):
        from hwpx import HwpxDocument
        self.doc = HwpxDocument.new()
        self.header = self.doc.oxml.headers[0]
        self._runs: dict[tuple, str] = {}
        self._aligns: dict[str, str] = {}

    def run_style(self, *, bold: bool = False, size: float | None = None, color: str | None = None) -> str:
        key = (bold, size, color)
        if key not in self._runs:
            self._runs[key] = self.doc.styles.ensure_run(bold=bold, size=size, color=color)
        return self._runs[key]

    def align(self, a: str) -> str:
        name = {"l": "JUSTIFY", "c": "CENTER", "r": "RIGHT"}[a]
        if name not in self._aligns:
            self._aligns[name] = self.header.ensure_paragraph_alignment(name)
        return self._aligns[name]

    def shade(self, tb) -> str:
        base = tb.element.get("borderFillIDRef")
        if (base, SHADE) not in self._runs:
            self._runs[base, SHADE] = self.doc.oxml.ensure_shading_border_fill(SHADE, base_border_fill_id=base)
        return self._runs[base, SHADE]

    def paragraph(self, text: str, *, bold: bool = False, size: float | None = None, align: str = "l",
                  color: str | None = None, page_break: bool = False):
        extra = {"pageBreak": "1"} if page_break else {}
        p = self.doc.add_paragraph(text, para_pr_id_ref=self.align(align),
                                   char_pr_id_ref=self.run_style(bold=bold, size=size, color=color),
                                   inherit_style=False, **extra)
        return p

    def table(self, t: dm.Table) -> None:
        rows = t.all_rows()
        tb = self.doc.add_table(len(rows), t.columns)
        tb.set_column_widths(list(t.widths))
        grid = t.grid()
        for row in grid:  # merge first: the cells that remain are the anchors
            for r, c, cell in row:
                if cell.rowspan > 1 or cell.colspan > 1:
                    tb.merge_cells(r, c, r + cell.rowspan - 1, c + cell.colspan - 1)
        anchors = {cell.address: cell for tr in tb.rows for cell in tr.cells}
        size = t.font_size
        for row in grid:
            for r, c, cell in row:
                target = anchors[(r, c)]
                if cell.text:
                    target.set_text(cell.text)
                p = target.paragraphs[0]
                p.para_pr_id_ref = self.align(cell.align)
                p.char_pr_id_ref = self.run_style(bold=cell.bold or cell.tick, size=size)
                if r < len(t.header):
                    target.element.set("header", "1")
                if cell.shaded:  # by id: tb.set_cell_shading rebuilds the table's grid for every cell
                    target.element.set("borderFillIDRef", self.shade(tb))
        if t.header:
            tb.element.set("repeatHeader", "1")
        if len(rows) > FLOW_ROWS:
            tb.set_treat_as_char(False)


def write_hwpx_document(doc: dm.Document, *, progress=NULL_PROGRESS) -> bytes:
    """The document as HWPX bytes, checked by python-hwpx before they are returned.

    Raises SchoolVaultError when the library refuses the package (a bug, but never a broken file)."""
    from hwpx import HwpxError
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        w = _Writer()
        pending_break = False
        for n, b in enumerate(doc.blocks):
            if isinstance(b, dm.PageBreak):
                pending_break = True
                continue
            if isinstance(b, dm.Heading):
                w.paragraph(b.text, bold=True, size=HEADING_SIZES.get(b.level, 11), page_break=pending_break)
            elif isinstance(b, dm.Paragraph):
                if b.style == "title":
                    w.paragraph(b.text, bold=True, size=18, align="c", page_break=pending_break)
                elif b.style == "subtitle":
                    w.paragraph(b.text, size=12, align="c", page_break=pending_break)
                else:
                    w.paragraph(b.text, size=8.5 if b.style == "note" else 10,
                                color="#555555" if b.style == "note" else None, page_break=pending_break)
            elif isinstance(b, dm.Table):
                if pending_break:
                    w.paragraph("", page_break=True)
                w.table(b)
                if b.caption:
                    w.paragraph(b.caption, size=8.5, color="#555555")
            pending_break = False
            progress.report(n + 1, len(doc.blocks), "한글 문서 쓰는 중")
        try:  # to_bytes checks that 한글 can open the package (python-hwpx's open-safety validation)
            return w.doc.to_bytes()
        except HwpxError as e:
            log.error("hwpx serialisation refused: %s", e)
            raise SchoolVaultError("한글(HWPX) 문서를 만들지 못했습니다.",
                                   hint="DOCX나 PDF로 만들어 보시고, 이 문제를 개발자에게 알려 주세요.") from e
