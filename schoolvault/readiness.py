"""Before a district-bound file is written: what is still missing (제출 전 점검).

The 학교평가서 제출용 and the submission workbook leave the school. One function lists what a reader at the
office would find missing — unrated indicators, empty findings, 평가주체 without year-end answers,
personal data in comments the school chose to quote — each with the place where it is fixed. The GUI
shows the list before writing (the user may go on anyway); `check --submission` prints it.
"""

from __future__ import annotations

from . import catalog, reads, results
from .forms.model import Survey
from .forms.periods import DOCUMENT_PERIOD, PERIOD_LABELS
from .forms.scoring import GUIDEBOOK_SCORING
from .masking import has_personal
from .workspace import responses, selfeval

UNRATED = "unrated"
EMPTY_FINDINGS = "empty_findings"
NO_ANSWERS = "no_answers"
PERSONAL = "personal_comment"
KIND_LABELS = {UNRATED: "등급 없는 지표", EMPTY_FINDINGS: "비어 있는 평가 내용", NO_ANSWERS: "응답 없는 평가주체",
               PERSONAL: "개인정보가 든 선택 의견"}
# the findings the 학교평가서 prints per indicator (서식3-1: 우수한 점, 개선할 점)
FINDING_FIELDS = {"achievements": "우수한 점(성과)", "shortcomings": "개선할 점(미흡한 점)"}


def _problem(kind: str, text: str, page: str, target: str | None = None, **extra) -> dict:
    return {"kind": kind, "label": KIND_LABELS[kind], "text": text, "page": page, "target": target, **extra}


def pre_submission_check(ws, year: int | None = None) -> list[dict]:
    """What is missing before a file goes to the office, in the order a reader meets it.

    Each problem: kind (unrated, empty_findings, no_answers, personal_comment), label (Korean kind),
    text (one Korean sentence), page (plan, selfeval, surveys, comments — where it is fixed), target
    (the indicator code or survey id there). Empty when nothing is missing. Never raises for an
    unfinished year: that is what it reports."""
    _, cur = reads.require_school(ws)
    year = year or cur
    return _indicators(ws, year) + _answers(ws, year) + _personal(ws, year)


def _indicators(ws, year: int) -> list[dict]:
    gb = reads.year_guidebook(ws, year)
    entries = {e.indicator: e for e in selfeval.entries(ws, year)}
    out: list[dict] = []
    if not entries:
        return [_problem(UNRATED, "평가할 지표를 아직 고르지 않았습니다.", "plan")]
    for ind in gb.indicators():
        e = entries.get(ind.code)
        if e is None:
            continue
        if e.rating is None:
            out.append(_problem(UNRATED, f"'{ind.title}' 지표에 등급이 없습니다.", "selfeval", ind.code))
        empty = [label for field, label in FINDING_FIELDS.items() if not getattr(e, field).strip()]
        if empty:
            out.append(_problem(EMPTY_FINDINGS, f"'{ind.title}' 지표의 {', '.join(empty)}이(가) 비어 있습니다.",
                                "selfeval", ind.code))
    return out


def _document_surveys(ws) -> list[Survey]:
    return [a.instrument for a in catalog.available(ws)
            if isinstance(a.instrument, Survey) and a.instrument.scoring == GUIDEBOOK_SCORING]


def _answers(ws, year: int) -> list[dict]:
    counts = responses.response_counts(ws, year, period=DOCUMENT_PERIOD)
    period = PERIOD_LABELS[DOCUMENT_PERIOD]
    used = [s for s in _document_surveys(ws) if counts.get(s.id)]
    if not used:
        return [_problem(NO_ANSWERS, f"{period} 설문 응답이 없습니다. 평가주체별 영역 결과를 낼 수 없습니다.",
                         "surveys")]
    return [_problem(NO_ANSWERS, f"{s.title}: {g} {period} 응답이 없습니다.", "surveys", s.id, group=g)
            for s in used for g in s.groups if not counts[s.id].get(g)]


def _personal(ws, year: int) -> list[dict]:
    counts = responses.response_counts(ws, year, period=DOCUMENT_PERIOD)
    out = []
    for s in _document_surveys(ws):
        if not counts.get(s.id):
            continue
        for c in results.survey_comments(ws, s.id, year):
            if c["selected"] and has_personal(c["text"]):
                out.append(_problem(PERSONAL, f"{s.title}: 고른 {c['group']} 의견에 이름·연락처 같은 개인정보가 있습니다.",
                                    "comments", s.id, comment=c["id"]))
    return out
