"""How `stats` reads in a terminal: per group, one survey period, its 학년 breakdown, or both periods side by
side (the numbers are in --json)."""

from __future__ import annotations

import unicodedata

from ..forms.periods import PERIOD_LABELS


def _num(v, digits: int = 2) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def _cols(*cells, widths=(10, 6, 8, 10, 8, 9)) -> str:
    """Cells padded to terminal columns (Hangul is two columns wide); the first left, the rest right."""
    def width(t: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in t)
    out = []
    for k, (c, w) in enumerate(zip(cells, widths)):
        pad = " " * max(0, w - width(str(c)))
        out.append(f"{c}{pad}" if k == 0 else f"{pad}{c}")
    return ("  " + "".join(out) + "".join(f" {c}" for c in cells[len(widths):])).rstrip()


SUPPRESSED_MARK = "n<5 (외부 비공개)"


def stats_human(r: dict) -> str:
    if "periods" in r:
        return _compare(r)
    return _by(r) if "by" in r else _groups(r)


def _groups(r: dict) -> str:
    """Per group: items (n, mean, sd, 100-point score, positive rate), then factors (+ α) and domains."""
    out = [f"{r['instrument']} ({r['scale_points']}점 척도, {PERIOD_LABELS.get(r.get('period') or '', '')}) — 자세한 값은 --json"]
    if r.get("note"):
        out.append(r["note"])
    elif not r["groups"]:
        out.append("이 학년도에 가져온 응답이 없습니다. 'import-responses'로 가져오거나 --year로 다른 학년도를 고르세요.")
    for g, s in r["groups"].items():
        out.append(f"\n[{g}] 응답자 {s['n']}명" + (f" — {SUPPRESSED_MARK}" if s.get("suppressed_outside") else ""))
        out.append(_cols("문항", "n", "평균", "표준편차", "100점", "긍정률"))
        for code, i in s["items"].items():
            pos = "-" if i.get("positive_rate") is None else f"{i['positive_rate'] * 100:.1f}%"
            out.append(_cols(code, i["n"], _num(i["mean"]), _num(i["sd"]), _num(i["score100"], 1), pos))
        pooled = r.get("scoring") == "guidebook"
        kinds = (("세부영역", "factors"),) if pooled else (("요인", "factors"), ("영역", "domains"))
        for kind, key in kinds:
            for code, f in s.get(key, {}).items():
                alpha = f"α={_num(f['alpha'])} (n={f['alpha_n']})" if f.get("alpha") is not None else ""
                out.append(_cols(f"{kind} {code}", f["n"], _num(f["mean"]), _num(f["sd"]), _num(f["score100"], 1),
                                 "", alpha))
        if pooled:
            out.append(_pooled_domains(s.get("domains", {})))
    return "\n".join(out)


def _pooled_domains(domains: dict) -> str:
    """영역 of a guidebook survey: every answer pooled, the mean rounded half up and its 4단계."""
    lines = ["  영역 결과 (가이드북 방식: 모든 응답의 합 ÷ 응답 수, 소수 첫째 자리 반올림)",
             _cols("영역", "응답자", "응답 수", "평균", "반올림", "4단계", widths=(10, 7, 8, 8, 8, 10))]
    for code, d in domains.items():
        rounded = "-" if d.get("rounded") is None else str(d["rounded"])
        lines.append(_cols(code, d["n"], d.get("answers", 0), _num(d["mean"], 3), rounded, d.get("level") or "-",
                           widths=(10, 7, 8, 8, 8, 10)))
    return "\n".join(lines)


def _by(r: dict) -> str:
    """Per group and 학년 cell: respondents and each 영역 mean; cells kept inside the school are marked."""
    out = [(f"{r['instrument']} {r['year']}학년도 {PERIOD_LABELS.get(r['period'], r['period'])} — {r['by']}별 "
            "(자세한 값은 --json)")]
    if r.get("note"):
        out.append(r["note"])
    elif not r["groups"]:
        out.append("이 시기에 가져온 응답이 없습니다.")
    for g, entry in r["groups"].items():
        several = f", 여러 {r['by']}에 답한 응답자 {entry['several']}명은 각 칸에 모두 셈" if entry["several"] else ""
        out.append(f"\n[{g}] 응답자 {entry['n']}명{several}")
        if not entry["cells"]:
            out.append(f"  이 집단의 응답에는 {r['by']} 문항이 없습니다.")
            continue
        domains = list(entry["total"].get("domains", {}))
        out.append(_cols(r["by"], "응답자", *[f"영역 {d}" for d in domains], "", widths=(12, 7) + (10,) * len(domains)))
        for cell, st in entry["cells"].items():
            mark = "※ 밖으로 못 나감" if st["suppressed_outside"] else ""
            out.append(_cols(cell, st["n"], *[_num((st["domains"].get(d) or {}).get("mean")) for d in domains], mark,
                             widths=(12, 7) + (10,) * len(domains)))
        if entry["hidden_outside"]:
            out.append("  ※ 표시한 칸은 응답자가 5명 미만이거나, 다른 칸과 전체 값으로 계산해 낼 수 있어 보고서·제출 "
                       "파일에는 싣지 않습니다.")
    return "\n".join(out)


def _compare(r: dict) -> str:
    """Per group: each 영역 and 세부영역, 중간 mean, 학년말 mean and the change."""
    mid, end = r["periods"]
    out = [f"{r['instrument']} {r['year']}학년도 — {PERIOD_LABELS[mid]}와 {PERIOD_LABELS[end]} 비교 (자세한 값은 --json)"]
    if r.get("note"):
        out.append(r["note"])
    for g, entry in r["groups"].items():
        out.append(f"\n[{g}] 응답자 {mid} {entry['n'][mid]}명, {end} {entry['n'][end]}명")
        out.append(_cols("", mid, end, "변화", widths=(16, 7, 8, 8)))
        for kind, label in (("domains", "영역"), ("factors", "세부영역")):
            for code, row in entry.get(kind, {}).items():
                a, b = (row[mid] or {}).get("mean"), (row[end] or {}).get("mean")
                change = "-" if row["change"] is None else f"{row['change']:+.2f}"
                out.append(_cols(f"{label} {code}", _num(a), _num(b), change, "", row["title"],
                                 widths=(16, 7, 8, 8)))
    return "\n".join(out)
