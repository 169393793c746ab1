"""Hostile and broken response files through `import-responses`: refused cleanly or imported correctly.

Every case: exit 1 with a Korean message naming the problem and the fix, no traceback, and the
workspace file byte-identical — or, where a file is odd but readable, a correct import.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys

import pytest
from hostile_files import CASES, GROUP, INSTRUMENT, N_ROWS, Case, csv_bytes, valid_table

HANGUL = re.compile(r"[가-힣]")


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(argv, capsys) -> tuple[int, str, str]:
    from schoolvault.cli import main
    try:
        rc = main(argv)
    except SystemExit as e:  # argparse usage errors
        rc = e.code
    except Exception as e:  # noqa: BLE001 - anything else would be a traceback for the user
        pytest.fail(f"uncaught {type(e).__name__}: {e}")
    out, err = capsys.readouterr()
    return rc, out, err


def import_argv(db, path) -> list[str]:
    return ["--db", str(db), "--json", "import-responses", str(path), "--instrument", INSTRUMENT, "--group", GROUP]


def assert_refused(rc: int, err: str) -> None:
    assert rc == 1, err
    assert err.startswith("오류: ") and HANGUL.search(err.splitlines()[0][4:]), err
    assert "해결 방법:" in err, err  # says what to do
    assert "Traceback" not in err


def assert_unchanged(db, before: str) -> None:
    assert digest(db) == before, "workspace file changed by a refused import"
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def respondents(db) -> int:
    from schoolvault.workspace import open_workspace
    with open_workspace(db, readonly=True) as ws:
        return ws.conn.execute("SELECT COUNT(*) FROM respondents").fetchone()[0]


def workspace_problems(db) -> list[str]:
    from schoolvault import services
    from schoolvault.workspace import open_workspace
    with open_workspace(db) as ws:
        return services.check(ws)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file_is_refused_cleanly_or_imported_correctly(case: Case, fresh_ws_path, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    path = case.write(folder)
    before = digest(fresh_ws_path)
    rc, out, err = run_cli(import_argv(fresh_ws_path, path), capsys)
    if case.expect == "refuse" or (case.expect == "either" and rc != 0):
        assert_refused(rc, err)
        assert_unchanged(fresh_ws_path, before)
        return
    assert rc == 0, f"expected a correct import, got: {err}"
    summary = json.loads(out)
    assert summary["respondents"] == case.respondents
    assert respondents(fresh_ws_path) == case.respondents
    assert workspace_problems(fresh_ws_path) == []


def test_missing_file_is_refused(fresh_ws_path, tmp_path, capsys):
    before = digest(fresh_ws_path)
    rc, _, err = run_cli(import_argv(fresh_ws_path, tmp_path / "없는파일.xlsx"), capsys)
    assert_refused(rc, err)
    assert_unchanged(fresh_ws_path, before)


def test_folder_named_like_a_csv_is_refused(fresh_ws_path, tmp_path, capsys):
    d = tmp_path / "폴더.csv"
    d.mkdir()
    before = digest(fresh_ws_path)
    rc, _, err = run_cli(import_argv(fresh_ws_path, d), capsys)
    assert_refused(rc, err)
    assert_unchanged(fresh_ws_path, before)


def test_same_file_twice_is_refused_the_second_time(fresh_ws_path, tmp_path, capsys):
    path = tmp_path / "응답.csv"
    path.write_bytes(csv_bytes(valid_table()))
    rc, _, err = run_cli(import_argv(fresh_ws_path, path), capsys)
    assert rc == 0, err
    before = digest(fresh_ws_path)
    rc, _, err = run_cli(import_argv(fresh_ws_path, path), capsys)
    assert_refused(rc, err)
    assert_unchanged(fresh_ws_path, before)
    assert respondents(fresh_ws_path) == N_ROWS


@pytest.mark.parametrize("name", ["encrypted xlsx", "binary garbage csv", "truncated xlsx"])
def test_real_process_prints_no_traceback(name, fresh_ws_path, tmp_path):
    case = next(c for c in CASES if c.name == name)
    path = case.write(tmp_path)
    before = digest(fresh_ws_path)
    r = subprocess.run([sys.executable, "-c", "import sys; from schoolvault.cli import main; sys.exit(main())",
                        *import_argv(fresh_ws_path, path)], capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr and r.stderr.startswith("오류: "), r.stderr
    assert_unchanged(fresh_ws_path, before)
