"""Comments that xlsxwriter would not write as text: rich-string XML (`<r>…</r>`) and lone surrogates.

Both leave the school in the consultant workbook; each must read back as the masked comment (or with U+FFFD
where a character could not be written), the file must open in openpyxl and the checksum must verify."""

from __future__ import annotations

import openpyxl
import pytest
from hostile_files import GROUP, INSTRUMENT, csv_bytes, survey, valid_table
from python_calamine import CalamineWorkbook

from schoolvault import submission
from schoolvault.importing import import_responses
from schoolvault.masking import mask_personal
from schoolvault.workspace import open_workspace
from schoolvault.xlsx import new_workbook

OPEN_Q = next(q for q in survey().open_questions if q.code == "C1").text
RICH = ['<r><t>김철수 선생님 010-1234-5678</t></r>',
        '<r><rPr><b/></rPr><t>굵게</t></r><r><t>&amp; 주입</t></r>',
        '<r>&broken; <t unclosed</r>',
        '<r></r>']


def texts(path) -> list[str]:
    book = CalamineWorkbook.from_path(str(path))
    return [v for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python()
            for v in row if isinstance(v, str)]


@pytest.fixture
def exported(fresh_ws_path, tmp_path):
    from schoolvault.reports.workbook import export_workbook
    teachers = tmp_path / "교원.csv"
    teachers.write_bytes(csv_bytes(valid_table(extra={OPEN_Q: lambda r: RICH[r % len(RICH)]})))
    out = tmp_path / "결과.xlsx"
    with open_workspace(fresh_ws_path) as ws:
        import_responses(ws, teachers, INSTRUMENT, GROUP)
        result = export_workbook(ws, out)
    return out, result


def test_rich_shaped_comments_read_back_as_the_masked_text(exported):
    out, result = exported
    read = texts(out)
    for comment in RICH:
        assert mask_personal(comment) in read, comment
    assert mask_personal(RICH[0]) != RICH[0]  # masked, then written as text
    assert not any(t.startswith("<r><t") and "010-1234-5678" in t for t in read)
    openpyxl.load_workbook(out).close()
    sheets = submission.read_sheets(out.read_bytes())
    assert result["checksum"] == submission.workbook_checksum(sheets)


@pytest.mark.parametrize("constant_memory", [True, False])
def test_the_writer_rule_writes_rich_shapes_and_surrogates_as_text(tmp_path, constant_memory):
    path = tmp_path / "a.xlsx"
    wb = new_workbook(path, {"constant_memory": constant_memory})
    ws = wb.add_worksheet("의견")
    cells = [*RICH, "앞\ud800뒤", "\udfff", "=\ud83d\ude00", "<r> 공백 </r>", "<r>\x01</r>"]
    for r, text in enumerate(cells):
        ws.write(r, 0, text)
    wb.close()
    expected = [*RICH, "앞\ufffd뒤", "\ufffd", "'=\ufffd\ufffd", "<r> 공백 </r>", "<r>\x01</r>"]
    assert texts(path) == expected
    sheet = openpyxl.load_workbook(path)["의견"]
    assert [sheet.cell(r + 1, 1).value for r in range(4)] == RICH


def test_a_rich_shaped_text_too_long_once_escaped_is_cut_with_the_note(tmp_path):
    path = tmp_path / "long.xlsx"
    wb = new_workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("의견")
    text = "<r>" + "&" * 30000 + "</r>"  # fits a cell, but not escaped (&amp;)
    ws.write(0, 0, text)
    wb.close()
    [read] = texts(path)
    assert read.startswith("<r>&&&") and read.endswith("자를 싣지 못했습니다]")
    assert wb.cut_cells == [("의견", 0, 0)]
