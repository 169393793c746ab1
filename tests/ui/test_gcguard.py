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


def test_a_tick_collects_young_generations_and_now_and_then_everything(monkeypatch):
    calls = []
    monkeypatch.setattr(gcguard.gc, "collect", lambda *a: calls.append(a) or 0)
    monkeypatch.setattr(gcguard, "_ticks", 0)
    for _ in range(gcguard.FULL_EVERY_TICKS):
        gcguard.collect()
    assert calls.count((gcguard.YOUNG_GENERATIONS,)) == gcguard.FULL_EVERY_TICKS - 1
    assert calls[-1] == ()  # the last tick of the round is the full collection
