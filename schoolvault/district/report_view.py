"""What the district summary (종합보고서) shows, without layout: the publication rule, labels, rankings.

The PDF (`report_pdf`) is public and never names a school; the workbook (`report_xlsx`) is internal.
Both read `district_stats` through the helpers here, so a rule such as "no figure of fewer than five
schools in the PDF" (`is_public`) has one home.
"""

from __future__ import annotations

import math
from collections import Counter

from .. import catalog
from ..forms.groups import LEVELS
from ..forms.model import Guidebook, Survey
from ..forms.scoring import MIN_GROUP_N

TOP_N = 3
MIN_PUBLIC_SCHOOLS = MIN_GROUP_N   # the PDF shows no figure of fewer schools than this
SUPPRESSED_SCHOOLS = f"{MIN_GROUP_N}교 미만"
LEVEL_NAMES = {"초": "초등학교", "중": "중학교", "고": "고등학교", "특수": "특수학교"}
AREA_OTHER_COLUMNS = (("suppressed", "n<5"), ("no_data", "자료 없음"), ("unknown", "이전 형식"))


def is_public(n_schools: int | None) -> bool:
    """The 5-school rule (공개 기준): a figure computed from fewer than MIN_PUBLIC_SCHOOLS schools is not
    printed in the public PDF (one or two schools' figure would name them). Every section asks here."""
    return (n_schools or 0) >= MIN_PUBLIC_SCHOOLS


def public_score(e: dict | None) -> float | None:
    """A published 100-point score: None when missing or under the 5-school rule."""
    if not e or e.get("score100") is None or not is_public(e["n_schools"]):
        return None
    return e["score100"]


def score_cell(e: dict | None, *, with_n: bool = False, with_sd: bool = False) -> str:
    """'72.3', '72.3 ± 8.1' or '72.3 ± 8.1 (25)'; '5교 미만' under the rule, '–' when missing."""
    if not e or e.get("score100") is None:
        return "–"
    if not is_public(e["n_schools"]):
        return SUPPRESSED_SCHOOLS + (f" ({e['n_schools']})" if with_n else "")
    text = f"{e['score100']:.1f}"
    if with_sd and e.get("sd100") is not None:
        text += f" ± {e['sd100']:.1f}"
    return text + (f" ({e['n_schools']})" if with_n else "")


def box_entry(e: dict | None) -> dict | str | None:
    """A box-plot entry of a score's spread across schools (charts.box_chart), or the rule's text."""
    if not e or e.get("score100") is None or not e.get("p100"):
        return None
    if not is_public(e["n_schools"]):
        return SUPPRESSED_SCHOOLS
    return {"p": e["p100"], "mean": e["score100"], "n": e["n_schools"]}


def instrument_titles() -> dict[str, str]:
    return {a.instrument.id: a.instrument.title for a in catalog.shipped()}


def rating_labels(points: int) -> list[str]:
    for a in catalog.shipped():
        if isinstance(a.instrument, Guidebook) and a.instrument.rating.points == points:
            return list(a.instrument.rating.labels)
    return [str(i) for i in range(1, points + 1)]


def mean(xs) -> float | None:
    xs = [x for x in xs if x is not None]
    return math.fsum(xs) / len(xs) if xs else None


def by_instrument(stats: dict, kind: str) -> dict[str, list[str]]:
    """instrument → its factor or domain keys in instrument order (domains before their factors)."""
    out: dict[str, list[str]] = {}
    for key, lab in stats["labels"][kind].items():
        out.setdefault(lab["instrument"], []).append(key)
    order = _structure()
    for inst, keys in out.items():
        rank = order.get(inst, {})
        keys.sort(key=lambda k: (rank.get(stats["labels"][kind][k]["code"], 10 ** 6), k))
    return out


def _structure() -> dict[str, dict[str, int]]:
    """Shipped surveys' code order (domain and factor codes), so tables follow the instrument."""
    out: dict[str, dict[str, int]] = {}
    for a in catalog.shipped():
        if isinstance(a.instrument, Survey):
            codes: dict[str, int] = {}
            for d in a.instrument.domains:
                codes[d.code] = len(codes)
                for f in d.factors:
                    codes[f.code] = len(codes)
            out[a.instrument.id] = codes
    return out


def factors_of_domain(stats: dict, inst: str) -> dict[str, list[str]]:
    """domain key → factor keys (from the shipped instrument; empty when the instrument is unknown)."""
    labels = stats["labels"]
    code_to_key = {lab["code"]: k for k, lab in labels["factors"].items() if lab["instrument"] == inst}
    dom_key = {lab["code"]: k for k, lab in labels["domains"].items() if lab["instrument"] == inst}
    out: dict[str, list[str]] = {}
    for a in catalog.shipped():
        if a.instrument.id == inst and isinstance(a.instrument, Survey):
            for d in a.instrument.domains:
                if d.code in dom_key:
                    out[dom_key[d.code]] = [code_to_key[f.code] for f in d.factors if f.code in code_to_key]
    return out


def strengths(stats: dict, level: str, n: int = TOP_N) -> dict:
    """Strongest and weakest factors (all groups, 100-point) and indicators (mean rating) of a level, each
    as (value, key, schools); only figures of at least MIN_PUBLIC_SCHOOLS schools are ranked."""
    block = stats["by_level"][level]["all"]["factors"]
    ranked = sorted(((v["score100"], k, v["n_schools"]) for k, v in block.items()
                     if v["score100"] is not None and is_public(v["n_schools"])), reverse=True)
    ind = stats["indicators"]["by_level"].get(level, {})
    ranked_ind = sorted(((v["mean"], k, v["n_schools"]) for k, v in ind.items()
                         if v["mean"] is not None and is_public(v["n_schools"])), reverse=True)
    return {"factors_top": ranked[:n], "factors_bottom": ranked[::-1][:n],
            "indicators_top": ranked_ind[:n], "indicators_bottom": ranked_ind[::-1][:n]}


def support_counts(stats: dict) -> dict:
    """{level: {district: schools needing support}} — counts only, never names."""
    out: dict = {}
    for s in stats["schools"]:
        if s["needs_support"]:
            out.setdefault(s["level"], {}).setdefault(s["district"], 0)
            out[s["level"]][s["district"]] += 1
    return out


def schools_per_district(stats: dict) -> dict[str, list[int]]:
    """district → its number of schools per 학교급 (in `stats["by_level"]` order)."""
    seen = Counter((s["district"], s["level"]) for s in stats["schools"])
    return {d: [seen[d, lv] for lv in stats["by_level"]] for d in stats["by_district"]}


def schools_in_level_order(stats: dict) -> list[dict]:
    """The schools as a named list shows them: by 학교급 (unknown ones last), 소속청, name."""
    return sorted(stats["schools"], key=lambda s: (LEVELS.index(s["level"]) if s["level"] in LEVELS else 9,
                                                   s["district"], s["name"]))


def schools_using(stats: dict, keys: list[str], levels) -> int:
    """How many schools answered an instrument: per level the most schools any of its domains has."""
    return sum(max((e["n_schools"] for k in keys if (e := stats["by_level"][lv]["all"]["domains"].get(k))),
                   default=0) for lv in levels)


def short(title: str, limit: int = 9) -> str:
    return title if len(title) <= limit else title[:limit - 1] + "…"


def district_blocks_for_level(stats: dict, level: str) -> dict:
    """Per-district blocks of one level (district_stats(..., by_level_district=True))."""
    return stats.get("by_level_district", {}).get(level, {})


def area_level_rows(stats: dict, block: dict, *, public: bool) -> tuple[list[str], list[list]]:
    """(header, rows) of one scope's 영역 × 평가주체 table: schools per 4단계, n<5, no result, unknown
    (format-1 files; the column only when there are such files), and the mean of the schools' means.

    "자료 없음" counts schools without a 4단계 for the cell (no result in the file, or a year without 4단계).
    public: a mean of fewer than MIN_PUBLIC_SCHOOLS schools is not shown (the PDF)."""
    al = stats["area_levels"]
    labels = al["labels"]
    with_unknown = any(g.get("unknown") for b in al["by_level"].values() for a in b.values() for g in a.values())
    others = [(k, name) for k, name in AREA_OTHER_COLUMNS if k != "unknown" or with_unknown]
    header = ["영역", "평가주체", *labels, *[name for _, name in others], "학교 평균"]
    rows = []
    for area, groups in al["cells"].items():
        for i, g in enumerate(groups):
            e = block.get(area, {}).get(g)
            if e is None:
                continue
            counts = [e["levels"].get(lab, 0) for lab in labels]
            other = [e["suppressed"], e["no_data"] + e["no_level"], e["unknown"]][:len(others)]
            if e["mean"] is None:
                shown = "–"
            elif public and not is_public(e["n_means"]):
                shown = SUPPRESSED_SCHOOLS
            else:
                shown = f"{e['mean']:.2f} ({e['n_means']})"
            title = f"{area}. {al['areas'].get(area, '')}".rstrip(". ") if i == 0 else ""
            rows.append([title, g, *[f"{c:,}" for c in counts], *[f"{c:,}" for c in other], shown])
    return header, rows
