"""A file whose headers fit another group's items clearly better is refused before anything is written,
naming the likely group (issue 14, item 2)."""

from __future__ import annotations

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

from schoolvault.forms.model import Survey
from schoolvault.importing.plan import group_fit
from schoolvault.workspace import open_workspace


def _file(tmp_path, group: str, codes: set[str] | None = None):
    items = [i for i in sodi_items(group) if codes is None or i.code in codes]
    return write_csv(tmp_path / f"{group}.csv", ["타임스탬프"] + [f"{n}. {i.text}" for n, i in enumerate(items, 1)],
                     [[f"2026/06/02 오전 9:00:{r:02d}"] + [AGREE5[(r * 3 + j) % 5] for j in range(len(items))]
                      for r in range(7)])


def _snapshot(db) -> bytes:
    with open_workspace(db) as ws:
        ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.read_bytes()


def test_a_teachers_file_imported_as_staff_is_refused_with_the_likely_group(fresh_ws_path, tmp_path, capsys):
    f = _file(tmp_path, "교원")
    before = _snapshot(fresh_ws_path)
    code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "직원")
    assert_refused(code, out, err, "'교원'")
    assert "--group 교원" in err and "--force-group" in err
    assert _snapshot(fresh_ws_path) == before


def test_the_likely_group_imports_and_force_group_keeps_the_chosen_one(fresh_ws_path, tmp_path, capsys):
    f = _file(tmp_path, "교원")
    assert run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원",
                    "--period", "중간")["respondents"] == 7
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "직원",
                 "--force-group", "--replace")
    assert r["group"] == "직원" and r["respondents"] == 7
    with sqlite3.connect(fresh_ws_path) as c:
        assert c.execute("SELECT grp FROM administrations").fetchall() == [("직원",)]


def test_dry_run_names_the_likely_group_without_refusing(fresh_ws_path, tmp_path, capsys):
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", _file(tmp_path, "학부모"), "--instrument", SODI,
                 "--group", "학생", "--dry-run")
    assert r["likely_group"] == "학부모" and any("'학부모' 문항" in p for p in r["problems"])


def test_the_right_group_and_a_file_of_shared_items_get_no_suggestion(fresh_ws_path, tmp_path, capsys):
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", _file(tmp_path, "직원"), "--instrument", SODI,
                 "--group", "직원", "--dry-run")
    assert r["likely_group"] is None
    shared = {i.code for i in sodi_items("교원")} & {i.code for i in sodi_items("직원")}
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", _file(tmp_path, "교원", shared),
                 "--instrument", SODI, "--group", "직원", "--dry-run")
    assert r["likely_group"] is None


def test_group_fit_counts_columns_per_group():
    from schoolvault.catalog import resolve
    s = resolve(None, SODI).instrument
    assert isinstance(s, Survey)
    headers = [i.text for i in s.items_for("학부모")]
    matches, likely = group_fit(headers, s, "교원")
    assert likely == "학부모" and matches["학부모"] == len(headers)
    assert matches["교원"] == sum(1 for i in s.items_for("학부모") if i.applies_to("교원"))
