"""How many people were asked per group (설문 대상자 수), for the response rate."""

from __future__ import annotations

from .db import Workspace


def counts(ws: Workspace, year: int, instrument_id: str) -> dict[str, int]:
    """{group: people asked} of the year's instrument; a group without a row is not known."""
    return {grp: n for grp, n in ws.conn.execute(
        "SELECT grp, count FROM asked WHERE year = ? AND instrument_id = ?", (year, instrument_id))}


def set_count(ws: Workspace, year: int, instrument_id: str, group: str, count: int | None) -> None:
    """Store the count; None forgets it."""
    if count is None:
        ws.conn.execute("DELETE FROM asked WHERE year = ? AND instrument_id = ? AND grp = ?",
                        (year, instrument_id, group))
        return
    ws.conn.execute(
        "INSERT INTO asked (year, instrument_id, grp, count) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(year, instrument_id, grp) DO UPDATE SET count = excluded.count",
        (year, instrument_id, group, int(count)))
