"""Open a workspace file: WAL, foreign keys, integrity check, migrations, transactions, audit log."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Self

from .. import leftovers  # noqa: F401 — loaded first: its fallback start time must precede any write
from ..errors import STORAGE_ERRNOS, WorkspaceError, sqlite_errno, storage_error
from . import migrations

if TYPE_CHECKING:
    from .lock import WriteLock

def inserted_id(cur: sqlite3.Cursor) -> int:
    """The rowid an INSERT just made (sqlite3 types it Optional; after an INSERT it never is)."""
    rowid = cur.lastrowid
    if rowid is None:
        raise WorkspaceError("저장한 행의 번호를 알 수 없습니다.", hint="작업 파일을 검사(check)해 보세요.")
    return rowid


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


_STORAGE_ERRORS = (
    (("database or disk is full", "disk is full"), "저장 공간이 부족해 저장하지 못했습니다. 바뀐 내용은 없습니다.",
     "디스크(USB)의 빈 공간을 확보한 뒤 다시 하세요."),
    (("readonly database", "read-only"), "작업 파일에 쓸 수 없습니다 (읽기 전용). 바뀐 내용은 없습니다.",
     "읽기 전용으로 연 창이면 다시 여세요. 파일·폴더의 읽기 전용 속성을 해제하거나 쓸 수 있는 폴더로 복사하세요."),
    (("database is locked", "database is busy"), "다른 프로그램이 작업 파일을 쓰고 있어 저장하지 못했습니다. 바뀐 내용은 없습니다.",
     "잠시 뒤 다시 하세요. 계속되면 다른 SchoolVault 창을 닫으세요."),
    (("disk i/o error",), "작업 파일을 쓰다가 디스크 오류가 났습니다. 바뀐 내용은 없습니다.",
     "USB나 네트워크 드라이브가 연결되어 있는지 확인하고, 'check' 명령으로 작업 파일을 검사하세요."),
)


def _raise_storage_error(path: Path, exc: sqlite3.DatabaseError) -> None:
    """Re-raise a storage failure as a Korean WorkspaceError; anything else unchanged (a bug)."""
    msg = str(exc).lower()
    if "malformed" in msg or "not a database" in msg:
        from .backup import damaged_error
        raise damaged_error(path, str(exc)) from exc
    for needles, message, hint in _STORAGE_ERRORS:
        if any(n in msg for n in needles):
            raise WorkspaceError(message, where=str(path), hint=f"{hint} (세부: {exc})") from exc
    raise exc


class Workspace:
    """One workspace file. All SQL of the app goes through this connection.

    Writes happen inside `transaction()`, which is BEGIN IMMEDIATE … COMMIT, so a crash
    mid-job leaves the file as it was before the job (SQLite's journal guarantees it).
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool = False):
        self.path = path
        self.conn = conn
        self.db = migrations.utils_db(conn)  # the same connection, for introspection and simple reads
        self.readonly = readonly
        self._lock = threading.RLock()
        self._depth = 0
        self._write_lock: WriteLock | None = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing; nested calls become savepoints.

        A full disk, a read-only file, a lock held too long or an I/O error (USB pulled) becomes a
        WorkspaceError in Korean after the rollback, so the user learns nothing was saved and why.
        """
        with self._lock:
            try:
                if self._depth == 0:
                    self.conn.execute("BEGIN IMMEDIATE")
                else:
                    self.conn.execute(f"SAVEPOINT sp{self._depth}")
            except sqlite3.OperationalError as e:
                _raise_storage_error(self.path, e)
            self._depth += 1
            try:
                yield self.conn
            except BaseException as exc:
                self._depth -= 1
                if self.conn.in_transaction:  # SQLite may have rolled back already (disk full, I/O error)
                    if self._depth == 0:
                        self.conn.execute("ROLLBACK")
                    else:
                        self.conn.execute(f"ROLLBACK TO sp{self._depth}")
                        self.conn.execute(f"RELEASE sp{self._depth}")
                if self._depth == 0 and isinstance(exc, sqlite3.DatabaseError):
                    _raise_storage_error(self.path, exc)
                raise
            else:
                self._depth -= 1
                if self._depth == 0:
                    try:
                        self.conn.execute("COMMIT")
                    except sqlite3.OperationalError as e:
                        if self.conn.in_transaction:
                            self.conn.execute("ROLLBACK")
                        _raise_storage_error(self.path, e)
                else:
                    self.conn.execute(f"RELEASE sp{self._depth}")

    def audit(self, action: str, **detail) -> None:
        """Record a change that matters (imports, deletions, restores, exports). Never personal data."""
        self.conn.execute("INSERT INTO audit_log (at, action, detail) VALUES (?, ?, ?)",
                          (now(), action, json.dumps(detail, ensure_ascii=False, default=str)))

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str | None) -> None:
        self.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def integrity_problems(self) -> list[str]:
        """SQLite's integrity check plus foreign-key check; empty when healthy."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
        for row in self.conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"외래 키 위반: {row[0]} 행 {row[1]} → {row[2]}")
        return problems

    def close(self) -> None:
        try:
            if not self.readonly:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass  # closing must not fail; the WAL is replayed on next open
        self.conn.close()
        write_lock, self._write_lock = getattr(self, "_write_lock", None), None
        if write_lock is not None:
            write_lock.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = f"file:{path.as_posix()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=5)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def open_workspace(path: str | Path, *, create: bool = False, readonly: bool = False,
                   check: str = "quick") -> Workspace:
    """Open (or with create=True, make) a workspace, migrated to the current schema.

    For writing, takes the one-writer lock (lock.WorkspaceInUse when another instance holds it;
    open readonly=True instead) and makes the throttled daily backup. Raises WorkspaceError when
    the file is missing, not a workspace, damaged (the hint names the latest good backup), or from
    a newer version of the app; errors.StorageError when the disk is full, the folder cannot be
    written or the path is too long. A damaged file is never written to.
    """
    try:
        return _open_for_use(path, create=create, readonly=readonly, check=check)
    except OSError as e:
        if e.errno in STORAGE_ERRNOS:
            raise storage_error(e, path) from None
        raise


def _open_for_use(path: str | Path, *, create: bool, readonly: bool, check: str) -> Workspace:
    from . import backup, lock
    path = Path(path)
    if path.exists() and not path.is_file():
        raise WorkspaceError("작업 파일 경로가 파일이 아니라 폴더입니다.", where=str(path),
                             hint="폴더 안의 작업 파일(.sqlite)을 고르세요.")
    if path.is_file() and path.stat().st_size == 0 and backup.list_backups(path):
        # An empty file where backups of a workspace exist is a workspace lost to a crash or a bad
        # copy, not a new one: never silently start over in it.
        raise backup.damaged_error(path, "파일 크기가 0바이트입니다")
    write_lock = None
    if not readonly and (create or path.exists()):
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        write_lock = lock.acquire(path)
    try:
        existed = path.exists() and path.stat().st_size > 0
        ws = _open_workspace(path, create=create, readonly=readonly, check=check)
    except BaseException:
        if write_lock is not None:
            write_lock.release()
        raise
    ws._write_lock = write_lock
    if not readonly:
        backup.clean_leftovers(path)  # what a killed backup, restore or export left (we hold the lock)
    if not readonly and existed:
        backup.auto_backup(ws.conn, path)
    return ws


def _open_workspace(path: Path, *, create: bool, readonly: bool, check: str) -> Workspace:
    from . import backup
    path = Path(path)
    if not path.exists() and not create:
        raise WorkspaceError("작업 파일이 없습니다.", where=str(path),
                             hint="경로를 확인하거나 'init' 명령으로 새 작업 파일을 만드세요.")
    if path.exists() and path.stat().st_size > 0:
        with open(path, "rb") as f:
            head = f.read(16)
        if head != b"SQLite format 3\x00":
            raise WorkspaceError("SchoolVault 작업 파일이 아닙니다 (SQLite 파일이 아님).", where=str(path),
                                 hint="올바른 작업 파일(.sqlite)을 고르세요.")
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = _connect(path, readonly)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = migrations.schema_version(conn)
        objects = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as e:
        if (code := sqlite_errno(e, path)) is not None:  # the disk or folder, not the file: say so
            raise storage_error(code, path) from None
        raise backup.damaged_error(path, str(e)) from None
    # app_id 0 with tables in it is another program's database: never migrate into it
    if app_id not in (0, migrations.APP_ID) or (app_id == 0 and (version > 0 or objects > 0)):
        conn.close()
        raise WorkspaceError("SchoolVault 작업 파일이 아닙니다.", where=str(path),
                             hint="올바른 작업 파일을 고르세요.")
    if version > migrations.SCHEMA_VERSION:
        conn.close()
        raise WorkspaceError(
            f"더 새로운 버전의 SchoolVault에서 만든 작업 파일입니다 (스키마 {version}, 이 프로그램은 "
            f"{migrations.SCHEMA_VERSION}까지 지원).", where=str(path),
            hint="SchoolVault를 최신 버전으로 업데이트하세요. 파일은 변경하지 않았습니다.")
    if check and version > 0:
        pragma = "quick_check" if check == "quick" else "integrity_check"
        try:
            bad = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall() if r[0] != "ok"]
        except sqlite3.DatabaseError as e:
            if (code := sqlite_errno(e, path)) is not None:
                conn.close()
                raise storage_error(code, path) from None
            bad = [str(e)]
        if bad:
            conn.close()
            raise backup.damaged_error(path, "; ".join(bad[:3]))
    if not readonly:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: in WAL mode NORMAL may lose the last commits on a power cut; FULL costs one
            # fsync per transaction, which for autosave every few seconds and one per import is nothing.
            conn.execute("PRAGMA synchronous = FULL")
            if version == 0:
                conn.execute(f"PRAGMA application_id = {migrations.APP_ID}")
            if migrations.pending(conn):
                if version > 0:  # an upgrade: keep the old schema's data first
                    backup.backup_connection(conn, path, reason="migrate")
                migrations.migrate(conn)
        except sqlite3.OperationalError as e:
            conn.close()
            if (code := sqlite_errno(e, path)) is not None:
                raise storage_error(code, path) from None
            if "locked" in str(e) or "busy" in str(e):
                raise WorkspaceError("다른 SchoolVault 창이나 프로그램이 이 작업 파일을 쓰고 있습니다.",
                                     where=str(path), hint="다른 창을 닫은 뒤 다시 여세요.") from None
            raise WorkspaceError("작업 파일을 준비하지 못했습니다.", where=str(path), hint=str(e)) from None
    return Workspace(path, conn, readonly=readonly)
