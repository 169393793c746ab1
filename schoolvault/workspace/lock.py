"""One writer per workspace: a lock file beside it, held with an OS file lock.

Why both a file and an OS lock: the OS lock (flock / msvcrt.locking) disappears with the process,
so a crash or `kill -9` never leaves the workspace locked for ever; the file's content (pid, host,
time) lets the second instance tell the user *who* holds it. Where the OS lock is unavailable
(some network shares), a lock file whose pid is dead on this host is taken over.

SQLite's own locking (BEGIN IMMEDIATE + busy_timeout) still serialises writes; this lock is about
two app windows editing the same year at once, which SQLite alone would let happen silently.
Within one process the lock is shared (counted), so the GUI's writer and a job on the same path
do not lock each other out.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import WorkspaceError

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"
# Windows locks byte ranges and refuses reads of a locked range; lock a byte far past the
# content so others can still read who holds the workspace.
_WIN_LOCK_OFFSET = 1 << 30


class WorkspaceInUse(WorkspaceError):
    """Another running SchoolVault holds the workspace; it can still be opened read-only."""

    def __init__(self, path: Path, owner: dict):
        who = owner.get("host") or "?"
        pid = owner.get("pid") or "?"
        since = owner.get("since") or "?"
        super().__init__("다른 SchoolVault 창이나 컴퓨터에서 이 작업 파일을 사용하고 있습니다.",
                         where=f"{path} (사용 중: {who}, 프로세스 {pid}, {since}부터)",
                         hint="다른 창을 닫은 뒤 다시 열거나, 읽기 전용으로 여세요. "
                              "그 프로그램이 이미 꺼졌다면 잠시 뒤 다시 시도하세요.")
        self.path = path
        self.owner = owner


def lock_path(ws_path: Path) -> Path:
    return ws_path.with_name(ws_path.name + LOCK_SUFFIX)


def _host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """True when a process with this pid runs on this computer."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes
        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _os_lock(fd: int) -> str:
    """Try to take an exclusive OS lock without waiting: "taken", "held" (by another) or "unsupported"."""
    if sys.platform == "win32":
        import msvcrt
        try:
            os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return "taken"
        except PermissionError:
            return "held"
        except OSError:
            return "held"
    import fcntl
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return "taken"
    except BlockingIOError:
        return "held"
    except OSError as e:  # flock unsupported on this filesystem: fall back to the pid check
        log.warning("OS file lock unavailable (%s); relying on the pid in the lock file", e)
        return "unsupported"


def _os_unlock(fd: int) -> None:
    try:
        if sys.platform == "win32":
            import msvcrt
            os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass  # the descriptor is closed right after; the OS drops the lock anyway


def read_owner(ws_path: Path) -> dict | None:
    """Who holds (or last held) the workspace, from the lock file; None when there is none."""
    try:
        text = lock_path(Path(ws_path)).read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        owner = json.loads(text) if text.strip() else {}
    except ValueError:
        owner = {}
    return owner if isinstance(owner, dict) else {}


@dataclass
class _Held:
    fd: int
    count: int


_held: dict[str, _Held] = {}
_guard = threading.Lock()


def _key(ws_path: Path) -> str:
    return os.path.normcase(str(Path(ws_path).resolve()))


def held_here(ws_path: Path) -> bool:
    """True when this process holds the workspace's write lock."""
    with _guard:
        return _key(ws_path) in _held


class WriteLock:
    """A held write lock; `release()` once per acquire (idempotent)."""

    def __init__(self, ws_path: Path, key: str | None):
        self.ws_path = ws_path
        self._key = key

    def release(self) -> None:
        key, self._key = self._key, None
        if key is None:
            return
        with _guard:
            held = _held.get(key)
            if held is None:
                return
            held.count -= 1
            if held.count > 0:
                return
            del _held[key]
            # Unlink before unlocking, so whoever takes the lock next creates a fresh file
            # (acquire checks it locked the file that is at the path now).
            try:
                os.unlink(lock_path(self.ws_path))
            except OSError:
                pass
            _os_unlock(held.fd)
            os.close(held.fd)


def _stale(owner: dict) -> bool:
    """A lock file left by a process that no longer runs on this host."""
    if owner.get("host") != _host():
        return False
    try:
        return not pid_alive(int(owner.get("pid", 0)))
    except (TypeError, ValueError):
        return True


ORPHAN_GRACE = 0.3  # seconds: a new holder writes its pid right after locking; give it that long


def _orphaned(ws_path: Path, owner: dict) -> bool:
    """The OS lock is held but the holder named in the file is dead on this host: a process that
    inherited the lock file from it (a forked worker outliving a killed parent) keeps the lock.
    Unlinks the file so the next attempt locks a fresh one; True when it did.

    The owner is read twice, ORPHAN_GRACE apart, on the same file: a process that has just taken the
    lock and not yet written its pid would otherwise look dead."""
    import time
    if not owner or not _stale(owner):
        return False
    lp = lock_path(ws_path)
    try:
        before = os.stat(lp)
        time.sleep(ORPHAN_GRACE)
        if read_owner(ws_path) != owner \
                or not os.path.samestat(before, os.stat(lp)):
            return False
        os.unlink(lp)
    except OSError:
        return False
    log.warning("took over the lock of dead process %s (held on by its orphaned children)", owner.get("pid"))
    return True


def forget_inherited() -> None:
    """In a forked child: close the lock files inherited from the parent, without unlocking them.

    An OS lock belongs to the open file, which a fork shares: a worker process that keeps the
    descriptor keeps the workspace locked after its parent dies. Unlocking here would unlock the
    parent too, so the descriptors are only closed. Call first thing in a forked worker."""
    for held in list(_held.values()):
        try:
            os.close(held.fd)
        except OSError:
            pass
    _held.clear()


def acquire(ws_path: str | Path) -> WriteLock:
    """Take the write lock of a workspace; raises WorkspaceInUse when another process holds it.

    If the lock file cannot be created at all (read-only folder), no lock is taken and SQLite's
    own locking remains the only guard; opening for writing will then fail on its own.
    """
    ws_path = Path(ws_path)
    key = _key(ws_path)
    with _guard:
        held = _held.get(key)
        if held is not None:
            held.count += 1
            return WriteLock(ws_path, key)
        lp = lock_path(ws_path)
        for _attempt in range(5):
            try:
                fd = os.open(lp, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as e:
                log.warning("cannot create lock file %s (%s); relying on SQLite locking", lp, e)
                return WriteLock(ws_path, None)
            state = _os_lock(fd)
            if state == "held":
                os.close(fd)
                owner = read_owner(ws_path) or {}
                if _orphaned(ws_path, owner):
                    continue  # the dead holder's file is gone: lock a fresh one
                raise WorkspaceInUse(ws_path, owner)
            try:
                same_file = os.path.samestat(os.fstat(fd), os.stat(lp))
            except OSError:
                same_file = False
            if not same_file:  # the holder released and unlinked it meanwhile: try again
                _os_unlock(fd)
                os.close(fd)
                continue
            if state == "unsupported":
                # No OS lock to trust: a lock file naming a live process (or another computer) wins.
                raw = os.read(fd, 4096)
                try:
                    owner = json.loads(raw) if raw.strip() else {}
                except ValueError:
                    owner = {}
                if isinstance(owner, dict) and owner.get("pid") and owner.get("pid") != os.getpid() \
                        and not _stale(owner):
                    os.close(fd)
                    raise WorkspaceInUse(ws_path, owner)
            # Taken: whatever the file said before is stale (its holder would still hold the OS lock).
            me = {"pid": os.getpid(), "host": _host(),
                  "since": datetime.now().astimezone().isoformat(timespec="seconds"), "app": "SchoolVault"}
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(me, ensure_ascii=False).encode("utf-8"))
            os.fsync(fd)
            try:
                still_ours = os.path.samestat(os.fstat(fd), os.stat(lp))
            except OSError:
                still_ours = False
            if not still_ours:  # taken over as orphaned before our pid was written: start again
                _os_unlock(fd)
                os.close(fd)
                continue
            _held[key] = _Held(fd, 1)
            return WriteLock(ws_path, key)
        raise WorkspaceInUse(ws_path, read_owner(ws_path) or {})



def wait_until_free(ws_path: str | Path, timeout: float, *, poll: float = 0.25) -> bool:
    """Wait up to `timeout` seconds for another instance to release the workspace; True when free.

    For the GUI's "wait" choice next to "open read-only" (run it in a worker, not the GUI thread).
    """
    import time
    deadline = time.monotonic() + timeout
    while True:
        try:
            acquire(ws_path).release()
            return True
        except WorkspaceInUse:
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll)
