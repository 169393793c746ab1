"""The open workspace as the GUI sees it: path, connection (used only by jobs) and the job runner."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from ..workspace.db import Workspace, open_workspace
from .jobs import JobRunner

# Change flags: a job's result says what it changed; pages refresh only when concerned.
SCHOOL = "school"
YEAR = "year"
PLAN = "plan"
SELFEVAL = "selfeval"
RESPONSES = "responses"
STAGE = "stage"
ALL = frozenset({SCHOOL, YEAR, PLAN, SELFEVAL, RESPONSES, STAGE})


class Session:
    """One workspace opened by the GUI. Each connection is touched only on its own job thread.

    `runner` serialises the workspace jobs (reads, imports, reports). Autosave has its own
    one-thread `saver` and connection, so typed text is committed within the autosave delay even
    while a long read (a report, statistics) runs; SQLite's WAL lets it write beside a reader, and
    BEGIN IMMEDIATE makes it wait only for another writer's commit.
    """

    def __init__(self, path: str | Path, parent_widget: QWidget | None = None):
        self.path = Path(path)
        self._ws: Workspace | None = None
        self._saver_ws: Workspace | None = None
        self.runner = JobRunner(self._workspace, parent_widget)
        self.saver = JobRunner(self._saver_workspace, parent_widget)

    def _workspace(self) -> Workspace:
        if self._ws is None:
            self._ws = open_workspace(self.path, create=True)
        return self._ws

    def _saver_workspace(self) -> Workspace:
        if self._saver_ws is None:
            self._saver_ws = open_workspace(self.path, check="")
        return self._saver_ws

    def open(self) -> None:
        """Open the workspace on the calling thread (at start-up), so its errors come first."""
        self.runner.wait()
        self._workspace()

    def run(self, fn, *args, **kwargs):
        return self.runner.run(fn, *args, **kwargs)

    def save(self, fn, *args, **kwargs):
        """Queue a small write (autosave) on the saver thread."""
        return self.saver.run(fn, *args, **kwargs)

    def after_saves(self, fn):
        """`fn` as a workspace job that first lets queued autosaves commit (so it reads them)."""
        def job(ws, *args, **kwargs):
            self.saver.pool.waitForDone()
            return fn(ws, *args, **kwargs)
        job.__name__ = getattr(fn, "__name__", "job")
        return job

    def call_now(self, fn, *args, **kwargs):
        """Run on the calling thread after queued jobs finished (closing, tests)."""
        self.saver.wait()
        self.runner.wait()
        return fn(self._workspace(), *args, **kwargs)

    def close(self) -> None:
        self.saver.close()
        self.runner.close()
        for attr in ("_saver_ws", "_ws"):
            ws = getattr(self, attr)
            if ws is not None:
                ws.close()
                setattr(self, attr, None)
