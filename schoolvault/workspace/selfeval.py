"""The year's chosen indicators and their self-evaluation entries (자체평가)."""

from __future__ import annotations

from dataclasses import dataclass

from .db import Workspace, now

TEXT_FIELDS = ("evidence", "achievements", "shortcomings", "improvements", "midyear_note", "support_needed")
MIDYEAR_STATUSES = ("on_track", "attention", "not_started")
MIDYEAR_LABELS = {"on_track": "계획대로 진행", "attention": "보완 필요", "not_started": "미착수"}


@dataclass
class Entry:
    year: int
    indicator: str
    chosen: bool
    rating: int | None
    evidence: str
    achievements: str
    shortcomings: str
    improvements: str
    midyear_status: str | None
    midyear_note: str
    updated_at: str | None
    support_needed: str = ""  # 컨설팅장학 등 교육청 지원이 필요한 부분 (학교평가서 서식3-1)

    @property
    def done(self) -> bool:
        return self.rating is not None


_COLS = ("year, indicator, chosen, rating, evidence, achievements, shortcomings, improvements, "
         "midyear_status, midyear_note, updated_at, support_needed")


def _entry(row) -> Entry:
    e = Entry(*row)
    e.chosen = bool(e.chosen)
    return e


def entries(ws: Workspace, year: int, chosen_only: bool = True) -> list[Entry]:
    sql = f"SELECT {_COLS} FROM self_evaluations WHERE year = ?" + (" AND chosen = 1" if chosen_only else "")
    return [_entry(r) for r in ws.conn.execute(sql, (year,))]


def entry(ws: Workspace, year: int, indicator: str) -> Entry | None:
    row = ws.conn.execute(f"SELECT {_COLS} FROM self_evaluations WHERE year = ? AND indicator = ?",
                          (year, indicator)).fetchone()
    return _entry(row) if row else None


def set_chosen(ws: Workspace, year: int, indicator: str, chosen: bool) -> None:
    ws.conn.execute(
        "INSERT INTO self_evaluations (year, indicator, chosen, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(year, indicator) DO UPDATE SET chosen = excluded.chosen",
        (year, indicator, int(chosen), now()))


def update(ws: Workspace, year: int, indicator: str, **fields) -> None:
    """Set any of rating, the text fields and midyear_status; the row must exist (chosen or not)."""
    allowed = {"rating", "midyear_status", "chosen", *TEXT_FIELDS}
    bad = set(fields) - allowed
    if bad:
        raise ValueError(f"unknown fields {bad}")
    if not fields:
        return
    sets = ", ".join(f"{k} = ?" for k in fields)
    ws.conn.execute(f"UPDATE self_evaluations SET {sets}, updated_at = ? WHERE year = ? AND indicator = ?",
                    (*fields.values(), now(), year, indicator))


def custom_indicators(ws: Workspace, year: int) -> list[tuple[str, str, str]]:
    """(code, subarea, definition JSON) of the school's own 자율지표 for the year."""
    return list(ws.conn.execute("SELECT code, subarea, definition FROM custom_indicators WHERE year = ? "
                                "ORDER BY code", (year,)))


def save_custom_indicator(ws: Workspace, year: int, code: str, subarea: str, definition: str) -> None:
    ws.conn.execute("INSERT INTO custom_indicators (year, code, subarea, definition) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(year, code) DO UPDATE SET subarea = excluded.subarea, "
                    "definition = excluded.definition", (year, code, subarea, definition))


def delete_custom_indicator(ws: Workspace, year: int, code: str) -> None:
    """Remove a school indicator of the year and its self-evaluation row (the caller checks it is empty)."""
    ws.conn.execute("DELETE FROM self_evaluations WHERE year = ? AND indicator = ?", (year, code))
    ws.conn.execute("DELETE FROM custom_indicators WHERE year = ? AND code = ?", (year, code))


def features(ws: Workspace, year: int) -> dict[str, str]:
    """The year's 학교교육활동 특색사례 per 세부영역 code (non-empty texts only)."""
    return {sub: text for sub, text in ws.conn.execute(
        "SELECT subarea, text FROM subarea_features WHERE year = ? AND text != '' ORDER BY subarea", (year,))}


def set_feature(ws: Workspace, year: int, subarea: str, text: str) -> None:
    """Write (or clear, with '') the 특색사례 of a 세부영역."""
    ws.conn.execute("INSERT INTO subarea_features (year, subarea, text, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(year, subarea) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                    (year, subarea, text, now()))
