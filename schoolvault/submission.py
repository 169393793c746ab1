"""The submission sheets of the consultant workbook: what a school submits and a district reads back.

The consultant workbook (reports issue) writes these two sheets; the district import reads them.
Both sides use this module so the format and the checksum cannot drift apart.

Sheet `제출자료` (SUBMISSION_SHEET): one header row (COLUMNS), then long rows:
  kind = "respondents": group's respondent count (n; "n<5" text when suppressed), code empty
  kind = "item" | "factor" | "domain": group statistics on scored values (mean, sd, score100,
         positive_rate for items; alpha for factors); groups with n<5 have no such rows
  kind = "level" (format 2 on): the 영역 result of a 평가주체 in a `scoring: guidebook` survey, one row per
         survey domain and group — what the 학교평가서 (서식3-1) reports: code/title = the survey's domain,
         n, answers, mean, sd, score100, rounded (half up), level (4단계; empty where the year has none) and
         area = the guidebook 영역 (AREA_KEYS) the domain belongs to (`area_of`; empty when unknown).
         A group with fewer than MIN_GROUP_N respondents has these rows with n = "n<5" and nothing
         else, so the district counts it as suppressed without seeing a number.
  kind = "rating": a self-evaluated indicator: code, title, rating (1..k), group empty
Sheet `메타데이터` (META_SHEET): rows (key, value) for META_KEYS, checksum last.

Format 1 files (before 영역 results) have the first twelve COLUMNS only (COLUMNS_OF[1]) and no level rows;
readers accept them, and their 영역 results are unknown, not zero.

The checksum (검증값): format 1 and 2 files checksum the two machine sheets only (`checksum`); from format 3
(WHOLE_WORKBOOK_VERSION) it covers the values of every sheet of the workbook, in order (`workbook_checksum`),
so an edit to a visible sheet is noticed too. It is a plain SHA-256 without a key: it shows that a file was
changed after export by accident or casually (Excel, a typo, a copied sheet), not that it is genuine — anyone
with SchoolVault can compute it again for a forged file.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Sequence

from .forms.model import Area, Domain, Survey
from .forms.scoring import GUIDEBOOK_SCORING, SUPPRESSED, suppressed

FORMAT = "schoolvault-submission"
FORMAT_VERSION = 3
WHOLE_WORKBOOK_VERSION = 3  # from this format version on the checksum covers every sheet's values
SUBMISSION_SHEET = "제출자료"
META_SHEET = "메타데이터"
COLUMNS = ("kind", "instrument", "group", "code", "title", "n", "mean", "sd", "score100",
           "positive_rate", "alpha", "rating", "answers", "rounded", "level", "area")
COLUMN_LABELS = ("구분", "도구", "집단", "코드", "이름", "n", "평균", "표준편차", "100점 환산", "긍정률",
                 "신뢰도(α)", "등급", "응답 수", "반올림 평균", "4단계", "영역")
COLUMNS_OF = {1: COLUMNS[:12], 2: COLUMNS, 3: COLUMNS}  # the columns each format version has
LEVEL_KIND = "level"
AREA_KEYS = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ")  # a guidebook 영역 by its position, as the office numbers them
META_KEYS = ("format", "format_version", "app_version", "school_name", "school_code", "level", "district",
             "year", "exported_at", "rating_points", "checksum")
META_LABELS = {"format": "파일 형식", "format_version": "형식 버전", "app_version": "프로그램 버전",
               "school_name": "학교명", "school_code": "학교 코드", "level": "학교급", "district": "교육지원청",
               "year": "학년도", "exported_at": "내보낸 시각", "rating_points": "평가 등급 수",
               "checksum": "검증값(SHA-256)"}


def _canon(v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, (int, float)):
        f = float(v)
        if f.is_integer():
            return str(int(f))
        return format(f, ".12g")  # robust to how a writer formats doubles
    return str(v).strip()


def checksum(rows, meta: dict) -> str:
    """SHA-256 over the data rows and the identifying metadata, canonicalised."""
    body = {
        "rows": [[_canon(v) for v in row] for row in rows],
        "meta": {k: _canon(meta.get(k)) for k in META_KEYS if k not in ("checksum", "exported_at", "app_version")},
    }
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


# What a matching checksum may be called on screen and in documents: it shows no trace of an edit, not that
# the file is genuine (anyone with SchoolVault can recompute it).
UNEDITED_LABEL = "수정 흔적 없음"
EDITED_LABEL = "수정됨"
CHECKSUM_NOTE = ("검증값(SHA-256)은 내보낸 뒤 실수나 가벼운 수정(엑셀에서 값 고치기 등)이 있었는지 알려 줍니다. "
                 "SchoolVault가 있으면 누구나 다시 계산할 수 있으므로, 일부러 꾸민 파일까지 가려내지는 못합니다.")

SIGNIFICANT_DIGITS = 12  # the checksum compares numbers at this precision
CHECKSUM_PLACEHOLDER = "SCHOOLVAULT-CHECKSUM-PENDING-" + "0" * 35  # as long as a SHA-256 in hex; `seal` replaces it
# the machine sheets' column names and metadata keys may be written as their Korean labels (either is read)
_LABEL_KEYS = {**dict(zip(COLUMN_LABELS, COLUMNS)), **{v: k for k, v in META_LABELS.items()}}
_JSON = json.JSONEncoder(ensure_ascii=False).encode  # = json.dumps(…, ensure_ascii=False), made once


def workbook_checksum(sheets) -> str:
    """SHA-256 over the values of every sheet (format 3 on): `sheets` = (name, rows) in workbook order, rows
    as a reader sees them from cell A1 (calamine's `to_python(skip_empty_area=False)`) or as a writer writes them.

    Canonical form: per sheet its name, then each non-empty row as (row number, cells by `_canon`, trailing
    empty cells dropped). Formatting, notes, charts and column widths are not values and are not covered.
    In the two machine sheets a Korean label counts as its key (a column named "평균" is "mean"), and the
    value beside the `checksum` key of the metadata sheet is left out (it holds the result)."""
    h = hashlib.sha256()
    for name, rows in sheets:
        h.update(sheet_line(name))
        for r, row in enumerate(rows):
            h.update(row_line(name, r, [_canon(v) for v in row]))
    return h.hexdigest()


def sheet_line(name) -> bytes:
    """The line that opens a sheet in the canonical form of `workbook_checksum`."""
    return (_JSON(["sheet", str(name)]) + "\n").encode("utf-8")


def row_line(sheet, r: int, cells: list[str]) -> bytes:
    """The line of row `r` (cells already through `_canon`) in the canonical form of `workbook_checksum`;
    b"" for a row without values. Writers that checksum as they write (`sealed_xlsx`) build it too."""
    while cells and cells[-1] == "":
        cells.pop()
    if not cells:
        return b""
    if sheet in (SUBMISSION_SHEET, META_SHEET):
        cells = [_LABEL_KEYS.get(c, c) for c in cells]
        if sheet == META_SHEET and cells[0] == "checksum":
            cells = cells[:1]
    return (_JSON([r, cells]) + "\n").encode("utf-8")


def read_sheets(data: bytes) -> list[tuple[str, list[list]]]:
    """Every sheet of an xlsx (bytes) as (name, rows from A1), for `workbook_checksum`. Raises what calamine
    raises for a file that is not a readable workbook."""
    import io

    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in wb.sheet_names]


def seal(path) -> str:
    """Put the whole-workbook checksum of a written workbook in place of CHECKSUM_PLACEHOLDER; returns it.

    The checksum is computed from the file as written (read back), so it is what any reader computes,
    whatever the writer did to numbers and text. The consultant workbook is sealed as it is written
    (`sealed_xlsx`) and comes here only when that cannot tell how a cell reads back. The file is rewritten in place (call it on a temporary file
    before the rename that publishes it). Raises OSError when it cannot be written."""
    import io
    import zipfile
    from pathlib import Path
    path = Path(path)
    data = path.read_bytes()
    sheets = read_sheets(data)
    value = workbook_checksum(sheets)
    needle = CHECKSUM_PLACEHOLDER.encode("ascii")
    src = zipfile.ZipFile(io.BytesIO(data))
    names = set(src.namelist())
    # xlsxwriter names sheet parts by position; the metadata sheet's text is inline (constant_memory) or shared
    meta_part = f"xl/worksheets/sheet{[n for n, _ in sheets].index(META_SHEET) + 1}.xml"
    part = next((p for p in (meta_part, "xl/sharedStrings.xml") if p in names and src.read(p).count(needle) == 1),
                None)
    if part is None:
        raise ValueError("the checksum placeholder is not in the metadata sheet")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == part:
                body = body.replace(needle, value.encode("ascii"))
            dst.writestr(info, body, compress_type=info.compress_type, compresslevel=1)
    with open(path, "wb") as f:
        f.write(out.getvalue())
        f.flush()
        os.fsync(f.fileno())
    return value


def cell(v):
    """A value as a writer should store it: floats rounded to SIGNIFICANT_DIGITS significant digits.

    Why: the checksum rounds to 12 digits, and a writer that prints 16 (xlsxwriter) can move a value
    such as 0.46302378517849996 across that rounding boundary when it is read back. A value already
    rounded to 12 digits reads back exactly from any writer. Writers pass rows through `cells`
    before computing the checksum and writing.
    """
    if isinstance(v, float) and math.isfinite(v):
        return float(format(v, f".{SIGNIFICANT_DIGITS}g"))
    return v


def cells(rows) -> list[tuple]:
    """Rows as writers store them: `cell` per value, every row as wide as COLUMNS (`pad`)."""
    width = len(COLUMNS)
    return [tuple(cell(v) for v in row) + (None,) * (width - len(row)) for row in rows]


def pad(row: Sequence) -> tuple:
    """A row of the current COLUMNS: rows built with fewer cells get empty ones at the end."""
    return tuple(row) + (None,) * (len(COLUMNS) - len(row))


# ---------------------------------------------------------------- 영역 results (format 2)

_DOTS = re.compile(r"[\s·‧･・ㆍ•∙.,:;()\[\]【】「」<>〈〉-]")
_ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
# a numbered 영역 in front of a title: "Ⅰ.", "III-", "영역 2", "2)" — the number alone, not "Ⅰ-1" (a 세부영역)
_LEADING = re.compile(r"^\s*(?:영역\s*)?(Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|III|II|IV|I|V|[1-9])(?![-–0-9A-Za-z])(?:\s*[.)]|\s|$)")
_CODE_DIGIT = re.compile(r"^(?:A|a|area|영역)\s*([1-9])$")  # "A1": 영역 1; not "D1" (any domain)


def _plain(text: str) -> str:
    return _DOTS.sub("", str(text)).casefold()


def _numbered(text: str) -> int | None:
    m = _LEADING.match(str(text))
    if not m:
        return None
    g = m.group(1)
    return _ROMAN.get(g) or int(g)


def area_of(domain: Domain, areas: Sequence[Area]) -> str:
    """The guidebook 영역 (AREA_KEYS: Ⅰ, Ⅱ, Ⅲ …) a survey domain reports to, or "" when it cannot be told.

    Surveys differ between schools (each school builds its own), so the district compares 영역, not survey
    domains. The rule, first match wins:
    1. the domain title, without a leading number, spaces and middle dots, is (or contains) exactly one
       영역 title of the year's guidebook ("협력적 학교자치문화", "Ⅰ. 협력적 학교자치 문화");
    2. the title starts with a 영역 number: "Ⅰ.", "III ", "영역 2", "2)" (not "Ⅰ-1": that is a 세부영역);
    3. the code is an area's code ("1"), a Roman numeral ("Ⅱ") or A and a digit ("A1"): the shipped survey
       numbers its domains A1/A2/A3 in 영역 order. A code such as "D1" says nothing (a survey built from an
       export numbers its domains D1, D2 … whatever they hold).
    """
    if not areas:
        return ""
    title = str(domain.title)
    prefix = _LEADING.match(title)
    rest = _plain(title[prefix.end():] if prefix else title)
    if rest:
        hits = [i for i, a in enumerate(areas) if _plain(a.title) and _plain(a.title) in rest]
        if len(hits) == 1:
            return AREA_KEYS[hits[0]] if hits[0] < len(AREA_KEYS) else ""
    for n in (_numbered(title), _area_code(domain.code, areas)):
        if n is not None and 1 <= n <= min(len(areas), len(AREA_KEYS)):
            return AREA_KEYS[n - 1]
    return ""


def _area_code(code: str, areas: Sequence[Area]) -> int | None:
    code = str(code).strip()
    for i, a in enumerate(areas, start=1):
        if code == str(a.code):
            return i
    m = _CODE_DIGIT.match(code) or (re.match(r"^(Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|III|II|IV|I|V)$", code))
    if not m:
        return None
    g = m.group(1)
    return _ROMAN.get(g) or int(g)


def area_titles(areas: Sequence[Area]) -> dict[str, str]:
    """{AREA_KEY: title} of a guidebook's 영역."""
    return {AREA_KEYS[i]: a.title for i, a in enumerate(areas[:len(AREA_KEYS)])}


def level_rows(survey: Survey, group: str, group_n: int, group_stats: dict | None,
               areas: Sequence[Area]) -> list[tuple]:
    """The 영역 result rows (kind "level", COLUMNS order) of one group of a guidebook-scored survey.

    `group_stats` is the group's `stats` result (pooled domains: n, answers, mean, sd, score100, rounded,
    level); None, or a group under MIN_GROUP_N respondents, gives rows with n = "n<5" and no figures (the
    group rule of the whole format). A domain the group has items in but gave no answer to has no row.
    Respondent-scored surveys (SODI) have no 영역 result: [].
    """
    if survey.scoring != GUIDEBOOK_SCORING:
        return []
    rows: list[tuple] = []
    domains = None if group_stats is None or suppressed(group_n) else group_stats["domains"]
    for d in survey.domains:
        if not any(f.items_for(group) for f in d.factors):
            continue  # the group was not asked about this domain
        area = area_of(d, areas) or None
        if domains is None:
            rows.append((LEVEL_KIND, survey.id, group, d.code, d.title, SUPPRESSED, None, None, None, None, None,
                         None, None, None, None, area))
        elif (s := domains.get(d.code)) is not None and s.get("answers"):
            rows.append((LEVEL_KIND, survey.id, group, d.code, d.title, s["n"], s["mean"], s["sd"], s["score100"],
                         None, None, None, s["answers"], s["rounded"], s["level"], area))
    return rows
