"""`check` reports the app's own invariants, not only SQLite's integrity check."""

from __future__ import annotations

import pytest

from schoolvault import services
from schoolvault.workspace import migrations, open_workspace


def problems_after(path, *sql: str) -> list[str]:
    with open_workspace(path) as ws:
        with ws.transaction():
            for s in sql:
                ws.conn.execute(s)
        return services.check(ws)


def test_demo_workspace_has_no_problems(demo_ws):
    assert services.check(demo_ws) == []


@pytest.mark.parametrize("sql, words", [
    ("UPDATE answers SET value = 9 WHERE respondent_id = (SELECT MIN(respondent_id) FROM answers)", "척도(1~5) 밖"),
    ("UPDATE answers SET value = 9 WHERE item = (SELECT MIN(item) FROM answers)", "척도(1~5) 밖"),
    ("UPDATE answers SET item = 'X999' WHERE item = (SELECT MIN(item) FROM answers)", "설문에 없는 문항 코드"),
    ("UPDATE administrations SET n_respondents = n_respondents + 1 WHERE id = (SELECT MIN(id) FROM administrations)",
     "응답자 수 기록"),
    ("UPDATE instruments SET content = content || ' ' WHERE kind = 'survey'", "해시 불일치"),
    ("UPDATE self_evaluations SET rating = 7 WHERE indicator = (SELECT MIN(indicator) FROM self_evaluations)",
     "등급 범위"),
])
def test_broken_invariant_is_reported(demo_ws_path, sql, words):
    problems = problems_after(demo_ws_path, sql)
    assert any(words in p for p in problems), problems


def test_missing_frozen_instrument_is_reported(demo_ws_path):
    with open_workspace(demo_ws_path) as ws:
        ws.conn.execute("PRAGMA foreign_keys = OFF")
        ws.conn.execute("DELETE FROM instruments WHERE kind = 'survey'")
        problems = services.check(ws)
    assert any("보관본" in p and "없습니다" in p for p in problems), problems


def test_cli_check_exits_1_and_names_the_problem(demo_ws_path, capsys):
    from schoolvault.cli import main
    problems_after(demo_ws_path, "UPDATE answers SET value = 6 WHERE respondent_id = (SELECT MAX(respondent_id) FROM answers)")
    assert main(["--db", str(demo_ws_path), "check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("오류: 작업 파일에 문제가 있습니다") and "척도(1~5) 밖" in err


@pytest.mark.parametrize("sql, words", [
    ("DROP TABLE audit_log", "'audit_log' 표가 없습니다"),
    ("DROP TABLE asked", "'asked' 표가 없습니다"),
    ("ALTER TABLE comments DROP COLUMN personal",
     f"'comments' 표에 열이 없습니다 (스키마 {migrations.SCHEMA_VERSION}): personal"),
])
def test_a_table_or_column_the_schema_promises_is_reported_when_missing(demo_ws_path, sql, words):
    problems = problems_after(demo_ws_path, sql)
    assert any(words in p for p in problems), problems
    assert not any("검사 중 오류" in p for p in problems), problems
