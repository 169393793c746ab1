"""Frozen copies of the instrument versions a workspace used (text + SHA-256).

Last year's results are read with last year's instrument even after the shipped file changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..forms.loader import content_hash
from .db import Workspace, inserted_id, now


@dataclass(frozen=True)
class FrozenInstrument:
    ref: int
    instrument_id: str
    kind: str
    title: str
    year: int
    sha256: str
    source: str  # shipped | imported | created
    content: str


_COLS = "id, instrument_id, kind, title, year, sha256, source, content"


def freeze(ws: Workspace, instrument, text: str, source: str, filename: str | None = None) -> int:
    """Store this exact text once; returns its ref (row id). Idempotent by (id, hash)."""
    sha = content_hash(text)
    row = ws.conn.execute("SELECT id FROM instruments WHERE instrument_id = ? AND sha256 = ?",
                          (instrument.id, sha)).fetchone()
    if row:
        return row[0]
    cur = ws.conn.execute(
        "INSERT INTO instruments (instrument_id, kind, title, year, sha256, source, filename, content, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (instrument.id, instrument.kind, instrument.title, instrument.year, sha, source, filename, text, now()))
    return inserted_id(cur)


def get(ws: Workspace, ref: int) -> FrozenInstrument:
    row = ws.conn.execute(f"SELECT {_COLS} FROM instruments WHERE id = ?", (ref,)).fetchone()
    if row is None:
        raise KeyError(ref)
    return FrozenInstrument(*row)


def all_frozen(ws: Workspace) -> list[FrozenInstrument]:
    return [FrozenInstrument(*r) for r in ws.conn.execute(f"SELECT {_COLS} FROM instruments ORDER BY id")]


def latest_for(ws: Workspace, instrument_id: str, sources: tuple[str, ...] | None = None) -> FrozenInstrument | None:
    sql = f"SELECT {_COLS} FROM instruments WHERE instrument_id = ?"
    args: list = [instrument_id]
    if sources:
        sql += f" AND source IN ({','.join('?' * len(sources))})"
        args += list(sources)
    row = ws.conn.execute(sql + " ORDER BY id DESC LIMIT 1", args).fetchone()
    return FrozenInstrument(*row) if row else None


_CURRENT_KEY = "instrument_current:"


def set_current(ws: Workspace, instrument_id: str, ref: int) -> None:
    """Mark the version the user chose last (an import of a version already stored makes it current again)."""
    ws.set_setting(_CURRENT_KEY + instrument_id, str(ref))


def current_refs(ws: Workspace) -> dict[str, int]:
    """{instrument id: ref} of the versions the user chose explicitly."""
    return {key[len(_CURRENT_KEY):]: int(value) for key, value in ws.conn.execute(
        "SELECT key, value FROM settings WHERE key LIKE ? ESCAPE '\\'", ("instrument\\_current:%",))}

