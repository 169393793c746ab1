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
    assert 1 in versions
    assert max(versions) <= migrations.SCHEMA_VERSION


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
