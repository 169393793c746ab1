"""Workspace jobs off the GUI thread (our QueryOp/CollectionOp).

A job is a core call `fn(ws, *args, **kwargs)`. Jobs run one at a time on a one-thread pool, the sole
user of the workspace connection, so writes never race. Results come back to the GUI thread through
queued signals; workers never touch widgets. A progress dialog appears only when a job takes longer
than PROGRESS_DELAY_MS, and its Cancel button sets `Progress.cancel()` (the core then raises
Cancelled and rolls back).
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..errors import Cancelled
from ..progress import Progress

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 500


class JobSignals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object, str)


class Job(QRunnable):
    """One call of a core function on the workspace thread."""

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, ws_getter: Callable[[], Any],
                 with_progress: bool, owner: QObject):
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self._ws_getter = ws_getter
        # The signals belong to the GUI-thread runner, not to this runnable: the worker may drop the
        # last reference to the job, and a QObject must not die on a thread other than its own.
        self.signals = JobSignals(owner)
        self.progress = Progress(lambda d, t, label: self.signals.progressed.emit(int(d), int(t), str(label)))
        self.with_progress = with_progress
        self.done = False
        self.elapsed = 0.0

    def run(self) -> None:  # worker thread
        self._start = time.perf_counter()
        try:
            kwargs = dict(self.kwargs)
            if self.with_progress:
                kwargs["progress"] = self.progress
            result = self.fn(self._ws_getter(), *self.args, **kwargs)
        except BaseException as e:  # noqa: BLE001 — every failure must reach the GUI, not vanish in a thread
            self._emit("failed", e, "".join(traceback.format_exception(e)))
            return
        self._emit("finished", result)

    def _emit(self, name: str, *args) -> None:
        self.elapsed = time.perf_counter() - self._start
        self.done = True
        try:
            getattr(self.signals, name).emit(*args)
        except RuntimeError:  # the window that queued the job is gone; nobody is left to tell
            log.debug("job %s finished after its window closed", getattr(self.fn, "__name__", self.fn))


class JobRunner(QObject):
    """Runs workspace jobs one at a time and shows progress, cancel and errors."""

    idle_changed = Signal(bool)

    def __init__(self, ws_getter: Callable[[], Any], parent_widget: QWidget | None = None):
        super().__init__()
        self._ws_getter = ws_getter
        self._parent_widget = parent_widget
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self._active: set[Job] = set()
        self.closed = False  # after close(), results are dropped: their widgets are going away

    @property
    def idle(self) -> bool:
        return not self._active

    def run(self, fn: Callable[..., Any], *args, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], bool] | None = None, label: str | None = None,
            with_progress: bool = False, **kwargs) -> Job:
        """Queue `fn(ws, *args, **kwargs)`; `on_done(result)` runs on the GUI thread.

        `label` names the work in the progress dialog (shown after PROGRESS_DELAY_MS); `on_error`
        may return True to say it handled the error, otherwise the error dialog is shown.
        """
        job = Job(fn, args, kwargs, self._ws_getter, with_progress, self)
        dialog: list[QProgressDialog] = []
        timer = QTimer(self)
        timer.setSingleShot(True)

        def show_dialog() -> None:
            if job.done or label is None:
                return
            d = QProgressDialog(label, "취소", 0, 0, self._parent_widget)
            d.setWindowTitle("작업 중")
            d.setWindowModality(Qt.WindowModal)
            d.setMinimumDuration(0)
            d.setAutoClose(False)
            d.setAutoReset(False)
            d.canceled.connect(job.progress.cancel)
            d.show()
            dialog.append(d)

        def on_progress(done: int, total: int, text: str) -> None:
            if dialog:
                dialog[0].setMaximum(max(total, 0))
                dialog[0].setValue(min(done, total) if total else 0)
                if text:
                    dialog[0].setLabelText(f"{label}\n{text}")

        def finish() -> None:
            timer.stop()
            if dialog:
                dialog[0].canceled.disconnect()
                dialog[0].close()
                dialog[0].deleteLater()
            self._active.discard(job)
            job.signals.deleteLater()  # on the GUI thread, after its queued emissions
            if not self._active:
                self.idle_changed.emit(True)

        def ok(result) -> None:
            finish()
            if self.closed:
                return
            log.debug("job %s took %.3f s", getattr(fn, "__name__", fn), job.elapsed)
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException, tb: str) -> None:
            finish()
            if self.closed or isinstance(exc, Cancelled):
                return
            if on_error is not None and on_error(exc):
                return
            from .errors import show_error
            show_error(self._parent_widget, exc, tb)

        job.signals.progressed.connect(on_progress)
        job.signals.finished.connect(ok)
        job.signals.failed.connect(failed)
        timer.timeout.connect(show_dialog)
        if not self._active:
            self.idle_changed.emit(False)
        self._active.add(job)
        timer.start(PROGRESS_DELAY_MS)
        self.pool.start(job)
        return job

    def close(self) -> None:
        """Let queued jobs finish, then drop their results (the window is closing)."""
        self.wait()
        self.closed = True

    def wait(self, msecs: int = 30000) -> bool:
        """Block until queued jobs have run (used on close, before the last synchronous save)."""
        return self.pool.waitForDone(msecs)
