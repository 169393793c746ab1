"""Progress reporting for long jobs: a callback object the CLI and the GUI adapt."""

from __future__ import annotations

import threading

from .errors import Cancelled


class Progress:
    """Receives (done, total, label); `cancel()` makes the next report raise Cancelled.

    Core jobs call `report` between units of work; the GUI sets `cancel()` from the
    Cancel button and the job's transaction rolls back.
    """

    def __init__(self, callback=None):
        self._callback = callback
        self._cancelled = threading.Event()

    def report(self, done: int, total: int, label: str = "") -> None:
        if self._cancelled.is_set():
            raise Cancelled()
        if self._callback is not None:
            self._callback(done, total, label)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()


NULL_PROGRESS = Progress()
