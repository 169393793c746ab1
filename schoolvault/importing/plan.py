"""The import plan: what importing a file would do, with every problem, computed without writing.

The CLI's --dry-run, the wizard's preview and the real import all start from the same plan, so
what the user confirmed is what gets written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ImportRefused
from ..forms.model import Survey
from ..progress import NULL_PROGRESS
from ..workspace.responses import ResponseRow
from . import grades
from . import headers as hd
from .comments import is_meaningless
from .reading import Table, read_table
from .values import INVALID, ValueParser, guess_column

PROGRESS_EVERY = 1000  # rows between progress reports
MIN_COMMENT_QUESTION_CHARS = 8  # an unmapped text column becomes comments only if its header reads like a question
SKIP = "skip"  # mapping value: leave the column out

ROLE_LABELS = {"item": "문항", "comment": "서술형 의견", "personal": "개인정보(제외)", "meta": "응답 정보(제외)",
               "attribute": "응답자 구분(학년)", "unmapped": "연결 안 됨", "empty": "빈 열"}
GRADE_SAVED = "학년 문항을 응답자 구분으로 저장했습니다"
NO_SCALE_REASON = "척도 문항에 답하지 않은 행 (응답자로 세지 않음)"


def no_scale_note(rows: int, with_comment: int) -> str:
    """The summary line for rows that answered no scale item (they are not respondents)."""
    extra = f" 그중 {with_comment}행의 서술형 의견도 함께 빠졌습니다." if with_comment else ""
    return f"척도 문항에 하나도 답하지 않은 행 {rows}개는 응답자로 세지 않고 건너뛰었습니다.{extra}"


def _stamp_text(cell) -> str:
    """A submission time as the same text whether the export kept it as a date or as text."""
    import datetime as dt
    import re
    import unicodedata

    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ")[:19]
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = unicodedata.normalize("NFKC", str(cell)).strip() if cell is not None else ""
    m = re.match(r"^(\d{4})[./-]\s*(\d{1,2})[./-]\s*(\d{1,2})\.?\s*(오전|오후|AM|PM|am|pm)?\s*"
                 r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(오전|오후|AM|PM|am|pm)?", text)
    if not m:
        return text
    y, mo, d, ap1, h, mi, sec, ap2 = m.groups()
    hour, ap = int(h), (ap1 or ap2 or "").lower()
    if ap in ("오후", "pm") and hour < 12:
        hour += 12
    elif ap in ("오전", "am") and hour == 12:
        hour = 0
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d} {hour:02d}:{int(mi):02d}:{int(sec or 0):02d}"


def row_key(row: list, stamp_cols: list[int], codes: bytes | bytearray, comments: dict, attributes: dict) -> bytes:
    """What makes a submission the same one in a later download: its time (when the file has one) and its
    answers. A digest held in memory only; what is stored is a salted hash of it (importing.overlap)."""
    h = hashlib.sha256()
    for ci in stamp_cols:
        h.update(_stamp_text(row[ci] if ci < len(row) else None).encode() + b"\x1f")
    h.update(b"\x1e" + bytes(codes))
    _hash_texts(h, sorted(comments.items()), sorted(attributes.items()))
    return h.digest()


def _hash_texts(h, comments: Iterable[tuple[str, str]], attributes: Iterable[tuple[str, tuple[str, ...]]]) -> None:
    """Open answers and attribute values into a digest, each marked so that no two rows read alike."""
    for code, text in comments:
        h.update(f"\x1f{code}\x1e{text}".encode())
    for name, values in attributes:
        h.update(f"\x1d{name}\x1e{','.join(values)}".encode())


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as a spreadsheet names columns)."""
    s = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


@dataclass
class ColumnPlan:
    """What happens to one column of the file."""

    index: int
    header: str
    role: str  # item | comment | attribute | personal | meta | unmapped | empty
    code: str | None = None
    confidence: float | None = None
    note: str = ""
    guess: str | None = None  # closest item for an unmapped column
    manual: bool = False  # set by a mapping file, the wizard, or a remembered mapping

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    def to_dict(self) -> dict:
        d: dict[str, object] = {"column": self.letter, "header": self.header, "role": self.role}
        if self.code:
            d["item"] = self.code
        if self.confidence is not None:
            d["confidence"] = self.confidence
        if self.note:
            d["reason"] = self.note
        if self.guess:
            d["best_guess"] = self.guess
        return d


@dataclass
class ImportPlan:
    """Everything an import would write and everything wrong with the file; nothing written yet."""

    path: Path
    instrument: str
    group: str
    sheet: str
    sheets: list[str]
    header_row: int
    columns: list[ColumnPlan]
    rows: list[ResponseRow] = field(default_factory=list)
    rows_read: int = 0
    skipped: list[dict] = field(default_factory=list)
    missing_cells: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    items_missing: list[str] = field(default_factory=list)
    sha256: str = ""
    content_sha256: str = ""
    attribute_invalid: int = 0  # non-empty 학년 answers that name no grade (kept without a 학년)
    # A respondent is a row that answered at least one scale item (가이드북: n counts real respondents);
    # rows with only open answers ("없음") are skipped and counted here, with those whose text said something.
    no_scale_rows: int = 0
    no_scale_with_comment: int = 0
    # Per kept row, an unsalted digest of its submission time and answers (never stored: commit salts it,
    # `importing.overlap`), and the running content digest after each kept row (→ rows), so that an earlier
    # import of the first rows of this file is recognised from its stored content_sha256.
    row_keys: list[bytes] = field(default_factory=list, repr=False)
    prefix_digests: dict[str, int] = field(default_factory=dict, repr=False)
    has_stamp: bool = False  # a timestamp / response-number column tells submissions apart
    likely_group: str | None = None  # another group whose items the headers match clearly better
    group_matches: dict[str, int] = field(default_factory=dict)  # columns matching each group's items

    def attribute_counts(self) -> dict[str, dict[str, int]]:
        """Respondents per value of each classification attribute (학년: {'1학년': 12, …})."""
        out: dict[str, dict[str, int]] = {}
        for r in self.rows:
            for name, values in r.attributes.items():
                for v in values:
                    out.setdefault(name, {})[v] = out.setdefault(name, {}).get(v, 0) + 1
        return {name: dict(sorted(c.items())) for name, c in out.items()}

    def mapping(self) -> dict[str, str | None]:
        """header → code (None: left out), as saved and as a --mapping file takes it."""
        out: dict[str, str | None] = {}
        for c in self.columns:
            if c.header and c.role in ("item", "comment", "unmapped"):
                out[c.header] = c.code if c.role in ("item", "comment") else None
        return out

    def summary(self) -> dict:
        by = lambda role: [c.to_dict() for c in self.columns if c.role == role]
        return {
            "file": self.path.name, "sheet": self.sheet, "instrument": self.instrument, "group": self.group,
            "rows_read": self.rows_read, "respondents": len(self.rows),
            "skipped_rows": self.skipped, "missing_cells": self.missing_cells,
            "columns_mapped": by("item"), "columns_comments": by("comment"),
            "columns_dropped": by("personal"), "columns_ignored": by("meta"),
            "columns_unmapped": by("unmapped"), "items_missing": self.items_missing,
            "columns_attributes": by("attribute"), "attributes": self.attribute_counts(),
            "comments": sum(len(r.comments) for r in self.rows),
            "problems": self.problems,
            "rows_without_scale_answers": self.no_scale_rows,
            "likely_group": self.likely_group, "group_matches": self.group_matches,
        }


def _targets(survey: Survey, group: str) -> list[hd.Target]:
    return ([hd.Target(i.code, i.text, "item") for i in survey.items_for(group)]
            + [hd.Target(q.code, q.text, "comment") for q in survey.open_questions if q.applies_to(group)])


def _column_values(table: Table, ci: int, limit: int = 200) -> list:
    out = []
    for _, row in table.data_rows():
        if ci < len(row):
            out.append(row[ci])
        if len(out) >= limit:
            break
    return out


def _resolve_mapping_key(key: str, headers: list[str]) -> int | None:
    """A mapping key names a column by header text (exact or normalized), letter (B) or number (2)."""
    k = str(key).strip()
    for ci, h in enumerate(headers):
        if h.strip() == k:
            return ci
    nk = hd.normalize(k)
    for ci, h in enumerate(headers):
        if nk and hd.normalize(h) == nk:
            return ci
    if k.isdigit() and 1 <= int(k) <= len(headers):
        return int(k) - 1
    if k.isalpha() and k.isascii() and k.upper() in [column_letter(i) for i in range(len(headers))]:
        return [column_letter(i) for i in range(len(headers))].index(k.upper())
    return None


def _sheet_chooser(targets: list[hd.Target]):
    """Prefer the sheet whose header row matches most items (a cover sheet matches none)."""
    from .reading import find_header_row

    def score(name: str, rows: list[list]) -> float:
        if not rows:
            return -1
        hr = find_header_row(rows)
        header = ["" if c is None else str(c) for c in rows[hr]]
        matched = sum(1 for m in hd.match_columns(header, targets).values() if m.target is not None)
        return matched * 1e6 + len(rows)
    return score


def _is_item_header(header: str, targets: list[hd.Target]) -> bool:
    """The header is one of the survey's questions (an item sentence may mention 학년)."""
    return any(m.target is not None for m in hd.match_columns([header], targets).values())


def _is_scale_question(header: str, targets: list[hd.Target], table: Table, ci: int) -> bool:
    """A survey item that mentions a name ("교사는 학생의 이름을 안다") answered on the scale: a question,
    not a name column (names, phone numbers and IDs are never scale answers)."""
    return _is_item_header(header, targets) and guess_column(_column_values(table, ci)).kind in ("labels", "numbers")


def plan_columns(headers: list[str], table: Table, survey: Survey, group: str,
                 mapping: dict | None = None, remembered: dict | None = None) -> list[ColumnPlan]:
    """Role and target of every column: personal data and metadata first, then a mapping, then matching."""
    targets = _targets(survey, group)
    by_code = {t.code: t for t in targets}
    cols = _set_aside(headers, table, targets)
    for ci, code in _manual_codes(headers, by_code, mapping, remembered).items():
        if ci in cols and cols[ci].role == "personal":
            continue  # never stored, whatever a mapping says
        if code is None:
            cols[ci] = ColumnPlan(ci, headers[ci], "unmapped", note="연결표에서 제외", manual=True)
        else:
            t = by_code[code]
            cols[ci] = ColumnPlan(ci, headers[ci], t.kind, code, 1.0, note="연결표", manual=True)
    taken = {c.code for c in cols.values() if c.code}
    free_targets = [t for t in targets if t.code not in taken]
    matches = hd.match_columns(headers, free_targets, skip=set(cols))
    for ci, h in enumerate(headers):
        if ci not in cols:
            cols[ci] = _matched_column(ci, h, matches.get(ci), table)
    return [cols[ci] for ci in range(len(headers))]


def _set_aside(headers: list[str], table: Table, targets: list[hd.Target]) -> dict[int, ColumnPlan]:
    """Columns that are not answers whatever a mapping says: personal data, metadata, 학년, empty."""
    cols: dict[int, ColumnPlan] = {}
    for ci, h in enumerate(headers):
        if hd.is_personal_header(h) and not _is_scale_question(h, targets, table, ci):
            cols[ci] = ColumnPlan(ci, h, "personal", note="개인정보로 보이는 열(머리글)")
        elif hd.is_meta_header(h):
            cols[ci] = ColumnPlan(ci, h, "meta", note="응답 시각·번호 열")
        elif grades.is_grade_column(h, _column_values(table, ci)) and not _is_item_header(h, targets):
            cols[ci] = ColumnPlan(ci, h, "attribute", grades.GRADE, note="학년: 응답자 구분으로 저장 (학년별 통계)")
        elif hd.is_demographic_header(h):
            cols[ci] = ColumnPlan(ci, h, "meta", note="응답자 구분 열(학년·성별 등)")
        elif hd.looks_personal(_column_values(table, ci)):
            cols[ci] = ColumnPlan(ci, h, "personal", note="전자우편·전화번호·이름이 들어 있는 열")
        elif not h and not any(str(v).strip() for v in _column_values(table, ci) if v is not None):
            cols[ci] = ColumnPlan(ci, h, "empty")
    return cols


def _manual_codes(headers: list[str], by_code: dict[str, hd.Target], mapping: dict | None,
                  remembered: dict | None) -> dict[int, str | None]:
    """Column → item code (None: left out) from a remembered mapping, then a --mapping file over it.
    A wrong key or code in the file is refused; in a remembered mapping it is passed over."""
    manual: dict[int, str | None] = {}
    for source in (remembered or {}, mapping or {}):
        for key, code in source.items():
            ci = _resolve_mapping_key(key, headers)
            if ci is None:
                if source is mapping:
                    raise ImportRefused(f"연결표의 열 '{key}'이(가) 파일에 없습니다.", where="연결표(--mapping)",
                                        hint="머리글 문장, 열 문자(B) 또는 열 번호(2)로 적으세요.")
                continue
            if code in (None, "", SKIP):
                manual[ci] = None
                continue
            if code not in by_code:
                if source is mapping:
                    raise ImportRefused(f"연결표의 문항 코드 '{code}'이(가) 이 설문·집단에 없습니다.",
                                        where=f"연결표(--mapping) '{key}'",
                                        hint="문항 코드: " + ", ".join(list(by_code)[:30]))
                continue
            manual[ci] = code
    return manual


def _matched_column(ci: int, h: str, m: hd.Match | None, table: Table) -> ColumnPlan:
    """A column by its header's match: an item or open question, a new open question, empty, or unmapped."""
    if m is not None and m.target is not None:
        note = "" if m.confidence >= hd.MATCH_CONFIRM else "확인 필요: 문장이 조금 다릅니다"
        return ColumnPlan(ci, h, m.target.kind, m.target.code, m.confidence, note=note)
    guess = m.best_guess.code if m is not None and m.best_guess is not None else None
    conf = m.confidence if m is not None else None
    values = _column_values(table, ci)
    if (len(hd.normalize(h)) >= MIN_COMMENT_QUESTION_CHARS and guess_column(values).kind == "text"):
        return ColumnPlan(ci, h, "comment", hd.clean_header(h)[:200], None,
                          note="설문에 없는 서술형 문항: 의견으로 저장", guess=guess)
    if not h and not any(v not in (None, "") for v in values):
        return ColumnPlan(ci, h, "empty")
    return ColumnPlan(ci, h, "unmapped", None, conf, note="맞는 문항이 없습니다", guess=guess)


GROUP_CLEAR_MARGIN = 2  # another group must place at least this many more columns to be "clearly better"


def wrong_group_text(group: str, likely: str, matches: dict[str, int]) -> str:
    return (f"이 파일의 질문은 '{group}' 문항({matches.get(group, 0)}개 일치)보다 '{likely}' 문항({matches[likely]}개 "
            f"일치)과 더 잘 맞습니다. '{likely}' 응답 파일이 아닌지 확인하세요.")


def group_fit(headers: list[str], survey: Survey, group: str, skip: frozenset[int] | set[int] = frozenset()
              ) -> tuple[dict[str, int], str | None]:
    """How many columns match each group's items, and the group the headers fit clearly better than `group`.

    Clearly better: it places at least GROUP_CLEAR_MARGIN more columns and leaves fewer of its own items
    out of the file (a 직원 file read as 교원 leaves the 교원-only items missing and the 직원-only
    columns unplaced). A file of only shared items fits both equally: no suggestion."""
    fit: dict[str, tuple[int, int]] = {}
    for g in survey.groups:
        items = [hd.Target(i.code, i.text, "item") for i in survey.items_for(g)]
        placed = sum(1 for m in hd.match_columns(headers, items, skip=set(skip)).values() if m.target is not None)
        fit[g] = (placed, len(items) - placed)
    matches = {g: f[0] for g, f in fit.items()}
    mine_placed, mine_missing = fit.get(group, (0, 0))
    better = [g for g, (placed, missing) in fit.items() if g != group
              and placed >= mine_placed + GROUP_CLEAR_MARGIN and missing < mine_missing]
    if not better:
        return matches, None
    return matches, max(better, key=lambda g: (fit[g][0], -fit[g][1]))


def plan_import(path: str | Path, survey: Survey, group: str, *, sheet: str | None = None,
                mapping: dict | None = None, remembered=None, progress=NULL_PROGRESS) -> ImportPlan:
    """Read and check the whole file; ImportRefused when nothing sensible can be imported.

    `remembered` is a mapping saved for this form, or a function headers → that mapping (or None).
    """
    path = Path(path)
    progress.report(0, 1, "파일 읽는 중")
    table = read_table(path, sheet, choose=_sheet_chooser(_targets(survey, group)))
    headers = table.header
    if callable(remembered):
        remembered = remembered(headers)
    if not table.rows or not any(headers):
        raise ImportRefused("파일에 머리글(질문) 행이 없습니다.", where=path.name,
                            hint="첫 행에 질문 문장이 있는 응답 파일을 고르세요.")
    width = max(len(headers), max((len(r) for r in table.rows), default=0))
    headers = headers + [""] * (width - len(headers))
    columns = plan_columns(headers, table, survey, group, mapping, remembered)
    not_answers = {c.index for c in columns if c.role in ("personal", "meta", "attribute", "empty")}
    group_matches, likely = group_fit(headers, survey, group, not_answers)
    item_cols = [(c.index, c.code) for c in columns if c.role == "item"]
    comment_cols = [(c.index, c.code) for c in columns if c.role == "comment"]
    attribute_cols = [(c.index, c.code) for c in columns if c.role == "attribute"]
    if not item_cols:
        raise _no_items_error(f"{path.name} {table.header_row + 1}행", likely, group_matches)
    plan = ImportPlan(path=path, instrument=survey.id, group=group, sheet=table.sheet, sheets=table.sheets,
                      header_row=table.header_row, columns=columns, likely_group=likely,
                      group_matches=group_matches)
    if likely:
        plan.problems.append(wrong_group_text(group, likely, group_matches))
    mapped = {code for _, code in item_cols}
    plan.items_missing = [i.code for i in survey.items_for(group) if i.code not in mapped]
    if plan.items_missing:
        plan.problems.append(f"파일에 없는 문항 {len(plan.items_missing)}개는 응답 없음으로 처리됩니다: "
                             + ", ".join(plan.items_missing[:10]))
    plan.problems += _column_problems(columns)
    _plan_rows(plan, table, survey, item_cols, comment_cols, progress, attribute_cols)
    if not plan.rows:
        raise _no_rows_error(plan, survey)
    plan.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return plan


def _column_problems(columns: list[ColumnPlan]) -> list[str]:
    """Columns left out (personal data, no matching item) and matches the user should confirm."""
    out = []
    for c in columns:
        if c.role == "personal":
            out.append(f"{c.letter}열 '{c.header[:30]}'은(는) 개인정보로 보여 저장하지 않습니다.")
        elif c.role == "unmapped" and c.header:
            out.append(f"{c.letter}열 '{c.header[:30]}'은(는) 맞는 문항이 없어 가져오지 않습니다.")
        elif c.role == "item" and c.note and not c.manual:
            out.append(f"{c.letter}열 '{c.header[:30]}' → {c.code}: 확인이 필요합니다 (일치도 {c.confidence:.0%}).")
    return out


def _no_items_error(where: str, likely: str | None, group_matches: dict[str, int]) -> ImportRefused:
    """No column matches an item of the group: the file may be another group's, or a survey of the school's own."""
    if likely:
        return ImportRefused(f"설문 문항과 맞는 열이 하나도 없습니다. 이 파일은 '{likely}' 응답으로 보입니다 "
                             f"({likely} 문항과 맞는 열 {group_matches[likely]}개).", where=where,
                             hint=f"'{likely}' 응답이면 응답 집단을 '{likely}'(으)로 고르세요 (명령줄: --group {likely}).")
    return ImportRefused("설문 문항과 맞는 열이 하나도 없습니다.", where=where,
                         hint="설문 도구와 응답 집단이 맞는지 확인하세요. 학교가 직접 만든 설문이면 이 파일의 "
                              "질문으로 새 설문을 먼저 만드세요 (명령줄: survey create-from).")


def _no_rows_error(plan: ImportPlan, survey: Survey) -> ImportRefused:
    """'가져올 응답이 없습니다' with its real cause: no rows, values off the scale, or no scale answers."""
    name = plan.path.name
    if plan.missing_cells:
        m = plan.missing_cells[0]
        labels = ", ".join(survey.scale.labels)
        return ImportRefused(f"응답 칸의 값 {len(plan.missing_cells)}개가 이 설문의 척도와 맞지 않아 가져올 응답이 없습니다 "
                             f"(예: {m['row']}행 {m['letter']}열 '{m['value']}').", where=name,
                             hint=f"답은 척도 라벨({labels}) 또는 1~{survey.scale.points} 숫자여야 합니다. "
                                  "설문 도구(척도)가 맞는지 확인하세요.")
    if plan.no_scale_rows:
        return ImportRefused(f"척도 문항에 답한 행이 없습니다 (서술형에만 답한 행 {plan.no_scale_rows}개).", where=name,
                             hint="척도 문항의 답이 들어 있는 응답 파일인지 확인하세요.")
    if not plan.rows_read or all(s["reason"] == "빈 행" for s in plan.skipped):
        return ImportRefused("질문 행 아래에 응답 행이 없습니다.", where=name,
                             hint="응답이 모인 시트를 내려받았는지 확인하세요.")
    return ImportRefused("가져올 응답이 없습니다.", where=name, hint="응답이 들어 있는 파일인지 확인하세요.")


def _plan_rows(plan: ImportPlan, table: Table, survey: Survey, item_cols, comment_cols, progress,
               attribute_cols=()) -> None:
    """Every data row becomes a respondent or a skipped row with its reason; then the problems they show."""
    parse = ValueParser(survey.scale)
    headers = {c.index: c.header for c in plan.columns}
    seen: dict[tuple, int] = {}
    # Identical rows are a double submission only when a timestamp (or response number) tells
    # submissions apart; without one, two people may well have given the same answers.
    has_stamp = any(c.role == "meta" for c in plan.columns)
    plan.has_stamp = has_stamp
    stamp_cols = [c.index for c in plan.columns if c.role == "meta"]
    same_rows = 0
    content = hashlib.sha256()
    total = len(table.rows) - table.header_row - 1
    rows = plan.rows
    skipped = plan.skipped
    for n, (rno, row) in enumerate(table.data_rows()):
        if n % PROGRESS_EVERY == 0:
            progress.report(n, total, "응답 확인 중")
        plan.rows_read += 1
        if not any(row):
            skipped.append({"row": rno, "reason": "빈 행"})
            continue
        key = tuple(row)
        first = seen.get(key)
        if first is not None:
            if has_stamp:
                skipped.append({"row": rno, "reason": f"중복 제출 ({first}행과 같음)"})
                continue
            same_rows += 1
        else:
            seen[key] = rno
        answers, codes = _scale_answers(plan, rno, row, item_cols, parse, headers)
        comments = _comment_texts(row, comment_cols)
        if not answers:
            _skip_without_scale(plan, rno, row, comments)
            continue
        attributes = _row_attributes(plan, row, attribute_cols)
        content.update(codes)
        _hash_texts(content, comments.items(), attributes.items())
        content.update(b"\n")
        rows.append(ResponseRow(row_no=rno, answers=answers, comments=comments, attributes=attributes))
        plan.row_keys.append(row_key(row, stamp_cols, codes, comments, attributes))
        plan.prefix_digests.setdefault(content.copy().hexdigest(), len(rows))
    plan.content_sha256 = content.hexdigest()
    _add_row_problems(plan, same_rows)


_MISS: Any = object()  # not in the parser's cache; Any so a cache hit keeps the parser's value type


def _scale_answers(plan: ImportPlan, rno: int, row: list, item_cols, parse: ValueParser,
                   headers: dict[int, str]) -> tuple[dict[str, int], bytearray]:
    """The row's scale answers by item code, and one byte per item column (0: no answer) for its digests.
    A value off the scale is no answer, listed in plan.missing_cells."""
    cache, miss = parse.cache, _MISS
    width = len(row)
    answers: dict[str, int] = {}
    codes = bytearray()
    for ci, code in item_cols:
        if ci >= width:
            codes.append(0)
            continue
        cell = row[ci]
        # True/False are hash-equal to 1/0: they must not hit the cache (the parser refuses them)
        v = miss if cell is True or cell is False else cache.get(cell, miss)
        if v is miss:
            v = parse(cell)
        if v is None:
            codes.append(0)
            continue
        if v == INVALID:
            codes.append(0)
            plan.missing_cells.append({"row": rno, "column": headers[ci], "letter": column_letter(ci),
                                       "value": str(cell)[:100], "reason": "척도에 없는 값"})
            continue
        answers[code] = v
        codes.append(v)
    return answers, codes


def _comment_texts(row: list, comment_cols) -> dict[str, str]:
    width = len(row)
    comments = {}
    for ci, code in comment_cols:
        if ci < width and row[ci] is not None:
            text = str(row[ci]).strip()
            if text:
                comments[code] = text
    return comments


def _skip_without_scale(plan: ImportPlan, rno: int, row: list, comments: dict[str, str]) -> None:
    """A row with no scale answer is not a respondent: a blank row, or one with open answers only (counted)."""
    if not any(str(c).strip() for c in row if c is not None):
        plan.skipped.append({"row": rno, "reason": "빈 행"})
        return
    plan.no_scale_rows += 1
    said = any(not is_meaningless(t) for t in comments.values())
    plan.no_scale_with_comment += said
    plan.skipped.append({"row": rno, "reason": NO_SCALE_REASON + (" (의견만 있음)" if said else "")})


def _row_attributes(plan: ImportPlan, row: list, attribute_cols) -> dict[str, tuple[str, ...]]:
    """학년 and other respondent attributes; an answer that names none is counted in plan.attribute_invalid."""
    width = len(row)
    attributes: dict[str, tuple[str, ...]] = {}
    for ci, name in attribute_cols:
        got = grades.parse_grades(row[ci]) if ci < width else None
        if got is grades.INVALID:
            plan.attribute_invalid += 1
        elif isinstance(got, tuple) and got:
            attributes[name] = tuple(sorted(set(attributes.get(name, ())) | set(got)))
    return attributes


def _add_row_problems(plan: ImportPlan, same_rows: int) -> None:
    """What the user should know about the rows: values off the scale, unreadable 학년, skipped and same rows."""
    if plan.missing_cells:
        plan.problems.append(f"척도에 없는 값 {len(plan.missing_cells)}칸은 응답 없음으로 처리됩니다.")
    if plan.attribute_invalid:
        plan.problems.append(f"학년으로 읽을 수 없는 답 {plan.attribute_invalid}개는 학년 무응답으로 처리됩니다.")
    if plan.no_scale_rows:
        plan.problems.append(no_scale_note(plan.no_scale_rows, plan.no_scale_with_comment))
    if same_rows:
        plan.problems.append(f"앞의 행과 똑같은 행 {same_rows}개가 있습니다. 응답 시각 열이 없어 중복 제출인지 알 수 "
                             "없으므로 모두 가져옵니다.")
    dups = sum(1 for s in plan.skipped if s["reason"].startswith("중복"))
    if dups:
        plan.problems.append(f"똑같은 행(중복 제출) {dups}개는 한 번만 가져옵니다.")
