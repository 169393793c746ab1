"""School profile and evaluation years (학교 정보, 평가 연도)."""

from __future__ import annotations

from dataclasses import dataclass

from .db import Workspace, now

STAGES = ("plan", "midyear", "selfeval", "analysis", "report", "submitted")
STAGE_LABELS = {"plan": "계획", "midyear": "중간점검", "selfeval": "자체평가", "analysis": "결과 분석",
                "report": "보고서", "submitted": "제출"}


@dataclass(frozen=True)
class School:
    name: str
    code: str | None
    level: str
    district: str


def get_school(ws: Workspace) -> School | None:
    row = ws.conn.execute("SELECT name, code, level, district FROM school WHERE id = 1").fetchone()
    return School(*row) if row else None


def save_school(ws: Workspace, school: School) -> None:
    ws.conn.execute(
        "INSERT INTO school (id, name, code, level, district, created_at) VALUES (1, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET name=excluded.name, code=excluded.code, level=excluded.level, "
        "district=excluded.district",
        (school.name, school.code, school.level, school.district, now()))


def years(ws: Workspace) -> list[int]:
    return [r[0] for r in ws.conn.execute("SELECT year FROM years ORDER BY year")]


def previous_year(ws: Workspace, year: int) -> int | None:
    """"Last year" of `year`: the latest earlier evaluation year in this workspace, if any. The one rule the
    results page, the reports and the workbook use for 지난해 figures and 환류 (a skipped year is not a gap)."""
    earlier = [y for y in years(ws) if y < year]
    return earlier[-1] if earlier else None


def add_year(ws: Workspace, year: int, guidebook_ref: int | None) -> None:
    ws.conn.execute("INSERT OR IGNORE INTO years (year, guidebook_ref, created_at) VALUES (?, ?, ?)",
                    (year, guidebook_ref, now()))


def current_year(ws: Workspace) -> int | None:
    value = ws.setting("current_year")
    if value is not None:
        return int(value)
    ys = years(ws)
    return ys[-1] if ys else None


def set_current_year(ws: Workspace, year: int) -> None:
    ws.set_setting("current_year", str(year))


def guidebook_ref(ws: Workspace, year: int) -> int | None:
    row = ws.conn.execute("SELECT guidebook_ref FROM years WHERE year = ?", (year,)).fetchone()
    return row[0] if row else None


def stage(ws: Workspace, year: int) -> str:
    row = ws.conn.execute("SELECT stage FROM years WHERE year = ?", (year,)).fetchone()
    return row[0] if row else "plan"


def set_stage(ws: Workspace, year: int, value: str) -> None:
    if value not in STAGES:
        raise ValueError(value)
    ws.conn.execute("UPDATE years SET stage = ? WHERE year = ?", (value, year))
