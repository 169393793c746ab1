"""Benchmarks: what a district publishes and a school imports to see its percentile (벤치마크).

The file is JSON (UTF-8), small and readable in any editor:

    {"format": "schoolvault-benchmark", "format_version": 1, "year": 2025, "issuer": "…",
     "created_at": "…", "n_schools": 1346, "checksum": sha256 of the canonical "levels" JSON,
     "labels": {"factors": {key: {"instrument", "code", "title"}}, "domains": {…}, "indicators": {code: title}},
     "levels": {LEVEL: {"n_schools": int,
                        "factors": {KEY: ENTRY}, "domains": {KEY: ENTRY},
                        "indicators": {CODE: {"n_schools", "mean", "counts": {"1": n, …}}}}}}
    ENTRY = {"n_schools", "mean", "sd", "score100", "percentiles": {"10", "25", "50", "75", "90"},
             "groups": {GROUP: {"n_schools", "mean", "sd", "score100", "percentiles": {…}}}}

Values are on the survey's scale (1..k) except score100. A school's all-groups value of a factor is
the mean of its included groups' values (groups with n<5 left out), as in `district stats`.
Entries of fewer than MIN_BENCHMARK_SCHOOLS schools are left out: a percentile of three schools
would identify them.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from statistics import NormalDist
from typing import TypeGuard

from ..errors import SchoolVaultError
from ..forms.groups import GROUPS, LEVELS
from ..workspace import district as district_db
from ..workspace.db import Workspace, now
from .aggregate import (
    ALL,
    PERCENTILES,
    _ordered,
    _Scopes,
    describe,
    load_layouts,
    load_schools,
    out_keys,
    quantile,
    resolve_year,
)

FORMAT = "schoolvault-benchmark"
FORMAT_VERSION = 1
MIN_BENCHMARK_SCHOOLS = 5


def _canonical(levels: dict) -> bytes:
    return json.dumps(levels, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _entry(values: list[float], values100: list[float]) -> dict:
    s = sorted(values)
    st = describe(s)
    v100 = [v for v in values100 if v is not None and not math.isnan(v)]
    st["score100"] = math.fsum(v100) / len(v100) if v100 else None
    st["percentiles"] = {str(p): quantile(s, p) for p in PERCENTILES}
    return st


def build_levels(schools: list[dict], labels, layouts: dict, stats_indicators: dict) -> dict:
    """The "levels" block from schools and layouts (see aggregate.load_schools / load_layouts) and labels."""
    scopes = _Scopes(layouts, out_keys(labels))
    for s in schools:
        scopes.add([s["level"]], s)
    levels: dict = {}
    for level in _ordered({s["level"] for s in schools}, LEVELS):
        acc, _, _ = scopes.collect(level)
        block: dict = {"n_schools": scopes.sizes[level], "factors": {}, "domains": {}}
        by_key: dict = defaultdict(dict)
        for (grp, kind, key), vals in acc.items():
            by_key[(kind, key)][grp] = vals
        for (kind, key) in sorted(by_key):
            by = by_key[(kind, key)]
            if len(by.get(ALL, ([],))[0]) < MIN_BENCHMARK_SCHOOLS:
                continue
            e = _entry(*by[ALL])
            e["groups"] = {g: _entry(*by[g]) for g in _ordered(set(by) - {ALL}, GROUPS)
                           if len(by[g][0]) >= MIN_BENCHMARK_SCHOOLS}
            block[kind][key] = e
        block["indicators"] = {code: {k: d[k] for k in ("n_schools", "mean", "counts")}
                               for code, d in stats_indicators.get(level, {}).items()
                               if d["n_schools"] >= MIN_BENCHMARK_SCHOOLS}
        levels[level] = block
    return levels


def write_benchmark(ws: Workspace, out: str | Path, *, year: int | None = None, issuer: str | None = None) -> dict:
    """Write the benchmark file of the year's schools; returns {"out", "n_schools", "levels"}."""
    from .aggregate import district_stats
    year = resolve_year(ws, year)
    stats = district_stats(ws, year)
    levels = build_levels(load_schools(ws, year), district_db.labels(ws), load_layouts(ws),
                          stats["indicators"]["by_level"])
    doc = {"format": FORMAT, "format_version": FORMAT_VERSION, "year": year, "issuer": issuer or "",
           "created_at": now(), "n_schools": stats["n_schools"],
           "checksum": hashlib.sha256(_canonical(levels)).hexdigest(),
           "labels": stats["labels"], "levels": levels}
    out = Path(out)
    if out.suffix.lower() != ".json":
        out = out.with_suffix(".json") if out.suffix else out.with_name(out.name + ".json")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(out)
    with ws.transaction():
        ws.audit("district_benchmark", file=out.name, year=year, schools=stats["n_schools"])
    return {"out": str(out), "year": year, "n_schools": stats["n_schools"],
            "levels": {lv: b["n_schools"] for lv, b in levels.items()}}


def read_benchmark(path: str | Path) -> tuple[dict, list[str]]:
    """Parse and validate a benchmark file; returns (document, warnings). Raises SchoolVaultError."""
    path = Path(path)
    if not path.is_file():
        raise SchoolVaultError("벤치마크 파일이 없습니다.", where=str(path), hint="파일 경로를 확인하세요.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        xlsx = path.read_bytes()[:4] == b"PK\x03\x04"
        raise SchoolVaultError("벤치마크 파일이 아니라 엑셀 통합문서입니다." if xlsx else
                               "벤치마크 파일(.json)이 아닙니다 (텍스트 파일이 아님).", where=path.name,
                               hint="교육청이 'district benchmark'로 만들어 보낸 .json 파일을 고르세요.") from None
    except OSError as e:
        raise SchoolVaultError("벤치마크 파일을 읽을 수 없습니다.", where=path.name,
                               hint=f"읽기 권한을 확인하세요. ({e.strerror})") from None
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except _NotANumber as e:
        raise SchoolVaultError(f"벤치마크 파일에 숫자가 아닌 값({e.args[0]})이 있어 가져오지 않았습니다.",
                               where=path.name, hint=_RESEND) from None
    except json.JSONDecodeError as e:
        raise SchoolVaultError("벤치마크 파일 형식이 아닙니다 (JSON이 아님).", where=f"{path.name}:{e.lineno}",
                               hint="교육청에서 받은 벤치마크 파일(.json)을 고르세요.") from None
    except RecursionError:  # JSON nested thousands deep: not a benchmark, and not worth a traceback
        raise SchoolVaultError("벤치마크 파일 형식이 아닙니다 (너무 깊게 중첩된 JSON).", where=path.name,
                               hint="교육청에서 받은 벤치마크 파일(.json)을 고르세요.") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SchoolVaultError("SchoolVault 벤치마크 파일이 아닙니다.", where=path.name,
                               hint="교육청이 'district benchmark'로 만든 파일을 고르세요.")
    version = doc.get("format_version")
    if not _is_int(version) or version < 1:
        raise SchoolVaultError("잘못된 벤치마크 파일입니다 (형식 버전을 읽을 수 없음).", where=path.name, hint=_RESEND)
    if version > FORMAT_VERSION:
        raise SchoolVaultError("더 새로운 SchoolVault에서 만든 벤치마크 파일입니다.", where=path.name,
                               hint="SchoolVault를 최신 버전으로 업데이트하세요.")
    levels = doc.get("levels")
    if not isinstance(levels, dict) or not all(isinstance(b, dict) and isinstance(b.get("factors"), dict)
                                               and isinstance(b.get("domains"), dict) for b in levels.values()):
        raise SchoolVaultError("벤치마크 파일에 학교급별 자료가 없습니다.", where=path.name,
                               hint="교육청에 파일을 다시 받으세요.")
    problem = _problem(doc)
    if problem is not None:
        field, what = problem
        raise SchoolVaultError(f"잘못된 벤치마크 파일입니다: {what}.", where=f"{path.name} ({field})", hint=_RESEND)
    warnings = []
    if doc.get("checksum") != hashlib.sha256(_canonical(levels)).hexdigest():
        warnings.append("배포된 뒤 내용이 수정된 벤치마크 파일입니다 (검증값 불일치).")
    return doc, warnings


_RESEND = "교육청에 벤치마크 파일을 다시 보내 달라고 하세요. 지금 쓰는 벤치마크는 그대로입니다."


class _NotANumber(ValueError):
    pass


def _no_constant(name: str):
    """json's NaN / Infinity / -Infinity: no statistic of a benchmark can be one."""
    raise _NotANumber(name)


def _is_int(v) -> TypeGuard[int]:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _problem(doc: dict) -> tuple[str, str] | None:
    """(field, what is wrong) of the first value that a report could not use, or None.

    Reports divide by SD, interpolate percentiles and print the issuer: a text where a number belongs,
    a negative SD or an issuer that is not text would break them long after the import."""
    for key in ("issuer", "created_at"):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            return key, "텍스트가 아닌 값"
    for key in ("year", "n_schools"):
        if doc.get(key) is not None and not (_is_int(doc[key]) and doc[key] >= 0):
            return key, "0 이상의 정수가 아닌 값"
    if "labels" in doc and not isinstance(doc["labels"], dict):
        return "labels", "형식이 다른 값"
    for level, block in doc["levels"].items():
        if not _is_int(block.get("n_schools", 0)) or block.get("n_schools", 0) < 0:
            return f"levels.{level}.n_schools", "0 이상의 정수가 아닌 값"
        for kind in ("factors", "domains"):
            for key, entry in block[kind].items():
                where = f"levels.{level}.{kind}.{key}"
                bad = _entry_problem(entry, where)
                if bad is None and isinstance(entry.get("groups", {}), dict):
                    for g, ge in entry.get("groups", {}).items():
                        if (bad := _entry_problem(ge, f"{where}.groups.{g}")) is not None:
                            break
                elif bad is None:
                    bad = f"{where}.groups", "형식이 다른 값"
                if bad is not None:
                    return bad
        indicators = block.get("indicators", {})
        if not isinstance(indicators, dict):
            return f"levels.{level}.indicators", "형식이 다른 값"
        for code, d in indicators.items():
            where = f"levels.{level}.indicators.{code}"
            if not isinstance(d, dict):
                return where, "형식이 다른 값"
            if d.get("mean") is not None and not _is_num(d["mean"]):
                return f"{where}.mean", "숫자가 아닌 값"
            counts = d.get("counts", {})
            if not isinstance(counts, dict) or not all(_is_int(n) and n >= 0 for n in counts.values()):
                return f"{where}.counts", "0 이상의 정수가 아닌 값"
    return None


def _entry_problem(entry, where: str) -> tuple[str, str] | None:
    if not isinstance(entry, dict):
        return where, "형식이 다른 값"
    if not _is_int(entry.get("n_schools", 0)) or entry.get("n_schools", 0) < 0:
        return f"{where}.n_schools", "0 이상의 정수가 아닌 값"
    for key in ("mean", "sd", "score100"):
        v = entry.get(key)
        if v is not None and not _is_num(v):
            return f"{where}.{key}", "숫자가 아닌 값"
    if entry.get("sd") is not None and entry["sd"] < 0:
        return f"{where}.sd", "음수인 표준편차"
    if entry.get("score100") is not None and not 0 <= entry["score100"] <= 100:
        return f"{where}.score100", "0–100 밖의 100점 환산 점수"
    pct = entry.get("percentiles", {})
    if not isinstance(pct, dict):
        return f"{where}.percentiles", "형식이 다른 값"
    for p, x in pct.items():
        try:
            ok = 0 <= float(p) <= 100
        except ValueError:
            ok = False
        if not ok or (x is not None and not _is_num(x)):
            return f"{where}.percentiles.{p}", "숫자가 아닌 값"
    return None


def import_benchmark(ws: Workspace, path: str | Path) -> dict:
    """Store a benchmark in a (school) workspace; reports then show the school's percentile."""
    path = Path(path)
    doc, warnings = read_benchmark(path)
    content = json.dumps(doc, ensure_ascii=False)
    with ws.transaction():
        district_db.add_benchmark(ws, year=doc.get("year"), issuer=doc.get("issuer") or None, source_name=path.name,
                                  sha256=hashlib.sha256(path.read_bytes()).hexdigest(), checksum_ok=not warnings,
                                  content=content)
        ws.audit("benchmark_import", file=path.name, year=doc.get("year"), warnings=warnings)
    return {"file": path.name, "year": doc.get("year"), "issuer": doc.get("issuer"),
            "n_schools": doc.get("n_schools"), "levels": sorted(doc["levels"]), "warnings": warnings}


def load_for_school(ws: Workspace) -> dict | None:
    """The latest imported benchmark's levels: {level: {"n_schools", "factors": {key: ENTRY}, "domains": {…},
    "indicators": {…}}} (see the module docstring), or None when none was imported."""
    row = district_db.latest_benchmark(ws)
    if row is None:
        return None
    return json.loads(row[6])["levels"]


def benchmark_info(ws: Workspace) -> dict | None:
    """Where the latest benchmark came from: {"year", "issuer", "file", "imported_at", "checksum_ok",
    "n_schools", "labels"}."""
    row = district_db.latest_benchmark(ws)
    if row is None:
        return None
    doc = json.loads(row[6])
    return {"year": row[1], "issuer": row[2], "file": row[3], "checksum_ok": bool(row[4]), "imported_at": row[5],
            "n_schools": doc.get("n_schools"), "labels": doc.get("labels", {})}


def percentile_of(value: float | None, reference) -> float | None:
    """A value's percentile (0–100) against a benchmark ENTRY or a list of school values.

    With a list: the mid-rank percentile (below + ½·equal) / n × 100. With an ENTRY: linear
    interpolation between its P10…P90 points; outside them, the normal curve of its mean and SD,
    kept within 0–10 and 90–100. None when value or reference is missing.
    """
    if value is None or reference is None:
        return None
    if isinstance(reference, dict):
        pts = sorted((float(p), x) for p, x in (reference.get("percentiles") or {}).items() if x is not None)
        if not pts:
            return None
        mean, sd = reference.get("mean"), reference.get("sd")
        (p_lo, x_lo), (p_hi, x_hi) = pts[0], pts[-1]
        if value < x_lo or value > x_hi:
            if mean is None or not sd:
                return 0.0 if value < x_lo else 100.0
            p = NormalDist(mean, sd).cdf(value) * 100
            return min(p, p_lo) if value < x_lo else max(p, p_hi)
        for (pa, xa), (pb, xb) in pairwise(pts):
            if xa <= value <= xb:
                if xb == xa:
                    return (pa + pb) / 2
                return pa + (value - xa) / (xb - xa) * (pb - pa)
        return p_lo
    values = [v for v in reference if v is not None]
    if not values:
        return None
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return (below + 0.5 * equal) / len(values) * 100.0
