"""Start-up smoke check for the bundle (SCHOOLVAULT_SMOKE_EXIT=1): quit once the dashboard shows data.

installer/smoke_test.py runs the bundled GUI offscreen with this variable set and reads the line
printed here; it is how `make bundle` proves the frozen app reaches its dashboard and how long it takes.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QCoreApplication, QTimer

ENV = "SCHOOLVAULT_SMOKE_EXIT"
POLL_MS = 10
GIVE_UP_S = 60.0
EXIT_TIMEOUT = 3  # the dashboard never loaded


def quit_when_dashboard_loaded(app, win, started: float) -> None:
    """Poll the dashboard page; print the elapsed time since `started` and quit with 0 once loaded."""
    timer = QTimer(win)

    def poll() -> None:
        elapsed = time.perf_counter() - started
        page = win.pages.get("dashboard")
        if page is not None and getattr(page, "loaded", False):
            timer.stop()
            _say(f"smoke: dashboard loaded {elapsed:.3f} s after main()")
            # Qt's own dialogs must speak Korean too: proves qtbase_ko.qm shipped and loads.
            _say(f"smoke: Qt Cancel button reads {QCoreApplication.translate('QPlatformTheme', 'Cancel')}")
            app.exit(0)
        elif elapsed > GIVE_UP_S:
            timer.stop()
            _say(f"smoke: dashboard not loaded after {GIVE_UP_S:.0f} s")
            app.exit(EXIT_TIMEOUT)

    timer.timeout.connect(poll)
    timer.start(POLL_MS)


def _say(line: str) -> None:
    # A windowed Windows executable may have no stderr at all; the exit code still tells.
    if sys.stderr is not None:
        print(line, file=sys.stderr, flush=True)
