"""The district summary as an internal .xlsx workbook (xlsxwriter): the level and district tables,
ratings, responses and the named-school sheets, for the office itself (the PDF is `report_pdf`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..forms.groups import GROUPS, LEVELS
from ..forms.scoring import MIN_GROUP_N
from ..reports.charts import xlsx_series_style
from ..safe_text import neutralize_formula
from ..submission import EDITED_LABEL, UNEDITED_LABEL
from ..xlsx import new_workbook
from .aggregate import ALL, LOW_RATING_SHARE, SUPPORT_PERCENTILE
from .report_view import (
    by_instrument,
    district_blocks_for_level,
    instrument_titles,
    rating_labels,
    short,
)


def write_xlsx_report(stats: dict, out: Path, *, title: str) -> dict:
    """The internal workbook: summary, level and district tables, ratings, responses, named schools."""
    titles = instrument_titles()
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
    domains = by_instrument(stats, "domains")
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
        for j in range(len(levels)):
            # a school level is told apart by its fill pattern too (black-and-white print), as in the PDF
            ch.add_series({"name": ["요약", r + 1, 1 + j], "categories": ["요약", first, 0, first + len(keys) - 1, 0],
                           "values": ["요약", first, 1 + j, first + len(keys) - 1, 1 + j],
                           **xlsx_series_style(levels[j], j)})
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
            keys_by = by_instrument(stats, kind)
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
        sub = {d: b for d, b in district_blocks_for_level(stats, lv).items()}
        if sub:
            scope_sheet(f"소속청별({lv})", sub)

    # 지표 분포
    ind = stats["indicators"]
    points = ind["points"]
    rl = rating_labels(points)
    sh = wb.add_worksheet("지표 분포")
    sh.set_column(0, 1, 10)
    sh.set_column(2, 2, 40)
    sh.write_row(0, 0, ["범위", "지표", "지표명", "학교 수", *rl, "평균"], head)
    sh.freeze_panes(1, 3)
    r = 1
    for _scope, blocks in (("전체", {"전체": ind["overall"]}), ("학교급", ind["by_level"])):
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
    for _scope, blocks in (("전체", {"전체": resp["total"]}), ("학교급", resp["by_level"]), ("소속청", resp["by_district"])):
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
        header += [f"{g} 응답자 ({short(titles.get(inst, inst), 12)})" for g in GROUPS]
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
                            "; ".join(s["support_reasons"]), UNEDITED_LABEL if s["checksum_ok"] else EDITED_LABEL])
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
