"""Errors the core raises. Messages are Korean, for the person using the app."""

from __future__ import annotations

import errno
import os


class SchoolVaultError(Exception):
    """A data or user error: says what is wrong, where, and what to do (CLI exit 1, GUI dialog)."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        parts = [self.message]
        if self.where:
            parts.append(f"위치: {self.where}")
        if self.hint:
            parts.append(f"해결 방법: {self.hint}")
        return "\n".join(parts)

    def to_dict(self) -> dict:
        return {"error": self.message, "where": self.where, "hint": self.hint}


class InstrumentError(SchoolVaultError):
    """An instrument file (guidebook, survey, item bank) is malformed."""


class WorkspaceError(SchoolVaultError):
    """The workspace file is missing, damaged, locked or from a newer version."""


class ImportRefused(SchoolVaultError):
    """A response file cannot be imported; nothing was written."""


class Cancelled(Exception):
    """The user pressed Cancel; the running transaction rolls back and nothing is shown."""


class StorageError(WorkspaceError):
    """Writing a file failed for a reason of the disk or folder (full, read-only, path too long): not damage."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None, code: int | None = None):
        super().__init__(message, where=where, hint=hint)
        self.errno = code


NO_SPACE = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
NOT_WRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM)
TOO_LONG = (errno.ENAMETOOLONG,)
STORAGE_ERRNOS = (*NO_SPACE, *NOT_WRITABLE, *TOO_LONG)
_NOTHING_CHANGED = "작업 파일과 이전 파일은 그대로입니다."


def storage_error(exc: OSError | int, where: str | os.PathLike | None = None) -> StorageError:
    """The one translation of a failed write into what it really is, in Korean.

    A full disk is "디스크 공간이 부족합니다", a read-only or forbidden folder "폴더에 쓸 수 없습니다", an
    over-long path "경로가 너무 깁니다" — never damage, and never advice to restore a backup. `exc` is the
    OSError (or a bare errno, for SQLite errors that carry none)."""
    code = exc if isinstance(exc, int) else exc.errno
    detail = "" if isinstance(exc, int) else f" (세부: {exc.strerror or exc})"
    where_s = None if where is None else str(where)
    if code in NO_SPACE:
        return StorageError("디스크 공간이 부족합니다.", where=where_s, code=code,
                            hint=f"디스크(USB)의 빈 공간을 확보하거나 다른 곳에 저장하세요. {_NOTHING_CHANGED}{detail}")
    if code in NOT_WRITABLE:
        return StorageError("폴더에 쓸 수 없습니다.", where=where_s, code=code,
                            hint="쓰기 권한이 있는 폴더를 고르거나, 폴더·파일의 읽기 전용 속성을 해제하세요. "
                                 f"다른 프로그램에서 연 파일이면 닫으세요. {_NOTHING_CHANGED}{detail}")
    if code in TOO_LONG:
        return StorageError("경로가 너무 깁니다.", where=where_s, code=code,
                            hint=f"더 짧은 폴더나 파일 이름을 쓰세요. {_NOTHING_CHANGED}{detail}")
    return StorageError("파일을 쓰지 못했습니다.", where=where_s, code=code,
                        hint=f"디스크와 폴더를 확인한 뒤 다시 하세요. {_NOTHING_CHANGED}{detail}")


def path_problem(path: str | os.PathLike) -> int | None:
    """The errno a write at `path` would fail with, told from the path alone: a name or path too long, or a
    folder this process cannot write. For errors (SQLite's "unable to open database file") that carry none."""
    p = os.fspath(path)
    limit = 255
    if len(p) >= 4096 or any(len(part.encode("utf-8")) > limit for part in p.replace("\\", "/").split("/")):
        return errno.ENAMETOOLONG
    folder = os.path.dirname(os.path.abspath(p)) or "."
    if os.path.isdir(folder) and not os.access(folder, os.W_OK):
        return errno.EACCES
    if os.path.exists(p) and not os.access(p, os.W_OK):
        return errno.EACCES
    return None


LOW_SPACE = 1 << 20  # bytes: below this much free space an unexplained write failure is a full disk


def sqlite_errno(exc: Exception, path: str | os.PathLike) -> int | None:
    """The errno behind an SQLite error about writing `path` (SQLite's errors carry none), or None when it is
    not a storage problem (damage, a bug)."""
    import shutil
    msg = str(exc).lower()
    if "disk is full" in msg:
        return errno.ENOSPC
    if "readonly" in msg or "read-only" in msg:
        return errno.EROFS
    if "unable to open" in msg or "disk i/o error" in msg:
        code = path_problem(path)
        if code is not None:
            return code
        try:
            if shutil.disk_usage(os.path.dirname(os.path.abspath(os.fspath(path))) or ".").free < LOW_SPACE:
                return errno.ENOSPC
        except OSError:
            return None
    return None
