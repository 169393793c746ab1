"""District statistics with the school as the unit of analysis (학교 단위 분석).

A school contributes one value per factor (요인) and domain (영역) and respondent group: its own
group mean as submitted. A group with fewer than MIN_GROUP_N respondents in a school is left out
for that school. Level (학교급) and district (소속청) figures are the n, mean and sample SD (ddof=1)
of those school values. A school's all-groups value of a factor is the mean of its included
groups' values; its overall score is the mean of its domain 100-point scores over included groups,
and its percentile is the mid-rank percentile of that score within its level.

`aggregate` is pure (no SQL); `district_stats` loads a workspace's year and calls it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable, Sequence

from ..errors import SchoolVaultError
from ..forms.groups import DISTRICTS, GROUPS, LEVELS
from ..forms.scoring import MIN_GROUP_N
from ..workspace import district as district_db
from ..workspace.db import Workspace

SUPPORT_PERCENTILE = 10.0     # a school in the bottom 10% of its level is flagged for support
LOW_RATING_SHARE = 0.25       # … or one rating in four (or more) at the lowest level
PERCENTILES = (10, 25, 50, 75, 90)
ALL = "전체"


def describe(values: Sequence[float]) -> dict:
    """n, mean and sample SD (ddof=1; None below two values) of school values."""
    n = len(values)
    if n == 0:
        return {"n_schools": 0, "mean": None, "sd": None}
    mean = math.fsum(values) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else None
    return {"n_schools": n, "mean": mean, "sd": sd}


def quantile(sorted_values: Sequence[float], p: float) -> float | None:
    """Linear interpolation between order statistics (numpy's default, 'type 7'); p in 0..100."""
    n = len(sorted_values)
    if n == 0:
        return None
    h = (n - 1) * p / 100.0
    lo = math.floor(h)
    hi = min(lo + 1, n - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])


def percentile_rank(value: float, values: Sequence[float]) -> float:
    """Mid-rank percentile of value among values: (below + ½·equal) / n × 100."""
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return (below + 0.5 * equal) / len(values) * 100.0


def _ordered(keys: Iterable[str], order: Sequence[str]) -> list[str]:
    keys = set(keys)
    return [k for k in order if k in keys] + sorted(keys - set(order))


def _key_map(rows: Sequence[tuple]) -> dict[tuple[str, str, str], str]:
    """(kind, instrument, code) → the key used in output: the code, or 'instrument:code' where two
    instruments use the same code."""
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        if r[1] in ("factor", "domain"):
            owners[(r[1], r[4])].add(r[2])
    out = {}
    for (kind, code), insts in owners.items():
        for inst in insts:
            out[(kind, inst, code)] = code if len(insts) == 1 else f"{inst}:{code}"
    return out


def school_values(rows: Sequence[tuple]) -> tuple[dict, dict]:
    """Per school: {"groups": {G: {"factors": {key: (mean, score100)}, "domains": …}}, "all": {…}},
    and the respondent counts {sid: {instrument: {G: n | None (n<5)}}}.

    rows: (school_id, kind, instrument, grp, code, n, suppressed, mean, score100, rating).
    """
    keys = _key_map(rows)
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(dict))
    for sid, kind, inst, grp, code, n, sup, *_ in rows:
        if kind == "respondents":
            counts[sid][inst][grp] = None if sup else n
    values: dict[int, dict] = {}
    for sid, kind, inst, grp, code, n, sup, mean, s100, _ in rows:
        if kind not in ("factor", "domain") or mean is None:
            continue
        got = counts.get(sid, {}).get(inst, {}).get(grp, n)
        if got is None or got < MIN_GROUP_N:
            continue  # the group is suppressed in this school
        v = values.setdefault(sid, {"groups": {}, "all": {"factors": {}, "domains": {}}})
        g = v["groups"].setdefault(grp, {"factors": {}, "domains": {}})
        g[kind + "s"][keys[(kind, inst, code)]] = (mean, s100)
    for v in values.values():
        for kind in ("factors", "domains"):
            pooled: dict[str, list] = defaultdict(list)
            for g in v["groups"].values():
                for key, val in g[kind].items():
                    pooled[key].append(val)
            v["all"][kind] = {k: (math.fsum(x[0] for x in vals) / len(vals),
                                  math.fsum(x[1] for x in vals) / len(vals) if all(x[1] is not None for x in vals)
                                  else None)
                              for k, vals in pooled.items()}
    return values, {sid: {i: dict(g) for i, g in c.items()} for sid, c in counts.items()}


def overall_score(v: dict | None) -> float | None:
    """A school's overall 100-point score: mean of its domain scores over included groups."""
    if not v:
        return None
    s = [val[1] for g in v["groups"].values() for val in g["domains"].values() if val[1] is not None]
    return math.fsum(s) / len(s) if s else None


def _scope(school_ids: list[int], values: dict) -> dict:
    """Level/district block in the `district stats` shape, plus the all-groups view."""
    acc: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    acc100: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    with_group: dict[str, int] = defaultdict(int)
    for sid in school_ids:
        v = values.get(sid)
        if not v:
            continue
        for grp, g in v["groups"].items():
            with_group[grp] += 1
            for kind in ("factors", "domains"):
                for key, (mean, s100) in g[kind].items():
                    acc[grp][kind][key].append(mean)
                    acc100[grp][kind][key].append(s100)
        for kind in ("factors", "domains"):
            for key, (mean, s100) in v["all"][kind].items():
                acc[ALL][kind][key].append(mean)
                acc100[ALL][kind][key].append(s100)

    def block(grp: str) -> dict:
        out = {}
        for kind in ("factors", "domains"):
            d = {}
            for key, vals in acc[grp][kind].items():
                st = describe(vals)
                s100 = [x for x in acc100[grp][kind][key] if x is not None]
                st["score100"] = math.fsum(s100) / len(s100) if s100 else None
                d[key] = st
            out[kind] = d
        return out

    groups = {g: {"n_schools": with_group[g], **block(g)} for g in _ordered(with_group, GROUPS)}
    all_block = block(ALL)
    return {"n_schools": len(school_ids), "groups": groups,
            "all": {"n_schools": sum(1 for s in school_ids if values.get(s)), **all_block}}


def _ratings(schools: list[dict], rows: Sequence[tuple], labels: dict, points: int) -> dict:
    by_school: dict[int, dict[str, int]] = defaultdict(dict)
    for sid, kind, inst, grp, code, n, sup, mean, s100, rating in rows:
        if kind == "rating" and rating is not None:
            by_school[sid][code] = rating

    def dist(ids: Iterable[int]) -> dict:
        counts: dict[str, dict[str, int]] = {}
        for sid in ids:
            for code, r in by_school.get(sid, {}).items():
                c = counts.setdefault(code, {str(k): 0 for k in range(1, points + 1)})
                c[str(r)] = c.get(str(r), 0) + 1
        out = {}
        for code in sorted(counts, key=_code_sort):
            c = counts[code]
            total = sum(c.values())
            out[code] = {"title": labels.get(code, ""), "n_schools": total, "counts": c,
                         "mean": math.fsum(int(k) * v for k, v in c.items()) / total if total else None}
        return out

    by_level = defaultdict(list)
    by_district = defaultdict(list)
    for s in schools:
        by_level[s["level"]].append(s["id"])
        by_district[s["district"]].append(s["id"])
    return {"points": points,
            "overall": dist(s["id"] for s in schools),
            "by_level": {lv: dist(by_level[lv]) for lv in _ordered(by_level, LEVELS)},
            "by_district": {d: dist(by_district[d]) for d in _ordered(by_district, DISTRICTS)}}, by_school


def _code_sort(code: str):
    return [int(p) if p.isdigit() else p for p in code.replace("-", " ").split()]


def _responses(ids: Iterable[int], counts: dict) -> dict:
    out: dict = {}
    for sid in ids:
        for inst, groups in counts.get(sid, {}).items():
            for grp, n in groups.items():
                e = out.setdefault(inst, {}).setdefault(grp, {"respondents": 0, "n_schools": 0,
                                                              "suppressed_schools": 0})
                e["n_schools"] += 1
                if n is None or n < MIN_GROUP_N:
                    e["suppressed_schools"] += 1
                if n is not None:
                    e["respondents"] += n
    return {inst: {g: out[inst][g] for g in _ordered(out[inst], GROUPS)} for inst in sorted(out)}


def aggregate(schools: list[dict], rows: Sequence[tuple], labels: Sequence[tuple] = (), *,
              rating_points: int = 4, by_level_district: bool = False) -> dict:
    """The `district stats` result from schools ({id, name, code, level, district, year, checksum_ok})
    and their submission rows (school_id, kind, instrument, grp, code, n, suppressed, mean, score100, rating)."""
    values, counts = school_values(rows)
    keys = _key_map(rows)
    label_map: dict = {"factors": {}, "domains": {}, "indicators": {}, "scale_points": {}}
    for kind, inst, code, title in labels:
        if kind in ("factor", "domain") and (kind, inst, code) in keys:
            label_map[kind + "s"][keys[(kind, inst, code)]] = {"instrument": inst, "code": code, "title": title or ""}
        elif kind == "rating":
            label_map["indicators"][code] = title or ""
    for sid, kind, inst, grp, code, n, sup, mean, s100, _ in rows:
        if kind == "factor" and inst not in label_map["scale_points"] and mean is not None and s100:
            label_map["scale_points"][inst] = round(1 + 100 * (mean - 1) / s100)

    by_level: dict[str, list[int]] = defaultdict(list)
    by_district: dict[str, list[int]] = defaultdict(list)
    for s in schools:
        by_level[s["level"]].append(s["id"])
        by_district[s["district"]].append(s["id"])
    ratings, ratings_by_school = _ratings(schools, rows, label_map["indicators"], rating_points)

    scores = {s["id"]: overall_score(values.get(s["id"])) for s in schools}
    level_scores = {lv: [scores[i] for i in ids if scores[i] is not None] for lv, ids in by_level.items()}
    school_list = []
    for s in schools:
        sc = scores[s["id"]]
        pct = percentile_rank(sc, level_scores[s["level"]]) if sc is not None else None
        rs = list(ratings_by_school.get(s["id"], {}).values())
        low = sum(1 for r in rs if r == 1)
        reasons = []
        if pct is not None and pct < SUPPORT_PERCENTILE:
            reasons.append(f"설문 종합 점수가 {s['level']} 하위 {SUPPORT_PERCENTILE:g}%")
        if rs and low / len(rs) >= LOW_RATING_SHARE:
            reasons.append(f"'미흡' 평가 지표 {low}개 / {len(rs)}개")
        school_list.append({
            **{k: s[k] for k in ("id", "name", "code", "level", "district", "year", "checksum_ok")},
            "respondents": {i: {g: ("n<5" if n is None else n) for g, n in grp.items()}
                            for i, grp in counts.get(s["id"], {}).items()},
            "score100": sc, "percentile": pct,
            "rating_mean": math.fsum(rs) / len(rs) if rs else None, "ratings": len(rs), "low_ratings": low,
            "needs_support": bool(reasons), "support_reasons": reasons})

    all_ids = [s["id"] for s in schools]
    extra = {}
    if by_level_district:  # districts within one level: the fair comparison (고 report to 본청)
        cells: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for s in schools:
            cells[s["level"]][s["district"]].append(s["id"])
        extra["by_level_district"] = {lv: {d: _scope(cells[lv][d], values) for d in _ordered(cells[lv], DISTRICTS)}
                                      for lv in _ordered(cells, LEVELS)}
    return {
        "n_schools": len(schools),
        "overall": _scope(all_ids, values),
        "by_level": {lv: _scope(by_level[lv], values) for lv in _ordered(by_level, LEVELS)},
        "by_district": {d: _scope(by_district[d], values) for d in _ordered(by_district, DISTRICTS)},
        "schools": school_list,
        "indicators": ratings,
        "responses": {"total": _responses(all_ids, counts),
                      "by_level": {lv: _responses(by_level[lv], counts) for lv in _ordered(by_level, LEVELS)},
                      "by_district": {d: _responses(by_district[d], counts) for d in _ordered(by_district, DISTRICTS)}},
        "labels": label_map,
        **extra,
    }


def resolve_year(ws: Workspace, year: int | None) -> int:
    ys = district_db.years(ws)
    if not ys:
        raise SchoolVaultError("가져온 학교 제출 파일이 없습니다.",
                               hint="먼저 'district import 파일이나 폴더'로 학교 워크북을 가져오세요.")
    if year is None:
        return ys[-1]
    if year not in ys:
        raise SchoolVaultError(f"{year}학년도 제출 자료가 없습니다.", hint=f"있는 학년도: {', '.join(map(str, ys))}")
    return year


def district_stats(ws: Workspace, year: int | None = None, *, by_level_district: bool = False) -> dict:
    """`district stats` of the workspace's year (default: the latest year imported).

    by_level_district adds {"by_level_district": {level: {district: block}}} (the report uses it)."""
    year = resolve_year(ws, year)
    schools = [{"id": s.id, "name": s.school_name, "code": s.school_code, "level": s.level, "district": s.district,
                "year": s.year, "checksum_ok": s.checksum_ok, "rating_points": s.rating_points}
               for s in district_db.schools(ws, year)]
    rows = district_db.rows(ws, year, ("respondents", "factor", "domain", "rating"))
    labels = district_db.labels(ws, year, ("factor", "domain", "rating"))
    points = max((s["rating_points"] or 0 for s in schools), default=0) or 4
    return {"year": year, **aggregate(schools, rows, labels, rating_points=points,
                                      by_level_district=by_level_district)}
