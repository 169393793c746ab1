"""The office's item bank as schools receive it (평가문항 예시자료) → one ItemBank.

Three layouts are read, recognised by content, not by file name:
- the workbook with one sheet per 평가주체 (학생용 · 학부모용 · 교원용 · 직원용) and the columns
  연번 · (YYYY) 영역 · (YYYY) 세부영역 · (YYYY) 평가지표 · 평가문항(YYYY 평가지표 반영), one row per example item;
- the same sheets exported as one JSON file per 평가주체 (a list of row objects; the first key is sometimes
  garbled, e.g. a BOM or mojibake before "연번"), the 평가주체 taken from a column or the file name;
- the single pool without 평가주체 (2026: 영역 · 세부영역 · 평가지표 · 예시문항), whose sets have group None
  because the school chooses the 평가주체 when it builds a questionnaire.

Several files given together (e.g. 학생용.json … 직원용.json) make one bank. Labels are normalised (middle
dots, spaces, Roman numerals), a sentence broken over lines stays one item, and a row whose 세부영역 disagrees
with where the same 평가지표 sits everywhere else is placed by the indicator and reported as a Correction.
The result is frozen as a `kind: itembank` object (see forms/loader), so the copy re-parses on its own.
Everything raises InstrumentError in Korean naming the file, sheet and row.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InstrumentError, SchoolVaultError
from ..filetypes import foreign_kind
from ..forms.groups import GROUPS, canonical_group, group_order
from ..forms.loader import parse_instrument
from ..forms.model import ItemBank, ItemBankSet
from .reading import _OLE_MAGIC, _ZIP_MAGIC, _check_unzipped_size, _is_encrypted_ole

# The office's files mix these for the middle dot (가운뎃점); one kind is kept.
MIDDLE_DOTS = re.compile(r"[·‧ㆍ•∙・･]")
MIDDLE_DOT = "·"
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_ROMAN_CHAR = {n: chr(0x2160 + n - 1) for n in range(1, 11)}  # Ⅰ … Ⅹ, as the office prints them
_AREA_RE = re.compile(r"^([IVX]+)\s*[.)]\s*(.*)$", re.IGNORECASE)
_SUBAREA_RE = re.compile(r"^([IVX]+)\s*[-‐‑–—]\s*(\d+)\s*[.)]?\s*(.*)$", re.IGNORECASE)
_YEAR_PREFIX = re.compile(r"^\((\d{4})\)")
_YEAR = re.compile(r"(20\d\d)")
HEADER_SCAN_ROWS = 10  # a title may sit above the header row
REQUIRED = ("영역", "세부영역", "평가지표", "문항")
_ROLE_NAMES = ("세부영역", "평가지표", "평가주체", "평가대상자", "영역", "연번")  # longest suffix first
EXPECTED_COLUMNS = "연번 · 영역 · 세부영역 · 평가지표 · 평가문항(또는 예시문항)"


# ---------------------------------------------------------------- normalisation

def clean_text(value: Any) -> str:
    """A cell as one line: line breaks and runs of spaces become one space, one kind of middle dot."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = _INVISIBLE.sub("", unicodedata.normalize("NFC", str(value)))
    return " ".join(MIDDLE_DOTS.sub(MIDDLE_DOT, s).split())


def _label_text(value: Any) -> str:
    # NFKC after the dots (NFKC would turn ㆍ into a jamo): Ⅲ and III, full-width letters and digits agree
    return " ".join(unicodedata.normalize("NFKC", clean_text(value)).split())


def label_key(value: Any) -> str:
    """How two labels are compared: no spaces, one middle dot, Roman numerals as letters."""
    return "".join(_label_text(value).split())


@dataclass(frozen=True)
class Label:
    """An 영역 or 세부영역 label split into its number (Ⅲ-2 → (3, 2)) and title."""

    code: tuple[int, ...] | None
    title: str

    @property
    def title_key(self) -> str:
        return "".join(self.title.split())

    @property
    def key(self) -> tuple:
        return (self.code, self.title_key)

    def display(self) -> str:
        if not self.code:
            return self.title
        if len(self.code) == 1:
            return f"{_ROMAN_CHAR[self.code[0]]}. {self.title}"
        return f"{_ROMAN_CHAR[self.code[0]]}-{self.code[1]}. {self.title}"


def parse_label(value: Any, *, subarea: bool) -> Label:
    """'Ⅲ-2. 인문·과학·예체능 교육', 'III-2 인문‧과학‧예체능 교육' → the same Label."""
    s = _label_text(value)
    m = (_SUBAREA_RE if subarea else _AREA_RE).match(s)
    title = m.group(3 if subarea else 2).strip() if m else ""
    if m and m.group(1).upper() in _ROMAN and title:
        n = _ROMAN[m.group(1).upper()]
        return Label((n, int(m.group(2))) if subarea else (n,), title)
    return Label(None, s)


# ---------------------------------------------------------------- rows and results

@dataclass
class Row:
    """One example item as read: where it came from and its raw labels (normalised to one line)."""

    file: str
    sheet: str  # sheet name, or "" for a JSON file
    row: int  # spreadsheet row number, or the record's number in a JSON list (1-based)
    area: Label
    subarea: Label
    indicator: str
    group: str | None
    text: str

    def where(self) -> str:
        return _where(self.file, self.sheet, self.row)


@dataclass(frozen=True)
class Correction:
    """A row placed by its indicator rather than by the 영역/세부영역 written in it."""

    file: str
    sheet: str
    row: int
    column: str  # 세부영역 or 영역
    indicator: str
    before: str
    after: str

    def to_dict(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "indicator": self.indicator, "from": self.before, "to": self.after}

    def describe(self) -> str:
        return (f"{_where(self.file, self.sheet, self.row)} '{self.indicator}': {self.column} "
                f"'{self.before}' → '{self.after}'")


@dataclass
class BankRead:
    """What the files gave: the bank (as re-parsed from `text`), the text to freeze, and a report."""

    bank: ItemBank
    text: str
    filename: str
    rows: int
    corrections: list[Correction] = field(default_factory=list)
    duplicates: int = 0
    skipped_sheets: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {"rows": self.rows, "sets": len(self.bank.sets),
                "groups": sorted({s.group for s in self.bank.sets if s.group}, key=_group_order),
                "pool": any(s.group is None for s in self.bank.sets), "duplicates": self.duplicates,
                "skipped_sheets": self.skipped_sheets, "corrections": [c.to_dict() for c in self.corrections]}


def _where(file: str, sheet: str, row: int | None = None) -> str:
    parts = [file]
    if sheet:
        parts.append(f"'{sheet}' 시트")
    if row:
        parts.append(f"{row}행" if sheet else f"{row}번째 항목")
    return " ".join(parts)


def _group_order(g: str) -> int:
    return group_order(g)


# ---------------------------------------------------------------- recognising files

def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(4096)
    except OSError as e:
        raise InstrumentError("파일을 열 수 없습니다.", where=str(path),
                              hint=f"파일 경로와 읽기 권한을 확인하세요. ({e.strerror})") from None


def _load_json(path: Path) -> Any:
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp949")
            except UnicodeDecodeError:
                raise InstrumentError("파일의 문자 인코딩을 알 수 없습니다.", where=path.name,
                                      hint="메모장 등에서 UTF-8로 다시 저장하세요.") from None
    try:
        return json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as e:
        raise InstrumentError(f"JSON 형식이 올바르지 않습니다: {e.msg}", where=f"{path.name} {e.lineno}번째 줄",
                              hint="파일이 손상되지 않았는지 확인하세요.") from None
    except RecursionError:
        raise InstrumentError("JSON이 너무 깊게 중첩되어 있습니다.", where=path.name,
                              hint="문항 예시자료 파일이 맞는지 확인하세요.") from None


def _json_sheets(data: Any) -> dict[str, list] | None:
    """Row lists of a per-group JSON export ({"": rows}) or of several sheets ({name: rows}); None when the
    data is another format (the older 평가문항목록 list or a `kind:` instrument, read by forms/loader)."""
    if isinstance(data, list):
        first = next((r for r in data if isinstance(r, dict)), None)
        if first is None or "평가문항목록" in first:
            return None
        return {"": data}
    if isinstance(data, dict) and "kind" not in data and data and all(isinstance(v, list) for v in data.values()):
        return {str(k): v for k, v in data.items()}
    return None


def is_bank_file(path: str | Path) -> bool:
    """True for a workbook or a JSON row export this module reads (by content, not by name)."""
    path = Path(path)
    head = _head(path)
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return True
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not probe.startswith((b"[", b"{")) and path.suffix.lower() != ".json":
        return False
    try:
        return _json_sheets(_load_json(path)) is not None
    except SchoolVaultError:
        return path.suffix.lower() == ".json"  # let the reader say what is wrong with it


# ---------------------------------------------------------------- tables → rows

def _role(cell: Any, first: bool) -> tuple[str | None, int | None]:
    """(role, year) of a header cell: 연번, 영역, 세부영역, 평가지표, 문항 or 평가주체."""
    s = label_key(cell)
    year = None
    m = _YEAR_PREFIX.match(s)
    if m:
        year, s = int(m.group(1)), s[m.end():]
    if s.startswith(("평가문항", "예시문항")) or s == "문항":
        y = _YEAR.search(s)
        return "문항", year or (int(y.group(1)) if y else None)
    if s in ("평가주체", "평가대상자", "응답집단"):
        return "평가주체", year
    if s in ("연번", "영역", "세부영역", "평가지표"):
        return s, year
    if first:  # an export's first key may carry a BOM or mojibake before "연번"
        for enc in ("cp1252", "latin-1"):
            try:
                repaired = s.encode(enc).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            role = _role(repaired, False)
            if role[0]:
                return role
        for name in _ROLE_NAMES:
            if s.endswith(name):
                return ("평가주체" if name == "평가대상자" else name), year
    return None, None


def _columns(header: list) -> tuple[dict[str, int], list[int]]:
    cols: dict[str, int] = {}
    years: list[int] = []
    for i, cell in enumerate(header):
        role, year = _role(cell, i == 0)
        if role and role not in cols:
            cols[role] = i
            if year:
                years.append(year)
    return cols, years


def _group_from_name(name: str) -> str | None:
    n = "".join(name.split())
    if canonical_group(n) in GROUPS:
        return canonical_group(n)
    for g in ("학부모", "학생", "교원", "교사", "직원"):  # 학부모 before 학생; 교직원 names the staff
        if g in n:
            return canonical_group(g)
    return None


@dataclass
class _Sheet:
    file: str
    sheet: str  # "" for a JSON file
    group: str | None  # from the sheet or file name
    cells: list[list]  # header row first
    first_row: int  # spreadsheet row number of cells[0]
    header_only: bool = False


def _rows_of(sh: _Sheet, *, required: bool) -> tuple[list[Row], list[int], int] | None:
    """The sheet's item rows, the years in its headers and its blank rows; None when not an item sheet
    and `required` is False."""
    nonblank = [(i, r) for i, r in enumerate(sh.cells) if any(clean_text(c) for c in r)]
    if not nonblank:
        if not required:
            return None
        raise InstrumentError("시트가 비어 있습니다." if sh.sheet else "파일에 문항이 없습니다.",
                              where=_where(sh.file, sh.sheet),
                              hint="교육청 파일 그대로인지 확인하세요. 쓰지 않을 시트라면 지운 뒤 다시 가져오세요.")
    found: tuple[int, dict, list] | None = None
    for i, r in nonblank[:HEADER_SCAN_ROWS]:
        cols, years = _columns(r)
        if all(k in cols for k in REQUIRED):
            found = (i, cols, years)
            break
    if found is None:
        if not required:
            return None
        i, header = nonblank[0]
        cols, _ = _columns(header)
        missing = [k if k != "문항" else "평가문항(또는 예시문항)" for k in REQUIRED if k not in cols]
        seen = [clean_text(c) for c in header if clean_text(c)]
        raise InstrumentError("평가문항 예시자료가 아닙니다: " + ", ".join(f"'{m}'" for m in missing) + " 열이 없습니다.",
                              where=_where(sh.file, sh.sheet, sh.first_row + i),
                              hint=f"찾은 열: {', '.join(seen) or '(없음)'}. 교육청 평가문항 예시자료 파일"
                                   f"({EXPECTED_COLUMNS})을 고르세요.")
    hi, cols, years = found
    out: list[Row] = []
    blank = 0
    last = {"영역": "", "세부영역": "", "평가지표": ""}
    for i in range(hi + 1, len(sh.cells)):
        r = sh.cells[i]
        rownum = sh.first_row + i

        def cell(role: str, r=r) -> str:
            j = cols.get(role)
            return clean_text(r[j]) if j is not None and j < len(r) else ""
        text = cell("문항")
        labels = {k: cell(k) for k in last}
        if not text:
            blank += 1
            if any(labels.values()):  # a label row without a sentence still heads the rows below it
                last.update({k: v for k, v in labels.items() if v})
            continue
        for k, v in labels.items():  # merged cells: a blank label repeats the one above
            if v:
                last[k] = v
            elif last[k]:
                labels[k] = last[k]
            else:
                raise InstrumentError(f"'{k}' 칸이 비어 있습니다.", where=_where(sh.file, sh.sheet, rownum),
                                      hint=f"이 문항의 {k}을(를) 적은 뒤 다시 가져오세요.")
        group = sh.group
        if "평가주체" in cols and cell("평가주체"):
            group = canonical_group(cell("평가주체"))
            if group not in GROUPS:
                raise InstrumentError(f"평가주체 '{cell('평가주체')}'을(를) 알 수 없습니다.",
                                      where=_where(sh.file, sh.sheet, rownum), hint="학생, 학부모, 교원, 직원 중 하나로 적으세요.")
        out.append(Row(sh.file, sh.sheet, rownum, parse_label(labels["영역"], subarea=False),
                       parse_label(labels["세부영역"], subarea=True), _label_text(labels["평가지표"]), group, text))
    if not out and required:
        raise InstrumentError("시트에 문항이 없습니다 (제목 줄만 있습니다)." if sh.sheet else "파일에 문항이 없습니다.",
                              where=_where(sh.file, sh.sheet), hint="교육청 파일 그대로인지 확인하세요.")
    pool_layout = "평가주체" not in cols and label_key(sh.cells[hi][cols["문항"]]).startswith("예시문항")
    if not pool_layout and "평가주체" not in cols and sh.group is None and out:
        raise InstrumentError("평가주체(학생·학부모·교원·직원)를 알 수 없습니다.", where=_where(sh.file, sh.sheet),
                              hint="시트나 파일 이름을 학생용, 학부모용, 교원용, 직원용처럼 평가주체로 바꾼 뒤 다시 가져오세요.")
    return out, years, blank


def _workbook_sheets(path: Path) -> list[_Sheet]:
    head = _head(path)
    if head.startswith(_OLE_MAGIC) and _is_encrypted_ole(path):
        raise InstrumentError("암호가 걸린 엑셀 파일입니다.", where=path.name,
                              hint="엑셀에서 암호를 해제하고 다시 저장한 뒤 가져오세요.")
    if head.startswith(_ZIP_MAGIC):
        try:
            _check_unzipped_size(path)
        except SchoolVaultError as e:
            raise InstrumentError(e.message.replace("응답 파일", "평가문항 예시자료"), where=path.name,
                                  hint="평가문항 예시자료 파일이 맞는지 확인하세요.") from None
    from python_calamine import CalamineWorkbook
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # noqa: BLE001 — calamine raises its own types for damaged or foreign files
        raise InstrumentError("엑셀 파일을 읽을 수 없습니다 (손상되었거나 암호가 걸린 파일).", where=path.name,
                              hint=f"엑셀에서 열어 .xlsx로 다시 저장한 뒤 가져오세요. ({type(e).__name__})") from None
    out = []
    for name in wb.sheet_names:
        try:
            cells = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as e:  # noqa: BLE001 — as above
            raise InstrumentError("시트를 읽을 수 없습니다.", where=_where(path.name, name),
                                  hint=f"엑셀에서 .xlsx로 다시 저장한 뒤 가져오세요. ({type(e).__name__})") from None
        out.append(_Sheet(path.name, name, _group_from_name(name) if canonical_group(name) in GROUPS else None,
                          cells, 1))
    return out


def _json_records(path: Path, name: str, records: list) -> _Sheet:
    keys: list[str] = []
    for n, r in enumerate(records, start=1):
        if not isinstance(r, dict):
            raise InstrumentError("항목이 '열 이름: 값' 객체가 아닙니다.", where=_where(path.name, name, n),
                                  hint="평가문항 예시자료를 시트별로 내보낸 JSON 파일인지 확인하세요.")
        keys += [k for k in r if k not in keys]
    cells = [list(keys)] + [[r.get(k) for k in keys] for r in records]
    group = _group_from_name(name) if name else _group_from_name(path.stem)
    # JSON rows are numbered from 1 (the header takes row 0 here)
    return _Sheet(path.name, name, group, cells, 0)


def _sheets_of(path: Path) -> tuple[list[_Sheet], bool]:
    """The file's sheets and whether only group-named sheets count (a 2025-layout workbook)."""
    head = _head(path)
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        sheets = _workbook_sheets(path)
        return sheets, any(s.group for s in sheets)
    other = foreign_kind(head[:16])
    if other:
        raise InstrumentError(f"평가문항 예시자료가 아니라 {other}입니다.", where=path.name,
                              hint="교육청 평가문항 예시자료 엑셀(.xlsx)이나 JSON 파일을 고르세요.")
    data = _json_sheets(_load_json(path))
    if data is None:
        raise InstrumentError("여러 파일을 함께 가져올 수 있는 것은 평가문항 예시자료(엑셀, 평가주체별 JSON)뿐입니다.",
                              where=path.name, hint="이 파일은 따로 가져오세요.")
    sheets = [_json_records(path, name, recs) for name, recs in data.items()]
    return sheets, any(s.group for s in sheets)


# ---------------------------------------------------------------- placing rows

def _majority(counter: Counter, tiebreak: dict) -> Any:
    return max(counter, key=lambda k: (counter[k], tiebreak.get(k, 0)))


def _place(rows: list[Row]) -> list[Correction]:
    """Place every row by its indicator: the 세부영역 most rows of that indicator carry (ties go to the
    label used most in the whole bank), its 영역 the one most rows of that 세부영역 carry. A label that is
    a numbering slip ('Ⅲ-3. 인문·과학·예체능 교육' where everything else says Ⅲ-2) loses to the common one."""
    label_use = Counter(r.subarea.key for r in rows)
    by_title: dict[str, list[tuple]] = {}
    for key in label_use:
        by_title.setdefault(key[1], []).append(key)
    # a code-less or rarely numbered label takes the number its title carries most often
    same_title = {k: max(v, key=lambda x: (x[0] is not None, label_use[x])) for t, v in by_title.items() for k in v}
    display: dict[tuple, Counter] = {}
    for r in rows:
        display.setdefault(same_title[r.subarea.key], Counter())[r.subarea.title] += 1
    per_indicator: dict[str, Counter] = {}
    for r in rows:
        per_indicator.setdefault(label_key(r.indicator), Counter())[same_title[r.subarea.key]] += 1
    sub_of = {ind: _majority(c, label_use) for ind, c in per_indicator.items()}
    areas: dict[tuple, Counter] = {}
    area_title: dict[tuple, Counter] = {}
    for r in rows:
        areas.setdefault(sub_of[label_key(r.indicator)], Counter())[r.area.key] += 1
        area_title.setdefault(r.area.key, Counter())[r.area.title] += 1
    area_use = Counter(r.area.key for r in rows)
    area_of = {sub: _majority(c, area_use) for sub, c in areas.items()}
    indicator_title: dict[str, Counter] = {}
    for r in rows:
        indicator_title.setdefault(label_key(r.indicator), Counter())[r.indicator] += 1

    def spelling(c: Counter) -> str:  # the most used; on a tie the spaced one ('교원 전문성' over '교원전문성')
        return max(c, key=lambda t: (c[t], t.count(" ")))

    def label(key: tuple, titles: dict) -> Label:
        return Label(key[0], spelling(titles[key]))

    corrections = []
    for r in rows:
        ikey = label_key(r.indicator)
        sub = sub_of[ikey]
        new_sub = label(sub, display)
        new_area = label(area_of[sub], area_title)
        indicator = spelling(indicator_title[ikey])
        if same_title[r.subarea.key] != sub or (r.subarea.code and r.subarea.code != sub[0]):
            corrections.append(Correction(r.file, r.sheet, r.row, "세부영역", indicator, r.subarea.display(),
                                          new_sub.display()))
        elif r.area.key != area_of[sub] and r.area.title_key != new_area.title_key:
            corrections.append(Correction(r.file, r.sheet, r.row, "영역", indicator, r.area.display(),
                                          new_area.display()))
        r.subarea, r.area, r.indicator = new_sub, new_area, indicator
    return corrections


def _sets(rows: list[Row]) -> tuple[list[ItemBankSet], int]:
    """One set per (indicator, group), in the bank's order: 영역, 세부영역 by number, indicators and groups as
    first met. Identical sentences of one set count once."""
    first: dict[Any, int] = {}
    items: dict[tuple, list[str]] = {}
    meta: dict[tuple, Row] = {}
    dup = 0
    for n, r in enumerate(rows):
        for k in (("a", r.area.key), ("s", r.subarea.key), ("i", label_key(r.indicator)), ("g", r.group)):
            first.setdefault(k, n)
        key = (label_key(r.indicator), r.group)
        meta.setdefault(key, r)
        bucket = items.setdefault(key, [])
        if r.text in bucket:
            dup += 1
        else:
            bucket.append(r.text)

    def order(key: tuple) -> tuple:
        r = meta[key]
        return (r.area.code or (99,), first[("a", r.area.key)], r.subarea.code or (99, 99),
                first[("s", r.subarea.key)], first[("i", key[0])], first[("g", key[1])])
    out = [ItemBankSet(area=meta[k].area.display(), subarea=meta[k].subarea.display(), indicator=meta[k].indicator,
                       group=k[1], items=tuple(items[k])) for k in sorted(items, key=order)]
    return out, dup


# ---------------------------------------------------------------- the whole read

def read_bank_files(files: list[str | Path]) -> BankRead:
    """Read one or more item-bank files into one bank (id itembank-YYYY); raises InstrumentError."""
    paths = [Path(p) for p in files]
    rows: list[Row] = []
    years: list[tuple[int, str]] = []
    skipped: list[str] = []
    group_source: dict[str | None, str] = {}
    for path in paths:
        sheets, groups_only = _sheets_of(path)
        taken = 0
        first_refusal: InstrumentError | None = None
        for sh in sheets:
            if groups_only and sh.group is None:
                skipped.append(_where(sh.file, sh.sheet))
                continue
            got = _rows_of(sh, required=groups_only or len(sheets) == 1)
            if got is None:
                skipped.append(_where(sh.file, sh.sheet))
                if first_refusal is None and any(any(clean_text(c) for c in r) for r in sh.cells):
                    try:
                        _rows_of(sh, required=True)
                    except InstrumentError as e:
                        first_refusal = e
                continue
            sheet_rows, sheet_years, _ = got
            taken += 1
            for g in {r.group for r in sheet_rows}:
                here = _where(sh.file, sh.sheet)
                if g in group_source and group_source[g] != here and g is not None:
                    raise InstrumentError(f"{g} 문항이 두 곳에 있습니다: {group_source[g]}, {here}.", where=here,
                                          hint="같은 평가주체의 파일(시트)은 하나만 고르세요.")
                group_source.setdefault(g, here)
            rows += sheet_rows
            years += [(y, _where(sh.file, sh.sheet)) for y in sheet_years]
        if taken == 0:
            raise first_refusal or InstrumentError(
                "평가문항 예시자료 시트를 찾지 못했습니다.", where=path.name,
                hint=f"시트 이름이 학생용·학부모용·교원용·직원용이거나 열이 {EXPECTED_COLUMNS}인 파일을 고르세요.")
    year = _year(years, paths)
    corrections = _place(rows)
    sets, dup = _sets(rows)
    stems = [p.stem for p in paths]
    title = f"학교평가문항 예시자료 ({stems[0]}" + (f" 외 {len(stems) - 1}개" if len(stems) > 1 else "") + ")"
    bank = ItemBank(id=f"itembank-{year}", title=title, year=year, sets=tuple(sets))
    text = json.dumps(bank.to_dict(), ensure_ascii=False, indent=1) + "\n"
    frozen_bank = parse_instrument(text, paths[0].name)  # what is stored must read back on its own
    assert isinstance(frozen_bank, ItemBank)
    return BankRead(bank=frozen_bank, text=text, filename=", ".join(p.name for p in paths), rows=len(rows),
                    corrections=corrections, duplicates=dup, skipped_sheets=skipped)


def _year(years: list[tuple[int, str]], paths: list[Path]) -> int:
    found = sorted({y for y, _ in years})
    if len(found) > 1:
        where = ", ".join(f"{w} ({y})" for y, w in {y: w for y, w in years}.items())
        raise InstrumentError(f"열 이름의 학년도가 서로 다릅니다: {', '.join(map(str, found))}.", where=where,
                              hint="한 학년도의 예시자료만 함께 가져오세요.")
    if found:
        return found[0]
    for p in paths:
        m = _YEAR.search(p.name)
        if m:
            return int(m.group(1))
    raise InstrumentError("예시자료의 학년도를 알 수 없습니다 (열 이름과 파일 이름에 연도가 없습니다).",
                          where=paths[0].name, hint="파일 이름에 학년도를 넣어 (예: 2026 평가문항 예시자료.xlsx) 다시 가져오세요.")
