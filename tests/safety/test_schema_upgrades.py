"""Every released schema's fixture workspace upgrades to the current schema with every row intact."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from schoolvault.errors import WorkspaceError
from schoolvault.workspace import backup, migrations, open_workspace

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCHEMA_FIXTURES = sorted(FIXTURES.glob("schema_v*.sqlite"))


def all_rows(path: Path) -> dict[str, tuple[list[str], set[tuple]]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        out = {}
        for t in tables:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
            out[t] = (cols, set(conn.execute(f"SELECT {', '.join(cols)} FROM {t}")))
        return out
    finally:
        conn.close()


def test_there_is_a_fixture_for_every_released_schema_before_the_current_one():
    versions = {int(p.stem.removeprefix("schema_v")) for p in SCHEMA_FIXTURES}
    assert {1, 2} <= versions  # schema 2 (district tables) was released 2025-11-25
    assert versions == set(range(1, max(versions) + 1))  # no released schema skipped
    assert max(versions) <= migrations.SCHEMA_VERSION
    for p in SCHEMA_FIXTURES:  # each fixture is at the schema its name says
        v = int(p.stem.removeprefix("schema_v"))
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)
        try:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == v
        finally:
            conn.close()


@pytest.mark.parametrize("fixture", SCHEMA_FIXTURES, ids=[p.name for p in SCHEMA_FIXTURES])
def test_fixture_upgrades_and_keeps_every_row(fixture, tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(fixture, path)
    before = all_rows(path)
    assert sum(len(rows) for _, rows in before.values()) > 300  # a real workspace, not an empty shell
    old_version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    with open_workspace(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    after = all_rows(path)
    for table, (cols, rows) in before.items():
        assert table in after, f"table {table} disappeared"
        new_cols, new_rows = after[table]
        idx = [new_cols.index(c) for c in cols]
        projected = {tuple(r[i] for i in idx) for r in new_rows}
        assert rows <= projected, f"rows of {table} lost or changed in the upgrade"
    if old_version < migrations.SCHEMA_VERSION:
        kept = [b for b in backup.list_backups(path) if b.reason == "migrate"]
        assert len(kept) == 1 and all_rows(kept[0].path) == before  # the old schema's data, untouched


@pytest.mark.parametrize("fixture", SCHEMA_FIXTURES, ids=[p.name for p in SCHEMA_FIXTURES])
def test_upgraded_fixture_works_with_todays_services(fixture, tmp_path):
    from schoolvault import services
    path = tmp_path / "old.sqlite"
    shutil.copy(fixture, path)
    with open_workspace(path) as ws:
        assert services.check(ws) == []
        rated = [r for r in services.self_eval_list(ws) if r["rating"] is not None]
        assert len(rated) == 5
        st = services.stats(ws, "sodi-example-2025", "교원")
        assert st["groups"]["교원"]
        # and it can be written to at the new schema
        services.self_eval_set(ws, rated[0]["indicator"], evidence="업그레이드 후 입력")


def test_workspace_from_a_newer_app_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "future.sqlite"
    shutil.copy(SCHEMA_FIXTURES[0], path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(WorkspaceError) as e:
        open_workspace(path)
    assert "더 새로운 버전의 SchoolVault" in e.value.message
    assert "업데이트" in e.value.hint
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "backups").exists()  # nothing written beside it either


def test_newer_workspace_via_cli_exits_1_with_korean_message(tmp_path, capsys):
    from schoolvault.cli import main
    path = tmp_path / "future.sqlite"
    shutil.copy(SCHEMA_FIXTURES[0], path)
    sqlite3.connect(path).execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 5}")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["--db", str(path), "status"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("오류: 더 새로운 버전의 SchoolVault에서 만든 작업 파일입니다")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def _district_count(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        has = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'district_schools'").fetchone()
        return conn.execute("SELECT COUNT(*) FROM district_schools").fetchone()[0] if has else 0
    finally:
        conn.close()


DISTRICT_FIXTURES = [p for p in SCHEMA_FIXTURES if _district_count(p)]


def _independent_school_scores(data: bytes) -> tuple[str, float | None, dict]:
    """(school name, overall score, {group: n}) straight from a submitted workbook with pandas: the mean
    of the domain 100-point scores of groups with at least 5 respondents (not the app's reader)."""
    import io

    import pandas as pd
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object,
                           engine="openpyxl")  # not calamine, which the app reads with
    meta = dict(zip(sheets["메타데이터"][0], sheets["메타데이터"][1]))
    body = sheets["제출자료"]
    body.columns = list(body.iloc[0])
    body = body.iloc[1:]
    resp = body[body["kind"] == "respondents"]
    counts = {g: (None if n == "n<5" else int(n)) for g, n in zip(resp["group"], resp["n"])}
    ok = [g for g, n in counts.items() if n is not None and n >= 5]
    dom = body[(body["kind"] == "domain") & body["group"].isin(ok)]["score100"].astype(float)
    return meta["school_name"], (float(dom.mean()) if len(dom) else None), counts


def test_the_district_fixture_holds_every_district_table():
    assert DISTRICT_FIXTURES, "no schema fixture with district submissions"
    for fixture in DISTRICT_FIXTURES:
        rows = all_rows(fixture)
        for table in ("district_layouts", "district_schools", "district_submissions", "district_labels",
                      "benchmarks"):
            assert rows[table][1], f"{fixture.name}: no rows in {table}"
        assert 2 <= _district_count(fixture) <= 3


@pytest.mark.parametrize("fixture", DISTRICT_FIXTURES, ids=[p.name for p in DISTRICT_FIXTURES])
def test_district_rows_of_an_old_schema_work_today(fixture, tmp_path, capsys):
    import json

    from schoolvault.cli import main
    from schoolvault.district import benchmark
    from schoolvault.district.aggregate import pack_summary, summarize_school
    from schoolvault.district.importer import stored_rows
    from schoolvault.district.reader import read_submission_bytes
    from schoolvault.workspace import district as district_db

    fixture_hash = hashlib.sha256(fixture.read_bytes()).hexdigest()
    path = tmp_path / "district.sqlite"
    shutil.copy(fixture, path)
    before = all_rows(path)
    db = ["--db", str(path)]

    assert main([*db, "check"]) == 0
    assert "문제가 없습니다" in capsys.readouterr().out
    assert main([*db, "district", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)

    stored = sorted(before["district_schools"][1])
    cols = before["district_schools"][0]
    col = {c: i for i, c in enumerate(cols)}
    files = {sid: bytes(f) for sid, f in before["district_submissions"][1]}
    assert stats["year"] == max(r[col["year"]] for r in stored)
    assert stats["n_schools"] == len(stored)
    by_name = {s["name"]: s for s in stats["schools"]}
    assert set(by_name) == {r[col["school_name"]] for r in stored}
    for r in stored:
        name, score, counts = _independent_school_scores(files[r[col["id"]]])
        assert score is not None
        got = by_name[name]
        assert (got["level"], got["district"], got["checksum_ok"]) == (
            r[col["level"]], r[col["district"]], bool(r[col["checksum_ok"]]))
        assert got["score100"] == pytest.approx(score, abs=1e-9)
        inst = next(iter(got["respondents"]))
        assert got["respondents"][inst] == {g: ("n<5" if n is None else n) for g, n in counts.items()}
    for lv in {r[col["level"]] for r in stored}:
        assert stats["by_level"][lv]["n_schools"] == sum(1 for r in stored if r[col["level"]] == lv)

    with open_workspace(path) as ws:
        for r in stored:
            sid = r[col["id"]]
            # the workbook as received still reads with today's reader: same checksum verdict, and the
            # values packed on import are what today's import would pack from it
            sub = read_submission_bytes(district_db.submission_file(ws, sid), Path(r[col["source_name"]]))
            assert sub.checksum_ok == bool(r[col["checksum_ok"]])
            assert sub.sha256 == r[col["source_sha256"]]
            layout, vals, extra = pack_summary(summarize_school(sub.rows))
            assert (vals, extra) == (r[col["vals"]], r[col["extra"]])
            assert layout == district_db.layout_map(ws)[r[col["layout_id"]]]
            assert len(stored_rows(ws, sid)) == len(sub.rows) > 0
        info = benchmark.benchmark_info(ws)
        assert info is not None and info["checksum_ok"]
        doc = json.loads(next(iter(before["benchmarks"][1]))[before["benchmarks"][0].index("content")])
        assert benchmark.load_for_school(ws) == doc["levels"]
        assert doc["checksum"] == hashlib.sha256(benchmark._canonical(doc["levels"])).hexdigest()

    after = all_rows(path)
    for table, (cols, rows) in before.items():  # the old schema's columns, as they were (a later
        if table == "audit_log":                # migration may add columns with their defaults)
            continue
        new_cols, new_rows = after[table]
        assert {tuple(r[new_cols.index(c)] for c in cols) for r in new_rows} == rows, table
    assert all(not after[t][1] for t in after if t not in before)  # tables added by a migration stay empty
    assert before["audit_log"][1] <= after["audit_log"][1]  # reading changed no data
    assert hashlib.sha256(fixture.read_bytes()).hexdigest() == fixture_hash  # the committed file untouched
