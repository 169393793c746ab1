"""Paper questionnaire (설문지): a printable form with scale boxes, for schools that survey on paper.

Items are numbered in the order the response template uses, and each carries its code in small
print, so answers can be typed in fast afterwards. Only the group's items are printed.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from .. import catalog
from ..errors import SchoolVaultError
from ..forms.groups import canonical_group
from ..forms.model import Survey
from ..progress import NULL_PROGRESS
from ..workspace import school as school_db
from .docmodel import check_suffix
from .pdf_common import (
    BODY_W,
    HEAD_BG,
    INK,
    RULE,
    ZEBRA,
    ReportDoc,
    box,
    build,
    esc,
    h2,
    keep,
    markup,
    new_page_if_short,
    para,
    styles,
    write_pdf,
)
from .questionnaire_doc import questionnaire_document
from .writers import write_document

OPEN_ANSWER_LINES = 4


def _checkbox() -> Drawing:
    d = Drawing(11, 11)
    d.add(Rect(1, 1, 9, 9, fillColor=None, strokeColor=INK, strokeWidth=0.8))
    return d


def _scale_table(survey: Survey, items: list, start: int) -> Table:
    st = styles()
    k = survey.scale.points
    box_w = 15 * mm if k <= 5 else 12 * mm
    text_w = BODY_W - 10 * mm - k * box_w
    # scale labels break between words only ('전혀 그렇지 / 않다'), never inside one
    label_style = ParagraphStyle("scale_label", parent=st["head"], fontSize=7.5, leading=9.5)
    head = [Paragraph("번호", st["head"]), Paragraph("문항", st["head"])] + \
           [Paragraph(esc(lab), label_style) for lab in survey.scale.labels[::-1]]
    rows = [head]
    for n, item in enumerate(items, start):
        text = f"{esc(item.text)} <font size=6 color='#9CA3AF'>{esc(item.code)}</font>"
        rows.append([Paragraph(str(n), st["cell_c"]), Paragraph(text, st["cell"])] + [_checkbox() for _ in range(k)])
    t = Table(rows, colWidths=[10 * mm, text_w] + [box_w] * k, repeatRows=1)
    cmds = [("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (2, 1), (-1, -1), "CENTER"),
            ("TOPPADDING", (0, 1), (-1, -1), 4), ("BOTTOMPADDING", (0, 1), (-1, -1), 4)]
    cmds += [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(2, len(rows), 2)]
    t.setStyle(TableStyle(cmds))
    return t


def _open_box(question: str, n: int, lead: list) -> list:
    st = styles()
    lines = Table([[""] for _ in range(OPEN_ANSWER_LINES)], colWidths=[BODY_W], rowHeights=[8 * mm] * OPEN_ANSWER_LINES)
    lines.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("BOX", (0, 0), (-1, -1), 0.6, RULE)]))
    return [keep(*lead, Paragraph(f"<b>{n}.</b> {esc(question)}", st["body"]), lines, Spacer(1, 4 * mm))]


def questionnaire(ws, out: str | Path, *, instrument: str, group: str, progress=NULL_PROGRESS) -> dict:
    """Write a paper form of `instrument` for `group` (교원, 직원, 학생, 학부모) to `out`: PDF, or .hwpx/.docx
    (the same form as a document model, questionnaire_doc.py) by the file's suffix.

    ws may be None (blank form without the school's name). Raises SchoolVaultError when the
    instrument is not a survey, the group is not one of its groups or the suffix is not one of the three.
    """
    inst = catalog.resolve(ws, instrument).instrument
    if not isinstance(inst, Survey):
        raise SchoolVaultError(f"'{instrument}'은(는) 설문 도구가 아닙니다.", hint="설문 id를 고르세요 ('instruments list').")
    g = canonical_group(group)
    if g not in inst.groups:
        raise SchoolVaultError(f"'{group}' 집단은 이 설문에 없습니다.", where=instrument,
                               hint=f"다음 중 하나를 쓰세요: {', '.join(inst.groups)}")
    suffix = check_suffix(out)
    school = school_db.get_school(ws) if ws is not None else None
    items = inst.items_for(g)
    opens = [q for q in inst.open_questions if q.applies_to(g)]
    if suffix != ".pdf":
        progress.report(0, 1, "설문지 만드는 중")
        doc = questionnaire_document(inst, g, school.name if school else "", school.level if school else None)
        result = write_document(doc, out, progress=progress)
        result.update(instrument=inst.id, group=g, items=len(items), open_questions=len(opens))
        return result
    progress.report(0, 1, "설문지 만드는 중")
    name = school.name if school else ""
    title = f"{inst.title}"
    k = inst.scale.points

    def make(buf) -> int:
        st = styles()
        doc = ReportDoc(buf, title=title, header_right=f"{name} · {g}용".strip(" ·"), progress=progress,
                        first="body")
        story: list = [Paragraph(esc(title), st["H1"]),
                       para(f"{g}용{' · ' + name if name else ''}", "H3"),
                       box([markup("이 설문은 우리 학교 교육활동을 돌아보고 더 나은 학교를 만들기 위한 것입니다. "
                                   "이름을 적지 않으며, 응답 내용은 통계로만 사용합니다."),
                            markup(f"각 문항을 읽고 생각과 가장 가까운 칸 <b>하나</b>에 V 표시를 해 주세요 "
                                   f"({k}칸 가운데 하나). 답하기 어려운 문항은 비워 두어도 됩니다.")]),
                       Spacer(1, 5 * mm)]
        n = 1
        for d in inst.domains:
            ditems = [i for f in d.factors for i in f.items if i.applies_to(g)]
            if not ditems:
                continue
            # a heading never ends a page: it needs room for itself, the scale header and a few items;
            # longer domains continue on the next page with the scale header repeated
            story += [new_page_if_short(55), h2(d.title, toc=False), _scale_table(inst, ditems, n), Spacer(1, 3 * mm)]
            n += len(ditems)
        lead: list = [h2("자유롭게 적어 주세요", toc=False)]
        for q in opens:
            story += _open_box(q.text, n, lead)
            lead = []
            n += 1
        story += [Spacer(1, 4 * mm), para("응답해 주셔서 감사합니다.", "cell_c")]
        build(doc, story, with_toc=False)
        return doc.page

    result = write_pdf(out, make)
    result.update(instrument=inst.id, group=g, items=len(items), open_questions=len(opens))
    return result
