"""Nobody mistaken for another school: schools keyed by code, never by name alone; a changed identity or an
edited file never silently replaces a submission (issue 14, item 3)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from schoolvault import submission
from schoolvault.cli import main
from schoolvault.district import writer
from schoolvault.district.importer import import_submissions
from schoolvault.workspace import district as district_db
from schoolvault.workspace import open_workspace


def _rows(mean: float) -> list[tuple]:
    return [("respondents", "s", "교원", "", "", 12, None, None, None, None, None, None),
            ("factor", "s", "교원", "F1", "요인", 12, mean, 0.5, (mean - 1) * 25, None, 0.8, None)]


def _file(folder: Path, name: str, *, school: str = "가나초등학교", code: str | None = "B100000001",
          level: str = "초", district: str = "동부", mean: float = 3.5, edited: bool = False) -> Path:
    path = writer.write_submission(folder / name, _rows(mean), {
        "school_name": school, "school_code": code, "level": level, "district": district, "year": 2025})
    if edited:  # someone changes a figure after export
        wb = openpyxl.load_workbook(path)
        row = next(r for r in wb[submission.SUBMISSION_SHEET].iter_rows(min_row=2) if r[0].value == "factor")
        row[6].value = 4.9
        wb.save(path)
    return path


@pytest.fixture
def ws(tmp_path):
    w = open_workspace(tmp_path / "교육청.sqlite", create=True)
    yield w
    w.close()


def _names(ws) -> list[tuple]:
    return sorted((s.school_name, s.school_code, s.source_name) for s in district_db.schools(ws))


def test_two_schools_of_the_same_name_without_a_code_are_both_kept(ws, tmp_path):
    a = _file(tmp_path, "a.xlsx", code=None, mean=3.1)
    b = _file(tmp_path, "b.xlsx", code=None, mean=4.2)
    import_submissions(ws, [a], workers=1)
    out = import_submissions(ws, [b], workers=1)
    assert out["imported"] == 1 and out["replaced"] == 0
    assert _names(ws) == [("가나초등학교", None, "a.xlsx"), ("가나초등학교", None, "b.xlsx")]
    assert any("a.xlsx" in w and "따로 보관" in w for w in out["files"][0]["warnings"])


def test_the_same_file_without_a_code_imported_again_is_not_counted_twice(ws, tmp_path):
    a = _file(tmp_path, "a.xlsx", code=None)
    import_submissions(ws, [a], workers=1)
    out = import_submissions(ws, [a], workers=1)
    assert out["replaced"] == 1 and len(district_db.schools(ws)) == 1


def test_a_new_export_of_the_same_coded_school_replaces_the_earlier(ws, tmp_path):
    import_submissions(ws, [_file(tmp_path, "1차.xlsx", mean=3.1)], workers=1)
    out = import_submissions(ws, [_file(tmp_path, "2차.xlsx", mean=3.9)], workers=1)
    assert out["replaced"] == 1 and out["files"][0]["replaced"]["file"] == "1차.xlsx"
    assert _names(ws) == [("가나초등학교", "B100000001", "2차.xlsx")]


@pytest.mark.parametrize("claim", [{"school": "다라중학교"}, {"level": "중"}, {"district": "서부"}])
def test_a_file_claiming_a_known_code_with_another_identity_is_held_back_naming_both(ws, tmp_path, claim):
    import_submissions(ws, [_file(tmp_path, "원래.xlsx")], workers=1)
    out = import_submissions(ws, [_file(tmp_path, "수상한.xlsx", **claim)], workers=1)
    assert (out["imported"], out["replaced"], out["conflicts"]) == (0, 0, 1)
    f = out["files"][0]
    assert f["status"] == "conflict" and f["kept"]["file"] == "원래.xlsx"
    assert "'가나초등학교'(초·동부)" in f["reason"] and "B100000001" in f["reason"]
    new = (claim.get("school", "가나초등학교"), claim.get("level", "초"), claim.get("district", "동부"))
    assert f"'{new[0]}'({new[1]}·{new[2]})" in f["reason"]
    assert "--replace-school B100000001" in f["hint"]
    assert _names(ws) == [("가나초등학교", "B100000001", "원래.xlsx")]


def test_the_user_may_choose_the_held_back_file(ws, tmp_path):
    import_submissions(ws, [_file(tmp_path, "원래.xlsx")], workers=1)
    out = import_submissions(ws, [_file(tmp_path, "새이름.xlsx", school="가나초등학교(이전)")], workers=1,
                             replace_schools=["B100000001"])
    assert out["replaced"] == 1 and out["files"][0]["replaced"]["file"] == "원래.xlsx"
    assert _names(ws) == [("가나초등학교(이전)", "B100000001", "새이름.xlsx")]


def test_an_edited_file_never_silently_replaces_a_verified_submission(ws, tmp_path):
    import_submissions(ws, [_file(tmp_path, "원본.xlsx")], workers=1)
    out = import_submissions(ws, [_file(tmp_path, "고친.xlsx", edited=True)], workers=1)
    assert out["conflicts"] == 1 and "수정된 파일" in out["files"][0]["reason"]
    (s,) = district_db.schools(ws)
    assert (s.source_name, s.checksum_ok) == ("원본.xlsx", True)


def test_an_edited_file_may_replace_an_edited_one_and_a_verified_one_replaces_it(ws, tmp_path):
    import_submissions(ws, [_file(tmp_path, "고친1.xlsx", edited=True)], workers=1)
    assert import_submissions(ws, [_file(tmp_path, "고친2.xlsx", edited=True, mean=3.0)], workers=1)["replaced"] == 1
    assert import_submissions(ws, [_file(tmp_path, "원본.xlsx")], workers=1)["replaced"] == 1
    (s,) = district_db.schools(ws)
    assert (s.source_name, s.checksum_ok) == ("원본.xlsx", True)


def test_cli_a_batch_held_back_entirely_exits_1_and_leaves_the_workspace_byte_identical(tmp_path, capsys):
    db = tmp_path / "교육청.sqlite"
    assert main(["--db", str(db), "district", "import", str(_file(tmp_path, "원래.xlsx"))]) == 0
    capsys.readouterr()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    other = _file(tmp_path, "다른학교.xlsx", school="다라초등학교")
    assert main(["--db", str(db), "district", "import", str(other)]) == 1
    err = capsys.readouterr().err
    assert "'가나초등학교'(초·동부)" in err and "'다라초등학교'(초·동부)" in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert main(["--db", str(db), "district", "import", str(other), "--replace-school", "B100000001"]) == 0
    assert "바꿔 넣음 1개" in capsys.readouterr().out
    with open_workspace(db) as ws:
        assert _names(ws) == [("다라초등학교", "B100000001", "다른학교.xlsx")]
