"""Re-imports: a later download of the same form adds only its new rows; --replace replaces the named
import; `imports list` and `imports delete` (backup first, audited)."""

from __future__ import annotations

import random
import sqlite3

from _import_util import (
    AGREE5,
    SODI,
    assert_refused,
    run,
    run_json,
    sodi_items,
    write_csv,
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
