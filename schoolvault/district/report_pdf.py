"""The district summary (종합보고서) as a public PDF: levels, districts, indicators and factors, counts of
schools needing support — never a school's name, and no figure of fewer than five schools (`is_public`).

Every mean comes with its spread across schools (SD, quartiles, a box plot per 영역) and the number of
schools behind it. Section functions lay out what `report_view` and `district_stats` give.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..forms.groups import GROUPS
from ..forms.scoring import MIN_GROUP_N
from ..progress import NULL_PROGRESS
from ..reports import charts
from ..reports.pdf_common import (
    BODY_W,
    box,
    cover,
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
from .aggregate import LOW_RATING_SHARE, SUPPORT_PERCENTILE
from .report_view import (
    LEVEL_NAMES,
    MIN_PUBLIC_SCHOOLS,
    SUPPRESSED_SCHOOLS,
    TOP_N,
    area_level_rows,
    box_entry,
    by_instrument,
    factors_of_domain,
    instrument_titles,
    is_public,
    mean,
    public_score,
    rating_labels,
    schools_per_district,
    schools_using,
    score_cell,
    strengths,
    support_counts,
)

BOX_NOTE = ("상자는 학교 점수의 가운데 절반(1사분위~3사분위), 굵은 세로선은 중앙값, ○는 평균, 양쪽 선 끝은 10·90 "
            "백분위입니다. n은 학교 수이고, 학교가 {n}개 미만이면 그리지 않았습니다.")


def write_pdf_report(stats: dict, out: Path, *, title: str, progress=NULL_PROGRESS) -> dict:
    return write_report(out, pdf_story(stats, title), title=f"{stats['year']}학년도 학교평가 종합보고서",
                        header_right=title, progress=progress)


def pdf_story(stats: dict, title: str) -> list:
    hidden = _hidden_instruments(stats)
    return (_cover(stats, title) + toc() + _overview(stats) + _levels(stats, hidden) + _districts(stats, hidden)
            + _area_levels_section(stats) + _strengths(stats) + _indicator_ratings(stats) + _support(stats)
            + _method())


def _hidden_instruments(stats: dict) -> dict[str, int]:
    """Instruments no level may publish (e.g. one school's own survey) → how many schools used them."""
    levels = list(stats["by_level"])
    return {inst: schools_using(stats, keys, levels) for inst, keys in by_instrument(stats, "domains").items()
            if not any(public_score(stats["by_level"][lv]["all"]["domains"].get(k)) is not None
                       for lv in levels for k in keys)}


def _cover(stats: dict, title: str) -> list:
    levels = list(stats["by_level"])
    return cover(f"{stats['year']}학년도 학교평가 종합보고서", "학교급별 · 소속청별 분석", title,
                 [("대상 학교", f"{stats['n_schools']:,}개교"),
                  ("학교급", ", ".join(f"{lv} {stats['by_level'][lv]['n_schools']}" for lv in levels)),
                  ("분석 단위", "학교 (학교별 집단 평균)"), ("작성일", date.today().isoformat())],
                 note="이 보고서에는 학교 이름이나 학교 순위가 실리지 않습니다. "
                      "학교별 표는 교육청 내부용 엑셀 파일에만 있습니다.")


def _overview(stats: dict) -> list:
    """1. 개요: schools per district and level, respondents per survey and group."""
    levels, n = list(stats["by_level"]), stats["n_schools"]
    edited = sum(1 for s in stats["schools"] if not s["checksum_ok"])
    parts = ", ".join(f"{LEVEL_NAMES.get(lv, lv)} {stats['by_level'][lv]['n_schools']:,}개교" for lv in levels)
    out: list = [h1("1. 개요"), para(f"{stats['year']}학년도에 제출된 {n:,}개 학교의 학교평가 결과를 학교급별, "
                                   f"소속청별로 분석하였습니다 ({parts}).")]
    if edited:
        out.append(para(f"제출 파일 중 {edited}개는 내보낸 뒤 내용이 수정된 것으로 확인되어(검증값 불일치) "
                        "수정된 값 그대로 분석에 포함하였습니다.", "small"))
    rows: list[list] = []
    for d, counts in schools_per_district(stats).items():
        rows.append([d, *[f"{c:,}" if c else "–" for c in counts], f"{sum(counts):,}"])
    rows.append(["계", *[f"{stats['by_level'][lv]['n_schools']:,}" for lv in levels], f"{n:,}"])
    wl = (BODY_W - 40 * mm) / (len(levels) + 1)
    out += [h2("소속청별 학교 수"), table(["소속청", *levels, "계"], rows, [40 * mm] + [wl] * (len(levels) + 1),
                                       align="l" + "r" * (len(levels) + 1), bold_rows=[len(rows) - 1])]
    titles = instrument_titles()
    rrows: list[list] = []
    spans: list[int] = []
    for inst, groups in stats["responses"]["total"].items():
        spans.append(len(rrows))
        rrows.append([titles.get(inst, inst)])
        for g, e in groups.items():
            rrows.append([g, f"{e['respondents']:,}", f"{e['n_schools']:,}", f"{e['suppressed_schools']:,}"])
    wc = (BODY_W - 40 * mm) / 3
    out.append(keep(h2("설문 응답 현황"), table(["응답 집단", "응답자 수", "참여 학교", f"응답 {MIN_GROUP_N}명 미만 학교"],
                                            rrows, [40 * mm, wc, wc, wc], align="lrrr", spans=spans)))
    out.append(para(f"응답자가 {MIN_GROUP_N}명 미만인 집단은 그 학교의 통계에서 제외하였고, 응답자 수 합계에도 넣지 "
                    "않았습니다.", "small"))
    return out


def _levels(stats: dict, hidden: dict[str, int]) -> list:
    """2. 학교급별 결과: per survey, the spread of school scores per 영역 and the level tables."""
    out: list = [new_page_if_short(90), h1("2. 학교급별 결과"),
                 para("점수는 100점 환산 점수의 학교 평균입니다. 학교마다 응답 집단별 평균을 구한 뒤 집단을 평균한 "
                      "값을 그 학교의 점수로 보았습니다. ± 뒤는 학교 간 표준편차, 괄호 안은 학교 수입니다.")]
    titles = instrument_titles()
    for inst, keys in by_instrument(stats, "domains").items():
        heading = h2(titles.get(inst, inst))
        if inst in hidden:  # a section of dashes says nothing
            out.append(keep(heading, para(f"이 설문을 쓴 학교가 {hidden[inst]}개뿐이라(학교급마다 "
                                          f"{MIN_PUBLIC_SCHOOLS}개 미만) 결과를 싣지 않았습니다. 소속청별 표에서도 "
                                          "뺐습니다.", "small")))
            continue
        out += _level_spread(stats, heading, keys) + _level_factors(stats, inst, keys) + _level_groups(stats, keys)
    return out


def _level_spread(stats: dict, heading, keys: list[str]) -> list:
    """Box plots of the schools' 영역 scores per 학교급, and the same figures as a table."""
    levels, labels = list(stats["by_level"]), stats["labels"]["domains"]
    blocks = {lv: stats["by_level"][lv]["all"]["domains"] for lv in levels}
    chart = charts.box_chart([labels[k]["title"] for k in keys],
                             [(lv, [box_entry(blocks[lv].get(k)) for k in keys]) for lv in levels], width=BODY_W)
    rows: list[list] = []
    for k in keys:
        first = len(rows)
        for lv in levels:
            e = blocks[lv].get(k)
            if not e or e.get("score100") is None:
                continue
            name = labels[k]["title"] if len(rows) == first else ""
            if not is_public(e["n_schools"]):
                rows.append([name, lv, f"{e['n_schools']:,}", SUPPRESSED_SCHOOLS, "", "", "", ""])
                continue
            p = e["p100"]
            rows.append([name, lv, f"{e['n_schools']:,}", fmt_score(e["score100"]), fmt_score(e.get("sd100")),
                         fmt_score(p["25"]), fmt_score(p["50"]), fmt_score(p["75"])])
    wn = 16 * mm
    spread = table(["영역", "학교급", "학교 수", "평균", "표준편차", "1사분위", "중앙값", "3사분위"], rows,
                   [BODY_W - 16 * mm - 6 * wn, 16 * mm] + [wn] * 6, align="lc" + "r" * 6, font_size=7.6)
    return [keep(heading, para("영역별 학교 점수 분포 (학교급별, 100점 환산)", "small"), chart,
                 para(BOX_NOTE.format(n=MIN_PUBLIC_SCHOOLS), "small")), Spacer(1, 2 * mm), spread, Spacer(1, 3 * mm)]


def _level_factors(stats: dict, inst: str, keys: list[str]) -> list:
    """영역 and their 요인 (rows) × 학교급: mean ± SD (schools)."""
    levels, labels = list(stats["by_level"]), stats["labels"]
    fd = factors_of_domain(stats, inst)
    rows: list[list] = []
    bold: list[int] = []
    for k in keys:
        bold.append(len(rows))
        rows.append([labels["domains"][k]["title"], *[score_cell(stats["by_level"][lv]["all"]["domains"].get(k),
                                                                 with_n=True, with_sd=True) for lv in levels]])
        for f in fd.get(k, []):
            rows.append(["   " + labels["factors"][f]["title"],
                         *[score_cell(stats["by_level"][lv]["all"]["factors"].get(f), with_n=True, with_sd=True)
                           for lv in levels]])
    wl = 30 * mm
    return [table(["영역 / 요인 — 평균 ± SD (학교 수)", *levels], rows,
                  [BODY_W - wl * len(levels)] + [wl] * len(levels), align="l" + "r" * len(levels), bold_rows=bold,
                  font_size=7.5), Spacer(1, 3 * mm)]


def _level_groups(stats: dict, keys: list[str]) -> list:
    """영역 scores by respondent group, per 학교급, with the schools behind each row."""
    titles = [stats["labels"]["domains"][k]["title"] for k in keys]
    rows: list[list] = []
    for lv, blk in stats["by_level"].items():
        for g in [g for g in GROUPS if g in blk["groups"]]:
            gb = blk["groups"][g]
            rows.append([f"{lv} · {g}", f"{gb['n_schools']:,}", *[score_cell(gb["domains"].get(k)) for k in keys]])
    wd = (BODY_W - 48 * mm) / max(1, len(keys))
    return [keep(para("응답 집단별 영역 점수", "small"),
                 table(["학교급 · 집단", "학교 수", *titles], rows, [30 * mm, 18 * mm] + [wd] * len(keys),
                       align="lr" + "r" * len(keys), font_size=7.5))]


def _districts(stats: dict, hidden: dict[str, int]) -> list:
    """3. 소속청별 결과: the overall score per district (chart, schools named in the label) and 영역 tables."""
    districts = list(stats["by_district"])
    n = {d: stats["by_district"][d]["n_schools"] for d in districts}
    overall = {d: mean(s["score100"] for s in stats["schools"] if s["district"] == d) if is_public(n[d]) else None
               for d in districts}
    out: list = [new_page_if_short(90), h1("3. 소속청별 결과"),
                 keep(para("소속청별 설문 종합 점수 (학교 평균, 100점 환산, 괄호 안은 학교 수)", "small"),
                      charts.bar_chart([f"{d} ({n[d]})" for d in districts],
                                       [("종합 점수", [overall[d] for d in districts])], width=BODY_W, bar=9,
                                       label_width=80)),
                 para("고등학교는 본청 소속이므로, 소속청별 비교에는 학교급 구성의 차이가 섞여 있습니다. "
                      "같은 학교급끼리 비교하려면 내부용 엑셀의 '소속청별' 시트를 보십시오. "
                      f"학교가 {MIN_PUBLIC_SCHOOLS}개 미만인 소속청은 점수를 싣지 않았습니다.", "small")]
    titles, labels = instrument_titles(), stats["labels"]["domains"]
    for inst, keys in by_instrument(stats, "domains").items():
        if inst in hidden:
            continue
        rows = [[d, f"{n[d]:,}", *[score_cell(stats["by_district"][d]["all"]["domains"].get(k), with_sd=True)
                                   for k in keys]] for d in districts]
        wd = (BODY_W - 48 * mm) / max(1, len(keys))
        out.append(keep(h2(titles.get(inst, inst)),
                        table(["소속청", "학교 수", *[f"{labels[k]['title']} (평균 ± SD)" for k in keys]], rows,
                              [30 * mm, 18 * mm] + [wd] * len(keys), align="lr" + "r" * len(keys), font_size=7.5)))
    return out


def _area_levels_section(stats: dict) -> list:
    """4. 영역별 4단계: per 학교급 and per 교육지원청, schools per 4단계 of each 영역 and 평가주체."""
    al = stats["area_levels"]
    out: list = [new_page_if_short(90), h1("4. 영역별 4단계 (교육공동체 설문)")]
    if not al["cells"]:
        return out + [para("영역 결과(4단계)가 든 제출 파일이 없습니다. 학교평가 교육공동체 설문 결과를 SchoolVault로 "
                           "내보낸 파일부터 영역 결과가 들어 있습니다.", "small")]
    out.append(para(f"학교마다 평가주체별 영역 결과가 어느 단계인지 세었습니다 (학교 수). 'n<5'는 응답자가 {MIN_GROUP_N}명 "
                    "미만이라 단계를 내지 않은 학교, '자료 없음'은 그 영역·평가주체의 결과가 없는 학교입니다. "
                    "학교 평균은 학교별 평균(5점)의 평균이고 괄호 안은 학교 수입니다."))
    if al["unplaced"]:
        out.append(para(f"설문 영역을 가이드북 영역에 맞출 수 없었던 결과 {al['unplaced']:,}건은 세지 않았습니다.", "small"))
    n_labels = len(al["labels"])
    for caption, blocks, scopes, names in (("학교급별", al["by_level"], stats["by_level"], LEVEL_NAMES),
                                           ("소속청별", al["by_district"], stats["by_district"], {})):
        lead = [h2(caption)]
        for scope, block in blocks.items():
            n = scopes[scope]["n_schools"]
            name = f"{names.get(scope, scope)} ({n:,}개교)"
            if not is_public(n):
                out.append(keep(*lead, para(f"{name}: 학교 수가 {MIN_PUBLIC_SCHOOLS}개 미만이라 싣지 않았습니다.", "small")))
                lead = []
                continue
            header, rows = area_level_rows(stats, block, public=True)
            n_other = len(header) - n_labels - 3
            wc = 14 * mm
            widths = [BODY_W - 16 * mm - wc * (n_labels + n_other) - 24 * mm, 16 * mm] + \
                [wc] * (n_labels + n_other) + [24 * mm]
            out.append(keep(*lead, para(name, "small"),
                            table(header, rows, widths, align="ll" + "r" * (n_labels + n_other + 1), font_size=7.3)))
            lead = []
    return out


def _strengths(stats: dict) -> list:
    """5. 강점과 보완: per level, the highest and lowest factors and indicators, with their schools."""
    labels = stats["labels"]
    lead: list = [h1("5. 강점과 보완이 필요한 영역"),
                  para(f"학교급마다 점수가 가장 높은 요인과 낮은 요인 {TOP_N}개씩, 지표 평가 평균이 가장 높은 지표와 "
                       f"낮은 지표 {TOP_N}개씩입니다. 학교가 {MIN_PUBLIC_SCHOOLS}개 미만인 요인·지표는 순위에 넣지 "
                       "않았습니다.")]  # kept with the first level's table
    out: list = []
    for lv, blk in stats["by_level"].items():
        if not is_public(blk["n_schools"]):
            out.append(keep(*lead, para(f"{LEVEL_NAMES.get(lv, lv)}: 학교 수가 {MIN_PUBLIC_SCHOOLS}개 미만이라 "
                                        "싣지 않았습니다.", "small")))
            lead = []
            continue
        sw = strengths(stats, lv)
        rows = []
        for label, key in (("강점 요인", "factors_top"), ("보완 요인", "factors_bottom"),
                           ("강점 지표", "indicators_top"), ("보완 지표", "indicators_bottom")):
            for rank, (v, k, n) in enumerate(sw[key]):
                if key.startswith("factors"):
                    rows.append([label if rank == 0 else "", labels["factors"][k]["title"], f"{v:.1f}점", f"{n:,}"])
                else:
                    rows.append([label if rank == 0 else "", f"{k} {labels['indicators'].get(k, '')}",
                                 f"평균 {v:.2f}", f"{n:,}"])
        out.append(keep(*lead, h2(f"{LEVEL_NAMES.get(lv, lv)} ({blk['n_schools']:,}개교)"),
                        table(["구분", "요인 / 지표", "점수", "학교 수"], rows,
                              [24 * mm, BODY_W - 66 * mm, 26 * mm, 16 * mm], align="llrr")))
        lead = []
    return out + lead


def _indicator_ratings(stats: dict) -> list:
    """6. 지표별 평가 분포: schools per rating of each indicator (all schools), under the 5-school rule."""
    ind = stats["indicators"]
    points = ind["points"]
    rows: list[list] = []
    for code, d in ind["overall"].items():
        if not is_public(d["n_schools"]):
            rows.append([code, d["title"], f"{d['n_schools']:,}", *[""] * points, SUPPRESSED_SCHOOLS])
            continue
        rows.append([code, d["title"], f"{d['n_schools']:,}",
                     *[f"{d['counts'].get(str(r), 0):,}" for r in range(1, points + 1)],
                     f"{d['mean']:.2f}" if d["mean"] is not None else "–"])
    wr = 14 * mm
    return [new_page_if_short(90), h1("6. 지표별 평가 분포"),
            para(f"각 지표를 평가한 학교 수와 등급별 학교 수입니다 (전체 학교). 평가한 학교가 {MIN_PUBLIC_SCHOOLS}개 "
                 f"미만인 지표는 분포와 평균을 싣지 않았습니다('{SUPPRESSED_SCHOOLS}')."),
            table(["지표", "지표명", "학교 수", *rating_labels(points), "평균"], rows,
                  [15 * mm, BODY_W - 15 * mm - 14 * mm - wr * points - 16 * mm, 14 * mm] + [wr] * points + [16 * mm],
                  align="llr" + "r" * points + "r", font_size=7.5)]


def _support(stats: dict) -> list:
    """7. 지원이 필요한 학교: counts per district and level, never names."""
    levels = list(stats["by_level"])
    rl = rating_labels(stats["indicators"]["points"])
    sc = support_counts(stats)
    rows: list[list] = []
    for d in stats["by_district"]:
        counts = [sc.get(lv, {}).get(d, 0) for lv in levels]
        rows.append([d, *[f"{c}" if c else "–" for c in counts], f"{sum(counts)}"])
    rows.append(["계", *[f"{sum(sc.get(lv, {}).values())}" for lv in levels],
                 f"{sum(sum(v.values()) for v in sc.values())}"])
    wl = (BODY_W - 40 * mm) / (len(levels) + 1)
    return [new_page_if_short(90), h1("7. 지원이 필요한 학교"),
            para(f"설문 종합 점수가 같은 학교급의 하위 {SUPPORT_PERCENTILE:g}%에 들거나, 평가한 지표의 "
                 f"{LOW_RATING_SHARE:.0%} 이상을 '{rl[0]}'(으)로 평가한 학교입니다. 학교 이름은 교육청 내부용 "
                 "엑셀 파일에만 있습니다."),
            table(["소속청", *levels, "계"], rows, [40 * mm] + [wl] * (len(levels) + 1),
                  align="l" + "r" * (len(levels) + 1), bold_rows=[len(rows) - 1])]


def _method() -> list:
    return [new_page_if_short(90), h1("8. 분석 방법"), box([markup(t, "small") for t in (
        ("<b>분석 단위</b>: 학교. 학교마다 응답 집단(교원, 직원, 학생, 학부모)별 요인·영역 평균을 그대로 쓰고, "
         "학교급·소속청의 값은 그 학교 값들의 평균과 표본 표준편차(n-1)입니다. 사분위수와 백분위는 학교 점수를 "
         "줄 세운 값 사이를 선형 보간한 값입니다."),
        f"<b>작은 집단 제외</b>: 응답자가 {MIN_GROUP_N}명 미만인 집단은 그 학교의 값에서 뺐습니다.",
        ("<b>점수</b>: 응답자의 요인 점수는 답한 문항 평균(역문항은 k+1-값), 문항의 절반 이상에 답했을 때만 "
         "계산합니다. 100점 환산 = (평균 - 1) ÷ (척도 점수 - 1) × 100."),
        ("<b>전체 집단 점수</b>: 한 학교의 요인 점수는 포함된 응답 집단 평균들의 평균입니다. 설문 종합 점수는 "
         "집단별 영역 점수의 평균입니다."),
        (f"<b>공개 기준</b>: 학교가 {MIN_PUBLIC_SCHOOLS}개 미만인 점수, 분포, 순위, 지표 평가는 싣지 않았습니다"
         f"('{SUPPRESSED_SCHOOLS}'). 모든 표와 그림에 같은 기준을 썼습니다."),
        ("<b>영역별 4단계</b>: 학교가 제출한 영역 결과(평가주체별, 응답을 모두 합한 평균을 소수 첫째 자리에서 반올림한 "
         "값의 4단계)를 그대로 셉니다. 학교마다 설문이 달라 설문 영역을 가이드북의 영역(Ⅰ·Ⅱ·Ⅲ)에 맞추어 모았고, "
         "한 학교가 같은 영역·평가주체의 결과를 여러 설문에서 냈으면 응답이 가장 많은 것을 썼습니다. "
         f"응답자 {MIN_GROUP_N}명 미만 집단은 단계에 넣지 않고 'n<5'로 셉니다."),
        "<b>백분위</b>: 같은 학교급 안에서 중간 순위 백분위(아래 학교 수 + 같은 점수 학교 수의 절반) ÷ 학교 수 × 100.",
        "<b>제출 파일 검증</b>: 학교가 내보낸 파일의 검증값(SHA-256)을 확인하였고, 수정된 파일은 경고와 함께 포함하였습니다.",
    )])]
