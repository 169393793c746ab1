"""DOCX writer of a `docmodel.Document` (python-docx): opens in 한글, Word and LibreOffice.

A4 portrait, 맑은 고딕 for Korean (every Windows machine has it; others substitute), tables with grid lines,
merged cells, header rows repeated on each page and rows that do not break across pages.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..progress import NULL_PROGRESS
from . import docmodel as dm

FONT = "맑은 고딕"
PAGE_W, PAGE_H, MARGIN = Mm(210), Mm(297), Mm(18)
BODY_W = PAGE_W - 2 * MARGIN
SHADE = "E8ECF2"
CELL_PAD_TWIPS = 70   # left/right cell padding (1.2 mm): Word's and LibreOffice's 1.9 mm left one character
                      # per line in the 4단계 columns of the grid ("매/우/우/수")
CELL_PAD_V_TWIPS = 30  # top/bottom (0.5 mm): without it LibreOffice sets text against the row's top line
NOTE_COLOR = RGBColor(0x55, 0x55, 0x55)
HEADING_SIZES = {1: 14, 2: 12, 3: 11}
_ALIGN = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}


def _set_style_font(style, size: float, bold: bool = False) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _run(paragraph, text: str, *, size: float, bold: bool = False, color=None):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold or None
    if color is not None:
        run.font.color.rgb = color
    return run


def _shade(cell) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), SHADE)
    cell._tc.get_or_add_tcPr().append(shd)


def _row_flags(row, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _cell_padding(table) -> None:
    mar = OxmlElement("w:tblCellMar")
    for side, twips in (("top", CELL_PAD_V_TWIPS), ("left", CELL_PAD_TWIPS), ("bottom", CELL_PAD_V_TWIPS),
                        ("right", CELL_PAD_TWIPS)):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:w"), str(twips))
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    table._tbl.tblPr.append(mar)


def _korean_spacing(d) -> None:
    """No automatic gap between Hangul and Latin letters or digits ("서식 3-1", "2026 학년도"): Word and
    LibreOffice add one by default, 한글 does not, and the office's forms are written without it. Lines
    break between words (어절), not inside a Korean word, as in 한글 (w:wordWrap off)."""
    ppr = d.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))  # the schema puts these three before w:spacing
    for tag in ("w:wordWrap", "w:autoSpaceDE", "w:autoSpaceDN"):
        e = OxmlElement(tag)
        e.set(qn("w:val"), "0")
        if spacing is not None:
            spacing.addprevious(e)
        else:
            ppr.append(e)


def _table(d, t: dm.Table) -> None:
    rows = t.all_rows()
    table = d.add_table(rows=len(rows), cols=t.columns)
    table.style = "Table Grid"
    table.autofit = False
    _cell_padding(table)
    total = sum(t.widths)
    widths = [int(BODY_W * w / total) for w in t.widths]
    cells = table._cells  # row-major, computed once (table.cell() recomputes the whole grid per call)
    for col, w in zip(table.columns, widths):
        col.width = w
    for i, cell in enumerate(cells):
        cell.width = widths[i % t.columns]
    for r, row in enumerate(table.rows):
        _row_flags(row, r < len(t.header))
    grid = t.grid()
    for row in grid:  # text first, then merge: python-docx keeps the anchor's content
        for r, c, cell in row:
            target = cells[r * t.columns + c]
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = target.paragraphs[0]
            p.alignment = _ALIGN[cell.align]
            p.paragraph_format.space_after = Pt(0)
            if cell.text:
                _run(p, cell.text, size=t.font_size, bold=cell.bold or cell.tick)
            if cell.shaded:
                _shade(target)
    for row in grid:
        for r, c, cell in row:
            if cell.rowspan > 1 or cell.colspan > 1:
                cells[r * t.columns + c].merge(cells[(r + cell.rowspan - 1) * t.columns + c + cell.colspan - 1])


def write_docx_document(doc: dm.Document, *, progress=NULL_PROGRESS) -> bytes:
    """The document as DOCX bytes."""
    d = new_docx()
    sec = d.sections[0]
    sec.page_width, sec.page_height = PAGE_W, PAGE_H
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = MARGIN
    _set_style_font(d.styles["Normal"], 10)
    _korean_spacing(d)
    for level, size in HEADING_SIZES.items():
        _set_style_font(d.styles[f"Heading {level}"], size, bold=True)
    d.core_properties.title = doc.title
    d.core_properties.author = "SchoolVault"
    header = sec.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(header, doc.header, size=8, color=NOTE_COLOR)
    pending_break = False
    for n, b in enumerate(doc.blocks):
        if isinstance(b, dm.PageBreak):
            pending_break = True
            continue
        if pending_break:
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            pending_break = False
        if isinstance(b, dm.Heading):
            d.add_heading(b.text, level=min(3, b.level))
        elif isinstance(b, dm.Paragraph):
            p = d.add_paragraph()
            if b.style == "title":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(p, b.text, size=18, bold=True)
            elif b.style == "subtitle":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(p, b.text, size=12)
            elif b.style == "note":
                _run(p, b.text, size=8.5, color=NOTE_COLOR)
            else:
                _run(p, b.text, size=10)
        elif isinstance(b, dm.Table):
            _table(d, b)
            if b.caption:
                _run(d.add_paragraph(), b.caption, size=8.5, color=NOTE_COLOR)
        progress.report(n + 1, len(doc.blocks), "워드 문서 쓰는 중")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
