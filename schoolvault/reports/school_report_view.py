"""The 학교평가서 as data (prepared view): every figure of the office's forms computed, nothing laid out.

서식3-1 (1) is a grid of 영역 × 평가주체 × 4단계; (2) the findings by 구분; (3) the 특색사례; 서식3-2 the items
asked. The 교내 보관용 adds each 평가주체's item scores and pooled 영역/세부영역 figures. The section functions in
`school_report.py` lay this view out; the writers only draw text.

Which answers: the 학년말 answers (`data.collect` reads DOCUMENT_PERIOD only) of the surveys scored by the
guidebook rule (`scoring: guidebook`). A survey domain reports to a guidebook 영역 by `submission.area_of`,
the rule the submission workbook and the district use.

Several guidebook surveys (or several domains of one survey) for the same 영역 and 평가주체 are combined as
the guidebook pools: over answers. The items' scored answer counts of every contributing domain are added
and `stats.pooled` (the one pooling rule) gives the mean, the half-up rounding and the 4단계. With a single
contribution this is exactly the `stats` figure of that domain. The cell's respondent count is the largest
of the contributing surveys' counts for the group (the same people may have answered several surveys, so
counts are not added); under MIN_GROUP_N the cell shows "n<5" instead of a tick.

The 교내 보관용 also gets each survey's comment themes (`comment_themes`, 학년말 answers) through
`themes.publishable` (docs/THEMES.md): a document can be printed or passed on, so a theme cell under
MIN_GROUP_N respondents (and its complementary cell) is n<5 and no quote comes from a group under
MIN_GROUP_N or a hidden cell, as in the consultant workbook. Kiwi is loaded only when a survey has comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..forms.labels import EXACT, place_label, subarea_label
from ..forms.model import Guidebook, Item, SurveyLevels
from ..forms.scoring import GUIDEBOOK_SCORING, SUPPRESSED, suppressed
from ..stats import pooled
from ..submission import AREA_KEYS, area_of, area_titles
from ..workspace import selfeval
from .data import SurveyResult, YearData

FORM_GROUPS = ("학생", "학부모", "교원", "직원")  # the order of 평가주체 in 서식3-1 and 서식3-2
SUBMISSION, INTERNAL = "submission", "internal"
KINDS = {SUBMISSION: "제출용", INTERNAL: "교내 보관용"}
STRENGTH, IMPROVEMENT, SUPPORT = "우수한 점", "개선할 점", "컨설팅장학 등 교육청 지원이 필요한 부분"
FINDING_KINDS = (STRENGTH, IMPROVEMENT, SUPPORT)

# states of a grid cell
LEVEL, HIDDEN, ABSENT, NOT_ASKED, NO_ANSWERS = "level", "suppressed", "absent", "not_asked", "no_answers"


@dataclass(frozen=True)
class AreaCell:
    """One 영역 of one 평가주체 (서식3-1 (1)). `state` says why there is no tick where there is none."""

    area: str                      # AREA_KEYS: Ⅰ, Ⅱ, Ⅲ
    group: str
    state: str                     # LEVEL | HIDDEN (n<5) | ABSENT (did not take part) | NOT_ASKED | NO_ANSWERS
    n: int = 0                     # respondents (the largest count among the contributing surveys)
    answers: int = 0
    mean: float | None = None
    rounded: float | None = None
    level: str | None = None       # None also when the year has no 4단계 for the scale
    surveys: tuple[str, ...] = ()  # contributing survey ids


@dataclass(frozen=True)
class Finding:
    kind: str                      # FINDING_KINDS
    subarea: str                   # "Ⅱ-1. 교육과정 편성·운영"
    indicator: str
    text: str


@dataclass(frozen=True)
class Feature:
    subarea: str
    text: str


@dataclass(frozen=True)
class ItemFigures:
    n: int
    mean: float | None
    counts: tuple[int, ...]        # scored values 1..k


@dataclass(frozen=True)
class ItemRow:
    """One item asked in the year (서식3-2) and, for the 교내 보관용, its figures per 평가주체 that answered."""

    survey: str
    code: str
    area: str                      # "Ⅰ. 협력적 학교자치문화"
    subarea: str
    indicator: str
    text: str
    reverse: bool
    answered_by: tuple[str, ...]   # FORM_GROUPS order
    figures: dict[str, ItemFigures] = field(default_factory=dict)
    indicators: tuple[str, ...] = ()  # titles of the 평가지표 linking the item (none: the 지표 cell stays blank)


@dataclass(frozen=True)
class UnitFigures:
    """A pooled 영역 (survey domain) or 세부영역 (factor) figure of one 평가주체 (교내 보관용)."""

    label: str
    n: int
    answers: int
    mean: float | None
    rounded: float | None
    level: str | None


@dataclass(frozen=True)
class GroupSection:
    group: str
    n: int
    small: bool                    # under MIN_GROUP_N: figures stay in the school, marked
    domains: tuple[UnitFigures, ...]
    factors: tuple[UnitFigures, ...]
    items: tuple[ItemRow, ...]
    by_survey: tuple[tuple[str, int], ...] = ()  # (survey title, respondents) of every survey the group took

    @property
    def respondents(self) -> str:
        """"응답자 120명", or each survey's count when they differ (a group answers each survey apart)."""
        return respondents_text(self.n, self.by_survey)


def respondents_text(n: int, by_survey: tuple[tuple[str, int], ...]) -> str:
    if len({count for _, count in by_survey}) <= 1:
        return f"응답자 {n}명"
    return "응답자 " + " · ".join(f"{title} {count}명" for title, count in by_survey)


@dataclass(frozen=True)
class ThemeRow:
    """One comment theme of a survey as it may be printed (themes.publishable)."""

    label: str
    keywords: tuple[str, ...]
    comments: int                  # the sum of the cells shown, so no hidden cell can be worked out
    by_group: dict[str, int | str] # group → comments, or "n<5"
    quotes: tuple[tuple[str, str], ...]  # (group, masked text)


@dataclass(frozen=True)
class SurveyThemes:
    survey: str                    # title
    groups: dict[str, dict]        # group → {"respondents", "comments"} (or "n<5")
    themes: tuple[ThemeRow, ...]   # 기타 last, when it has comments


@dataclass
class SchoolReportView:
    kind: str
    school: str
    year: int
    areas: list[tuple[str, str]]   # (Ⅰ, title)
    level_labels: list[str]        # 매우 우수, 우수, 보통, 미흡 (empty when the year has none)
    scale_points: int
    grid: dict[tuple[str, str], AreaCell]
    findings: list[Finding]
    features: list[Feature]
    items: list[ItemRow]
    groups: list[GroupSection]
    surveys: list[str]             # titles of the surveys read
    notes: list[str]
    themes: list[SurveyThemes] = field(default_factory=list)  # 교내 보관용 only

    def has_answers(self) -> bool:
        return bool(self.surveys)


def prepare(ws, data: YearData, kind: str) -> SchoolReportView:
    """The view of the year for `kind` (SUBMISSION or INTERNAL). Reads texts the YearData lacks."""
    gb = data.guidebook
    surveys = [s for s in data.surveys if s.survey.scoring == GUIDEBOOK_SCORING]
    notes: list[str] = []
    grid = area_grid(gb, data.levels, surveys, notes)
    items = item_rows(gb, surveys, with_figures=kind == INTERNAL)
    return SchoolReportView(
        kind=kind, school=data.school.name, year=data.year,
        areas=[(AREA_KEYS[i], a.title) for i, a in enumerate(gb.areas[:len(AREA_KEYS)])],
        level_labels=[lv.label for lv in data.levels.levels] if data.levels else [],
        scale_points=surveys[0].survey.scale.points if surveys else 5,
        grid=grid, findings=findings(ws, data), features=features(ws, data),
        items=items, groups=group_sections(gb, surveys, items) if kind == INTERNAL else [],
        surveys=[s.survey.title for s in surveys], notes=notes,
        themes=comment_theme_tables(ws, data.year, surveys) if kind == INTERNAL else [])


def comment_theme_tables(ws, year: int, surveys: list[SurveyResult]) -> list[SurveyThemes]:
    """Each survey's 학년말 comment themes as they may be printed (see the module docstring)."""
    from ..forms.groups import group_order
    from ..forms.periods import DOCUMENT_PERIOD
    from ..themes import comment_themes, publishable
    out = []
    for sr in surveys:
        if not sr.survey.open_questions:
            continue
        result = comment_themes(ws, sr.id, year=year, period=DOCUMENT_PERIOD)
        if not result.comments:
            continue
        pub = publishable(result)
        groups = sorted(pub["groups"], key=lambda g: (group_order(g), g))
        rows = []
        for t in pub["themes"] + [pub["other"]]:
            cells = {g: t["by_group"][g]["comments"] for g in groups}
            shown = sum(v for v in cells.values() if isinstance(v, int))
            if not shown and all(v != SUPPRESSED for v in cells.values()):
                continue
            quotes = () if t is pub["other"] else tuple((q["group"], q["text"]) for q in t["quotes"])
            rows.append(ThemeRow(t["label"], tuple(t["keywords"]), shown, cells, quotes))
        out.append(SurveyThemes(sr.survey.title, {g: pub["groups"][g] for g in groups}, tuple(rows)))
    return out


def area_grid(gb: Guidebook, levels: SurveyLevels | None, surveys: list[SurveyResult],
              notes: list[str]) -> dict[tuple[str, str], AreaCell]:
    """Every (영역, 평가주체) cell of 서식3-1 (1); see the module docstring for how surveys combine."""
    keys = [AREA_KEYS[i] for i in range(min(len(gb.areas), len(AREA_KEYS)))]
    parts: dict[tuple[str, str], list] = {}
    took_part: set[str] = set()
    for sr in surveys:
        for g in sr.counts:
            took_part.add(g)
            for d in sr.survey.domains:
                if not any(f.items_for(g) for f in d.factors):
                    continue
                key = area_of(d, gb.areas)
                if not key:
                    notes.append(f"'{sr.survey.title}'의 영역 '{d.title}'은(는) 가이드북 영역에 대응하지 않아 "
                                 "영역별 결과에서 빠졌습니다.")
                    continue
                parts.setdefault((key, g), []).append((sr, d))
    out = {}
    for key in keys:
        for g in FORM_GROUPS:
            contrib = parts.get((key, g), [])
            if not contrib:
                out[key, g] = AreaCell(key, g, NOT_ASKED if g in took_part else ABSENT)
                continue
            out[key, g] = _combined(key, g, contrib, levels)
    return out


def _combined(key: str, g: str, contrib: list, levels: SurveyLevels | None) -> AreaCell:
    n = max(sr.counts[g] for sr, _ in contrib)
    ids = tuple(dict.fromkeys(sr.id for sr, _ in contrib))
    if suppressed(n):
        return AreaCell(key, g, HIDDEN, n=n, surveys=ids)
    figs = [(sr, d, sr.stats["groups"][g]["domains"].get(d.code)) for sr, d in contrib]
    figs = [(sr, d, f) for sr, d, f in figs if f and f.get("answers")]
    if not figs:
        return AreaCell(key, g, NO_ANSWERS, n=n, surveys=ids)
    if len(figs) == 1:
        fig = figs[0][2]
    else:
        k = figs[0][0].survey.scale.points
        counts = {v: 0 for v in range(1, k + 1)}
        for sr, d, _ in figs:
            if sr.survey.scale.points != k:
                continue  # answers on another scale cannot be pooled; the first survey's scale wins
            item_stats = sr.stats["groups"][g]["items"]
            for f in d.factors:
                for item in f.items_for(g):
                    for v, c in (item_stats.get(item.code) or {}).get("counts", {}).items():
                        counts[int(v)] += c
        fig = pooled(counts, max(f["n"] for _, _, f in figs), k, levels)
    return AreaCell(key, g, LEVEL, n=n, answers=fig["answers"], mean=fig["mean"], rounded=fig["rounded"],
                    level=fig["level"], surveys=ids)


def subarea_labels(gb: Guidebook) -> dict[str, str]:
    """세부영역 code → its label in the 학교평가서 ("Ⅰ-1. 소통과 협력의 학교자치")."""
    return {s.code: subarea_label(a.code, s) for a in gb.areas for s in a.subareas}


def subarea_display(gb: Guidebook, key: str) -> str:
    """The one way the 학교평가서 names a 세부영역: its code, or a survey factor's title that is this year's
    세부영역, as "Ⅰ-1. 소통과 협력의 학교자치"; any other title as it is."""
    labels = subarea_labels(gb)
    if key in labels:
        return labels[key]
    p = place_label(gb, key)
    return labels[p.subarea] if p.kind == EXACT and p.subarea in labels else key


def item_links(gb: Guidebook) -> dict[tuple[str, str], list[str]]:
    """(survey id, item code) → codes of the 평가지표 naming the item in their `survey_items` (guidebook
    order). A whole-survey link ("INSTRUMENT:*") evidences an indicator but places no single item."""
    out: dict[tuple[str, str], list[str]] = {}
    for ind in gb.indicators():
        for link in ind.survey_items:
            sid, _, code = link.partition(":")
            if code and code != "*":
                out.setdefault((sid, code), []).append(ind.code)
    return out


def findings(ws, data: YearData) -> list[Finding]:
    """서식3-1 (2): achievements → 우수한 점, shortcomings and improvements → 개선할 점, support_needed → 지원."""
    labels = subarea_labels(data.guidebook)
    support = {e.indicator: e.support_needed for e in selfeval.entries(ws, data.year)}
    out: list[Finding] = []
    for ind in data.indicators:
        sub = labels.get(ind.subarea, ind.subarea_title)
        if ind.achievements.strip():
            out.append(Finding(STRENGTH, sub, ind.title, ind.achievements.strip()))
        improve = "\n".join(t.strip() for t in (ind.shortcomings, ind.improvements) if t.strip())
        if improve:
            out.append(Finding(IMPROVEMENT, sub, ind.title, improve))
        if (support.get(ind.code) or "").strip():
            out.append(Finding(SUPPORT, sub, ind.title, support[ind.code].strip()))
    order = {k: i for i, k in enumerate(FINDING_KINDS)}
    return sorted(out, key=lambda f: order[f.kind])  # stable: guidebook order inside each 구분


def features(ws, data: YearData) -> list[Feature]:
    """서식3-1 (3): the 세부영역 with a 특색사례, in guidebook order."""
    texts = selfeval.features(ws, data.year)
    labels = subarea_labels(data.guidebook)
    return [Feature(labels[code], texts[code]) for code in labels if code in texts]


def _place(gb: Guidebook, item: Item, domain, factor, linked: Sequence[str] = ()) -> tuple[str, str, tuple[str, ...]]:
    """(영역, 세부영역, 평가지표 titles) of an item. An item belongs to the 평가지표 that link it (its `indicator`
    field, the indicators' `survey_items`: `linked`), placed where the first of them is; an item no 평가지표
    links is placed by its survey domain and factor, with no 평가지표."""
    titles = area_titles(gb.areas)
    located = []
    for code in dict.fromkeys([*([item.indicator] if item.indicator else []), *linked]):
        try:
            located.append(gb.locate(code))
        except KeyError:
            continue
    if located:
        area, sub, _ = located[0]
        i = gb.areas.index(area)
        key = AREA_KEYS[i] if i < len(AREA_KEYS) else ""
        return (f"{key}. {area.title}" if key else area.title, subarea_label(area.code, sub),
                tuple(ind.title for _, _, ind in located))
    key = area_of(domain, gb.areas)
    return (f"{key}. {titles[key]}" if key else domain.title), subarea_display(gb, factor.title), ()


def item_rows(gb: Guidebook, surveys: list[SurveyResult], *, with_figures: bool) -> list[ItemRow]:
    """서식3-2: each item at least one 평가주체 answered, ○ per 평가주체 with answers to it."""
    out = []
    links = item_links(gb)
    for sr in surveys:
        for d in sr.survey.domains:
            for f in d.factors:
                for item in f.items:
                    st = {g: sr.stats["groups"][g]["items"].get(item.code) for g in FORM_GROUPS
                          if g in sr.stats["groups"] and item.applies_to(g)}
                    answered = tuple(g for g in FORM_GROUPS if (st.get(g) or {}).get("n"))
                    if not answered:
                        continue
                    area, sub, inds = _place(gb, item, d, f, links.get((sr.id, item.code), []))
                    figs = {g: ItemFigures(st[g]["n"], st[g]["mean"],
                                           tuple(st[g]["counts"].get(str(v), 0)
                                                 for v in range(1, sr.survey.scale.points + 1)))
                            for g in answered} if with_figures else {}
                    out.append(ItemRow(sr.id, item.code, area, sub, "\n".join(inds), item.text, item.reverse,
                                       answered, figs, inds))
    return out


def group_sections(gb: Guidebook, surveys: list[SurveyResult], items: list[ItemRow]) -> list[GroupSection]:
    """교내 보관용: per 평가주체 that took part, its pooled 영역/세부영역 figures and its items' figures."""
    out = []
    for g in FORM_GROUPS:
        taking = [sr for sr in surveys if g in sr.counts]
        if not taking:
            continue
        doms, facs = [], []
        for sr in taking:
            st = sr.stats["groups"][g]
            for d in sr.survey.domains:
                fig = st["domains"].get(d.code)
                if fig and fig.get("answers"):
                    key = area_of(d, gb.areas)
                    doms.append(_unit(f"{key}. {d.title}" if key and not d.title.startswith(key) else d.title, fig))
                for f in d.factors:
                    fig = st["factors"].get(f.code)
                    if fig and fig.get("answers"):
                        facs.append(_unit(subarea_display(gb, f.title), fig))
        n = max(sr.counts[g] for sr in taking)
        out.append(GroupSection(g, n, suppressed(n), tuple(doms), tuple(facs),
                                tuple(r for r in items if g in r.figures),
                                tuple((sr.survey.title, sr.counts[g]) for sr in taking)))
    return out


def _unit(label: str, fig: dict) -> UnitFigures:
    return UnitFigures(label, fig["n"], fig["answers"], fig["mean"], fig["rounded"], fig["level"])


def cell_text(cell: AreaCell) -> str:
    """What the grid shows for a cell outside the tick columns: "n<5" or nothing."""
    return SUPPRESSED if cell.state == HIDDEN else ""
