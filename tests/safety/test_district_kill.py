"""`kill -9` of `district import` while its reading processes work: they die with it and the
workspace is free again at once (issue 14, item 12)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from schoolvault.workspace import lock, open_workspace

pytestmark = pytest.mark.skipif(os.name != "posix", reason="kill -9 and fork are POSIX")

DISTRICT_IMPORT_CHILD = """
import os, sys, time
from schoolvault.district import importer
from schoolvault.workspace import open_workspace

def slow_read(path, items=True):
    os.write(1, f"worker {os.getpid()}\\n".encode())  # one write: two workers share the pipe
    time.sleep(60)  # a reading process busy with a big file

importer.read_submission = slow_read   # forked workers inherit the patch
importer.CHUNK = 1
ws = open_workspace(sys.argv[1], create=True)
print("open", flush=True)
importer.import_submissions(ws, sys.argv[2:], workers=2)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for init to reap it is dead for our purpose
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def test_kill_9_of_district_import_frees_the_workspace_and_ends_its_workers(tmp_path):
    db = tmp_path / "교육청.sqlite"
    files = []
    for i in range(6):
        f = tmp_path / f"학교{i}.xlsx"
        f.write_bytes(b"PK not really")
        files.append(f)
    p = subprocess.Popen([sys.executable, "-c", DISTRICT_IMPORT_CHILD, str(db), *map(str, files)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = p.stdout.readline()
        assert first.strip() == "open", (first, p.wait(10), p.stderr.read()[-1500:])
        lines = [p.stdout.readline() for _ in range(2)]
        assert all(line.startswith("worker ") for line in lines), (lines, p.poll())
        workers = {int(line.split()[1]) for line in lines}
        p.send_signal(signal.SIGKILL)
        p.wait(10)
        assert lock.wait_until_free(db, timeout=5), "the killed import's workers still hold the workspace"
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(w) for w in workers), "reading processes outlived the killed import"
        with open_workspace(db) as ws:
            assert lock.read_owner(db)["pid"] == os.getpid()
            assert ws.conn.execute("SELECT COUNT(*) FROM district_schools").fetchone()[0] == 0
    finally:
        if p.poll() is None:
            p.kill()
            p.wait(10)


def test_a_lock_kept_by_orphans_of_a_dead_holder_is_taken_over(fresh_ws_path):
    # the holder forks a child that inherits the locked file, then the holder is killed
    script = """
import os, sys, time
from schoolvault.workspace import open_workspace
ws = open_workspace(sys.argv[1])
if os.fork() == 0:
    time.sleep(60)
    os._exit(0)
print("open", flush=True)
time.sleep(60)
"""
    p = subprocess.Popen([sys.executable, "-c", script, str(fresh_ws_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "open"
        holder = p.pid
        p.send_signal(signal.SIGKILL)
        p.wait(10)
        assert lock.read_owner(fresh_ws_path)["pid"] == holder
        with open_workspace(fresh_ws_path) as ws:
            assert lock.read_owner(fresh_ws_path)["pid"] == os.getpid()
            assert ws.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        if p.poll() is None:
            p.kill()
            p.wait(10)
