"""Temporary files of killed exports, backups and restores are cleaned on the next run: only our own names,
only files older than the running process (issue 14, item 14)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from schoolvault import leftovers
from schoolvault.workspace import backup, open_workspace

LONG_AGO = time.time() - 3 * 86400


def _old(path: Path, data: bytes = b"half") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (LONG_AGO, LONG_AGO))
    return path


def test_opening_a_workspace_removes_what_killed_backups_restores_and_exports_left(fresh_ws_path):
    folder = fresh_ws_path.parent
    stem = fresh_ws_path.stem
    ours = [_old(folder / ".schoolvault-ab12cd34.xlsx"), _old(folder / ".schoolvault-q9_x7k2m.pdf"),
            _old(folder / f"{fresh_ws_path.name}.restoring.partial"), _old(folder / f"{fresh_ws_path.name}.restoring"),
            _old(folder / "backups" / f"{stem}.20250101-090000.open.sqlite.partial")]
    kept = [_old(folder / "결과.xlsx"), _old(folder / ".schoolvault-메모.txt"),
            _old(folder / "backups" / "다른학교.20250101-090000.open.sqlite.partial"),
            _old(folder / "backups" / f"{stem}.20250101-090000.open.sqlite")]
    fresh = folder / ".schoolvault-zz99yy88.xlsx"  # another instance's export in progress, started after us
    fresh.write_bytes(b"writing")
    with open_workspace(fresh_ws_path):
        pass
    assert [p for p in ours if p.exists()] == []
    assert all(p.exists() for p in kept) and fresh.exists()


def test_an_export_removes_earlier_killed_exports_in_its_folder(demo_ws, tmp_path):
    from schoolvault.reports.workbook import export_workbook
    out = tmp_path / "내보내기"
    left = _old(out / ".schoolvault-k1ll3d00.xlsx")
    export_workbook(demo_ws, out / "결과.xlsx")
    assert not left.exists() and (out / "결과.xlsx").exists()


def test_a_read_only_open_touches_nothing(fresh_ws_path):
    left = _old(fresh_ws_path.parent / ".schoolvault-ab12cd34.xlsx")
    with open_workspace(fresh_ws_path, readonly=True):
        pass
    assert left.exists()


def test_a_killed_backup_leaves_a_partial_that_the_next_run_removes(demo_ws_path, tmp_path):
    # a backup killed mid-copy (simulated: the copy sleeps), then a new process opens the workspace
    child = subprocess.Popen([sys.executable, "-c", """
import sys, time
from schoolvault.workspace import backup
def slow(src, dest):
    tmp = dest.with_name(dest.name + ".partial")
    tmp.write_bytes(b"half a backup")
    print("partial", tmp, flush=True)
    time.sleep(60)
backup._copy_verified = slow
backup.make_backup(sys.argv[1], reason="manual")
""", str(demo_ws_path)], stdout=subprocess.PIPE, text=True)
    try:
        partial = Path(child.stdout.readline().split(" ", 1)[1].strip())
        child.kill()
        child.wait(10)
        assert partial.exists()
        os.utime(partial, (time.time() - 60, time.time() - 60))  # the next run comes a minute later
        subprocess.run([sys.executable, "-c", ("import sys; from schoolvault.workspace import open_workspace; "
                        "open_workspace(sys.argv[1]).close()"), str(demo_ws_path)], check=True, timeout=60)
        assert not partial.exists()
        assert all(b.path != partial for b in backup.list_backups(demo_ws_path))
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)


def test_the_process_start_is_before_now_and_after_boot():
    assert leftovers.process_started() <= time.time()
    assert leftovers.process_started() > time.time() - 86400 * 365
