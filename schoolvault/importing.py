"""Survey responses in: read an export (.xlsx/.csv), map its columns to items, parse answers.

The whole file is read and checked before anything is written; the write is one transaction.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ImportRefused
from .forms.model import Survey
from .progress import NULL_PROGRESS

_SPACES = re.compile(r"\s+")
_NUMBERING = re.compile(r"^\s*(?:Q?\d+\s*[.)]|\(\d+\)|[①-⑳])\s*")


def normalize(text: str) -> str:
    """Header text without numbering, spaces and punctuation, for matching to item texts."""
    t = _NUMBERING.sub("", str(text))
    return re.sub(r"[\W_]+", "", t)


def read_table(path: Path, sheet: str | None = None) -> list[list]:
    """Rows of the first (or named) sheet of an .xlsx/.xls, or of a .csv."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "cp949"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportRefused("CSV 파일의 문자 인코딩을 알 수 없습니다.", where=path.name,
                                hint="UTF-8 또는 CP949(EUC-KR)로 저장하세요.")
        return [row for row in csv.reader(io.StringIO(text))]
    if suffix in (".xlsx", ".xls", ".xlsm", ".ods"):
        from python_calamine import CalamineWorkbook
        try:
            wb = CalamineWorkbook.from_path(str(path))
        except Exception as e:  # calamine raises its own error types for unreadable files
            raise ImportRefused("엑셀 파일을 읽을 수 없습니다.", where=path.name,
                                hint=f"파일이 손상되지 않았는지 확인하세요. ({type(e).__name__})") from None
        names = wb.sheet_names
        if sheet is not None and sheet not in names:
            raise ImportRefused(f"시트 '{sheet}'이(가) 없습니다.", where=path.name,
                                hint=f"시트 목록: {', '.join(names)}")
        return wb.get_sheet_by_name(sheet or names[0]).to_python(skip_empty_area=False)
    raise ImportRefused(f"'{suffix}' 파일은 가져올 수 없습니다.", where=path.name,
                        hint=".xlsx, .xls, .csv 파일을 고르세요.")


@dataclass
class ImportPlan:
    """What an import would do; computed without touching the workspace."""

    rows: list = field(default_factory=list)  # ResponseRow
    mapped: dict = field(default_factory=dict)  # column header → item code
    unmapped: list = field(default_factory=list)
    rows_read: int = 0
    skipped: list = field(default_factory=list)  # {"row", "reason"}
    missing_cells: list = field(default_factory=list)  # {"row", "column", "value", "reason"}


def value_parser(survey: Survey):
    labels = {normalize(lab): n for n, lab in enumerate(survey.scale.labels, start=1)}
    k = survey.scale.points

    def parse(cell) -> int | None:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return None
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            v = int(cell)
            return v if v == cell and 1 <= v <= k else -1
        key = normalize(str(cell))
        if key in labels:
            return labels[key]
        if key.isdigit() and 1 <= int(key) <= k:
            return int(key)
        return -1

    return parse


def plan_import(path: Path, survey: Survey, group: str, sheet: str | None = None) -> ImportPlan:
    from .workspace.responses import ResponseRow

    table = read_table(path, sheet)
    if not table or not any(str(c).strip() for c in table[0] if c is not None):
        raise ImportRefused("파일에 머리글(질문) 행이 없습니다.", where=path.name,
                            hint="첫 행에 질문 문장이 있는 응답 파일을 고르세요.")
    header = [str(c) if c is not None else "" for c in table[0]]
    by_text = {normalize(i.text): i.code for i in survey.items_for(group)}
    by_code = {i.code: i.code for i in survey.items_for(group)}
    plan = ImportPlan()
    cols: dict[int, str] = {}
    for ci, h in enumerate(header):
        code = by_code.get(h.strip()) or by_text.get(normalize(h))
        if code:
            cols[ci] = code
            plan.mapped[h] = code
        elif h.strip():
            plan.unmapped.append(h)
    if not cols:
        raise ImportRefused("설문 문항과 맞는 열이 하나도 없습니다.", where=path.name,
                            hint="설문 도구와 응답 집단이 맞는지 확인하세요.")
    parse = value_parser(survey)
    for ri, row in enumerate(table[1:], start=2):
        plan.rows_read += 1
        answers = {}
        for ci, code in cols.items():
            cell = row[ci] if ci < len(row) else None
            v = parse(cell)
            if v == -1:
                plan.missing_cells.append({"row": ri, "column": header[ci], "value": str(cell),
                                           "reason": "척도에 없는 값"})
                v = None
            if v is not None:
                answers[code] = v
        if not answers:
            plan.skipped.append({"row": ri, "reason": "응답이 없는 행"})
            continue
        plan.rows.append(ResponseRow(row_no=ri, answers=answers, comments={}))
    return plan


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_responses(ws, path: str | Path, instrument_id: str, group: str, *, sheet: str | None = None,
                     dry_run: bool = False, replace: bool = False, progress=NULL_PROGRESS) -> dict:
    """Import one response file for one group; all or nothing. Returns the import summary."""
    from . import services
    from .forms.groups import canonical_group
    from .workspace import responses

    path = Path(path)
    if not path.exists():
        raise ImportRefused("파일이 없습니다.", where=str(path), hint="경로를 확인하세요.")
    _, year = services.require_school(ws)
    survey = services.survey(ws, instrument_id)
    group = canonical_group(group)
    if group not in survey.groups:
        raise ImportRefused(f"응답 집단 '{group}'은(는) 이 설문에 없습니다.",
                            hint=f"다음 중 하나: {', '.join(survey.groups)}")
    plan = plan_import(path, survey, group, sheet)
    sha = file_sha256(path)
    summary = {
        "file": path.name, "instrument": instrument_id, "group": group, "rows_read": plan.rows_read,
        "respondents": len(plan.rows), "skipped_rows": plan.skipped, "missing_cells": plan.missing_cells,
        "columns_mapped": plan.mapped, "columns_unmapped": plan.unmapped, "columns_dropped": [],
        "dry_run": dry_run,
    }
    if not plan.rows:
        raise ImportRefused("가져올 응답이 없습니다.", where=path.name, hint="응답이 들어 있는 파일인지 확인하세요.")
    earlier = responses.find_by_source(ws, year, sha)
    if earlier and not replace:
        raise ImportRefused("이미 가져온 파일입니다.", where=f"{path.name} ({earlier.imported_at} 가져옴)",
                            hint="다시 가져오려면 --replace로 이전 가져오기를 바꾸세요.")
    if dry_run:
        return summary
    with ws.transaction():
        if earlier:
            responses.delete_administration(ws, earlier.id)
        ref = services.freeze_for_use(ws, instrument_id)
        adm = responses.add_administration(ws, year=year, instrument_ref=ref, group=group, rows=plan.rows,
                                           source_name=path.name, source_sha256=sha, summary=None,
                                           progress=progress)
        ws.audit("import_responses", file=path.name, instrument=instrument_id, group=group,
                 respondents=len(plan.rows), replaced=bool(earlier))
    summary["administration"] = adm
    return summary
