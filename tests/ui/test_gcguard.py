"""Automatic garbage collection stays off once the app exists: worker threads must never free Qt objects."""

import gc

from schoolvault.ui import gcguard
from schoolvault.ui.app import make_app


def test_make_app_turns_automatic_gc_off_and_collects_on_a_timer():
    app = make_app()
    assert not gc.isenabled()
    timers = [t for t in app.findChildren(gcguard.QTimer) if t.interval() == gcguard.GC_INTERVAL_MS]
    assert len(timers) == 1 and timers[0].isActive()
    make_app()  # tests and the opening flow call it again: still one timer
    assert len([t for t in app.findChildren(gcguard.QTimer) if t.interval() == gcguard.GC_INTERVAL_MS]) == 1
