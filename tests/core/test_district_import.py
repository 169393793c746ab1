"""District import: validation, refusals with reasons, edited files, replacement, the CLI path."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schoolvault import submission
from schoolvault.cli import main
from schoolvault.district import demo
from schoolvault.district.aggregate import load_schools
from schoolvault.district.importer import import_submissions, stored_rows
from schoolvault.district.reader import (
    SubmissionRefused,
    fast_checksum,
    read_submission,
)
from schoolvault.workspace import district as district_db
from schoolvault.workspace import open_workspace


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> list[Path]:
    """Three demo schools' workbooks (written once; tests copy them)."""
    out = tmp_path_factory.mktemp("three")
    demo.write_demo_district(3, out, seed=9)
    return sorted(out.glob("*.xlsx"))


@pytest.fixture
def files(three, tmp_path) -> list[Path]:
    d = tmp_path / "in"
    d.mkdir()
    return [Path(shutil.copy(f, d / f.name)) for f in three]


def _ws(tmp_path):
    return open_workspace(tmp_path / "district.sqlite", create=True)


def test_a_demo_workbook_reads_back_with_a_matching_checksum(files):
    sub = read_submission(files[0])
    assert sub.checksum_ok and not sub.warnings
    assert sub.level in ("초", "중", "고", "특수") and sub.year == 2025
    assert {r[0] for r in sub.rows} >= {"respondents", "item", "factor", "domain", "rating"}


def test_an_edited_workbook_is_imported_with_a_warning(files, tmp_path):
    wb = openpyxl.load_workbook(files[0])
    sh = wb[submission.SUBMISSION_SHEET]
    row = next(r for r in sh.iter_rows(min_row=2) if r[0].value == "factor")
    row[6].value = 4.99
    wb.save(files[0])
    with _ws(tmp_path) as ws:
        result = import_submissions(ws, files, workers=1)
        edited = next(f for f in result["files"] if f["file"] == files[0].name)
        assert result["imported"] == 3 and result["edited"] == 1
        assert edited["checksum_ok"] is False
        assert any("수정" in w for w in edited["warnings"])
        stored = next(s for s in district_db.schools(ws) if s.source_name == files[0].name)
        assert stored.checksum_ok is False and stored.warnings


def test_a_workbook_saved_again_by_excel_keeps_its_checksum(files):
    wb = openpyxl.load_workbook(files[1])
    wb.save(files[1])
    assert read_submission(files[1]).checksum_ok


def test_korean_header_labels_and_meta_labels_are_accepted(files):
    wb = openpyxl.load_workbook(files[1])
    sh = wb[submission.SUBMISSION_SHEET]
    for c, label in enumerate(submission.COLUMN_LABELS, start=1):
        sh.cell(1, c).value = label
    meta = wb[submission.META_SHEET]
    for r in range(1, meta.max_row + 1):
        key = meta.cell(r, 1).value
        meta.cell(r, 1).value = submission.META_LABELS.get(key, key)
    wb.save(files[1])
    assert read_submission(files[1]).checksum_ok


@pytest.mark.parametrize("make, reason", [
    (lambda p: p.write_text("학교,점수\n가,1\n", encoding="utf-8"), "xlsx"),
    (lambda p: p.write_bytes(b"PK\x03\x04 broken zip"), "열 수 없습니다"),
    (lambda p: openpyxl.Workbook().save(p), "제출용 시트"),
])
def test_a_file_that_is_not_a_submission_is_refused_with_the_reason(tmp_path, make, reason):
    path = tmp_path / "x.xlsx"
    make(path)
    with pytest.raises(SubmissionRefused) as e:
        read_submission(path)
    assert reason in e.value.message and e.value.where == "x.xlsx" and e.value.hint


def _edit_meta(path: Path, key: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    meta = wb[submission.META_SHEET]
    for r in range(1, meta.max_row + 1):
        if meta.cell(r, 1).value == key:
            meta.cell(r, 2).value = value
    wb.save(path)


@pytest.mark.parametrize("key, value, reason", [
    ("format", "something-else", "파일 형식"),
    ("format_version", submission.FORMAT_VERSION + 1, "더 새로운"),
    ("level", "대학", "학교급"),
    ("year", "작년", "학년도"),
])
def test_bad_metadata_is_refused_with_the_reason(files, key, value, reason):
    _edit_meta(files[0], key, value)
    with pytest.raises(SubmissionRefused) as e:
        read_submission(files[0])
    assert reason in e.value.message


def test_an_unknown_district_is_kept_with_a_warning(files):
    _edit_meta(files[0], "district", "부산해운대")
    sub = read_submission(files[0])
    assert sub.district == "부산해운대" and any("교육지원청" in w for w in sub.warnings)


def test_one_bad_file_never_spoils_the_others(files, tmp_path):
    bad = files[0].parent / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    with _ws(tmp_path) as ws:
        result = import_submissions(ws, [files[0].parent], workers=1)
        assert (result["imported"], result["refused"]) == (3, 1)
        refused = [f for f in result["files"] if f["status"] == "refused"]
        assert refused[0]["file"] == "bad.xlsx" and refused[0]["reason"]
        assert len(district_db.schools(ws)) == 3


def test_parallel_reading_gives_the_same_result_as_serial(files, tmp_path):
    with open_workspace(tmp_path / "a.sqlite", create=True) as a, open_workspace(tmp_path / "b.sqlite", create=True) as b:
        import_submissions(a, files, workers=1)
        import_submissions(b, files, workers=2)
        la, lb = load_schools(a, 2025), load_schools(b, 2025)
        assert [(s["name"], list(s["vals"]), s["extra"]) for s in la] == \
               [(s["name"], list(s["vals"]), s["extra"]) for s in lb]
        assert [stored_rows(a, s["id"]) for s in la] == [stored_rows(b, s["id"]) for s in lb]


def test_the_same_school_and_year_replaces_the_earlier_one_and_says_so(files, tmp_path):
    again = files[0].parent / "다시보냄.xlsx"
    shutil.copy(files[0], again)
    with _ws(tmp_path) as ws:
        import_submissions(ws, files, workers=1)
        result = import_submissions(ws, [again], workers=1)
        assert result["replaced"] == 1
        assert result["files"][0]["replaced"]["file"] == files[0].name
        assert len(district_db.schools(ws)) == 3
        n_rows = sum(len(stored_rows(ws, s.id)) for s in district_db.schools(ws))
        assert n_rows == sum(len(read_submission(f).rows) for f in files)
        n_stored = ws.conn.execute("SELECT COUNT(*) FROM district_submissions").fetchone()[0]
        assert n_stored == 3


def test_a_file_named_twice_in_one_batch_is_read_once(files, tmp_path):
    folder = files[0].parent
    with _ws(tmp_path) as ws:
        result = import_submissions(ws, [files[0], str(files[0]), folder], workers=1)
        assert (result["imported"], result["replaced"], result["refused"]) == (3, 0, 0)
        assert [o["file"] for o in result["files"]].count(files[0].name) == 1


def test_a_batch_of_only_refused_files_leaves_the_workspace_unchanged(files, tmp_path):
    path = tmp_path / "district.sqlite"
    with open_workspace(path, create=True) as ws:
        import_submissions(ws, files[:1], workers=1)
    before = path.read_bytes()
    bad = tmp_path / "bad.xlsx"
    bad.write_text("nope", encoding="utf-8")
    with open_workspace(path) as ws:
        result = import_submissions(ws, [bad], workers=1)
        assert result["refused"] == 1
    assert path.read_bytes() == before


def test_cli_district_import_creates_a_workspace_without_init(files, tmp_path, capsys):
    db = tmp_path / "new-district.sqlite"
    assert main(["--db", str(db), "district", "import", str(files[0].parent)]) == 0
    assert "가져옴 3개" in capsys.readouterr().out
    assert main(["--db", str(db), "--json", "district", "stats"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_schools"] == 3
    level = next(iter(out["by_level"].values()))
    grp = next(iter(level["groups"].values()))
    assert set(next(iter(grp["factors"].values()))) >= {"n_schools", "mean", "sd"}
    assert set(out) >= {"by_level", "by_district", "schools"}


def test_cli_import_of_only_bad_files_exits_1_with_the_reason(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("nope", encoding="utf-8")
    assert main(["--db", str(tmp_path / "d.sqlite"), "district", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.xlsx" in err and "xlsx" in err


def test_cli_stats_of_an_empty_district_workspace_says_what_to_do(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "d.sqlite"), "district", "stats"]) == 1
    assert "district import" in capsys.readouterr().err


_cell = st.one_of(st.none(), st.just(""), st.text(max_size=8), st.integers(-10 ** 6, 10 ** 6),
                  st.floats(allow_nan=False, allow_infinity=False, width=64), st.booleans())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_cell, min_size=12, max_size=12), max_size=6))
def test_fast_checksum_equals_the_shared_checksum(rows):
    meta = {"school_name": "가", "level": "초", "year": 2025.0}
    assert fast_checksum(rows, meta) == submission.checksum(rows, meta)


def test_rows_round_trip_through_the_lean_writer(tmp_path):
    rng = random.Random(3)
    rows = [("factor", "s", "교원", f"F{i}", "요인", 10, rng.random() * 4 + 1, rng.random(), rng.random() * 100,
             None, rng.random(), None) for i in range(30)]
    rows.append(("respondents", "s", "직원", "", "", "n<5", None, None, None, None, None, None))
    rows.append(("rating", "gb", "", "1-1-1", "지표", None, None, None, None, None, None, 3))
    path = demo.write_submission(tmp_path / "t.xlsx", rows, {"school_name": "가나초", "level": "초",
                                                             "district": "동부", "year": 2025})
    sub = read_submission(path)
    assert sub.checksum_ok
    got = {r[3]: r for r in sub.rows if r[0] == "factor"}
    for r in rows[:30]:
        assert got[r[3]][7] == pytest.approx(r[6], rel=1e-11)
    assert next(r for r in sub.rows if r[0] == "respondents")[5:7] == (None, 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(min_value=1, max_value=5), st.floats(min_value=-1e6, max_value=1e6)),
                min_size=1, max_size=40))
def test_any_float_survives_the_writer_with_a_matching_checksum(tmp_path_factory, values):
    rows = [("factor", "s", "교원", f"F{i}", "요인", 10, m, None, None, None, a, None) for i, (m, a) in enumerate(values)]
    path = demo.write_submission(tmp_path_factory.mktemp("f") / "t.xlsx", rows,
                                 {"school_name": "가나초", "level": "초", "district": "동부", "year": 2025})
    assert read_submission(path).checksum_ok


def test_a_value_on_the_rounding_boundary_keeps_its_checksum(tmp_path):
    rows = [("factor", "s", "교원", "F1", "요인", 10, 0.46302378517849996, None, None, None, None, None)]
    path = demo.write_submission(tmp_path / "t.xlsx", rows, {"school_name": "가", "level": "초", "district": "동부",
                                                             "year": 2025})
    assert read_submission(path).checksum_ok


def test_a_schema_v1_workspace_upgrades_and_takes_district_imports(files, tmp_path):
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "schema_v1.sqlite"
    if not fixture.exists():
        pytest.skip("no schema_v1 fixture")
    path = Path(shutil.copy(fixture, tmp_path / "v1.sqlite"))
    with open_workspace(path) as ws:
        result = import_submissions(ws, files, workers=1)
        assert result["imported"] == 3
        assert ws.conn.execute("SELECT COUNT(*) FROM district_schools").fetchone()[0] == 3


def test_cancel_rolls_back_the_whole_import(files, tmp_path):
    from schoolvault.errors import Cancelled
    from schoolvault.progress import Progress
    calls = []

    def on_report(done, total, label):
        calls.append(done)
        if done:  # after the first file was stored
            progress.cancel()

    progress = Progress(on_report)
    with _ws(tmp_path) as ws:
        import_submissions(ws, files[:1], workers=1)
        with pytest.raises(Cancelled):
            copies = [Path(shutil.copy(f, f.with_name(f"{k}-{f.name}"))) for k in range(3) for f in files]
            import_submissions(ws, copies, workers=1, progress=progress)
        assert len(district_db.schools(ws)) == 1


def test_a_folder_is_searched_for_workbooks_whatever_the_case_of_the_suffix(files, tmp_path):
    sub = files[0].parent / "하위폴더"
    sub.mkdir()
    shutil.move(str(files[0]), sub / "첫학교.XLSX")
    (files[0].parent / "~$열린파일.xlsx").write_bytes(b"lock")
    with _ws(tmp_path) as ws:
        result = import_submissions(ws, [files[0].parent], workers=1)
    assert (result["imported"], result["refused"]) == (3, 0)
