"""Survey administrations, respondents, answers (stored long) and open-ended comments.

Hot path: `add_administration` inserts with plain executemany inside the caller's transaction.
Nothing that identifies a respondent is stored — only a row number within the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..forms.periods import DEFAULT_PERIOD
from ..masking import has_personal
from .db import Workspace, inserted_id, now


@dataclass(frozen=True)
class Administration:
    id: int
    year: int
    instrument_ref: int
    instrument_id: str
    group: str
    source_name: str | None
    source_sha256: str | None
    method: str
    imported_at: str
    n_respondents: int
    period: str = DEFAULT_PERIOD  # 중간 | 학년말 (forms/periods.py)


@dataclass(frozen=True)
class ResponseRow:
    """One respondent as imported: raw answers (item → 1..k), comments (question → text) and
    classification answers (attributes: name → values, e.g. {"학년": ("1학년", "3학년")})."""

    row_no: int
    answers: dict
    comments: dict
    attributes: dict = field(default_factory=dict)


_ADM = ("SELECT a.id, a.year, a.instrument_ref, i.instrument_id, a.grp, a.source_name, a.source_sha256, "
        "a.method, a.imported_at, a.n_respondents, a.period FROM administrations a JOIN instruments i "
        "ON i.id = a.instrument_ref")


def add_administration(ws: Workspace, *, year: int, instrument_ref: int, group: str,
                       rows: Sequence[ResponseRow], source_name: str | None = None,
                       source_sha256: str | None = None, method: str = "import",
                       summary: dict | None = None, period: str = DEFAULT_PERIOD, progress=None) -> int:
    """Insert one administration with all its rows; call inside ws.transaction()."""
    conn = ws.conn
    cur = conn.execute(
        "INSERT INTO administrations (year, instrument_ref, grp, source_name, source_sha256, method, "
        "imported_at, n_respondents, summary, period) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (year, instrument_ref, group, source_name, source_sha256, method, now(), len(rows),
         json.dumps(summary, ensure_ascii=False) if summary else None, period))
    adm_id = inserted_id(cur)
    first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM respondents").fetchone()[0]
    conn.executemany("INSERT INTO respondents (id, administration_id, row_no) VALUES (?, ?, ?)",
                     ((first + n, adm_id, r.row_no) for n, r in enumerate(rows)))
    chunk = 2000
    for start in range(0, len(rows), chunk):
        if progress is not None:
            progress.report(start, len(rows), "응답 저장 중")
        part = rows[start:start + chunk]
        # one statement per respondent, SQLite unpacking the answers (json_each): about twice as fast
        # as binding every (respondent, item, value) triple from Python
        conn.executemany("INSERT INTO answers (respondent_id, item, value) "
                         "SELECT ?, key, value FROM json_each(?) WHERE value IS NOT NULL",
                         ((first + start + n, json.dumps(r.answers)) for n, r in enumerate(part) if r.answers))
        conn.executemany("INSERT INTO comments (respondent_id, question, text, personal) VALUES (?, ?, ?, ?)",
                         ((first + start + n, q, t, int(has_personal(t))) for n, r in enumerate(part)
                          for q, t in r.comments.items() if t))
        conn.executemany("INSERT OR IGNORE INTO respondent_attributes (respondent_id, name, value) VALUES (?, ?, ?)",
                         ((first + start + n, name, v) for n, r in enumerate(part)
                          for name, values in r.attributes.items() for v in values if v))
    return adm_id


def administrations(ws: Workspace, year: int | None = None, instrument_id: str | None = None,
                    group: str | None = None, period: str | None = None) -> list[Administration]:
    """Administrations in import order; `period` None means every period."""
    sql, args = _ADM + " WHERE 1=1", list[object]()
    if year is not None:
        sql += " AND a.year = ?"
        args.append(year)
    if instrument_id is not None:
        sql += " AND i.instrument_id = ?"
        args.append(instrument_id)
    if group is not None:
        sql += " AND a.grp = ?"
        args.append(group)
    if period is not None:
        sql += " AND a.period = ?"
        args.append(period)
    return [Administration(*r) for r in ws.conn.execute(sql + " ORDER BY a.id", args)]


def delete_administration(ws: Workspace, adm_id: int) -> None:
    ws.conn.execute("DELETE FROM administrations WHERE id = ?", (adm_id,))


def find_by_source(ws: Workspace, year: int, sha256: str) -> Administration | None:
    rows = [Administration(*r) for r in ws.conn.execute(_ADM + " WHERE a.year = ? AND a.source_sha256 = ?",
                                                        (year, sha256))]
    return rows[0] if rows else None


def answers_by_respondent(ws: Workspace, adm_ids: Iterable[int]) -> list[dict]:
    """Raw answers of every respondent of these administrations, one dict per respondent."""
    ids = list(adm_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    # One JSON object per respondent built inside SQLite: far fewer Python objects than one tuple per answer.
    # LEFT JOIN keeps respondents without answers (they count in n but in no statistic).
    loads = json.loads
    return [loads(obj) if obj else {} for (obj,) in ws.conn.execute(
        f"SELECT (SELECT json_group_object(a.item, a.value) FROM answers a WHERE a.respondent_id = r.id) "
        f"FROM respondents r WHERE r.administration_id IN ({marks}) ORDER BY r.id", ids)]


def attribute_values(ws: Workspace, adm_ids: Iterable[int], name: str) -> list[tuple[str, ...]]:
    """Each respondent's values of one classification attribute (응답자 구분, e.g. 학년), in the order of
    `answers_by_respondent` (respondent id); () for a respondent who gave none."""
    ids = list(adm_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [tuple(json.loads(vals)) if vals else () for (vals,) in ws.conn.execute(
        f"SELECT (SELECT json_group_array(t.value) FROM (SELECT value FROM respondent_attributes x "
        f"WHERE x.respondent_id = r.id AND x.name = ? ORDER BY value) t) "
        f"FROM respondents r WHERE r.administration_id IN ({marks}) ORDER BY r.id", [name, *ids])]


def comments(ws: Workspace, adm_ids: Iterable[int]) -> list[tuple[int, str, str, int, int]]:
    """(comment id, question code, text, selected, personal) for these administrations; personal = the text
    holds personal data (flagged at import, `masking.has_personal`)."""
    ids = list(adm_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return list(ws.conn.execute(
        f"SELECT c.id, c.question, c.text, c.selected, c.personal FROM comments c "
        f"JOIN respondents r ON r.id = c.respondent_id "
        f"WHERE r.administration_id IN ({marks}) ORDER BY c.id", ids))


def comment_rows(ws: Workspace, adm_ids: Iterable[int]) -> list[tuple[int, int, str, str, int]]:
    """(comment id, respondent id, question code, text, selected) for these administrations; the
    respondent id only tells comments of one person apart (theme counts per respondent)."""
    ids = list(adm_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return list(ws.conn.execute(
        f"SELECT c.id, c.respondent_id, c.question, c.text, c.selected FROM comments c "
        f"JOIN respondents r ON r.id = c.respondent_id WHERE r.administration_id IN ({marks}) ORDER BY c.id", ids))


def set_comment_selected(ws: Workspace, comment_id: int, selected: bool) -> None:
    ws.conn.execute("UPDATE comments SET selected = ? WHERE id = ?", (int(selected), comment_id))


def response_counts(ws: Workspace, year: int, period: str | None = None) -> dict[str, dict[str, int]]:
    """{instrument_id: {group: respondents}} for the year (of one period when given)."""
    out: dict[str, dict[str, int]] = {}
    for inst, grp, n in ws.conn.execute(
            "SELECT i.instrument_id, a.grp, SUM(a.n_respondents) FROM administrations a JOIN instruments i "
            "ON i.id = a.instrument_ref WHERE a.year = ? AND (? IS NULL OR a.period = ?) "
            "GROUP BY i.instrument_id, a.grp", (year, period, period)):
        out.setdefault(inst, {})[grp] = n
    return out
