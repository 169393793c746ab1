"""Restoring a workspace from one of its backups (복원).

Why a module above db.py and backup.py: a restore reopens the restored file the ordinary way (upgrade,
checks, audit), and opening makes backups, so restoring sits on top of both.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import WorkspaceError
from . import backup, lock
from .db import open_workspace


def restore_backup(ws_path: str | Path, backup_path: str | Path) -> dict:
    """Replace the workspace with a backup, after keeping a safety copy of what it replaces.

    The workspace must not be open in this process (close it first) nor in another one.
    The restored workspace is upgraded if it is from an older schema, and the restore is recorded
    in its audit log. Returns {"restored_from", "safety_copy", "workspace"}.
    Raises WorkspaceError when the backup is not a usable workspace (nothing is changed then).
    """
    ws_path = Path(ws_path)
    backup_path = Path(backup_path)
    if not backup_path.is_file():
        raise WorkspaceError("백업 파일이 없습니다.", where=str(backup_path), hint="경로를 확인하세요.")
    if ws_path.exists() and backup_path.resolve() == ws_path.resolve():
        raise WorkspaceError("작업 파일 자신으로는 복원할 수 없습니다.", where=str(backup_path),
                             hint="백업 폴더의 파일을 고르세요 ('backups' 명령으로 목록을 볼 수 있습니다).")
    problems = backup.check_file(backup_path)
    if problems:
        raise WorkspaceError("이 파일로는 복원할 수 없습니다: " + "; ".join(problems[:3]) + ". 작업 파일은 그대로입니다.",
                             where=str(backup_path), hint="다른 백업을 고르세요 ('backups' 명령으로 목록을 볼 수 있습니다).")
    if lock.held_here(ws_path):
        raise WorkspaceError("작업 파일이 열려 있어 복원할 수 없습니다.", where=str(ws_path),
                             hint="작업 파일을 닫은 뒤 복원하세요.")
    ws_path.parent.mkdir(parents=True, exist_ok=True)
    held = lock.acquire(ws_path)
    try:
        safety = backup.safety_copy(ws_path)
        tmp = ws_path.with_name(ws_path.name + ".restoring")
        tmp.unlink(missing_ok=True)
        backup.copy_file_verified(backup_path, tmp)
        # A leftover WAL of the replaced file would be replayed onto the restored one: remove it
        # (its content is in the safety copy) before the atomic rename.
        for suffix in ("-wal", "-shm"):
            ws_path.with_name(ws_path.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, ws_path)
        ws = open_workspace(ws_path)
        try:
            with ws.transaction():
                ws.audit("restore", backup=backup_path.name, safety_copy=safety.name if safety else None)
        finally:
            ws.close()
    finally:
        if held is not None:
            held.release()
    return {"restored_from": str(backup_path), "safety_copy": str(safety) if safety else None,
            "workspace": str(ws_path)}
