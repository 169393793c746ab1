"""Shared verbs: what the CLI commands and the GUI pages call. No Qt, no printing."""

from __future__ import annotations

import json
from dataclasses import replace as dc_replace
from pathlib import Path

from . import catalog
from .errors import SchoolVaultError
from .forms.breakdown import BREAKDOWNS, GRADE, cell_key, cells_of, hidden_cells
from .forms.groups import (
    DISTRICTS,
    LEVELS,
    canonical_district,
    canonical_group,
    canonical_level,
    group_order,
)
from .forms.labels import EXACT, place_label
from .forms.loader import _Ctx, load_instrument, parse_indicator, read_text
from .forms.model import Guidebook, Survey, SurveyLevels
from .forms.periods import (
    DEFAULT_PERIOD,
    MIDYEAR,
    PERIOD_LABELS,
    PERIODS,
    YEAR_END,
    require_period,
)
from .forms.scoring import GUIDEBOOK_SCORING, MAX_ASKED, response_rate, suppressed
from .importing import form_questions, itembank_files
from .importing.history import delete_import, list_imports  # noqa: F401 — the verbs the 설문 page calls
from .stats import group_stats
from .workspace import asked as asked_db
from .workspace import frozen, responses, selfeval
from .workspace import school as school_db
from .workspace.db import Workspace, open_workspace

# ---------------------------------------------------------------- workspace and school

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the school years a workspace can hold

def init_workspace(path: str | Path, *, name: str, level: str, district: str, year: int,
                   code: str | None = None) -> Workspace:
    """Create (or update) the workspace's school and open the year with its guidebook and plan."""
    lv = canonical_level(level)
    if lv is None:
        raise SchoolVaultError(f"학교급 '{level}'을(를) 알 수 없습니다.",
                               hint=f"{', '.join(LEVELS)} 중 하나를 쓰세요 (중학교면 중, 고등학교면 고).")
    dist = canonical_district(district)
    if dist is None:
        raise SchoolVaultError(f"교육지원청 '{district}'을(를) 알 수 없습니다.",
                               hint=f"다음 중 하나를 쓰세요: {', '.join(DISTRICTS)} (학교가 있는 구 이름도 됩니다. 예: 마포구)")
    if not name.strip():
        raise SchoolVaultError("학교 이름이 비어 있습니다.", hint="--school에 학교 이름을 적으세요.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SchoolVaultError(f"{year}학년도는 쓸 수 있는 범위({FIRST_YEAR}~{LAST_YEAR}학년도) 밖입니다.",
                               hint="2025처럼 올해 학년도를 네 자리로 쓰세요.")
    ws = open_workspace(path, create=True)
    try:
        with ws.transaction():
            school_db.save_school(ws, school_db.School(name.strip(), code, lv, dist))
            start_year(ws, year)
            ws.audit("init", school=name.strip(), level=lv, district=dist, year=year)
    except BaseException:
        ws.close()
        raise
    return ws


def require_school(ws: Workspace) -> tuple[school_db.School, int]:
    s = school_db.get_school(ws)
    year = school_db.current_year(ws)
    if s is None or year is None:
        raise SchoolVaultError("작업 파일에 학교 정보가 없습니다.",
                               hint="먼저 'init --school 이름 --level 초 --district 동부 --year 2025'를 실행하세요.")
    return s, year


def _guidebook_available_for(year: int) -> catalog.Available:
    books = [a for a in catalog.shipped() if a.instrument.kind == "guidebook"]
    if not books:
        raise SchoolVaultError("평가지표(가이드북) 파일이 없습니다.", hint="resources/instruments를 확인하세요.")
    same = [a for a in books if a.instrument.year == year]
    older = sorted((a for a in books if a.instrument.year <= year), key=lambda a: a.instrument.year)
    return (same or older or books)[-1]


def guidebook_for_year(ws: Workspace, year: int) -> catalog.Available:
    """The guidebook a new year freezes: the workspace's own file of that year, else the shipped file of
    that year (2026 is not 2025 renamed), else the workspace's own file, else the latest shipped before."""
    own = [a for a in catalog.workspace_own(ws) if a.instrument.kind == "guidebook"]
    shipped = _guidebook_available_for(year)
    return ([a for a in own if a.instrument.year == year]
            or ([shipped] if shipped.instrument.year == year or not own else own))[-1]


def start_year(ws: Workspace, year: int, *, carry_from: int | None = None) -> None:
    """Open an evaluation year: freeze its guidebook, preselect the common indicators for the level.

    With carry_from, last year's chosen indicators and improvement plans become the new plan's
    starting point (환류); last year's results stay untouched for comparison. Call in a transaction.
    """
    s = school_db.get_school(ws)
    if year in school_db.years(ws):
        school_db.set_current_year(ws, year)
        return
    gb_av = guidebook_for_year(ws, year)
    ref = frozen.freeze(ws, gb_av.instrument, gb_av.text, gb_av.source, gb_av.filename)
    school_db.add_year(ws, year, ref)
    gb: Guidebook = gb_av.instrument
    if carry_from is not None and needs_placement(ws, gb, carry_from):
        pass  # last year's indicators enter these 세부영역 only as the user places them (composing.py)
    elif carry_from is not None:
        prev = {e.indicator: e for e in selfeval.entries(ws, carry_from)}
        for code, sub, definition in selfeval.custom_indicators(ws, carry_from):
            selfeval.save_custom_indicator(ws, year, code, sub, definition)
        for code in prev:
            selfeval.set_chosen(ws, year, code, True)
    elif not gb.composed:  # in a composed year the school composes every 평가지표: nothing is preselected
        for ind in gb.indicators():
            if ind.type == "common" and (s is None or ind.applies_to_level(s.level)):
                selfeval.set_chosen(ws, year, ind.code, True)
    school_db.set_current_year(ws, year)


def needs_placement(ws: Workspace, gb: Guidebook, from_year: int) -> bool:
    """True when `gb` is a composed year whose 세부영역 differ from `from_year`'s: last year's indicators
    are then proposed for placing (composing.carry_proposals), never carried by code."""
    ref = school_db.guidebook_ref(ws, from_year)
    if not gb.composed or ref is None:
        return False
    def subareas(book: Guidebook) -> set:
        return {(s.code, _plain_title(s.title)) for a in book.areas for s in a.subareas}
    return subareas(catalog.parse_frozen(frozen.get(ws, ref))) != subareas(gb)


def new_year(ws: Workspace, year: int | None = None) -> int:
    """Start next year from the current one (새 학년도 시작)."""
    _, cur = require_school(ws)
    year = year or cur + 1
    if year in school_db.years(ws):
        raise SchoolVaultError(f"{year}학년도는 이미 있습니다.", hint="다른 연도를 고르세요.")
    if year < cur:  # a typo (2024 for 2026) would make a past year the current one
        raise SchoolVaultError(f"{year}학년도는 지금 학년도({cur})보다 앞입니다.",
                               hint=f"새 학년도는 {cur + 1}처럼 지금보다 뒤의 연도로 적으세요.")
    with ws.transaction():
        start_year(ws, year, carry_from=cur)
        ws.audit("new_year", year=year, carried_from=cur)
    return year


# ---------------------------------------------------------------- instruments

def list_instruments(ws: Workspace | None) -> list[dict]:
    return [a.summary() for a in catalog.available(ws)]


def show_instrument(ws: Workspace | None, instrument_id: str) -> dict:
    return catalog.resolve(ws, instrument_id).instrument.to_dict()


def import_instrument(ws: Workspace, path: str | Path, *more: str | Path) -> dict:
    """Validate an instrument file and store it in the workspace (frozen copy + hash).

    The office's item bank as it comes (workbook, per-평가주체 JSON exports, the pool without 평가주체)
    is converted to a `kind: itembank` text first; several such files given together make one bank."""
    path = Path(path)
    read = itembank_files.read_bank_files([path, *more]) if more or itembank_files.is_bank_file(path) else None
    if read is not None:
        inst, text, filename = read.bank, read.text, read.filename
    else:
        inst, text, filename = load_instrument(path), read_text(path), path.name
    with ws.transaction():
        ref = frozen.freeze(ws, inst, text, "imported", filename)
        frozen.set_current(ws, inst.id, ref)
        ws.audit("instrument_import", id=inst.id, kind=inst.kind, file=filename)
    out = {"id": inst.id, "kind": inst.kind, "title": inst.title, "year": inst.year, "ref": ref}
    if read is not None:
        out.update(read.summary())
    return out


def survey(ws: Workspace, instrument_id: str) -> Survey:
    inst = catalog.resolve(ws, instrument_id).instrument
    if not isinstance(inst, Survey):
        raise SchoolVaultError(f"'{instrument_id}'은(는) 설문 도구가 아닙니다.", hint="설문 id를 고르세요.")
    return inst


def freeze_for_use(ws: Workspace, instrument_id: str) -> int:
    """Frozen ref of the instrument version used now (call inside a transaction)."""
    a = catalog.resolve(ws, instrument_id)
    return frozen.freeze(ws, a.instrument, a.text, a.source, a.filename)


# ---------------------------------------------------------------- the year's guidebook and self-evaluation

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
    ctx = _Ctx("자율지표")
    by_sub: dict[str, list] = {}
    for code, sub, definition in customs:
        d = json.loads(definition)
        d["code"] = code
        by_sub.setdefault(sub, []).append(parse_indicator(ctx, d, code, set(), gb.rating.points))
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
                 if a.instrument.kind == "guidebook" and a.instrument.year == year]
    return same_year[-1].survey_levels if same_year else None


def add_custom_indicator(ws: Workspace, *, subarea: str, title: str, criteria: list[str] = (),
                         rubric: list[str] = (), evidence: list[str] = (), origin: dict | None = None,
                         survey_items: list[str] = ()) -> str:
    """A school's own autonomous indicator (학교 자율지표), chosen for this year's plan; in a composed year
    (2026 on) every 평가지표 is one. `origin` records where it came from (a bank, last year's indicator);
    `survey_items` are its "INSTRUMENT:ITEM" links, checked by the caller (composing.link_items)."""
    _, year = require_school(ws)
    gb = year_guidebook(ws, year)
    subs = {s.code: s for a in gb.areas for s in a.subareas}
    if subarea not in subs:
        raise SchoolVaultError(f"세부영역 '{subarea}'이(가) 없습니다.", hint=f"다음 중 하나: {', '.join(subs)}")
    if not title.strip():
        raise SchoolVaultError("자율지표 이름이 비어 있습니다.", hint="지표 이름을 적으세요.")
    if rubric and len(rubric) != gb.rating.points:
        raise SchoolVaultError(f"루브릭은 등급 수({gb.rating.points})만큼 적어야 합니다.",
                               hint=f"등급: {', '.join(gb.rating.labels)}")
    n = max((int(i.code.rsplit("-S", 1)[1]) for i in subs[subarea].indicators
             if i.code.startswith(f"{subarea}-S") and i.code.rsplit("-S", 1)[1].isdigit()), default=0)
    code = f"{subarea}-S{n + 1}"  # after the highest, so codes stay unique when one was removed
    definition = {"title": title.strip(), "type": "autonomous", "criteria": list(criteria),
                  "rubric": list(rubric), "evidence": list(evidence), **({"origin": origin} if origin else {}),
                  **({"survey_items": list(survey_items)} if survey_items else {})}
    with ws.transaction():
        selfeval.save_custom_indicator(ws, year, code, subarea, json.dumps(definition, ensure_ascii=False))
        selfeval.set_chosen(ws, year, code, True)
        ws.audit("custom_indicator", code=code, title=title.strip())
    return code


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


def _plain_title(text: str) -> str:
    """Titles compared without spaces and with one kind of middle dot (the official names mix ‧ and ·)."""
    return "".join(text.split()).replace("‧", "·").replace("ㆍ", "·")


def close_titles(key: str, titles, limit: int = 3, cutoff: float = 70) -> list[str]:
    """Up to `limit` titles that look like a mistyped `key` (spaces and middle dots ignored)."""
    from rapidfuzz import fuzz, process
    titles = list(titles)
    def bare(t: str) -> str:
        return _plain_title(t).replace("·", "").replace(",", "")
    plain = [bare(t) for t in titles]
    hits = process.extract(bare(key), plain, scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff)
    return [titles[i] for _, _, i in hits]


def find_indicator(gb: Guidebook, name_or_code: str):
    """An indicator by code or by (part of) its title."""
    key = _plain_title(name_or_code)
    for ind in gb.indicators():
        if ind.code == name_or_code:
            return ind
    hits = [i for i in gb.indicators() if key and key in _plain_title(i.title)]
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


def choose_indicators(ws: Workspace, codes: list[str], chosen: bool = True) -> list[str]:
    _, year = require_school(ws)
    gb = year_guidebook(ws, year)
    found = [find_indicator(gb, c).code for c in codes]
    with ws.transaction():
        for code in found:
            selfeval.set_chosen(ws, year, code, chosen)
        ws.audit("plan", indicators=found, chosen=chosen)
    return found


def self_eval_list(ws: Workspace) -> list[dict]:
    _, year = require_school(ws)
    gb = year_guidebook(ws, year)
    entries = {e.indicator: e for e in selfeval.entries(ws, year)}
    out = []
    for area in gb.areas:
        for sub in area.subareas:
            for ind in sub.indicators:
                e = entries.get(ind.code)
                if e is None:
                    continue
                out.append({
                    "indicator": ind.code, "title": ind.title, "type": ind.type,
                    "area": area.title, "subarea": sub.title,
                    "rating": e.rating,
                    "rating_label": gb.rating.labels[e.rating - 1] if e.rating else None,
                    "evidence": e.evidence, "achievements": e.achievements,
                    "shortcomings": e.shortcomings, "improvements": e.improvements,
                    "midyear_status": e.midyear_status, "midyear_note": e.midyear_note,
                    "support_needed": e.support_needed, "updated_at": e.updated_at,
                })
    return out


def self_eval_set(ws: Workspace, code: str, *, rating: int | str | None = None, **texts) -> dict:
    """Rate an indicator and/or set its texts; an indicator not yet in the plan is added to it.
    `rating` is the number or its label ('우수', '매우우수')."""
    _, year = require_school(ws)
    gb = year_guidebook(ws, year)
    ind = find_indicator(gb, code)
    if isinstance(rating, str):
        by_label = {"".join(lab.split()): n for n, lab in enumerate(gb.rating.labels, 1)}
        key = "".join(rating.split())
        if key.isdigit():
            rating = int(key)
        elif key in by_label:
            rating = by_label[key]
        else:
            raise SchoolVaultError(f"등급 '{rating}'을(를) 알 수 없습니다.",
                                   hint="등급은 " + ", ".join(f"{n}={lab}" for n, lab in
                                                             enumerate(gb.rating.labels, 1)) + " 중 하나입니다.")
    if rating is not None and not 1 <= rating <= gb.rating.points:
        raise SchoolVaultError(f"등급 {rating}은(는) 쓸 수 없습니다.",
                               hint="등급은 " + ", ".join(f"{n}={lab}" for n, lab in
                                                         enumerate(gb.rating.labels, 1)) + " 중 하나입니다.")
    if "midyear_status" in texts and texts["midyear_status"] not in (None, *selfeval.MIDYEAR_STATUSES):
        raise SchoolVaultError("중간점검 상태가 올바르지 않습니다.",
                               hint="on_track(계획대로), attention(보완 필요), not_started(미착수) 중 하나")
    fields = {k: v for k, v in texts.items() if v is not None}
    if rating is not None:
        fields["rating"] = rating
    with ws.transaction():
        if selfeval.entry(ws, year, ind.code) is None or not selfeval.entry(ws, year, ind.code).chosen:
            selfeval.set_chosen(ws, year, ind.code, True)
        selfeval.update(ws, year, ind.code, **fields)
        ws.audit("self_eval", indicator=ind.code, fields=sorted(fields))
    return next(x for x in self_eval_list(ws) if x["indicator"] == ind.code)


def self_eval_features(ws: Workspace) -> list[dict]:
    """The year's 세부영역 with their 학교교육활동 특색사례 (학교평가서 서식3-1 (3)); empty text where none."""
    _, year = require_school(ws)
    gb = year_guidebook(ws, year)
    texts = selfeval.features(ws, year)
    return [{"subarea": s.code, "title": s.title, "area": a.title, "text": texts.get(s.code, "")}
            for a in gb.areas for s in a.subareas]


def self_eval_set_feature(ws: Workspace, subarea: str, text: str) -> dict:
    """Write the 특색사례 of a 세부영역 (code "3-2" or label "Ⅲ-2. 미래역량 교육"); '' clears it."""
    _, year = require_school(ws)
    gb = year_guidebook(ws, year)
    placed = place_label(gb, subarea)
    if placed.kind != EXACT or placed.subarea is None:  # never an earlier year's label silently
        subs = ", ".join(f"{s.code} {s.title}" for a in gb.areas for s in a.subareas)
        raise SchoolVaultError(f"세부영역 '{subarea}'이(가) {gb.year}학년도에 없습니다.",
                               hint=f"다음 중 하나를 쓰세요: {subs}")
    code = placed.subarea
    with ws.transaction():
        selfeval.set_feature(ws, year, code, text.strip())
        ws.audit("feature", subarea=code)
    return next(f for f in self_eval_features(ws) if f["subarea"] == code)


# ---------------------------------------------------------------- statistics

def survey_groups(ws: Workspace, instrument_id: str, year: int, period: str | None = None) -> list[str]:
    return sorted({a.group for a in responses.administrations(ws, year, instrument_id, period=period)},
                  key=group_order)


def _period_survey(ws: Workspace, instrument_id: str, year: int, period: str, group: str | None):
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
    adms, inst, group = _period_survey(ws, instrument_id, year, period, group)
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


# ---------------------------------------------------------------- response rate (응답률)

def _asked_target(ws: Workspace, instrument_id: str, year: int, group: str) -> tuple[str, str]:
    """(instrument id as stored, canonical group) for a count of people asked; Korean error otherwise."""
    _, inst, _ = _period_survey(ws, instrument_id, year, DEFAULT_PERIOD, None)
    g = canonical_group(group)
    known = list(inst.groups) + [x for x in survey_groups(ws, inst.id, year) if x not in inst.groups]
    if g not in known:
        raise SchoolVaultError(f"응답 집단 '{group}'은(는) 이 설문에 없습니다.",
                               hint=f"다음 중 하나: {', '.join(known)}")
    return inst.id, g


def set_asked(ws: Workspace, instrument_id: str, group: str, count: int | None, year: int | None = None) -> dict:
    """Store how many people of a group were asked (설문 대상자 수) for the response rate; None or 0 forgets
    the count (the rate is then unknown). Returns the group's `response_rates` row."""
    if year is None:
        _, year = require_school(ws)
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
        raise SchoolVaultError(f"대상자 수 '{count}'은(는) 숫자가 아닙니다.", hint="사람 수를 정수로 쓰세요. 예: 40")
    if count is not None and count < 0:
        raise SchoolVaultError(f"대상자 수는 0보다 작을 수 없습니다 ({count}).",
                               hint="설문을 요청한 사람 수를 쓰세요. 모르면 0을 쓰면 지워집니다.")
    if count is not None and count > MAX_ASKED:
        raise SchoolVaultError(f"대상자 수 {count:,}명은 너무 많습니다.",
                               hint=f"한 집단의 대상자는 {MAX_ASKED:,}명 이하로 쓰세요. 자릿수를 확인하세요.")
    inst_id, g = _asked_target(ws, instrument_id, year, group)
    value = count or None
    with ws.transaction():
        asked_db.set_count(ws, year, inst_id, g, value)
        ws.audit("asked", instrument=inst_id, year=year, group=g, count=value)
    return next(r for r in response_rates(ws, inst_id, year)["groups"] if r["group"] == g)


def response_rates(ws: Workspace, instrument_id: str, year: int | None = None,
                   period: str = DEFAULT_PERIOD) -> dict:
    """Per group: respondents (as `stats` counts them, of the period), people asked (None when not entered)
    and the rate in percent (None when asked is unknown); a rate over 100% is kept and flagged in `warning`."""
    if year is None:
        _, year = require_school(ws)
    period = require_period(period)
    st = stats(ws, instrument_id, year=year, period=period)
    _, inst, _ = _period_survey(ws, instrument_id, year, period, None)
    known = asked_db.counts(ws, year, inst.id)
    groups = sorted(set(inst.groups) | set(st["groups"]) | set(known), key=group_order)
    rows = []
    for g in groups:
        n = st["groups"][g]["n"] if g in st["groups"] else 0
        asked = known.get(g)
        rate, warning = response_rate(n, asked)
        rows.append({"group": g, "respondents": n, "asked": asked, "rate": rate, "warning": warning})
    return {"instrument": inst.id, "year": year, "period": period, "groups": rows}


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
    adms, inst, group = _period_survey(ws, instrument_id, year, period, group)
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
    out = {"instrument": instrument_id, "year": year, "periods": list(PERIODS), "scale_points": inst.scale.points,
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
    }


def check(ws: Workspace) -> list[str]:
    """Integrity problems of the workspace plus the app's own invariants (empty when healthy)."""
    from .workspace import invariants
    return ws.integrity_problems() + invariants.safe_problems(ws)


# ---------------------------------------------------------------- questions for online forms

def form_questions_text(ws: Workspace, instrument_id: str, group: str) -> str:
    """The group's questions as text to paste into Google Forms / Naver Form (importing/form_questions.py)."""
    s, _ = require_school(ws)
    return form_questions.form_text(survey(ws, instrument_id), group, s.level)


def write_form_questions(ws: Workspace, instrument_id: str, group: str, out: str | Path) -> dict:
    """Write the group's question list (.txt to paste, .xlsx table) for building the online form."""
    s, _ = require_school(ws)
    return form_questions.write_form_questions(survey(ws, instrument_id), group, s.level, out)
