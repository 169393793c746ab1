"""The keyword process (themes.use_keyword_process) gives the same keywords and dies with the app."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import os, sys
from schoolvault import themes
themes.use_keyword_process()
pool = themes._keyword_pool()
print(pool.submit(os.getpid).result(), flush=True)
os._exit(0)  # killed-like: no atexit, no pool shutdown
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_keyword_process_ends_when_the_app_is_gone():
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60)
    child = int(out.stdout.split()[0])
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)
