"""Garbage collection on the GUI thread only.

Python's cyclic collector runs in whichever thread happens to allocate. When that is a worker
(ui/jobs.py) and the garbage holds Qt wrappers (a closed dialog, a page's old model), Qt objects
are destroyed off the GUI thread and the process can crash. Like Anki (aqt/main.py), we switch
automatic collection off and collect on a GUI-thread timer instead.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

GC_INTERVAL_MS = 5_000
_PROPERTY = "schoolvault_gc_guard"


def install(app: QObject) -> None:
    """Disable automatic GC and collect every GC_INTERVAL_MS on the GUI thread (idempotent)."""
    if app.property(_PROPERTY):
        return
    gc.disable()
    timer = QTimer(app)
    timer.setInterval(GC_INTERVAL_MS)
    timer.timeout.connect(collect)
    timer.start()
    app.setProperty(_PROPERTY, True)


def collect() -> None:
    gc.collect()
