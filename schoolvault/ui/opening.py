"""What opening a workspace asks of the user: the school on first run, the two problems the user can act
on, and the recent files. `mainwindow.open_window` asks them at start-up, by 파일 → 작업 파일 열기/새 작업
파일/최근 작업 파일, and after a restore, so the choices are the same everywhere:

- held by another SchoolVault (`lock.WorkspaceInUse`): open read-only, wait a little and try again,
  or close;
- damaged with a good backup (`backup.WorkspaceDamaged.backup`): restore it (the damaged file is
  kept as a copy) and open, or give up.

Waiting and restoring are jobs (ui/jobs.JobRunner) with the usual progress dialog; this module
waits for them in a local event loop, because the caller needs the outcome before going on.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QMessageBox, QWidget

from ..errors import Cancelled, SchoolVaultError
from ..progress import NULL_PROGRESS
from ..workspace import backup as backup_mod
from ..workspace import lock
from ..workspace import school as school_db
from ..workspace.db import open_workspace
from .jobs import JobRunner

WAIT_SECONDS = 15  # "기다렸다가 다시 시도": long enough for the other window to save and close
RECENT_KEY = "recent_files"
RECENT_MAX = 8

READONLY, WAIT, CLOSE = "readonly", "wait", "close"


# ------------------------------------------------------------------ jobs the caller waits for

class _Stopped:
    """The user pressed Cancel in the progress dialog."""


def run_and_wait(fn, *args, label: str, parent: QWidget | None = None, with_progress: bool = False):
    """Run `fn(*args)` as a job (progress dialog after the usual delay) and return its result.

    Raises what `fn` raised; returns None when the user cancelled.
    """
    runner = JobRunner(lambda: None, parent)
    loop = QEventLoop()
    out: dict = {}

    def call(_ws, *a, **kw):
        try:
            return fn(*a, **kw)
        except Cancelled:
            return _Stopped()

    def done(result) -> None:
        out["result"] = result
        loop.quit()

    def failed(exc: BaseException) -> bool:
        out["error"] = exc
        loop.quit()
        return True

    call.__name__ = getattr(fn, "__name__", "job")
    runner.run(call, *args, on_done=done, on_error=failed, label=label, with_progress=with_progress)
    if not out:
        loop.exec()
    runner.close()
    if "error" in out:
        raise out["error"]
    result = out.get("result")
    return None if isinstance(result, _Stopped) else result


def wait_for_workspace(path: Path, seconds: int, *, progress=NULL_PROGRESS) -> bool:
    """Wait up to `seconds` for another instance to release `path`; True when it is free.

    One second at a time, so the progress dialog counts down and its Cancel button works.
    """
    for done in range(seconds):
        progress.report(done, seconds, f"{seconds - done}초 남음")
        if lock.wait_until_free(path, 1.0):
            return True
    return False


# ------------------------------------------------------------------ the questions

def _when(iso: str | None) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M") if iso else "?"
    except ValueError:
        return iso or "?"


def in_use_box(exc: lock.WorkspaceInUse, parent: QWidget | None, *, still: bool = False) -> QMessageBox:
    """The question for a workspace another SchoolVault holds (buttons named readonly/wait/close)."""
    owner = exc.owner or {}
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Warning)
    box.setWindowTitle("작업 파일이 사용 중입니다")
    box.setText("아직도 다른 곳에서 이 작업 파일을 쓰고 있습니다." if still
                else "다른 SchoolVault 창이나 컴퓨터에서 이 작업 파일을 쓰고 있습니다.")
    box.setInformativeText(
        f"{exc.path}\n사용 중: {owner.get('host') or '알 수 없는 컴퓨터'}, {_when(owner.get('since'))}부터\n\n"
        "읽기 전용으로 열면 내용을 볼 수 있지만 바꾼 내용은 저장되지 않습니다.\n"
        f"다른 창을 닫는 중이면 '기다렸다가 다시 시도'를 누르세요 (최대 {WAIT_SECONDS}초).")
    for name, text, role in ((READONLY, "읽기 전용으로 열기", QMessageBox.AcceptRole),
                             (WAIT, "기다렸다가 다시 시도", QMessageBox.ActionRole),
                             (CLOSE, "닫기", QMessageBox.RejectRole)):
        b = box.addButton(text, role)
        b.setObjectName(name)
    box.setDefaultButton(box.findChild(QWidget, WAIT))
    box.setEscapeButton(box.findChild(QWidget, CLOSE))
    return box


def ask_in_use(exc: lock.WorkspaceInUse, parent: QWidget | None, *, still: bool = False) -> str:
    """READONLY, WAIT or CLOSE."""
    box = in_use_box(exc, parent, still=still)
    box.exec()
    clicked = box.clickedButton()
    return clicked.objectName() if clicked is not None and clicked.objectName() else CLOSE


def damaged_box(exc: backup_mod.WorkspaceDamaged, parent: QWidget | None, *, give_up: str) -> QMessageBox:
    """The offer to restore the latest good backup of a damaged workspace (buttons restore/close)."""
    good = next((b for b in backup_mod.list_backups(exc.where or "") if b.path == exc.backup), None)
    when = f"{good.created:%Y-%m-%d %H:%M} ({good.label})" if good else exc.backup.name
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Critical)
    box.setWindowTitle("작업 파일이 손상되었습니다")
    box.setText("작업 파일이 손상되어 열 수 없습니다. 파일은 바꾸지 않았습니다.")
    box.setInformativeText(
        f"{exc.where}\n\n가장 최근의 정상 백업: {when}\n{exc.backup}\n\n"
        "백업으로 복원하면 손상된 파일은 백업 폴더에 사본으로 남깁니다. "
        "백업 뒤에 입력한 내용은 다시 입력해야 합니다.")
    restore = box.addButton("이 백업으로 복원하고 열기", QMessageBox.AcceptRole)
    restore.setObjectName("restore")
    close = box.addButton(give_up, QMessageBox.RejectRole)
    close.setObjectName(CLOSE)
    box.setDefaultButton(restore)
    return box


def ask_restore(exc: backup_mod.WorkspaceDamaged, parent: QWidget | None, *, give_up: str) -> bool:
    box = damaged_box(exc, parent, give_up=give_up)
    box.exec()
    return box.clickedButton() is not None and box.clickedButton().objectName() == "restore"


# ------------------------------------------------------------------ first run

def needs_setup(path: Path) -> bool:
    """True when the workspace has no school yet (first run)."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    with open_workspace(path, readonly=True) as ws:
        try:
            return school_db.get_school(ws) is None or school_db.current_year(ws) is None
        except sqlite3.Error:  # an empty but valid SQLite file has no tables yet
            return True


def needs_setup_safely(path: Path) -> bool:
    """needs_setup, False when the file cannot even be read (open_window says why)."""
    try:
        return needs_setup(path)
    except SchoolVaultError:
        return False


# ------------------------------------------------------------------ recent files

def remember(path: Path) -> None:
    """Put `path` first in the recent files (QSettings recent_files)."""
    p = str(Path(path).resolve())
    files = [f for f in recent_files() if f != p]
    QSettings().setValue(RECENT_KEY, [p, *files][:RECENT_MAX])


def recent_files() -> list[str]:
    value = QSettings().value(RECENT_KEY) or []
    if isinstance(value, str):  # QSettings gives a one-item list back as a string (ini format)
        value = [value]
    return [str(v) for v in value]
