"""The question list of one group, laid out to build the survey in Google Forms or Naver Form (설문 문항 목록).

A form built from this list exports answers that import without hand-editing: the question texts are
the item texts, the options are the scale labels (high first, as forms list them), and for 학생 and
학부모 the 학년 question comes first so results can be read by 학년 (importing/grades.py reads it back).
Writers: plain text to paste (one question per line, then its options one per line) and .xlsx.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SchoolVaultError
from ..forms.breakdown import GRADE
from ..forms.groups import canonical_group
from ..forms.model import Survey
from .template import questions

GRADE_GROUPS = ("학생", "학부모")          # groups whose results are read by 학년 (가이드북)
GRADES_BY_LEVEL = {"초": 6, "중": 3, "고": 3}  # 학년 offered per 학교급; 특수 and unknown: 6
DEFAULT_GRADES = 6
KIND_SCALE = "객관식 (하나만 선택)"
KIND_MULTI = "체크박스 (여러 개 선택)"
KIND_TEXT = "서술형 (장문)"


def grade_question(group: str, level: str | None) -> dict | None:
    """The 학년 question a 학생 or 학부모 form asks first; None for other groups.

    A parent with children in several grades ticks several (checkboxes); a student picks one."""
    g = canonical_group(group)
    if g not in GRADE_GROUPS:
        return None
    n = GRADES_BY_LEVEL.get(level or "", DEFAULT_GRADES)
    options = [f"{k}학년" for k in range(1, n + 1)]
    if g == "학부모":
        return {"code": GRADE, "text": "자녀의 학년을 고르세요. (자녀가 여럿이면 모두 고르세요)", "kind": "multi",
                "options": options}
    return {"code": GRADE, "text": "몇 학년입니까?", "kind": "single", "options": options}


def form_questions(survey: Survey, group: str, level: str | None) -> list[dict]:
    """Every question of the group's form in order: {"no", "text", "kind", "kind_label", "options", "code"}.

    Raises SchoolVaultError when the survey does not ask the group or asks it nothing."""
    g = canonical_group(group)
    if g not in survey.groups:
        raise SchoolVaultError(f"응답 집단 '{group}'은(는) 이 설문에 없습니다.",
                               hint="이 설문의 응답 집단: " + ", ".join(survey.groups))
    items = questions(survey, g)
    if not items:
        raise SchoolVaultError(f"{g}에게 묻는 문항이 없습니다.", hint="다른 응답 집단을 고르세요.")
    labels_high_first = list(reversed(survey.scale.labels))
    out: list[dict] = []
    gq = grade_question(g, level)
    if gq:
        out.append({"text": gq["text"], "kind": gq["kind"], "options": gq["options"], "code": gq["code"],
                    "kind_label": KIND_MULTI if gq["kind"] == "multi" else KIND_SCALE})
    for q in items:
        scale = q["kind"] == "scale"
        out.append({"text": q["text"], "kind": "single" if scale else "text", "code": q["code"],
                    "options": labels_high_first if scale else [],
                    "kind_label": KIND_SCALE if scale else KIND_TEXT})
    for n, q in enumerate(out, 1):
        q["no"] = n
    return out


def form_text(survey: Survey, group: str, level: str | None) -> str:
    """Plain text to paste into a form: a numbered question per line, then its options one per line
    (Google Forms and Naver Form make one option of each pasted line), a blank line between questions.
    A 서술형 question has "(서술형)" instead of options; the 학년 question says in its text that
    several may be ticked."""
    g = canonical_group(group)
    lines = [f"{survey.title} — {g}", ""]
    for q in form_questions(survey, g, level):
        lines.append(f"{q['no']}. {q['text']}")
        if q["kind"] == "text":
            lines.append("(서술형)")
        lines.extend(q["options"])
        lines.append("")
    return "\n".join(lines)


def write_form_questions(survey: Survey, group: str, level: str | None, out: str | Path) -> dict:
    """Write the group's question list as .txt (to paste) or .xlsx (a table), by the file's suffix."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".txt", ".xlsx"):
        raise SchoolVaultError(f"'{suffix or out.name}' 형식으로는 만들 수 없습니다.", hint=".xlsx 또는 .txt로 저장하세요.")
    if not out.parent.is_dir():
        raise SchoolVaultError("저장할 폴더가 없습니다.", where=str(out.parent), hint="폴더를 먼저 만드세요.")
    g = canonical_group(group)
    qs = form_questions(survey, g, level)
    try:
        if suffix == ".txt":
            out.write_text(form_text(survey, g, level), encoding="utf-8")
        else:
            _write_xlsx(survey.title, g, qs, out)
    except OSError as e:
        raise SchoolVaultError("파일을 저장할 수 없습니다.", where=str(out),
                               hint=f"다른 프로그램에서 열려 있으면 닫고 다시 하세요. ({e.strerror or e})") from None
    return {"file": str(out), "instrument": survey.id, "group": g, "questions": len(qs)}


def _write_xlsx(title: str, group: str, qs: list[dict], out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    sh = wb.active
    sh.title = "문항"
    sh.append([f"{title} — {group}"])
    sh.append(["번호", "문항", "답 형식", "선택지 (위에서부터)"])
    for q in qs:
        sh.append([q["no"], q["text"], q["kind_label"], "\n".join(q["options"])])
    sh["A1"].font = Font(bold=True, size=13)
    for cell in sh[2]:
        cell.font = Font(bold=True)
    for row in sh.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCD", (6, 70, 20, 18)):
        sh.column_dimensions[col].width = width
    sh.freeze_panes = "A3"
    wb.save(out)
