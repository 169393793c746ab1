"""One writer: a second instance is told the workspace is in use and can open it read-only;
a lock left by a dead process is taken over."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from schoolvault.errors import WorkspaceError
from schoolvault.workspace import lock, open_workspace

HOLD = """
import sys, time
from schoolvault.workspace import open_workspace
ws = open_workspace(sys.argv[1])
print("open", flush=True)
time.sleep(60)
"""


@pytest.fixture
def holder(fresh_ws_path):
    """Another SchoolVault process holding the workspace open for writing."""
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(fresh_ws_path)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "open"
    yield p
    if p.poll() is None:
        p.kill()
    p.wait(10)


def test_second_instance_is_told_the_workspace_is_in_use(holder, fresh_ws_path):
    with pytest.raises(lock.WorkspaceInUse) as e:
        open_workspace(fresh_ws_path)
    assert "사용하고 있습니다" in e.value.message
    assert f"프로세스 {holder.pid}" in e.value.where and socket.gethostname() in e.value.where
    assert "읽기 전용" in e.value.hint
    assert e.value.owner["pid"] == holder.pid


def test_second_instance_can_open_read_only(holder, fresh_ws_path):
    with open_workspace(fresh_ws_path, readonly=True) as ws:
        assert ws.conn.execute("SELECT name FROM school").fetchone()[0] == "서울시험초등학교"


def test_cli_in_a_second_instance_exits_1_with_the_message(holder, fresh_ws_path, capsys):
    from schoolvault.cli import main
    assert main(["--db", str(fresh_ws_path), "self-eval", "set", "1-1-1", "--rating", "2"]) == 1
    assert capsys.readouterr().err.startswith("오류: 다른 SchoolVault 창이나 컴퓨터에서")


def test_lock_of_a_killed_process_is_taken_over(holder, fresh_ws_path):
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    assert lock.lock_path(fresh_ws_path).exists()  # left behind by kill -9
    with open_workspace(fresh_ws_path) as ws:
        assert lock.read_owner(fresh_ws_path)["pid"] == os.getpid()
        assert ws.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_stale_lock_file_naming_a_dead_pid_is_taken_over(fresh_ws_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock.lock_path(fresh_ws_path).write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(),
                                                          "since": "2025-01-01T00:00:00"}))
    with open_workspace(fresh_ws_path):
        assert lock.read_owner(fresh_ws_path)["pid"] == os.getpid()
    assert not lock.lock_path(fresh_ws_path).exists()  # released on close


def test_lock_file_with_garbage_is_taken_over(fresh_ws_path):
    lock.lock_path(fresh_ws_path).write_bytes(b"\x00\xff garbage")
    open_workspace(fresh_ws_path).close()


def test_same_process_may_open_twice_and_the_lock_lasts_until_the_last_close(fresh_ws_path):
    a = open_workspace(fresh_ws_path)
    b = open_workspace(fresh_ws_path)
    a.close()
    assert lock.held_here(fresh_ws_path)
    b.close()
    assert not lock.held_here(fresh_ws_path)
    assert not lock.lock_path(fresh_ws_path).exists()


def test_a_refused_open_leaves_no_lock_behind(fresh_ws_path):
    import sqlite3

    from schoolvault.workspace import migrations
    sqlite3.connect(fresh_ws_path).execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    with pytest.raises(WorkspaceError):
        open_workspace(fresh_ws_path)
    assert not lock.held_here(fresh_ws_path)
    assert not lock.lock_path(fresh_ws_path).exists()


def test_lock_is_released_when_the_holder_closes(holder, fresh_ws_path):
    holder.terminate()
    holder.wait(10)
    deadline = time.monotonic() + 5
    while True:
        try:
            open_workspace(fresh_ws_path).close()
            break
        except lock.WorkspaceInUse:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_backup_works_while_another_instance_is_writing(holder, fresh_ws_path, tmp_path, capsys):
    from schoolvault.cli import main
    from schoolvault.workspace import backup
    assert main(["--db", str(fresh_ws_path), "backup", str(tmp_path / "while-open.sqlite")]) == 0
    assert backup.check_file(tmp_path / "while-open.sqlite") == []
    assert "백업했습니다" in capsys.readouterr().out


def test_waiting_for_the_other_instance_returns_when_it_closes(holder, fresh_ws_path):
    assert not lock.wait_until_free(fresh_ws_path, 0.3, poll=0.05)
    holder.terminate()
    assert lock.wait_until_free(fresh_ws_path, 10, poll=0.05)
    open_workspace(fresh_ws_path).close()
