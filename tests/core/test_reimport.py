"""Re-imports: a later download of the same form adds only its new rows; --replace replaces the named
import; `imports list` and `imports delete` (backup first, audited)."""

from __future__ import annotations

import random
import sqlite3

import pandas as pd
import pytest
from _import_util import (
    AGREE5,
    SODI,
    assert_refused,
    run,
    run_json,
    sodi_items,
    write_csv,
    write_xlsx,
)

from schoolvault import services
from schoolvault.workspace import open_workspace
from schoolvault.workspace.backup import list_backups


def _rows(n: int, seed: int = 7, group: str = "교원", start: int = 0, stamp: bool = True):
    """n Google-Forms rows (timestamp, e-mail, answers); row r always has the same content for a seed."""
    items = sodi_items(group)
    out = []
    for r in range(start, start + n):
        rng = random.Random(seed * 1000 + r)
        vals = [AGREE5[rng.randint(0, 4)] for _ in items]
        out.append(([f"2026/06/02 오전 9:{r // 60:02d}:{r % 60:02d}"] if stamp else [])
                   + [f"t{r}@school.kr"] + vals)
    return out


def _header(group: str = "교원", stamp: bool = True):
    return (["타임스탬프"] if stamp else []) + ["이메일 주소"] + [f"{n}. {i.text}" for n, i in
                                                           enumerate(sodi_items(group), 1)]


def _imp(capsys, db, f, *more, group="교원"):
    return run_json(capsys, "--db", db, "import-responses", f, "--instrument", SODI, "--group", group, *more)


def _count(db) -> int:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT COUNT(*) FROM respondents").fetchone()[0]


def _snapshot(db) -> bytes:
    """The workspace as committed (a checkpointed copy), to compare before/after a refused command."""
    with open_workspace(db) as ws:
        ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.read_bytes()


# ---------------------------------------------------------------- imports list / delete

def test_list_imports_names_file_survey_group_period_rows_and_local_time(fresh_ws_path, tmp_path, capsys):
    f = write_csv(tmp_path / "교원_1학기.csv", _header(), _rows(8))
    _imp(capsys, fresh_ws_path, f, "--period", "중간")
    g = write_csv(tmp_path / "교원_학년말.csv", _header(), _rows(6, seed=9))
    _imp(capsys, fresh_ws_path, g)
    r = run_json(capsys, "--db", fresh_ws_path, "imports", "list")
    got = [(i["file"], i["instrument"], i["group"], i["period"], i["rows"]) for i in r["imports"]]
    assert got == [("교원_1학기.csv", SODI, "교원", "중간", 8), ("교원_학년말.csv", SODI, "교원", "학년말", 6)]
    assert all(len(i["local_time"]) == 16 and i["survey"] for i in r["imports"])
    code, out, _ = run(capsys, "--db", fresh_ws_path, "imports", "list")
    assert code == 0 and "교원_1학기.csv" in out and "중간평가(1학기)" in out and "8명" in out


def test_list_imports_of_another_year_is_empty(fresh_ws_path, tmp_path, capsys):
    _imp(capsys, fresh_ws_path, write_csv(tmp_path / "a.csv", _header(), _rows(5)))
    assert run_json(capsys, "--db", fresh_ws_path, "imports", "list", "--year", "2019")["imports"] == []
    with open_workspace(fresh_ws_path) as ws:
        assert [i["rows"] for i in services.list_imports(ws)] == [5]


def test_delete_import_backs_up_first_removes_its_answers_and_is_audited(fresh_ws_path, tmp_path, capsys):
    _imp(capsys, fresh_ws_path, write_csv(tmp_path / "a.csv", _header(), _rows(7)))
    keep = _imp(capsys, fresh_ws_path, write_csv(tmp_path / "b.csv", _header(), _rows(4, seed=3)))
    first = run_json(capsys, "--db", fresh_ws_path, "imports", "list")["imports"][0]["id"]
    before = len(list_backups(fresh_ws_path))
    r = run_json(capsys, "--db", fresh_ws_path, "imports", "delete", first)
    assert r["deleted"] and r["file"] == "a.csv" and r["rows"] == 7 and r["backup"]
    assert len(list_backups(fresh_ws_path)) == before + 1
    with sqlite3.connect(r["backup"]) as c:  # the backup still holds what was deleted
        assert c.execute("SELECT COUNT(*) FROM respondents").fetchone()[0] == 11
    with open_workspace(fresh_ws_path) as ws:
        assert [i["id"] for i in services.list_imports(ws)] == [keep["administration"]]
        assert ws.conn.execute("SELECT COUNT(*) FROM answers a JOIN respondents r ON r.id = a.respondent_id "
                               "WHERE r.administration_id = ?", (first,)).fetchone()[0] == 0
        assert services.stats(ws, SODI)["groups"]["교원"]["n"] == 4
        audit = ws.conn.execute("SELECT detail FROM audit_log WHERE action = 'delete_import'").fetchall()
    assert len(audit) == 1 and '"a.csv"' in audit[0][0] and "t0@" not in audit[0][0]
    assert _count(fresh_ws_path) == 4


def test_deleting_an_unknown_import_is_refused_and_changes_nothing(fresh_ws_path, tmp_path, capsys):
    _imp(capsys, fresh_ws_path, write_csv(tmp_path / "a.csv", _header(), _rows(5)))
    before = _snapshot(fresh_ws_path)
    code, out, err = run(capsys, "--db", fresh_ws_path, "imports", "delete", "999")
    assert_refused(code, out, err, "가져오기 999번이 없습니다")
    assert _snapshot(fresh_ws_path) == before


# ---------------------------------------------------------------- a later download of the same form

def _teacher_frame(rows, stamp=True) -> pd.DataFrame:
    """The answers of distinct rows as numbers, read back independently of the importer."""
    items = sodi_items("교원")
    first = 2 if stamp else 1
    return pd.DataFrame([{i.code: AGREE5.index(r[first + n]) + 1 for n, i in enumerate(items)} for r in rows])


def test_a_later_download_adds_only_its_new_rows(fresh_ws_path, tmp_path, capsys):
    _imp(capsys, fresh_ws_path, write_csv(tmp_path / "응답.csv", _header(), _rows(30)))
    later = write_csv(tmp_path / "응답 (1).csv", _header(), _rows(35))
    r = _imp(capsys, fresh_ws_path, later)
    assert (r["respondents"], r["already_imported_rows"]) == (5, 30)
    assert any("새 응답 5행만" in n for n in r["notes"])
    assert sum(1 for s in r["skipped_rows"] if s["reason"].startswith("이미 가져온 응답")) == 30
    assert _count(fresh_ws_path) == 35
    with open_workspace(fresh_ws_path) as ws:
        st = services.stats(ws, SODI, "교원")["groups"]["교원"]
    df = _teacher_frame(_rows(35))
    code = sodi_items("교원")[0].code
    assert st["n"] == 35 and st["items"][code]["n"] == 35
    assert st["items"][code]["mean"] == pytest.approx(df[code].mean(), abs=1e-9)
    assert st["items"][code]["sd"] == pytest.approx(df[code].std(ddof=1), abs=1e-9)
    code, out, _ = run(capsys, "--db", fresh_ws_path, "import-responses", write_csv(
        tmp_path / "응답 (2).csv", _header(), _rows(40)), "--instrument", SODI, "--group", "교원")
    assert code == 0 and "새 응답 5행만" in out and _count(fresh_ws_path) == 40


def test_the_same_rows_saved_as_xlsx_are_recognised(fresh_ws_path, tmp_path, capsys):
    _imp(capsys, fresh_ws_path, write_csv(tmp_path / "응답.csv", _header(), _rows(12)))
    later = write_xlsx(tmp_path / "응답.xlsx", {"설문지 응답 시트1": [_header(), *_rows(15)]})
    assert _imp(capsys, fresh_ws_path, later)["respondents"] == 3
    assert _count(fresh_ws_path) == 15


def test_a_download_with_nothing_new_is_refused_unchanged(fresh_ws_path, tmp_path, capsys):
    _imp(capsys, fresh_ws_path, write_csv(tmp_path / "a.csv", _header(), _rows(10)))
    again = write_xlsx(tmp_path / "a.xlsx", {"시트1": [_header(), *_rows(10)], "표지": [["설문 결과"]]})
    before = _snapshot(fresh_ws_path)
    code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", again, "--instrument", SODI,
                         "--group", "교원")
    assert_refused(code, out, err)
    assert "이미" in err and "--replace" in err
    assert _snapshot(fresh_ws_path) == before


def test_a_corrected_file_is_refused_and_replace_id_replaces_that_import(fresh_ws_path, tmp_path, capsys):
    first = _imp(capsys, fresh_ws_path, write_csv(tmp_path / "a.csv", _header(), _rows(20)))
    fixed = _rows(20)
    fixed[3][2] = AGREE5[(AGREE5.index(fixed[3][2]) + 1) % 5]  # one answer corrected in the sheet
    f = write_csv(tmp_path / "a_수정.csv", _header(), fixed)
    before = _snapshot(fresh_ws_path)
    code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert_refused(code, out, err, f"--replace {first['administration']}")
    assert "19행" in err and _snapshot(fresh_ws_path) == before
    r = _imp(capsys, fresh_ws_path, f, "--replace", str(first["administration"]))
    assert r["replaced"] == first["administration"] and r["respondents"] == 20
    listed = run_json(capsys, "--db", fresh_ws_path, "imports", "list")["imports"]
    assert [(i["file"], i["rows"]) for i in listed] == [("a_수정.csv", 20)]
    with open_workspace(fresh_ws_path) as ws:
        st = services.stats(ws, SODI, "교원")["groups"]["교원"]
    code0 = sodi_items("교원")[0].code
    assert st["n"] == 20
    assert st["items"][code0]["mean"] == pytest.approx(_teacher_frame(fixed)[code0].mean(), abs=1e-9)


def test_replace_without_an_id_replaces_the_import_the_file_repeats(fresh_ws_path, tmp_path, capsys):
    first = _imp(capsys, fresh_ws_path, write_csv(tmp_path / "a.csv", _header(), _rows(8)))
    fixed = _rows(8)
    fixed[0][2] = AGREE5[(AGREE5.index(fixed[0][2]) + 2) % 5]
    r = _imp(capsys, fresh_ws_path, write_csv(tmp_path / "b.csv", _header(), fixed), "--replace")
    assert r["replaced"] == first["administration"] and _count(fresh_ws_path) == 8


def test_replace_naming_no_import_is_refused_unchanged(fresh_ws_path, tmp_path, capsys):
    _imp(capsys, fresh_ws_path, write_csv(tmp_path / "a.csv", _header(), _rows(8)))
    f = write_csv(tmp_path / "b.csv", _header(), _rows(6, seed=99))
    before = _snapshot(fresh_ws_path)
    for extra in (["--replace"], ["--replace", "77"]):
        code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI,
                             "--group", "교원", *extra)
        assert_refused(code, out, err, "imports list")
    assert _snapshot(fresh_ws_path) == before


def test_without_timestamps_a_file_holding_a_whole_earlier_import_adds_the_rest(fresh_ws_path, tmp_path, capsys):
    _imp(capsys, fresh_ws_path, write_csv(tmp_path / "a.csv", _header(stamp=False), _rows(10, stamp=False)))
    r = _imp(capsys, fresh_ws_path, write_csv(tmp_path / "b.csv", _header(stamp=False), _rows(13, stamp=False)))
    assert r["respondents"] == 3 and _count(fresh_ws_path) == 13


def test_without_timestamps_one_equal_row_in_another_file_is_a_coincidence(fresh_ws_path, tmp_path, capsys):
    _imp(capsys, fresh_ws_path, write_csv(tmp_path / "a.csv", _header(stamp=False), _rows(10, stamp=False)))
    other = _rows(6, seed=55, stamp=False) + [_rows(10, stamp=False)[4]]
    r = _imp(capsys, fresh_ws_path, write_csv(tmp_path / "b.csv", _header(stamp=False), other))
    assert r["respondents"] == 7 and _count(fresh_ws_path) == 17
    assert any("응답 시각 열이 없어" in n for n in r["notes"])


def test_an_import_made_before_fingerprints_is_recognised_as_the_first_rows(fresh_ws_path, tmp_path, capsys):
    _imp(capsys, fresh_ws_path, write_csv(tmp_path / "a.csv", _header(), _rows(30)))
    with open_workspace(fresh_ws_path) as ws, ws.transaction():  # as a workspace of schema 5 holds it
        ws.conn.execute("DELETE FROM respondent_fingerprints")
    r = _imp(capsys, fresh_ws_path, write_csv(tmp_path / "b.csv", _header(), _rows(35)))
    assert (r["respondents"], r["already_imported_rows"]) == (5, 30)


def test_dry_run_says_how_many_rows_are_new_and_writes_nothing(fresh_ws_path, tmp_path, capsys):
    _imp(capsys, fresh_ws_path, write_csv(tmp_path / "a.csv", _header(), _rows(30)))
    before = _snapshot(fresh_ws_path)
    r = _imp(capsys, fresh_ws_path, write_csv(tmp_path / "b.csv", _header(), _rows(35)), "--dry-run")
    assert (r["respondents"], r["already_imported_rows"]) == (5, 30)
    assert _snapshot(fresh_ws_path) == before


def test_fingerprints_are_keyed_per_workspace_and_hold_nothing_identifying(fresh_ws_path, tmp_path, capsys):
    import hashlib
    import shutil
    other = tmp_path / "other" / "school.sqlite"
    other.parent.mkdir()
    shutil.copy(fresh_ws_path, other)
    f = write_csv(tmp_path / "a.csv", _header(), _rows(5))
    _imp(capsys, fresh_ws_path, f)
    _imp(capsys, other, f)

    def fps(db):
        with sqlite3.connect(db) as c:
            return [fp for (fp,) in c.execute("SELECT fingerprint FROM respondent_fingerprints ORDER BY 1")]
    mine, theirs = fps(fresh_ws_path), fps(other)
    assert len(mine) == 5 and not set(mine) & set(theirs)
    plain = {hashlib.sha256(str(c).encode()).hexdigest()[:32] for r in _rows(5) for c in r}
    assert not set(mine) & plain
    raw = fresh_ws_path.read_bytes() + b"".join(p.read_bytes() for p in fresh_ws_path.parent.glob("school.sqlite-wal"))
    assert b"school.kr" not in raw


# ---------------------------------------------------------------- older workspaces

FIXTURES = __import__("pathlib").Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize("version", [5, 6])
def test_an_older_workspace_upgrades_and_takes_later_downloads(version, tmp_path, capsys):
    import shutil

    from schoolvault.workspace import migrations
    db = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / f"schema_v{version}.sqlite", db)
    with open_workspace(db) as ws:
        assert migrations.schema_version(ws.conn) == migrations.SCHEMA_VERSION >= 6
        kept = ws.conn.execute("SELECT COUNT(*) FROM respondent_fingerprints").fetchone()[0]
        n0 = ws.conn.execute("SELECT COUNT(*) FROM respondents").fetchone()[0]
        year = services.require_school(ws)[1]
    assert kept == (7 if version == 6 else 0)
    rows = [[r[0].replace("2026", str(year))] + r[1:] for r in _rows(12)]
    _imp(capsys, db, write_csv(tmp_path / "a.csv", _header(), rows[:9]))
    assert _imp(capsys, db, write_csv(tmp_path / "b.csv", _header(), rows))["respondents"] == 3
    listed = run_json(capsys, "--db", db, "imports", "list")["imports"]
    oldest = listed[0]
    assert oldest["file"] == "교원응답.xlsx"
    run_json(capsys, "--db", db, "imports", "delete", oldest["id"])
    assert _count(db) == n0 + 12 - oldest["rows"]
