"""What every document draws from: one read of the workspace, shared by the PDFs and the workbook.

Groups with fewer than MIN_GROUP_N respondents are kept apart (`suppressed`) here, once, so no
document can show their numbers by accident: reports and the workbook leave the school.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import catalog, composing, reads, survey_stats
from ..errors import SchoolVaultError
from ..forms.groups import group_order
from ..forms.model import Guidebook, Survey, SurveyLevels
from ..forms.periods import DOCUMENT_PERIOD
from ..forms.scoring import GUIDEBOOK_SCORING, MIN_GROUP_N, displayed_n, response_rate
from ..importing.comments import is_meaningless
from ..masking import mask_personal
from ..workspace import asked as asked_db
from ..workspace import frozen, responses, selfeval
from ..workspace import school as school_db


@dataclass
class SurveyResult:
    """One survey's statistics for the year (survey_stats.stats shape) and who may be shown."""

    survey: Survey
    stats: dict
    counts: dict[str, int]          # respondents per group (all groups with answers)
    shown: list[str]                # groups with n >= MIN_GROUP_N
    suppressed: list[str]           # groups with fewer respondents
    adm_ids: dict[str, list[int]] = field(default_factory=dict)
    asked: dict[str, int] = field(default_factory=dict)  # people asked per group, where the school entered it

    @property
    def id(self) -> str:
        return self.survey.id


@dataclass
class IndicatorResult:
    code: str
    title: str
    type: str
    area: str
    area_title: str
    subarea: str
    subarea_title: str
    rating: int | None
    rating_label: str | None
    rubric_text: str
    evidence: str
    achievements: str
    shortcomings: str
    improvements: str
    midyear_status: str | None
    midyear_note: str
    last_rating: int | None = None
    last_rating_label: str | None = None


@dataclass
class Comment:
    instrument: str
    group: str
    question: str
    question_text: str
    text: str                       # masked (masking.mask_personal): documents leave the school
    selected: bool
    personal: bool = False          # the answer held personal data: never picked by the program


@dataclass
class YearData:
    school: school_db.School
    year: int
    guidebook: Guidebook
    indicators: list[IndicatorResult]
    surveys: list[SurveyResult]
    last_year: int | None
    last_surveys: list[SurveyResult]
    levels: SurveyLevels | None = None  # the year's 4단계 of guidebook-scored survey figures

    def survey(self, instrument_id: str) -> SurveyResult | None:
        return next((s for s in self.surveys if s.id == instrument_id), None)


def survey_result(ws, instrument_id: str, year: int, answers_cache: dict | None = None) -> SurveyResult:
    """Statistics of one survey for the year; same instrument version and numbers as survey_stats.stats.

    Documents read the 학년말 answers only (가이드북 Q12): the 1학기 중간평가 stays inside the school."""
    adms = responses.administrations(ws, year, instrument_id, period=DOCUMENT_PERIOD)
    inst = catalog.parse_frozen(frozen.get(ws, adms[-1].instrument_ref)) if adms else reads.survey(ws, instrument_id)
    by_group: dict[str, list[int]] = {}
    for a in adms:
        by_group.setdefault(a.group, []).append(a.id)
    groups = sorted(by_group, key=group_order)
    st: dict[str, Any] = {"instrument": instrument_id, "year": year, "scale_points": inst.scale.points,
                          "period": DOCUMENT_PERIOD, "groups": {}}
    for g in groups:
        _, rows, st["groups"][g] = survey_stats.group_result(ws, g, [a for a in adms if a.group == g], inst)
        if answers_cache is not None:
            answers_cache[(instrument_id, g)] = rows
    counts = {g: st["groups"][g]["n"] for g in groups}
    shown = [g for g in groups if counts[g] >= MIN_GROUP_N]
    asked = asked_db.counts(ws, year, inst.id)
    return SurveyResult(inst, st, counts, shown, [g for g in groups if g not in shown], by_group, asked)


def surveys_of_year(ws, year: int, answers_cache: dict | None = None) -> list[SurveyResult]:
    ids = []
    for a in responses.administrations(ws, year, period=DOCUMENT_PERIOD):
        if a.instrument_id not in ids:
            ids.append(a.instrument_id)
    return [survey_result(ws, i, year, answers_cache) for i in ids]


def indicator_results(ws, year: int) -> list[IndicatorResult]:
    """The year's chosen indicators in guidebook order, with last year's rating beside."""
    gb = reads.year_guidebook(ws, year)
    entries = {e.indicator: e for e in selfeval.entries(ws, year)}
    prev_year = school_db.previous_year(ws, year)
    prev = {e.indicator: e for e in selfeval.entries(ws, prev_year)} if prev_year else {}
    prev_labels = reads.year_guidebook(ws, prev_year).rating.labels if prev_year else ()
    prev_code = composing.previous_codes(ws, year)  # indicators placed in 2026's 세부영역 keep last year's code
    out = []
    for area in gb.areas:
        for sub in area.subareas:
            for ind in sub.indicators:
                e = entries.get(ind.code)
                if e is None:
                    continue
                r = e.rating
                p = prev.get(prev_code.get(ind.code, ind.code))
                out.append(IndicatorResult(
                    ind.code, ind.title, ind.type, area.code, area.title, sub.code, sub.title, r,
                    gb.rating.labels[r - 1] if r else None,
                    ind.rubric[r - 1] if r and len(ind.rubric) >= r else "",
                    e.evidence or "", e.achievements or "", e.shortcomings or "", e.improvements or "",
                    e.midyear_status, e.midyear_note or "",
                    p.rating if p else None,
                    prev_labels[p.rating - 1] if p and p.rating and len(prev_labels) >= p.rating else None))
    return out


def collect(ws, year: int | None = None, *, with_surveys: bool = True,
            answers_cache: dict | None = None) -> YearData:
    """Everything a report needs for the year (default: the current year)."""
    s, cur = reads.require_school(ws)
    year = year or cur
    if year not in school_db.years(ws):
        raise SchoolVaultError(f"{year}학년도 자료가 없습니다.",
                               hint="작업 파일에 있는 학년도: " + ", ".join(map(str, school_db.years(ws))))
    gb = reads.year_guidebook(ws, year)
    inds = indicator_results(ws, year)
    surveys = surveys_of_year(ws, year, answers_cache) if with_surveys else []
    last = school_db.previous_year(ws, year)
    last_surveys = surveys_of_year(ws, last) if (last and with_surveys) else []
    return YearData(s, year, gb, inds, surveys, last, last_surveys, reads.survey_levels(ws, year))


def respondent_counts(surveys: list[SurveyResult]) -> list[tuple[SurveyResult, list[tuple[str, str]]]]:
    """Per survey, each group's respondents as documents print them: people who answered at least one scale
    item of that survey (stats' n), "n<5" for a hidden group (`displayed_n`). Surveys are not added up or
    maxed: the same person may answer two surveys, and nobody can tell. The summary sentence and the
    participation table of every report read this one function."""
    return [(sr, [(g, displayed_n(n, "명")) for g, n in sr.counts.items()]) for sr in surveys]


def response_rates(sr: SurveyResult) -> dict[str, str] | None:
    """Per group with respondents, its 응답률 as documents print it ("75.0%", "104.2% ※" over 100%, "–" where
    the count asked is unknown or the group is hidden: a hidden group's rate would give its size away);
    None when the school entered no count for this survey, so the documents leave the column out."""
    if not any(sr.asked.get(g) for g in sr.counts):
        return None
    out = {}
    for g, n in sr.counts.items():
        rate, warning = response_rate(n, sr.asked.get(g))
        out[g] = "–" if rate is None or g in sr.suppressed else f"{rate:.1f}%" + (" ※" if warning else "")
    return out


def scoring_note(data: YearData, surveys: list[Survey]) -> dict:
    """What the methodology note needs to say which scoring rule each survey follows (both reports use it)."""
    return {"guidebook_titles": [s.title for s in surveys if s.scoring == GUIDEBOOK_SCORING],
            "respondent_titles": [s.title for s in surveys if s.scoring != GUIDEBOOK_SCORING],
            "levels": list(data.levels.levels) if data.levels is not None else None}


def comments(ws, sr: SurveyResult) -> list[Comment]:
    """Open-ended answers that count (`is_meaningless`, the one rule) of the groups that may be shown (never
    of a suppressed group), masked by `mask_personal`: every document quotes comments from here."""
    qtext = {q.code: q.text for q in sr.survey.open_questions}
    out = []
    for g in sr.shown:
        for _cid, q, text, selected, personal in responses.comments(ws, sr.adm_ids.get(g, [])):
            if is_meaningless(text):
                continue
            masked = mask_personal(text)
            out.append(Comment(sr.id, g, q, qtext.get(q, q), masked, bool(selected), bool(personal) or masked != text))
    return out


def pick_comments(all_comments: list[Comment], per_question: int = 3) -> tuple[list[Comment], bool]:
    """The comments the school selected; if none, up to `per_question` distinct ones, never one that held
    personal data (the school may still pick it by hand: it is printed masked).

    Returns (comments, auto) — auto=True tells the reader they were picked by the program.
    """
    chosen = [c for c in all_comments if c.selected]
    if chosen:
        return chosen, False
    seen: set[tuple[str, str]] = set()
    per: dict[str, int] = {}
    out = []
    for c in all_comments:
        key = (c.question, c.text.strip())
        if c.personal or key in seen or per.get(c.question, 0) >= per_question:
            continue
        seen.add(key)
        per[c.question] = per.get(c.question, 0) + 1
        out.append(c)
    return out, True


def linked_items(gb: Guidebook, surveys: list[SurveyResult], indicator: str) -> list[tuple[SurveyResult, list]]:
    """Survey items evidencing an indicator: items whose `indicator` names it, and the guidebook's
    `survey_items` links ("INSTRUMENT:ITEM"; "INSTRUMENT:*" = the whole survey)."""
    try:
        links = gb.indicator(indicator).survey_items
    except KeyError:
        links = ()
    whole = {link.split(":", 1)[0] for link in links if link.endswith(":*")}
    named = {tuple(link.split(":", 1)) for link in links if ":" in link and not link.endswith(":*")}
    out: list[tuple[SurveyResult, list]] = []
    for sr in surveys:
        if sr.id in whole:
            out.append((sr, []))  # the whole survey: shown by domain
            continue
        items = [i for i in sr.survey.items() if i.indicator == indicator or (sr.id, i.code) in named]
        if items:
            out.append((sr, items))
    return out


def imported_benchmark(ws) -> dict | None:
    """The levels of the benchmark a district published and the school imported (`benchmark
    import`), or None. A report without percentiles beats no report, so a failure is logged."""
    import logging
    try:
        from ..district.benchmark import load_for_school
        return load_for_school(ws)
    except (SchoolVaultError, ImportError) as e:
        logging.getLogger(__name__).warning("benchmark not loaded: %s", e)
        return None
