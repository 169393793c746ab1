"""학교평가서 교내 보관용: the comment themes table (issue 17); the 제출용 quotes no comment."""

from __future__ import annotations

import shutil

import pytest

from schoolvault.masking import PLACEHOLDERS, mask_personal

SURVEY = "seoul-eval-survey-2025"
# A theme the demo never writes about, planted in 학부모 and 학생 answers; half of it carries personal data.
PLANTED = [
    "수영장 수업을 더 늘려 주세요", "수영장 물이 너무 차가워요", "수영장 탈의실이 좁아요",
    "수영장 안전요원이 더 필요해요", "수영장 수업 시간이 짧아요", "수영장 셔틀버스를 운영해 주세요",
    "김민준 선생님께 수영장 문의는 010-1234-5678로 연락 주세요", "수영장 건의는 parent.kim@naver.com 으로 보냅니다",
    "수영장 수업 안내를 010-9876-5432로 문자 주세요", "수영장 수업 문의는 swim.mom@daum.net 입니다",
    "수영장 물 온도를 올려 주세요", "수영장 탈의실 청소를 자주 해 주세요",
]
PERSONAL_BITS = ["김민준", "010-1234-5678", "parent.kim", "naver.com", "010-9876-5432", "swim.mom", "daum.net"]
SMALL_ONLY = "직원만 쓰는 주차장 수영장 의견입니다"  # the only comment of a 3-person group


def _plant(ws) -> None:
    """Planted comments on existing 학년말 respondents; 직원 cut to 3 respondents who all comment."""
    adm = dict(ws.conn.execute(
        "SELECT a.grp, a.id FROM administrations a JOIN instruments i ON i.id = a.instrument_ref "
        "WHERE i.instrument_id = ? AND a.period = '학년말'", (SURVEY,)).fetchall())
    with ws.transaction():
        ws.conn.execute("DELETE FROM respondents WHERE administration_id = ? AND id NOT IN (SELECT id FROM "
                        "respondents WHERE administration_id = ? ORDER BY id LIMIT 3)", (adm["직원"], adm["직원"]))
        for n, text in enumerate(PLANTED):
            grp = "학부모" if n % 2 else "학생"
            rid = ws.conn.execute("SELECT id FROM respondents WHERE administration_id = ? ORDER BY id LIMIT 1 "
                                  "OFFSET ?", (adm[grp], 40 + n)).fetchone()[0]
            ws.conn.execute("INSERT INTO comments (respondent_id, question, text) VALUES (?, 'O1', ?)", (rid, text))
        for rid, in ws.conn.execute("SELECT id FROM respondents WHERE administration_id = ?", (adm["직원"],)).fetchall():
            ws.conn.execute("INSERT INTO comments (respondent_id, question, text) VALUES (?, 'O1', ?)",
                            (rid, SMALL_ONLY))


@pytest.fixture(scope="module")
def written(tmp_path_factory, _template_demo_ws):
    from schoolvault.reports.data import collect
    from schoolvault.reports.school_report import school_report
    from schoolvault.reports.school_report_view import INTERNAL, prepare
    from schoolvault.workspace import open_workspace, responses
    d = tmp_path_factory.mktemp("school_report_themes")
    path = d / "demo.sqlite"
    shutil.copy(_template_demo_ws, path)
    out = {"dir": d}
    with open_workspace(path) as ws:
        _plant(ws)
        for kind, suffix in (("internal", ".docx"), ("internal", ".pdf"), ("submission", ".docx")):
            school_report(ws, d / f"{kind}{suffix}", kind=kind)
        out["view"] = prepare(ws, collect(ws), INTERNAL)
        adms = [a.id for a in responses.administrations(ws, out["view"].year)]
        out["raw"] = [r[3] for r in responses.comment_rows(ws, adms)]
    return out


def _docx_text(path) -> str:
    import docx
    d = docx.Document(str(path))
    return "\n".join([p.text for p in d.paragraphs]
                     + [c.text for t in d.tables for row in t.rows for c in row.cells])


def _theme_table(path):
    import docx
    for t in docx.Document(str(path)).tables:
        rows = [[c.text for c in row.cells] for row in t.rows]
        if rows[0][:3] == ["주제", "핵심어", "의견 수"]:
            return rows
    raise AssertionError("no themes table")


def test_internal_docx_has_the_themes_heading_and_the_planted_theme(written):
    import docx
    d = docx.Document(str(written["dir"] / "internal.docx"))
    assert "서술형 의견 주제" in [p.text for p in d.paragraphs]
    rows = _theme_table(written["dir"] / "internal.docx")
    assert rows[0][-1] == "대표 의견" and {"학생", "학부모", "직원"} <= set(rows[0])
    planted = [r for r in rows[1:] if "수영장" in r[0]]
    assert planted, [r[0] for r in rows]
    assert any("수영장" in r[-1] for r in planted)  # quoted


def test_internal_pdf_has_the_themes_table(written):
    from pypdf import PdfReader
    text = "\n".join(p.extract_text() for p in PdfReader(str(written["dir"] / "internal.pdf")).pages)
    squeezed = "".join(text.split())
    assert "서술형의견주제" in squeezed and "수영장" in squeezed
    for bit in PERSONAL_BITS:
        assert bit not in text


def test_theme_output_is_masked(written):
    """Every quote is a raw comment with mask_personal applied; no personal bit reaches the files."""
    masked = {mask_personal(t) for t in written["raw"]}
    quotes = [text for st in written["view"].themes for r in st.themes for _, text in r.quotes]
    assert quotes and all(q in masked for q in quotes)
    text = _docx_text(written["dir"] / "internal.docx")
    for bit in PERSONAL_BITS:
        assert all(bit not in q for q in quotes)
        assert bit not in text
    planted = [q for q in quotes if "수영장" in q]
    assert any(p in q for q in planted for p in PLACEHOLDERS if p != "○"), planted  # masked ones are quoted


def test_small_group_is_n_below_5_and_never_quoted(written):
    """docs/THEMES.md's rule (themes.publishable) applies in the 교내 보관용 too."""
    rows = _theme_table(written["dir"] / "internal.docx")
    col = rows[0].index("직원")
    assert all(r[col] in ("n<5", "0") for r in rows[1:])
    assert any(r[col] == "n<5" for r in rows[1:])
    body = "\n".join(r[-1] for r in rows[1:])
    assert "[직원]" not in body and "주차장" not in body
    for r in rows[1:]:  # no quote from a hidden cell; the count column adds only the cells shown
        for g in ("교원", "직원", "학생", "학부모"):
            if g in rows[0] and r[rows[0].index(g)] == "n<5":
                assert f"[{g}]" not in r[-1]
        shown = [int(v) for v in r[3:-1] if v.isdigit()]
        assert int(r[2]) == sum(shown)


def test_submission_quotes_no_comment(written):
    text = _docx_text(written["dir"] / "submission.docx")
    assert "서술형 의견 주제" not in text and "대표 의견" not in text
    long_ones = [t for t in written["raw"] if len(t) >= 10]
    assert len(long_ones) > 20
    for t in long_ones:
        assert t not in text and mask_personal(t) not in text


def test_no_comments_no_section_and_no_kiwi(demo_ws, monkeypatch):
    from schoolvault import themes
    from schoolvault.reports.data import collect
    from schoolvault.reports.school_report import build_document
    from schoolvault.reports.school_report_view import INTERNAL, prepare

    def boom():
        raise AssertionError("Kiwi loaded without comments")
    monkeypatch.setattr(themes, "tokenizer", boom)
    with demo_ws.transaction():
        demo_ws.conn.execute("DELETE FROM comments")
    view = prepare(demo_ws, collect(demo_ws), INTERNAL)
    assert view.themes == []
    assert "서술형 의견 주제" not in build_document(view).text()
