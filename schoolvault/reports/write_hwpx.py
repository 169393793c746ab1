"""HWPX writer of a `docmodel.Document` (python-hwpx): real 한글 tables (hp:tbl) with merged cells.

Schools edit the 학교평가서 in 한글 before it goes out, so every table is a table, header rows repeat on each
page, and long tables flow across pages (a table laid out as a character never breaks in 한글). Headings are
bold paragraphs, not 개요 styles: 한글 would number them again ("1. 서식3-1 …").

Speed: python-hwpx builds the styles and each table's first row; the cells are cloned straight into the XML
and the package is zipped here, without the library's per-save editor-open validation (over a second on the
교내 보관용). The output is the XML python-hwpx's own calls made (compared in tests/core/test_school_report.py),
and the tests run `hwpx.validate_package` on it.
"""

from __future__ import annotations

import io
import logging
import random
import re
import warnings
import zipfile
from copy import deepcopy

from ..errors import SchoolVaultError
from ..progress import NULL_PROGRESS
from . import docmodel as dm

HEADING_SIZES = {1: 14, 2: 12, 3: 11}
SHADE = "#E8ECF2"
HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
MIMETYPE = "mimetype"
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
        """A real hp:tbl, cells written straight into the XML.

        python-hwpx's cell API (merge_cells, set_text) rebuilds the table's whole grid on every call, which
        cost most of a second on the 교내 보관용. Here python-hwpx makes a one-row table at the right widths
        and each row is cloned from that row's cells: a merged anchor gets cellSpan and the summed cellSz,
        and covered cells are left out of their row, as 한글 itself writes merges."""
        rows = t.grid()
        tb = self.doc.add_table(1, t.columns)
        tb.set_column_widths(list(t.widths))
        tbl = tb.element
        first = tbl.find(f"{HP}tr")
        protos = first.findall(f"{HP}tc")
        widths = [int(tc.find(f"{HP}cellSz").get("width")) for tc in protos]
        height = int(protos[0].find(f"{HP}cellSz").get("height"))
        tbl.remove(first)
        size = t.font_size
        for placed in rows:
            if not placed:
                raise ValueError("a table row covered entirely by spans from above")
            tr = tbl.makeelement(f"{HP}tr", {})
            tbl.append(tr)
            for r, c, cell in placed:
                tc = deepcopy(protos[c])
                tc.set("header", "1" if r < len(t.header) else "0")
                if cell.shaded:
                    tc.set("borderFillIDRef", self.shade(tb))
                tc.find(f"{HP}cellAddr").attrib.update({"colAddr": str(c), "rowAddr": str(r)})
                tc.find(f"{HP}cellSpan").attrib.update({"colSpan": str(cell.colspan), "rowSpan": str(cell.rowspan)})
                tc.find(f"{HP}cellSz").attrib.update({"width": str(sum(widths[c:c + cell.colspan])),
                                                      "height": str(height * cell.rowspan)})
                p = tc.find(f"{HP}subList/{HP}p")
                p.set("id", _paragraph_id())
                p.set("paraPrIDRef", self.align(cell.align))
                run = p.find(f"{HP}run")
                run.set("charPrIDRef", self.run_style(bold=cell.bold or cell.tick, size=size))
                if cell.text:  # as python-hwpx marks an edited cell: 한글 lays it out again
                    tc.set("dirty", "1")
                    _set_text(run.find(f"{HP}t"), cell.text)
                tr.append(tc)
        tbl.set("rowCnt", str(len(rows)))
        tbl.find(f"{HP}sz").set("height", str(height * len(rows)))
        tb.mark_dirty()
        if t.header:
            tbl.set("repeatHeader", "1")
        if len(rows) > FLOW_ROWS:
            tb.set_treat_as_char(False)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")  # not allowed in XML; a line break becomes hp:lineBreak


def _set_text(t, text: str) -> None:
    """`text` as the content of an empty hp:t, a line break as hp:lineBreak (as 한글 writes it)."""
    lines = _CONTROL.sub("", text.replace("\t", " ")).split("\n")
    t.text = lines[0]
    for line in lines[1:]:
        br = t.makeelement(f"{HP}lineBreak", {})
        br.tail = line
        t.append(br)


def _paragraph_id() -> str:
    return str(random.getrandbits(31))


def _section_xml(root) -> bytes:
    """A section part as python-hwpx writes it (every namespace declared on the root, as 한글 does), by lxml.

    python-hwpx serialises through xml.etree and parses the result again (0.4 s for the 교내 보관용); the
    bytes are the same (a test compares them), tabs aside, which `_set_text` never leaves in a cell."""
    from hwpx.oxml.namespaces import HWPML_COMPAT_ROOT_NAMESPACES
    from lxml import etree  # type: ignore[import-untyped]
    wrapped = etree.Element(root.tag, nsmap=HWPML_COMPAT_ROOT_NAMESPACES)
    wrapped.attrib.update(root.attrib)
    wrapped.text = root.text
    children = list(root)
    wrapped.extend(children)
    try:
        return etree.tostring(wrapped, encoding="UTF-8", xml_declaration=True, standalone=True)
    finally:
        root.extend(children)


def _archive(doc) -> bytes:
    """The package as bytes: the changed parts serialised, mimetype first and stored.

    python-hwpx's own save runs its editor-open validation on every save (about a second for the 교내
    보관용); the tests run `hwpx.validate_package` on what this writes instead."""
    ours = [s for s in doc.oxml.sections if s.dirty]
    for section in ours:
        section.reset_dirty()
    parts = {name: doc.package.get_part(name) for name in doc.package.part_names()}
    updates = doc.oxml.serialize()
    for section in ours:  # unless python-hwpx found something to change in it after all
        updates.setdefault(section.part_name, _section_xml(section.element))
    parts.update(updates)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo(MIMETYPE), parts.pop(MIMETYPE), compress_type=zipfile.ZIP_STORED)
        for name in sorted(parts, key=lambda n: (not n.startswith(("version", "Contents/")), n)):
            z.writestr(name, parts[name], compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def write_hwpx_document(doc: dm.Document, *, progress=NULL_PROGRESS) -> bytes:
    """The document as HWPX bytes (python-hwpx's template, styles and tables; the tests validate the package).

    Raises SchoolVaultError when the library refuses to serialise a part (a bug, but never a broken file)."""
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
        try:
            return _archive(w.doc)
        except HwpxError as e:
            log.error("hwpx serialisation refused: %s", e)
            raise SchoolVaultError("한글(HWPX) 문서를 만들지 못했습니다.",
                                   hint="DOCX나 PDF로 만들어 보시고, 이 문제를 개발자에게 알려 주세요.") from e
