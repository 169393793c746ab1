"""Helpers for the safety tests: damaging a workspace on purpose, reading all its rows, hashing."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def corrupt(path: Path) -> None:
    """Overwrite b-tree pages in the middle of the file so SQLite's quick_check fails."""
    from schoolvault.workspace.backup import check_file
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek(page)  # page 2 onwards: sqlite_master's children and the first tables
        f.write(b"\x0d" * page * 8)
    assert check_file(path), "the damage was not detected by quick_check"


def table_rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.execute(f"SELECT * FROM {table} ORDER BY 1"))
    finally:
        conn.close()
