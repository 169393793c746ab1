"""Garbage collection on the GUI thread only.

Python's cyclic collector runs in whichever thread happens to allocate. When that is a worker
(ui/jobs.py) and the garbage holds Qt wrappers (a closed dialog, a page's old model), Qt objects
are destroyed off the GUI thread and the process can crash. Like Anki (aqt/main.py), we switch
automatic collection off and collect on a GUI-thread timer instead: the young generations every few
seconds (cheap: they hold only what was made since), the whole heap rarely, because a full collection of a
large heap can hold the GUI for a few hundred milliseconds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

GC_INTERVAL_MS = 5_000
YOUNG_GENERATIONS = 1  # gc.collect(1): generations 0 and 1
FULL_EVERY_TICKS = 60  # a full collection every 5 minutes
_PROPERTY = "schoolvault_gc_guard"
_ticks = 0


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
    """One timer tick: the young generations, and every FULL_EVERY_TICKS the whole heap."""
    global _ticks
    _ticks += 1
    if _ticks % FULL_EVERY_TICKS == 0:
        gc.collect()
    else:
        gc.collect(YOUNG_GENERATIONS)
