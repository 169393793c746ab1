"""The paper questionnaire (설문지) as a document model, for .hwpx and .docx (`writers.write_document`).

Same content as the PDF form (reports/questionnaire.py): title, instructions, one table per 영역 with
번호 · 문항 · one empty answer box per scale point headed by the survey's scale labels (highest first, as
printed forms do), then the open questions with blank lines to write on. Items are numbered as the
response template numbers them, so answers can be typed in fast. For 학생 and 학부모 the 학년 question
comes first (unnumbered, as in the template it is a column of its own; importing/form_questions.py).
A school edits these in 한글 or Word before printing.
"""

from __future__ import annotations

from ..forms.model import Survey
from ..importing.form_questions import grade_question
from .docmodel import EMPTY, Cell, Document, Heading, Paragraph, Table, head

OPEN_ANSWER_LINES = 4
BOX = "□"


def instructions(points: int) -> list[str]:
    return ["이 설문은 우리 학교 교육활동을 돌아보고 더 나은 학교를 만들기 위한 것입니다. "
            "이름을 적지 않으며, 응답 내용은 통계로만 사용합니다.",
            f"각 문항을 읽고 생각과 가장 가까운 칸 하나에 V 표시를 해 주세요 ({points}칸 가운데 하나). "
            "답하기 어려운 문항은 비워 두어도 됩니다."]


def questionnaire_document(survey: Survey, group: str, school_name: str = "", level: str | None = None) -> Document:
    """The form of `survey` for `group` (already canonical and one of the survey's groups)."""
    k = survey.scale.points
    labels = list(reversed(survey.scale.labels))  # 매우 그렇다 first
    doc = Document(title=survey.title, header=f"{school_name} · {group}용".strip(" ·"))
    doc.add(Paragraph(survey.title, "title"),
            Paragraph(f"{group}용{' · ' + school_name if school_name else ''}", "subtitle"),
            *(Paragraph(t) for t in instructions(k)))
    gq = grade_question(group, level)
    if gq:
        doc.add(Heading("먼저 알려 주세요", level=2), Paragraph(gq["text"]),
                Paragraph("   ".join(f"{BOX} {o}" for o in gq["options"])))
    n = 1
    for d in survey.domains:
        items = [i for f in d.factors for i in f.items_for(group)]
        if not items:
            continue
        rows = tuple((Cell(str(no), align="c"), Cell(i.text)) + tuple(Cell(EMPTY, align="c") for _ in range(k))
                     for no, i in enumerate(items, n))
        doc.add(Heading(d.title, level=2),
                Table(widths=(1.0, 8.0 if k <= 5 else 7.0) + (1.3,) * k, header=(head("번호", "문항", *labels),),
                      rows=rows, font_size=9.0 if k <= 5 else 8.0))
        n += len(items)
    opens = [q for q in survey.open_questions if q.applies_to(group)]
    if opens:
        doc.add(Heading("자유롭게 적어 주세요", level=2))
    for q in opens:
        doc.add(Paragraph(f"{n}. {q.text}"),
                Table(widths=(1.0,), header=(), rows=tuple((Cell(EMPTY),) for _ in range(OPEN_ANSWER_LINES))))
        n += 1
    doc.add(Paragraph("응답해 주셔서 감사합니다."))
    return doc
