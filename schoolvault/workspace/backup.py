"""Rotating backups of a workspace through SQLite's backup API (백업); restore.py puts one back.

Why the backup API and not a file copy: it copies a consistent snapshot, including what is still
in the WAL, while the app keeps the workspace open. Every backup is written under a temporary
name, checked with `quick_check` and only then renamed, so a crash mid-backup or a damaged source
never produces a file that looks like a good backup, and rotation never pushes good backups out
in favour of a bad one.

Backups live in a `backups/` folder beside the workspace (or, when that folder cannot be written,
in the user's data folder), named `<workspace stem>.<YYYYmmdd-HHMMSS>.<reason>.sqlite`:

- open      the first open of the day (throttled by AUTO_INTERVAL)
- migrate   before a schema upgrade
- import    before a big import (callers use `make_backup(..., reason="import")`)
- manual    the user asked for it (never rotated away)
- restore   the safety copy of what a restore replaced (never rotated away)
- damaged   a raw copy of a damaged workspace a restore replaced (never offered for restore)

Only the automatic kinds (open, migrate, import) are rotated, keeping the KEEP newest.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from .. import leftovers
from ..errors import StorageError, WorkspaceError, sqlite_errno, storage_error
from . import migrations

log = logging.getLogger(__name__)

BACKUP_DIR_NAME = "backups"
KEEP = 10
AUTO_INTERVAL = timedelta(hours=20)  # "once a day" without drifting later each morning
ROTATED = ("open", "migrate", "import")
KINDS = ("open", "migrate", "import", "manual", "restore", "damaged")
REASON_LABELS = {"open": "자동(열 때)", "migrate": "업그레이드 전", "import": "가져오기 전", "manual": "수동",
                 "restore": "복원 전 안전 사본", "damaged": "손상된 파일 사본"}
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)\.(?P<ts>\d{8}-\d{6})(?:-(?P<seq>\d+))?\.(?P<reason>[a-z]+)\.sqlite$")
SQLITE_HEADER = b"SQLite format 3\x00"


class WorkspaceDamaged(WorkspaceError):
    """The workspace file is damaged; `backup` is the latest good backup to offer (or None)."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None,
                 backup: Path | None = None):
        super().__init__(message, where=where, hint=hint)
        self.backup = backup


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where, when, why, how big."""

    path: Path
    created: datetime
    reason: str
    size: int

    @property
    def label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)

    def to_dict(self) -> dict:
        return {"path": str(self.path), "created": self.created.isoformat(timespec="seconds"),
                "reason": self.reason, "label": self.label, "size": self.size}


# ---------------------------------------------------------------- where backups live

def _fallback_dir(ws_path: Path) -> Path:
    from ..paths import user_data_dir
    digest = hashlib.sha1(os.path.normcase(str(ws_path.resolve())).encode("utf-8")).hexdigest()[:8]
    return user_data_dir() / BACKUP_DIR_NAME / f"{ws_path.stem}-{digest}"


def _candidate_dirs(ws_path: Path) -> list[Path]:
    return [ws_path.parent / BACKUP_DIR_NAME, _fallback_dir(ws_path)]


def backup_dir(ws_path: str | Path) -> Path:
    """The folder new backups of this workspace go to (created if needed)."""
    ws_path = Path(ws_path)
    beside = ws_path.parent / BACKUP_DIR_NAME
    try:
        beside.mkdir(parents=True, exist_ok=True)
        if os.access(beside, os.W_OK):
            return beside
    except OSError:
        pass
    other = _fallback_dir(ws_path)
    other.mkdir(parents=True, exist_ok=True)
    return other


def _new_name(folder: Path, ws_path: Path, reason: str, when: datetime | None = None) -> Path:
    """A fresh name that sorts after every existing backup of the same second (never reused)."""
    stamp = (when or datetime.now()).strftime(_STAMP)
    seqs = [int(m["seq"] or 1) for p in folder.glob(f"*.{stamp}*")
            if (m := _NAME.match(p.name.removesuffix(".partial"))) and m["stem"] == ws_path.stem
            and m["ts"] == stamp]
    if not seqs:
        return folder / f"{ws_path.stem}.{stamp}.{reason}.sqlite"
    return folder / f"{ws_path.stem}.{stamp}-{max(seqs) + 1}.{reason}.sqlite"


def list_backups(ws_path: str | Path) -> list[BackupInfo]:
    """Backups of this workspace, newest first (both the folder beside it and the fallback folder)."""
    ws_path = Path(ws_path)
    out: list[BackupInfo] = []
    seen: set[Path] = set()
    for folder in _candidate_dirs(ws_path):
        if not folder.is_dir():
            continue
        for p in folder.iterdir():
            m = _NAME.match(p.name)
            if not m or m["stem"] != ws_path.stem or not p.is_file():
                continue
            rp = p.resolve()
            if rp in seen:
                continue
            seen.add(rp)
            created = datetime.strptime(m["ts"], _STAMP)
            if m["seq"]:
                created += timedelta(microseconds=int(m["seq"]))  # keeps same-second order stable
            out.append(BackupInfo(p, created, m["reason"], p.stat().st_size))
    out.sort(key=lambda b: (b.created, b.path.stat().st_mtime_ns), reverse=True)
    return out


# ---------------------------------------------------------------- checking a file

def check_file(path: str | Path) -> list[str]:
    """Problems that make a file unusable as a SchoolVault workspace; empty when it is good.

    Opens read-only and never changes the file.
    """
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as e:
        return [f"파일을 읽을 수 없습니다 ({e.strerror or e})"]
    if head != SQLITE_HEADER:
        return ["SQLite 파일이 아닙니다"]
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as e:
        return [f"열 수 없습니다 ({e})"]
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != migrations.APP_ID:
            return ["SchoolVault 작업 파일이 아닙니다"]
        if version > migrations.SCHEMA_VERSION:
            return [f"더 새로운 버전의 작업 파일입니다 (스키마 {version})"]
        bad = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall() if r[0] != "ok"]
        return bad
    except sqlite3.DatabaseError as e:
        return [f"손상되었습니다 ({e})"]
    finally:
        conn.close()


def latest_good_backup(ws_path: str | Path) -> BackupInfo | None:
    """The newest backup that passes `check_file` (damaged copies are never offered)."""
    for b in list_backups(ws_path):
        if b.reason != "damaged" and not check_file(b.path):
            return b
    return None


def damaged_error(ws_path: str | Path, detail: str) -> WorkspaceDamaged:
    """The error for a damaged workspace, pointing at the latest good backup when there is one."""
    ws_path = Path(ws_path)
    good = latest_good_backup(ws_path)
    if good is not None:
        hint = (f"가장 최근의 정상 백업({good.created:%Y-%m-%d %H:%M}, {good.label})으로 복원하세요: "
                f"schoolvault-cli --db \"{ws_path}\" restore \"{good.path}\"")
    else:
        hint = "이 작업 파일의 백업이 없습니다. 다른 곳에 복사해 둔 작업 파일이 있으면 restore 명령으로 복원하세요."
    return WorkspaceDamaged("작업 파일이 손상되었습니다. 파일을 변경하지 않았습니다.", where=str(ws_path),
                            hint=f"{hint} (세부: {detail})", backup=good.path if good else None)


# ---------------------------------------------------------------- making backups

def _copy_verified(src: sqlite3.Connection, dest: Path) -> None:
    """Backup-API copy of `src` into `dest`, written under a temporary name and checked first."""
    tmp = dest.with_name(dest.name + ".partial")
    try:
        if tmp.exists():
            tmp.unlink()
        out = sqlite3.connect(str(tmp), isolation_level=None)
    except (OSError, sqlite3.Error) as e:
        raise _storage(e, tmp, dest.parent) from None
    try:
        src.backup(out)  # one step: a consistent snapshot even while others write (WAL)
        out.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        bad = [r[0] for r in out.execute("PRAGMA quick_check").fetchall() if r[0] != "ok"]
    except sqlite3.DatabaseError as e:
        if sqlite_errno(e, tmp) is not None:  # the destination's disk or folder, not the workspace
            out.close()
            tmp.unlink(missing_ok=True)
            raise _storage(e, tmp, dest.parent) from None
        bad = [str(e)]
    finally:
        out.close()
    if bad:
        tmp.unlink(missing_ok=True)
        raise WorkspaceError("작업 파일이 손상되어 백업하지 않았습니다. 기존 백업은 그대로 둡니다.",
                             where=str(dest.parent),
                             hint="restore 명령으로 가장 최근의 정상 백업에서 복원하세요. (세부: "
                                  + "; ".join(bad[:3]) + ")")
    try:
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise storage_error(e, dest.parent) from None


def _storage(exc: Exception, path: Path, where: Path) -> StorageError:
    """A failed write of a backup as what it is (full disk, read-only folder, path too long)."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return storage_error(exc, where)
    return storage_error(sqlite_errno(exc, path) or 0, where)


def _rotate(ws_path: Path, keep: int, protect: Path) -> None:
    """Delete the oldest automatic backups beyond `keep`; never `protect` (the one just made, which a
    clock set backwards would otherwise date as the oldest)."""
    auto = [b for b in list_backups(ws_path) if b.reason in ROTATED and b.path != protect]
    for b in auto[max(keep - 1, 0):]:
        try:
            b.path.unlink()
        except OSError as e:
            log.warning("could not remove old backup %s: %s", b.path, e)


def _open_source(ws_path: Path) -> sqlite3.Connection:
    if not ws_path.is_file():
        raise WorkspaceError("작업 파일이 없습니다.", where=str(ws_path), hint="경로를 확인하세요.")
    with open(ws_path, "rb") as f:
        if f.read(16) != SQLITE_HEADER:
            raise WorkspaceError("SchoolVault 작업 파일이 아닙니다 (SQLite 파일이 아님).", where=str(ws_path),
                                 hint="올바른 작업 파일(.sqlite)을 고르세요.")
    conn = sqlite3.connect(str(ws_path), isolation_level=None, timeout=5)
    conn.execute("PRAGMA query_only = 1")
    return conn


def backup_connection(conn: sqlite3.Connection, ws_path: str | Path, *, reason: str = "open",
                      keep: int | None = None) -> Path:
    """Back up an open workspace connection into the backups folder and rotate; returns the new file."""
    ws_path = Path(ws_path)
    keep = KEEP if keep is None else keep
    dest = _new_name(backup_dir(ws_path), ws_path, reason)
    _copy_verified(conn, dest)
    if reason in ROTATED:
        _rotate(ws_path, keep, protect=dest)
    return dest


def make_backup(ws_path: str | Path, out: str | Path | None = None, *, reason: str = "manual",
                keep: int | None = None) -> Path:
    """Back up a workspace (open or not) to `out`, or into its backups folder; returns the file written.

    Raises WorkspaceError when the workspace is missing or damaged (nothing is written then) or
    when `out` already exists.
    """
    if reason not in KINDS:
        raise ValueError(reason)
    ws_path = Path(ws_path)
    src = _open_source(ws_path)
    try:
        if out is None:
            return backup_connection(src, ws_path, reason=reason, keep=keep)
        out = Path(out)
        if out.is_dir():
            out = _new_name(out, ws_path, reason)
        if out.exists():
            raise WorkspaceError("같은 이름의 파일이 이미 있어 덮어쓰지 않았습니다.", where=str(out),
                                 hint="다른 파일 이름을 적거나, 이름 없이 실행해 백업 폴더에 저장하세요.")
        if out.resolve() == ws_path.resolve():
            raise WorkspaceError("작업 파일 자신에게 백업할 수 없습니다.", where=str(out),
                                 hint="다른 파일 이름을 적으세요.")
        out.parent.mkdir(parents=True, exist_ok=True)
        _copy_verified(src, out)
        return out
    except OSError as e:
        raise storage_error(e, out or ws_path.parent) from None
    except sqlite3.DatabaseError as e:
        raise damaged_error(ws_path, str(e)) from None
    finally:
        src.close()


def auto_backup(conn: sqlite3.Connection, ws_path: str | Path, *, interval: timedelta | None = None,
                keep: int | None = None) -> Path | None:
    """The throttled backup on open: only when the newest good backup is older than `interval`.

    Never raises: a full disk or a read-only folder must not stop the school from working.
    """
    ws_path = Path(ws_path)
    interval = AUTO_INTERVAL if interval is None else interval
    try:
        recent = [b for b in list_backups(ws_path) if b.reason in (*ROTATED, "manual")]
        # A backup dated in the future means the clock was wrong or set back: do not trust it.
        if recent and timedelta(0) <= datetime.now() - recent[0].created < interval:
            return None
        return backup_connection(conn, ws_path, reason="open", keep=keep)
    except (OSError, sqlite3.Error, WorkspaceError) as e:
        log.warning("automatic backup of %s failed: %s", ws_path, e)
        return None


BIG_IMPORT_ROWS = 100  # an import this big (or one that replaces an earlier one) is backed up first


def backup_before_change(ws, reason: str = "import") -> Path | None:
    """A backup of an open Workspace right before a big change (call outside its transaction).

    Never raises, like the backup on open: the change itself is all-or-nothing anyway; this copy
    is for the user who later finds they imported or replaced the wrong file.
    """
    if getattr(ws, "readonly", False) or getattr(ws, "_depth", 0):
        return None
    try:
        return backup_connection(ws.conn, ws.path, reason=reason)
    except (OSError, sqlite3.Error, WorkspaceError) as e:
        log.warning("backup before %s of %s failed: %s", reason, ws.path, e)
        return None


def clean_leftovers(ws_path: str | Path) -> list[Path]:
    """Remove what killed backups and restores of this workspace left (`*.partial` backups, `.restoring`
    files) and temporary documents beside it; only files older than this process. Call holding the
    workspace's write lock. Never raises."""
    ws_path = Path(ws_path)
    found = [ws_path.with_name(ws_path.name + s) for s in (".restoring", ".restoring.partial")]
    for folder in _candidate_dirs(ws_path):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        found += [folder / n for n in names if n.endswith(".partial")
                  and (m := _NAME.match(n.removesuffix(".partial"))) and m["stem"] == ws_path.stem]
    return leftovers.remove_old(found) + leftovers.clean_documents(ws_path.parent)


# ---------------------------------------------------------------- what a restore uses

def safety_copy(ws_path: Path) -> Path | None:
    """Keep what a restore replaces: a verified backup if healthy, else a raw copy marked damaged."""
    if not ws_path.exists():
        return None
    if not check_file(ws_path):
        src = _open_source(ws_path)
        try:
            return backup_connection(src, ws_path, reason="restore")
        except (sqlite3.DatabaseError, WorkspaceError):
            pass  # fall through to the raw copy
        finally:
            src.close()
    dest = _new_name(backup_dir(ws_path), ws_path, "damaged")
    shutil.copy2(ws_path, dest)
    for suffix in ("-wal",):
        side = ws_path.with_name(ws_path.name + suffix)
        if side.exists():
            shutil.copy2(side, dest.with_name(dest.name + suffix))
    return dest


def copy_file_verified(src_path: Path, dest: Path) -> None:
    """A checked backup-API copy of the file `src_path` (opened read-only) at `dest`."""
    src = sqlite3.connect(f"{src_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _copy_verified(src, dest)
    finally:
        src.close()
