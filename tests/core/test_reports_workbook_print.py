"""The consultant workbook prints sensibly: every sheet fitted to the page width with its title rows
repeated, wide sheets landscape, raw answers compact; a text longer than Excel's row limit is not cut."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from schoolvault import services

ROW_LIMIT = 409  # points: Excel's highest row


@pytest.fixture(scope="module")
def book(_template_demo_ws, tmp_path_factory):
    import shutil

    from schoolvault.reports.workbook import export_workbook
    from schoolvault.workspace import open_workspace
    d = tmp_path_factory.mktemp("wbprint")
    shutil.copy(_template_demo_ws, d / "demo.sqlite")
    with open_workspace(d / "demo.sqlite") as ws:
        export_workbook(ws, d / "book.xlsx")
    wb = openpyxl.load_workbook(d / "book.xlsx")
    yield wb
    wb.close()


def _width(ws) -> float:
    return sum((ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(1, ws.max_column + 1)
               if get_column_letter(c) in ws.column_dimensions)


def test_every_sheet_fits_the_page_width_with_its_title_rows_repeated(book):
    for ws in book.worksheets:
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(ws.page_setup.fitToWidth or 1) == 1 and int(ws.page_setup.fitToHeight) == 0, ws.title
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        if ws.title == "메타데이터":
            continue
        assert ws.print_title_rows and ws.print_title_rows.replace("$", "").startswith("1:"), ws.title


def test_wide_sheets_print_landscape(book):
    for ws in book.worksheets:
        if _width(ws) > 110:
            assert ws.page_setup.orientation == "landscape", (ws.title, _width(ws))


def test_raw_answer_sheets_print_compactly_with_the_header_row(book):
    raw = [ws for ws in book.worksheets if ws.title.startswith("원자료")]
    assert raw
    for ws in raw:
        assert ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows.replace("$", "") == "1:1"
        assert ws.page_margins.left <= 0.3


def test_a_text_longer_than_a_row_goes_on_in_the_rows_below(demo_ws, tmp_path):
    from schoolvault.reports.workbook import export_workbook
    code = services.self_eval_list(demo_ws)[0]["indicator"]
    long = "\n".join(f"{n}. 학년 협의회를 매주 열어 학생 참여 중심 교육과정의 운영 결과를 점검하고 공개하였다." for n in range(1, 120))
    services.self_eval_set(demo_ws, code, achievements=long)
    export_workbook(demo_ws, tmp_path / "w.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx")["지표별 자체평가"]
    head = [c.value for c in ws[1]]
    col = head.index("주요 성과") + 1
    width = ws.column_dimensions[get_column_letter(col)].width
    start = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == code)
    pieces = [ws.cell(start, col).value]
    r = start + 1
    while r <= ws.max_row and ws.cell(r, 3).value is None and str(ws.cell(r, col).value or "").startswith("(이어서) "):
        pieces.append(ws.cell(r, col).value.removeprefix("(이어서) "))
        r += 1
    assert len(pieces) > 1
    assert "".join(p.replace("\n", "").replace(" ", "") for p in pieces) == long.replace("\n", "").replace(" ", "")
    for row in range(start, r):
        text = ws.cell(row, col).value
        # independent estimate: a Hangul character ≈ 1.6 width units, 14.5 pt per line
        lines = sum(max(1, -(-int(len(p) * 1.6) // int(width - 1))) for p in text.split("\n"))
        assert lines * 14.5 + 2 <= ROW_LIMIT, (row, lines)
        assert (ws.row_dimensions[row].height or 15) <= ROW_LIMIT


@pytest.mark.parametrize("long", [
    "가" * 32767,                                    # one word, no space at all
    "가" * 20000 + "\n" + "나" * 12766,              # no space, one line break
    "미흡 " + "가" * 32000,                          # a short word, then one far too long for a row
], ids=["no-space", "line-break", "word-after-space"])
def test_a_long_text_without_spaces_goes_on_below_cut_inside_the_word(demo_ws, tmp_path, long):
    """Was a RecursionError (or a row cut at 409 points): a word longer than a row is cut where the row is full."""
    from schoolvault.reports.workbook import export_workbook
    code = services.self_eval_list(demo_ws)[0]["indicator"]
    services.self_eval_set(demo_ws, code, achievements=long)
    export_workbook(demo_ws, tmp_path / "w.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx")["지표별 자체평가"]
    col = [c.value for c in ws[1]].index("주요 성과") + 1
    width = ws.column_dimensions[get_column_letter(col)].width
    start = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == code)
    pieces, r = [ws.cell(start, col).value], start + 1
    while r <= ws.max_row and ws.cell(r, 3).value is None and str(ws.cell(r, col).value or "").startswith("(이어서) "):
        pieces.append(ws.cell(r, col).value.removeprefix("(이어서) "))
        r += 1
    assert len(pieces) > 10
    assert "".join(p.replace("\n", "").replace(" ", "") for p in pieces) == long.replace("\n", "").replace(" ", "")
    for row in range(start, r):
        text = ws.cell(row, col).value
        lines = sum(max(1, -(-int(len(p) * 1.6) // int(width - 1))) for p in text.split("\n"))
        assert lines * 14.5 + 2 <= ROW_LIMIT, (row, lines)
