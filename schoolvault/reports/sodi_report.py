"""학교조직진단(SODI) 결과 보고서: the diagnostic report a consulting team discusses with the staff.

Response overview, domain and factor profile (radar and bars, 100-point scores), group comparison
and gaps, strongest and weakest factors, item detail, reliability (α), benchmark percentiles when
a district benchmark is given or imported, and questions for the consulting conversation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from ..errors import SchoolVaultError
from ..forms.scoring import MIN_GROUP_N, OVER_ASKED, SUPPRESSED, alpha_note, alpha_text
from ..progress import NULL_PROGRESS
from ..workspace.auditlog import record_export
from . import narrative
from .charts import bar_chart, factor_series, radar_chart
from .data import (
    SurveyResult,
    collect,
    comments,
    imported_benchmark,
    pick_comments,
    respondent_counts,
    response_rates,
    scoring_note,
)
from .evaluation_report import LEVEL_NAMES, district_name
from .pdf_common import (
    BODY_W,
    ReportDoc,
    box,
    build,
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
    write_pdf,
)

GAP_NOTE = 10.0     # a group gap of this many 100-point points is worth a conversation
LOW_ALPHA = 0.6     # below this, items of a factor were probably read differently
TOP_K = 3


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


def overall_scores(sr: SurveyResult) -> dict[str, float]:
    """A factor's all-groups 100-point score: the mean of the shown groups' scores (the district's
    'all-groups value' is defined the same way, so percentiles compare like with like)."""
    out = {}
    for f in sr.survey.factors():
        vals = [sr.stats["groups"][g]["factors"][f.code]["score100"] for g in sr.shown
                if f.code in sr.stats["groups"][g]["factors"]
                and sr.stats["groups"][g]["factors"][f.code]["score100"] is not None]
        if vals:
            out[f.code] = sum(vals) / len(vals)
    return out


def ranked_factors(sr: SurveyResult) -> list[tuple[str, float]]:
    """Factors for strengths and weaknesses, highest overall score first: only factors every shown group has
    a score for. A factor asked only of 교원/직원 averages other groups than one asked of everyone, so its
    overall score does not rank against theirs (methodology note); it is compared within groups instead."""
    overall = overall_scores(sr)
    everyone = [c for c in overall
                if all((sr.stats["groups"][g]["factors"].get(c) or {}).get("score100") is not None for g in sr.shown)]
    return sorted(((c, overall[c]) for c in everyone), key=lambda x: (-x[1], x[0]))


def _overall_means(sr: SurveyResult) -> dict[str, float]:
    out = {}
    for f in sr.survey.factors():
        vals = [sr.stats["groups"][g]["factors"][f.code]["mean"] for g in sr.shown
                if f.code in sr.stats["groups"][g]["factors"] and sr.stats["groups"][g]["factors"][f.code]["mean"] is not None]
        if vals:
            out[f.code] = sum(vals) / len(vals)
    return out


def gaps(sr: SurveyResult) -> list[dict]:
    """Per factor, the largest difference between two shown groups, largest first."""
    out = []
    for f in sr.survey.factors():
        vals = [(g, sr.stats["groups"][g]["factors"][f.code]["score100"]) for g in sr.shown
                if f.code in sr.stats["groups"][g]["factors"]
                and sr.stats["groups"][g]["factors"][f.code]["score100"] is not None]
        if len(vals) < 2:
            continue
        hi = max(vals, key=lambda x: x[1])
        lo = min(vals, key=lambda x: x[1])
        out.append({"code": f.code, "title": f.title, "high": hi[0], "high_score": hi[1], "low": lo[0],
                    "low_score": lo[1], "diff": hi[1] - lo[1]})
    return sorted(out, key=lambda x: -x["diff"])


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


def _percentile(value, entry) -> float | None:
    from ..district.benchmark import percentile_of
    return percentile_of(value, entry)


def _benchmark_section(sr: SurveyResult, entries: dict[str, dict], number: int) -> list:
    """HOOK (benchmark): percentiles against a district benchmark, shown only when one is given."""
    means = _overall_means(sr)
    groups = [g for g in sr.shown if any(g in (e.get("groups") or {}) for e in entries.values())]
    header = ["요인", "우리 학교 평균", "기준 평균", "백분위"] + groups
    rows = []
    for f in sr.survey.factors():
        e = entries.get(f.code)
        if e is None or f.code not in means:
            continue
        p = _percentile(means[f.code], e)
        row = [f.title, fmt_num(means[f.code]), fmt_num(e.get("mean")), "–" if p is None else f"{p:.0f}"]
        for g in groups:
            ge = (e.get("groups") or {}).get(g)
            gs = sr.stats["groups"][g]["factors"].get(f.code, {}).get("mean")
            gp = _percentile(gs, ge) if ge else None
            row.append("–" if gp is None else f"{gp:.0f}")
        rows.append(row)
    w_rest = (BODY_W - 56 * mm) / (3 + len(groups))
    return [new_page_if_short(70), h1(f"{number}. 기준 집단과 비교 (백분위)"),
            para("교육청이 공개한 같은 학교급 학교들의 결과와 비교한 위치입니다. 백분위 70은 기준 학교의 70%보다 "
                 "점수가 높다는 뜻입니다. 학교 순위를 매기려는 것이 아니라 우리 학교의 상대적 강점과 보완점을 "
                 "찾기 위한 자료입니다." + (" 백분위는 전체 점수의 위치이고, 집단 이름 아래 칸은 그 집단의 백분위입니다." if groups else ""), "small"),
            table(header, rows, [56 * mm] + [w_rest] * (3 + len(groups)), align="l" + "r" * (3 + len(groups)))]


def build_sodi_story(ws, data, sr: SurveyResult, *, benchmark: dict | None, progress=NULL_PROGRESS) -> list:
    s = data.school
    today = dt.date.today()
    inst = sr.survey
    story = cover(f"{data.year}학년도 학교조직진단 결과 보고서", inst.title, s.name,
                  [("학교급", LEVEL_NAMES.get(s.level, s.level)), ("소속", district_name(s.district)),
                   ("학년도", f"{data.year}학년도"), ("작성일", f"{today.year}. {today.month}. {today.day}.")],
                  note="응답자 5명 미만 집단의 결과는 싣지 않았습니다. 결과는 학교 구성원이 함께 해석하고 "
                       "개선 과제를 정하는 데 쓰도록 만든 자료입니다.")
    story += toc()
    ranked = ranked_factors(sr)
    titles = {f.code: f.title for f in inst.factors()}
    top = [{"code": c, "title": titles[c], "score": v} for c, v in ranked[:TOP_K]]
    bottom = [{"code": c, "title": titles[c], "score": v} for c, v in reversed(ranked[-TOP_K:])] if ranked else []
    gap_list = gaps(sr)
    big_gaps = [g for g in gap_list if g["diff"] >= GAP_NOTE][:3]

    # 1. responses
    story += [PageBreak(), h1("1. 응답 현황")]
    counts = respondent_counts([sr])[0][1]
    ctx = {"year": data.year, "respondents": counts, "suppressed": sr.suppressed,
           "min_n": MIN_GROUP_N, "top": top, "bottom": bottom, "gap": gap_list[0] if gap_list else None}
    story.append(box([markup(p) for p in narrative.render("sodi_summary.j2", **ctx)]))
    story.append(Spacer(1, 4 * mm))
    rows = [[g, n, "공개" if g in sr.shown else f"비공개 ({SUPPRESSED})"] for g, n in counts]
    rates = response_rates(sr)  # None: the school entered no count asked, so no 응답률 column
    if rates is None:
        story.append(table(["응답 집단", "응답자 수", "결과"], rows, [40 * mm, 30 * mm, 40 * mm], align="lrc"))
    else:
        rows = [[g, n, rates[g], shown] for g, n, shown in rows]
        story.append(table(["응답 집단", "응답자 수", "응답률", "결과"], rows,
                           [40 * mm, 30 * mm, 30 * mm, 40 * mm], align="lrrc"))
        note = "응답률은 학교가 입력한 대상자 수에 대한 응답자의 비율입니다."
        if any(v.endswith("※") for v in rates.values()):
            note += f" ※ {OVER_ASKED}: 대상자 수를 확인하세요."
        story.append(para(note, "small"))
    progress.report(1, 6, "프로필 그리는 중")

    # 2. profile
    story += [PageBreak(), h1("2. 영역·요인 프로필")]
    if not sr.shown:
        story.append(para(f"모든 집단의 응답자가 {MIN_GROUP_N}명 미만이어서 결과를 싣지 않았습니다."))
    else:
        labels, series = factor_series(inst, sr.stats, sr.shown)
        radar = len(labels) >= 3  # a radar of one or two spokes says nothing: the bars below show them
        if radar:
            story += [h2("요인 프로필 (100점 환산)"),
                      para("요인 점수를 100점으로 환산하여 집단별로 겹쳐 그렸습니다. 바깥으로 갈수록 높은 점수입니다. 그 집단에 묻지 않은 요인에서는 선이 끊깁니다.", "small"),
                      radar_chart(labels, series, size=330)]
        header = ["영역"] + sr.shown
        drows = []
        for d in inst.domains:
            vals = [sr.stats["groups"][g]["domains"].get(d.code, {}).get("score100") for g in sr.shown]
            drows.append([d.title] + [fmt_score(v) for v in vals])
        w = (BODY_W - 60 * mm) / len(sr.shown)
        story += [h2("영역 점수 (100점 환산)"),
                  table(header, drows, [60 * mm] + [w] * len(sr.shown), align="l" + "r" * len(sr.shown))]
        story += ([PageBreak()] if radar else []) + [
            h2("요인 점수 (100점 환산)"), bar_chart(labels, series, width=BODY_W, label_width=120, bar=5.2)]
    progress.report(2, 6, "집단 비교 정리 중")

    # 3. group comparison
    story += [PageBreak(), h1("3. 집단 비교와 차이")]
    if len(sr.shown) >= 2:
        story.append(para(f"요인별 집단 점수(100점 환산)와 가장 높은 집단과 가장 낮은 집단의 차이입니다. "
                          f"차이가 {GAP_NOTE:.0f}점 이상이면 굵게 표시했습니다.", "small"))
        gap_by = {g["code"]: g for g in gap_list}
        rows, bold, spans = [], [], []
        for d in inst.domains:
            spans.append(len(rows))
            rows.append([d.title])
            for f in d.factors:
                vals = [sr.stats["groups"][g]["factors"].get(f.code, {}).get("score100") for g in sr.shown]
                gp = gap_by.get(f.code)
                if gp and gp["diff"] >= GAP_NOTE:
                    bold.append(len(rows))
                rows.append([f.title] + [fmt_score(v) for v in vals] + [fmt_score(gp["diff"]) if gp else "–"])
        w = (BODY_W - 62 * mm) / (len(sr.shown) + 1)
        story.append(table(["요인"] + sr.shown + ["차이"], rows, [62 * mm] + [w] * (len(sr.shown) + 1),
                           align="l" + "r" * (len(sr.shown) + 1), spans=spans, bold_rows=bold))
    else:
        story.append(para("비교할 수 있는 집단(응답자 5명 이상)이 둘 이상일 때 집단 비교를 싣습니다."))

    # 4. strengths and weaknesses
    story += [new_page_if_short(90), h1("4. 강점 요인과 보완 요인")]
    story.append(para("전체 점수는 공개된 집단 점수의 평균입니다.", "small"))
    t = [["강점 (높은 요인)", "점수", "보완 (낮은 요인)", "점수"]]
    rows = []
    for i in range(max(len(top), len(bottom))):
        a = top[i] if i < len(top) else None
        b = bottom[i] if i < len(bottom) else None
        rows.append([a["title"] if a else "", fmt_score(a["score"]) if a else "",
                     b["title"] if b else "", fmt_score(b["score"]) if b else ""])
    story.append(table(t[0], rows, [BODY_W / 2 - 18 * mm, 18 * mm, BODY_W / 2 - 18 * mm, 18 * mm], align="lrlr"))
    if sr.shown:
        rows = []
        for g in sr.shown:
            fs = sorted(((f.code, st["score100"]) for f in inst.factors()
                         if (st := sr.stats["groups"][g]["factors"].get(f.code)) and st["score100"] is not None),
                        key=lambda x: -x[1])
            rows.append([g, ", ".join(f"{titles[c]} {v:.0f}" for c, v in fs[:TOP_K]),
                         ", ".join(f"{titles[c]} {v:.0f}" for c, v in reversed(fs[-TOP_K:]))])
        story += [h2("집단별 상위·하위 요인", toc=False),
                  table(["집단", "상위 3개 요인", "하위 3개 요인"], rows, [18 * mm, (BODY_W - 18 * mm) / 2,
                                                                (BODY_W - 18 * mm) / 2], align="cll")]
    progress.report(3, 6, "문항별 결과 정리 중")

    # 5. items
    story += [PageBreak(), h1("5. 문항별 결과")]
    story.append(para(f"칸마다 평균({inst.scale.points}점 만점)과 긍정률({'·'.join(inst.scale.labels[-2:])} 비율)입니다. "
                      "(역)은 역문항으로, 점수를 뒤집어 "
                      "계산했습니다. 그 집단에 묻지 않은 문항은 빈칸입니다.", "small"))
    w = (BODY_W - 80 * mm) / max(1, len(sr.shown))
    for d in inst.domains:
        rows, spans = [], []
        for f in d.factors:
            spans.append(len(rows))
            rows.append([f.title])
            for item in f.items:
                cells = []
                for g in sr.shown:
                    st = sr.stats["groups"][g]["items"].get(item.code)
                    cells.append(f"{fmt_num(st['mean'])} · {fmt_pct(st['positive_rate'])}" if st and st["n"] else "")
                rows.append([f"{item.code} {item.text}" + (" (역)" if item.reverse else "")] + cells)
        story += [h2(d.title), table(["문항"] + sr.shown, rows, [80 * mm] + [w] * len(sr.shown),
                                     align="l" + "c" * len(sr.shown), spans=spans, font_size=7.6)]
    progress.report(4, 6, "신뢰도 정리 중")

    # 6. reliability
    story += [new_page_if_short(80), h1("6. 신뢰도 (Cronbach α)")]
    story.append(para(f"요인 문항에 모두 답한 응답자로 계산했습니다 (괄호 안은 응답자 수). α가 {LOW_ALPHA}보다 낮으면 "
                      "해석에 주의합니다. 문항이 하나뿐인 요인은 계산하지 않습니다.", "small"))
    rows, low_alpha, notes = [], [], []
    for f in inst.factors():
        cells = []
        for g in sr.shown:
            st = sr.stats["groups"][g]["factors"].get(f.code)
            if not st or st.get("alpha") is None:
                cells.append("–")
                continue
            cells.append(alpha_text(st["alpha"], st["alpha_n"]))
            note = alpha_note(st["alpha"], st["alpha_n"])
            if note:
                notes.append(f"※ {f.title} ({g}): {note}")
            if st["alpha"] < LOW_ALPHA and f.title not in low_alpha:
                low_alpha.append(f.title)
        rows.append([f.title] + cells)
    w = (BODY_W - 62 * mm) / max(1, len(sr.shown))
    story.append(table(["요인"] + sr.shown, rows, [62 * mm] + [w] * len(sr.shown), align="l" + "r" * len(sr.shown)))
    story += [para(n, "small") for n in notes]

    number = 7
    entries = benchmark_entries(benchmark, s.level, sr)
    if entries:
        story += _benchmark_section(sr, entries, number)
        number += 1

    # questions for the conversation
    story += [new_page_if_short(80), h1(f"{number}. 컨설팅 협의를 위한 질문")]
    story += [markup(p) for p in narrative.render("sodi_questions.j2", top=top, bottom=bottom, gaps=big_gaps,
                                                  low_alpha=low_alpha)]
    picked, auto = pick_comments(comments(ws, sr))
    if picked:
        lead: list = [h2("구성원 의견", toc=False)]
        for q in dict.fromkeys(c.question for c in picked):
            qc = [c for c in picked if c.question == q]
            story.append(keep(*lead, para(qc[0].question_text, "label"), Spacer(1, 1.5 * mm),
                              table(["집단", "의견"], [[c.group, c.text] for c in qc], [18 * mm, BODY_W - 18 * mm],
                                    align="cl"), Spacer(1, 3 * mm)))
            lead = []
        if auto:
            story.append(para("학교가 고른 의견이 없어 질문마다 서로 다른 의견 몇 개를 프로그램이 골랐습니다.", "small"))
    number += 1
    story += [new_page_if_short(90), h1(f"{number}. 분석 방법")]
    story += [markup(p) for p in narrative.render("methodology.j2", rating_labels=data.guidebook.rating.labels,
                                                  points=inst.scale.points, top_labels=list(inst.scale.labels[-2:]),
                                                  min_n=MIN_GROUP_N, **scoring_note(data, [inst]))[1:]]
    progress.report(5, 6, "PDF 만드는 중")
    return story


def sodi_report(ws, out: str | Path, *, instrument: str | None = None, year: int | None = None,
                benchmark: dict | None = None, progress=NULL_PROGRESS) -> dict:
    """Write the 학교조직진단 결과 보고서 (PDF) of the year's SODI survey to `out`.

    benchmark (HOOK): {level: {factor_code: {"mean", "sd", "percentiles": {"10": v, …}}}} or the
    levels of a district benchmark file; None uses the benchmark imported into the workspace, if
    any. When present, a section shows the school's percentile per factor.
    Returns {"file", "pages", "bytes", "instrument"}. Raises SchoolVaultError without SODI answers.
    """
    progress.report(0, 6, "자료 읽는 중")
    data = collect(ws, year)
    sr = find_sodi(data.surveys, instrument)
    if benchmark is None:
        benchmark = imported_benchmark(ws)
    s = data.school

    def make(buf) -> int:
        doc = ReportDoc(buf, title=f"{data.year}학년도 학교조직진단 결과 보고서", header_right=f"{s.name} · {data.year}학년도",
                        toc_levels=2, progress=progress)
        build(doc, build_sodi_story(ws, data, sr, benchmark=benchmark, progress=progress))
        return doc.page

    result = write_pdf(out, make)
    result["instrument"] = sr.id
    record_export(ws, "sodi_report", out, year=data.year, instrument=sr.id)
    return result
