"""Survey statistics exactly as DESIGN.md defines them. Pure functions: no SQL, no I/O.

Input is one group's respondents as mappings item code → raw answer (1..k, missing = absent
or None). Everything is computed on scored values (after reverse scoring).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from .errors import SchoolVaultError
from .forms.model import Survey, SurveyLevels
from .forms.scoring import (
    FACTOR_MIN_ANSWERED,
    GUIDEBOOK_DECIMALS,
    GUIDEBOOK_SCORING,
    MIN_ALPHA_ITEMS,
    is_positive,
    level_label,
    round_half_up,
    score100,
)


def describe(values: Sequence[float], points: int) -> dict:
    """n, mean, sample SD (ddof=1) and 100-point score; None where undefined."""
    n = len(values)
    if n == 0:
        return {"n": 0, "mean": None, "sd": None, "score100": None}
    mean = math.fsum(values) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else None
    return {"n": n, "mean": mean, "sd": sd, "score100": score100(mean, points)}


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """α on complete rows (listwise); None below two items, two rows, or with zero total variance."""
    if not rows or len(rows[0]) < MIN_ALPHA_ITEMS or len(rows) < 2:
        return None
    k = len(rows[0])

    def var(xs: Sequence[float]) -> float:
        m = math.fsum(xs) / len(xs)
        return math.fsum((x - m) ** 2 for x in xs) / (len(xs) - 1)

    total_var = var([math.fsum(r) for r in rows])
    if total_var == 0:
        return None
    item_vars = math.fsum(var([r[j] for r in rows]) for j in range(k))
    return k / (k - 1) * (1 - item_vars / total_var)


def pooled(counts: Mapping[int, int], answered: int, points: int, levels: SurveyLevels | None) -> dict:
    """A 세부영역 or 영역 figure pooled over answers (가이드북 p.51) from how often each scored value was given.

    `answered` is the number of respondents with at least one answer in the unit. The sums are exact
    integers, so the mean is Σ(count × value) / answers without float drift and the rounding sees the
    exact fraction (3.95 stays 3.95 and goes up to 4.0)."""
    answers = sum(counts.values())
    if answers == 0:
        return {"n": 0, "answers": 0, "mean": None, "sd": None, "score100": None, "rounded": None, "level": None}
    total = sum(v * c for v, c in counts.items())
    squares = sum(v * v * c for v, c in counts.items())
    exact = Fraction(total, answers)
    mean = total / answers
    # sample variance in integers: (nΣx² − (Σx)²) / (n(n−1)), one float division at the end
    sd = math.sqrt((answers * squares - total * total) / (answers * (answers - 1))) if answers > 1 else None
    rounded = round_half_up(exact, levels.decimals if levels is not None else GUIDEBOOK_DECIMALS)
    return {"n": answered, "answers": answers, "mean": mean, "sd": sd, "score100": score100(mean, points),
            "rounded": rounded, "level": level_label(rounded, points, levels)}


def group_stats(survey: Survey, group: str, respondents: Iterable[Mapping[str, int | None]],
                levels: SurveyLevels | None = None) -> dict:
    """Item, factor and domain statistics of one respondent group.

    Returns {"n", "items": {code: {...}}, "factors": {...}, "domains": {...}} in the shape of
    the CLI's `stats` contract. Items, factors and domains with nothing for this group are left out.
    A survey with `scoring: guidebook` gets factor and domain figures pooled over answers (`pooled`),
    placed in the year's 4단계 by `levels`; a `respondent` survey ignores `levels`.
    Raises SchoolVaultError when a stored answer lies outside the scale.
    """
    if survey.scoring == GUIDEBOOK_SCORING:
        return _guidebook_stats(survey, group, respondents, levels)
    k = survey.scale.points
    rows = list(respondents)
    cols = _scored_columns(survey, group, rows)
    out_items, _ = _item_stats(cols, k)

    out_factors: dict = {}
    factor_scores: dict[str, list[float | None]] = {}
    for factor in survey.factors():
        fitems = factor.items_for(group)
        if not fitems:
            continue
        fcols = [cols[i.code] for i in fitems]
        needed = FACTOR_MIN_ANSWERED * len(fitems)
        per_resp: list[float | None] = []
        complete = []
        for answers in zip(*fcols):
            vals = [v for v in answers if v is not None]
            per_resp.append(sum(vals) / len(vals) if vals and len(vals) >= needed else None)
            if len(vals) == len(fitems):
                complete.append(vals)
        factor_scores[factor.code] = per_resp
        st = describe([s for s in per_resp if s is not None], k)
        alpha = cronbach_alpha(complete) if len(fitems) >= MIN_ALPHA_ITEMS else None
        st["alpha"] = alpha
        st["alpha_n"] = len(complete) if len(fitems) >= MIN_ALPHA_ITEMS else 0
        out_factors[factor.code] = st

    out_domains: dict = {}
    for domain in survey.domains:
        codes = [f.code for f in domain.factors if f.code in factor_scores]
        if not codes:
            continue
        scores = []
        for per_factor in zip(*(factor_scores[c] for c in codes)):
            fs = [x for x in per_factor if x is not None]
            if fs:
                scores.append(math.fsum(fs) / len(fs))
        out_domains[domain.code] = describe(scores, k)

    return {"n": len(rows), "items": out_items, "factors": out_factors, "domains": out_domains}


def _scored_columns(survey: Survey, group: str, rows: list[Mapping[str, int | None]]) -> dict[str, list[int | None]]:
    """One pass over the rows: a scored column per item of the group (None = missing)."""
    k = survey.scale.points
    cols: dict[str, list[int | None]] = {}
    valid = set(range(1, k + 1))
    for item in survey.items_for(group):
        code = item.code
        raw = [r.get(code) for r in rows]
        bad = next((v for v in set(raw) - valid if v is not None), None)
        if bad is not None:  # a wrong value would silently bend every mean, so refuse to count at all
            raise SchoolVaultError(f"문항 {code}에 척도(1~{k})를 벗어난 값 {bad}이(가) 저장되어 있습니다.",
                                   where=f"{survey.id} / {group}",
                                   hint="해당 응답 파일을 지우고 다시 가져오세요.")
        cols[code] = [None if v is None else k + 1 - v for v in raw] if item.reverse else raw
    return cols


def _item_stats(cols: dict[str, list[int | None]], k: int) -> tuple[dict, dict[str, dict[int, int]]]:
    """Item statistics, and how often each scored value was given per item (what pooling sums)."""
    out: dict = {}
    value_counts: dict[str, dict[int, int]] = {}
    for code, col in cols.items():
        vals = [v for v in col if v is not None]
        st = describe(vals, k)
        counts = {v: vals.count(v) for v in range(1, k + 1)}
        st["counts"] = {str(v): c for v, c in counts.items()}
        positive = sum(c for v, c in counts.items() if is_positive(v, k))
        st["positive_rate"] = positive / len(vals) if vals else None
        out[code] = st
        value_counts[code] = counts
    return out, value_counts


def _sum_counts(per_item: Iterable[Mapping[int, int]], k: int) -> dict[int, int]:
    return {v: sum(c[v] for c in per_item) for v in range(1, k + 1)} if per_item else {}


def _guidebook_stats(survey: Survey, group: str, respondents: Iterable[Mapping[str, int | None]],
                     levels: SurveyLevels | None) -> dict:
    """group_stats for `scoring: guidebook`: items as usual, 세부영역 and 영역 pooled over answers."""
    k = survey.scale.points
    rows = list(respondents)
    cols = _scored_columns(survey, group, rows)
    out_items, value_counts = _item_stats(cols, k)

    out_factors: dict = {}
    answered_any: dict[str, list[bool]] = {}  # per factor: did each respondent answer any of its items
    for factor in survey.factors():
        fitems = factor.items_for(group)
        if not fitems:
            continue
        fcols = [cols[i.code] for i in fitems]
        complete = []
        any_flags = []
        for answers in zip(*fcols):
            vals = [v for v in answers if v is not None]
            any_flags.append(bool(vals))
            if len(vals) == len(fitems):
                complete.append(vals)
        answered_any[factor.code] = any_flags
        st = pooled(_sum_counts([value_counts[i.code] for i in fitems], k), sum(any_flags), k, levels)
        has_alpha = len(fitems) >= MIN_ALPHA_ITEMS
        st["alpha"] = cronbach_alpha(complete) if has_alpha else None
        st["alpha_n"] = len(complete) if has_alpha else 0
        out_factors[factor.code] = st

    out_domains: dict = {}
    for domain in survey.domains:
        codes = [f.code for f in domain.factors if f.code in answered_any]
        if not codes:
            continue
        counts = _sum_counts([value_counts[i.code] for f in domain.factors if f.code in answered_any
                              for i in f.items_for(group)], k)
        answered = sum(1 for flags in zip(*(answered_any[c] for c in codes)) if any(flags))
        out_domains[domain.code] = pooled(counts, answered, k, levels)

    return {"n": len(rows), "items": out_items, "factors": out_factors, "domains": out_domains}
