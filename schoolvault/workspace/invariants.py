"""The app's own invariants of a workspace, checked by `check` on top of SQLite's integrity check.

Why: SQLite can say the file is sound while the data is not what the app promises — an answer
outside the instrument's scale, an administration whose frozen instrument is gone or altered, a
respondent count that disagrees with the rows. Each problem is one Korean line naming where.
"""

from __future__ import annotations

import math
import sqlite3
import struct
from functools import cache

from ..errors import SchoolVaultError
from . import migrations
from .db import Workspace

MAX_LISTED = 20  # per kind of problem; the first ones are enough to act on


def problems(ws: Workspace) -> list[str]:
    """Invariant violations, empty when the workspace is consistent. Reads only."""
    from ..catalog import parse_frozen
    from ..forms.loader import content_hash
    from . import frozen

    out = _schema_problems(ws)
    if out:
        return out  # the checks below read those tables and columns
    conn = ws.conn

    parsed: dict[int, object] = {}
    for f in frozen.all_frozen(ws):
        if content_hash(f.content) != f.sha256:
            out.append(f"보관된 도구 '{f.instrument_id}'(#{f.ref})의 내용이 저장 당시와 다릅니다 (해시 불일치).")
            continue
        try:
            parsed[f.ref] = parse_frozen(f)
        except (SchoolVaultError, ValueError, KeyError, TypeError) as e:  # reported, not raised
            out.append(f"보관된 도구 '{f.instrument_id}'(#{f.ref})를 읽을 수 없습니다: {e}")

    for adm_id, ref, grp, _n in conn.execute(
            "SELECT a.id, a.instrument_ref, a.grp, a.n_respondents FROM administrations a "
            "LEFT JOIN instruments i ON i.id = a.instrument_ref WHERE i.id IS NULL"):
        out.append(f"응답 묶음 #{adm_id}({grp})의 설문 도구 보관본(#{ref})이 없습니다.")

    for adm_id, grp, n, actual in conn.execute(
            "SELECT a.id, a.grp, a.n_respondents, COUNT(r.id) FROM administrations a "
            "LEFT JOIN respondents r ON r.administration_id = a.id GROUP BY a.id "
            "HAVING a.n_respondents != COUNT(r.id) LIMIT ?", (MAX_LISTED,)):
        out.append(f"응답 묶음 #{adm_id}({grp})의 응답자 수 기록({n})이 실제 행 수({actual})와 다릅니다.")

    adms = list(conn.execute("SELECT id, instrument_ref, grp FROM administrations"))
    for adm_id, ref, grp in adms:
        inst = parsed.get(ref)
        scale = getattr(inst, "scale", None)
        if scale is None:
            continue
        k = scale.points
        bad = conn.execute(
            "SELECT COUNT(*), MIN(a.value), MAX(a.value) FROM answers a JOIN respondents r "
            "ON r.id = a.respondent_id WHERE r.administration_id = ? AND (a.value < 1 OR a.value > ? "
            "OR typeof(a.value) != 'integer')", (adm_id, k)).fetchone()
        if bad[0]:
            out.append(f"응답 묶음 #{adm_id}({grp})에 척도(1~{k}) 밖의 응답이 {bad[0]}개 있습니다 "
                       f"(최소 {bad[1]}, 최대 {bad[2]}).")
        known = {i.code for i in inst.items()} if hasattr(inst, "items") else None
        if known:
            unknown = [r[0] for r in conn.execute(
                "SELECT DISTINCT a.item FROM answers a JOIN respondents r ON r.id = a.respondent_id "
                "WHERE r.administration_id = ?", (adm_id,)) if r[0] not in known]
            if unknown:
                out.append(f"응답 묶음 #{adm_id}({grp})에 설문에 없는 문항 코드가 있습니다: "
                           + ", ".join(sorted(unknown)[:MAX_LISTED]))

    for year, ref in conn.execute("SELECT year, guidebook_ref FROM years WHERE guidebook_ref IS NOT NULL"):
        gb = parsed.get(ref)
        if ref not in parsed and not conn.execute("SELECT 1 FROM instruments WHERE id = ?", (ref,)).fetchone():
            out.append(f"{year}학년도의 평가지표 보관본(#{ref})이 없습니다.")
            continue
        rating = getattr(gb, "rating", None)
        if rating is None:
            continue
        for (ind, r) in conn.execute(
                "SELECT indicator, rating FROM self_evaluations WHERE year = ? AND rating IS NOT NULL "
                "AND (rating < 1 OR rating > ?) LIMIT ?", (year, rating.points, MAX_LISTED)):
            out.append(f"{year}학년도 지표 {ind}의 등급 {r}이(가) 등급 범위(1~{rating.points}) 밖입니다.")

    out.extend(_district_problems(conn))
    return out


@cache
def _schema_of(version: int) -> dict[str, list[str]]:
    """{table: columns} that migrations 1..version make, read back from a scratch database."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in migrations.MIGRATIONS[:version]:
            step(conn)
        db = migrations.utils_db(conn)
        return {t: list(db[t].columns_dict) for t in db.table_names()}
    finally:
        conn.close()


def _schema_problems(ws: Workspace) -> list[str]:
    """Tables and columns the file's schema version promises but it lacks (edited by another program).

    Checked first: without them the other checks would stop at a database error instead of naming what is missing.
    """
    out = []
    version = migrations.schema_version(ws.conn)
    for table, columns in _schema_of(version).items():
        have = ws.db[table].columns_dict
        if not have:
            out.append(f"'{table}' 표가 없습니다 (스키마 {version}).")
        elif missing := [c for c in columns if c not in have]:
            out.append(f"'{table}' 표에 열이 없습니다 (스키마 {version}): " + ", ".join(missing))
    return out


def safe_problems(ws: Workspace) -> list[str]:
    """`problems`, but a database error while checking is itself reported as a problem."""
    try:
        return problems(ws)
    except sqlite3.DatabaseError as e:
        return [f"검사 중 오류: {e}"]


MAX_SCALE_POINTS = 11  # the widest answer scale any instrument may use (0..10 or 1..11)


def _district_problems(conn: sqlite3.Connection) -> list[str]:
    """Schools' submitted statistics outside what any statistic can be (a tampered or broken file).

    The district importer packs each school's values as little-endian doubles, [mean, score100]
    per position (see migrations.m002_district); missing values are NaN.
    """
    out = []
    for name, year, vals in conn.execute("SELECT school_name, year, vals FROM district_schools ORDER BY id"):
        if not isinstance(vals, bytes) or len(vals) % 16:
            out.append(f"학교 제출자료 '{name}'({year})의 저장된 값이 손상되었습니다.")
            continue
        numbers = struct.unpack(f"<{len(vals) // 8}d", vals)
        bad_mean = sum(1 for m in numbers[0::2] if not math.isnan(m) and not 0 <= m <= MAX_SCALE_POINTS)
        bad_score = sum(1 for x in numbers[1::2] if not math.isnan(x) and not 0 <= x <= 100)
        if bad_mean:
            out.append(f"학교 제출자료 '{name}'({year})에 척도 밖의 평균이 {bad_mean}개 있습니다.")
        if bad_score:
            out.append(f"학교 제출자료 '{name}'({year})에 0~100 밖의 100점 환산 점수가 {bad_score}개 있습니다.")
        if len(out) >= MAX_LISTED:
            break
    return out
