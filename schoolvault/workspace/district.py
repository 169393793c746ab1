"""District tables: schools' submissions read back (학교별 제출자료) and imported benchmarks (벤치마크).

Hot path: `add_school` writes one school as two rows (packed values + the submission and metadata sheets'
values as JSON, never the visible sheets with raw answers and comments) inside the caller's transaction; a
school already stored for the same year is deleted first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .db import Workspace, inserted_id, now

ROW_COLUMNS = ("kind", "instrument", "grp", "code", "title", "n", "suppressed", "mean", "sd", "score100",
               "positive_rate", "alpha", "rating", "answers", "rounded", "level", "area")


@dataclass(frozen=True)
class DistrictSchool:
    id: int
    school_key: str
    school_name: str
    school_code: str | None
    level: str
    district: str
    year: int
    rating_points: int | None
    format_version: int
    app_version: str | None
    exported_at: str | None
    source_name: str | None
    source_sha256: str | None
    checksum_ok: bool
    warnings: list
    imported_at: str


_SCHOOL_COLS = ("id, school_key, school_name, school_code, level, district, year, rating_points, format_version, "
                "app_version, exported_at, source_name, source_sha256, checksum_ok, warnings, imported_at")


def _school(row) -> DistrictSchool:
    r = list(row)
    r[13] = bool(r[13])
    r[14] = json.loads(r[14]) if r[14] else []
    return DistrictSchool(*r)


def find_school(ws: Workspace, school_key: str, year: int) -> DistrictSchool | None:
    row = ws.conn.execute(f"SELECT {_SCHOOL_COLS} FROM district_schools WHERE school_key = ? AND year = ?",
                          (school_key, year)).fetchone()
    return _school(row) if row else None


def schools_named(ws: Workspace, school_name: str, year: int) -> list[DistrictSchool]:
    """The year's stored schools of this name (any code): a warning, never a match."""
    rows = ws.conn.execute(f"SELECT {_SCHOOL_COLS} FROM district_schools WHERE school_name = ? AND year = ? ORDER BY id",
                           (school_name, year)).fetchall()
    return [_school(r) for r in rows]


def add_school(ws: Workspace, *, school_key: str, school_name: str, school_code: str | None, level: str,
               district: str, year: int, rating_points: int | None, format_version: int,
               app_version: str | None, exported_at: str | None, source_name: str | None,
               source_sha256: str | None, checksum_ok: bool, warnings: Sequence[str],
               layout_id: int, vals: bytes, extra: str, file: bytes) -> tuple[int, DistrictSchool | None]:
    """Store one school's submission (replacing the same school and year); returns (id, replaced).

    layout_id/vals/extra are the packed values the statistics read; file the two machine sheets' values.
    Call inside ws.transaction().
    """
    conn = ws.conn
    replaced = find_school(ws, school_key, year)
    if replaced is not None:
        conn.execute("DELETE FROM district_schools WHERE id = ?", (replaced.id,))
    cur = conn.execute(
        "INSERT INTO district_schools (school_key, school_name, school_code, level, district, year, rating_points, "
        "format_version, app_version, exported_at, source_name, source_sha256, checksum_ok, warnings, imported_at, "
        "layout_id, vals, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (school_key, school_name, school_code, level, district, year, rating_points, format_version, app_version,
         exported_at, source_name, source_sha256, int(checksum_ok),
         json.dumps(list(warnings), ensure_ascii=False) if warnings else None, now(), layout_id, vals, extra))
    sid = inserted_id(cur)
    conn.execute("INSERT INTO district_submissions (school_id, file) VALUES (?, ?)", (sid, file))
    return sid, replaced


def layouts(ws: Workspace) -> dict[str, int]:
    """{layout JSON: id} of the packed-value layouts stored so far."""
    return {text: i for i, text in ws.conn.execute("SELECT id, layout FROM district_layouts")}


def add_layout(ws: Workspace, layout_json: str) -> int:
    return inserted_id(ws.conn.execute("INSERT INTO district_layouts (layout) VALUES (?)", (layout_json,)))


def layout_map(ws: Workspace) -> dict[int, str]:
    return dict(ws.conn.execute("SELECT id, layout FROM district_layouts"))


def delete_school(ws: Workspace, school_id: int) -> None:
    ws.conn.execute("DELETE FROM district_schools WHERE id = ?", (school_id,))


def years(ws: Workspace) -> list[int]:
    return [r[0] for r in ws.conn.execute("SELECT DISTINCT year FROM district_schools ORDER BY year")]


def schools(ws: Workspace, year: int | None = None) -> list[DistrictSchool]:
    sql, args = f"SELECT {_SCHOOL_COLS} FROM district_schools", tuple[int, ...]()
    if year is not None:
        sql, args = sql + " WHERE year = ?", (year,)
    return [_school(r) for r in ws.conn.execute(sql + " ORDER BY level, district, school_name, id", args)]


def school(ws: Workspace, school_id: int) -> DistrictSchool | None:
    row = ws.conn.execute(f"SELECT {_SCHOOL_COLS} FROM district_schools WHERE id = ?", (school_id,)).fetchone()
    return _school(row) if row else None


def summaries(ws: Workspace, year: int) -> list[tuple]:
    """(id, name, code, level, district, year, checksum_ok, rating_points, layout_id, vals, extra) of the
    year's schools."""
    return ws.conn.execute(
        "SELECT id, school_name, school_code, level, district, year, checksum_ok, rating_points, layout_id, vals, "
        "extra FROM district_schools WHERE year = ? ORDER BY level, district, school_name, id", (year,)).fetchall()


def add_labels(ws: Workspace, labels: Iterable[tuple[str, str, str, str]]) -> None:
    """Names of (kind, instrument, code); the first name seen is kept."""
    ws.conn.executemany("INSERT OR IGNORE INTO district_labels (kind, instrument, code, title) VALUES (?, ?, ?, ?)",
                        labels)


def labels(ws: Workspace) -> list[tuple]:
    """(kind, instrument, code, title) of every code seen in submissions."""
    return ws.conn.execute("SELECT kind, instrument, code, title FROM district_labels").fetchall()


def label_keys(ws: Workspace) -> set[tuple[str, str, str]]:
    return {tuple(r) for r in ws.conn.execute("SELECT kind, instrument, code FROM district_labels")}


def whole_workbooks(ws: Workspace) -> list[tuple[int, bytes]]:
    """(school id, file) of submissions an older import kept as whole workbooks (xlsx: "PK…")."""
    return [(sid, bytes(f)) for sid, f in ws.conn.execute(
        "SELECT school_id, file FROM district_submissions WHERE substr(file, 1, 2) = X'504B'")]


def set_submission_file(ws: Workspace, school_id: int, data: bytes) -> None:
    ws.conn.execute("UPDATE district_submissions SET file = ? WHERE school_id = ?", (data, school_id))


def submission_file(ws: Workspace, school_id: int) -> bytes | None:
    """What the district keeps of a school's submission: its two machine sheets' values (JSON, see
    district.reader.stored_form); a workspace last used by an older import may still hold the whole workbook."""
    row = ws.conn.execute("SELECT file FROM district_submissions WHERE school_id = ?", (school_id,)).fetchone()
    return bytes(row[0]) if row else None


# ---------------------------------------------------------------- benchmarks (in a school workspace)

def add_benchmark(ws: Workspace, *, year: int | None, issuer: str | None, source_name: str | None, sha256: str,
                  checksum_ok: bool, content: str) -> int:
    cur = ws.conn.execute(
        "INSERT INTO benchmarks (year, issuer, source_name, sha256, checksum_ok, imported_at, content) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", (year, issuer, source_name, sha256, int(checksum_ok), now(), content))
    return inserted_id(cur)


def latest_benchmark(ws: Workspace) -> tuple | None:
    """(id, year, issuer, source_name, checksum_ok, imported_at, content) of the newest import."""
    return ws.conn.execute("SELECT id, year, issuer, source_name, checksum_ok, imported_at, content FROM benchmarks "
                           "ORDER BY id DESC LIMIT 1").fetchone()
