"""Survey statistics of the year read from the workspace: per group, per 학년, per period (중간 | 학년말),
each group on the instrument version its answers were given on. The numbers are `stats.group_stats`;
every page, report and command that shows survey figures goes through here so all agree."""

from __future__ import annotations

from typing import Any

from . import catalog
from .errors import SchoolVaultError
from .forms.breakdown import BREAKDOWNS, GRADE, cell_key, cells_of, hidden_cells
from .forms.groups import canonical_group, group_order
from .forms.model import Survey, SurveyLevels
from .forms.periods import DEFAULT_PERIOD, MIDYEAR, PERIOD_LABELS, PERIODS, YEAR_END, require_period
from .forms.scoring import GUIDEBOOK_SCORING, suppressed
from .reads import require_school, survey, survey_levels
from .stats import group_stats
from .workspace import frozen, responses
from .workspace.db import Workspace


def survey_groups(ws: Workspace, instrument_id: str, year: int, period: str | None = None) -> list[str]:
    return sorted({a.group for a in responses.administrations(ws, year, instrument_id, period=period)},
                  key=group_order)


def period_survey(ws: Workspace, instrument_id: str, year: int, period: str, group: str | None):
    """(administrations of the period, instrument version, checked group) shared by the statistics verbs."""
    adms = responses.administrations(ws, year, instrument_id, period=period)
    if not adms:
        # no answers yet: use the instrument as it stands
        inst = survey(ws, instrument_id)
    else:
        inst = catalog.parse_frozen(frozen.get(ws, adms[-1].instrument_ref))
    if group:
        group = canonical_group(group)
        if group not in inst.groups:
            raise SchoolVaultError(f"응답 집단 '{group}'은(는) 이 설문에 없습니다.",
                                   hint=f"다음 중 하나: {', '.join(inst.groups)}")
    return adms, inst, group


def period_note(ws: Workspace, instrument_id: str, year: int, period: str) -> str | None:
    """What to tell the user when the period has no answers but the other period of the year has."""
    if responses.administrations(ws, year, instrument_id, period=period):
        return None
    other = [p for p in PERIODS if p != period and responses.administrations(ws, year, instrument_id, period=p)]
    if not other:
        return None
    return (f"{year}학년도에는 {PERIOD_LABELS[other[0]]} 응답만 있고 {PERIOD_LABELS[period]} 응답은 아직 없습니다. "
            f"{PERIOD_LABELS[other[0]]} 결과를 보려면 시기를 '{other[0]}'(으)로 고르세요 (명령줄: --period {other[0]}).")


def stats(ws: Workspace, instrument_id: str, group: str | None = None, year: int | None = None,
          period: str = DEFAULT_PERIOD) -> dict:
    """`stats` contract: per group, items / factors / domains on scored values, from the answers of one
    period (중간 | 학년말, default 학년말); `note` says so when only the other period has answers."""
    if year is None:
        _, year = require_school(ws)
    period = require_period(period)
    adms, inst, group = period_survey(ws, instrument_id, year, period, group)
    groups = [group] if group else survey_groups(ws, instrument_id, year, period)
    out = {"instrument": instrument_id, "scale_points": inst.scale.points, "scoring": inst.scoring, "groups": {}}
    out["period"] = period
    note = period_note(ws, instrument_id, year, period)
    if note:
        out["note"] = note
    for g in groups:
        st = group_result(ws, g, [a for a in adms if a.group == g], inst)[2]
        st["suppressed_outside"] = suppressed(st["n"])  # n<5: shown here, kept out of what leaves the school
        out["groups"][g] = st
    return out


def stats_by(ws: Workspace, instrument_id: str, by: str = GRADE, group: str | None = None,
             year: int | None = None, period: str = DEFAULT_PERIOD) -> dict:
    """Per group, the statistics of each 학년 (a respondent classification, 응답자 구분) of one period.

    Every cell is `group_stats` on that cell's respondents, as a whole group is computed. A parent who
    ticked two grades counts in both cells; respondents who gave none are the cell 무응답. Each cell
    says whether the disclosure rule (`forms.breakdown.hidden_cells`) keeps it inside the school
    (`suppressed_outside`); inside the school every cell is shown. Whatever leaves the school goes
    through `forms.breakdown.publishable` first."""
    if by not in BREAKDOWNS:
        raise SchoolVaultError(f"'{by}'(으)로는 나눠 볼 수 없습니다.", hint=f"다음 중 하나: {', '.join(BREAKDOWNS)}")
    if year is None:
        _, year = require_school(ws)
    period = require_period(period)
    adms, inst, group = period_survey(ws, instrument_id, year, period, group)
    groups = [group] if group else survey_groups(ws, instrument_id, year, period)
    out = {"instrument": instrument_id, "year": year, "period": period, "by": by,
           "scale_points": inst.scale.points, "scoring": inst.scoring, "groups": {}}
    note = period_note(ws, instrument_id, year, period)
    if note:
        out["note"] = note
    for g in groups:
        g_adms = [a for a in adms if a.group == g]
        g_inst, rows, whole = group_result(ws, g, g_adms, inst)
        values = [v for a in g_adms for v in responses.attribute_values(ws, [a.id], by)]
        cells = cells_of(values) if any(values) else {}  # a form without the question: no breakdown at all
        hidden = hidden_cells({c: len(ix) for c, ix in cells.items()}, whole["n"])
        levels = result_levels(ws, g_adms, g_inst)
        out_cells = {}
        for c, ix in cells.items():
            st = group_stats(g_inst, g, [rows[i] for i in ix], levels)
            st["suppressed_outside"] = c in hidden
            out_cells[c] = st
        out["groups"][g] = {"n": whole["n"], "several": sum(1 for v in values if len(v) > 1),
                            "hidden_outside": sorted(hidden, key=cell_key), "cells": out_cells, "total": whole}
    return out


COMPARED = ("n", "answers", "mean", "sd", "score100", "rounded", "level")


def compare_periods(ws: Workspace, instrument_id: str, group: str | None = None, year: int | None = None) -> dict:
    """중간 and 학년말 side by side: per group, each 영역 (domain) and 세부영역 (factor) of both periods and
    the change of the mean (학년말 − 중간; None unless both have one). Each period is `stats` of that period."""
    if year is None:
        _, year = require_school(ws)
    by_period = {p: stats(ws, instrument_id, group, year, p) for p in PERIODS}
    adms = responses.administrations(ws, year, instrument_id)
    inst = catalog.parse_frozen(frozen.get(ws, adms[-1].instrument_ref)) if adms else survey(ws, instrument_id)
    groups = sorted({g for st in by_period.values() for g in st["groups"]},
                    key=group_order)
    out: dict[str, Any] = {"instrument": instrument_id, "year": year, "periods": list(PERIODS), "scale_points": inst.scale.points,
           "scoring": inst.scoring, "groups": {}}
    if not adms:
        out["note"] = f"{year}학년도에 가져온 응답이 없습니다."
    for g in groups:
        entry = {"n": {p: (by_period[p]["groups"].get(g) or {}).get("n", 0) for p in PERIODS}}
        for kind, units in (("domains", inst.domains), ("factors", list(inst.factors()))):
            rows = {}
            for u in units:
                figs = {p: (by_period[p]["groups"].get(g) or {}).get(kind, {}).get(u.code) for p in PERIODS}
                if not any(figs.values()):
                    continue
                row = {"title": u.title}
                for p in PERIODS:
                    row[p] = {k: figs[p][k] for k in COMPARED if k in figs[p]} if figs[p] else None
                a, b = (figs[MIDYEAR] or {}).get("mean"), (figs[YEAR_END] or {}).get("mean")
                row["change"] = b - a if a is not None and b is not None else None
                rows[u.code] = row
            entry[kind] = rows
        out["groups"][g] = entry
    return out


def group_result(ws: Workspace, group: str, g_adms: list, fallback: Survey) -> tuple[Survey, list[dict], dict]:
    """(instrument version, raw answers, statistics) of one group's administrations.

    Each group is read with the instrument version its latest answers were given on; every
    caller that shows survey numbers goes through here so all agree with `stats`.
    """
    g_inst = catalog.parse_frozen(frozen.get(ws, g_adms[-1].instrument_ref)) if g_adms else fallback
    rows = group_answers(ws, g_adms, g_inst)
    return g_inst, rows, group_stats(g_inst, group, rows, result_levels(ws, g_adms, g_inst))


def result_levels(ws: Workspace, g_adms: list, g_inst: Survey) -> SurveyLevels | None:
    """The 4단계 thresholds a group's figures are placed by (also each 학년 cell of the group)."""
    # no answers, no 4단계: the thresholds are only read when there is something to place
    return survey_levels(ws, g_adms[-1].year) if g_adms and g_inst.scoring == GUIDEBOOK_SCORING else None


def group_answers(ws: Workspace, adms: list, target: Survey) -> list[dict]:
    """Raw answers of these administrations, expressed for `target`'s version of the survey.

    An administration given on an older version whose item was reversed differently is flipped,
    so that scoring with `target` gives every answer the score it had on the version answered.
    """
    rows: list[dict] = []
    k = target.scale.points
    for a in adms:
        raw = responses.answers_by_respondent(ws, [a.id])
        if a.instrument_ref != adms[-1].instrument_ref:
            inst = catalog.parse_frozen(frozen.get(ws, a.instrument_ref))
            if inst.scale.points != k:
                raise SchoolVaultError(
                    f"'{target.id}'의 서로 다른 판({inst.scale.points}점, {k}점 척도)으로 받은 응답이 한 집단에 섞여 있습니다.",
                    where=a.source_name, hint="한 판의 응답만 남기고 다른 가져오기를 지운 뒤 다시 계산하세요.")
            now = {i.code: i.reverse for i in target.items()}
            flip = [i.code for i in inst.items() if i.code in now and now[i.code] != i.reverse]
            for r in raw:
                for code in flip:
                    if r.get(code) is not None:
                        r[code] = k + 1 - r[code]
        rows.extend(raw)
    return rows
