"""학교평가서 (제출용, 교내 보관용) in the office's forms (가이드북 pp.60–61), as PDF, HWPX or DOCX.

`school_report(ws, out, kind=…)` reads the year once (`school_report_view.prepare`), lays the view out as a
`docmodel.Document` with the section functions below, and writes it by the suffix of `out`. Formatting a
figure for print happens here (two decimals for a mean, one for a rounded mean); nothing is computed.
The 제출용 carries no item-level score: the item list (서식3-2) has only ○ marks, and it quotes no comment.
The 교내 보관용 ends with the comment themes of each survey (`themes_section`).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SchoolVaultError
from ..forms.periods import DOCUMENT_PERIOD, PERIOD_LABELS
from ..progress import NULL_PROGRESS
from ..workspace import responses
from .data import collect
from .docmodel import (
    ASKED,
    TICK,
    Cell,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    check_suffix,
    head,
)
from .school_report_view import (
    FINDING_KINDS,
    FORM_GROUPS,
    HIDDEN,
    INTERNAL,
    KINDS,
    LEVEL,
    SUBMISSION,
    GroupSection,
    SchoolReportView,
    SurveyThemes,
    cell_text,
    prepare,
)
from .writers import write_document

GRID_NOTE = ("평가주체별 학년말 설문 응답을 영역마다 모두 모아 평균(응답 값의 합 ÷ 응답 수)을 내고, 소수 첫째 자리에서 "
             "반올림하여 4단계로 표시하였습니다. 응답자가 5명 미만인 평가주체는 n<5로, 참여하지 않았거나 "
             "그 영역의 문항이 없는 평가주체는 빈칸으로 두었습니다.")
THEMES_NOTE = ("학년말 설문의 서술형 의견을 핵심어가 겹치는 것끼리 묶었습니다 (한 의견은 한 주제에만 듭니다). "
               "대표 의견은 주제에 가장 가까운 의견이며 이름·연락처 등은 가렸습니다. 응답자가 5명 미만인 칸은 n<5로 "
               "두고, 응답자가 5명 미만인 평가주체의 의견은 인용하지 않았습니다.")
ITEMS_NOTE = "○: 해당 평가주체가 응답한 문항. 문항별 점수는 학교 안에서만 봅니다 (교내 보관용)."


def school_report(ws, out: str | Path, *, kind: str = SUBMISSION, year: int | None = None,
                  progress=NULL_PROGRESS) -> dict:
    """Write the 학교평가서 of the year (default: the current year) to `out` (.hwpx, .docx or .pdf).

    Returns {"file", "format", "bytes", "pages", "kind", "year", "items", "groups"}. Raises SchoolVaultError
    (Korean) for an unknown kind or suffix, and when the year has no 학년말 answers of a guidebook-scored
    survey: then nothing is written."""
    if kind not in KINDS:
        raise SchoolVaultError(f"학교평가서 종류 '{kind}'을(를) 알 수 없습니다.",
                               hint="submission(제출용) 또는 internal(교내 보관용) 중 하나를 고르세요.")
    check_suffix(out)
    progress.report(0, 3, "자료 읽는 중")
    data = collect(ws, year)
    view = prepare(ws, data, kind)
    if not view.has_answers():
        raise SchoolVaultError(f"{data.year}학년도 학년말 학교평가 설문 응답이 없어 학교평가서를 만들 수 없습니다.",
                               hint=_no_answers_hint(ws, data.year))
    progress.report(1, 3, "문서 짜는 중")
    doc = build_document(view)
    progress.report(2, 3, "파일 쓰는 중")
    result = write_document(doc, out, progress=progress)
    progress.report(3, 3, "완료")
    groups = sorted({g for r in view.items for g in r.answered_by}, key=FORM_GROUPS.index)
    return {**result, "kind": kind, "year": view.year, "items": len(view.items), "groups": groups}


def _no_answers_hint(ws, year: int) -> str:
    other = [a for a in responses.administrations(ws, year) if a.period != DOCUMENT_PERIOD]
    if other:
        return (f"{PERIOD_LABELS[other[0].period]} 응답만 있습니다. 학교평가서는 학년말 응답으로 만듭니다 "
                "(가이드북 Q12): 학년말 설문 응답을 가져오세요.")
    return "학교평가 교육공동체 설문(가이드북 방식)의 학년말 응답을 먼저 가져오세요 (import-responses)."


def build_document(view: SchoolReportView) -> Document:
    """The 학교평가서 of the view as a document (제출용 or 교내 보관용)."""
    label = KINDS[view.kind]
    doc = Document(title=f"{view.year}학년도 학교평가서 ({label})", header=f"{view.school} · {view.year}학년도")
    doc.add(Paragraph(f"{view.year}학년도 학교평가서", "title"),
            Paragraph(f"({label}) {view.school}", "subtitle"),
            Heading("서식3-1. 학교평가 결과", 1))
    doc.add(*grid_section(view), *findings_section(view), *features_section(view), PageBreak(),
            *items_section(view))
    if view.kind == INTERNAL:
        for g in view.groups:
            doc.add(PageBreak(), *group_section(view, g))
        if view.themes:
            doc.add(PageBreak(), Heading("서술형 의견 주제", 1),
                    Paragraph(THEMES_NOTE, "note"))
            for t in view.themes:
                doc.add(*themes_section(t))
    if view.notes:
        doc.add(Heading("참고", 2), *[Paragraph(n, "note") for n in view.notes])
    return doc


def grid_section(view: SchoolReportView) -> list:
    """서식3-1 (1): 영역 rows × 평가주체 × 4단계 columns, one ✔ per 영역 and 평가주체."""
    levels = view.level_labels or ["4단계 기준 없음"]
    per = len(levels)
    header = (
        (Cell("영역", rowspan=2, align="c", bold=True, shaded=True),)
        + head(*FORM_GROUPS, spans=[per] * len(FORM_GROUPS)),
        head(*(levels * len(FORM_GROUPS))),
    )
    rows = []
    for key, title in view.areas:
        row = [Cell(f"{key}. {title}", bold=True)]
        for g in FORM_GROUPS:
            c = view.grid[key, g]
            if c.state == LEVEL and c.level in view.level_labels:
                row += [Cell(TICK if lv == c.level else "", align="c") for lv in levels]
            elif c.state == LEVEL:  # the year has no 4단계 for this scale: the rounded mean instead
                row.append(Cell(f"{c.rounded:.1f}", colspan=per, align="c"))
            else:
                row.append(Cell(cell_text(c), colspan=per, align="c"))
        rows.append(tuple(row))
    notes = [Paragraph(GRID_NOTE, "note")]
    if any(c.state == HIDDEN for c in view.grid.values()):
        notes.append(Paragraph("n<5: 응답자가 5명 미만이라 결과를 싣지 않았습니다.", "note"))
    table = Table(widths=(3.6,) + (1.0,) * (per * len(FORM_GROUPS)), header=header, rows=tuple(rows),
                  font_size=8.0)
    return [Heading("1. 영역별 평가 결과", 2), table, *notes]


def findings_section(view: SchoolReportView) -> list:
    """서식3-1 (2): 결과 분석 및 종합의견 by 구분 (우수한 점 · 개선할 점 · 교육청 지원), one row per 지표."""
    rows: list[tuple[Cell, ...]] = []
    for kind in FINDING_KINDS:
        found = [f for f in view.findings if f.kind == kind]
        first = Cell(kind, rowspan=max(1, len(found)), align="c", bold=True, shaded=True)
        if not found:
            rows.append((first, Cell(), Cell(), Cell()))
            continue
        for i, f in enumerate(found):
            rest = (Cell(f.subarea), Cell(f.indicator), Cell(f.text))
            rows.append(((first,) if i == 0 else ()) + rest)
    table = Table(widths=(2.2, 2.6, 3.0, 7.2), header=(head("구분", "세부영역", "지표", "내용"),), rows=tuple(rows))
    return [Heading("2. 결과 분석 및 종합의견", 2), table,
            Paragraph("내용은 지표별 자체평가에서 옮겼습니다: 우수한 점은 '성과', 개선할 점은 '미흡한 점'과 "
                      "'개선 방안', 교육청 지원은 '교육청 지원이 필요한 부분'.", "note")]


def features_section(view: SchoolReportView) -> list:
    """서식3-1 (3): 학교교육활동 특색사례, one row per 세부영역 with a text (an empty row when none)."""
    rows = tuple((Cell(f.subarea), Cell(f.text)) for f in view.features) or ((Cell(), Cell()),)
    table = Table(widths=(3.2, 11.8), header=(head("세부영역", "특색사례"),), rows=rows)
    return [Heading("3. 학교교육활동 특색사례", 2), table]


def items_section(view: SchoolReportView) -> list:
    """서식3-2: every item asked in the year, ○ under each 평가주체 that answered it (no score)."""
    header = (
        tuple(Cell(t, rowspan=2, align="c", bold=True, shaded=True) for t in ("영역", "세부영역", "평가지표", "평가문항"))
        + head("평가주체", spans=[len(FORM_GROUPS)]),
        head(*FORM_GROUPS),
    )
    rows = tuple(
        (Cell(r.area), Cell(r.subarea), Cell(r.indicator), Cell(r.text))
        + tuple(Cell(ASKED if g in r.answered_by else "", align="c") for g in FORM_GROUPS)
        for r in view.items)
    table = Table(widths=(2.3, 2.6, 2.8, 6.2) + (1.0,) * len(FORM_GROUPS), header=header, rows=rows,
                  font_size=7.5)
    return [Heading("서식3-2. 평가문항", 1),
            Paragraph(f"{view.year}학년도 학년말 설문: " + ", ".join(view.surveys) + f" (문항 {len(view.items)}개)", "note"),
            table, Paragraph(ITEMS_NOTE if view.kind == SUBMISSION else "○: 해당 평가주체가 응답한 문항.", "note")]


def _mean(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}"


def _rounded(v: float | None) -> str:
    return "–" if v is None else f"{v:.1f}"


def _unit_table(first: str, units) -> Table:
    rows = tuple((Cell(u.label), Cell(str(u.n), align="r"), Cell(str(u.answers), align="r"),
                  Cell(_mean(u.mean), align="r"), Cell(_rounded(u.rounded), align="c"), Cell(u.level or "–", align="c"))
                 for u in units)
    return Table(widths=(6.0, 1.4, 1.4, 1.4, 1.4, 1.8),
                 header=(head(first, "응답자", "응답 수", "평균", "반올림", "4단계"),), rows=rows)


def group_section(view: SchoolReportView, g: GroupSection) -> list:
    """교내 보관용, one 평가주체: pooled 영역 and 세부영역 figures, then every item's n, mean and distribution."""
    k = view.scale_points
    out: list = [Heading(f"평가주체별 결과: {g.group} ({g.respondents})", 1)]
    if g.small:
        out.append(Paragraph("응답자가 5명 미만입니다. 이 결과는 학교 안에서만 보고, 제출용에는 n<5로만 표시합니다.", "note"))
    out += [Heading("영역별 결과 (응답 수 기준 평균)", 2), _unit_table("영역", g.domains),
            Heading("세부영역별 결과", 2), _unit_table("세부영역", g.factors),
            Heading("문항별 결과", 2)]
    header = (tuple(Cell(t, rowspan=2, align="c", bold=True, shaded=True) for t in ("세부영역", "평가지표", "평가문항", "n", "평균"))
              + head(f"응답 분포 (1~{k}점)", spans=[k]),
              head(*(str(v) for v in range(1, k + 1))))
    rows = []
    for r in g.items:
        f = r.figures[g.group]
        text = r.text + (" (역문항: 점수를 뒤집어 셈)" if r.reverse else "")
        rows.append((Cell(r.subarea), Cell(r.indicator), Cell(text), Cell(str(f.n), align="r"),
                     Cell(_mean(f.mean), align="r")) + tuple(Cell(str(c), align="r") for c in f.counts))
    out += [Table(widths=(2.4, 2.6, 6.0, 0.9, 1.1) + (0.8,) * k, header=header, rows=tuple(rows), font_size=7.5),
            Paragraph(f"1 = 전혀 그렇지 않다 … {k} = 매우 그렇다 (역문항은 뒤집은 값).", "note")]
    return out


def themes_section(t: SurveyThemes) -> list:
    """교내 보관용: one survey's comment themes — label, keywords, comments per 평가주체, representative quotes."""
    groups = list(t.groups)
    header = (head("주제", "핵심어", "의견 수", *groups, "대표 의견"),)
    rows = tuple(
        (Cell(r.label, bold=True), Cell(", ".join(r.keywords[:6])), Cell(str(r.comments), align="r"))
        + tuple(Cell(str(r.by_group[g]), align="c") for g in groups)
        + (Cell("\n".join(f"[{g}] {text}" for g, text in r.quotes)),)
        for r in t.themes)
    per = ", ".join(f"{g} {v['comments']}개" if isinstance(v["comments"], int) else f"{g} {v['comments']}"
                    for g, v in t.groups.items())
    return [Heading(t.survey, 2), Paragraph(f"평가주체별 의견 수: {per}", "note"),
            Table(widths=(2.4, 3.0, 1.1) + (1.0,) * len(groups) + (7.0,), header=header, rows=rows,
                  font_size=7.5)]
