"""A full disk, a read-only file or a busy lock mid-write: rolled back, told in Korean, nothing half-saved."""

from __future__ import annotations

import csv
import io
import random
import sqlite3

import pytest
from safety_helpers import digest

from schoolvault import catalog, services
from schoolvault.errors import WorkspaceError
from schoolvault.importing import import_responses
from schoolvault.workspace import open_workspace


def big_csv(path, n: int = 2000) -> None:
    items = list(catalog.resolve(None, "sodi-example-2025").instrument.items_for("학생"))
    rng = random.Random(3)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([i.text for i in items])
    for _ in range(n):
        w.writerow([rng.randint(1, 5) for _ in items])
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_disk_full_during_an_import_rolls_back_and_says_so(fresh_ws_path, tmp_path):
    src = tmp_path / "학생.csv"
    big_csv(src)
    with open_workspace(fresh_ws_path) as ws:
        pages = ws.conn.execute("PRAGMA page_count").fetchone()[0]
        ws.conn.execute(f"PRAGMA max_page_count = {pages + 20}")  # the disk fills up mid-import
        with pytest.raises(WorkspaceError, match="저장 공간이 부족") as e:
            import_responses(ws, src, "sodi-example-2025", "학생")
        assert "빈 공간" in e.value.hint
        assert not ws.conn.in_transaction
        assert ws.conn.execute("SELECT COUNT(*) FROM respondents").fetchone()[0] == 0
        ws.conn.execute(f"PRAGMA max_page_count = {2**31}")  # space freed: the same import now works
        assert import_responses(ws, src, "sodi-example-2025", "학생")["respondents"] == 2000
        assert services.check(ws) == []


def test_write_to_a_read_only_workspace_is_refused_in_korean(fresh_ws_path):
    before = digest(fresh_ws_path)
    with open_workspace(fresh_ws_path) as ws:
        ws.conn.execute("PRAGMA query_only = 1")
        code = services.self_eval_list(ws)[0]["indicator"]
        with pytest.raises(WorkspaceError, match="읽기 전용"):
            services.self_eval_set(ws, code, evidence="못 쓰는 내용")
    assert digest(fresh_ws_path) == before


def test_write_while_another_connection_holds_the_write_lock_is_refused_in_korean(fresh_ws_path):
    with open_workspace(fresh_ws_path) as ws:
        other = sqlite3.connect(fresh_ws_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        ws.conn.execute("PRAGMA busy_timeout = 100")
        code = services.self_eval_list(ws)[0]["indicator"]
        try:
            with pytest.raises(WorkspaceError, match="다른 프로그램이 작업 파일을 쓰고"):
                services.self_eval_set(ws, code, evidence="기다리다 포기")
        finally:
            other.execute("ROLLBACK")
            other.close()
        services.self_eval_set(ws, code, evidence="나중에 저장")
        assert services.self_eval_list(ws)[0]["evidence"] == "나중에 저장"


def test_a_bug_inside_a_transaction_is_not_disguised(fresh_ws):
    with pytest.raises(sqlite3.OperationalError, match="no such table"), fresh_ws.transaction():
        fresh_ws.conn.execute("INSERT INTO no_such_table VALUES (1)")
    assert not fresh_ws.conn.in_transaction


def test_nested_savepoint_failure_rolls_back_only_the_inner_part(fresh_ws):
    with fresh_ws.transaction():
        fresh_ws.set_setting("outer", "1")
        with pytest.raises(ValueError), fresh_ws.transaction():
            fresh_ws.set_setting("inner", "1")
            raise ValueError("inner fails")
    assert fresh_ws.setting("outer") == "1" and fresh_ws.setting("inner") is None
