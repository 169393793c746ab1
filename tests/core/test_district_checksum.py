"""The checksum covers every sheet's values (format 3); older files keep their own rule (issue 14, item 4)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from schoolvault import submission
from schoolvault.district import writer
from schoolvault.district.importer import import_submissions
from schoolvault.district.reader import read_submission
from schoolvault.workspace import open_workspace

META = {"school_name": "가나초등학교", "school_code": "B100000001", "level": "초", "district": "동부", "year": 2025,
        "rating_points": 4}
ROWS = [("respondents", "s", "교원", "", "", 12, None, None, None, None, None, None),
        ("factor", "s", "교원", "F1", "요인", 12, 3.25, 0.5, 56.25, None, 0.8, None),
        ("rating", "gb", "", "1-1-1", "지표", None, None, None, None, None, None, 3)]


@pytest.fixture(scope="module")
def exported(_template_demo_ws, tmp_path_factory) -> Path:
    """The consultant workbook of the demo school, exported once."""
    from schoolvault.reports.workbook import export_workbook
    d = tmp_path_factory.mktemp("export")
    db = Path(shutil.copy(_template_demo_ws, d / "demo.sqlite"))
    with open_workspace(db) as ws:
        export_workbook(ws, d / "제출.xlsx")
    return d / "제출.xlsx"


def _copy(path: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(path, tmp_path / path.name))


def _v2_finish_meta(rows, meta):
    """The format-2 rule as an older SchoolVault wrote it: the two machine sheets only."""
    m = {k: meta.get(k) for k in submission.META_KEYS}
    m["format"], m["format_version"] = submission.FORMAT, 2
    m["checksum"] = submission.checksum(rows, m)
    return m


def test_an_untouched_export_verifies(exported):
    sub = read_submission(exported)
    assert sub.version == submission.FORMAT_VERSION == submission.WHOLE_WORKBOOK_VERSION
    assert sub.checksum_ok and not sub.warnings


@pytest.mark.parametrize("sheet", ["요약", "문항 통계", "요인·영역 점수", "원자료"])
def test_an_edit_to_a_visible_sheet_is_noticed(exported, tmp_path, sheet):
    path = _copy(exported, tmp_path)
    wb = openpyxl.load_workbook(path)
    name = next(n for n in wb.sheetnames if n.startswith(sheet))
    sh = wb[name]
    cell = next(c for row in sh.iter_rows(min_row=2) for c in row if isinstance(c.value, (int, float)))
    cell.value = cell.value + 1  # a "correction" nobody would see in the machine sheets
    wb.save(path)
    sub = read_submission(path)
    assert not sub.checksum_ok
    assert any("수정된 파일" in w for w in sub.warnings)


def test_a_sheet_added_or_removed_is_noticed(exported, tmp_path):
    path = _copy(exported, tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb["의견"]
    wb.save(path)
    assert not read_submission(path).checksum_ok


def test_saving_again_without_changes_keeps_the_checksum(exported, tmp_path):
    path = _copy(exported, tmp_path)
    openpyxl.load_workbook(path).save(path)  # as a spreadsheet program saving it again
    assert read_submission(path).checksum_ok


def test_the_old_two_sheet_rule_no_longer_passes_a_current_file(exported, tmp_path):
    # someone edits a visible sheet and stamps the format-2 checksum of the machine sheets: still noticed
    path = _copy(exported, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["요약"]["B3"] = "다른학교"
    body = [list(r) for r in wb[submission.SUBMISSION_SHEET].iter_rows(min_row=2, values_only=True)]
    meta_ws = wb[submission.META_SHEET]
    meta = {r[0].value: r[1].value for r in meta_ws.iter_rows()}
    for r in meta_ws.iter_rows():
        if r[0].value == "checksum":
            r[1].value = submission.checksum(body, meta)
    wb.save(path)
    assert not read_submission(path).checksum_ok


def test_a_format_2_file_imports_with_its_own_rule(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "finish_meta", _v2_finish_meta)
    path = writer.write_submission(tmp_path / "v2.xlsx", ROWS, META)
    sub = read_submission(path)
    assert (sub.version, sub.checksum_ok, sub.warnings) == (2, True, [])
    wb = openpyxl.load_workbook(path)
    row = next(r for r in wb[submission.SUBMISSION_SHEET].iter_rows(min_row=2) if r[0].value == "factor")
    row[6].value = 4.5
    wb.save(path)
    assert not read_submission(path).checksum_ok


def test_the_lean_writer_and_the_reader_agree(tmp_path):
    path = writer.write_submission(tmp_path / "v3.xlsx", ROWS, META)
    assert read_submission(path).checksum_ok
    with open_workspace(tmp_path / "d.sqlite", create=True) as ws:
        out = import_submissions(ws, [path], workers=1)
    assert out["imported"] == 1 and out["edited"] == 0


def test_the_district_view_does_not_claim_more_than_the_checksum_shows():
    assert submission.UNEDITED_LABEL == "수정 흔적 없음"
    assert "다시 계산" in submission.CHECKSUM_NOTE and "가려내지는 못합니다" in submission.CHECKSUM_NOTE
