"""The district summary as an internal .xlsx workbook (xlsxwriter): the level and district tables,
ratings, responses and the named-school sheets, for the office itself (the PDF is `report_pdf`).

One function per sheet lays out what `district_stats` and `report_view` give; none computes a figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..forms.groups import GROUPS
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
    schools_in_level_order,
    schools_per_district,
    short,
)

SCOPE_KINDS = (("domains", "영역"), ("factors", "요인"))
SCOPE_COLUMNS = ("학교 수", "평균", "표준편차", "100점")


@dataclass
class _Book:
    """The workbook being written, its cell formats, and what every sheet reads."""

    wb: Any
    stats: dict
    titles: dict[str, str]
    head: Any
    bold: Any
    h1: Any
    num1: Any
    num2: Any
    num3: Any
    warn: Any

    @property
    def levels(self) -> list[str]:
        return list(self.stats["by_level"])

    @property
    def rating_labels(self) -> list[str]:
        return rating_labels(self.stats["indicators"]["points"])

    def title_of(self, inst: str) -> str:
        return self.titles.get(inst, inst)

    def number(self, sh, r: int, c: int, value: float | None, fmt) -> None:
        """A number cell; a missing figure leaves the cell empty."""
        if value is not None:
            sh.write_number(r, c, value, fmt)


def _open_book(path: Path, stats: dict) -> _Book:
    wb = new_workbook(path)
    return _Book(
        wb, stats, instrument_titles(),
        head=wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True, "valign": "vcenter"}),
        bold=wb.add_format({"bold": True}),
        h1=wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F4E8C"}),
        num1=wb.add_format({"num_format": "0.0"}),
        num2=wb.add_format({"num_format": "0.00"}),
        num3=wb.add_format({"num_format": "0.000"}),
        warn=wb.add_format({"font_color": "#B91C1C"}))


def write_xlsx_report(stats: dict, out: Path, *, title: str) -> dict:
    """The internal workbook: summary, level and district tables, ratings, responses, named schools."""
    tmp = out.with_name(f".{out.name}.tmp.xlsx")
    # School names, codes and titles come from submitted files: the writer rule keeps every text plain.
    book = _open_book(tmp, stats)
    _summary_sheet(book, title)
    _scope_sheet(book, "학교급별", stats["by_level"])
    _scope_sheet(book, "소속청별", stats["by_district"])
    for lv in book.levels:  # districts within one level: the fair comparison
        if sub := district_blocks_for_level(stats, lv):
            _scope_sheet(book, f"소속청별({lv})", sub)
    _indicator_sheet(book)
    _responses_sheet(book)
    _schools_sheet(book)
    _area_levels_sheet(book)
    _school_area_levels_sheet(book)
    _support_sheet(book)
    _method_sheet(book)
    book.wb.close()
    tmp.replace(out)
    return {"file": str(out)}


def _summary_sheet(book: _Book, title: str) -> None:
    """'요약': schools per district and level, then each survey's 영역 scores per level with a chart."""
    stats, levels = book.stats, book.levels
    sh = book.wb.add_worksheet("요약")
    sh.set_column(0, 0, 18)
    sh.set_column(1, len(levels) + 1, 11)
    sh.write(0, 0, f"{stats['year']}학년도 학교평가 종합보고서 — {title} (내부용)", book.h1)
    sh.write(1, 0, f"학교 {stats['n_schools']:,}개교 · 작성일 {date.today().isoformat()} · 학교명이 든 시트가 있으니 "
                   "외부에 배포하지 마십시오.")
    sh.write_row(3, 0, ["소속청", *levels, "계"], book.head)
    r = 4
    for d, counts in schools_per_district(stats).items():
        sh.write(r, 0, d)
        sh.write_row(r, 1, [*counts, sum(counts)])
        r += 1
    sh.write(r, 0, "계", book.bold)
    sh.write_row(r, 1, [*[stats["by_level"][lv]["n_schools"] for lv in levels], stats["n_schools"]], book.bold)
    _summary_domains(book, sh, r + 2)


def _summary_domains(book: _Book, sh, r: int) -> None:
    """Per survey from row r: a table of 영역 (rows) × level (100-point, all groups) and its column chart."""
    stats, levels = book.stats, book.levels
    chart_at = r
    for inst, keys in by_instrument(stats, "domains").items():
        sh.write(r, 0, book.title_of(inst), book.bold)
        sh.write_row(r + 1, 0, ["영역 (100점, 전체 집단)", *levels], book.head)
        first, last = r + 2, r + 1 + len(keys)
        for i, k in enumerate(keys):
            sh.write(first + i, 0, stats["labels"]["domains"][k]["title"])
            for j, lv in enumerate(levels):
                book.number(sh, first + i, 1 + j, stats["by_level"][lv]["all"]["domains"].get(k, {}).get("score100"),
                            book.num1)
        ch = book.wb.add_chart({"type": "column"})
        for j in range(len(levels)):
            # a school level is told apart by its fill pattern too (black-and-white print), as in the PDF
            ch.add_series({"name": ["요약", r + 1, 1 + j], "categories": ["요약", first, 0, last, 0],
                           "values": ["요약", first, 1 + j, last, 1 + j], **xlsx_series_style(levels[j], j)})
        ch.set_title({"name": f"{book.title_of(inst)} — 학교급별 영역 점수", "name_font": {"size": 10}})
        ch.set_y_axis({"min": 0, "max": 100})
        ch.set_size({"width": 620, "height": 300})
        sh.insert_chart(chart_at, len(levels) + 3, ch)
        chart_at += 16
        r = last + 3


def _scope_rows(book: _Book, scopes: dict):
    """(survey, group, kind, code, title, one entry per scope) of every 영역 and 요인 some scope has."""
    labels = book.stats["labels"]
    for kind, kname in SCOPE_KINDS:
        for inst, keys in by_instrument(book.stats, kind).items():
            for g in [ALL, *GROUPS]:
                for k in keys:
                    entries = [(scopes[sc]["all"] if g == ALL else scopes[sc]["groups"].get(g, {})).get(kind, {}).get(k)
                               for sc in scopes]
                    if any(entries):
                        yield [book.title_of(inst), g, kname, labels[kind][k]["code"], labels[kind][k]["title"]], entries


def _scope_sheet(book: _Book, name: str, scopes: dict) -> None:
    """One row per 영역/요인 and group; per scope (level or district) its schools, mean, SD and 100-point score."""
    sh = book.wb.add_worksheet(name)
    sh.set_column(0, 0, 22)
    sh.set_column(1, 3, 8)
    sh.set_column(4, 4, 30)
    header = ["설문", "집단", "구분", "코드", "이름", *[f"{sc} {col}" for sc in scopes for col in SCOPE_COLUMNS]]
    sh.write_row(0, 0, header, book.head)
    sh.freeze_panes(1, 5)
    row = 1
    for names, entries in _scope_rows(book, scopes):
        sh.write_row(row, 0, names)
        for j, e in enumerate(entries):
            if not e:
                continue
            c = 5 + len(SCOPE_COLUMNS) * j
            sh.write_number(row, c, e["n_schools"])
            book.number(sh, row, c + 1, e["mean"], book.num3)
            book.number(sh, row, c + 2, e["sd"], book.num3)
            book.number(sh, row, c + 3, e.get("score100"), book.num1)
        row += 1
    sh.autofilter(0, 0, max(1, row - 1), len(header) - 1)


def _indicator_sheet(book: _Book) -> None:
    """'지표 분포': schools per rating of each indicator, overall and per level."""
    ind = book.stats["indicators"]
    points = ind["points"]
    sh = book.wb.add_worksheet("지표 분포")
    sh.set_column(0, 1, 10)
    sh.set_column(2, 2, 40)
    sh.write_row(0, 0, ["범위", "지표", "지표명", "학교 수", *book.rating_labels, "평균"], book.head)
    sh.freeze_panes(1, 3)
    r = 1
    for blocks in ({"전체": ind["overall"]}, ind["by_level"]):
        for sc, block in blocks.items():
            for code, d in block.items():
                sh.write_row(r, 0, [sc, code, d["title"], d["n_schools"],
                                    *[d["counts"].get(str(k), 0) for k in range(1, points + 1)]])
                book.number(sh, r, 4 + points, d["mean"], book.num2)
                r += 1
    sh.autofilter(0, 0, max(1, r - 1), 4 + points)


def _responses_sheet(book: _Book) -> None:
    """'응답 현황': respondents and schools per survey and group, overall, per level and per district."""
    sh = book.wb.add_worksheet("응답 현황")
    sh.set_column(0, 1, 22)
    sh.write_row(0, 0, ["범위", "설문", "집단", "응답자 수", "참여 학교", f"{MIN_GROUP_N}명 미만 학교"], book.head)
    r = 1
    resp = book.stats["responses"]
    for blocks in ({"전체": resp["total"]}, resp["by_level"], resp["by_district"]):
        for sc, block in blocks.items():
            for inst, groups in block.items():
                for g, e in groups.items():
                    sh.write_row(r, 0, [sc, book.title_of(inst), g, e["respondents"], e["n_schools"],
                                        e["suppressed_schools"]])
                    r += 1


def _schools_sheet(book: _Book) -> None:
    """'학교별' (named: internal only): each school's scores, support flag, file check and respondents."""
    schools = book.stats["schools"]
    insts = sorted({i for s in schools for i in s["respondents"]})
    header = ["학교명", "학교 코드", "학교급", "소속청", "설문 종합(100점)", "학교급 내 백분위", "지표 평가 평균",
              "평가 지표 수", f"'{book.rating_labels[0]}' 지표 수", "지원 필요", "사유", "파일 검증"]
    for inst in insts:
        header += [f"{g} 응답자 ({short(book.title_of(inst), 12)})" for g in GROUPS]
    sh = book.wb.add_worksheet("학교별")
    sh.write_row(0, 0, header, book.head)
    sh.set_column(0, 0, 24)
    sh.set_column(10, 10, 36)
    sh.freeze_panes(1, 1)
    for r, s in enumerate(schools_in_level_order(book.stats), start=1):
        _school_identity(sh, r, s)
        book.number(sh, r, 4, s["score100"], book.num1)
        book.number(sh, r, 5, s["percentile"], book.num1)
        book.number(sh, r, 6, s["rating_mean"], book.num2)
        sh.write_row(r, 7, [s["ratings"], s["low_ratings"], "예" if s["needs_support"] else "",
                            "; ".join(s["support_reasons"]), UNEDITED_LABEL if s["checksum_ok"] else EDITED_LABEL])
        if not s["checksum_ok"]:
            sh.write(r, 11, "수정됨", book.warn)
        cells = [s["respondents"].get(inst, {}).get(g) for inst in insts for g in GROUPS]
        for c, v in enumerate(cells, start=12):
            if v is not None:
                sh.write(r, c, v)
    sh.autofilter(0, 0, max(1, len(schools)), len(header) - 1)


def _school_identity(sh, r: int, s: dict) -> None:
    """A named-school row's first four cells: name, code, level, district (names and codes as plain text)."""
    sh.write_row(r, 0, [neutralize_formula(s["name"]), neutralize_formula(s["code"] or ""), s["level"], s["district"]])


def _area_levels_sheet(book: _Book) -> None:
    """'영역 4단계': schools per 4단계 of each 영역 and 평가주체, overall, per level and per district."""
    al = book.stats["area_levels"]
    labels = al["labels"]
    header = ["범위", "이름", "영역", "영역명", "평가주체", "학교 수", *labels, "n<5", "단계 없음", "자료 없음", "이전 형식",
              "평균 낸 학교 수", "학교 평균(5점)", "표준편차"]
    sh = book.wb.add_worksheet("영역 4단계")
    sh.write_row(0, 0, header, book.head)
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
                    book.number(sh, r, len(header) - 2, e["mean"], book.num3)
                    book.number(sh, r, len(header) - 1, e["sd"], book.num3)
                    r += 1
    sh.autofilter(0, 0, max(1, r - 1), len(header) - 1)
    if al["unplaced"]:
        sh.write(r + 1, 0, f"설문 영역을 가이드북 영역에 맞출 수 없어 세지 않은 결과: {al['unplaced']}건")


def _school_area_levels_sheet(book: _Book) -> None:
    """'학교별 영역 4단계' (named: internal only): each school's 4단계 per 영역 and 평가주체."""
    al, schools = book.stats["area_levels"], book.stats["schools"]
    cells = [(area, g) for area, groups in al["cells"].items() for g in groups]
    sh = book.wb.add_worksheet("학교별 영역 4단계")
    sh.write_row(0, 0, ["학교명", "학교 코드", "학교급", "소속청", *[f"{a} {g}" for a, g in cells]], book.head)
    sh.set_column(0, 0, 24)
    sh.freeze_panes(1, 1)
    for r, s in enumerate(schools, start=1):
        _school_identity(sh, r, s)
        grid = s.get("area_levels")
        for c, (area, g) in enumerate(cells, start=4):
            if grid is None:
                sh.write(r, c, "이전 형식")
            elif g in grid.get(area, {}):
                sh.write(r, c, grid[area][g] or "단계 없음")
    sh.autofilter(0, 0, max(1, len(schools)), 3 + len(cells))


def _support_sheet(book: _Book) -> None:
    """'지원 필요 학교' (named: internal only): the schools flagged for support and why."""
    sh = book.wb.add_worksheet("지원 필요 학교")
    sh.write_row(0, 0, ["학교명", "학교급", "소속청", "설문 종합(100점)", "학교급 내 백분위", "사유"], book.head)
    sh.set_column(0, 0, 24)
    sh.set_column(5, 5, 50)
    flagged = [s for s in book.stats["schools"] if s["needs_support"]]
    for r, s in enumerate(flagged, start=1):
        sh.write_row(r, 0, [s["name"], s["level"], s["district"]])
        book.number(sh, r, 3, s["score100"], book.num1)
        book.number(sh, r, 4, s["percentile"], book.num1)
        sh.write(r, 5, "; ".join(s["support_reasons"]))


def _method_sheet(book: _Book) -> None:
    """'방법': how the figures were made, in the office's words."""
    sh = book.wb.add_worksheet("방법")
    sh.set_column(0, 0, 110)
    for r, t in enumerate((
        "분석 단위: 학교. 학교별 응답 집단 평균을 쓰고, 학교급·소속청 값은 학교 값들의 평균과 표본 표준편차(n-1).",
        f"응답자 {MIN_GROUP_N}명 미만 집단은 그 학교의 값에서 제외.",
        "전체 집단 점수: 포함된 집단 평균들의 평균. 설문 종합 점수: 집단별 영역 100점 점수의 평균.",
        "백분위: 같은 학교급 안의 중간 순위 백분위.",
        (f"지원 필요: 종합 점수가 학교급 하위 {SUPPORT_PERCENTILE:g}% 또는 평가 지표의 {LOW_RATING_SHARE:.0%} 이상이 "
         f"'{book.rating_labels[0]}'."),
        "이 파일에는 학교명이 있으므로 교육청 내부에서만 사용하십시오.",
    )):
        sh.write(r, 0, t)
