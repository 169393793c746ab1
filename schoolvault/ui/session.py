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
    """One workspace opened by the GUI. The connection is touched only on the job thread."""

    def __init__(self, path: str | Path, parent_widget: QWidget | None = None):
        self.path = Path(path)
        self._ws: Workspace | None = None
        self.runner = JobRunner(self._workspace, parent_widget)

    def _workspace(self) -> Workspace:
        if self._ws is None:
            self._ws = open_workspace(self.path, create=True)
        return self._ws

    def open(self) -> None:
        """Open the workspace on the calling thread (at start-up), so its errors come first."""
        self.runner.wait()
        self._workspace()

    def run(self, fn, *args, **kwargs):
        return self.runner.run(fn, *args, **kwargs)

    def call_now(self, fn, *args, **kwargs):
        """Run on the calling thread after queued jobs finished (closing, tests)."""
        self.runner.wait()
        return fn(self._workspace(), *args, **kwargs)

    def close(self) -> None:
        self.runner.wait()
        if self._ws is not None:
            self._ws.close()
            self._ws = None
