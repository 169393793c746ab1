"""Sealing while writing (sealed_xlsx): the checksum of the cells as written equals what a reader computes from
the file, and the definition of format 3 is the one files already sent were sealed with."""

from __future__ import annotations

import hashlib
import json

import pytest

from schoolvault import submission
from schoolvault.sealed_xlsx import SealingWorkbook


def format3_checksum(sheets) -> str:
    """The format-3 definition as released (independent copy): what files in the wild were sealed with."""
    labels = {**dict(zip(submission.COLUMN_LABELS, submission.COLUMNS)),
              **{v: k for k, v in submission.META_LABELS.items()}}
    h = hashlib.sha256()
    for name, rows in sheets:
        h.update(json.dumps(["sheet", str(name)], ensure_ascii=False).encode("utf-8") + b"\n")
        machine = name in (submission.SUBMISSION_SHEET, submission.META_SHEET)
        for r, row in enumerate(rows):
            cells = [submission._canon(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()
            if not cells:
                continue
            if machine:
                cells = [labels.get(c, c) for c in cells]
                if name == submission.META_SHEET and cells[0] == "checksum":
                    cells = cells[:1]
            h.update(json.dumps([r, cells], ensure_ascii=False).encode("utf-8") + b"\n")
    return h.hexdigest()


CERTAIN = ["a\r\nb", "  spaces  ", "\u00a0nb\u00a0", "😀 이모지", "'=1+1", "=SUM(A1)", "\tstarts with a tab", "a & <b>",
           "줄\n바꿈\n", "_X0041_ upper", "평균", "checksum",
           "control \x00\x01\x08\x0b\x0c\x1f\x7f characters"]
NUMBERS = [0.46302378517849996, 1 / 3, 12345678901234567, 2**53 + 1, -0.0, 1e300, 5e-324, 1e-320, 3.0, 7, True, False]


def write_sheets(path, extra=()):
    wb = SealingWorkbook(path)
    fmt = wb.add_format({"num_format": "0.00"})
    ws = wb.add_worksheet("값")
    for r, v in enumerate(CERTAIN):
        ws.write_string(r, 0, v)
    for r, v in enumerate(NUMBERS, start=len(CERTAIN)):
        ws.write(r, 1, v, fmt)
    r = len(CERTAIN) + len(NUMBERS)
    ws.write_blank(r, 3, None, fmt)  # a formatted blank is no value
    ws.write_row(r + 2, 0, [1, None, "", 2])
    ws.write_string(1, 5, "late")  # written after row 1 left: xlsxwriter drops it, and so does the checksum
    for v in extra:
        r += 3
        ws.write(r, 0, v)
    machine = wb.add_worksheet(submission.META_SHEET)
    machine.write_row(0, 0, ["파일 형식", submission.FORMAT])
    machine.write_row(1, 0, ["checksum"])
    return wb, machine


def test_the_definition_is_the_released_format_3():
    sheets = [("요약", [["학교", 3.5, None, True], [], ["", ""], [" x ", 0.46302378517849996]]),
              (submission.SUBMISSION_SHEET, [list(submission.COLUMN_LABELS), ["item", "s", "교원", "Q1", "문항", 12]]),
              (submission.META_SHEET, [["형식 버전", 3], ["checksum", "ab" * 32]])]
    assert submission.workbook_checksum(sheets) == format3_checksum(sheets)


def test_the_checksum_of_the_cells_as_written_is_the_readers(tmp_path):
    path = tmp_path / "s.xlsx"
    wb, machine = write_sheets(path)
    value = wb.checksum()
    assert value is not None
    machine.write_string(1, 1, value)
    wb.close()
    sheets = submission.read_sheets(path.read_bytes())
    assert format3_checksum(sheets) == value
    assert sheets[1][1][1] == ["checksum", value]


@pytest.mark.parametrize("hostile", ["_x0041_", "a_x005F_x0041_", "\ufffe", "<r><t>rich</t></r>", float("nan"), float("inf")])
def test_a_cell_whose_reading_is_uncertain_leaves_sealing_to_the_read_back(tmp_path, hostile):
    wb, machine = write_sheets(tmp_path / "h.xlsx", [hostile])
    assert wb.checksum() is None
    machine.write_string(1, 1, submission.CHECKSUM_PLACEHOLDER)
    wb.close()
    value = submission.seal(tmp_path / "h.xlsx")
    assert format3_checksum(submission.read_sheets((tmp_path / "h.xlsx").read_bytes())) == value


def test_the_export_is_sealed_as_written_without_reading_back(demo_ws, tmp_path, monkeypatch):
    from schoolvault.district.reader import read_submission
    from schoolvault.reports.workbook import export_workbook

    def no_read_back(path):
        raise AssertionError("sealed by reading the file back")
    monkeypatch.setattr(submission, "seal", no_read_back)
    result = export_workbook(demo_ws, tmp_path / "b.xlsx")
    assert format3_checksum(submission.read_sheets((tmp_path / "b.xlsx").read_bytes())) == result["checksum"]
    sub = read_submission(tmp_path / "b.xlsx")
    assert sub.checksum_ok and not sub.warnings


def test_an_export_with_an_escaped_comment_is_sealed_by_reading_back(demo_ws, tmp_path):
    from test_reports_workbook import SODI, _replace_group

    from schoolvault.district.reader import read_submission
    from schoolvault.reports.workbook import export_workbook
    _replace_group(demo_ws, SODI, "교원", 10, "값이 _x0041_ 처럼 보여요")
    result = export_workbook(demo_ws, tmp_path / "b.xlsx")
    sub = read_submission(tmp_path / "b.xlsx")
    assert sub.checksum_ok and not sub.warnings and sub.meta["checksum"] == result["checksum"]
