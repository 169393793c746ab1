"""학교조직진단(SODI) 결과 보고서: the diagnostic report a consulting team discusses with the staff.

Response overview, domain and factor profile (radar and bars, 100-point scores), group comparison
and gaps, strongest and weakest factors, item detail, reliability (α), benchmark percentiles when
a district benchmark is given or imported, and questions for the consulting conversation.

`sodi_report(ws, out)` reads the year once (`sodi_report_view.prepare`) and lays the view out with the
section functions below: formatting a figure for print happens here, nothing is computed.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from ..forms.scoring import MIN_GROUP_N, OVER_ASKED, SUPPRESSED, alpha_text
from ..progress import NULL_PROGRESS
from ..workspace.auditlog import record_export
from . import narrative
from .charts import bar_chart, radar_chart
from .data import collect
from .pdf_common import (
    BODY_W,
    box,
    cover,
    fmt_num,
    fmt_pct,
    fmt_score,
    h1,
    h2,
    keep,
    markup,
    new_page_if_short,
    para,
    table,
    toc,
    write_report,
)
from .sodi_report_view import GAP_NOTE, LOW_ALPHA, TOP_K, Benchmark, RankedFactor, SodiReportView, prepare


def sodi_report(ws, out: str | Path, *, instrument: str | None = None, year: int | None = None,
                benchmark: dict | None = None, progress=NULL_PROGRESS) -> dict:
    """Write the 학교조직진단 결과 보고서 (PDF) of the year's SODI survey to `out`.

    benchmark (HOOK): {level: {factor_code: {"mean", "sd", "percentiles": {"10": v, …}}}} or the
    levels of a district benchmark file; None uses the benchmark imported into the workspace, if
    any. When present, a section shows the school's percentile per factor.
    Returns {"file", "pages", "bytes", "instrument"}. Raises SchoolVaultError without SODI answers.
    """
    progress.report(0, 6, "자료 읽는 중")
    view = prepare(ws, collect(ws, year), instrument=instrument, benchmark=benchmark)
    result = write_report(out, sodi_story(view, progress=progress), title=_title(view),
                          header_right=f"{view.school} · {view.year}학년도", progress=progress)
    result["instrument"] = view.instrument
    record_export(ws, "sodi_report", out, year=view.year, instrument=view.instrument)
    return result


def sodi_story(view: SodiReportView, *, progress=NULL_PROGRESS) -> list:
    """The report's flowables, section by section; the numbering after 6 depends on the benchmark."""
    story = _cover(view) + toc() + _responses(view)
    progress.report(1, 6, "프로필 그리는 중")
    story += _profile(view)
    progress.report(2, 6, "집단 비교 정리 중")
    story += _comparison(view) + _strengths(view)
    progress.report(3, 6, "문항별 결과 정리 중")
    story += _items(view)
    progress.report(4, 6, "신뢰도 정리 중")
    story += _reliability(view)
    number = 7
    if view.benchmark is not None:
        story += _benchmark(view.benchmark, number)
        number += 1
    story += _questions(view, number) + _method(view, number + 1)
    progress.report(5, 6, "PDF 만드는 중")
    return story


def _title(view: SodiReportView) -> str:
    return f"{view.year}학년도 학교조직진단 결과 보고서"


def _cover(view: SodiReportView) -> list:
    made = view.made
    return cover(_title(view), view.survey, view.school,
                 [("학교급", view.level), ("소속", view.district), ("학년도", f"{view.year}학년도"),
                  ("작성일", f"{made.year}. {made.month}. {made.day}.")],
                 note="응답자 5명 미만 집단의 결과는 싣지 않았습니다. 결과는 학교 구성원이 함께 해석하고 "
                      "개선 과제를 정하는 데 쓰도록 만든 자료입니다.")


def _responses(view: SodiReportView) -> list:
    """1. 응답 현황: the summary sentences and who answered (응답률 when the school entered who was asked)."""
    summary = narrative.render("sodi_summary.j2", year=view.year, respondents=list(view.respondents),
                               suppressed=list(view.suppressed), min_n=MIN_GROUP_N, top=list(view.top),
                               bottom=list(view.bottom), gap=view.gaps[0] if view.gaps else None)
    out = [PageBreak(), h1("1. 응답 현황"), box([markup(p) for p in summary]), Spacer(1, 4 * mm)]
    result = {p.group: "공개" if p.shown else f"비공개 ({SUPPRESSED})" for p in view.participation}
    if not view.with_rates:
        return out + [table(["응답 집단", "응답자 수", "결과"], [[p.group, p.n, result[p.group]] for p in view.participation],
                            [40 * mm, 30 * mm, 40 * mm], align="lrc")]
    note = "응답률은 학교가 입력한 대상자 수에 대한 응답자의 비율입니다."
    if view.over_asked:
        note += f" ※ {OVER_ASKED}: 대상자 수를 확인하세요."
    return out + [table(["응답 집단", "응답자 수", "응답률", "결과"],
                        [[p.group, p.n, p.rate, result[p.group]] for p in view.participation],
                        [40 * mm, 30 * mm, 30 * mm, 40 * mm], align="lrrc"),
                  para(note, "small")]


def _profile(view: SodiReportView) -> list:
    """2. 영역·요인 프로필: a radar of the factors (three or more), domain scores, factor bars."""
    out: list = [PageBreak(), h1("2. 영역·요인 프로필")]
    if not view.shown:
        return out + [para(f"모든 집단의 응답자가 {MIN_GROUP_N}명 미만이어서 결과를 싣지 않았습니다.")]
    labels, series = view.profile
    radar = len(labels) >= 3  # a radar of one or two spokes says nothing: the bars below show them
    if radar:
        out += [h2("요인 프로필 (100점 환산)"),
                para("요인 점수를 100점으로 환산하여 집단별로 겹쳐 그렸습니다. 바깥으로 갈수록 높은 점수입니다. 그 집단에 묻지 않은 요인에서는 선이 끊깁니다.", "small"),
                radar_chart(labels, series, size=330)]
    n = len(view.shown)
    w = (BODY_W - 60 * mm) / n
    out += [h2("영역 점수 (100점 환산)"),
            table(["영역", *view.shown], [[d.title] + [fmt_score(v) for v in d.scores] for d in view.domains],
                  [60 * mm] + [w] * n, align="l" + "r" * n)]
    return out + ([PageBreak()] if radar else []) + [
        h2("요인 점수 (100점 환산)"), bar_chart(labels, series, width=BODY_W, label_width=120, bar=5.2)]


def _comparison(view: SodiReportView) -> list:
    """3. 집단 비교와 차이: factor scores side by side with the gap, a large gap in bold."""
    out: list = [PageBreak(), h1("3. 집단 비교와 차이")]
    if len(view.shown) < 2:
        return out + [para("비교할 수 있는 집단(응답자 5명 이상)이 둘 이상일 때 집단 비교를 싣습니다.")]
    out.append(para(f"요인별 집단 점수(100점 환산)와 가장 높은 집단과 가장 낮은 집단의 차이입니다. "
                    f"차이가 {GAP_NOTE:.0f}점 이상이면 굵게 표시했습니다.", "small"))
    rows: list[list] = []
    bold, spans = [], []
    for d in view.comparison:
        spans.append(len(rows))
        rows.append([d.title])
        for f in d.factors:
            if f.gap is not None and f.gap >= GAP_NOTE:
                bold.append(len(rows))
            rows.append([f.title] + [fmt_score(v) for v in f.scores] + [fmt_score(f.gap) if f.gap is not None else "–"])
    n = len(view.shown) + 1
    w = (BODY_W - 62 * mm) / n
    return out + [table(["요인", *view.shown, "차이"], rows, [62 * mm] + [w] * n, align="l" + "r" * n,
                        spans=spans, bold_rows=bold)]


def _strengths(view: SodiReportView) -> list:
    """4. 강점 요인과 보완 요인: over all groups, then each group's own highest and lowest factors."""
    out: list = [new_page_if_short(90), h1("4. 강점 요인과 보완 요인"),
                 para("전체 점수는 공개된 집단 점수의 평균입니다.", "small")]
    rows = []
    for i in range(max(len(view.top), len(view.bottom))):
        a = view.top[i] if i < len(view.top) else None
        b = view.bottom[i] if i < len(view.bottom) else None
        rows.append([a.title if a else "", fmt_score(a.score) if a else "",
                     b.title if b else "", fmt_score(b.score) if b else ""])
    out.append(table(["강점 (높은 요인)", "점수", "보완 (낮은 요인)", "점수"], rows,
                     [BODY_W / 2 - 18 * mm, 18 * mm, BODY_W / 2 - 18 * mm, 18 * mm], align="lrlr"))
    if not view.shown:
        return out

    def listed(fs: tuple[RankedFactor, ...]) -> str:
        return ", ".join(f"{f.title} {f.score:.0f}" for f in fs)

    rows = [[e.group, listed(e.top), listed(e.bottom)] for e in view.extremes]
    half = (BODY_W - 18 * mm) / 2
    return out + [h2("집단별 상위·하위 요인", toc=False),
                  table(["집단", f"상위 {TOP_K}개 요인", f"하위 {TOP_K}개 요인"], rows, [18 * mm, half, half],
                        align="cll")]


def _items(view: SodiReportView) -> list:
    """5. 문항별 결과: per domain, each item's mean and positive rate by group."""
    out = [PageBreak(), h1("5. 문항별 결과"),
           para(f"칸마다 평균({view.points}점 만점)과 긍정률({'·'.join(view.top_labels)} 비율)입니다. "
                "(역)은 역문항으로, 점수를 뒤집어 "
                "계산했습니다. 그 집단에 묻지 않은 문항은 빈칸입니다.", "small")]
    n = len(view.shown)
    w = (BODY_W - 80 * mm) / max(1, n)
    for d in view.items:
        rows: list[list] = []
        spans = []
        for f in d.factors:
            spans.append(len(rows))
            rows.append([f.title])
            for item in f.items:
                cells = [f"{fmt_num(c[0])} · {fmt_pct(c[1])}" if c else "" for c in item.cells]
                rows.append([f"{item.code} {item.text}" + (" (역)" if item.reverse else "")] + cells)
        out += [h2(d.title), table(["문항", *view.shown], rows, [80 * mm] + [w] * n, align="l" + "c" * n,
                                   spans=spans, font_size=7.6)]
    return out


def _reliability(view: SodiReportView) -> list:
    """6. 신뢰도: Cronbach α per factor and group, with the warnings beneath."""
    n = len(view.shown)
    w = (BODY_W - 62 * mm) / max(1, n)
    rows = [[a.title] + [alpha_text(*c) if c else "–" for c in a.cells] for a in view.alphas]
    return [new_page_if_short(80), h1("6. 신뢰도 (Cronbach α)"),
            para(f"요인 문항에 모두 답한 응답자로 계산했습니다 (괄호 안은 응답자 수). α가 {LOW_ALPHA}보다 낮으면 "
                 "해석에 주의합니다. 문항이 하나뿐인 요인은 계산하지 않습니다.", "small"),
            table(["요인", *view.shown], rows, [62 * mm] + [w] * n, align="l" + "r" * n),
            *[para(note, "small") for note in view.alpha_notes]]


def _benchmark(bench: Benchmark, number: int) -> list:
    """Percentiles against a district benchmark, shown only when one is given (HOOK)."""
    groups = bench.groups

    def pct(p: float | None) -> str:
        return "–" if p is None else f"{p:.0f}"

    rows = [[r.title, fmt_num(r.mean), fmt_num(r.reference), pct(r.percentile), *[pct(p) for p in r.groups]]
            for r in bench.rows]
    n = 3 + len(groups)
    return [new_page_if_short(70), h1(f"{number}. 기준 집단과 비교 (백분위)"),
            para("교육청이 공개한 같은 학교급 학교들의 결과와 비교한 위치입니다. 백분위 70은 기준 학교의 70%보다 "
                 "점수가 높다는 뜻입니다. 학교 순위를 매기려는 것이 아니라 우리 학교의 상대적 강점과 보완점을 "
                 "찾기 위한 자료입니다." + (" 백분위는 전체 점수의 위치이고, 집단 이름 아래 칸은 그 집단의 백분위입니다." if groups else ""), "small"),
            table(["요인", "우리 학교 평균", "기준 평균", "백분위", *groups], rows,
                  [56 * mm] + [(BODY_W - 56 * mm) / n] * n, align="l" + "r" * n)]


def _questions(view: SodiReportView, number: int) -> list:
    """Questions for the consulting conversation, then the members' comments (the school's pick)."""
    out = [new_page_if_short(80), h1(f"{number}. 컨설팅 협의를 위한 질문")]
    out += [markup(p) for p in narrative.render("sodi_questions.j2", top=list(view.top), bottom=list(view.bottom),
                                                gaps=list(view.big_gaps), low_alpha=list(view.low_alpha))]
    if not view.comments:
        return out
    lead: list = [h2("구성원 의견", toc=False)]
    for block in view.comments:
        out.append(keep(*lead, para(block.question, "label"), Spacer(1, 1.5 * mm),
                        table(["집단", "의견"], [list(r) for r in block.rows], [18 * mm, BODY_W - 18 * mm],
                              align="cl"), Spacer(1, 3 * mm)))
        lead = []
    if view.comments_auto:
        out.append(para("학교가 고른 의견이 없어 질문마다 서로 다른 의견 몇 개를 프로그램이 골랐습니다.", "small"))
    return out


def _method(view: SodiReportView, number: int) -> list:
    return [new_page_if_short(90), h1(f"{number}. 분석 방법"),
            *[markup(p) for p in narrative.render("methodology.j2", **view.methodology)[1:]]]
