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


def import_fingerprints(ws: Workspace, year: int, instrument_id: str, group: str
                        ) -> list[tuple[Administration, str | None, list[str]]]:
    """The year's file imports of a survey and group: (administration, stored content hash, its respondents'
    row fingerprints in row order). An import made before fingerprints existed has an empty list."""
    out = []
    for row in ws.conn.execute(
            _ADM + " WHERE a.year = ? AND i.instrument_id = ? AND a.grp = ? AND a.method = 'import' ORDER BY a.id",
            (year, instrument_id, group)):
        adm = Administration(*row)
        content = ws.conn.execute("SELECT json_extract(summary, '$.content_sha256') FROM administrations "
                                  "WHERE id = ?", (adm.id,)).fetchone()[0]
        fps = [fp for (fp,) in ws.conn.execute(
            "SELECT f.fingerprint FROM respondents r JOIN respondent_fingerprints f ON f.respondent_id = r.id "
            "WHERE r.administration_id = ? ORDER BY r.id", (adm.id,))]
        out.append((adm, content, fps))
    return out


def add_fingerprints(ws: Workspace, adm_id: int, fingerprints: list[str]) -> None:
    """Store the fingerprints of an administration's respondents, in row order (call inside its transaction)."""
    ids = [rid for (rid,) in ws.conn.execute(
        "SELECT id FROM respondents WHERE administration_id = ? ORDER BY id", (adm_id,))]
    if len(ids) != len(fingerprints):
        raise ValueError(f"{len(ids)} respondents, {len(fingerprints)} fingerprints")
    ws.conn.executemany("INSERT INTO respondent_fingerprints (respondent_id, fingerprint) VALUES (?, ?)",
                        zip(ids, fingerprints))
