"""How `stats --by 학년` and `stats --compare-periods` read in a terminal (the numbers are in --json)."""

from __future__ import annotations

import unicodedata

from ..forms.periods import PERIOD_LABELS


def _num(v, digits: int = 2) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def _cols(*cells, widths=(12, 7, 8, 8, 10)) -> str:
    """Cells padded to terminal columns (Hangul is two columns wide); the first left, the rest right."""
    def width(t: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in t)
    out = []
    for k, (c, w) in enumerate(zip(cells, widths)):
        pad = " " * max(0, w - width(str(c)))
        out.append(f"{c}{pad}" if k == 0 else f"{pad}{c}")
    return ("  " + "".join(out) + "".join(f" {c}" for c in cells[len(widths):])).rstrip()


def breakdown_human(r: dict) -> str:
    return _compare(r) if "periods" in r else _by(r)


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
