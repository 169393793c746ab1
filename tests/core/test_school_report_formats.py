"""학교평가서 formats: the fast HWPX writer makes what python-hwpx's own calls make, and the three formats
(and LibreOffice's rendering of the DOCX) carry the same grid, findings and item list."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import warnings
import zipfile

import pytest

from schoolvault.reports import docmodel as dm

HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _small_document() -> dm.Document:
    """Spans across rows and columns, a shaded header, a tick, a line break, an empty cell."""
    table = dm.Table(
        widths=(3, 1, 1, 1),
        header=((dm.Cell("영역", rowspan=2, align="c", bold=True, shaded=True),) + dm.head("학생", spans=[3]),
                dm.head("상", "중", "하")),
        rows=((dm.Cell("Ⅰ. 교육과정", rowspan=2), dm.Cell(dm.TICK, align="c"), dm.Cell(), dm.Cell()),
              (dm.Cell("첫 줄\n둘째 줄", colspan=2), dm.Cell("n<5", align="r"))),
    )
    doc = dm.Document(title="시험", header="학교")
    doc.add(dm.Heading("서식3-1"), table, dm.Paragraph("끝", style="note"))
    return doc


def _oracle_hwpx(doc: dm.Document) -> bytes:
    """The same document through python-hwpx's public cell API (merge_cells, set_text, to_bytes), which
    the writer replaced for speed: the slow way, kept here as the reference."""
    from schoolvault.reports.write_hwpx import HEADING_SIZES, _Writer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        w = _Writer()
        for b in doc.blocks:
            if isinstance(b, dm.Heading):
                w.paragraph(b.text, bold=True, size=HEADING_SIZES[b.level])
            elif isinstance(b, dm.Paragraph):
                w.paragraph(b.text, size=8.5, color="#555555")
            elif isinstance(b, dm.Table):
                tb = w.doc.add_table(len(b.all_rows()), b.columns)
                tb.set_column_widths(list(b.widths))
                for row in b.grid():
                    for r, c, cell in row:
                        if cell.rowspan > 1 or cell.colspan > 1:
                            tb.merge_cells(r, c, r + cell.rowspan - 1, c + cell.colspan - 1)
                anchors = {cell.address: cell for tr in tb.rows for cell in tr.cells}
                for row in b.grid():
                    for r, c, cell in row:
                        target = anchors[(r, c)]
                        if cell.text:
                            target.set_text(cell.text)
                        p = target.paragraphs[0]
                        p.para_pr_id_ref = w.align(cell.align)
                        p.char_pr_id_ref = w.run_style(bold=cell.bold or cell.tick, size=b.font_size)
                        if r < len(b.header):
                            target.element.set("header", "1")
                        if cell.shaded:
                            target.element.set("borderFillIDRef", w.shade(tb))
                tb.element.set("repeatHeader", "1")
        return w.doc.to_bytes()


def _section(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("Contents/section0.xml").decode()
    return re.sub(r' id="\d+"', ' id=""', xml)  # paragraph and table ids are random


def test_fast_hwpx_writes_the_xml_python_hwpx_would_and_a_valid_package(tmp_path):
    from hwpx import validate_package

    from schoolvault.reports.write_hwpx import write_hwpx_document
    doc = _small_document()
    ours = write_hwpx_document(doc)
    assert _section(ours) == _section(_oracle_hwpx(doc))
    assert "첫 줄<hp:lineBreak/>둘째 줄" in _section(ours)
    out = tmp_path / "t.hwpx"
    out.write_bytes(ours)
    with zipfile.ZipFile(out) as z:
        assert z.infolist()[0].filename == "mimetype" and z.infolist()[0].compress_type == zipfile.ZIP_STORED
    report = validate_package(str(out))
    assert report.ok, report.summary


def test_section_bytes_equal_python_hwpx_serialisation():
    from hwpx import HwpxDocument

    from schoolvault.reports.write_hwpx import _section_xml
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        d = HwpxDocument.new()
        d.add_paragraph("가나다")
        d.add_table(2, 3).cell(1, 2).set_text("라")
    section = d.oxml.sections[0]
    assert _section_xml(section.element) == section.to_bytes()


# ---------------------------------------------------------------- the same text in every format

@pytest.fixture(scope="module")
def submission(tmp_path_factory, _template_demo_ws):
    """The demo school's 제출용 in the three formats, and the document model they came from."""
    from schoolvault.reports.data import collect
    from schoolvault.reports.school_report import build_document, school_report
    from schoolvault.reports.school_report_view import SUBMISSION, prepare
    from schoolvault.workspace import open_workspace
    d = tmp_path_factory.mktemp("formats")
    shutil.copy(_template_demo_ws, d / "demo.sqlite")
    with open_workspace(d / "demo.sqlite") as ws:
        for suffix in dm.SUFFIXES:
            school_report(ws, d / f"submission{suffix}", kind=SUBMISSION)
        doc = build_document(prepare(ws, collect(ws), SUBMISSION))
    return {"dir": d, "doc": doc}


def _expected_lines(doc: dm.Document) -> dict[str, list[str]]:
    """What each of the three parts must show, from the model: grid rows (영역 and its ticks, n<5),
    findings (구분 and text), the item list (item sentences)."""
    grid, findings, items = doc.tables()[0], doc.tables()[1], doc.tables()[3]
    return {
        "grid": [c.text for row in grid.rows for c in row if c.text and not c.tick],
        "findings": [c.text for row in findings.rows for c in row if c.text],
        "items": [row[3].text for row in items.rows],
    }


# Middle dots go: our PDF prints ‧ as · (Nanum lacks it, REPORTS.md), and LibreOffice draws it from a fallback
# font whose text pypdf extracts out of order.
LOOK_ALIKES = str.maketrans({"‧": "", "·": "", "−": "-"})


def _words(text: str) -> str:
    """Text with every run of white space removed (each format breaks lines in its own places) and without
    middle dots."""
    return re.sub(r"\s+", "", text).translate(LOOK_ALIKES)


def _pdf_text(path) -> str:
    from pypdf import PdfReader
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def _docx_text(path) -> str:
    import docx
    d = docx.Document(str(path))
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            seen = []
            for c in row.cells:  # a merged cell is repeated in every grid column it covers
                if not seen or c._tc is not seen[-1]:
                    out.append(c.text)
                    seen.append(c._tc)
    return "\n".join(out)


def _hwpx_text(path) -> str:
    from hwpx import TextExtractor
    with TextExtractor(str(path)) as ex:
        return ex.extract_text(include_nested=True, object_behavior="nested")


def _check_carries(text: str, doc: dm.Document, label: str) -> None:
    flat = _words(text)
    for part, lines in _expected_lines(doc).items():
        missing = [t for t in lines if _words(t) not in flat]
        assert not missing, f"{label} {part}: {missing[:3]}"
    ticks = sum(1 for row in doc.tables()[0].rows for c in row if c.tick)
    assert ticks >= 9
    if label != "pdf":  # the PDF draws ✔ as a vector mark (Nanum has no such glyph)
        assert text.count(dm.TICK) == ticks, label
    assert not re.search(r"\d\.\d\d", text), f"{label} carries an item mean"


@pytest.mark.parametrize("suffix", dm.SUFFIXES)
def test_every_format_carries_the_grid_findings_and_item_list(submission, suffix):
    path = submission["dir"] / f"submission{suffix}"
    text = {".pdf": _pdf_text, ".docx": _docx_text, ".hwpx": _hwpx_text}[suffix](path)
    _check_carries(text, submission["doc"], suffix[1:])


def libreoffice_pdf(src, outdir) -> None:
    """Convert `src` to PDF in `outdir` with LibreOffice, headless, in a throw-away profile.

    A machine without a Korean font (a CI image) would render Hangul as boxes, so fontconfig is pointed at
    the Nanum fonts SchoolVault ships as well (the DOCX asks for 맑은 고딕; LibreOffice falls back)."""
    from schoolvault.resources import resource_dir
    conf = outdir / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f'<dir>{resource_dir() / "fonts"}</dir><cachedir>{outdir / "fc-cache"}</cachedir></fontconfig>',
                    encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{outdir}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180, env=env)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.slow
def test_libreoffice_renders_the_docx_with_the_grid_findings_and_item_list(submission, tmp_path):
    libreoffice_pdf(submission["dir"] / "submission.docx", tmp_path)
    pdf = tmp_path / "submission.pdf"
    assert pdf.exists()
    _check_carries(_pdf_text(pdf), submission["doc"], "libreoffice")


def test_docx_breaks_korean_between_words_without_a_gap_before_digits(submission):
    import docx
    from docx.oxml.ns import qn
    d = docx.Document(str(submission["dir"] / "submission.docx"))
    ppr = d.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    names = [e.tag.split("}")[1] for e in ppr]
    assert names[:4] == ["wordWrap", "autoSpaceDE", "autoSpaceDN", "spacing"]  # schema order
    assert all(e.get(qn("w:val")) == "0" for e in ppr[:3])
    pads = d.tables[0]._tbl.tblPr.find(qn("w:tblCellMar"))
    assert [(e.tag.split("}")[1], e.get(qn("w:w"))) for e in pads] == [
        ("top", "30"), ("left", "70"), ("bottom", "30"), ("right", "70")]  # the schema's order
