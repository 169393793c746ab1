"""The open workspace as the GUI sees it: path, connection (used only by jobs) and the job runner."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ..errors import WorkspaceError
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

    def __init__(self, path: str | Path, parent_widget: QWidget | None = None, *, readonly: bool = False):
        self.path = Path(path)
        # read-only (another instance holds the file): every write is refused with READ_ONLY_MESSAGE
        self.readonly = readonly
        self._ws: Workspace | None = None
        self._saver_ws: Workspace | None = None
        self.closed = False
        if readonly:
            self.runner: JobRunner = _ReadOnlyRunner(self._workspace, parent_widget)
            # autosave runs after every pause in typing: say it once, the banner says the rest
            self.saver: JobRunner = _ReadOnlyRunner(self._saver_workspace, parent_widget, quiet_repeats=True)
        else:
            self.runner = JobRunner(self._workspace, parent_widget)
            self.saver = JobRunner(self._saver_workspace, parent_widget)

    def _closed_check(self) -> None:
        # a job queued after close (a page loading late) must not reopen the file: a restore or
        # another window may be about to take it
        if self.closed:
            raise WorkspaceError("작업 파일을 닫았습니다.", where=str(self.path))

    def _workspace(self) -> Workspace:
        self._closed_check()
        if self._ws is None:
            self._ws = _refusing_writes(open_workspace(self.path, readonly=True)) if self.readonly \
                else open_workspace(self.path, create=True)
        return self._ws

    def _saver_workspace(self) -> Workspace:
        self._closed_check()
        if self._saver_ws is None:
            self._saver_ws = _refusing_writes(open_workspace(self.path, readonly=True, check="")) if self.readonly \
                else open_workspace(self.path, check="")
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
        self.closed = True
        for attr in ("_saver_ws", "_ws"):
            ws = getattr(self, attr)
            if ws is not None:
                ws.close()
                setattr(self, attr, None)


READ_ONLY_MESSAGE = "읽기 전용으로 연 작업 파일이라 바꾼 내용을 저장하지 않았습니다."
READ_ONLY_HINT = ("다른 SchoolVault 창(또는 컴퓨터)이 이 파일을 닫은 뒤, 파일 메뉴의 '작업 파일 열기…'나 "
                  "위쪽 띠의 '쓰기 모드로 다시 열기'를 누르세요.")


class ReadOnlyWorkspace(WorkspaceError):
    """A write asked of a workspace the GUI opened read-only."""

    def __init__(self, path: Path):
        super().__init__(READ_ONLY_MESSAGE, where=str(path), hint=READ_ONLY_HINT)


def _refusing_writes(ws: Workspace) -> Workspace:
    """Make `ws.transaction()` refuse at once, before SQLite is asked (a read-only connection
    would fail later and less clearly); reads are untouched."""
    @contextmanager
    def refuse():
        raise ReadOnlyWorkspace(ws.path)
        yield  # pragma: no cover — a generator for contextmanager

    ws.transaction = refuse
    return ws


class _ReadOnlyRunner(JobRunner):
    """Jobs on a read-only workspace: a write outside `transaction()` (SQLite's "attempt to write a
    readonly database") becomes the same Korean message instead of a traceback."""

    def __init__(self, ws_getter, parent_widget: QWidget | None = None, *, quiet_repeats: bool = False):
        super().__init__(ws_getter, parent_widget)
        self._quiet_repeats = quiet_repeats
        self.refusals = 0  # writes refused so far (tests and the window's banner read it)

    def run(self, fn, *args, on_error=None, **kwargs):
        def refused(exc: BaseException) -> bool:
            if isinstance(exc, ReadOnlyWorkspace):
                self.refusals += 1
            if on_error is not None and on_error(exc):
                return True
            return isinstance(exc, ReadOnlyWorkspace) and self._quiet_repeats and self.refusals > 1

        def guarded(ws, *a, **kw):
            try:
                return fn(ws, *a, **kw)
            except sqlite3.OperationalError as e:
                if "readonly" in str(e).lower() or "read-only" in str(e).lower():
                    raise ReadOnlyWorkspace(ws.path) from None
                raise
            except WorkspaceError as e:
                if "읽기 전용" in e.message and not isinstance(e, ReadOnlyWorkspace):
                    raise ReadOnlyWorkspace(ws.path) from None
                raise
        guarded.__name__ = getattr(fn, "__name__", "job")
        return super().run(guarded, *args, on_error=refused, **kwargs)
