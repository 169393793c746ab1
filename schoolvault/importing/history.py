"""Earlier imports (가져오기 기록): listing them and deleting one, for `imports list|delete` and the 설문 page.

Deleting an import removes its respondents, answers, comments and attributes (foreign keys cascade).
It is the undo of an import, so a verified backup is written first and the deletion is audited; the
backup's path comes back so a window can offer to restore it.
"""

from __future__ import annotations

import datetime as dt

from ..errors import SchoolVaultError
from ..forms.periods import PERIOD_LABELS
from ..workspace import backup, responses
from ..workspace.db import Workspace
from ..workspace.school import current_year

METHOD_LABELS = {"import": "파일 가져오기", "paper": "종이 설문 입력", "demo": "예시 자료"}


def local_time(iso: str | None) -> str:
    """'2026-11-25T13:47:13+00:00' → '2026-11-25 22:47' on this computer's clock (as a teacher reads it)."""
    try:
        return dt.datetime.fromisoformat(str(iso)).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(iso or "")


def _titles(ws: Workspace) -> dict[int, str]:
    return {ref: title for ref, title in ws.conn.execute("SELECT id, title FROM instruments")}


def _entry(adm: responses.Administration, titles: dict[int, str]) -> dict:
    return {"id": adm.id, "year": adm.year, "file": adm.source_name or METHOD_LABELS.get(adm.method, adm.method),
            "method": adm.method, "instrument": adm.instrument_id, "survey": titles.get(adm.instrument_ref, ""),
            "group": adm.group, "period": adm.period, "period_label": PERIOD_LABELS.get(adm.period, adm.period),
            "rows": adm.n_respondents, "imported_at": adm.imported_at, "local_time": local_time(adm.imported_at)}


def list_imports(ws: Workspace, year: int | None = None) -> list[dict]:
    """The year's imports (default: the workspace's current year) in import order.

    Each entry: id, year, file (source file name, or how the answers came in), method, instrument,
    survey (title), group, period, period_label, rows (respondents stored), imported_at (ISO) and
    local_time ('YYYY-MM-DD HH:MM' on this computer's clock)."""
    if year is None:
        year = current_year(ws)
    titles = _titles(ws)
    return [_entry(a, titles) for a in responses.administrations(ws, year)]


def get_import(ws: Workspace, adm_id: int) -> dict:
    """One import by id; SchoolVaultError (Korean) when there is none."""
    row = next((a for a in responses.administrations(ws) if a.id == adm_id), None)
    if row is None:
        raise SchoolVaultError(f"가져오기 {adm_id}번이 없습니다.", where="가져오기 기록",
                               hint="번호는 'imports list'(설문 화면의 가져오기 목록)에서 확인하세요.")
    return _entry(row, _titles(ws))


def delete_import(ws: Workspace, adm_id: int) -> dict:
    """Delete one import with all its answers: a backup first, then one transaction with an audit entry.

    Returns the deleted import's entry (as `list_imports` gives it) plus `backup`, the path of the
    backup written before the deletion (None when it could not be written; the deletion goes on,
    as an import does). Raises SchoolVaultError when there is no such import (nothing changed)."""
    entry = get_import(ws, int(adm_id))
    made = backup.backup_before_change(ws, "delete")
    with ws.transaction():
        responses.delete_administration(ws, entry["id"])
        ws.audit("delete_import", administration=entry["id"], file=entry["file"], instrument=entry["instrument"],
                 group=entry["group"], period=entry["period"], respondents=entry["rows"],
                 backup=made.name if made else None)
    return {**entry, "deleted": True, "backup": str(made) if made else None}

