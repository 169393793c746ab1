"""The 학교조직진단(SODI) 결과 보고서 as data (prepared view): every figure, ranking and note computed, nothing
laid out. The section functions in `sodi_report.py` lay this view out.

Which answers: the 학년말 answers of one survey of the year (`data.collect`), scored by the respondent rule.
Only the groups `data` may show (n ≥ MIN_GROUP_N) have figures here; a suppressed group appears by name and
"n<5" only. Score lists run over `shown`, in that order, with None where a group has no such figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import SchoolVaultError
from ..forms.scoring import MIN_GROUP_N, alpha_note
from .charts import factor_series
from .data import (
    Comment,
    SurveyResult,
    YearData,
    comments,
    imported_benchmark,
    pick_comments,
    respondent_counts,
    response_rates,
    scoring_note,
)
from .evaluation_report import LEVEL_NAMES, district_name

GAP_NOTE = 10.0     # a group gap of this many 100-point points is worth a conversation
LOW_ALPHA = 0.6     # below this, items of a factor were probably read differently
TOP_K = 3

Scores = tuple[float | None, ...]  # one figure per shown group


@dataclass(frozen=True)
class Participation:
    group: str
    n: str                          # as documents print it ("n<5" for a hidden group)
    shown: bool
    rate: str | None                # 응답률 as printed; None when the school entered no count asked


@dataclass(frozen=True)
class RankedFactor:
    code: str
    title: str
    score: float                    # 100-point


@dataclass(frozen=True)
class Gap:
    """A factor's largest difference between two shown groups (100-point)."""

    code: str
    title: str
    high: str
    high_score: float
    low: str
    low_score: float
    diff: float


@dataclass(frozen=True)
class ScoreRow:
    title: str
    scores: Scores                  # 100-point
    gap: float | None = None        # largest minus smallest, with two groups or more


@dataclass(frozen=True)
class DomainRows:
    title: str
    factors: tuple[ScoreRow, ...]


@dataclass(frozen=True)
class GroupExtremes:
    group: str
    top: tuple[RankedFactor, ...]
    bottom: tuple[RankedFactor, ...]  # lowest first


@dataclass(frozen=True)
class ItemRow:
    code: str
    text: str
    reverse: bool
    cells: tuple[tuple[float | None, float | None] | None, ...]  # (mean, positive rate); None: not answered


@dataclass(frozen=True)
class ItemFactor:
    title: str
    items: tuple[ItemRow, ...]


@dataclass(frozen=True)
class ItemDomain:
    title: str
    factors: tuple[ItemFactor, ...]


@dataclass(frozen=True)
class AlphaRow:
    title: str
    cells: tuple[tuple[float, int | None] | None, ...]  # (α, respondents); None: no α


@dataclass(frozen=True)
class BenchmarkRow:
    title: str
    mean: float                     # the school's all-groups 5-point mean
    reference: float | None         # the benchmark's mean
    percentile: float | None
    groups: tuple[float | None, ...]  # per benchmark group


@dataclass(frozen=True)
class Benchmark:
    groups: tuple[str, ...]         # shown groups the benchmark has figures for
    rows: tuple[BenchmarkRow, ...]


@dataclass(frozen=True)
class CommentBlock:
    question: str
    rows: tuple[tuple[str, str], ...]  # (group, masked text)


@dataclass(frozen=True)
class SodiReportView:
    year: int
    school: str
    level: str                      # 학교급 in words
    district: str                   # 소속 in words
    made: dt.date
    instrument: str                 # the survey's id
    survey: str                     # its title
    points: int
    top_labels: tuple[str, ...]     # the scale's two highest labels (positive rate)
    shown: tuple[str, ...]
    suppressed: tuple[str, ...]
    respondents: tuple[tuple[str, str], ...]  # every group with answers, n as printed
    participation: tuple[Participation, ...]
    with_rates: bool
    over_asked: bool
    top: tuple[RankedFactor, ...]
    bottom: tuple[RankedFactor, ...]  # lowest first
    gaps: tuple[Gap, ...]           # largest first
    profile: tuple[list[str], list[tuple[str, list]]]  # factor titles, per group its 100-point scores
    domains: tuple[ScoreRow, ...]
    comparison: tuple[DomainRows, ...]  # shown only with two shown groups or more
    extremes: tuple[GroupExtremes, ...]
    items: tuple[ItemDomain, ...]
    alphas: tuple[AlphaRow, ...]
    alpha_notes: tuple[str, ...]
    low_alpha: tuple[str, ...]      # factor titles with an α under LOW_ALPHA in some group
    benchmark: Benchmark | None
    comments: tuple[CommentBlock, ...]
    comments_auto: bool             # picked by the program, the school chose none
    methodology: dict               # the context of methodology.j2

    @property
    def big_gaps(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.diff >= GAP_NOTE)[:3]


def prepare(ws, data: YearData, *, instrument: str | None, benchmark: dict | None) -> SodiReportView:
    """The view of the year's SODI survey (`find_sodi`). benchmark None: the one imported into the workspace."""
    sr = find_sodi(data.surveys, instrument)
    if benchmark is None:
        benchmark = imported_benchmark(ws)
    inst, s = sr.survey, data.school
    rates = response_rates(sr)
    counts = respondent_counts([sr])[0][1]
    ranked = _ranked(sr)
    picked, auto = pick_comments(comments(ws, sr))
    entries = benchmark_entries(benchmark, s.level, sr)
    return SodiReportView(
        year=data.year, school=s.name, level=LEVEL_NAMES.get(s.level, s.level), district=district_name(s.district),
        made=dt.date.today(), instrument=sr.id, survey=inst.title, points=inst.scale.points, top_labels=tuple(inst.scale.labels[-2:]),
        shown=tuple(sr.shown), suppressed=tuple(sr.suppressed), respondents=tuple(counts),
        participation=tuple(Participation(g, n, g in sr.shown, rates[g] if rates is not None else None)
                            for g, n in counts),
        with_rates=rates is not None, over_asked=rates is not None and any(v.endswith("※") for v in rates.values()),
        top=tuple(ranked[:TOP_K]), bottom=tuple(reversed(ranked[-TOP_K:])), gaps=tuple(gaps(sr)),
        profile=factor_series(inst, sr.stats, sr.shown),
        domains=tuple(ScoreRow(d.title, _scores(sr, "domains", d.code)) for d in inst.domains),
        comparison=comparison(sr), extremes=extremes(sr), items=items(sr), **alphas(sr),
        benchmark=benchmark_table(sr, entries) if entries else None,
        comments=comment_blocks(picked), comments_auto=auto,
        methodology={"rating_labels": data.guidebook.rating.labels, "points": inst.scale.points,
                     "top_labels": list(inst.scale.labels[-2:]), "min_n": MIN_GROUP_N,
                     **scoring_note(data, [inst])})


def find_sodi(surveys: list[SurveyResult], instrument: str | None) -> SurveyResult:
    """The organisational-diagnosis survey to report: the named one, else the one whose id says sodi."""
    if instrument:
        hit = next((s for s in surveys if s.id == instrument), None)
        if hit is None:
            raise SchoolVaultError(f"'{instrument}' 설문의 올해 응답이 없습니다.",
                                   hint="응답이 있는 설문: " + (", ".join(s.id for s in surveys) or "없음"))
        return hit
    hits = [s for s in surveys if "sodi" in s.id.lower()]
    if not hits:
        raise SchoolVaultError("학교조직진단(SODI) 설문 응답이 없습니다.",
                               hint="응답을 먼저 가져오거나 --instrument로 설문을 지정하세요. 응답이 있는 설문: "
                                    + (", ".join(s.id for s in surveys) or "없음"))
    return hits[-1]


def _factor_values(sr: SurveyResult, code: str, key: str) -> list[tuple[str, float]]:
    """(group, figure) of a factor for the shown groups that have one."""
    out = []
    for g in sr.shown:
        st = sr.stats["groups"][g]["factors"].get(code)
        if st is not None and st[key] is not None:
            out.append((g, st[key]))
    return out


def _overall(sr: SurveyResult, key: str) -> dict[str, float]:
    out = {}
    for f in sr.survey.factors():
        vals = [v for _, v in _factor_values(sr, f.code, key)]
        if vals:
            out[f.code] = sum(vals) / len(vals)
    return out


def overall_scores(sr: SurveyResult) -> dict[str, float]:
    """A factor's all-groups 100-point score: the mean of the shown groups' scores (the district's
    'all-groups value' is defined the same way, so percentiles compare like with like)."""
    return _overall(sr, "score100")


def ranked_factors(sr: SurveyResult) -> list[tuple[str, float]]:
    """Factors for strengths and weaknesses, highest overall score first: only factors every shown group has
    a score for. A factor asked only of 교원/직원 averages other groups than one asked of everyone, so its
    overall score does not rank against theirs (methodology note); it is compared within groups instead."""
    overall = overall_scores(sr)
    everyone = [c for c in overall
                if all((sr.stats["groups"][g]["factors"].get(c) or {}).get("score100") is not None for g in sr.shown)]
    return sorted(((c, overall[c]) for c in everyone), key=lambda x: (-x[1], x[0]))


def _ranked(sr: SurveyResult) -> list[RankedFactor]:
    titles = {f.code: f.title for f in sr.survey.factors()}
    return [RankedFactor(c, titles[c], v) for c, v in ranked_factors(sr)]


def gaps(sr: SurveyResult) -> list[Gap]:
    """Per factor, the largest difference between two shown groups, largest first."""
    out = []
    for f in sr.survey.factors():
        vals = _factor_values(sr, f.code, "score100")
        if len(vals) < 2:
            continue
        hi = max(vals, key=lambda x: x[1])
        lo = min(vals, key=lambda x: x[1])
        out.append(Gap(f.code, f.title, hi[0], hi[1], lo[0], lo[1], hi[1] - lo[1]))
    return sorted(out, key=lambda x: -x.diff)


def _scores(sr: SurveyResult, unit: str, code: str) -> Scores:
    return tuple(sr.stats["groups"][g][unit].get(code, {}).get("score100") for g in sr.shown)


def comparison(sr: SurveyResult) -> tuple[DomainRows, ...]:
    """Factor scores side by side per domain, with the factor's gap (None under two groups with a score)."""
    gap_by = {g.code: g.diff for g in gaps(sr)}
    return tuple(DomainRows(d.title, tuple(ScoreRow(f.title, _scores(sr, "factors", f.code), gap_by.get(f.code))
                                           for f in d.factors))
                 for d in sr.survey.domains)


def extremes(sr: SurveyResult) -> tuple[GroupExtremes, ...]:
    """Each shown group's own highest and lowest factors (every factor asked of the group counts)."""
    out = []
    for g in sr.shown:
        fs = sorted((RankedFactor(f.code, f.title, st["score100"]) for f in sr.survey.factors()
                     if (st := sr.stats["groups"][g]["factors"].get(f.code)) and st["score100"] is not None),
                    key=lambda x: -x.score)
        out.append(GroupExtremes(g, tuple(fs[:TOP_K]), tuple(reversed(fs[-TOP_K:]))))
    return tuple(out)


def items(sr: SurveyResult) -> tuple[ItemDomain, ...]:
    """Each item's mean and positive rate per shown group, by domain and factor."""
    def cell(g: str, code: str) -> tuple[float | None, float | None] | None:
        st = sr.stats["groups"][g]["items"].get(code)
        return (st["mean"], st["positive_rate"]) if st and st["n"] else None

    return tuple(ItemDomain(d.title, tuple(
        ItemFactor(f.title, tuple(ItemRow(i.code, i.text, i.reverse, tuple(cell(g, i.code) for g in sr.shown))
                                  for i in f.items))
        for f in d.factors)) for d in sr.survey.domains)


def alphas(sr: SurveyResult) -> dict:
    """Cronbach α per factor and shown group, the warnings `alpha_note` gives, and the factors read doubtfully."""
    rows, notes, low = [], [], []
    for f in sr.survey.factors():
        cells: list[tuple[float, int | None] | None] = []
        for g in sr.shown:
            st = sr.stats["groups"][g]["factors"].get(f.code)
            if not st or st.get("alpha") is None:
                cells.append(None)
                continue
            cells.append((st["alpha"], st["alpha_n"]))
            note = alpha_note(st["alpha"], st["alpha_n"])
            if note:
                notes.append(f"※ {f.title} ({g}): {note}")
            if st["alpha"] < LOW_ALPHA and f.title not in low:
                low.append(f.title)
        rows.append(AlphaRow(f.title, tuple(cells)))
    return {"alphas": tuple(rows), "alpha_notes": tuple(notes), "low_alpha": tuple(low)}


def benchmark_entries(benchmark: dict | None, level: str, sr: SurveyResult) -> dict[str, dict]:
    """Benchmark ENTRYs of this survey's factors for the school's level, by factor code.

    Accepts the district file's levels ({level: {"factors": {KEY: ENTRY}}}, KEY = code or
    "instrument:code") and the plain form {level: {factor_code: {"mean", "sd", "percentiles"}}}.
    """
    if not benchmark or level not in benchmark:
        return {}
    lv = benchmark[level]
    factors = lv.get("factors", lv) if isinstance(lv, dict) else {}
    out = {}
    for f in sr.survey.factors():
        e = factors.get(f"{sr.id}:{f.code}") or factors.get(f.code)
        if isinstance(e, dict) and "mean" in e:
            out[f.code] = e
    return out


def percentile(value, entry) -> float | None:
    """The school's percentile among the benchmark's schools (the district's own rule)."""
    from ..district.benchmark import percentile_of
    return percentile_of(value, entry)


def benchmark_table(sr: SurveyResult, entries: dict[str, dict]) -> Benchmark:
    """Percentiles of the all-groups 5-point mean (and of each group's) against the benchmark's schools."""
    means = _overall(sr, "mean")
    groups = tuple(g for g in sr.shown if any(g in (e.get("groups") or {}) for e in entries.values()))
    rows = []
    for f in sr.survey.factors():
        e = entries.get(f.code)
        if e is None or f.code not in means:
            continue
        per_group = []
        for g in groups:
            ge = (e.get("groups") or {}).get(g)
            gs = sr.stats["groups"][g]["factors"].get(f.code, {}).get("mean")
            per_group.append(percentile(gs, ge) if ge else None)
        rows.append(BenchmarkRow(f.title, means[f.code], e.get("mean"), percentile(means[f.code], e),
                                 tuple(per_group)))
    return Benchmark(groups, tuple(rows))


def comment_blocks(picked: list[Comment]) -> tuple[CommentBlock, ...]:
    """The picked comments by question, in the order the questions first appear."""
    return tuple(CommentBlock(next(c.question_text for c in picked if c.question == q),
                              tuple((c.group, c.text) for c in picked if c.question == q))
                 for q in dict.fromkeys(c.question for c in picked))
