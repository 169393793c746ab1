"""Workspace jobs for windows that open on their own (import wizard, paper entry).

Inside the main window such a window shares the window's job runner, so every write goes through
the one workspace connection on the one job thread. Opened alone (tests, a future separate tool)
it opens its own connection, used only on its own job thread, and closes it when done.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from ...errors import Cancelled
from ...workspace.db import Workspace, open_workspace
from ..jobs import Job, JobRunner


class WorkspaceJobs:
    def __init__(self, ws_path: str | Path, parent: QWidget | None, owner: QWidget):
        self.path = Path(ws_path)
        session = getattr(parent, "session", None)
        self._ws: Workspace | None = None
        if session is not None and Path(getattr(session, "path", "")) == self.path and hasattr(session, "runner"):
            self.runner: JobRunner = session.runner
            self._own = False
        else:
            self.runner = JobRunner(self._workspace, owner)
            self._own = True

    def _workspace(self) -> Workspace:
        if self._ws is None:
            self._ws = open_workspace(self.path)
        return self._ws

    def run(self, fn: Callable[..., Any], *args, on_done=None, on_error=None, **kwargs) -> Job:
        """Queue fn(ws, …); on_error(exc) -> bool also hears Cancelled (the runner keeps that quiet).

        A Cancelled job comes back as a result, through the runner's own finished path: the core has
        rolled its transaction back by the time the exception leaves it.
        """
        def call(ws, *a, **kw):
            try:
                return fn(ws, *a, **kw)
            except Cancelled as e:
                return _Stopped(e)

        def done(result) -> None:
            if isinstance(result, _Stopped):
                if on_error is not None:
                    on_error(result.exc)
            elif on_done is not None:
                on_done(result)
        call.__name__ = getattr(fn, "__name__", "job")
        return self.runner.run(call, *args, on_done=done, on_error=on_error, **kwargs)

    def call_now(self, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """Run on the calling thread once queued jobs have finished (closing: the last save)."""
        self.runner.wait()
        if not self._own:
            return fn(self.runner._ws_getter(), *args, **kwargs)
        return fn(self._workspace(), *args, **kwargs)

    @property
    def idle(self) -> bool:
        return self.runner.idle

    def close(self) -> None:
        if not self._own:
            return
        self.runner.wait()
        if self._ws is not None:
            self._ws.close()
            self._ws = None


class _Stopped:
    """A job the user cancelled (carried as a result so the window hears about it)."""

    def __init__(self, exc: Cancelled):
        self.exc = exc
