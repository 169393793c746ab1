"""Blank survey templates: a question list ready for Google Forms / Naver Form and an empty response
sheet for paper entry (.xlsx), or a plain-text list to paste (.txt).

The response sheet's header row is the item texts exactly, so a filled-in sheet imports with every
column matched.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SchoolVaultError
from ..forms.groups import canonical_group
from ..forms.model import Survey
from ..xlsx import new_workbook

RESPONSE_ROWS = 300  # rows prepared with answer checks in the response sheet


def questions(survey: Survey, group: str) -> list[dict]:
    g = canonical_group(group)
    out = []
    n = 0
    for d in survey.domains:
        for f in d.factors:
            for i in f.items_for(g):
                n += 1
                out.append({"no": n, "code": i.code, "text": i.text, "kind": "scale", "area": d.title,
                            "factor": f.title, "indicator": i.indicator or ""})
    for q in survey.open_questions:
        if q.applies_to(g):
            n += 1
            out.append({"no": n, "code": q.code, "text": q.text, "kind": "text", "area": "", "factor": "",
                        "indicator": ""})
    return out


def write_template(survey: Survey, group: str, out: str | Path) -> dict:
    """Write the template; the kind follows the file name (.xlsx or .txt)."""
    out = Path(out)
    g = canonical_group(group)
    if g not in survey.groups:
        raise SchoolVaultError(f"응답 집단 '{group}'은(는) 이 설문에 없습니다.",
                               hint="이 설문의 응답 집단: " + ", ".join(survey.groups))
    qs = questions(survey, g)
    if not qs:
        raise SchoolVaultError(f"{g}에게 묻는 문항이 없습니다.", hint="다른 응답 집단을 고르세요.")
    labels_high_first = list(reversed(survey.scale.labels))  # forms list 매우 그렇다 first
    suffix = out.suffix.lower()
    if suffix not in (".txt", ".xlsx"):
        raise SchoolVaultError(f"'{suffix or out.name}' 형식으로는 만들 수 없습니다.", hint=".xlsx 또는 .txt로 저장하세요.")
    if not out.parent.is_dir():
        raise SchoolVaultError("저장할 폴더가 없습니다.", where=str(out.parent), hint="폴더를 먼저 만드세요.")
    if suffix == ".txt":
        lines = [f"{survey.title} — {g}", ""]
        for q in qs:
            lines.append(f"{q['no']}. {q['text']}")
            lines.append("   (서술형)" if q["kind"] == "text" else "   " + " / ".join(labels_high_first))
            lines.append("")
        try:
            out.write_text("\n".join(lines), encoding="utf-8-sig")
        except OSError as e:
            raise _cannot_write(out, e) from None
    else:
        _write_xlsx(survey, g, qs, labels_high_first, out)
    return {"file": str(out), "instrument": survey.id, "group": g, "questions": len(qs)}


def _cannot_write(out: Path, e: OSError) -> SchoolVaultError:
    return SchoolVaultError("파일을 저장할 수 없습니다.", where=str(out),
                            hint=f"다른 프로그램(엑셀 등)에서 열려 있으면 닫고 다시 하세요. ({e.strerror or e})")


def _write_xlsx(survey: Survey, group: str, qs: list[dict], labels: list[str], out: Path) -> None:
    # item texts and titles come from files people write: the writer rule keeps them plain text
    try:
        wb = new_workbook(out)
    except OSError as e:
        raise SchoolVaultError("파일을 만들 수 없습니다.", where=str(out), hint=e.strerror) from None
    bold = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    ws = wb.add_worksheet("문항")
    ws.write_row(0, 0, ["번호", "문항", "답 형식", "선택지 (위에서부터)", "영역", "요인", "지표", "코드"], bold)
    for r, q in enumerate(qs, start=1):
        ws.write_row(r, 0, [q["no"], q["text"], "서술형" if q["kind"] == "text" else "객관식(단일 선택)",
                            "" if q["kind"] == "text" else "\n".join(labels), q["area"], q["factor"],
                            q["indicator"], q["code"]], wrap)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 70)
    ws.set_column(2, 2, 16)
    ws.set_column(3, 3, 18)
    ws.set_column(4, 6, 22)
    ws.freeze_panes(1, 0)
    rs = wb.add_worksheet("응답")
    rs.write(0, 0, "번호", bold)
    for c, q in enumerate(qs, start=1):
        rs.write(0, c, q["text"], bold)
        if q["kind"] == "scale":
            rs.data_validation(1, c, RESPONSE_ROWS, c, {
                "validate": "integer", "criteria": "between", "minimum": 1, "maximum": survey.scale.points,
                "error_message": f"1~{survey.scale.points} 사이의 숫자를 입력하세요."})
    rs.set_row(0, 90)
    rs.set_column(1, len(qs), 14)
    rs.freeze_panes(1, 1)
    info = wb.add_worksheet("안내")
    info.write(0, 0, survey.title, bold)
    info.write(1, 0, f"응답 집단: {group}")
    info.write(2, 0, "척도: " + ", ".join(f"{n}={lab}" for n, lab in enumerate(survey.scale.labels, 1)))
    info.write(3, 0, "'응답' 시트에 한 사람의 답을 한 행에 숫자로 적은 뒤 SchoolVault에서 가져오세요.")
    info.set_column(0, 0, 90)
    try:
        wb.close()
    except Exception as e:  # noqa: BLE001 — xlsxwriter wraps the OSError in its own FileCreateError
        cause = e.__context__ if isinstance(e.__context__, OSError) else OSError(str(e))
        raise _cannot_write(out, cause) from None
