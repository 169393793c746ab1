"""A4 report scaffolding shared by every PDF: styles, running header, page numbers, a table of
contents, tables that split cleanly across pages, and an atomic write.

Headings made with `h1`/`h2`/`h3` feed the table of contents and the PDF outline (bookmarks).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..errors import SchoolVaultError
from ..progress import NULL_PROGRESS
from .atomic import replace_file
from .fonts import printable, register_fonts

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 18 * mm
BODY_W = PAGE_W - 2 * MARGIN_X

INK = colors.HexColor("#1F2937")
MUTED = colors.HexColor("#6B7280")
ACCENT = colors.HexColor("#1F4E8C")
HEAD_BG = colors.HexColor("#E8EEF7")
ZEBRA = colors.HexColor("#F7F9FC")
RULE = colors.HexColor("#B8C4D6")
LABEL_BG = colors.HexColor("#F1F4F9")


_ALIGN = {"l": TA_LEFT, "c": TA_CENTER, "r": TA_RIGHT}


def paragraph_style(name: str, size: float, *, bold: bool = False, align: str = "l", color=INK,
                    leading: float | None = None, space_after: float = 0) -> ParagraphStyle:
    """A paragraph style whose lines break between words (어절), as 한글 does.

    reportlab's wordWrap="CJK" breaks Korean anywhere ("정하/였다"); without it lines break at spaces
    only, and splitLongWords still splits a word longer than the whole line rather than letting it
    overflow. Every PDF style derives from one made here, so this is the one place of that rule.
    """
    font, bold_font = register_fonts()
    return ParagraphStyle(name, fontName=bold_font if bold else font, fontSize=size,
                          leading=size * 1.45 if leading is None else leading, textColor=color,
                          alignment=_ALIGN[align], wordWrap=None, splitLongWords=1, spaceAfter=space_after)


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    bold = register_fonts()[1]
    base = paragraph_style("body", 9.5, leading=14.5, space_after=4)
    s = {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.3, leading=11.2, spaceAfter=0),
        "cell_r": ParagraphStyle("cell_r", parent=base, fontSize=8.3, leading=11.2, spaceAfter=0, alignment=TA_RIGHT),
        "cell_c": ParagraphStyle("cell_c", parent=base, fontSize=8.3, leading=11.2, spaceAfter=0, alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=8.3, leading=11, spaceAfter=0,
                               alignment=TA_CENTER),
        "H1": ParagraphStyle("H1", parent=base, fontName=bold, fontSize=15, leading=20, spaceBefore=4,
                             spaceAfter=8, textColor=ACCENT),
        "H2": ParagraphStyle("H2", parent=base, fontName=bold, fontSize=12, leading=16, spaceBefore=10,
                             spaceAfter=5, textColor=ACCENT),
        "H3": ParagraphStyle("H3", parent=base, fontName=bold, fontSize=10.5, leading=14, spaceBefore=8,
                             spaceAfter=4),
        "label": ParagraphStyle("label", parent=base, fontName=bold, fontSize=8.3, leading=11.2, spaceAfter=0),
        "cover_title": ParagraphStyle("cover_title", parent=base, fontName=bold, fontSize=24, leading=32,
                                      alignment=TA_CENTER, textColor=ACCENT),
        "cover_sub": ParagraphStyle("cover_sub", parent=base, fontSize=13, leading=19, alignment=TA_CENTER),
        "cover_school": ParagraphStyle("cover_school", parent=base, fontName=bold, fontSize=18, leading=24,
                                       alignment=TA_CENTER),
        "toc1": ParagraphStyle("toc1", parent=base, fontName=bold, fontSize=10, leading=16, leftIndent=0),
        "toc2": ParagraphStyle("toc2", parent=base, fontSize=9, leading=13.5, leftIndent=14),
        "toc3": ParagraphStyle("toc3", parent=base, fontSize=8.5, leading=12, leftIndent=28, textColor=MUTED),
    }
    return s


def esc(text) -> str:
    """Plain text → paragraph markup (escape &, <, >; keep line breaks)."""
    if text is None:
        return ""
    return escape(printable(str(text))).replace("\n", "<br/>")


def para(text, style: str = "body") -> Paragraph:
    return Paragraph(esc(text), styles()[style])


def markup(text: str, style: str = "body") -> Paragraph:
    """A paragraph from already-escaped markup (narrative templates)."""
    return Paragraph(printable(text), styles()[style])


class _Heading(Paragraph):
    def __init__(self, text: str, level: int, toc: bool = True):
        super().__init__(esc(text), styles()[f"H{level}"])
        self.toc_level = level - 1
        self.toc_text = text
        self.in_toc = toc


def h1(text: str, toc: bool = True) -> Paragraph:
    return _Heading(text, 1, toc)


def h2(text: str, toc: bool = True) -> Paragraph:
    return _Heading(text, 2, toc)


def h3(text: str, toc: bool = True) -> Paragraph:
    return _Heading(text, 3, toc)


def fmt_num(v, digits: int = 2) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def fmt_pct(v) -> str:
    return "–" if v is None else f"{v * 100:.0f}%"


def fmt_score(v) -> str:
    return "–" if v is None else f"{v:.1f}"


def table(header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[float], *,
          align: str | Sequence[str] = "l", font_size: float | None = None, zebra: bool = True,
          spans: Sequence[int] = (), bold_rows: Sequence[int] = ()) -> Table:
    """A data table: header repeated on every page, cells wrapped, rows never cut in half.

    align: one letter per column (l, r, c). `spans` are row indexes (0-based, data rows) that are
    section captions spanning the full width; `bold_rows` are emphasised (e.g. totals).
    """
    st = styles()
    if isinstance(align, str):
        align = align * len(widths) if len(align) == 1 else align
    cell_style = {"l": st["cell"], "r": st["cell_r"], "c": st["cell_c"]}
    if font_size:
        cell_style = {k: ParagraphStyle(f"{v.name}_{font_size}", parent=v, fontSize=font_size,
                                        leading=font_size * 1.35) for k, v in cell_style.items()}
    font, bold = register_fonts()
    size = cell_style["r"].fontSize
    hs = st["head"]
    data = [[printable(h) if stringWidth(printable(h), bold, hs.fontSize) <= widths[c] - 8 else Paragraph(esc(h), hs)
             for c, h in enumerate(header)]]
    for r, row in enumerate(rows):
        if r in spans:
            data.append([Paragraph(f"<b>{esc(row[0])}</b>", st["cell"])] + [""] * (len(widths) - 1))
            continue
        cells = []
        for c, v in enumerate(row):
            if isinstance(v, Flowable):
                cells.append(v)
                continue
            text = printable("" if v is None else str(v))
            if align[c] != "l" and "\n" not in text and stringWidth(text, font, size) <= widths[c] - 8:
                cells.append(text)  # a number or short label: a plain cell, no paragraph layout needed
                continue
            text = escape(text).replace("\n", "<br/>")
            if r in bold_rows:
                text = f"<b>{text}</b>"
            cells.append(Paragraph(text, cell_style[align[c]]))
        data.append(cells)
    t = Table(data, colWidths=list(widths), repeatRows=1, splitByRow=1, splitInRow=1)  # a long text may span pages
    cmds = [
        ("FONTNAME", (0, 0), (-1, 0), bold),
        ("FONTSIZE", (0, 0), (-1, 0), hs.fontSize),
        ("LEADING", (0, 0), (-1, 0), hs.leading),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEABOVE", (0, 0), (-1, 0), 0.9, ACCENT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.9, ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("FONTNAME", (0, 1), (-1, -1), font),
        ("FONTSIZE", (0, 1), (-1, -1), size),
        ("LEADING", (0, 1), (-1, -1), cell_style["r"].leading),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
    ]
    for c, a in enumerate(align):
        if a != "l":
            cmds.append(("ALIGN", (c, 1), (c, -1), "RIGHT" if a == "r" else "CENTER"))
    for r in bold_rows:
        cmds.append(("FONTNAME", (0, r + 1), (-1, r + 1), bold))
    if zebra:
        for r in range(1, len(data)):
            if r % 2 == 0:
                cmds.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
    for r in spans:
        cmds += [("SPAN", (0, r + 1), (-1, r + 1)), ("BACKGROUND", (0, r + 1), (-1, r + 1), LABEL_BG),
                 ("LINEABOVE", (0, r + 1), (-1, r + 1), 0.4, RULE)]
    t.setStyle(TableStyle(cmds))
    return t


def kv_table(pairs: Sequence[tuple[str, object]], widths: Sequence[float] = (32 * mm, BODY_W - 32 * mm)) -> Table:
    """Label | text rows (an indicator's evidence, achievements …); rows split across pages."""
    st = styles()
    bold = register_fonts()[1]
    data = [[printable(k), v if isinstance(v, Flowable) else Paragraph(esc(v) or "–", st["cell"])] for k, v in pairs]
    t = Table(data, colWidths=list(widths), splitByRow=1, splitInRow=1)  # a long text may span pages
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (0, -1), bold),
        ("FONTSIZE", (0, 0), (0, -1), st["label"].fontSize),
        ("LEADING", (0, 0), (0, -1), st["label"].leading),
        ("TEXTCOLOR", (0, 0), (0, -1), INK),
        ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
    ]))
    return t


def box(flowables: list, width: float = BODY_W, bg=ZEBRA) -> Table:
    """A shaded box around a few paragraphs (summary callouts)."""
    t = Table([[flowables]], colWidths=[width])
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), bg), ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                           ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                           ("TOPPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return t


def signature_block(roles: Sequence[str], date_text: str) -> list:
    """결재란: one signature box per role, then the date line."""
    st = styles()
    w = min(30 * mm, BODY_W / max(1, len(roles)))
    data = [[Paragraph(esc(r), st["head"]) for r in roles], [""] * len(roles)]
    t = Table(data, colWidths=[w] * len(roles), rowHeights=[7 * mm, 18 * mm], hAlign="RIGHT")
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, INK), ("BACKGROUND", (0, 0), (-1, 0), LABEL_BG),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [t, Spacer(1, 4 * mm), para(date_text, "cell_r")]


class ReportDoc(BaseDocTemplate):
    """A4 document: a cover page template without header, then body pages with running header,
    page numbers and TOC/outline entries from h1–h3."""

    def __init__(self, target, *, title: str, header_right: str, author: str = "SchoolVault",
                 toc_levels: int = 2, progress=NULL_PROGRESS, first: str = "cover"):
        super().__init__(target, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, title=title, author=author, creator="SchoolVault",
                         subject=title, initialFontName=register_fonts()[0])
        self.report_title = title
        self.header_right = header_right
        self.toc_levels = toc_levels
        self._progress = progress
        self._heading_seq = 0
        self._outline_level = -1
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates = [PageTemplate("cover", [frame], onPage=self._cover_page),
                     PageTemplate("body", [frame], onPage=self._body_page)]
        self.addPageTemplates(templates if first == "cover" else templates[::-1])  # the first one starts

    def _cover_page(self, canv, doc) -> None:
        canv.saveState()
        canv.setFillColor(ACCENT)
        canv.rect(0, PAGE_H - 16 * mm, PAGE_W, 16 * mm, stroke=0, fill=1)
        canv.rect(0, 0, PAGE_W, 6 * mm, stroke=0, fill=1)
        canv.restoreState()

    def _body_page(self, canv, doc) -> None:
        font, _ = register_fonts()
        canv.saveState()
        canv.setFont(font, 7.5)
        canv.setFillColor(MUTED)
        y = PAGE_H - MARGIN_TOP + 7 * mm
        canv.drawString(MARGIN_X, y, printable(self.report_title))
        canv.drawRightString(PAGE_W - MARGIN_X, y, printable(self.header_right))
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, y - 2.5 * mm, PAGE_W - MARGIN_X, y - 2.5 * mm)
        canv.setFont(font, 8)
        canv.drawCentredString(PAGE_W / 2, 9 * mm, f"- {doc.page} -")
        canv.restoreState()

    def handle_pageBegin(self):
        super().handle_pageBegin()
        self._progress.report(self.page, 0, "보고서 쪽 만드는 중")

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, _Heading) and flowable.in_toc:
            self._heading_seq += 1
            key = getattr(flowable, "toc_key", None) or f"h{self._heading_seq}"
            self.canv.bookmarkPage(key)
            # the PDF outline cannot skip a level (h1 → h3)
            level = min(flowable.toc_level, self._outline_level + 1)
            self._outline_level = level
            self.canv.addOutlineEntry(flowable.toc_text, key, level=level, closed=level > 0)
            self.toc_pages[key] = self.page

    def _startBuild(self, *args, **kwargs):
        self._outline_level = -1
        self._heading_seq = 0
        self.toc_pages: dict[str, int] = {}
        return super()._startBuild(*args, **kwargs)


TOC_LINE = (17.0, 14.0, 12.5)  # line height per TOC level
TOC_FIRST_PAGE_SPACE = 32.0    # the 차례 heading above the entries


class TocPart(Flowable):
    """One page of the table of contents, drawn in a single build pass.

    The entries (level, text, key) are known before the build, so the part links each line to its
    heading's bookmark when the page is laid out; the page numbers are only known at the end, so
    the part draws a PDF form XObject that is filled in just before the file is saved.
    """

    def __init__(self, doc: ReportDoc, entries: list, index: int):
        super().__init__()
        self.doc, self.entries, self.index = doc, entries, index
        self.form = f"svtoc{index}"

    def wrap(self, aw, ah):
        self.width, self.height = aw, ah
        return aw, ah

    def draw(self):
        canv = self.canv
        y = self.height
        for level, _text, key in self.entries:
            y -= TOC_LINE[level]
            canv.linkRect("", key, (0, y - 2, self.width, y + TOC_LINE[level] - 4), relative=1, thickness=0)
        canv.doForm(self.form)
        self.doc.toc_forms.append((self.form, self.width, self.height, self.entries))


def _toc_headings(flowables) -> list:
    """Headings in story order, also inside KeepTogether blocks."""
    out = []
    for f in flowables:
        if isinstance(f, _Heading):
            out.append(f)
        elif isinstance(f, KeepTogether):
            out += _toc_headings(f._content)
    return out


class _TocMarker(Flowable):
    """Where `toc()` puts the contents; replaced by TocPart pages in `build`."""

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        pass


def toc() -> list:
    return [h1("차례", toc=False), _TocMarker()]


def _draw_toc_forms(doc: ReportDoc, canv) -> None:
    font, bold = register_fonts()
    for name, width, height, entries in doc.toc_forms:
        canv.beginForm(name, 0, 0, width, height)
        y = height
        for level, text, key in entries:
            y -= TOC_LINE[level]
            size = (10, 9, 8.5)[level]
            face = bold if level == 0 else font
            indent = (0, 14, 28)[level]
            page = str(doc.toc_pages.get(key, ""))
            pw = stringWidth(page, font, size)
            shown = printable(text)
            room = width - indent - pw - 24
            while shown and stringWidth(shown, face, size) > room:
                shown = shown[:-2] + "…"
            canv.setFillColor(INK if level < 2 else MUTED)
            canv.setFont(face, size)
            canv.drawString(indent, y + 3, shown)
            canv.setFont(font, size)
            canv.drawRightString(width, y + 3, page)
            tw = stringWidth(shown, face, size)
            canv.setStrokeColor(RULE)
            canv.setDash(0.6, 2.4)
            canv.setLineWidth(0.8)
            canv.line(indent + tw + 6, y + 3.5, width - pw - 6, y + 3.5)
            canv.setDash()
        canv.endForm()


def cover(title: str, subtitle: str, school: str, rows: Sequence[tuple[str, str]], note: str = "") -> list:
    """Cover page flowables, ending with the switch to body pages."""
    st = styles()
    out: list = [Spacer(1, 45 * mm), Paragraph(esc(title), st["cover_title"]), Spacer(1, 6 * mm),
                 Paragraph(esc(subtitle), st["cover_sub"]), Spacer(1, 38 * mm),
                 Paragraph(esc(school), st["cover_school"]), Spacer(1, 10 * mm)]
    data = [[Paragraph(esc(k), st["label"]), Paragraph(esc(v), st["cell"])] for k, v in rows]
    t = Table(data, colWidths=[30 * mm, 70 * mm])
    t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("TOPPADDING", (0, 0), (-1, -1), 5),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    out.append(t)
    if note:
        out += [Spacer(1, 30 * mm), Paragraph(esc(note), ParagraphStyle("cn", parent=st["small"],
                                                                        alignment=TA_CENTER))]
    out += [NextPageTemplate("body"), PageBreak()]
    return out


def keep(*flowables) -> KeepTogether:
    return KeepTogether(list(flowables))


def new_page_if_short(height_mm: float) -> CondPageBreak:
    return CondPageBreak(height_mm * mm)


def build(doc: ReportDoc, story: list, *, with_toc: bool = True) -> None:
    """Lay out and write the document in one pass (the contents page is filled in at the end)."""
    doc.toc_forms = []
    if any(isinstance(f, _TocMarker) for f in story):
        entries, heads = [], _toc_headings(story)
        for n, hd in enumerate(heads):
            if hd.in_toc:
                hd.toc_key = f"h{n}"
                if hd.toc_level < doc.toc_levels:
                    entries.append((hd.toc_level, hd.toc_text, hd.toc_key))
        usable = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
        parts: list[list] = [[]]
        room = usable - TOC_FIRST_PAGE_SPACE
        for e in entries:
            if TOC_LINE[e[0]] > room:
                parts.append([])
                room = usable
            parts[-1].append(e)
            room -= TOC_LINE[e[0]]
        pages: list = []
        for i, part in enumerate(parts):
            if i:
                pages.append(PageBreak())
            pages.append(TocPart(doc, part, i))
        at = next(i for i, f in enumerate(story) if isinstance(f, _TocMarker))
        story = story[:at] + pages + story[at + 1:]
    doc.build(story, canvasmaker=_canvas_for(doc))


def _canvas_for(doc: ReportDoc):
    from reportlab.pdfgen.canvas import Canvas

    class _Canvas(Canvas):
        def save(self):
            if doc.toc_forms:
                _draw_toc_forms(doc, self)
            super().save()

    return _Canvas


def write_pdf(path: str | Path, make) -> dict:
    """Build into memory, then replace `path` atomically: a cancelled or failed build leaves no
    half-written file. `make(buffer)` builds the document and returns the page count."""
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise SchoolVaultError(f"PDF 파일 이름이 아닙니다: {path.name}", hint="파일 이름을 .pdf로 끝내세요.")
    if not path.parent.exists():
        raise SchoolVaultError("저장할 폴더가 없습니다.", where=str(path.parent), hint="폴더를 먼저 만드세요.")
    buf = io.BytesIO()
    pages = make(buf)
    data = buf.getvalue()
    replace_file(path, data)
    return {"file": str(path), "pages": pages, "bytes": len(data)}


def write_report(path: str | Path, story: list, *, title: str, header_right: str, toc_levels: int = 2,
                 progress=NULL_PROGRESS) -> dict:
    """Lay `story` out as a report (cover first, running header `header_right`, contents down to
    `toc_levels`) and write it to `path` through `write_pdf`. Returns {"file", "pages", "bytes"}."""
    def make(buf) -> int:
        doc = ReportDoc(buf, title=title, header_right=header_right, toc_levels=toc_levels, progress=progress)
        build(doc, story)
        return doc.page

    return write_pdf(path, make)
