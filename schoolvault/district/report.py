"""The district's yearly summary (종합보고서): a PDF to publish and an internal .xlsx workbook.

The PDF never names a school: it shows levels, districts, indicators and factors, and counts of
schools needing support. The workbook is for the office itself and adds the named-school tables
(scores, percentile within level, support flags). Both come from `district_stats`.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

from .. import catalog
from ..errors import SchoolVaultError
from ..forms.groups import GROUPS, LEVELS
from ..forms.model import Guidebook, Survey
from ..forms.scoring import MIN_GROUP_N
from ..progress import NULL_PROGRESS
from ..safe_text import neutralize_formula
from ..workspace.db import Workspace
from ..xlsx import new_workbook
from .aggregate import ALL, LOW_RATING_SHARE, SUPPORT_PERCENTILE, district_stats

TOP_N = 3
MIN_PUBLIC_SCHOOLS = MIN_GROUP_N   # the PDF shows no figure of fewer schools than this
SUPPRESSED_SCHOOLS = f"{MIN_GROUP_N}교 미만"
LEVEL_NAMES = {"초": "초등학교", "중": "중학교", "고": "고등학교", "특수": "특수학교"}


def _fonts() -> tuple[str, str]:
    """Korean fonts for reportlab: the reports package's Nanum (resources/fonts), else the system's."""
    try:
        from ..reports.fonts import register_fonts
        return register_fonts()
    except (ImportError, SchoolVaultError):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        base = "/usr/share/fonts/truetype/nanum/"
        pdfmetrics.registerFont(TTFont("NanumGothic", base + "NanumGothic.ttf"))
        pdfmetrics.registerFont(TTFont("NanumGothic-Bold", base + "NanumGothicBold.ttf"))
        return "NanumGothic", "NanumGothic-Bold"


def _instrument_titles() -> dict[str, str]:
    return {a.instrument.id: a.instrument.title for a in catalog.shipped()}


def _rating_labels(points: int) -> list[str]:
    for a in catalog.shipped():
        if isinstance(a.instrument, Guidebook) and a.instrument.rating.points == points:
            return list(a.instrument.rating.labels)
    return [str(i) for i in range(1, points + 1)]


def _mean(xs) -> float | None:
    xs = [x for x in xs if x is not None]
    return math.fsum(xs) / len(xs) if xs else None


def _by_instrument(stats: dict, kind: str) -> dict[str, list[str]]:
    """instrument → its factor or domain keys in instrument order (domains before their factors)."""
    out: dict[str, list[str]] = {}
    for key, lab in stats["labels"][kind].items():
        out.setdefault(lab["instrument"], []).append(key)
    order = _structure()
    for inst, keys in out.items():
        rank = order.get(inst, {})
        keys.sort(key=lambda k: (rank.get(stats["labels"][kind][k]["code"], 10 ** 6), k))
    return out


def _structure() -> dict[str, dict[str, int]]:
    """Shipped surveys' code order (domain and factor codes), so tables follow the instrument."""
    out: dict[str, dict[str, int]] = {}
    for a in catalog.shipped():
        if isinstance(a.instrument, Survey):
            codes: dict[str, int] = {}
            for d in a.instrument.domains:
                codes[d.code] = len(codes)
                for f in d.factors:
                    codes[f.code] = len(codes)
            out[a.instrument.id] = codes
    return out


def _factors_of_domain(stats: dict, inst: str) -> dict[str, list[str]]:
    """domain key → factor keys (from the shipped instrument; empty when the instrument is unknown)."""
    labels = stats["labels"]
    code_to_key = {lab["code"]: k for k, lab in labels["factors"].items() if lab["instrument"] == inst}
    dom_key = {lab["code"]: k for k, lab in labels["domains"].items() if lab["instrument"] == inst}
    out: dict[str, list[str]] = {}
    for a in catalog.shipped():
        if a.instrument.id == inst and isinstance(a.instrument, Survey):
            for d in a.instrument.domains:
                if d.code in dom_key:
                    out[dom_key[d.code]] = [code_to_key[f.code] for f in d.factors if f.code in code_to_key]
    return out


def strengths(stats: dict, level: str, n: int = TOP_N) -> dict:
    """Strongest and weakest factors (all groups, 100-point) and indicators (mean rating) of a level."""
    block = stats["by_level"][level]["all"]["factors"]
    ranked = sorted(((v["score100"], k) for k, v in block.items() if v["score100"] is not None), reverse=True)
    ind = stats["indicators"]["by_level"].get(level, {})
    min_n = max(MIN_GROUP_N, 1)
    ranked_ind = sorted(((v["mean"], k) for k, v in ind.items() if v["mean"] is not None and v["n_schools"] >= min_n),
                        reverse=True)
    if len(ranked_ind) < 2 * n:  # small levels: rank whatever there is
        ranked_ind = sorted(((v["mean"], k) for k, v in ind.items() if v["mean"] is not None), reverse=True)
    return {"factors_top": ranked[:n], "factors_bottom": ranked[::-1][:n],
            "indicators_top": ranked_ind[:n], "indicators_bottom": ranked_ind[::-1][:n]}


def support_counts(stats: dict) -> dict:
    """{level: {district: schools needing support}} — counts only, never names."""
    out: dict = {}
    for s in stats["schools"]:
        if s["needs_support"]:
            out.setdefault(s["level"], {}).setdefault(s["district"], 0)
            out[s["level"]][s["district"]] += 1
    return out


# ---------------------------------------------------------------- PDF

def _pdf_story(stats: dict, title: str) -> list:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from ..reports import charts
    from ..reports.pdf_common import (
        BODY_W,
        box,
        cover,
        h1,
        h2,
        keep,
        markup,
        new_page_if_short,
        para,
        table,
        toc,
    )

    year = stats["year"]
    titles = _instrument_titles()
    labels = stats["labels"]
    levels = list(stats["by_level"])
    districts = list(stats["by_district"])
    n = stats["n_schools"]
    edited = sum(1 for s in stats["schools"] if not s["checksum_ok"])
    story: list = cover(f"{year}학년도 학교평가 종합보고서", "학교급별 · 소속청별 분석", title,
                        [("대상 학교", f"{n:,}개교"),
                         ("학교급", ", ".join(f"{lv} {stats['by_level'][lv]['n_schools']}" for lv in levels)),
                         ("분석 단위", "학교 (학교별 집단 평균)"), ("작성일", date.today().isoformat())],
                        note="이 보고서에는 학교 이름이나 학교 순위가 실리지 않습니다. "
                             "학교별 표는 교육청 내부용 엑셀 파일에만 있습니다.")
    story += toc()

    # 1. overview
    story.append(h1("1. 개요"))
    parts = ", ".join(f"{LEVEL_NAMES.get(lv, lv)} {stats['by_level'][lv]['n_schools']:,}개교" for lv in levels)
    story.append(para(f"{year}학년도에 제출된 {n:,}개 학교의 학교평가 결과를 학교급별, 소속청별로 분석하였습니다 "
                      f"({parts})."))
    if edited:
        story.append(para(f"제출 파일 중 {edited}개는 내보낸 뒤 내용이 수정된 것으로 확인되어(검증값 불일치) "
                          "수정된 값 그대로 분석에 포함하였습니다.", "small"))
    story.append(h2("소속청별 학교 수"))
    rows = []
    for d in districts:
        counts = [sum(1 for s in stats["schools"] if s["district"] == d and s["level"] == lv) for lv in levels]
        rows.append([d, *[f"{c:,}" if c else "–" for c in counts], f"{sum(counts):,}"])
    rows.append(["계", *[f"{stats['by_level'][lv]['n_schools']:,}" for lv in levels], f"{n:,}"])
    w0 = 40 * mm
    wl = (BODY_W - w0) / (len(levels) + 1)
    story.append(table(["소속청", *levels, "계"], rows, [w0] + [wl] * (len(levels) + 1), align="l" + "r" * (len(levels) + 1),
                       bold_rows=[len(rows) - 1]))
    rrows, spans = [], []
    for inst, groups in stats["responses"]["total"].items():
        spans.append(len(rrows))
        rrows.append([titles.get(inst, inst)])
        for g, e in groups.items():
            rrows.append([g, f"{e['respondents']:,}", f"{e['n_schools']:,}", f"{e['suppressed_schools']:,}"])
    wc = (BODY_W - 40 * mm) / 3
    story.append(keep(h2("설문 응답 현황"),
                      table(["응답 집단", "응답자 수", "참여 학교", f"응답 {MIN_GROUP_N}명 미만 학교"], rrows,
                            [40 * mm, wc, wc, wc], align="lrrr", spans=spans)))
    story.append(para(f"응답자가 {MIN_GROUP_N}명 미만인 집단은 그 학교의 통계에서 제외하였고, 응답자 수 합계에도 넣지 "
                      "않았습니다.", "small"))

    # 2. by level
    story.append(new_page_if_short(90))
    story.append(h1("2. 학교급별 결과"))
    story.append(para("점수는 100점 환산 점수의 학교 평균입니다. 학교마다 응답 집단별 평균을 구한 뒤 집단을 평균한 "
                      "값을 그 학교의 점수로 보았습니다."))
    domains = _by_instrument(stats, "domains")
    hidden = {inst: _schools_using(stats, keys, levels) for inst, keys in domains.items()
              if not any(_public(stats["by_level"][lv]["all"]["domains"].get(k)) is not None
                         for lv in levels for k in keys)}
    for inst, keys in domains.items():
        heading = h2(titles.get(inst, inst))
        if inst in hidden:  # e.g. one school's own survey: a section of dashes says nothing
            story.append(keep(heading, para(f"이 설문을 쓴 학교가 {hidden[inst]}개뿐이라(학교급마다 "
                                            f"{MIN_PUBLIC_SCHOOLS}개 미만) 결과를 싣지 않았습니다. 소속청별 표에서도 "
                                            "뺐습니다.", "small")))
            continue
        dom_titles = [labels["domains"][k]["title"] for k in keys]
        series = [(lv, [_public(stats["by_level"][lv]["all"]["domains"].get(k)) for k in keys]) for lv in levels]
        story.append(keep(heading, para("영역별 점수 (학교급별)", "small"),  # a heading never ends a page alone
                          charts.bar_chart(dom_titles, series, width=BODY_W, bar=5.5)))
        fd = _factors_of_domain(stats, inst)
        rows, bold = [], []
        for k in keys:
            bold.append(len(rows))
            rows.append([labels["domains"][k]["title"],
                         *[_cell(stats["by_level"][lv]["all"]["domains"].get(k)) for lv in levels]])
            for f in fd.get(k, []):
                rows.append(["   " + labels["factors"][f]["title"],
                             *[_cell(stats["by_level"][lv]["all"]["factors"].get(f)) for lv in levels]])
        wl = 24 * mm
        story.append(table(["영역 / 요인", *[f"{lv} (학교 수)" for lv in levels]], rows,
                           [BODY_W - wl * len(levels)] + [wl] * len(levels), align="l" + "r" * len(levels),
                           bold_rows=bold, font_size=7.8))
        story.append(Spacer(1, 3 * mm))
        # domain score by respondent group, per level
        grows = []
        for lv in levels:
            for g in [g for g in GROUPS if g in stats["by_level"][lv]["groups"]]:
                gb = stats["by_level"][lv]["groups"][g]
                grows.append([f"{lv} · {g}", f"{gb['n_schools']:,}", *[_score(gb["domains"].get(k)) for k in keys]])
        wd = (BODY_W - 48 * mm) / max(1, len(keys))
        story.append(keep(para("응답 집단별 영역 점수", "small"),
                          table(["학교급 · 집단", "학교 수", *dom_titles], grows, [30 * mm, 18 * mm] + [wd] * len(keys),
                                align="lr" + "r" * len(keys), font_size=7.5)))

    # 3. by district
    story.append(new_page_if_short(90))
    story.append(h1("3. 소속청별 결과"))
    overall = {d: _mean(s["score100"] for s in stats["schools"] if s["district"] == d)
               if stats["by_district"][d]["n_schools"] >= MIN_PUBLIC_SCHOOLS else None for d in districts}
    story.append(keep(para("소속청별 설문 종합 점수 (학교 평균, 100점 환산)", "small"),
                      charts.bar_chart(districts, [("종합 점수", [overall[d] for d in districts])], width=BODY_W,
                                       bar=9, label_width=60)))
    story.append(para("고등학교는 본청 소속이므로, 소속청별 비교에는 학교급 구성의 차이가 섞여 있습니다. "
                      "같은 학교급끼리 비교하려면 내부용 엑셀의 '소속청별' 시트를 보십시오.", "small"))
    for inst, keys in domains.items():
        if inst in hidden:
            continue
        rows = []
        for d in districts:
            blk = stats["by_district"][d]
            rows.append([d, f"{blk['n_schools']:,}", *[_score(blk["all"]["domains"].get(k)) for k in keys]])
        wd = (BODY_W - 48 * mm) / max(1, len(keys))
        story.append(keep(h2(titles.get(inst, inst)),
                          table(["소속청", "학교 수", *[labels["domains"][k]["title"] for k in keys]], rows,
                                [30 * mm, 18 * mm] + [wd] * len(keys), align="lr" + "r" * len(keys), font_size=7.8)))

    # 4. 영역 × 평가주체 × 4단계
    story += _area_levels_section(stats)

    # 5. strengths and weaknesses
    lead: list = [h1("5. 강점과 보완이 필요한 영역"),
                  para(f"학교급마다 점수가 가장 높은 요인과 낮은 요인 {TOP_N}개씩, 지표 평가 평균이 가장 높은 지표와 "
                       f"낮은 지표 {TOP_N}개씩입니다.")]  # kept with the first level's table
    for lv in levels:
        if stats["by_level"][lv]["n_schools"] < MIN_PUBLIC_SCHOOLS:
            story.append(keep(*lead, para(f"{LEVEL_NAMES.get(lv, lv)}: 학교 수가 {MIN_PUBLIC_SCHOOLS}개 미만이라 "
                                          "싣지 않았습니다.", "small")))
            lead = []
            continue
        sw = strengths(stats, lv)
        rows = []
        for label, key, fmt in (("강점 요인", "factors_top", "f"), ("보완 요인", "factors_bottom", "f"),
                                ("강점 지표", "indicators_top", "i"), ("보완 지표", "indicators_bottom", "i")):
            for rank, (v, k) in enumerate(sw[key]):
                if fmt == "f":
                    name = labels["factors"][k]["title"]
                    rows.append([label if rank == 0 else "", name, f"{v:.1f}점"])
                else:
                    rows.append([label if rank == 0 else "", f"{k} {labels['indicators'].get(k, '')}",
                                 f"평균 {v:.2f}"])
        story.append(keep(*lead, h2(f"{LEVEL_NAMES.get(lv, lv)} ({stats['by_level'][lv]['n_schools']:,}개교)"),
                          table(["구분", "요인 / 지표", "점수"], rows, [24 * mm, BODY_W - 50 * mm, 26 * mm],
                                align="llr")))
        lead = []
    story += lead

    # 5. indicator ratings
    ind = stats["indicators"]
    points = ind["points"]
    rl = _rating_labels(points)
    story.append(new_page_if_short(90))
    story.append(h1("6. 지표별 평가 분포"))
    story.append(para("각 지표를 평가한 학교 수와 등급별 학교 수입니다 (전체 학교)."))
    rows = [[code, d["title"], f"{d['n_schools']:,}", *[f"{d['counts'].get(str(r), 0):,}" for r in range(1, points + 1)],
             f"{d['mean']:.2f}" if d["mean"] is not None else "–"] for code, d in ind["overall"].items()]
    wr = 15 * mm
    story.append(table(["지표", "지표명", "학교 수", *rl, "평균"], rows,
                       [15 * mm, BODY_W - 15 * mm - 14 * mm - wr * points - 13 * mm, 14 * mm] + [wr] * points + [13 * mm],
                       align="llr" + "r" * points + "r", font_size=7.5))

    # 6. support
    story.append(new_page_if_short(90))
    story.append(h1("7. 지원이 필요한 학교"))
    story.append(para(f"설문 종합 점수가 같은 학교급의 하위 {SUPPORT_PERCENTILE:g}%에 들거나, 평가한 지표의 "
                      f"{LOW_RATING_SHARE:.0%} 이상을 '{rl[0]}'(으)로 평가한 학교입니다. 학교 이름은 교육청 내부용 "
                      "엑셀 파일에만 있습니다."))
    sc = support_counts(stats)
    rows = []
    for d in districts:
        counts = [sc.get(lv, {}).get(d, 0) for lv in levels]
        rows.append([d, *[f"{c}" if c else "–" for c in counts], f"{sum(counts)}"])
    rows.append(["계", *[f"{sum(sc.get(lv, {}).values())}" for lv in levels],
                 f"{sum(sum(v.values()) for v in sc.values())}"])
    wl = (BODY_W - 40 * mm) / (len(levels) + 1)
    story.append(table(["소속청", *levels, "계"], rows, [40 * mm] + [wl] * (len(levels) + 1),
                       align="l" + "r" * (len(levels) + 1), bold_rows=[len(rows) - 1]))

    # 7. method
    story.append(new_page_if_short(90))
    story.append(h1("8. 분석 방법"))
    story.append(box([markup(t, "small") for t in (
        ("<b>분석 단위</b>: 학교. 학교마다 응답 집단(교원, 직원, 학생, 학부모)별 요인·영역 평균을 그대로 쓰고, "
         "학교급·소속청의 값은 그 학교 값들의 평균과 표본 표준편차(n-1)입니다."),
        f"<b>작은 집단 제외</b>: 응답자가 {MIN_GROUP_N}명 미만인 집단은 그 학교의 값에서 뺐습니다.",
        ("<b>점수</b>: 응답자의 요인 점수는 답한 문항 평균(역문항은 k+1-값), 문항의 절반 이상에 답했을 때만 "
         "계산합니다. 100점 환산 = (평균 - 1) ÷ (척도 점수 - 1) × 100."),
        ("<b>전체 집단 점수</b>: 한 학교의 요인 점수는 포함된 응답 집단 평균들의 평균입니다. 설문 종합 점수는 "
         "집단별 영역 점수의 평균입니다."),
        f"<b>공개 기준</b>: 학교가 {MIN_PUBLIC_SCHOOLS}개 미만인 칸은 점수를 싣지 않았습니다('{SUPPRESSED_SCHOOLS}').",
        ("<b>영역별 4단계</b>: 학교가 제출한 영역 결과(평가주체별, 응답을 모두 합한 평균을 소수 첫째 자리에서 반올림한 "
         "값의 4단계)를 그대로 셉니다. 학교마다 설문이 달라 설문 영역을 가이드북의 영역(Ⅰ·Ⅱ·Ⅲ)에 맞추어 모았고, "
         "한 학교가 같은 영역·평가주체의 결과를 여러 설문에서 냈으면 응답이 가장 많은 것을 썼습니다. "
         f"응답자 {MIN_GROUP_N}명 미만 집단은 단계에 넣지 않고 'n<5'로 셉니다."),
        "<b>백분위</b>: 같은 학교급 안에서 중간 순위 백분위(아래 학교 수 + 같은 점수 학교 수의 절반) ÷ 학교 수 × 100.",
        "<b>제출 파일 검증</b>: 학교가 내보낸 파일의 검증값(SHA-256)을 확인하였고, 수정된 파일은 경고와 함께 포함하였습니다.",
    )]))
    return story


AREA_OTHER_COLUMNS = (("suppressed", "n<5"), ("no_data", "자료 없음"), ("unknown", "이전 형식"))


def area_level_rows(stats: dict, block: dict, *, public: bool) -> tuple[list[str], list[list]]:
    """(header, rows) of one scope's 영역 × 평가주체 table: schools per 4단계, n<5, no result, unknown
    (format-1 files; the column only when there are such files), and the mean of the schools' means.

    "자료 없음" counts schools without a 4단계 for the cell (no result in the file, or a year without 4단계).
    public: a mean of fewer than MIN_PUBLIC_SCHOOLS schools is not shown (the PDF)."""
    al = stats["area_levels"]
    labels = al["labels"]
    with_unknown = any(g.get("unknown") for b in al["by_level"].values() for a in b.values() for g in a.values())
    others = [(k, name) for k, name in AREA_OTHER_COLUMNS if k != "unknown" or with_unknown]
    header = ["영역", "평가주체", *labels, *[name for _, name in others], "학교 평균"]
    rows = []
    for area, groups in al["cells"].items():
        for i, g in enumerate(groups):
            e = block.get(area, {}).get(g)
            if e is None:
                continue
            counts = [e["levels"].get(lab, 0) for lab in labels]
            other = [e["suppressed"], e["no_data"] + e["no_level"], e["unknown"]][:len(others)]
            if e["mean"] is None:
                mean = "–"
            elif public and e["n_means"] < MIN_PUBLIC_SCHOOLS:
                mean = SUPPRESSED_SCHOOLS
            else:
                mean = f"{e['mean']:.2f} ({e['n_means']})"
            title = f"{area}. {al['areas'].get(area, '')}".rstrip(". ") if i == 0 else ""
            rows.append([title, g, *[f"{c:,}" for c in counts], *[f"{c:,}" for c in other], mean])
    return header, rows


def _area_levels_section(stats: dict) -> list:
    """4. 영역별 4단계: per 학교급 and per 교육지원청, schools per 4단계 of each 영역 and 평가주체."""
    from reportlab.lib.units import mm

    from ..reports.pdf_common import (
        BODY_W,
        h1,
        h2,
        keep,
        new_page_if_short,
        para,
        table,
    )

    al = stats["area_levels"]
    out: list = [new_page_if_short(90), h1("4. 영역별 4단계 (교육공동체 설문)")]
    if not al["cells"]:
        out.append(para("영역 결과(4단계)가 든 제출 파일이 없습니다. 학교평가 교육공동체 설문 결과를 SchoolVault로 "
                        "내보낸 파일부터 영역 결과가 들어 있습니다.", "small"))
        return out
    out.append(para(f"학교마다 평가주체별 영역 결과가 어느 단계인지 세었습니다 (학교 수). 'n<5'는 응답자가 {MIN_GROUP_N}명 "
                    "미만이라 단계를 내지 않은 학교, '자료 없음'은 그 영역·평가주체의 결과가 없는 학교입니다. "
                    "학교 평균은 학교별 평균(5점)의 평균이고 괄호 안은 학교 수입니다."))
    if al["unplaced"]:
        out.append(para(f"설문 영역을 가이드북 영역에 맞출 수 없었던 결과 {al['unplaced']:,}건은 세지 않았습니다.", "small"))
    n_labels = len(al["labels"])
    for caption, blocks, names in (("학교급별", al["by_level"], LEVEL_NAMES), ("소속청별", al["by_district"], {})):
        lead = [h2(caption)]
        for scope, block in blocks.items():
            n = (stats["by_level"] if blocks is al["by_level"] else stats["by_district"])[scope]["n_schools"]
            name = f"{names.get(scope, scope)} ({n:,}개교)"
            if n < MIN_PUBLIC_SCHOOLS:
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


def _public(e: dict | None) -> float | None:
    """A published score: none for fewer than MIN_PUBLIC_SCHOOLS schools (a cell of one or two
    schools would name them)."""
    if not e or e.get("score100") is None or e["n_schools"] < MIN_PUBLIC_SCHOOLS:
        return None
    return e["score100"]


def _schools_using(stats: dict, keys: list[str], levels) -> int:
    """How many schools answered an instrument: per level the most schools any of its domains has."""
    return sum(max((e["n_schools"] for k in keys if (e := stats["by_level"][lv]["all"]["domains"].get(k))),
                   default=0) for lv in levels)


def _cell(e: dict | None) -> str:
    if not e or e.get("score100") is None:
        return "–"
    if e["n_schools"] < MIN_PUBLIC_SCHOOLS:
        return f"{SUPPRESSED_SCHOOLS} ({e['n_schools']})"
    return f"{e['score100']:.1f} ({e['n_schools']})"


def _score(e: dict | None) -> str:
    if not e or e.get("score100") is None:
        return "–"
    if e["n_schools"] < MIN_PUBLIC_SCHOOLS:
        return SUPPRESSED_SCHOOLS
    return f"{e['score100']:.1f}"


def _short(title: str, limit: int = 9) -> str:
    return title if len(title) <= limit else title[:limit - 1] + "…"


def write_pdf_report(stats: dict, out: Path, *, title: str, progress=NULL_PROGRESS) -> dict:
    from ..reports.pdf_common import ReportDoc, build, write_pdf
    _fonts()

    def make(buf) -> int:
        doc = ReportDoc(buf, title=f"{stats['year']}학년도 학교평가 종합보고서", header_right=title, progress=progress)
        build(doc, _pdf_story(stats, title))
        return doc.page

    return write_pdf(out, make)


# ---------------------------------------------------------------- internal workbook

def write_xlsx_report(stats: dict, out: Path, *, title: str) -> dict:
    """The internal workbook: summary, level and district tables, ratings, responses, named schools."""
    titles = _instrument_titles()
    labels = stats["labels"]
    levels = list(stats["by_level"])
    districts = list(stats["by_district"])
    tmp = out.with_name(f".{out.name}.tmp.xlsx")
    # School names, codes and titles come from submitted files: the writer rule keeps every text plain.
    wb = new_workbook(tmp)
    head = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    bold = wb.add_format({"bold": True})
    h1 = wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F4E8C"})
    num1 = wb.add_format({"num_format": "0.0"})
    num2 = wb.add_format({"num_format": "0.00"})
    num3 = wb.add_format({"num_format": "0.000"})
    warn = wb.add_format({"font_color": "#B91C1C"})

    # 요약
    sh = wb.add_worksheet("요약")
    sh.set_column(0, 0, 18)
    sh.set_column(1, len(levels) + 1, 11)
    sh.write(0, 0, f"{stats['year']}학년도 학교평가 종합보고서 — {title} (내부용)", h1)
    sh.write(1, 0, f"학교 {stats['n_schools']:,}개교 · 작성일 {date.today().isoformat()} · 학교명이 든 시트가 있으니 "
                   "외부에 배포하지 마십시오.")
    sh.write_row(3, 0, ["소속청", *levels, "계"], head)
    r = 4
    for d in districts:
        counts = [sum(1 for s in stats["schools"] if s["district"] == d and s["level"] == lv) for lv in levels]
        sh.write(r, 0, d)
        sh.write_row(r, 1, [*counts, sum(counts)])
        r += 1
    sh.write(r, 0, "계", bold)
    sh.write_row(r, 1, [*[stats["by_level"][lv]["n_schools"] for lv in levels], stats["n_schools"]], bold)
    r += 2
    domains = _by_instrument(stats, "domains")
    chart_at = r
    for inst, keys in domains.items():
        sh.write(r, 0, titles.get(inst, inst), bold)
        sh.write_row(r + 1, 0, ["영역 (100점, 전체 집단)", *levels], head)
        first = r + 2
        for i, k in enumerate(keys):
            sh.write(first + i, 0, labels["domains"][k]["title"])
            for j, lv in enumerate(levels):
                v = stats["by_level"][lv]["all"]["domains"].get(k, {}).get("score100")
                if v is not None:
                    sh.write_number(first + i, 1 + j, v, num1)
        ch = wb.add_chart({"type": "column"})
        for j, lv in enumerate(levels):
            ch.add_series({"name": ["요약", r + 1, 1 + j], "categories": ["요약", first, 0, first + len(keys) - 1, 0],
                           "values": ["요약", first, 1 + j, first + len(keys) - 1, 1 + j]})
        ch.set_title({"name": f"{titles.get(inst, inst)} — 학교급별 영역 점수", "name_font": {"size": 10}})
        ch.set_y_axis({"min": 0, "max": 100})
        ch.set_size({"width": 620, "height": 300})
        sh.insert_chart(chart_at, len(levels) + 3, ch)
        chart_at += 16
        r = first + len(keys) + 2

    def scope_sheet(name: str, scopes: dict) -> None:
        ws_ = wb.add_worksheet(name)
        cols = ["설문", "집단", "구분", "코드", "이름"]
        ws_.set_column(0, 0, 22)
        ws_.set_column(1, 3, 8)
        ws_.set_column(4, 4, 30)
        header = cols[:]
        for sc in scopes:
            header += [f"{sc} 학교 수", f"{sc} 평균", f"{sc} 표준편차", f"{sc} 100점"]
        ws_.write_row(0, 0, header, head)
        ws_.freeze_panes(1, 5)
        row = 1
        for kind, kname in (("domains", "영역"), ("factors", "요인")):
            keys_by = _by_instrument(stats, kind)
            for inst, keys in keys_by.items():
                for g in [ALL, *GROUPS]:
                    for k in keys:
                        entries = [(scopes[sc]["all"] if g == ALL else scopes[sc]["groups"].get(g, {})).get(kind, {}).get(k)
                                   for sc in scopes]
                        if not any(entries):
                            continue
                        ws_.write_row(row, 0, [titles.get(inst, inst), g, kname, labels[kind][k]["code"],
                                               labels[kind][k]["title"]])
                        for j, e in enumerate(entries):
                            if not e:
                                continue
                            c = 5 + 4 * j
                            ws_.write_number(row, c, e["n_schools"])
                            if e["mean"] is not None:
                                ws_.write_number(row, c + 1, e["mean"], num3)
                            if e["sd"] is not None:
                                ws_.write_number(row, c + 2, e["sd"], num3)
                            if e.get("score100") is not None:
                                ws_.write_number(row, c + 3, e["score100"], num1)
                        row += 1
        ws_.autofilter(0, 0, max(1, row - 1), len(header) - 1)

    scope_sheet("학교급별", stats["by_level"])
    scope_sheet("소속청별", stats["by_district"])
    for lv in levels:  # districts within one level: the fair comparison
        sub = {d: b for d, b in _district_blocks_for_level(stats, lv).items()}
        if sub:
            scope_sheet(f"소속청별({lv})", sub)

    # 지표 분포
    ind = stats["indicators"]
    points = ind["points"]
    rl = _rating_labels(points)
    sh = wb.add_worksheet("지표 분포")
    sh.set_column(0, 1, 10)
    sh.set_column(2, 2, 40)
    sh.write_row(0, 0, ["범위", "지표", "지표명", "학교 수", *rl, "평균"], head)
    sh.freeze_panes(1, 3)
    r = 1
    for scope_name, blocks in (("전체", {"전체": ind["overall"]}), ("학교급", ind["by_level"])):
        for sc, block in blocks.items():
            for code, d in block.items():
                sh.write_row(r, 0, [sc, code, d["title"], d["n_schools"],
                                    *[d["counts"].get(str(k), 0) for k in range(1, points + 1)]])
                if d["mean"] is not None:
                    sh.write_number(r, 4 + points, d["mean"], num2)
                r += 1
    sh.autofilter(0, 0, max(1, r - 1), 4 + points)

    # 응답 현황
    sh = wb.add_worksheet("응답 현황")
    sh.set_column(0, 1, 22)
    sh.write_row(0, 0, ["범위", "설문", "집단", "응답자 수", "참여 학교", f"{MIN_GROUP_N}명 미만 학교"], head)
    r = 1
    resp = stats["responses"]
    for scope, blocks in (("전체", {"전체": resp["total"]}), ("학교급", resp["by_level"]), ("소속청", resp["by_district"])):
        for sc, block in blocks.items():
            for inst, groups in block.items():
                for g, e in groups.items():
                    sh.write_row(r, 0, [sc, titles.get(inst, inst), g, e["respondents"], e["n_schools"],
                                        e["suppressed_schools"]])
                    r += 1

    # 학교별 (named: internal only)
    sh = wb.add_worksheet("학교별")
    insts = sorted({i for s in stats["schools"] for i in s["respondents"]})
    header = ["학교명", "학교 코드", "학교급", "소속청", "설문 종합(100점)", "학교급 내 백분위", "지표 평가 평균",
              "평가 지표 수", f"'{rl[0]}' 지표 수", "지원 필요", "사유", "파일 검증"]
    for inst in insts:
        header += [f"{g} 응답자 ({_short(titles.get(inst, inst), 12)})" for g in GROUPS]
    sh.write_row(0, 0, header, head)
    sh.set_column(0, 0, 24)
    sh.set_column(10, 10, 36)
    sh.freeze_panes(1, 1)
    for r, s in enumerate(sorted(stats["schools"], key=lambda s: (LEVELS.index(s["level"]) if s["level"] in LEVELS
                                                                    else 9, s["district"], s["name"])), start=1):
        sh.write_row(r, 0, [neutralize_formula(s["name"]), neutralize_formula(s["code"] or ""), s["level"],
                            s["district"]])
        if s["score100"] is not None:
            sh.write_number(r, 4, s["score100"], num1)
        if s["percentile"] is not None:
            sh.write_number(r, 5, s["percentile"], num1)
        if s["rating_mean"] is not None:
            sh.write_number(r, 6, s["rating_mean"], num2)
        sh.write_row(r, 7, [s["ratings"], s["low_ratings"], "예" if s["needs_support"] else "",
                            "; ".join(s["support_reasons"]), "정상" if s["checksum_ok"] else "수정됨"])
        if not s["checksum_ok"]:
            sh.write(r, 11, "수정됨", warn)
        c = 12
        for inst in insts:
            for g in GROUPS:
                v = s["respondents"].get(inst, {}).get(g)
                if v is not None:
                    sh.write(r, c, v)
                c += 1
    sh.autofilter(0, 0, max(1, len(stats["schools"])), len(header) - 1)

    _xlsx_area_levels(wb, stats, head, num2, num3)

    sh = wb.add_worksheet("지원 필요 학교")
    sh.write_row(0, 0, ["학교명", "학교급", "소속청", "설문 종합(100점)", "학교급 내 백분위", "사유"], head)
    sh.set_column(0, 0, 24)
    sh.set_column(5, 5, 50)
    r = 1
    for s in stats["schools"]:
        if s["needs_support"]:
            sh.write_row(r, 0, [s["name"], s["level"], s["district"]])
            if s["score100"] is not None:
                sh.write_number(r, 3, s["score100"], num1)
            if s["percentile"] is not None:
                sh.write_number(r, 4, s["percentile"], num1)
            sh.write(r, 5, "; ".join(s["support_reasons"]))
            r += 1

    sh = wb.add_worksheet("방법")
    sh.set_column(0, 0, 110)
    for r, t in enumerate((
        "분석 단위: 학교. 학교별 응답 집단 평균을 쓰고, 학교급·소속청 값은 학교 값들의 평균과 표본 표준편차(n-1).",
        f"응답자 {MIN_GROUP_N}명 미만 집단은 그 학교의 값에서 제외.",
        "전체 집단 점수: 포함된 집단 평균들의 평균. 설문 종합 점수: 집단별 영역 100점 점수의 평균.",
        "백분위: 같은 학교급 안의 중간 순위 백분위.",
        (f"지원 필요: 종합 점수가 학교급 하위 {SUPPORT_PERCENTILE:g}% 또는 평가 지표의 {LOW_RATING_SHARE:.0%} 이상이 "
         f"'{rl[0]}'."),
        "이 파일에는 학교명이 있으므로 교육청 내부에서만 사용하십시오.",
    )):
        sh.write(r, 0, t)
    wb.close()
    tmp.replace(out)
    return {"file": str(out)}


def _xlsx_area_levels(wb, stats: dict, head, num2, num3) -> None:
    """Sheets '영역 4단계' (schools per 4단계 by scope) and '학교별 영역 4단계' (each school's grid, internal)."""
    al = stats["area_levels"]
    labels = al["labels"]
    sh = wb.add_worksheet("영역 4단계")
    header = ["범위", "이름", "영역", "영역명", "평가주체", "학교 수", *labels, "n<5", "단계 없음", "자료 없음", "이전 형식",
              "평균 낸 학교 수", "학교 평균(5점)", "표준편차"]
    sh.write_row(0, 0, header, head)
    sh.set_column(0, 1, 10)
    sh.set_column(3, 3, 28)
    sh.freeze_panes(1, 5)
    r = 1
    for scope, blocks in (("전체", {"전체": al["overall"]}), ("학교급", al["by_level"]), ("소속청", al["by_district"])):
        for name, block in blocks.items():
            for area, groups in al["cells"].items():
                for g in groups:
                    e = block.get(area, {}).get(g)
                    if e is None:
                        continue
                    sh.write_row(r, 0, [scope, name, area, al["areas"].get(area, ""), g, e["n_schools"],
                                        *[e["levels"].get(lab, 0) for lab in labels], e["suppressed"], e["no_level"],
                                        e["no_data"], e["unknown"], e["n_means"]])
                    if e["mean"] is not None:
                        sh.write_number(r, len(header) - 2, e["mean"], num3)
                    if e["sd"] is not None:
                        sh.write_number(r, len(header) - 1, e["sd"], num3)
                    r += 1
    sh.autofilter(0, 0, max(1, r - 1), len(header) - 1)
    if al["unplaced"]:
        sh.write(r + 1, 0, f"설문 영역을 가이드북 영역에 맞출 수 없어 세지 않은 결과: {al['unplaced']}건")

    sh = wb.add_worksheet("학교별 영역 4단계")
    cells = [(area, g) for area, groups in al["cells"].items() for g in groups]
    sh.write_row(0, 0, ["학교명", "학교 코드", "학교급", "소속청", *[f"{a} {g}" for a, g in cells]], head)
    sh.set_column(0, 0, 24)
    sh.freeze_panes(1, 1)
    for r, s in enumerate(stats["schools"], start=1):
        sh.write_row(r, 0, [neutralize_formula(s["name"]), neutralize_formula(s["code"] or ""), s["level"],
                            s["district"]])
        grid = s.get("area_levels")
        for c, (area, g) in enumerate(cells, start=4):
            if grid is None:
                sh.write(r, c, "이전 형식")
            elif g in grid.get(area, {}):
                sh.write(r, c, grid[area][g] or "단계 없음")
    sh.autofilter(0, 0, max(1, len(stats["schools"])), 3 + len(cells))


def _district_blocks_for_level(stats: dict, level: str) -> dict:
    """Per-district blocks of one level (district_stats(..., by_level_district=True))."""
    return stats.get("by_level_district", {}).get(level, {})


def write_report(ws: Workspace, out: str | Path, *, year: int | None = None, title: str | None = None,
                 progress=NULL_PROGRESS) -> dict:
    """Write the 종합보고서 as PDF (public: no school names) or .xlsx (internal: with named schools)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise SchoolVaultError(f"보고서 파일 이름은 .pdf나 .xlsx로 끝나야 합니다: {out.name}",
                               hint="예: 종합보고서.pdf 또는 종합보고서.xlsx")
    if not out.parent.exists():
        raise SchoolVaultError("저장할 폴더가 없습니다.", where=str(out.parent), hint="폴더를 먼저 만드세요.")
    progress.report(0, 0, "통계 계산 중")
    stats = district_stats(ws, year, by_level_district=True)
    title = title or "교육지원청"
    if suffix == ".pdf":
        info = write_pdf_report(stats, out, title=title, progress=progress)
    else:
        info = write_xlsx_report(stats, out, title=title)
    with ws.transaction():
        ws.audit("district_report", file=out.name, year=stats["year"], schools=stats["n_schools"])
    return {"out": str(out), "year": stats["year"], "n_schools": stats["n_schools"], **info}
