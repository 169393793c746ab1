"""The audit log (감사 기록): reading it, and recording exports — files that leave the school.

Why a helper for exports: an export only reads the workspace, possibly through a read-only
connection, yet the issue asks that every file leaving the school is recorded. Details are file
names and counts, never personal data.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .. import leftovers
from .db import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    action: str
    detail: dict


def record_export(ws: Workspace, kind: str, out: str | Path, **detail) -> bool:
    """Record that a document (kind: workbook, report, district_report, benchmark, backup …) was written.

    Returns False (and logs) when the workspace is read-only or busy: a finished export is never
    turned into an error because its record could not be written.
    """
    leftovers.clean_documents(Path(out).parent)  # temporary files of earlier exports there that were killed
    if ws.readonly:
        log.info("export of %s not recorded: workspace opened read-only", Path(out).name)
        return False
    try:
        with ws.transaction():
            ws.audit("export", kind=kind, file=Path(out).name, **detail)
        return True
    except sqlite3.Error as e:
        log.warning("export of %s not recorded: %s", Path(out).name, e)
        return False


def entries(ws: Workspace, action: str | None = None, limit: int = 500) -> list[AuditEntry]:
    """The newest audit entries first (optionally of one action), for the GUI's history view."""
    sql, args = "SELECT id, at, action, detail FROM audit_log", []
    if action is not None:
        sql += " WHERE action = ?"
        args.append(action)
    rows = ws.conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))
    return [AuditEntry(i, at, a, json.loads(d) if d else {}) for i, at, a, d in rows]
