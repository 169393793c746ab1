"""Temporary files a killed export, backup or restore left behind (남은 임시 파일), cleaned on the next run.

Every writer of the app writes under a temporary name and renames when done: documents as
`.schoolvault-XXXXXXXX.<suffix>` (tempfile.mkstemp) beside the output, backups as `<backup>.partial`,
restores as `<workspace>.restoring[.partial]`. A `kill -9` or a power cut leaves them; they are never
anything but garbage. Only our own names are touched, and only files older than this process, so a
write in progress (ours, or another instance's that started after us) is never removed.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from pathlib import Path

log = logging.getLogger(__name__)

TEMP_DOCUMENT = re.compile(r"^\.schoolvault-[a-z0-9_]{8}\.(?:xlsx|pdf|hwpx|docx|json|csv|tmp)$")
_IMPORTED_AT = time.time()


def process_started() -> float:
    """When this process started (epoch seconds); where the OS does not say, when this module was loaded
    (the workspace module imports it before anything is written)."""
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/stat", "rb") as f:
                ticks = int(f.read().rsplit(b")", 1)[1].split()[19])
            with open("/proc/stat", "rb") as f:
                boot = next(int(line.split()[1]) for line in f if line.startswith(b"btime"))
            return boot + ticks / os.sysconf("SC_CLK_TCK") - 1  # btime has whole seconds
        except (OSError, ValueError, IndexError, StopIteration):
            pass
    return _IMPORTED_AT


def remove_old(paths, started: float | None = None) -> list[Path]:
    """Remove the given files that are older than `started` (default: this process). Never raises."""
    started = process_started() if started is None else started
    removed = []
    for p in paths:
        try:
            if p.is_file() and p.stat().st_mtime < started:
                p.unlink()
                removed.append(p)
        except OSError as e:
            log.warning("could not remove leftover %s: %s", p, e)
    if removed:
        log.info("removed %d leftover temporary file(s): %s", len(removed), ", ".join(p.name for p in removed))
    return removed


def clean_documents(folder: str | os.PathLike) -> list[Path]:
    """Remove `.schoolvault-*` temporary documents of killed exports in `folder`. Never raises."""
    try:
        names = [Path(folder) / n for n in os.listdir(folder) if TEMP_DOCUMENT.match(n)]
    except OSError:
        return []
    return remove_old(names)
