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

import json
import math
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence

from .. import catalog, submission
from ..errors import SchoolVaultError
from ..forms.groups import DISTRICTS, GROUPS, LEVELS
from ..forms.model import Guidebook
from ..forms.scoring import MIN_GROUP_N, SUPPRESSED
from ..workspace import district as district_db
from ..workspace.db import Workspace

AREA_RESULTS_VERSION = 2     # submissions from this format version on carry 영역 results (kind "level")
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


def spread100(values100: Sequence[float]) -> dict:
    """The spread of schools' 100-point scores: sample SD (`sd100`) and the 10/25/50/75/90th percentiles
    (`p100`, type 7), for the district summary's SD, quartiles and box plots."""
    s = sorted(values100)
    sd = describe(s)["sd"]
    return {"sd100": sd, "p100": {str(p): quantile(s, p) for p in PERCENTILES} if s else None}


def percentile_rank(value: float, values: Sequence[float]) -> float:
    """Mid-rank percentile of value among values: (below + ½·equal) / n × 100."""
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return (below + 0.5 * equal) / len(values) * 100.0


def _ordered(keys: Iterable[str], order: Sequence[str]) -> list[str]:
    keys = set(keys)
    return [k for k in order if k in keys] + sorted(keys - set(order))


def out_keys(labels: Sequence[tuple]) -> dict[str, dict[str, str]]:
    """{"factors"|"domains": {"instrument\\tcode": output key}}: the code, or 'instrument:code' where two
    instruments use the same code."""
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for kind, inst, code, *_ in labels:
        if kind in ("factor", "domain"):
            owners[(kind, code)].add(inst)
    out: dict[str, dict[str, str]] = {"factors": {}, "domains": {}}
    for (kind, code), insts in owners.items():
        for inst in insts:
            out[kind + "s"][f"{inst}\t{code}"] = code if len(insts) == 1 else f"{inst}:{code}"
    return out


def summarize_school(rows: Iterable[Sequence], *, with_levels: bool = False) -> dict:
    """One school's values as the statistics use them, from its submission rows (ROW_COLUMNS order).

    {"groups": {G: {"factors": {"instrument\\tcode": [mean, score100]}, "domains": {…}}},
     "all": {"factors": {…}, "domains": {…}}, "overall": float | None,
     "counts": {instrument: {G: n | None (n<5)}}, "ratings": {indicator: rating}}
    Groups with fewer than MIN_GROUP_N respondents are left out of "groups" and "all".
    with_levels (files that carry 영역 results) adds "levels" and "levels_unplaced" (`school_levels`);
    without it a school's 영역 results are unknown, not absent.
    """
    rows = list(rows)
    counts: dict[str, dict[str, int | None]] = {}
    ratings: dict[str, int] = {}
    for r in rows:
        if r[0] == "respondents":
            counts.setdefault(r[1], {})[r[2]] = None if r[6] else r[5]
        elif r[0] == "rating" and r[12] is not None:
            ratings[r[3]] = r[12]
    groups: dict[str, dict] = {}
    for kind, inst, grp, code, _title, n, sup, mean, _sd, s100, *_ in rows:
        if (kind != "factor" and kind != "domain") or mean is None:
            continue
        got = counts.get(inst, {}).get(grp, None if sup else n)
        if got is None or got < MIN_GROUP_N:
            continue  # the group is suppressed in this school
        g = groups.get(grp)
        if g is None:
            g = groups[grp] = {"factors": {}, "domains": {}}
        g[kind + "s"][f"{inst}\t{code}"] = [mean, s100]
    all_: dict = {}
    for kind in ("factors", "domains"):
        pooled: dict[str, list] = defaultdict(list)
        for g in groups.values():
            for key, val in g[kind].items():
                pooled[key].append(val)
        all_[kind] = {k: [math.fsum(x[0] for x in vals) / len(vals),
                          math.fsum(x[1] for x in vals) / len(vals) if all(x[1] is not None for x in vals) else None]
                      for k, vals in pooled.items()}
    dom100 = [v[1] for g in groups.values() for v in g["domains"].values() if v[1] is not None]
    out = {"groups": groups, "all": all_, "overall": math.fsum(dom100) / len(dom100) if dom100 else None,
           "counts": counts, "ratings": ratings}
    if with_levels:
        out["levels"], out["levels_unplaced"] = school_levels(rows)
    return out


def school_levels(rows: Iterable[Sequence]) -> tuple[dict, int]:
    """A school's 영역 results ({area: {group: entry}}) and how many could not be placed in a 영역.

    entry = {"level": 4단계 | None, "mean", "rounded", "answers", "n", "instrument", "code"} as the
    school's own `stats` gave them, or {"suppressed": True} for a group under MIN_GROUP_N (no figures
    exist for it). A school counts once per 영역 and group: when several of its surveys report the same
    영역 for the same group, the result with the most answers is used (a suppressed one only when no
    other exists).
    """
    out: dict[str, dict[str, dict]] = {}
    unplaced = 0
    for r in rows:
        if r[0] != submission.LEVEL_KIND:
            continue
        area, grp = r[16], r[2]
        if not area:
            unplaced += 1
            continue
        if r[6]:
            entry = {"suppressed": True}
        else:
            entry = {"level": r[15], "mean": r[7], "rounded": r[14], "answers": r[13], "n": r[5],
                     "instrument": r[1], "code": r[3]}
        cell = out.setdefault(area, {})
        have = cell.get(grp)
        if have is None or _weight(entry) > _weight(have):
            cell[grp] = entry
    return out, unplaced


def _weight(entry: dict) -> int:
    return -1 if entry.get("suppressed") else (entry.get("answers") or 0)


def school_labels(rows: Iterable[Sequence]) -> set[tuple[str, str, str, str]]:
    """(kind, instrument, code, title) named in a school's rows (factors, domains, indicators)."""
    return {(r[0], r[1], r[3], r[4]) for r in rows if r[0] in ("factor", "domain", "rating")}


def pack_summary(summary: dict) -> tuple[str, bytes, str]:
    """(layout JSON, values, extra JSON) stored for a school: layout = [[group, kind, instrument, code], …]
    with the all-groups view as group ALL; values = [mean, score100 (NaN when missing)] per position as
    little-endian doubles; extra = {"overall", "counts", "ratings"}."""
    layout, vals = [], array("d")
    for grp, g in [*summary["groups"].items(), (ALL, summary["all"])]:
        for kind in ("factors", "domains"):
            for key, (m, s100) in g[kind].items():
                inst, code = key.split("\t", 1)
                layout.append([grp, kind, inst, code])
                vals.append(m)
                vals.append(math.nan if s100 is None else s100)
    if sys.byteorder != "little":
        vals.byteswap()
    extra = {"overall": summary["overall"], "counts": summary["counts"], "ratings": summary["ratings"]}
    if "levels" in summary:  # absent for format-1 files: unknown, not "no result"
        extra["levels"] = summary["levels"]
        extra["levels_unplaced"] = summary["levels_unplaced"]
    return (json.dumps(layout, ensure_ascii=False, separators=(",", ":")), vals.tobytes(),
            json.dumps(extra, ensure_ascii=False, separators=(",", ":")))


def unpack_values(blob: bytes) -> array:
    vals = array("d")
    vals.frombytes(blob)
    if sys.byteorder != "little":
        vals.byteswap()
    return vals


class _Scopes:
    """Schools collected per scope (overall, a level, a district …), then described.

    Schools with the same layout are stacked and transposed (zip in C), so the work per scope is per
    position, not per value.
    """

    def __init__(self, layouts: dict[int, list], keys: dict):
        # layout id → [(group, kind, output key)] and the groups it holds
        self.layouts = {lid: [(grp, kind, keys[kind][f"{inst}\t{code}"]) for grp, kind, inst, code in lay]
                        for lid, lay in layouts.items()}
        self.groups = {lid: {p[0] for p in lay if p[0] != ALL} for lid, lay in self.layouts.items()}
        self.members: dict = defaultdict(lambda: defaultdict(list))
        self.sizes: dict = defaultdict(int)

    def add(self, scopes: Sequence, school: dict) -> None:
        for sc in scopes:
            self.members[sc][school["layout_id"]].append(school["vals"])
            self.sizes[sc] += 1

    def collect(self, sc) -> tuple[dict, dict, int]:
        """({(group, kind, key): (means, score100s)}, {group: schools}, schools with any value)."""
        acc: dict = defaultdict(lambda: ([], []))
        with_group: dict = defaultdict(int)
        with_values = 0
        for lid, arrays in self.members[sc].items():
            layout = self.layouts[lid]
            if not layout:
                continue
            with_values += len(arrays)
            for g in self.groups[lid]:
                with_group[g] += len(arrays)
            cols = list(zip(*arrays))
            for p, key in enumerate(layout):
                lists = acc[key]
                lists[0].extend(cols[2 * p])
                lists[1].extend(cols[2 * p + 1])
        return acc, with_group, with_values

    def block(self, sc) -> dict:
        """{"n_schools", "groups": {G: {"n_schools", "factors", "domains"}}, "all": {…}}."""
        acc, with_group, with_values = self.collect(sc)
        out: dict = {"n_schools": self.sizes[sc], "groups": {},
                     "all": {"n_schools": with_values, "factors": {}, "domains": {}}}
        for g in _ordered(with_group, GROUPS):
            out["groups"][g] = {"n_schools": with_group[g], "factors": {}, "domains": {}}
        for (grp, kind, key), (means, s100s) in acc.items():
            st = describe(means)
            v100 = [x for x in s100s if not math.isnan(x)]  # NaN = missing
            st["score100"] = math.fsum(v100) / len(v100) if v100 else None
            if grp == ALL:  # the summary shows the spread of the all-groups scores (sorting costs time)
                st.update(spread100(v100))
            target = out["all"] if grp == ALL else out["groups"][grp]
            target[kind][key] = st
        return out


def _ratings(schools: list[dict], labels: dict, points: int) -> dict:
    def dist(members: Iterable[dict]) -> dict:
        counts: dict[str, dict[str, int]] = {}
        for s in members:
            for code, r in s["extra"]["ratings"].items():
                c = counts.get(code)
                if c is None:
                    c = counts[code] = {str(k): 0 for k in range(1, points + 1)}
                c[str(r)] = c.get(str(r), 0) + 1
        out = {}
        for code in sorted(counts, key=_code_sort):
            c = counts[code]
            total = sum(c.values())
            out[code] = {"title": labels.get(code, ""), "n_schools": total, "counts": c,
                         "mean": math.fsum(int(k) * v for k, v in c.items()) / total if total else None}
        return out

    by_level, by_district = _split(schools)
    return {"points": points,
            "overall": dist(schools),
            "by_level": {lv: dist(m) for lv, m in by_level.items()},
            "by_district": {d: dist(m) for d, m in by_district.items()}}


def _split(schools: list[dict]) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    by_level: dict[str, list[dict]] = defaultdict(list)
    by_district: dict[str, list[dict]] = defaultdict(list)
    for s in schools:
        by_level[s["level"]].append(s)
        by_district[s["district"]].append(s)
    return ({lv: by_level[lv] for lv in _ordered(by_level, LEVELS)},
            {d: by_district[d] for d in _ordered(by_district, DISTRICTS)})


def _code_sort(code: str):
    return [int(p) if p.isdigit() else p for p in code.replace("-", " ").split()]


def _responses(members: Iterable[dict]) -> dict:
    out: dict = {}
    for s in members:
        for inst, groups in s["extra"]["counts"].items():
            for grp, n in groups.items():
                e = out.setdefault(inst, {}).setdefault(grp, {"respondents": 0, "n_schools": 0,
                                                              "suppressed_schools": 0})
                e["n_schools"] += 1
                if n is None or n < MIN_GROUP_N:
                    e["suppressed_schools"] += 1
                if n is not None:
                    e["respondents"] += n
    return {inst: {g: out[inst][g] for g in _ordered(out[inst], GROUPS)} for inst in sorted(out)}


DEFAULT_LEVEL_LABELS = ("매우 우수", "우수", "보통", "미흡")  # when no guidebook of the year names its 4단계
SUPPRESSED_KEY, NO_LEVEL, NO_DATA, UNKNOWN = "suppressed", "no_level", "no_data", "unknown"


def area_levels(schools: list[dict], level_labels: Sequence[str], area_titles: dict[str, str]) -> dict:
    """How many schools reached each 4단계 per 영역 and 평가주체, by 학교급 and 교육지원청.

    Every school of a scope falls in exactly one column of a cell (영역, group): a 4단계 label (as the
    school's own `stats` placed it), SUPPRESSED_KEY (the group had fewer than MIN_GROUP_N respondents),
    NO_LEVEL (a result, but the year has no 4단계 for its scale), NO_DATA (the file carries 영역 results,
    none for this cell) or UNKNOWN (a format-1 file: 영역 results did not exist yet). Beside them, the
    n, mean and sample SD of the schools' own means (suppressed groups have none).
    {"labels", "areas": {area: title}, "cells": {area: [groups]}, "unplaced", "overall": block,
     "by_level": {lv: block}, "by_district": {d: block}} with block = {area: {group: {...}}}.
    """
    labels = list(level_labels)
    for s in schools:  # a label no guidebook lists still shows (after the known ones)
        for groups in s["extra"].get("levels", {}).values():
            for e in groups.values():
                if e.get("level") and e["level"] not in labels:
                    labels.append(e["level"])
    cells: dict[str, set[str]] = defaultdict(set)
    for s in schools:
        for area, groups in s["extra"].get("levels", {}).items():
            cells[area].update(groups)
    order = {a: i for i, a in enumerate(area_titles)}
    cell_list = {a: _ordered(cells[a], GROUPS) for a in sorted(cells, key=lambda a: (order.get(a, 99), a))}

    def block(members: list[dict]) -> dict:
        out: dict = {}
        for area, groups in cell_list.items():
            out[area] = {}
            for g in groups:
                counts = dict.fromkeys(labels, 0)
                other = {SUPPRESSED_KEY: 0, NO_LEVEL: 0, NO_DATA: 0, UNKNOWN: 0}
                means = []
                for s in members:
                    levels = s["extra"].get("levels")
                    e = None if levels is None else levels.get(area, {}).get(g)
                    if levels is None:
                        other[UNKNOWN] += 1
                    elif e is None:
                        other[NO_DATA] += 1
                    elif e.get("suppressed"):
                        other[SUPPRESSED_KEY] += 1
                    else:
                        if e.get("level"):
                            counts[e["level"]] += 1
                        else:
                            other[NO_LEVEL] += 1
                        if e.get("mean") is not None:
                            means.append(e["mean"])
                st = describe(means)
                out[area][g] = {"n_schools": len(members), "levels": counts, **other, "n_means": st["n_schools"],
                                "mean": st["mean"], "sd": st["sd"]}
        return out

    by_level, by_district = _split(schools)
    return {"labels": labels, "areas": {a: area_titles.get(a, "") for a in cell_list}, "cells": cell_list,
            "unplaced": sum(s["extra"].get("levels_unplaced", 0) for s in schools),
            "overall": block(schools),
            "by_level": {lv: block(m) for lv, m in by_level.items()},
            "by_district": {d: block(m) for d, m in by_district.items()}}


def school_area_levels(extra: dict) -> dict | None:
    """{area: {group: 4단계 | "n<5" | None}} of one school; None for a format-1 file (unknown)."""
    levels = extra.get("levels")
    if levels is None:
        return None
    return {a: {g: (SUPPRESSED if e.get("suppressed") else e.get("level")) for g, e in groups.items()}
            for a, groups in levels.items()}


def label_map(labels: Sequence[tuple]) -> dict:
    """{"factors"|"domains": {key: {"instrument", "code", "title"}}, "indicators": {code: title}}."""
    keys = out_keys(labels)
    out: dict = {"factors": {}, "domains": {}, "indicators": {}}
    for kind, inst, code, title in labels:
        if kind in ("factor", "domain"):
            out[kind + "s"][keys[kind + "s"][f"{inst}\t{code}"]] = {"instrument": inst, "code": code,
                                                                   "title": title or ""}
        elif kind == "rating":
            out["indicators"][code] = title or ""
    return out


def aggregate(schools: list[dict], labels: Sequence[tuple], layouts: dict[int, list], *, rating_points: int = 4,
              by_level_district: bool = False, level_labels: Sequence[str] = DEFAULT_LEVEL_LABELS,
              area_titles: dict[str, str] | None = None) -> dict:
    """The `district stats` result (without "year") from schools as `load_schools` gives them, the labels
    (kind, instrument, code, title) and the layouts {id: [[group, kind, instrument, code], …]}.

    level_labels are the year's 4단계 (highest first) and area_titles {Ⅰ: title, …} its 영역, for
    "area_levels" (`area_levels`)."""
    keys = out_keys(labels)
    scopes = _Scopes(layouts, keys)
    for s in schools:
        sc = [("overall",), ("level", s["level"]), ("district", s["district"])]
        if by_level_district:
            sc.append(("cell", s["level"], s["district"]))
        scopes.add(sc, s)
    by_level, by_district = _split(schools)
    labels_out = label_map(labels)
    scale_points: dict[str, int] = {}
    for lid, lay in layouts.items():  # k from any school's factor: score100 = (mean − 1) / (k − 1) × 100
        for sch in schools:
            if sch["layout_id"] == lid:
                for p, (_grp, kind, inst, _code) in enumerate(lay):
                    m, s100 = sch["vals"][2 * p], sch["vals"][2 * p + 1]
                    if kind == "factors" and inst not in scale_points and not math.isnan(s100) and s100:
                        scale_points[inst] = round(1 + 100 * (m - 1) / s100)
                break
    labels_out["scale_points"] = scale_points

    level_scores = {lv: sorted(s["extra"]["overall"] for s in members if s["extra"]["overall"] is not None)
                    for lv, members in by_level.items()}
    school_list = []
    for s in schools:
        summ = s["extra"]
        sc_ = summ["overall"]
        pct = None
        if sc_ is not None:
            ranked = level_scores[s["level"]]
            lo, hi = bisect_left(ranked, sc_), bisect_right(ranked, sc_)
            pct = (lo + 0.5 * (hi - lo)) / len(ranked) * 100.0
        rs = list(summ["ratings"].values())
        low = sum(1 for r in rs if r == 1)
        reasons = []
        if pct is not None and pct < SUPPORT_PERCENTILE:
            reasons.append(f"설문 종합 점수가 {s['level']} 하위 {SUPPORT_PERCENTILE:g}%")
        if rs and low / len(rs) >= LOW_RATING_SHARE:
            reasons.append(f"가장 낮은 등급 지표 {low}개 / {len(rs)}개")
        school_list.append({
            **{k: s[k] for k in ("id", "name", "code", "level", "district", "year", "checksum_ok")},
            "respondents": {i: {g: ("n<5" if n is None else n) for g, n in grp.items()}
                            for i, grp in summ["counts"].items()},
            "score100": sc_, "percentile": pct,
            "rating_mean": math.fsum(rs) / len(rs) if rs else None, "ratings": len(rs), "low_ratings": low,
            "needs_support": bool(reasons), "support_reasons": reasons,
            "area_levels": school_area_levels(summ)})

    extra = {}
    if by_level_district:  # districts within one level: the fair comparison (고 report to 본청)
        cells: dict[str, set[str]] = defaultdict(set)
        for s in schools:
            cells[s["level"]].add(s["district"])
        extra["by_level_district"] = {lv: {d: scopes.block(("cell", lv, d)) for d in _ordered(cells[lv], DISTRICTS)}
                                      for lv in _ordered(cells, LEVELS)}
    return {
        "n_schools": len(schools),
        "overall": scopes.block(("overall",)),
        "by_level": {lv: scopes.block(("level", lv)) for lv in by_level},
        "by_district": {d: scopes.block(("district", d)) for d in by_district},
        "schools": school_list,
        "indicators": _ratings(schools, labels_out["indicators"], rating_points),
        "responses": {"total": _responses(schools),
                      "by_level": {lv: _responses(m) for lv, m in by_level.items()},
                      "by_district": {d: _responses(m) for d, m in by_district.items()}},
        "labels": labels_out,
        "area_levels": area_levels(schools, level_labels, area_titles or {}),
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


def load_schools(ws: Workspace, year: int) -> list[dict]:
    """The year's schools with their packed values: dicts {id, name, code, level, district, year,
    checksum_ok, rating_points, layout_id, vals (array of doubles), extra}."""
    return [{"id": r[0], "name": r[1], "code": r[2], "level": r[3], "district": r[4], "year": r[5],
             "checksum_ok": bool(r[6]), "rating_points": r[7], "layout_id": r[8], "vals": unpack_values(r[9]),
             "extra": json.loads(r[10])}
            for r in district_db.summaries(ws, year)]


def load_layouts(ws: Workspace) -> dict[int, list]:
    return {lid: json.loads(text) for lid, text in district_db.layout_map(ws).items()}


def district_stats(ws: Workspace, year: int | None = None, *, by_level_district: bool = False) -> dict:
    """`district stats` of the workspace's year (default: the latest year imported).

    by_level_district adds {"by_level_district": {level: {district: block}}} (the report uses it)."""
    year = resolve_year(ws, year)
    schools = load_schools(ws, year)
    points = max((s["rating_points"] or 0 for s in schools), default=0) or 4
    level_labels, area_titles = year_rules(year)
    return {"year": year, **aggregate(schools, district_db.labels(ws), load_layouts(ws), rating_points=points,
                                      by_level_district=by_level_district, level_labels=level_labels,
                                      area_titles=area_titles)}


def year_rules(year: int) -> tuple[tuple[str, ...], dict[str, str]]:
    """The year's 4단계 labels (highest first) and {Ⅰ: 영역 title, …}, from the shipped guidebook of that
    year (else the nearest earlier one, else any); defaults where none names them."""
    books = sorted((a.instrument for a in catalog.shipped() if isinstance(a.instrument, Guidebook)),
                   key=lambda g: (g.year > year, abs(g.year - year)))
    gb = books[0] if books else None
    levels = next((g.survey_levels for g in books if g.survey_levels is not None), None)
    labels = tuple(lv.label for lv in levels.levels) if levels is not None else DEFAULT_LEVEL_LABELS
    return labels, (submission.area_titles(gb.areas) if gb else {})
