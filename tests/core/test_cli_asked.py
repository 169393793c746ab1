"""schoolvault-cli survey asked: people asked per group and the response rate."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from schoolvault.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SODI = "sodi-example-2025"


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "v7.sqlite"
    shutil.copy(FIXTURES / "schema_v7.sqlite", path)  # 교원 9 of 12 asked, 학부모 12 of 30 (학년말)
    return path


def _saved(path: Path) -> tuple[list, list]:
    conn = sqlite3.connect(path)
    try:
        return (conn.execute("SELECT * FROM asked ORDER BY 1, 2, 3").fetchall(),
                conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall())
    finally:
        conn.close()


def run(capsys, *args):
    try:
        code = main([str(a) for a in args])
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def test_without_count_it_lists_every_group(db, capsys):
    code, out, err = run(capsys, "--db", db, "survey", "asked", "--instrument", SODI, "--json")
    assert code == 0, err
    rows = {r["group"]: r for r in json.loads(out)["groups"]}
    assert (rows["교원"]["respondents"], rows["교원"]["asked"]) == (9, 12)
    assert rows["교원"]["rate"] == pytest.approx(75.0)
    assert rows["학생"]["asked"] is None and rows["학생"]["rate"] is None
    code, out, _ = run(capsys, "--db", db, "survey", "asked", "--instrument", SODI)
    assert code == 0
    assert "교원: 응답 9명 / 대상 12명 → 75.0%" in out
    assert "학생: 응답 0명 / 대상 모름 → -" in out


def test_count_is_stored_and_shown(db, capsys):
    code, out, err = run(capsys, "--db", db, "survey", "asked", "--instrument", SODI, "--group", "교원",
                         "--count", "40", "--json")
    assert code == 0, err
    (row,) = json.loads(out)["groups"]
    assert (row["group"], row["respondents"], row["asked"]) == ("교원", 9, 40)
    assert row["rate"] == pytest.approx(9 / 40 * 100)
    code, out, _ = run(capsys, "--db", db, "survey", "asked", "--instrument", SODI, "--group", "교원",
                       "--period", "중간")
    assert "교원: 응답 7명 / 대상 40명 → 17.5%" in out


def test_over_100_percent_is_flagged(db, capsys):
    code, out, _ = run(capsys, "--db", db, "survey", "asked", "--instrument", SODI, "--group", "교원", "--count", "6")
    assert code == 0
    assert "150.0% (응답자가 대상자보다 많습니다)" in out


@pytest.mark.parametrize("extra, message", [
    (["--group", "교원", "--count", "-3"], "오류: 대상자 수는 0보다 작을 수 없습니다"),
    (["--group", "교원", "--count", "500000"], "오류: 대상자 수 500,000명은 너무 많습니다"),
    (["--group", "외계인", "--count", "4"], "오류: 응답 집단 '외계인'은(는) 이 설문에 없습니다"),
    (["--count", "4"], "오류: 대상자 수를 적을 집단을 고르세요"),
])
def test_bad_counts_exit_1_in_korean_and_change_nothing(db, capsys, extra, message):
    before = _saved(db)
    code, _, err = run(capsys, "--db", db, "survey", "asked", "--instrument", SODI, *extra)
    assert code == 1
    assert err.startswith(message)
    assert _saved(db) == before


def test_help_has_an_example(capsys):
    code, out, _ = run(capsys, "survey", "asked", "--help")
    assert code == 0
    assert "예: schoolvault-cli survey asked --instrument" in out and "--count 40" in out
