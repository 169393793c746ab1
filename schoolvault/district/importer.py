"""Import schools' submission workbooks into a district workspace (district import).

Every file is judged on its own: a refused file is reported with its reason and the others go on;
an edited file (checksum mismatch) is imported with a warning; the same school and year again
replaces the earlier submission, and the summary says which file it replaced. The whole job is one
transaction, so Cancel (or a crash) leaves the workspace as it was before the job.

Reading is the cost (python-calamine parses each xlsx); with many files it runs in worker
processes while this process writes, so a district of 1,346 schools imports in seconds.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import SchoolVaultError
from ..progress import NULL_PROGRESS
from ..workspace import district as district_db
from ..workspace import lock
from ..workspace.db import Workspace
from ..workspace.district import DistrictSchool
from .aggregate import (
    AREA_RESULTS_VERSION,
    pack_summary,
    school_labels,
    summarize_school,
)
from .reader import (
    Submission,
    SubmissionRefused,
    read_submission,
    read_submission_bytes,
    stored_form_of_workbook,
)

log = logging.getLogger(__name__)

PARALLEL_MIN_FILES = 48   # below this, starting worker processes costs more than it saves
MAX_WORKERS = 4
CHUNK = 16


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and every .xlsx inside given folders (sorted; Excel's ~$ lock files skipped).

    A file named twice (``폴더/*.xlsx 폴더/``, the same name typed again) is read once."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() == ".xlsx" and not f.name.startswith("~$")
                              and f.is_file()))
        else:
            out.append(p)
    seen: set[Path] = set()
    unique = []
    for f in out:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


Refusal = tuple[str, str, str | None, str | None]


def _read_safe(path: Path) -> Submission | Refusal:
    """Worker: a Submission, or ('refused', message, where, hint) — exceptions do not cross processes well."""
    try:
        sub = read_submission(path, items=False)
    except SubmissionRefused as e:
        return ("refused", e.message, e.where, e.hint)
    # packing runs here so it runs in the reading processes too
    sub.packed = pack_summary(summarize_school(sub.rows, with_levels=sub.version >= AREA_RESULTS_VERSION))
    sub.labels = school_labels(sub.rows)
    sub.rows = []  # the file is stored as received; the rows need not travel back
    return sub


PARENT_POLL = 0.5  # seconds between a worker's checks that the importing process still runs


def _worker_init(parent: int) -> None:
    """Set up a reading process: it must never outlive the import that started it.

    A forked worker shares the parent's open lock file, so after a `kill -9` of the import it would
    keep the workspace locked until it had read every file. So the worker closes that file first
    (`lock.forget_inherited`), asks Linux to kill it with its parent (PR_SET_PDEATHSIG), and elsewhere
    a daemon thread exits it as soon as the parent is gone."""
    lock.forget_inherited()
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the polling thread below still ends the worker
    if not _parent_alive(parent):  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _parent_alive(parent: int) -> bool:
    if os.name == "posix":
        return os.getppid() == parent  # an orphan is re-parented to init or a subreaper
    return lock.pid_alive(parent)


def _watch_parent(parent: int) -> None:
    while _parent_alive(parent):
        time.sleep(PARENT_POLL)
    os._exit(1)


def _default_workers(n_files: int) -> int:
    if n_files < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(MAX_WORKERS, (os.cpu_count() or 1)))


def _read_all(files: list[Path], workers: int) -> Iterator[tuple[Path, Submission | Refusal]]:
    if workers <= 1:
        for f in files:
            yield f, _read_safe(f)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    # fork is fast but unsafe from a threaded process (the GUI runs jobs on a worker thread);
    # there, and on Windows, workers are spawned (a frozen app must call multiprocessing.freeze_support())
    fork_ok = os.name == "posix" and threading.current_thread() is threading.main_thread()
    ctx = multiprocessing.get_context("fork" if fork_ok else "spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init,
                               initargs=(os.getpid(),))
    try:
        yield from zip(files, pool.map(_read_safe, files, chunksize=CHUNK))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _outcome(sub: Submission, status: str, replaced=None) -> dict:
    d = {"file": sub.path.name, "status": status, "school": sub.meta["school_name"],
         "school_code": sub.meta.get("school_code"), "level": sub.level, "district": sub.district,
         "year": sub.year, "checksum_ok": sub.checksum_ok, "warnings": sub.warnings}
    if replaced is not None:
        d["replaced"] = {"file": replaced.source_name, "imported_at": replaced.imported_at}
    return d


def _who(name: str, level: str, district: str) -> str:
    return f"'{name}'({level}·{district})"


def _judge(ws: Workspace, sub: Submission, replace: set[str]) -> tuple[str, DistrictSchool | None, str | None]:
    """What to do with a read submission: ("store", replaced or None, warning) or ("conflict", kept, reason).

    Schools are keyed by school code; a file without one is keyed by its own content, so two schools of the
    same name are both kept (never matched by name alone). Behind a known code the earlier submission is
    kept — until the user names the code in `replace` — when the file says it is another school (name,
    학교급 or 교육지원청 differ) or when it was edited after export and the earlier one was not."""
    code = sub.meta.get("school_code")
    name = sub.meta["school_name"]
    existing = district_db.find_school(ws, sub.school_key, sub.year)
    if existing is None:
        if code:
            return "store", None, None
        twins = [s for s in district_db.schools_named(ws, name, sub.year) if s.school_key != sub.school_key]
        warning = None
        if twins:
            warning = (f"학교 코드가 없는 파일이고, 같은 이름의 학교가 이미 있습니다 ({', '.join(t.source_name or '?' for t in twins)}). "
                       "다른 학교로 보고 따로 보관했습니다. 같은 학교라면 학교 코드를 넣어 다시 내보내 달라고 하세요.")
        return "store", None, warning
    if code and code in replace:
        return "store", existing, None
    old_who = _who(existing.school_name, existing.level, existing.district)
    new_who = _who(name, sub.level, sub.district)
    if old_who != new_who:
        return "conflict", existing, (f"학교 코드 {code}은(는) 이미 {old_who}(파일 {existing.source_name})로 가져왔는데, "
                                      f"이 파일은 {new_who}이라고 합니다. 앞의 제출을 그대로 두었습니다.")
    if existing.checksum_ok and not sub.checksum_ok:
        return "conflict", existing, (f"내보낸 뒤 수정된 파일이라, 수정 흔적 없는 앞의 제출(파일 {existing.source_name})을 "
                                      "바꾸지 않았습니다.")
    return "store", existing, None


def import_submissions(ws: Workspace, paths: Iterable[str | Path], *, workers: int | None = None,
                       replace_schools: Iterable[str] = (), progress=NULL_PROGRESS) -> dict:
    """Import workbooks and folders of workbooks; returns per-file outcomes and totals.

    A file that would replace another school's submission, or a verified one by an edited file, is not
    stored: its outcome is "conflict" with the reason, and the earlier submission stays until the user
    imports it again naming its code in `replace_schools` (CLI `--replace-school CODE`).
    Raises SchoolVaultError when no file was given or found. Refused files do not raise: they are
    listed with their reason, so one bad file never spoils the others.
    """
    replace = {str(c).strip() for c in replace_schools}
    files = expand(paths)
    if not files:
        raise SchoolVaultError("가져올 파일이 없습니다.", hint="학교 제출 파일(.xlsx)이나 그 파일들이 든 폴더를 고르세요.")
    missing = [f for f in files if not f.exists()]
    outcomes: list[dict] = [{"file": f.name, "status": "refused", "reason": "파일이 없습니다.", "where": str(f),
                             "hint": "경로를 확인하세요."} for f in missing]
    files = [f for f in files if f.exists()]
    n = len(files)
    workers = _default_workers(n) if workers is None else workers
    progress.report(0, n, "학교 제출 파일 읽는 중")
    with ws.transaction():
        _slim_stored(ws)
        seen_labels = district_db.label_keys(ws)
        layout_ids = district_db.layouts(ws)
        for i, (path, got) in enumerate(_read_all(files, workers), start=1):
            if isinstance(got, tuple):
                _, message, where, hint = got
                outcomes.append({"file": path.name, "status": "refused", "reason": message, "where": where or path.name,
                                 "hint": hint})
            else:
                sub = got
                layout, vals, extra = sub.packed
                verdict, other, note = _judge(ws, sub, replace)
                if verdict == "conflict" and other is not None:
                    code = sub.meta.get("school_code")
                    outcomes.append({**_outcome(sub, "conflict"), "reason": note, "path": str(path),
                                     "kept": {"file": other.source_name, "school": other.school_name,
                                              "level": other.level, "district": other.district,
                                              "checksum_ok": other.checksum_ok, "imported_at": other.imported_at},
                                     "hint": f"이 파일로 바꾸려면: district import --replace-school {code} \"{path}\""})
                    if i % 8 == 0 or i == n:
                        progress.report(i, n, path.name)
                    continue
                if note:
                    sub.warnings.append(note)
                with ws.transaction():  # savepoint: a failed insert takes only this file with it
                    if layout not in layout_ids:
                        layout_ids[layout] = district_db.add_layout(ws, layout)
                    if other is not None:
                        district_db.delete_school(ws, other.id)
                    _, replaced = district_db.add_school(
                        ws, school_key=sub.school_key, school_name=sub.meta["school_name"],
                        school_code=sub.meta.get("school_code"), level=sub.level, district=sub.district,
                        year=sub.year, rating_points=_int(sub.meta.get("rating_points")),
                        format_version=int(float(sub.meta["format_version"])),
                        app_version=_str(sub.meta.get("app_version")), exported_at=_str(sub.meta.get("exported_at")),
                        source_name=path.name, source_sha256=sub.sha256, checksum_ok=sub.checksum_ok,
                        warnings=sub.warnings, layout_id=layout_ids[layout], vals=vals, extra=extra,
                        file=sub.data)
                    new = [lab for lab in sub.labels if lab[:3] not in seen_labels]
                    if new:
                        district_db.add_labels(ws, new)
                        seen_labels.update(lab[:3] for lab in new)
                replaced = replaced or other
                outcomes.append(_outcome(sub, "replaced" if replaced is not None else "imported", replaced))
            if i % 8 == 0 or i == n:
                progress.report(i, n, path.name)
        totals = _totals(outcomes)
        if totals["imported"] + totals["replaced"]:  # a batch that stored nothing leaves the file as it was
            ws.audit("district_import", files=len(outcomes), **totals,
                     conflicts_kept=[o["kept"]["file"] for o in outcomes if o["status"] == "conflict"])
    return {"files": outcomes, **totals}


def _slim_stored(ws: Workspace) -> None:
    """Keep only the machine sheets of submissions an older import stored whole (raw answers and comments
    included): the district needs nothing else, and should not hold it."""
    for sid, data in district_db.whole_workbooks(ws):
        try:
            slim = stored_form_of_workbook(data)
        except Exception as e:  # noqa: BLE001 — calamine's error types; an unreadable blob stays as it is
            log.warning("stored submission %s could not be slimmed: %s", sid, e)
            continue
        district_db.set_submission_file(ws, sid, slim)


def _totals(outcomes: list[dict]) -> dict:
    return {"imported": sum(1 for o in outcomes if o["status"] == "imported"),
            "replaced": sum(1 for o in outcomes if o["status"] == "replaced"),
            "refused": sum(1 for o in outcomes if o["status"] == "refused"),
            "conflicts": sum(1 for o in outcomes if o["status"] == "conflict"),
            "edited": sum(1 for o in outcomes if o["status"] in ("imported", "replaced") and not o["checksum_ok"]),
            "warnings": sum(1 for o in outcomes if o.get("warnings"))}


def _int(v) -> int | None:
    try:
        return int(float(v)) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _str(v) -> str | None:
    return None if v in (None, "") else str(v)


def stored_rows(ws: Workspace, school_id: int) -> list[dict]:
    """One stored school's submission rows (ROW_COLUMNS keys), read back from the stored sheets."""
    from ..workspace.district import ROW_COLUMNS
    data = district_db.submission_file(ws, school_id)
    if data is None:
        return []
    s = district_db.school(ws, school_id)
    assert s is not None  # a stored submission's school row exists (ON DELETE CASCADE)
    sub = read_submission_bytes(data, Path(s.source_name or "제출파일.xlsx"))
    return [dict(zip(ROW_COLUMNS, r)) for r in sub.rows]
