"""학교평가 결과 보고서: the annual feedback report a school prints and submits to the 교육지원청.

Cover, contents, summary (overall picture, strengths, what to improve), survey participation,
every evaluated indicator by 영역 → 세부영역 → 지표 (rating against the rubric, evidence, texts,
linked survey results with a small chart, last year beside this year), the improvement plan,
selected comments, the methodology note and the approval block.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table

from ..forms.groups import group_order
from ..forms.scoring import GUIDEBOOK_SCORING, MIN_GROUP_N, OVER_ASKED, SUPPRESSED, level_text
from ..progress import NULL_PROGRESS
from ..workspace.auditlog import record_export
from ..workspace.selfeval import MIDYEAR_LABELS
from . import narrative
from .charts import bar_chart
from .data import (
    IndicatorResult,
    SurveyResult,
    YearData,
    collect,
    comments,
    imported_benchmark,
    linked_items,
    pick_comments,
    respondent_counts,
    response_rates,
    scoring_note,
)
from .pdf_common import (
    BODY_W,
    box,
    cover,
    esc,
    fmt_num,
    fmt_pct,
    fmt_score,
    h1,
    h2,
    h3,
    keep,
    kv_table,
    markup,
    new_page_if_short,
    para,
    signature_block,
    table,
    toc,
    write_report,
)

LEVEL_NAMES = {"초": "초등학교", "중": "중학교", "고": "고등학교", "특수": "특수학교"}
TYPE_NAMES = {"common": "공통지표", "autonomous": "자율지표"}
APPROVERS = ("담당", "부장", "교감", "교장")


def district_name(d: str) -> str:
    return "서울특별시교육청" if d == "본청" else f"서울특별시{d}교육지원청"


def _last_rate(data: YearData, instrument: str, group: str, item: str) -> float | None:
    """Last year's positive rate of the same item and group (None when not shown then)."""
    prev = next((s for s in data.last_surveys if s.id == instrument), None)
    if prev is None or group not in prev.shown:
        return None
    st = prev.stats["groups"][group]["items"].get(item)
    return st["positive_rate"] if st else None


def _linked_rows(data: YearData, ind: IndicatorResult):
    """(table rows, per-group mean positive rate, whole-survey links) for an indicator; rows end
    with last year's positive rate of the same item."""
    rows: list[list[str]] = []
    rates: dict[str, list[float]] = {}
    whole: list[SurveyResult] = []
    for sr, items in linked_items(data.guidebook, data.surveys, ind.code):
        if not items:
            whole.append(sr)
            continue
        for item in items:
            for g in sr.survey.groups:
                if not item.applies_to(g) or g not in sr.counts:
                    continue
                if g in sr.suppressed:
                    rows.append([item.text, g, SUPPRESSED, "", "", ""])
                    continue
                st = sr.stats["groups"][g]["items"].get(item.code)
                if not st or not st["n"]:
                    continue
                last = _last_rate(data, sr.id, g, item.code)
                rows.append([item.text, g, str(st["n"]), fmt_num(st["mean"]), fmt_pct(st["positive_rate"]),
                             fmt_pct(last) if last is not None else ""])
                rates.setdefault(g, []).append(st["positive_rate"])
    mean_rates = {g: sum(v) / len(v) for g, v in rates.items() if v}
    return rows, mean_rates, whole


def _indicator_rate(data: YearData, ind: IndicatorResult) -> float | None:
    _, rates, _ = _linked_rows(data, ind)
    return sum(rates.values()) / len(rates) if rates else None


def _summary(data: YearData) -> list:
    inds = data.indicators
    labels = data.guidebook.rating.labels
    rated = [i for i in inds if i.rating]
    dist = [(lab, sum(1 for i in rated if i.rating == n)) for n, lab in enumerate(labels, 1)]
    rates = {i.code: _indicator_rate(data, i) for i in inds}
    known = {code: r for code, r in rates.items() if r is not None}
    with_rate = [i for i in inds if i.code in known]
    best = max(with_rate, key=lambda i: known[i.code], default=None)
    worst = min(with_rate, key=lambda i: known[i.code], default=None)
    last: dict[str, Any] = {"last_year": data.last_year, "compared": 0, "up": 0, "down": 0, "same": 0}
    for i in inds:
        if i.rating and i.last_rating:
            last["compared"] += 1
            last["up" if i.rating > i.last_rating else "down" if i.rating < i.last_rating else "same"] += 1
    if not last["compared"]:
        last["last_year"] = None

    def pick(reverse: bool) -> list[dict]:
        order = sorted(rated, key=lambda i: (i.rating, rates[i.code] if rates[i.code] is not None else 0.5),
                       reverse=reverse)
        cut = [i for i in order if i.rating is not None
               and (i.rating >= len(labels) - 1 if reverse else i.rating <= 2)][:3] or order[:1]
        return [{"code": i.code, "title": i.title, "rating_label": i.rating_label, "rate": rates[i.code],
                 "note": (i.achievements if reverse else i.shortcomings).strip()} for i in cut]

    ctx = dict(school=data.school.name, year=data.year, n_indicators=len(inds),
               n_common=sum(1 for i in inds if i.type == "common"),
               n_autonomous=sum(1 for i in inds if i.type != "common"), n_rated=len(rated),
               dist=[d for d in dist if d[1]],
               respondents=[(sr.survey.title, rows) for sr, rows in respondent_counts(data.surveys)],
               linked_best={"title": best.title, "rate": rates[best.code]} if best else None,
               linked_worst={"title": worst.title, "rate": rates[worst.code]} if worst else None, **last)
    out: list = [h1("1. 한눈에 보는 올해 결과")]
    out.append(box([markup(p) for p in narrative.render("evaluation_summary.j2", **ctx)]))
    out.append(Spacer(1, 4 * mm))
    total = max(1, len(rated))
    rows = [[lab, str(c), f"{c / total * 100:.0f}%"] for lab, c in dist]
    chart = bar_chart([lab for lab, _ in dist], [("지표 수", [c for _, c in dist])], width=BODY_W * 0.52,
                      vmax=max([c for _, c in dist] + [1]), fmt="{:.0f}개", label_width=50)
    side = Table([[table(["등급", "지표 수", "비율"], rows, [22 * mm, 18 * mm, 18 * mm], align="lrr"),
                   chart if rated else ""]], colWidths=[62 * mm, BODY_W - 62 * mm])
    side.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    out += [h2("등급 분포", toc=False), side]
    out += [h2("강점", toc=False)] + [_bullet(p) for p in narrative.render("evaluation_strengths.j2", strengths=pick(True))]
    out += [h2("보완할 점", toc=False)] + [_bullet(p) for p in
                                          narrative.render("evaluation_improve.j2", weaknesses=pick(False))]
    return out


def _bullet(text: str):
    """A '• …' paragraph with a hanging indent, so its note (after <br/>) lines up under the title."""
    p = markup(text)
    if text.lstrip().startswith("•"):
        from reportlab.lib.styles import ParagraphStyle
        p.style = ParagraphStyle("bullet", parent=p.style, leftIndent=9, firstLineIndent=-9)
    return p


def _participation(data: YearData) -> list:
    """One table: respondents per group (rows) and survey (columns), last year in brackets."""
    out: list = [h1("2. 설문 참여 현황")]
    if not data.surveys:
        return out + [para("올해 가져온 설문 응답이 없습니다.")]
    last = {s.id: s for s in data.last_surveys}
    groups = sorted({g for sr in data.surveys for g in sr.counts}, key=group_order)
    shown = {sr.id: dict(cells) for sr, cells in respondent_counts(data.surveys)}
    before = {sr.id: dict(cells) for sr, cells in respondent_counts(data.last_surveys)}
    rates = {sr.id: response_rates(sr) for sr in data.surveys}  # None: no count entered, no 응답률 column
    rows = []
    for g in groups:
        row = [g]
        for sr in data.surveys:
            rate = rates[sr.id]
            if g not in sr.counts:
                row += ["–"] * (2 if rate is not None else 1)
                continue
            cell = shown[sr.id][g]
            if g in before.get(sr.id, {}):
                cell += f" ({before[sr.id][g]})"
            if g in sr.suppressed:
                cell += " · 결과 비공개"
            row.append(cell)
            if rate is not None:
                row.append(rate[g])
        rows.append(row)
    header = ["응답 집단"]
    for sr in data.surveys:
        header += [sr.survey.title] + (["응답률"] if rates[sr.id] is not None else [])
    n_rate = len(header) - 1 - len(data.surveys)
    w = (BODY_W - 26 * mm - 18 * mm * n_rate) / len(data.surveys)
    widths = [26 * mm]
    for sr in data.surveys:
        widths += [w] + ([18 * mm] if rates[sr.id] is not None else [])
    out.append(table(header, rows, widths, align="l" + "r" * (len(header) - 1)))
    notes = [f"응답자가 {MIN_GROUP_N}명 미만인 집단의 결과는 싣지 않았습니다."]
    if last:
        notes.insert(0, f"괄호 안은 {data.last_year}학년도 응답자 수입니다.")
    if n_rate:
        notes.append("응답률은 학교가 입력한 대상자 수에 대한 학년말 응답자의 비율입니다.")
    if any(r and any(v.endswith("※") for v in r.values()) for r in rates.values()):
        notes.append(f"※ {OVER_ASKED}: 대상자 수를 확인하세요.")
    out.append(para(" ".join(notes), "small"))
    return out


def _benchmark_text(ind: IndicatorResult, entry: dict | None, labels) -> str | None:
    """'같은 학교급 N개교 중 우수 이상 40%' from a district benchmark's rating counts."""
    if not entry or not ind.rating or not entry.get("counts"):
        return None
    counts = {int(k): v for k, v in entry["counts"].items()}
    total = sum(counts.values()) or entry.get("n_schools") or 0
    if not total:
        return None
    share = sum(v for r, v in counts.items() if r >= ind.rating) / total
    text = f"같은 학교급 {total}개교 중 '{ind.rating_label}' 이상 {share * 100:.0f}%"
    if entry.get("mean") is not None:
        text += f", 평균 등급 {entry['mean']:.1f} / {len(labels)}"
    return text


def _indicator_block(data: YearData, ind: IndicatorResult, points: int, lead: list,
                     bench: dict | None = None) -> list:
    """One indicator, kept on one page when it fits; `lead` (area/subarea headings) stays with it."""
    kind = TYPE_NAMES.get(ind.type, ind.type)
    head = h3(f"{ind.code}  {ind.title}")
    rating = (f"{ind.rating_label} ({ind.rating}/{points})" if ind.rating else "미입력")
    rating_cell = markup(f"<b>{esc(rating)}</b>" + (f"<br/>{esc(ind.rubric_text)}" if ind.rubric_text else ""), "cell")
    pairs: list = [("구분", kind), ("평가 등급", rating_cell)]
    compared = _benchmark_text(ind, bench, data.guidebook.rating.labels)
    if compared:
        pairs.append(("교육청 기준 비교", compared))
    if data.last_year:
        pairs.append((f"{data.last_year}학년도 등급",
                      f"{ind.last_rating_label} ({ind.last_rating}/{points})" if ind.last_rating else "평가하지 않음"))
    pairs += [("근거자료", ind.evidence), ("주요 성과", ind.achievements), ("미흡한 점", ind.shortcomings),
              ("개선 계획(환류)", ind.improvements)]
    if ind.midyear_status:
        note = MIDYEAR_LABELS.get(ind.midyear_status, ind.midyear_status)
        pairs.append(("중간 자율점검", note + (f" — {ind.midyear_note}" if ind.midyear_note else "")))
    parts: list = [*lead, head, kv_table(pairs)]
    rows, rates, whole = _linked_rows(data, ind)
    if rows:
        if any(r[5] for r in rows):
            t = table(["관련 설문 문항", "집단", "n", "평균", "긍정률", f"{data.last_year} 긍정률"], rows,
                      [BODY_W - 80 * mm, 16 * mm, 12 * mm, 16 * mm, 16 * mm, 20 * mm], align="lcrrrr", font_size=7.8)
        else:
            t = table(["관련 설문 문항", "집단", "n", "평균", "긍정률"], [r[:5] for r in rows],
                      [BODY_W - 64 * mm, 18 * mm, 14 * mm, 16 * mm, 16 * mm], align="lcrrr", font_size=7.8)
        parts += [Spacer(1, 2.5 * mm), t]
        if rates:
            groups = sorted(rates, key=group_order)
            parts.append(Spacer(1, 1.5 * mm))
            parts.append(bar_chart(["긍정률(%)"], [(g, [rates[g] * 100]) for g in groups], width=BODY_W * 0.75,
                                   fmt="{:.0f}%", label_width=48, bar=6.5))
    for sr in whole:
        parts += _whole_survey_block(sr)
    return [keep(*parts), Spacer(1, 5 * mm)]


def _whole_survey_block(sr: SurveyResult) -> list:
    """An indicator linked to a whole survey (e.g. SODI): its domain scores by group."""
    if not sr.shown:
        return [para(f"{sr.survey.title}: 공개할 수 있는 집단 결과가 없습니다 (모든 집단 {MIN_GROUP_N}명 미만).", "small")]
    if sr.survey.scoring == GUIDEBOOK_SCORING:
        return [Spacer(1, 2.5 * mm), para(f"연결된 설문: {sr.survey.title}", "small")] + _area_level_table(sr)
    header = ["영역 (100점 환산)"] + sr.shown
    rows = []
    for d in sr.survey.domains:
        vals = [sr.stats["groups"][g]["domains"].get(d.code, {}).get("score100") for g in sr.shown]
        if any(v is not None for v in vals):
            rows.append([d.title] + [fmt_score(v) for v in vals])
    w = (BODY_W - 60 * mm) / max(1, len(sr.shown))
    return [Spacer(1, 2.5 * mm), para(f"연결된 설문: {sr.survey.title} (자세한 결과는 학교조직진단 보고서 참조)", "small"),
            table(header, rows, [60 * mm] + [w] * len(sr.shown), align="l" + "r" * len(sr.shown))]


def _area_level_table(sr: SurveyResult) -> list:
    """영역 (rows) × 평가주체 (columns) of a guidebook-scored survey: rounded mean and 4단계 per cell."""
    rows = []
    for d in sr.survey.domains:
        cells = [sr.stats["groups"][g]["domains"].get(d.code) for g in sr.shown]
        if any(c and c.get("answers") for c in cells):
            rows.append([d.title] + [level_text(c["rounded"], c["level"]) if c else "–" for c in cells])
    if not rows:
        return []
    w = (BODY_W - 60 * mm) / max(1, len(sr.shown))
    return [table(["영역 (평균 · 4단계)"] + sr.shown, rows, [60 * mm] + [w] * len(sr.shown),
                  align="l" + "r" * len(sr.shown))]


def _area_levels(data: YearData) -> list:
    """The 영역 result of each 평가주체 for every guidebook-scored survey with groups that may be shown."""
    out: list = []
    for sr in data.surveys:
        if sr.survey.scoring != GUIDEBOOK_SCORING or not sr.shown:
            continue
        block = _area_level_table(sr)
        if block:
            out += [Spacer(1, 4 * mm), keep(h3(f"{sr.survey.title} 영역별 결과", toc=False), *block)]
    if out:
        out.append(para("영역 평균은 그 집단이 영역 문항에 한 모든 응답의 평균이며, 소수 첫째 자리로 반올림한 값으로 "
                        "4단계를 정하였습니다 (자세한 방법은 '평가 방법' 참조).", "small"))
    return out


def _indicators(data: YearData, progress, benchmark: dict | None = None) -> list:
    level = (benchmark or {}).get(data.school.level) or {}
    bench = level.get("indicators", {}) if isinstance(level, dict) else {}
    out: list = []
    points = data.guidebook.rating.points
    n = len(data.indicators)
    area = sub = None
    for done, ind in enumerate(data.indicators):
        progress.report(done, n, "지표별 결과 정리 중")
        lead: list = []
        if ind.area != area:
            area, sub = ind.area, None
            out.append(PageBreak())
            lead.append(h1(f"영역 {ind.area}. {ind.area_title}"))
        if ind.subarea != sub:
            sub = ind.subarea
            lead.append(h2(f"{ind.subarea} {ind.subarea_title}"))
        out += _indicator_block(data, ind, points, lead, bench.get(ind.code))
    if not data.indicators:
        out += [PageBreak(), h1("지표별 자체평가"), para("올해 평가 계획에 넣은 지표가 없습니다.")]
    return out


def _comparison(data: YearData, number: int) -> list:
    rows = [[i.code, i.title, i.last_rating_label or "–", i.rating_label or "–",
             ("▲" if i.rating > i.last_rating else "▼" if i.rating < i.last_rating else "＝")
             if i.rating and i.last_rating else ""] for i in data.indicators]
    if not any(i.last_rating for i in data.indicators):
        return []
    return [new_page_if_short(80), h1(f"{number}. 지난해와 비교 ({data.last_year} → {data.year})"),
            table(["코드", "지표", f"{data.last_year}", f"{data.year}", "변화"], rows,
                  [16 * mm, BODY_W - 72 * mm, 20 * mm, 20 * mm, 16 * mm], align="llccc")]


def _plan(data: YearData, number: int) -> list:
    rows = [[i.code, i.title, i.improvements or "–"] for i in data.indicators]
    return [PageBreak(), h1(f"{number}. 다음 학년도 환류 계획"),
            para("지표별 자체평가에서 정한 개선 계획을 모았습니다. 다음 학년도 학교교육계획에 반영합니다.", "small"),
            table(["코드", "지표", "개선 계획"], rows, [16 * mm, 52 * mm, BODY_W - 68 * mm], align="lll")]


def _comments(ws, data: YearData, number: int) -> list:
    out: list = [h1(f"{number}. 교육공동체 의견")]
    any_rows = False
    for sr in data.surveys:
        picked, auto = pick_comments(comments(ws, sr))
        if not picked:
            continue
        any_rows = True
        out.append(h3(sr.survey.title, toc=False))
        for q in dict.fromkeys(c.question for c in picked):
            qc = [c for c in picked if c.question == q]
            out.append(keep(para(qc[0].question_text, "label"), Spacer(1, 1.5 * mm),
                            table(["집단", "의견"], [[c.group, c.text] for c in qc], [18 * mm, BODY_W - 18 * mm],
                                  align="cl"), Spacer(1, 3 * mm)))
        if auto:
            out.append(para("학교가 고른 의견이 없어 질문마다 서로 다른 의견 몇 개를 프로그램이 골랐습니다. "
                            "결과 화면에서 보고서에 넣을 의견을 고를 수 있습니다.", "small"))
    if not any_rows:
        out.append(para("보고서에 실을 서술형 의견이 없습니다."))
    return out


def _methodology(data: YearData, number: int) -> list:
    scale = data.surveys[0].survey.scale if data.surveys else None
    paras = narrative.render("methodology.j2", rating_labels=data.guidebook.rating.labels,
                             points=scale.points if scale else 5,
                             top_labels=list(scale.labels[-2:]) if scale else ["그렇다", "매우 그렇다"],
                             min_n=MIN_GROUP_N, **scoring_note(data, [sr.survey for sr in data.surveys]))
    return [new_page_if_short(90), h1(f"{number}. 평가 방법")] + [markup(p) for p in paras]


def build_evaluation_story(ws, data: YearData, progress=NULL_PROGRESS, benchmark: dict | None = None) -> list:
    s = data.school
    today = dt.date.today()
    story = cover(f"{data.year}학년도 학교평가 결과 보고서", "학교 자체평가 · 교육공동체 설문 결과", s.name,
                  [("학교급", LEVEL_NAMES.get(s.level, s.level)), ("소속", district_name(s.district)),
                   ("학년도", f"{data.year}학년도"), ("작성일", f"{today.year}. {today.month}. {today.day}.")]
                  + ([("학교 코드", s.code)] if s.code else []),
                  note="SchoolVault로 작성한 보고서입니다. 응답자 5명 미만 집단의 결과는 싣지 않았습니다.")
    story += toc()
    story += [PageBreak()] + _summary(data)
    story += [Spacer(1, 6 * mm)] + _participation(data) + _area_levels(data)
    story += _indicators(data, progress, benchmark)
    compare = _comparison(data, 3)
    story += compare
    n = 4 if compare else 3
    story += _plan(data, n)
    story += [Spacer(1, 6 * mm)] + _comments(ws, data, n + 1)
    story += _methodology(data, n + 2)
    story += [Spacer(1, 10 * mm), keep(h2("확인", toc=False),
                                       para(f"위와 같이 {data.year}학년도 학교평가 결과를 보고합니다."), Spacer(1, 4 * mm),
                                       *signature_block(APPROVERS, f"{today.year}. {today.month}. {today.day}.   {s.name}"))]
    return story


def evaluation_report(ws, out: str | Path, *, year: int | None = None, benchmark: dict | None = None,
                      progress=NULL_PROGRESS) -> dict:
    """Write the year's 학교평가 결과 보고서 to `out` (PDF). Returns {"file", "pages", "bytes"}.

    benchmark (HOOK): a district benchmark's levels ({level: {"indicators": {code: {"n_schools",
    "mean", "counts": {"1": n, …}}}}}); None uses the imported one. Each rated indicator then shows
    the share of same-level schools rated at least as high.

    Raises SchoolVaultError when the workspace has no school/year, and Cancelled after cancel
    (no file is left behind).
    """
    progress.report(0, 0, "자료 읽는 중")
    data = collect(ws, year)
    if benchmark is None:
        benchmark = imported_benchmark(ws)
    result = write_report(out, build_evaluation_story(ws, data, progress, benchmark),
                          title=f"{data.year}학년도 학교평가 결과 보고서",
                          header_right=f"{data.school.name} · {data.year}학년도", toc_levels=3, progress=progress)
    record_export(ws, "evaluation_report", out, year=data.year)
    return result
