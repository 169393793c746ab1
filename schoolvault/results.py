"""Results as the GUI reads them: survey summaries, indicator-linked items, last year beside this year.

Pure reads over `reads`, `survey_stats` and the workspace (no Qt). Numbers are the `survey_stats.stats` numbers;
this module only arranges them: profiles, sortable item rows, group comparison, strengths and
weaknesses (강점·약점 문항), comments, and the previous year's figures when that year exists.
"""

from __future__ import annotations

from typing import Any

from . import catalog, composing, reads, survey_stats
from .forms.groups import group_order
from .forms.labels import COMPOSED_NOTE, indicator_type_label
from .forms.model import Survey
from .forms.periods import DEFAULT_PERIOD
from .forms.scoring import MIN_GROUP_N, answered_counts
from .importing.comments import is_meaningless
from .workspace import frozen, responses, selfeval
from .workspace import school as school_db
from .workspace.db import Workspace

TOP_N = 5


_STATS_CACHE: dict = {}
_STATS_CACHE_MAX = 16


def cached_stats(ws: Workspace, instrument_id: str, year: int, period: str = DEFAULT_PERIOD) -> dict:
    """`survey_stats.stats` of one period, remembered while the year's administrations of the survey stay the same.

    Answers of an administration never change after import, so the set of administrations (and
    their instrument versions) identifies the numbers; switching indicators then costs no recount.
    """
    adms = responses.administrations(ws, year, instrument_id, period=period)
    key = (str(ws.path), year, instrument_id, period,
           tuple((a.id, a.instrument_ref, a.n_respondents, a.imported_at) for a in adms))
    hit = _STATS_CACHE.get(key)
    if hit is None:
        hit = survey_stats.stats(ws, instrument_id, year=year, period=period)
        if len(_STATS_CACHE) >= _STATS_CACHE_MAX:
            _STATS_CACHE.pop(next(iter(_STATS_CACHE)))
        _STATS_CACHE[key] = hit
    return hit


def survey_for_year(ws: Workspace, instrument_id: str, year: int) -> Survey:
    """The survey version the year's answers were given on (the current file when none yet)."""
    adms = responses.administrations(ws, year, instrument_id)
    if adms:
        return catalog.parse_frozen(frozen.get(ws, adms[-1].instrument_ref))
    return reads.survey(ws, instrument_id)


def surveys_overview(ws: Workspace, year: int | None = None) -> list[dict]:
    """Every survey the school can use, with respondents per group and the imports made this year."""
    if year is None:
        _, year = reads.require_school(ws)
    default = reads.year_survey(ws, year)  # what every survey choice starts on
    out = []
    for a in catalog.available(ws):
        inst = a.instrument
        if not isinstance(inst, Survey):
            continue
        adms = responses.administrations(ws, year, inst.id)
        counts: dict[str, int] = {}
        for adm in adms:
            counts[adm.group] = counts.get(adm.group, 0) + adm.n_respondents
        out.append({
            "id": inst.id, "title": inst.title, "year": inst.year, "source": a.source,
            "year_survey": default is not None and inst.id == default.id,
            "groups": list(inst.groups), "counts": counts,
            "items": sum(1 for _ in inst.items()),
            "imports": [{"id": adm.id, "group": adm.group, "source": adm.source_name, "method": adm.method,
                         "imported_at": adm.imported_at, "respondents": adm.n_respondents, "period": adm.period}
                        for adm in adms],
        })
    return out


def _item_rows(survey: Survey, gstats: dict, prev: dict | None) -> list[dict]:
    ftitle = {f.code: f.title for f in survey.factors()}
    rows = []
    for f in survey.factors():
        for item in f.items:
            st = gstats["items"].get(item.code)
            if st is None:
                continue
            p = (prev or {}).get("items", {}).get(item.code) or {}
            rows.append({"code": item.code, "text": item.text, "factor": f.code, "factor_title": ftitle[f.code],
                         "reverse": item.reverse, "indicator": item.indicator,
                         "n": st["n"], "mean": st["mean"], "sd": st["sd"], "score100": st["score100"],
                         "positive_rate": st["positive_rate"], "counts": st["counts"],
                         # options as people chose them (a reverse item's counts un-reversed)
                         "answered": answered_counts(item, st["counts"], survey.scale.points),
                         "prev_mean": p.get("mean"), "prev_positive_rate": p.get("positive_rate")})
    return rows


def top_bottom(items: list[dict], n: int = TOP_N) -> tuple[list[dict], list[dict]]:
    """Strengths (highest 긍정률, then mean) and weaknesses (lowest first); no item in both."""
    rated = [r for r in items if r["n"] and r["positive_rate"] is not None]
    ranked = sorted(rated, key=lambda r: (r["positive_rate"], r["mean"], r["code"]), reverse=True)
    k = min(n, len(ranked) // 2) if len(ranked) < 2 * n else n
    top = ranked[:k]
    bottom = list(reversed(ranked[len(ranked) - k:])) if k else []
    return top, bottom


def survey_results(ws: Workspace, instrument_id: str, year: int | None = None,
                   period: str = DEFAULT_PERIOD) -> dict:
    """One survey's year for the results page: per group profile, items, top/bottom; comparison; comments.
    Of one period (중간 | 학년말); last year's figures are of the same period."""
    if year is None:
        _, year = reads.require_school(ws)
    survey = survey_for_year(ws, instrument_id, year)
    st = cached_stats(ws, instrument_id, year, period)
    prev_year = school_db.previous_year(ws, year)
    prev_st = None
    if prev_year is not None and responses.administrations(ws, prev_year, instrument_id, period=period):
        prev_st = cached_stats(ws, instrument_id, prev_year, period)
    groups = sorted(st["groups"], key=group_order)
    by_group = {}
    for g in groups:
        gs = st["groups"][g]
        pg = prev_st["groups"].get(g) if prev_st else None
        domains = [{"code": d.code, "title": d.title, **_num(gs["domains"].get(d.code)),
                    "prev_score100": ((pg or {}).get("domains", {}).get(d.code) or {}).get("score100")}
                   for d in survey.domains if d.code in gs["domains"]]
        factors = [{"code": f.code, "title": f.title, "domain": d.code, **_num(gs["factors"].get(f.code)),
                    "alpha": gs["factors"][f.code]["alpha"], "alpha_n": gs["factors"][f.code]["alpha_n"],
                    "prev_score100": ((pg or {}).get("factors", {}).get(f.code) or {}).get("score100")}
                   for d in survey.domains for f in d.factors if f.code in gs["factors"]]
        items = _item_rows(survey, gs, pg)
        top, bottom = top_bottom(items)
        by_group[g] = {"n": gs["n"], "small": gs["n"] < MIN_GROUP_N, "domains": domains, "factors": factors,
                       "items": items, "top": top, "bottom": bottom}
    comparison = {
        "domains": [{"code": d.code, "title": d.title,
                     "scores": {g: st["groups"][g]["domains"].get(d.code, {}).get("score100") for g in groups}}
                    for d in survey.domains],
        "factors": [{"code": f.code, "title": f.title,
                     "scores": {g: st["groups"][g]["factors"].get(f.code, {}).get("score100") for g in groups}}
                    for f in survey.factors()],
    }
    return {"instrument": instrument_id, "title": survey.title, "year": year, "scale_points": survey.scale.points,
            "scoring": survey.scoring,
            "scale_labels": list(survey.scale.labels), "groups": groups, "previous_year": prev_year if prev_st else None,
            "by_group": by_group, "comparison": comparison, "period": period, "note": st.get("note"),
            "comments": survey_comments(ws, instrument_id, year, survey, period)}


def _num(st: dict | None) -> dict:
    """The figures of a factor or domain; `answers`, `rounded` and `level` only mean something for a
    guidebook-scored survey (pooled over answers) and are None otherwise."""
    st = st or {}
    return {"n": st.get("n", 0), "mean": st.get("mean"), "sd": st.get("sd"), "score100": st.get("score100"),
            "answers": st.get("answers"), "rounded": st.get("rounded"), "level": st.get("level")}


def survey_comments(ws: Workspace, instrument_id: str, year: int, survey: Survey | None = None,
                    period: str | None = None) -> list[dict]:
    """Meaningful open-ended answers of the year (of one period when given), by group and question."""
    survey = survey or survey_for_year(ws, instrument_id, year)
    qtext = {q.code: q.text for q in survey.open_questions}
    out: list[dict[str, Any]] = []
    by_group: dict[str, list[int]] = {}
    for adm in responses.administrations(ws, year, instrument_id, period=period):
        by_group.setdefault(adm.group, []).append(adm.id)
    for g in sorted(by_group, key=group_order):
        for cid, q, text, selected, personal in responses.comments(ws, by_group[g]):
            if not is_meaningless(text):
                out.append({"id": cid, "group": g, "question": q, "question_text": qtext.get(q, q),
                            "text": text, "selected": bool(selected), "personal": bool(personal)})
    order = {code: n for n, code in enumerate(qtext)}
    out.sort(key=lambda c: (order.get(c["question"], len(order)), group_order(c["group"]), c["id"]))
    return out


def indicator_results(ws: Workspace, code: str, year: int | None = None) -> list[dict]:
    """Survey evidence for one indicator: per survey, the linked items with n, mean, 긍정률 by group.

    Linked = items whose `indicator` field is the code, or named in the indicator's `survey_items`
    ("INSTRUMENT:ITEM"); "INSTRUMENT:*" links the whole survey, shown by domain.
    """
    if year is None:
        _, year = reads.require_school(ws)
    gb = reads.year_guidebook(ws, year)
    try:
        links = gb.indicator(code).survey_items
    except KeyError:
        links = ()
    whole = {lk.split(":", 1)[0] for lk in links if lk.endswith(":*")}
    named = {tuple(lk.split(":", 1)) for lk in links if ":" in lk and not lk.endswith(":*")}
    out = []
    counts = responses.response_counts(ws, year)
    for a in catalog.available(ws):
        if not isinstance(a.instrument, Survey) or a.instrument.id not in counts:
            continue
        sid = a.instrument.id
        survey = survey_for_year(ws, sid, year)
        items = [i for i in survey.items() if i.indicator == code or (sid, i.code) in named]
        if not items and sid not in whole:
            continue
        st = cached_stats(ws, sid, year)
        groups = sorted(st["groups"], key=group_order)
        entry: dict[str, Any] = {"instrument": sid, "title": survey.title, "groups": groups,
                                 "n": {g: st["groups"][g]["n"] for g in groups}, "items": [], "domains": []}
        if items:
            for i in items:
                entry["items"].append({
                    "code": i.code, "text": i.text, "reverse": i.reverse,
                    "groups": {g: {k: st["groups"][g]["items"][i.code][k] for k in ("n", "mean", "positive_rate")}
                               for g in groups if i.code in st["groups"][g]["items"]}})
        else:
            for d in survey.domains:
                entry["domains"].append({
                    "code": d.code, "title": d.title,
                    "groups": {g: {k: st["groups"][g]["domains"][d.code].get(k)
                                   for k in ("n", "mean", "score100", "rounded", "level")}
                               for g in groups if d.code in st["groups"][g]["domains"]}})
        out.append(entry)
    return out


def previous_entry(ws: Workspace, code: str, year: int | None = None) -> dict | None:
    """Last year's self-evaluation of the same indicator (its rating and improvement plan: 환류)."""
    if year is None:
        _, year = reads.require_school(ws)
    prev = school_db.previous_year(ws, year)
    if prev is None:
        return None
    e = selfeval.entry(ws, prev, composing.previous_codes(ws, year).get(code, code))
    if e is None:
        return None
    labels = reads.year_guidebook(ws, prev).rating.labels
    return {"year": prev, "rating": e.rating, "rating_label": labels[e.rating - 1] if e.rating else None,
            "improvements": e.improvements or "", "shortcomings": e.shortcomings or "",
            "achievements": e.achievements or ""}


def indicator_tree(ws: Workspace, year: int | None = None) -> dict:
    """The year's guidebook as areas → subareas → indicators with plan and completion state.

    For the plan page (every indicator with `chosen`, `applies`) and the self-evaluation tree
    (filter on chosen; `done` = rated, `midyear` = mid-year status set).
    """
    s, cur = reads.require_school(ws)
    year = year or cur
    gb = reads.year_guidebook(ws, year)
    entries = {e.indicator: e for e in selfeval.entries(ws, year, chosen_only=False)}
    areas = []
    for a in gb.areas:
        subs = []
        for sub in a.subareas:
            inds = []
            for i in sub.indicators:
                e = entries.get(i.code)
                inds.append({"code": i.code, "title": i.title, "type": i.type,
                             "type_label": indicator_type_label(i.type, custom="-S" in i.code, composed=gb.composed),
                             "custom": "-S" in i.code, "applies": i.applies_to_level(s.level),
                             "chosen": bool(e and e.chosen), "done": bool(e and e.chosen and e.rating),
                             "midyear": bool(e and e.chosen and e.midyear_status),
                             "rating": e.rating if e else None})
            subs.append({"code": sub.code, "title": sub.title, "indicators": inds})
        areas.append({"code": a.code, "title": a.title, "subareas": subs})
    return {"year": year, "level": s.level, "rating_labels": list(gb.rating.labels), "areas": areas,
            "composed": gb.composed}


def indicator_detail(ws: Workspace, code: str, year: int | None = None) -> dict:
    """Everything the indicator workspace shows for one indicator (the form, not the survey part)."""
    _, cur = reads.require_school(ws)
    year = year or cur
    gb = reads.year_guidebook(ws, year)
    area, sub, ind = gb.locate(code)
    e = selfeval.entry(ws, year, code)
    composed = gb.composed and "-S" in ind.code
    return {"code": ind.code, "title": ind.title, "type": ind.type, "area": area.title, "subarea": sub.title,
            "type_label": indicator_type_label(ind.type, custom="-S" in ind.code, composed=gb.composed),
            # said once where a composed 평가지표 has no 평가요소 or 등급별 기준 of its own
            "note": COMPOSED_NOTE if composed and not (ind.criteria and ind.rubric) else "",
            "criteria": list(ind.criteria), "rubric": list(ind.rubric), "evidence_hints": list(ind.evidence),
            "rating_labels": list(gb.rating.labels), "year": year,
            "entry": {"rating": e.rating if e else None,
                      **{f: (getattr(e, f) or "") if e else "" for f in selfeval.TEXT_FIELDS},
                      "midyear_status": e.midyear_status if e else None},
            "previous": previous_entry(ws, code, year)}


def grade_breakdown(ws: Workspace, instrument_id: str, group: str, period: str = DEFAULT_PERIOD) -> dict:
    """The results page's 학년 view of one group: each cell's respondents and 영역 figures, with whether the
    cell may leave the school (the rule of `forms.breakdown.hidden_cells`, via survey_stats.stats_by)."""
    r = survey_stats.stats_by(ws, instrument_id, "학년", group, period=period)
    entry = r["groups"].get(group) or {"n": 0, "cells": {}, "several": 0, "hidden_outside": [], "total": {}}
    survey = survey_for_year(ws, instrument_id, r["year"])
    titles = {d.code: d.title for d in survey.domains}
    domains = [d for d in titles if d in (entry.get("total") or {}).get("domains", {})]
    return {"group": group, "period": period, "n": entry["n"], "several": entry["several"],
            "domains": [(d, titles[d]) for d in domains],
            "cells": [{"cell": c, "n": st["n"], "hidden": st["suppressed_outside"],
                       "domains": {d: (st["domains"].get(d) or {}).get("mean") for d in domains},
                       # the 4단계 of the cell's pooled 영역 figure (None outside the guidebook rule)
                       "levels": {d: ((st["domains"].get(d) or {}).get("rounded"),
                                      (st["domains"].get(d) or {}).get("level")) for d in domains}}
                      for c, st in entry["cells"].items()]}


def period_comparison(ws: Workspace, instrument_id: str) -> dict:
    """중간 and 학년말 side by side for the results page (survey_stats.compare_periods)."""
    return survey_stats.compare_periods(ws, instrument_id)


def area_levels(ws: Workspace, year: int | None = None) -> dict:
    """The 4단계 grid of 영역 × 평가주체 as the 학교평가서 prints it (서식3-1 (1), `school_report_view.area_grid`):
    the results page shows the very cells the document does."""
    # the 학교평가서's own view (~15 ms to import, no reportlab): loaded only when the grid is asked for
    from .reports import data as report_data
    from .reports import school_report_view as report_view

    data = report_data.collect(ws, year)
    surveys = [s for s in data.surveys if s.survey.scoring == report_view.GUIDEBOOK_SCORING]
    notes: list[str] = []
    grid = report_view.area_grid(data.guidebook, data.levels, surveys, notes)
    keys = report_view.AREA_KEYS[:len(data.guidebook.areas)]
    return {"year": data.year, "areas": [(k, a.title) for k, a in zip(keys, data.guidebook.areas)],
            "groups": list(report_view.FORM_GROUPS), "grid": grid, "notes": notes}
