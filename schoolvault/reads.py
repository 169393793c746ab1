"""The year's lookups every layer shares: the school and its current year, the year's guidebook (with the
school's own 자율지표) and surveys, the instrument version used now, an indicator by name, where the year
stands. No Qt, no printing; services.py re-exports them for the CLI and the GUI."""

from __future__ import annotations

import json
from dataclasses import replace as dc_replace

from . import catalog
from .errors import SchoolVaultError
from .forms.loader import parse_custom_indicator
from .forms.model import Guidebook, Indicator, Survey, SurveyLevels
from .forms.periods import DOCUMENT_PERIOD, PERIODS
from .forms.scoring import GUIDEBOOK_SCORING
from .workspace import frozen, responses, selfeval
from .workspace import school as school_db
from .workspace.db import Workspace


def require_school(ws: Workspace) -> tuple[school_db.School, int]:
    s = school_db.get_school(ws)
    year = school_db.current_year(ws)
    if s is None or year is None:
        raise SchoolVaultError("작업 파일에 학교 정보가 없습니다.",
                               hint="먼저 'init --school 이름 --level 초 --district 동부 --year 2025'를 실행하세요.")
    return s, year


def survey(ws: Workspace, instrument_id: str) -> Survey:
    inst = catalog.resolve(ws, instrument_id).instrument
    if not isinstance(inst, Survey):
        raise SchoolVaultError(f"'{instrument_id}'은(는) 설문 도구가 아닙니다.", hint="설문 id를 고르세요.")
    return inst


def freeze_for_use(ws: Workspace, instrument_id: str) -> int:
    """Frozen ref of the instrument version used now (call inside a transaction)."""
    a = catalog.resolve(ws, instrument_id)
    return frozen.freeze(ws, a.instrument, a.text, a.source, a.filename)


def year_guidebook(ws: Workspace, year: int | None = None) -> Guidebook:
    """The guidebook frozen for the year, with the school's own 자율지표 added to their sub-areas."""
    if year is None:
        _, year = require_school(ws)
    ref = school_db.guidebook_ref(ws, year)
    if ref is None:
        raise SchoolVaultError(f"{year}학년도 평가 계획이 없습니다.", hint="학년도를 먼저 시작하세요.")
    gb: Guidebook = catalog.parse_frozen(frozen.get(ws, ref))
    customs = selfeval.custom_indicators(ws, year)
    if not customs:
        return gb
    by_sub: dict[str, list[Indicator]] = {}
    for code, sub, definition in customs:
        by_sub.setdefault(sub, []).append(parse_custom_indicator(json.loads(definition), code, gb.rating.points))
    areas = []
    for a in gb.areas:
        subs = tuple(dc_replace(s, indicators=s.indicators + tuple(by_sub.get(s.code, ()))) for s in a.subareas)
        areas.append(dc_replace(a, subareas=subs))
    return dc_replace(gb, areas=tuple(areas))


def survey_levels(ws: Workspace, year: int) -> SurveyLevels | None:
    """The year's 4단계 thresholds of 교육공동체 survey results (가이드북 p.51), or None when the year has none.

    They come from the guidebook frozen for the year. Workspaces opened before the thresholds were
    data froze a 2025 guidebook file without `survey_levels`, so when the frozen copy has none the
    shipped guidebook of that same year supplies them (never another year's: thresholds are the year's).
    """
    ref = school_db.guidebook_ref(ws, year)
    if ref is not None:
        levels = catalog.parse_frozen(frozen.get(ws, ref)).survey_levels
        if levels is not None:
            return levels
    same_year = [a.instrument for a in catalog.shipped()
                 if isinstance(a.instrument, Guidebook) and a.instrument.year == year]
    return same_year[-1].survey_levels if same_year else None


def year_surveys(ws: Workspace, year: int | None = None) -> list[Survey]:
    """The year's 교육공동체 (guidebook-scored) surveys, the one to use first: those answered in the year (most
    respondents first), then those made for the year (the school's own before the shipped example)."""
    if year is None:
        _, year = require_school(ws)
    counts = responses.response_counts(ws, year)
    ranked = []
    for n, a in enumerate(catalog.available(ws)):
        s = a.instrument
        if not isinstance(s, Survey) or s.scoring != GUIDEBOOK_SCORING:
            continue
        answered = sum((counts.get(s.id) or {}).values())
        if answered or s.year == year:
            ranked.append(((-answered, a.source == "shipped", n), s))
    return [s for _, s in sorted(ranked, key=lambda r: r[0])]


def year_survey(ws: Workspace, year: int | None = None) -> Survey | None:
    """The year's survey: what every survey choice starts on (paper questionnaire, links of a composed
    평가지표). The first of `year_surveys`, else the latest guidebook-scored survey of an earlier year."""
    if year is None:
        _, year = require_school(ws)
    own = year_surveys(ws, year)
    if own:
        return own[0]
    older = [a.instrument for a in catalog.available(ws) if isinstance(a.instrument, Survey)
             and a.instrument.scoring == GUIDEBOOK_SCORING and a.instrument.year <= year]
    return max(older, key=lambda s: s.year) if older else None


def plain_title(text: str) -> str:
    """Titles compared without spaces and with one kind of middle dot (the official names mix ‧ and ·)."""
    return "".join(text.split()).replace("‧", "·").replace("ㆍ", "·")


def close_titles(key: str, titles, limit: int = 3, cutoff: float = 70) -> list[str]:
    """Up to `limit` titles that look like a mistyped `key` (spaces and middle dots ignored)."""
    from rapidfuzz import fuzz, process
    titles = list(titles)
    def bare(t: str) -> str:
        return plain_title(t).replace("·", "").replace(",", "")
    plain = [bare(t) for t in titles]
    hits = process.extract(bare(key), plain, scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff)
    return [titles[i] for _, _, i in hits]


def find_indicator(gb: Guidebook, name_or_code: str):
    """An indicator by code or by (part of) its title."""
    key = plain_title(name_or_code)
    for ind in gb.indicators():
        if ind.code == name_or_code:
            return ind
    hits = [i for i in gb.indicators() if key and key in plain_title(i.title)]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise SchoolVaultError(f"'{name_or_code}'에 맞는 지표가 여러 개입니다.",
                               hint="코드로 지정하세요: " + ", ".join(f"{i.code} {i.title}" for i in hits))
    near = close_titles(name_or_code, [i.title for i in gb.indicators()])
    by_title = {i.title: i.code for i in gb.indicators()}
    raise SchoolVaultError(f"지표 '{name_or_code}'을(를) 찾을 수 없습니다.",
                           hint=("비슷한 지표: " + ", ".join(f"{by_title[t]} {t}" for t in near) + ". " if near else "")
                           + "'self-eval list' 또는 'instruments show'로 지표 코드를 확인하세요.")


def dashboard(ws: Workspace) -> dict:
    """Where the year stands: school, year, stage, indicators done/left, responses per survey and group."""
    s, year = require_school(ws)
    entries = selfeval.entries(ws, year)
    return {
        "school": {"name": s.name, "code": s.code, "level": s.level, "district": s.district},
        "year": year,
        "years": school_db.years(ws),
        "stage": school_db.stage(ws, year),
        "indicators_chosen": len(entries),
        "indicators_rated": sum(1 for e in entries if e.rating is not None),
        "midyear_checked": sum(1 for e in entries if e.midyear_status),
        "responses": responses.response_counts(ws, year),
        "responses_by_period": responses_by_period(ws, year),
    }


def responses_by_period(ws: Workspace, year: int) -> list[tuple[str, dict[str, dict[str, int]]]]:
    """[(period, {instrument: {group: n}})], 학년말 first (what the documents count), periods with answers only:
    a total over both periods would disagree with every document."""
    order = (DOCUMENT_PERIOD,) + tuple(p for p in PERIODS if p != DOCUMENT_PERIOD)
    return [(p, counts) for p in order if (counts := responses.response_counts(ws, year, p))]
