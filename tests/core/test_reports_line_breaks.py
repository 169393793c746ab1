"""Korean lines break between words (어절), as 한글 does, in every PDF: never "정하/였다"."""

from __future__ import annotations

import itertools

from pypdf import PdfReader

from schoolvault import services

# Words of every length, punctuation attached as typed; 교수·학습 is one word.
SENTENCE = ("학년 협의회를 매주 열어 교수·학습 방법을 함께 정하였다. 학생 참여 중심 수업을 위하여 "
            "교육과정 재구성 결과를 공유하고, 평가 계획을 학부모에게 안내하였다. ")
LONG_TEXT = SENTENCE * 8


def _words(*texts: str) -> set[str]:
    return {w for t in texts for w in t.split() if len(w) > 1}


def mid_word_breaks(pdf, words: set[str]) -> list[str]:
    """Line ends that cut one of `words` in two: the last token of a line + the first of the next."""
    out = []
    for page in PdfReader(str(pdf)).pages:
        lines = [ln.split() for ln in page.extract_text().splitlines() if ln.strip()]
        for a, b in itertools.pairwise(lines):
            if a[-1] + b[0] in words:
                out.append(f"{a[-1]}/{b[0]}")
    return out


def test_the_checker_sees_a_word_cut_in_two(tmp_path):
    """The check itself: reportlab's CJK wrapping (the old behaviour) is caught."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from schoolvault.reports.fonts import register_fonts
    style = ParagraphStyle("cjk", fontName=register_fonts()[0], fontSize=9.5, leading=14, wordWrap="CJK")
    SimpleDocTemplate(str(tmp_path / "cjk.pdf")).build([Paragraph(LONG_TEXT, style)])
    assert mid_word_breaks(tmp_path / "cjk.pdf", _words(LONG_TEXT))


def test_evaluation_report_breaks_lines_between_words(demo_ws, tmp_path):
    from schoolvault.reports.evaluation_report import evaluation_report
    code = services.self_eval_list(demo_ws)[0]["indicator"]
    services.self_eval_set(demo_ws, code, achievements=LONG_TEXT, improvements=LONG_TEXT)
    pdf = evaluation_report(demo_ws, tmp_path / "r.pdf")["file"]
    titles = [i["title"] for i in services.self_eval_list(demo_ws)]
    assert not mid_word_breaks(pdf, _words(LONG_TEXT, *titles))


def test_sodi_report_breaks_item_texts_between_words(demo_ws, tmp_path):
    from schoolvault.reports.sodi_report import sodi_report
    info = sodi_report(demo_ws, tmp_path / "s.pdf")
    survey = services.survey(demo_ws, info["instrument"])
    texts = [item.text for f in survey.factors() for item in f.items]
    assert texts
    assert not mid_word_breaks(info["file"], _words(*texts))


def test_the_school_report_writer_uses_the_same_rule(tmp_path):
    from schoolvault.reports import docmodel as dm
    from schoolvault.reports.writers import write_document
    doc = dm.Document("학교평가서", "학교")
    doc.add(dm.Paragraph(LONG_TEXT),
            dm.Table((1, 3), (dm.head("구분", "내용"),), ((dm.Cell("우수한 점"), dm.Cell(LONG_TEXT)),)))
    out = write_document(doc, tmp_path / "d.pdf")["file"]
    assert not mid_word_breaks(out, _words(LONG_TEXT))


def test_a_word_longer_than_the_line_is_still_split_not_overflowing():
    from reportlab.platypus import Paragraph

    from schoolvault.reports.pdf_common import paragraph_style
    p = Paragraph("가" * 60 + " 끝", paragraph_style("t", 9))
    p.wrap(100, 1000)
    assert len(p.blPara.lines) >= 3
    assert all(line[0] <= 100 + 0.01 for line in p.blPara.lines if isinstance(line, tuple))
