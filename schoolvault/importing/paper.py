"""Paper forms typed in (종이 설문 입력): rows of item → value saved as one administration.

The paper-entry grid saves through `save_paper_rows` every couple of seconds; each save replaces
the batch's earlier save in one transaction, so what is on screen is what is stored.
"""

from __future__ import annotations

from ..errors import SchoolVaultError
from ..forms.groups import canonical_group
from ..forms.periods import require_period
from ..workspace import responses
from ..workspace.db import Workspace
from ..workspace.responses import ResponseRow
from .grades import GRADE, INVALID, parse_grades

PAPER_METHOD = "paper"
PAPER_SOURCE = "종이 설문 입력"


def check_value(value, points: int) -> int | None:
    """A typed answer as 1..k, None when blank; SchoolVaultError when outside the scale."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        v = int(str(value).strip())
    except ValueError:
        v = -1
    if not 1 <= v <= points:
        raise SchoolVaultError(f"'{value}'은(는) 1~{points} 사이의 숫자가 아닙니다.", hint=f"1부터 {points}까지 입력하세요.")
    return v


def save_paper_rows(ws: Workspace, instrument_id: str, group: str, rows: list[dict],
                    comments: list[dict] | None = None, *, administration: int | None = None,
                    period: str | None = None, grades: list | None = None) -> int | None:
    """Store typed-in forms (row: item code → value); replaces `administration` if given.

    `period` is 중간 or 학년말 (default 학년말); `grades`, one entry per form, is the 학년 ticked on it
    ('3', '1학년, 3학년' or a list), kept as a respondent attribute. Empty forms are left out; returns
    the administration id (None when nothing is left to store).
    """
    from .. import reads

    period = require_period(period)

    _, year = reads.require_school(ws)
    survey = reads.survey(ws, instrument_id)
    g = canonical_group(group)
    if g not in survey.groups:
        raise SchoolVaultError(f"응답 집단 '{group}'은(는) 이 설문에 없습니다.", hint=", ".join(survey.groups))
    codes = {i.code for i in survey.items_for(g)}
    qcodes = {q.code for q in survey.open_questions if q.applies_to(g)}
    out = []
    for n, row in enumerate(rows):
        answers = {}
        for code, value in row.items():
            if code not in codes:
                raise SchoolVaultError(f"문항 '{code}'은(는) 이 설문·집단에 없습니다.")
            try:
                v = check_value(value, survey.scale.points)
            except SchoolVaultError as e:
                raise SchoolVaultError(e.message, where=f"{n + 1}번째 응답지 {code}", hint=e.hint) from None
            if v is not None:
                answers[code] = v
        texts = {q: str(t).strip() for q, t in ((comments or [])[n].items() if comments and n < len(comments)
                                               else ()) if q in qcodes and str(t).strip()}
        attributes = {}
        if grades and n < len(grades) and grades[n] not in (None, ""):
            cell = grades[n]
            got = parse_grades(", ".join(map(str, cell)) if isinstance(cell, (list, tuple)) else cell)
            if got is INVALID:
                raise SchoolVaultError(f"'{cell}'은(는) 학년으로 읽을 수 없습니다.", where=f"{n + 1}번째 응답지 학년",
                                       hint="1~6 또는 '3학년', 여러 학년은 '1학년, 3학년'처럼 적으세요.")
            if got:
                attributes[GRADE] = got
        if answers or texts:
            out.append(ResponseRow(row_no=n + 1, answers=answers, comments=texts, attributes=attributes))
    with ws.transaction():
        if administration is not None:
            responses.delete_administration(ws, administration)
        if not out:
            return None
        ref = reads.freeze_for_use(ws, instrument_id)
        adm = responses.add_administration(ws, year=year, instrument_ref=ref, group=g, rows=out,
                                           source_name=PAPER_SOURCE, method=PAPER_METHOD, period=period)
        if administration is None:  # autosaves of the same batch are one change, not many
            ws.audit("paper_entry", instrument=instrument_id, group=g, period=period, respondents=len(out))
    return adm
