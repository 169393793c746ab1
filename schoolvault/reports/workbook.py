"""The consultant workbook (.xlsx): what a consulting team reviews and what a school submits.

Sheets: 요약, 지표별 자체평가, 문항 통계, 요인·영역 점수, 집단 비교 (with charts), 의견, 원자료 (one per
survey: anonymous scored answers), then the two machine-readable sheets of `schoolvault.submission`
(제출자료, 메타데이터) that the district office reads back. Groups with fewer than MIN_GROUP_N
respondents are suppressed everywhere: no statistics, no comments, no raw rows. Every text cell
goes through `neutralize_formula`; cells keep full precision and only *show* two decimals.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from xlsxwriter.exceptions import FileCreateError

from .. import __version__, submission
from ..errors import SchoolVaultError, storage_error
from ..forms.scoring import (
    MIN_GROUP_N,
    SUPPRESSED,
    alpha_note,
    answered_counts,
    displayed_n,
    scored,
)
from ..progress import NULL_PROGRESS
from ..safe_text import neutralize_formula
from ..sealed_xlsx import SealingWorkbook
from ..workspace.auditlog import record_export
from ..workspace.selfeval import MIDYEAR_LABELS
from . import indicator_sheet
from .charts import xlsx_series_style
from .data import SurveyResult, YearData, collect, comments, imported_benchmark
from .evaluation_report import LEVEL_NAMES, TYPE_NAMES, district_name

A4 = 9                   # xlsxwriter paper code
MAX_ROW_HEIGHT = 409     # points: the most Excel allows
LINE_HEIGHT = 14.5       # points per wrapped line of the 10-point body font
MAX_LINES = int((MAX_ROW_HEIGHT - 2) // LINE_HEIGHT)  # a longer text goes on in the rows below
PORTRAIT_WIDTH = 110     # column-width units that still read well on A4 portrait fitted to the width
TITLE_ROWS = 4           # a header this close to the top is repeated on each page with the title above
CONTINUED = "(이어서) "
SHEET_GUIDE = [
    ("요약", "학교 정보, 자체평가 등급 분포, 설문 응답 수, 요인 상·하위"),
    ("지표별 자체평가", "지표마다 등급, 근거자료, 성과, 미흡한 점, 개선 계획"),
    ("평가지표 및 현황", "평가지표별 평가주체 문항 수와 세부영역 계, 평가주체별 영역 4단계"),
    ("문항 통계", "문항 × 집단: n, 평균, 표준편차, 100점 환산, 긍정률, 응답 분포"),
    ("요인·영역 점수", "요인과 영역의 집단별 점수와 신뢰도(α)"),
    ("집단 비교", "요인별 집단 점수(100점 환산)를 나란히, 차트 포함"),
    ("의견", "서술형 응답 (응답자 5명 이상 집단만)"),
    ("의견 주제", "서술형 응답의 주제와 집단별 의견 수, 대표 의견 (응답자 5명 미만은 n<5)"),
    ("원자료", "응답자별 문항 점수 (역문항은 뒤집은 점수, 개인정보 없음)"),
    (submission.SUBMISSION_SHEET, "교육청 제출용 기계 판독 자료 (수정하지 마세요)"),
    (submission.META_SHEET, "파일 형식, 학교 정보, 검증값(SHA-256)"),
]


def _t(v):
    """Text bound for a cell: formula-like text neutralised; other values unchanged."""
    return neutralize_formula(v) if isinstance(v, str) else v


class _Sheet:
    """Row-by-row writer over an xlsxwriter worksheet (constant_memory needs top-down rows)."""

    def __init__(self, wb, name: str, fmt: dict):
        self.ws = wb.add_worksheet(name)
        self.fmt = fmt
        self.row = 0
        self.widths: dict[int, float] = {}
        self.col_formats: list | None = None
        self.ws.set_footer("&L&A&R&P / &N")

    def put(self, values, formats=None, *, height: float | None = None) -> int:
        """Write one row (None = empty cell); formats: one per cell or one for all.

        A wrapped text taller than Excel's row limit goes on in rows below (see `_overflow`)."""
        if height is None and formats is not None:
            lines = self._lines(values, formats)
            if lines > MAX_LINES:
                first = self.row
                for part in self._overflow(values, formats):  # each part fits: no further split
                    self._write(part, formats, self._height(self._lines(part, formats)))
                return first
            height = self._height(lines)
        return self._write(values, formats, height)

    def _write(self, values, formats, height: float | None) -> int:
        """One row as it is. Text is neutralised by the workbook's writer rule (`xlsx.cell_text`), which every
        string cell passes, so the rows are not walked here a second time."""
        ws, r = self.ws, self.row
        if height:
            ws.set_row(r, height)
        if formats is not None and formats is self.col_formats:
            # the columns carry these formats already: one call for the row (the bulk of a sheet)
            ws.write_row(r, 0, [None if v == "" else v for v in values])
            self.row += 1
            return r
        for c, v in enumerate(values):
            f = formats[c] if isinstance(formats, (list, tuple)) else formats
            if v is None or v == "":
                if f is not None:
                    ws.write_blank(r, c, None, f)
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v, f)
            elif isinstance(v, bool):
                ws.write_boolean(r, c, v, f)
            else:
                ws.write_number(r, c, v, f)
        self.row += 1
        return r

    def _text_lines(self, c: int, text: str) -> int:
        """Estimated wrapped lines of `text` in column c."""
        width = max(1, int(self.widths.get(c, 8.43) - 1))
        lines = 0
        for part in text.split("\n"):
            # Hangul is about 1.75 digit widths, spaces and digits 1: 1.6 per character on average
            units = len(part) * 1.6 if not part.isascii() else len(part)
            lines += max(1, -(-int(units) // width))
        return lines

    def _lines(self, values, formats) -> int:
        """Estimated lines of the row: the most of its wrapped texts (1 without any)."""
        wrap = self.fmt["wrap"]
        lines = 1
        each = not isinstance(formats, (list, tuple))
        if each and formats is not wrap:
            return 1
        for c, v in enumerate(values):
            if (each or formats[c] is wrap) and isinstance(v, str) and v:
                lines = max(lines, self._text_lines(c, v))
        return lines

    @staticmethod
    def _height(lines: int) -> float | None:
        """Row height for wrapped text: spreadsheet programs do not grow rows of a generated file
        on open, so long texts would be cut off or overlap without this estimate."""
        return min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 2) if lines > 1 else None

    def _wrapped_height(self, values, formats) -> float | None:
        return self._height(self._lines(values, formats))

    def _overflow(self, values, formats) -> list[list]:
        """The row, and continuation rows when a wrapped text needs more than MAX_LINES lines: Excel cuts
        a row at 409 points, so the rest of the text goes on below ("(이어서) …"), breaking between words
        (inside a word only when the word alone is too long for a row)."""
        wrap = self.fmt["wrap"]
        chunks: dict[int, list[str]] = {}
        for c, v in enumerate(values):
            f = formats[c] if isinstance(formats, (list, tuple)) else formats
            if f is wrap and isinstance(v, str) and self._text_lines(c, v) > MAX_LINES:
                chunks[c] = self._chunks(c, v)
        if not chunks:
            return [list(values)]
        rows = [list(values)] + [[None] * len(values) for _ in range(max(map(len, chunks.values())) - 1)]
        for c, parts in chunks.items():
            for n, part in enumerate(parts):
                rows[n][c] = part if n == 0 else CONTINUED + part
        return rows

    def _fits(self, c: int, text: str) -> bool:
        return self._text_lines(c, CONTINUED + text.replace("\n ", "\n")) <= MAX_LINES

    def _chunks(self, c: int, text: str) -> list[str]:
        """Pieces of `text` that each fit a row with the CONTINUED prefix, cut between words; a word too long
        for a row on its own (a long run without spaces) is cut where the row is full."""
        out, cur = [], ""
        for word in text.replace("\n", "\n ").split(" "):
            joined = f"{cur} {word}" if cur else word
            if self._fits(c, joined):
                cur = joined
                continue
            if cur:
                out.append(cur.replace("\n ", "\n").rstrip())
            cur = word
            while not self._fits(c, cur):
                lo, hi = 1, len(cur) - 1  # the longest head that fits (at least one character)
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    if self._fits(c, cur[:mid]):
                        lo = mid
                    else:
                        hi = mid - 1
                out.append(cur[:lo].replace("\n ", "\n").rstrip())
                cur = cur[lo:]
        return out + [cur.replace("\n ", "\n").rstrip()]

    def columns(self, widths, formats=None) -> None:
        for c, w in enumerate(widths):
            self.ws.set_column(c, c, w, formats[c] if formats else None)
            self.widths[c] = w
        if formats:
            self.col_formats = formats

    def header(self, labels, widths=None, *, formats=None, freeze_cols: int = 0, filter_: bool = True) -> None:
        """Header row, column widths and (optionally) the columns' formats, which `put(row, formats)`
        with the same list then uses without per-cell work."""
        if widths:
            self.columns(widths, formats)
        r = self.put(labels, self.fmt["head"], height=30)
        self.ws.freeze_panes(r + 1, freeze_cols)
        self._head_row = r
        if filter_:
            self._filter = (r, len(labels) - 1)

    def finish(self) -> None:
        f = getattr(self, "_filter", None)
        if f and self.row > f[0] + 1:
            self.ws.autofilter(f[0], 0, self.row - 1, f[1])
        self.print_setup()

    def print_setup(self) -> None:
        """A4 fitted to the page width, landscape when the columns are wide, the title (and a header row
        near it) repeated on every printed page."""
        ws = self.ws
        ws.set_paper(A4)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        if sum(self.widths.values()) > PORTRAIT_WIDTH:
            ws.set_landscape()
        head = getattr(self, "_head_row", None)
        ws.repeat_rows(0, head if head is not None and head <= TITLE_ROWS else 0)
        if head is not None and head > TITLE_ROWS:
            ws.repeat_rows(head)


def _formats(wb) -> dict:
    base = {"font_name": "맑은 고딕", "font_size": 10, "valign": "top"}
    F = lambda **k: wb.add_format({**base, **k})
    return {
        "title": F(bold=True, font_size=15, font_color="#1F4E8C"),
        "sub": F(bold=True, font_size=11, font_color="#1F4E8C"),
        "head": F(bold=True, bg_color="#1F4E8C", font_color="#FFFFFF", text_wrap=True, valign="vcenter",
                  align="center", border=1, border_color="#9FB3D1"),
        "label": F(bold=True, bg_color="#EEF2F8"),
        "text": F(),
        "wrap": F(text_wrap=True),
        "muted": F(font_color="#6B7280", italic=True),
        "int": F(num_format="0"),
        "num": F(num_format="0.00"),
        "score": F(num_format="0.0"),
        "pct": F(num_format="0.0%"),
        "center": F(align="center"),
        "supp": F(font_color="#B91C1C", align="center"),
        "span": F(bold=True, bg_color="#EEF2F8"),
    }


def submission_rows(data: YearData) -> list[tuple]:
    """The 제출자료 rows (submission.COLUMNS order): respondents, item/factor/domain statistics of
    groups with n ≥ MIN_GROUP_N, the 영역 results of guidebook-scored surveys (n<5 groups as "n<5"),
    and the indicator ratings. Text is neutralised as written."""
    rows: list[tuple] = []
    for sr in data.surveys:
        sv = sr.survey
        for g in sr.counts:
            if g in sr.suppressed:
                rows.append(("respondents", sv.id, g, "", "", SUPPRESSED, None, None, None, None, None, None))
                continue
            st = sr.stats["groups"][g]
            rows.append(("respondents", sv.id, g, "", "", st["n"], None, None, None, None, None, None))
            for item in sv.items_for(g):
                s = st["items"][item.code]
                rows.append(("item", sv.id, g, item.code, _t(item.text), s["n"], s["mean"], s["sd"], s["score100"],
                             s["positive_rate"], None, None))
            for f in sv.factors():
                s = st["factors"].get(f.code)
                if s is not None:
                    rows.append(("factor", sv.id, g, f.code, _t(f.title), s["n"], s["mean"], s["sd"], s["score100"],
                                 None, s["alpha"], None))
            for d in sv.domains:
                s = st["domains"].get(d.code)
                if s is not None:
                    rows.append(("domain", sv.id, g, d.code, _t(d.title), s["n"], s["mean"], s["sd"], s["score100"],
                                 None, None, None))
        rows.extend(_level_rows(data, sr))
    for ind in data.indicators:
        if ind.rating is not None:
            rows.append(("rating", data.guidebook.id, "", ind.code, _t(ind.title), None, None, None, None, None, None,
                         ind.rating))
    return submission.cells(rows)  # rounded as the checksum reads them, whatever the writer prints


def _level_rows(data: YearData, sr: SurveyResult) -> list[tuple]:
    """The 영역 result rows (submission.level_rows) of a guidebook-scored survey, groups in order; titles neutralised."""
    out = []
    for g in sr.counts:
        for r in submission.level_rows(sr.survey, g, sr.counts[g], sr.stats["groups"].get(g), data.guidebook.areas):
            out.append((*r[:4], _t(r[4]), *r[5:]))
    return out


def submission_meta(data: YearData, rows: list[tuple], exported_at: str) -> dict:
    s = data.school
    meta = {"format": submission.FORMAT, "format_version": submission.FORMAT_VERSION, "app_version": __version__,
            "school_name": _t(s.name), "school_code": _t(s.code or ""), "level": s.level, "district": s.district,
            "year": data.year, "exported_at": exported_at, "rating_points": data.guidebook.rating.points}
    return meta  # the checksum is known once every other cell is written (`_sheet_meta`)


def _sheet_summary(wb, fmt, data: YearData, meta: dict, sheet_names: dict) -> None:
    sh = _Sheet(wb, "요약", fmt)
    ws = sh.ws
    sh.columns([30, 14, 14, 30, 14])
    ws.fit_to_pages(1, 0)
    s = data.school
    sh.put([f"{data.year}학년도 학교평가 결과 — {s.name}"], fmt["title"], height=24)
    sh.put([])
    for label, value in (("학교명", s.name), ("학교 코드", s.code or ""),
                         ("학교급", LEVEL_NAMES.get(s.level, s.level)), ("소속", district_name(s.district)),
                         ("학년도", f"{data.year}학년도"), ("내보낸 시각", meta["exported_at"][:16].replace("T", " ")),
                         ("프로그램", f"SchoolVault {__version__}")):
        sh.put([label, value], [fmt["label"], fmt["text"]])
    sh.put([])
    labels = data.guidebook.rating.labels
    rated = [i for i in data.indicators if i.rating]
    sh.put(["자체평가"], fmt["sub"])
    sh.put(["선택한 지표", len(data.indicators)], [fmt["label"], fmt["int"]])
    sh.put(["등급을 입력한 지표", len(rated)], [fmt["label"], fmt["int"]])
    dist_top = sh.row
    sh.put(["등급", "지표 수"], fmt["head"])
    for n, lab in enumerate(labels, 1):
        sh.put([lab, sum(1 for i in rated if i.rating == n)], [fmt["text"], fmt["int"]])
    if rated:
        ch = wb.add_chart({"type": "column"})
        ch.add_series({"name": "지표 수", "categories": ["요약", dist_top + 1, 0, dist_top + len(labels), 0],
                       "values": ["요약", dist_top + 1, 1, dist_top + len(labels), 1], "fill": {"color": "#2F6DB5"},
                       "data_labels": {"value": True}})
        most = max(sum(1 for i in rated if i.rating == n) for n in range(1, len(labels) + 1))
        # counts of indicators: whole-number ticks (Excel's automatic axis shows 0.2, 0.4 … for small counts)
        ch.set_y_axis({"min": 0, "major_unit": max(1, -(-most // 5)), "num_format": "0"})
        ch.set_title({"name": "자체평가 등급 분포", "name_font": {"size": 11}})
        ch.set_legend({"none": True})
        ch.set_size({"width": 420, "height": 220})
        ws.insert_chart(dist_top - 2, 3, ch)
    sh.put([])
    sh.put(["설문 응답 (명)"], fmt["sub"])
    for sr in data.surveys:
        sh.put([sr.survey.title], fmt["label"])
        sh.put(["집단", "응답자 수", "결과"], fmt["head"])
        for g, n in sr.counts.items():
            sup = g in sr.suppressed
            shown = displayed_n(n)  # a hidden group's exact size never leaves the school: "n<5"
            sh.put([g, int(shown) if shown.isdigit() else shown, f"비공개 ({SUPPRESSED})" if sup else "공개"],
                   [fmt["text"], fmt["supp"] if sup else fmt["int"], fmt["supp"] if sup else fmt["center"]])
    from .sodi_report_view import ranked_factors
    for sr in data.surveys:
        if not sr.shown:
            continue
        titles = {f.code: f.title for f in sr.survey.factors()}
        ranked = ranked_factors(sr)
        sh.put([])
        sh.put([f"요인 상·하위 — {sr.survey.title}"], fmt["sub"])
        sh.put(["높은 요인", "100점 환산", "", "낮은 요인", "100점 환산"], fmt["head"])
        low = ranked[::-1]
        for i in range(min(3, len(ranked))):
            sh.put([titles[ranked[i][0]], ranked[i][1], None, titles[low[i][0]], low[i][1]],
                   [fmt["text"], fmt["score"], None, fmt["text"], fmt["score"]])
    sh.put(["전체 점수 = 공개된 집단(응답자 5명 이상) 점수의 평균. 순위는 공개된 모든 집단이 답한 요인만으로 매김"],
           fmt["muted"])
    sh.put([])
    sh.put(["시트 안내"], fmt["sub"])
    for name, what in SHEET_GUIDE:
        if name == "원자료":
            for real in sheet_names.get("raw", []):
                sh.put([real, what], [fmt["label"], fmt["text"]])
            continue
        sh.put([name, what], [fmt["label"], fmt["text"]])
    sh.put([])
    sh.put([f"응답자가 {MIN_GROUP_N}명 미만인 집단의 결과는 이 파일에 싣지 않았습니다 (\"{SUPPRESSED}\")."], fmt["muted"])
    sh.finish()


def _sheet_indicators(wb, fmt, data: YearData) -> None:
    sh = _Sheet(wb, "지표별 자체평가", fmt)
    sh.ws.set_landscape()
    last = data.last_year
    heads = ["영역", "세부영역", "코드", "지표", "구분", "등급(숫자)", "등급"] + \
            ([f"{last} 등급"] if last else []) + ["근거자료", "주요 성과", "미흡한 점", "개선 계획(환류)", "중간점검", "중간점검 메모"]
    widths = [18, 22, 8, 34, 9, 8, 9] + ([9] if last else []) + [30, 40, 40, 40, 12, 30]
    sh.header(heads, widths, freeze_cols=4)
    for i in data.indicators:
        row = [i.area_title, i.subarea_title, i.code, i.title, TYPE_NAMES.get(i.type, i.type), i.rating, i.rating_label]
        fm = [fmt["wrap"]] * 2 + [fmt["text"], fmt["wrap"], fmt["text"], fmt["int"], fmt["center"]]
        if last:
            row.append(i.last_rating_label)
            fm.append(fmt["center"])
        row += [i.evidence, i.achievements, i.shortcomings, i.improvements,
                MIDYEAR_LABELS.get(i.midyear_status or "", ""), i.midyear_note]
        fm += [fmt["wrap"]] * 6
        sh.put(row, fm)
    sh.finish()


def _sheet_items(wb, fmt, data: YearData) -> None:
    sh = _Sheet(wb, "문항 통계", fmt)
    sh.ws.set_landscape()
    k = max([sr.survey.scale.points for sr in data.surveys] or [5])
    labels = data.surveys[0].survey.scale.labels if data.surveys else ()
    # the distribution is as answered (응답 그대로); n, 평균 … 긍정률 are scored (역문항은 뒤집은 점수)
    heads = ["도구", "영역", "요인", "문항 코드", "문항", "역문항", "집단", "n", "평균", "표준편차", "100점 환산", "긍정률"] + \
            [f"응답 {v}: {labels[v - 1]}" if v - 1 < len(labels) else f"응답 {v}" for v in range(1, k + 1)]
    fm = [fmt["text"]] * 4 + [fmt["text"], fmt["center"], fmt["center"], fmt["int"], fmt["num"], fmt["num"],
                              fmt["score"], fmt["pct"]] + [fmt["int"]] * k
    sh.header(heads, [22, 16, 18, 9, 60, 7, 8, 7, 8, 8, 9, 8] + [9] * k, formats=fm, freeze_cols=5)
    for sr in data.surveys:
        sv = sr.survey
        where = {i.code: (d.title, f.title) for d in sv.domains for f in d.factors for i in f.items}
        for g in sr.counts:
            if g in sr.suppressed:
                sh.put([sv.id, "", "", "", f"응답자 {MIN_GROUP_N}명 미만: 결과 비공개", "", g, SUPPRESSED],
                       [fmt["text"]] * 4 + [fmt["muted"], fmt["text"], fmt["center"], fmt["supp"]])
                continue
            items = sr.stats["groups"][g]["items"]
            for item in sv.items_for(g):
                s = items[item.code]
                dt_, ft = where[item.code]
                answered = answered_counts(item, s["counts"], sv.scale.points)
                sh.put([sv.id, dt_, ft, item.code, item.text, "역(점수는 뒤집음)" if item.reverse else "", g, s["n"],
                        s["mean"], s["sd"], s["score100"], s["positive_rate"]]
                       + [answered.get(v) for v in range(1, k + 1)], fm)
    sh.finish()


def _sheet_factors(wb, fmt, data: YearData) -> None:
    sh = _Sheet(wb, "요인·영역 점수", fmt)
    sh.ws.set_landscape()
    # the last three columns are for guidebook-scored surveys (pooled over answers), empty for SODI-type ones
    fm = [fmt["text"]] * 6 + [fmt["int"], fmt["num"], fmt["num"], fmt["score"], fmt["num"], fmt["int"],
                              fmt["int"], fmt["score"], fmt["center"], fmt["wrap"]]
    sh.header(["도구", "구분", "영역", "코드", "이름", "집단", "n", "평균", "표준편차", "100점 환산", "신뢰도(α)", "α 계산 n",
               "응답 수", "반올림 평균", "4단계", "α 참고"],
              [22, 7, 22, 8, 30, 8, 7, 8, 8, 9, 9, 8, 8, 9, 10, 36], formats=fm, freeze_cols=5)

    def pooled(s: dict) -> list:
        return [s.get("answers"), s.get("rounded"), s.get("level")] if "answers" in s else []
    for sr in data.surveys:
        sv = sr.survey
        for g in sr.counts:
            if g in sr.suppressed:
                sh.put([sv.id, "", "", "", f"응답자 {MIN_GROUP_N}명 미만: 결과 비공개", g, SUPPRESSED],
                       [fmt["text"]] * 4 + [fmt["muted"], fmt["text"], fmt["supp"]])
                continue
            st = sr.stats["groups"][g]
            for d in sv.domains:
                s = st["domains"].get(d.code)
                if s is not None:
                    sh.put([sv.id, "영역", d.title, d.code, d.title, g, s["n"], s["mean"], s["sd"], s["score100"],
                            *([None, None] + pooled(s) if pooled(s) else [])], fm)
                for f in d.factors:
                    s = st["factors"].get(f.code)
                    if s is not None:
                        sh.put([sv.id, "세부영역" if pooled(s) else "요인", d.title, f.code, f.title, g, s["n"], s["mean"],
                                s["sd"], s["score100"], s["alpha"], s["alpha_n"] or None,
                                *(pooled(s) or [None, None, None]), alpha_note(s["alpha"], s["alpha_n"])], fm)
    sh.finish()


def _sheet_compare(wb, fmt, data: YearData, benchmark: dict | None) -> None:
    """Factors × groups side by side (100-point), the largest gap, benchmark percentile (HOOK), charts."""
    from .sodi_report_view import benchmark_entries, percentile
    sh = _Sheet(wb, "집단 비교", fmt)
    ws = sh.ws
    ws.set_landscape()
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 26)
    ws.set_column(2, 9, 10)
    sh.put(["요인별 집단 점수 (100점 환산)"], fmt["title"], height=22)
    sh.put([f"응답자 {MIN_GROUP_N}명 미만 집단은 빠져 있습니다. 차이 = 가장 높은 집단 − 가장 낮은 집단."], fmt["muted"])
    chart_row = 2
    for sr in data.surveys:
        sh.put([])
        sh.put([sr.survey.title], fmt["sub"])
        entries = benchmark_entries(benchmark, data.school.level, sr)
        groups = sr.shown
        extra = ["전체 평균(5점)", "기준 평균", "백분위"] if entries else []
        top = sh.put(["영역", "요인"] + groups + ["차이"] + extra, fmt["head"], height=30)
        first = sh.row
        for d in sr.survey.domains:
            for f in d.factors:
                vals = [sr.stats["groups"][g]["factors"].get(f.code, {}).get("score100") for g in groups]
                present = [v for v in vals if v is not None]
                gap = max(present) - min(present) if len(present) >= 2 else None
                row = [d.title, f.title] + vals + [gap]
                fm = [fmt["text"], fmt["text"]] + [fmt["score"]] * (len(groups) + 1)
                if entries:
                    means = [sr.stats["groups"][g]["factors"][f.code]["mean"] for g in groups
                             if f.code in sr.stats["groups"][g]["factors"]
                             and sr.stats["groups"][g]["factors"][f.code]["mean"] is not None]
                    m = sum(means) / len(means) if means else None
                    e = entries.get(f.code)
                    row += [m, e.get("mean") if e else None, percentile(m, e) if e else None]
                    fm += [fmt["num"], fmt["num"], fmt["score"]]
                sh.put(row, fm)
        last = sh.row - 1
        if groups and last >= first:
            ws.conditional_format(first, 2, last, 1 + len(groups),
                                  {"type": "3_color_scale", "min_color": "#F8C9C4", "mid_color": "#FFFFFF",
                                   "max_color": "#BFD7F0"})
            ch = wb.add_chart({"type": "bar"})
            for c, g in enumerate(groups, start=2):
                # a pattern per group as in the PDF charts: the printed page reads without colour
                ch.add_series({"name": ["집단 비교", top, c], "categories": ["집단 비교", first, 1, last, 1],
                               "values": ["집단 비교", first, c, last, c], "gap": 60,
                               **xlsx_series_style(g, c - 2)})
            ch.set_title({"name": sr.survey.title, "name_font": {"size": 10}})
            ch.set_x_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True, "line": {"color": "#E5E7EB"}}})
            ch.set_y_axis({"reverse": True, "num_font": {"size": 8}})
            ch.set_legend({"position": "top"})
            ch.set_size({"width": 620, "height": max(320, 22 * (last - first + 1) * max(1, len(groups)) // 2)})
            ws.insert_chart(chart_row, 4 + len(groups) + len(extra), ch)
            chart_row = sh.row + 1
    sh.finish()


def _sheet_comments(wb, fmt, ws_, data: YearData) -> None:
    sh = _Sheet(wb, "의견", fmt)
    fm = [fmt["text"], fmt["center"], fmt["text"], fmt["wrap"], fmt["wrap"], fmt["center"]]
    sh.header(["도구", "집단", "질문 코드", "질문", "의견", "보고서에 선택"], [16, 8, 8, 40, 70, 10], formats=fm,
              freeze_cols=0)
    for sr in data.surveys:
        order = {q.code: n for n, q in enumerate(sr.survey.open_questions)}
        groups = {g: n for n, g in enumerate(sr.shown)}
        # by question, then group: a consultant reads all answers to one question together
        for c in sorted(comments(ws_, sr), key=lambda c: (order.get(c.question, 99), groups.get(c.group, 9))):
            sh.put([sr.id, c.group, c.question, c.question_text, c.text, "선택" if c.selected else ""], fm)
    sh.finish()


def _sheet_themes(wb, fmt, ws_, data: YearData) -> None:
    """Comment themes of each survey (themes.publishable: n<5 cells, quotes only from groups of 5 or more).

    The count column is the sum of the cells shown, so no hidden cell can be worked out from it."""
    from ..forms.groups import group_order
    from ..forms.periods import DOCUMENT_PERIOD
    from ..themes import comment_themes, publishable
    tables = []
    for sr in data.surveys:
        if sr.survey.open_questions:
            r = comment_themes(ws_, sr.id, year=data.year, period=DOCUMENT_PERIOD)
            if r.comments:
                tables.append((sr, publishable(r)))
    seen = {g for _, p in tables for g in p["groups"]}
    groups = sorted(seen, key=lambda g: (group_order(g), g))
    sh = _Sheet(wb, "의견 주제", fmt)
    fm = [fmt["text"], fmt["wrap"], fmt["wrap"], fmt["int"]] + [fmt["center"]] * len(groups) + [fmt["wrap"]]
    sh.header(["도구", "주제", "핵심어", "의견 수"] + groups + ["대표 의견"], [16, 22, 28, 8] + [8] * len(groups) + [70],
              formats=fm)
    for sr, pub in tables:
        for t in pub["themes"] + [pub["other"]]:
            cells = [t["by_group"].get(g, {}).get("comments") if g in pub["groups"] else None for g in groups]
            shown = sum(v for v in cells if isinstance(v, int))
            if not shown and all(v != SUPPRESSED for v in cells):
                continue
            quotes = "\n".join(f"[{q['group']}] {q['text']}" for q in t["quotes"]) if t is not pub["other"] else ""
            sh.put([sr.id, t["label"], ", ".join(t["keywords"][:8]), shown] + cells + [quotes], fm)
    sh.finish()


def _raw_sheet_name(sr: SurveyResult, used: set[str]) -> str:
    base = "원자료 " + ("SODI" if "sodi" in sr.id.lower() else sr.id)
    name = base[:31]
    for ch in "[]:*?/\\":
        name = name.replace(ch, "_")
    n = 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def _print_raw(ws) -> None:
    """Raw answers print compactly: landscape, fitted to the page width, narrow margins, the header row
    (item codes) on every page. They are for reading on screen; the statistics sheets print them summed."""
    ws.set_paper(A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.25, right=0.25, top=0.4, bottom=0.4)
    ws.repeat_rows(0)
    ws.set_footer("&L&A (원자료)&R&P / &N")


def _sheet_raw(wb, fmt, sr: SurveyResult, name: str, answers: dict) -> int:
    """Anonymous scored answers: one row per respondent of a shown group; returns rows written."""
    ws = wb.add_worksheet(name)
    ws.set_paper(A4)
    ws.set_landscape()
    sv = sr.survey
    k = sv.scale.points
    items = list(sv.items())
    head = fmt["head"]
    ws.write_string(0, 0, "응답자", head)
    ws.write_string(0, 1, "집단", head)
    for c, item in enumerate(items, start=2):
        ws.write_string(0, c, item.code, head)
    ws.set_column(0, 1, 8)
    ws.set_column(2, len(items) + 1, 6.5)
    ws.freeze_panes(1, 2)
    r = 1
    slot = {i.code: (c, i) for c, i in enumerate(items, start=2)}
    numbers, text = ws.write_numbers, ws.write_string
    for g in sr.shown:
        for resp in answers.get((sr.id, g), ()):
            # only the answered cells (a group answers only its own items), numbers without xlsxwriter's
            # per-cell dispatch (xlsx.SafeWorksheet.write_numbers); scored by the one reverse rule (forms.scoring)
            numbers(r, [(0, r)] + [(hit[0], scored(hit[1], v, k)) for code, v in resp.items()
                                   if v is not None and (hit := slot.get(code)) is not None])
            text(r, 1, g)
            r += 1
    if r > 1:
        ws.autofilter(0, 0, r - 1, len(items) + 1)
    ws.write_comment(0, 0, "응답자 번호는 이 파일 안에서만 쓰는 일련번호입니다. 역문항은 뒤집은 점수입니다. "
                           "문항 내용은 '문항 통계' 시트에 있습니다.")
    _print_raw(ws)
    return r - 1


def _sheet_submission(wb, fmt, rows: list[tuple]) -> None:
    sh = _Sheet(wb, submission.SUBMISSION_SHEET, fmt)
    fm = [fmt["text"]] * 5 + [fmt["int"], fmt["num"], fmt["num"], fmt["score"], fmt["pct"], fmt["num"], fmt["int"],
                              fmt["int"], fmt["score"], fmt["center"], fmt["center"]]
    sh.header(list(submission.COLUMNS), [11, 20, 8, 9, 40, 7, 9, 9, 9, 9, 9, 7, 8, 8, 9, 6], formats=fm)
    for row in rows:
        sh.put(row, fm)
    sh.finish()
    # a note, not a cell: the district import reads the cells exactly as submission.py defines them
    sh.ws.write_comment(0, 0, "교육청이 읽어 가는 자료입니다. 고치면 검증값이 맞지 않습니다.\n열: " + ", ".join(
        f"{c}={label}" for c, label in zip(submission.COLUMNS, submission.COLUMN_LABELS)),
        {"x_scale": 2.2, "y_scale": 2.5})


def _sheet_meta(wb: SealingWorkbook, fmt, meta: dict) -> str | None:
    """The metadata sheet, the last one: its checksum cell gets the checksum of every cell written before it
    (`SealingWorkbook.checksum`), or CHECKSUM_PLACEHOLDER when only reading the file back can tell (returns
    None: seal the closed file)."""
    ms = wb.add_worksheet(submission.META_SHEET)
    ms.set_paper(A4)
    ms.fit_to_pages(1, 0)
    ms.set_column(0, 0, 18)
    ms.set_column(1, 1, 70)
    for r, key in enumerate(submission.META_KEYS):
        ms.write_string(r, 0, key, fmt["label"])
        ms.write_comment(r, 0, submission.META_LABELS.get(key, key))
        v = meta.get(key)
        if isinstance(v, str) and v:
            ms.write_string(r, 1, v)
        elif v is not None and v != "":
            ms.write_number(r, 1, v)
    value = wb.checksum()  # the checksum row is the last one; its value is not part of the checksum
    ms.write_string(submission.META_KEYS.index("checksum"), 1, value or submission.CHECKSUM_PLACEHOLDER)
    return value


def export_workbook(ws, out: str | Path, *, year: int | None = None, benchmark: dict | None = None,
                    progress=NULL_PROGRESS) -> dict:
    """Write the consultant workbook (= the school's submission file) for the year to `out`.

    benchmark (HOOK): as for `sodi_report`; None uses the benchmark imported into the workspace.
    Returns {"file", "sheets", "respondents", "rows", "checksum"}. Raises SchoolVaultError (bad
    path, file open elsewhere) and Cancelled; a cancelled or failed export leaves no file.
    """
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise SchoolVaultError(f"엑셀 파일 이름이 아닙니다: {out.name}", hint="파일 이름을 .xlsx로 끝내세요.")
    if not out.parent.exists():
        raise SchoolVaultError("저장할 폴더가 없습니다.", where=str(out.parent), hint="폴더를 먼저 만드세요.")
    progress.report(0, 8, "자료 읽는 중")
    answers: dict = {}
    data = collect(ws, year, answers_cache=answers)
    if benchmark is None:
        benchmark = imported_benchmark(ws)
    exported_at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    rows = submission_rows(data)
    meta = submission_meta(data, rows, exported_at)

    fd, tmp = tempfile.mkstemp(prefix=".schoolvault-", suffix=".xlsx", dir=out.parent)
    os.close(fd)
    try:
        wb = SealingWorkbook(tmp)  # constant_memory: rows are written top-down per sheet, lean at 3,000 respondents
        wb.set_properties({"title": f"{data.year}학년도 학교평가 결과 — {data.school.name}", "author": "SchoolVault",
                           "comments": "SchoolVault 컨설팅용 워크북 (교육청 제출 파일)"})
        fmt = _formats(wb)
        used: set[str] = set()
        raw_names = [_raw_sheet_name(sr, used) for sr in data.surveys]
        steps = [("요약", lambda: _sheet_summary(wb, fmt, data, meta, {"raw": raw_names})),
                 ("지표별 자체평가", lambda: _sheet_indicators(wb, fmt, data)),
                 (indicator_sheet.SHEET,
                  lambda: indicator_sheet.write_sheet(_Sheet(wb, indicator_sheet.SHEET, fmt), fmt, data)),
                 ("문항 통계", lambda: _sheet_items(wb, fmt, data)),
                 ("요인·영역 점수", lambda: _sheet_factors(wb, fmt, data)),
                 ("집단 비교", lambda: _sheet_compare(wb, fmt, data, benchmark)),
                 ("의견", lambda: _sheet_comments(wb, fmt, ws, data)),
                 ("의견 주제", lambda: _sheet_themes(wb, fmt, ws, data))]
        for n, (label, step) in enumerate(steps, 1):
            progress.report(n, 8, f"{label} 시트 쓰는 중")
            step()
        raw_rows = 0
        for sr, name in zip(data.surveys, raw_names):
            progress.report(7, 8, "원자료 시트 쓰는 중")
            raw_rows += _sheet_raw(wb, fmt, sr, name, answers)
        _sheet_submission(wb, fmt, rows)
        sealed = _sheet_meta(wb, fmt, meta)
        progress.report(8, 8, "파일 저장 중")
        wb.close()
        meta["checksum"] = sealed or submission.seal(tmp)
        os.replace(tmp, out)
    except PermissionError as e:
        raise SchoolVaultError("파일을 저장할 수 없습니다.", where=str(out),
                               hint="같은 파일이 엑셀 등 다른 프로그램에서 열려 있으면 닫고 다시 시도하세요.") from e
    except OSError as e:  # a full disk, a read-only folder, a path too long: said as what it is
        raise storage_error(e, out) from e
    except FileCreateError as e:  # xlsxwriter's wrapping of the same OSError
        cause = e.args[0] if e.args and isinstance(e.args[0], OSError) else e.__context__
        if not isinstance(cause, OSError):
            raise
        raise storage_error(cause, out) from e
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    record_export(ws, "workbook", out, year=data.year, respondents=raw_rows)
    sheets = ["요약", "지표별 자체평가", indicator_sheet.SHEET, "문항 통계", "요인·영역 점수", "집단 비교", "의견", *raw_names,
              submission.SUBMISSION_SHEET, submission.META_SHEET]
    # cells cut to Excel's 32,767-character limit, each ending in a note that says so (xlsx.cell_text)
    return {"file": str(out), "sheets": sheets, "respondents": raw_rows, "rows": len(rows),
            "checksum": meta["checksum"], "cut_cells": len(wb.cut_cells)}
