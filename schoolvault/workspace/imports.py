"""Lookups over earlier imports (administrations) that the response importer needs."""

from __future__ import annotations

from .db import Workspace
from .responses import _ADM, Administration


def find_earlier(ws: Workspace, year: int, file_sha256: str, content_sha256: str) -> Administration | None:
    """An administration of the year imported from the same file, or from a file with the same answers."""
    row = ws.conn.execute(
        _ADM + " WHERE a.year = ? AND (a.source_sha256 = ? OR json_extract(a.summary, '$.content_sha256') = ?) "
        "ORDER BY a.id LIMIT 1", (year, file_sha256, content_sha256)).fetchone()
    return Administration(*row) if row else None
