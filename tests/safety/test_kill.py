"""Pulling the plug: `kill -9` in the middle of a big import and of repeated self-evaluation writes.

Afterwards the workspace passes `check`, everything committed before is there, the killed
transaction left nothing behind, and the next open takes over the dead process's lock.
"""

from __future__ import annotations

import csv
import io
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from schoolvault import catalog, services
from schoolvault.workspace import open_workspace

BIG = 3000  # respondents in the killed import (> one executemany chunk)

IMPORT_CHILD = """
import sys, time
from schoolvault.importing import import_responses
from schoolvault.workspace import open_workspace, responses
real = responses.add_administration
def slow_add(*a, **k):
    adm = real(*a, **k)          # every row is inserted, the transaction is still open
    print("inserted", flush=True)
    time.sleep(60)
    return adm
responses.add_administration = slow_add
ws = open_workspace(sys.argv[1])
ws.conn.execute("PRAGMA cache_size = 20")  # a small cache spills the open transaction into the WAL
import_responses(ws, sys.argv[2], "sodi-example-2025", sys.argv[3])
print("committed", flush=True)
"""

FREE_IMPORT_CHILD = """
import sys
from schoolvault.importing import import_responses
from schoolvault.workspace import open_workspace
ws = open_workspace(sys.argv[1])
print("start", flush=True)
import_responses(ws, sys.argv[2], "sodi-example-2025", sys.argv[3])
ws.close()
print("committed", flush=True)
"""

SELFEVAL_CHILD = """
import sys
from schoolvault import services
from schoolvault.workspace import open_workspace
ws = open_workspace(sys.argv[1])
code = sys.argv[2]
i = 0
while True:
    services.self_eval_set(ws, code, rating=1 + i % 4, evidence=f"저장 {i}", improvements="가" * (i % 500))
    print(i, flush=True)
    i += 1
"""


def responses_csv(path, group: str, n: int, seed: int) -> None:
    items = list(catalog.resolve(None, "sodi-example-2025").instrument.items_for(group))
    rng = random.Random(seed)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([i.text for i in items])
    for _ in range(n):
        w.writerow([rng.randint(1, 5) for _ in items])
    path.write_bytes(buf.getvalue().encode("utf-8"))


def child(script: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kill9(p: subprocess.Popen) -> None:
    p.send_signal(signal.SIGKILL)
    p.wait(10)
    assert p.returncode == -signal.SIGKILL


def committed_state(path) -> dict:
    with open_workspace(path) as ws:
        assert services.check(ws) == []
        return {
            "respondents": ws.conn.execute("SELECT COUNT(*) FROM respondents").fetchone()[0],
            "answers": ws.conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0],
            "administrations": [tuple(r) for r in ws.conn.execute(
                "SELECT id, grp, n_respondents FROM administrations ORDER BY id")],
            "self_eval": [tuple(r) for r in ws.conn.execute(
                "SELECT indicator, rating, evidence FROM self_evaluations ORDER BY indicator")],
        }


def test_kill_during_a_big_import_loses_nothing_committed_and_leaves_no_half_import(fresh_ws_path, tmp_path):
    small, big = tmp_path / "교원.csv", tmp_path / "학생.csv"
    responses_csv(small, "교원", 30, seed=1)
    responses_csv(big, "학생", BIG, seed=2)
    with open_workspace(fresh_ws_path) as ws:
        from schoolvault.importing import import_responses
        import_responses(ws, small, "sodi-example-2025", "교원")
        code = services.self_eval_list(ws)[0]["indicator"]
        services.self_eval_set(ws, code, rating=3, evidence="죽기 전에 저장한 근거")
    before = committed_state(fresh_ws_path)

    p = child(IMPORT_CHILD, fresh_ws_path, big, "학생")
    assert p.stdout.readline().strip() == "inserted", p.stderr.read()
    wal = fresh_ws_path.with_name(fresh_ws_path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 100_000  # the half import really was written out
    kill9(p)

    assert committed_state(fresh_ws_path) == before


def test_kill_at_a_random_moment_of_an_import_leaves_all_or_nothing(fresh_ws_path, tmp_path):
    big = tmp_path / "학부모.csv"
    responses_csv(big, "학부모", BIG, seed=3)
    rng = random.Random(os.getpid())
    p = child(FREE_IMPORT_CHILD, fresh_ws_path, big, "학부모")
    assert p.stdout.readline().strip() == "start"
    time.sleep(rng.uniform(0.0, 0.8))
    if p.poll() is None:
        kill9(p)
    state = committed_state(fresh_ws_path)
    assert state["respondents"] in (0, BIG)
    assert [a[2] for a in state["administrations"]] in ([], [BIG])


def test_kill_during_repeated_self_evaluation_writes_keeps_every_committed_write(fresh_ws_path):
    with open_workspace(fresh_ws_path) as ws:
        code = services.self_eval_list(ws)[0]["indicator"]
    p = child(SELFEVAL_CHILD, fresh_ws_path, code)
    last = -1
    deadline = time.monotonic() + 20
    while last < 60 and time.monotonic() < deadline:
        line = p.stdout.readline()
        assert line, p.stderr.read()
        last = int(line)
    kill9(p)
    assert last >= 60
    with open_workspace(fresh_ws_path) as ws:
        assert services.check(ws) == []
        entry = next(r for r in services.self_eval_list(ws) if r["indicator"] == code)
    saved = int(entry["evidence"].removeprefix("저장 "))
    assert saved >= last  # reported as saved → still there (one more may have committed unreported)
    assert entry["rating"] == 1 + saved % 4 and entry["improvements"] == "가" * (saved % 500)


@pytest.mark.parametrize("when", ["inserted"])
def test_killed_import_can_be_imported_again_afterwards(fresh_ws_path, tmp_path, when):
    big = tmp_path / "학생.csv"
    responses_csv(big, "학생", BIG, seed=4)
    p = child(IMPORT_CHILD, fresh_ws_path, big, "학생")
    assert p.stdout.readline().strip() == when
    kill9(p)
    with open_workspace(fresh_ws_path) as ws:  # takes over the dead process's lock
        from schoolvault.importing import import_responses
        summary = import_responses(ws, big, "sodi-example-2025", "학생")  # not "already imported"
    assert summary["respondents"] == BIG
    assert committed_state(fresh_ws_path)["respondents"] == BIG


WAL_WRITER_CHILD = """
import sys
from schoolvault import services
from schoolvault.workspace import open_workspace
ws = open_workspace(sys.argv[1])
ws.conn.execute("PRAGMA wal_autocheckpoint = 0")  # keep every commit in the WAL for the test to tear
code = sys.argv[2]
for i in range(10_000):
    services.self_eval_set(ws, code, evidence=f"저장 {i}", improvements="나" * (i % 300))
    print(i, flush=True)
"""


def test_power_cut_that_tears_the_wal_at_any_point_leaves_a_consistent_earlier_state(fresh_ws_path, tmp_path):
    """A power cut can leave the WAL cut anywhere; SQLite's frame checksums must make each cut a clean
    earlier state (a prefix of the commits), never a damaged workspace."""
    import shutil
    with open_workspace(fresh_ws_path) as ws:
        code = services.self_eval_list(ws)[0]["indicator"]
    p = child(WAL_WRITER_CHILD, fresh_ws_path, code)
    last = -1
    while last < 40:
        line = p.stdout.readline()
        assert line, p.stderr.read()
        last = int(line)
    kill9(p)
    wal = fresh_ws_path.with_name(fresh_ws_path.name + "-wal")
    size = wal.stat().st_size
    assert size > 0
    rng = random.Random(size)
    seen = []
    for n, cut in enumerate(sorted(rng.sample(range(32, size), 8)) + [size]):
        d = tmp_path / f"cut{n}"
        d.mkdir()
        shutil.copy(fresh_ws_path, d / "school.sqlite")
        with open(wal, "rb") as src, open(d / "school.sqlite-wal", "wb") as dst:
            dst.write(src.read(cut))
        with open_workspace(d / "school.sqlite") as ws:
            assert services.check(ws) == []
            entry = next(r for r in services.self_eval_list(ws) if r["indicator"] == code)
        saved = int(entry["evidence"].removeprefix("저장 ")) if entry["evidence"] else -1
        assert entry["improvements"] == ("나" * (saved % 300) if saved >= 0 else "")
        seen.append(saved)
    assert seen == sorted(seen)  # a longer WAL never holds an older state
    assert seen[-1] >= last  # the whole WAL holds every reported commit
