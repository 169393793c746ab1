"""Read a school's submission workbook back (python-calamine) and validate it.

A file that is not a submission is refused with the reason (`SubmissionRefused`); a submission
whose checksum does not match — someone edited the numbers after export — is read with a warning,
never silently. Header cells and metadata keys are accepted both as the machine keys and as
their Korean labels, so a workbook saved again by Excel (or written by either writer) reads the same.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from .. import submission
from ..errors import SchoolVaultError
from ..forms.groups import canonical_district, canonical_group, canonical_level
from ..forms.scoring import SUPPRESSED

KINDS = ("respondents", "item", "factor", "domain", "rating")
KINDS_OF = {1: KINDS, 2: (*KINDS, submission.LEVEL_KIND), 3: (*KINDS, submission.LEVEL_KIND)}  # the row kinds each format version has
_HEADER = {**{c: c for c in submission.COLUMNS}, **dict(zip(submission.COLUMN_LABELS, submission.COLUMNS))}
_META = {**{k: k for k in submission.META_KEYS}, **{v: k for k, v in submission.META_LABELS.items()}}
_NUMERIC = ("mean", "sd", "score100", "positive_rate", "alpha")
HEADER_SEARCH_ROWS = 5  # the header may sit below a title row or two


class SubmissionRefused(SchoolVaultError):
    """The file is not a usable submission workbook; nothing from it was stored."""


@dataclass
class Submission:
    """One school's submission as read: metadata, rows in ROW_COLUMNS order, and what was odd."""

    path: Path
    sha256: str
    meta: dict
    school_key: str
    level: str
    district: str
    year: int
    rows: list[tuple]
    checksum_ok: bool
    warnings: list[str] = field(default_factory=list)
    packed: tuple = ()                                  # aggregate.pack_summary (importer)
    data: bytes = b""                                   # the two machine sheets' values, as stored (`stored_form`)
    labels: set = field(default_factory=set)            # aggregate.school_labels (importer)
    version: int = submission.FORMAT_VERSION            # format version of the file (1: no 영역 results)


def _refuse(path: Path, message: str, hint: str) -> SubmissionRefused:
    return SubmissionRefused(message, where=path.name, hint=hint)


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _number(v) -> float | None:
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        f = float(v)
        return f if math.isfinite(f) else None
    try:
        f = float(str(v).strip().replace(",", ""))
    except ValueError:
        raise ValueError(v) from None
    return f if math.isfinite(f) else None


def read_submission(path: str | Path, *, items: bool = True) -> Submission:
    """Read and validate one workbook. Raises SubmissionRefused with the reason.

    items=False leaves the item rows out of `rows` (they are still checked by the checksum): the
    district statistics do not use them, and the importer stores the file as received."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise _refuse(path, "파일을 읽을 수 없습니다.",
                      f"파일이 있는지, 다른 프로그램이 쓰고 있지 않은지 확인하세요. ({e})") from None
    return read_submission_bytes(data, path, items=items)


def read_submission_bytes(data: bytes, path: Path, *, items: bool = True) -> Submission:
    """`read_submission` of a file's bytes (`path` names it in messages)."""
    from python_calamine import CalamineWorkbook

    sha = hashlib.sha256(data).hexdigest()
    if data.startswith(STORED_PREFIX):  # what a district workspace keeps: the two sheets, already verified
        names, meta_cells, body = _stored_cells(data, path)
        return _from_cells(names, meta_cells, body, None, path, sha, items, verify=False)
    if not data.startswith(b"PK"):
        raise _refuse(path, "엑셀 통합문서(.xlsx)가 아니라서 가져오지 않았습니다.",
                      "학교가 SchoolVault에서 내보낸 결과 워크북(.xlsx)을 고르세요.")
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = wb.sheet_names
        if submission.SUBMISSION_SHEET not in names or submission.META_SHEET not in names:
            missing = [s for s in (submission.SUBMISSION_SHEET, submission.META_SHEET) if s not in names]
            raise _refuse(path, f"제출용 시트({', '.join(missing)})가 없어 학교 제출 파일이 아닙니다.",
                          "학교가 SchoolVault의 '컨설팅용 워크북 내보내기'로 만든 파일을 받으세요.")
        meta_cells = wb.get_sheet_by_name(submission.META_SHEET).to_python(skip_empty_area=False)
        body = wb.get_sheet_by_name(submission.SUBMISSION_SHEET).to_python(skip_empty_area=False)
    except SubmissionRefused:
        raise
    except Exception as e:  # noqa: BLE001 — calamine raises several error types for broken or encrypted files
        raise _refuse(path, "엑셀 파일을 열 수 없습니다 (손상되었거나 암호가 걸린 파일).",
                      f"학교에 파일을 다시 내보내 달라고 하세요. ({type(e).__name__}: {e})") from None
    return _from_cells(names, meta_cells, body, wb, path, sha, items, verify=True)


STORED_PREFIX = b'{"stored": "schoolvault-submission-sheets"'


def stored_form(meta_cells: list, body: list) -> bytes:
    """What a district workspace keeps of a submission: the values of its two machine sheets (JSON), never
    the visible sheets with raw answers and comments."""
    text = json.dumps({"stored": "schoolvault-submission-sheets", "version": 1, "meta": meta_cells, "body": body},
                      ensure_ascii=False, default=str, separators=(", ", ": "))
    return text.encode("utf-8")


def _stored_cells(data: bytes, path: Path) -> tuple[list[str], list, list]:
    doc = json.loads(data.decode("utf-8"))
    return [submission.SUBMISSION_SHEET, submission.META_SHEET], doc["meta"], doc["body"]


def stored_form_of_workbook(data: bytes) -> bytes:
    """`stored_form` of a whole workbook (an older district import kept files as received)."""
    sheets = dict(submission.read_sheets(data))
    return stored_form(sheets.get(submission.META_SHEET, []), sheets.get(submission.SUBMISSION_SHEET, []))


def _from_cells(names, meta_cells: list, body: list, wb, path: Path, sha: str, items: bool, *,
                verify: bool) -> Submission:
    """A Submission from the machine sheets' cells; `verify` checks the checksum (needs `wb` from format 3)."""
    meta = _meta_of(meta_cells)
    version = _format_version(meta, path)
    warnings: list[str] = []
    name, level, district, year = _school_of(meta, path, warnings)
    header_at, raw_rows = _body_rows(body, version, path)
    if verify:
        checksum_ok = _verified(names, meta_cells, body, wb, raw_rows, meta, version, path, warnings)
    else:
        checksum_ok = bool(_text(meta.get("checksum")))  # stored after verification; the workspace keeps the verdict
    rows, bad = _parse_rows(raw_rows, header_at, items, version)
    if bad:
        warnings.append(f"읽을 수 없는 행 {len(bad)}개를 건너뛰었습니다: " + ", ".join(map(str, bad[:10]))
                        + ("…" if len(bad) > 10 else ""))
    if not rows:
        raise _refuse(path, "제출자료 시트에 자료가 없습니다.", "학교에 설문 결과와 지표 평가를 넣어 다시 내보내 달라고 하세요.")
    code = _text(meta.get("school_code")) or None
    meta = {**meta, "school_name": name, "school_code": code}
    return Submission(path=path, sha256=sha, data=stored_form(meta_cells, body), meta=meta, school_key=code or f"file:{sha}", level=level,
                      district=district, year=year, rows=rows, checksum_ok=checksum_ok, warnings=warnings,
                      version=version)


def _meta_of(meta_cells: list) -> dict:
    """Metadata key → value; a key may be the machine key or its Korean label, and the first one counts."""
    meta: dict = {}
    for row in meta_cells:
        if not row:
            continue
        key = _META.get(_text(row[0]))
        if key is not None and key not in meta:
            meta[key] = row[1] if len(row) > 1 else None
    return meta


def _format_version(meta: dict, path: Path) -> int:
    """The file's format version; a file that is not a submission, or of a newer SchoolVault, is refused."""
    if _text(meta.get("format")) != submission.FORMAT:
        raise _refuse(path, "메타데이터 시트의 파일 형식이 SchoolVault 제출 자료가 아닙니다.",
                      "학교가 SchoolVault에서 내보낸 결과 워크북을 고르세요.")
    try:
        version = int(_number(meta.get("format_version")) or 0)
    except ValueError:
        version = 0
    if version < 1:
        raise _refuse(path, "메타데이터의 형식 버전을 읽을 수 없습니다.", "학교에 파일을 다시 내보내 달라고 하세요.")
    if version > submission.FORMAT_VERSION:
        raise _refuse(path, f"더 새로운 SchoolVault에서 만든 제출 파일입니다 (형식 버전 {version}).",
                      "SchoolVault를 최신 버전으로 업데이트한 뒤 다시 가져오세요.")
    return version


def _school_of(meta: dict, path: Path, warnings: list[str]) -> tuple[str, str, str, int]:
    """(name, level, district, year) from the metadata; an unknown district is kept with a warning."""
    name = _text(meta.get("school_name"))
    if not name:
        raise _refuse(path, "메타데이터에 학교명이 없습니다.", "학교에 학교 정보를 입력한 뒤 다시 내보내 달라고 하세요.")
    level = canonical_level(_text(meta.get("level")))
    if level is None:
        raise _refuse(path, f"학교급 '{_text(meta.get('level'))}'을(를) 알 수 없습니다.",
                      "학교급은 초, 중, 고, 특수 중 하나여야 합니다. 학교에 다시 내보내 달라고 하세요.")
    raw_district = _text(meta.get("district"))
    district = canonical_district(raw_district)
    if district is None:
        if not raw_district:
            raise _refuse(path, "메타데이터에 교육지원청이 없습니다.", "학교에 학교 정보를 입력한 뒤 다시 내보내 달라고 하세요.")
        district = raw_district
        warnings.append(f"알 수 없는 교육지원청 '{raw_district}' — 그대로 저장했습니다.")
    try:
        year = int(_number(meta.get("year")) or 0)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise _refuse(path, f"메타데이터의 학년도 '{_text(meta.get('year'))}'이(가) 올바르지 않습니다.",
                      "학교에 다시 내보내 달라고 하세요.")
    return name, level, district, year


def _body_rows(body: list, version: int, path: Path) -> tuple[int, list[list]]:
    """(header row index, data rows with the version's columns in order, blank rows left out).

    The header is the first row (of the first few) whose cells name every column of the file's version."""
    columns = submission.COLUMNS_OF.get(version, submission.COLUMNS)
    header_at, index = None, None
    for r, row in enumerate(body[:HEADER_SEARCH_ROWS]):
        cols = {_HEADER.get(_text(v)): c for c, v in enumerate(row) if _HEADER.get(_text(v))}
        if all(c in cols for c in columns):
            header_at, index = r, [cols[c] for c in columns]
            break
    if header_at is None or index is None:
        raise _refuse(path, "제출자료 시트의 머리글(열 이름)이 형식과 다릅니다.",
                      f"열 이름: {', '.join(columns)}. 학교에 다시 내보내 달라고 하세요.")
    width = max(index) + 1
    in_order = index == list(range(len(index)))
    raw_rows: list[list] = []
    for row in body[header_at + 1:]:
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        vals = row[:width] if in_order else [row[c] for c in index]
        if vals[0] == "" and all(v is None or v == "" for v in vals):
            continue  # a row with a kind is never empty; only then look at the rest
        raw_rows.append(vals)
    return header_at, raw_rows


def _verified(names, meta_cells: list, body: list, wb, raw_rows: list[list], meta: dict, version: int,
              path: Path, warnings: list[str]) -> bool:
    """Whether the file's checksum matches what it holds; a missing or wrong one adds its warning."""
    expected = _text(meta.get("checksum"))
    if not expected:
        warnings.append("검증값(체크섬)이 없습니다 — 내용이 수정되었는지 확인할 수 없습니다.")
        return False
    if version >= submission.WHOLE_WORKBOOK_VERSION:  # every sheet's values
        try:
            sheets = [(n, meta_cells if n == submission.META_SHEET else body if n == submission.SUBMISSION_SHEET
                       else wb.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in names]
        except Exception as e:  # noqa: BLE001 — calamine raises several error types for a broken sheet
            raise _refuse(path, "엑셀 파일의 시트를 읽을 수 없습니다 (손상된 파일).",
                          f"학교에 파일을 다시 내보내 달라고 하세요. ({type(e).__name__}: {e})") from None
        checksum_ok = submission.workbook_checksum(sheets) == expected
    else:  # format 1 and 2: the two machine sheets, as those versions computed it
        checksum_ok = fast_checksum(raw_rows, meta) == expected
    if not checksum_ok:
        warnings.append("내보낸 뒤 내용이 수정된 파일입니다 (검증값 불일치). 수정된 값 그대로 가져왔습니다.")
    return checksum_ok


def fast_checksum(rows: list[list], meta: dict) -> str:
    """`submission.checksum` with the per-cell canonicalisation inlined for the types calamine returns
    (floats and strings); the result is the same (tested against the shared function)."""
    canon = submission._canon
    meta_c = {k: canon(meta.get(k)) for k in submission.META_KEYS if k not in ("checksum", "exported_at", "app_version")}
    fmt = "%.12g"  # = _canon for floats, except integers ≥ 1e12 ("1e+12") and -0.0 ("-0"): checked below
    text = json.dumps({"rows": [[(v.strip() if v else v) if (t := v.__class__) is str
                                 else fmt % v if t is float else canon(v) for v in row] for row in rows],
                       "meta": meta_c}, ensure_ascii=False, sort_keys=True)
    if "e+" in text or '"-0"' in text:  # rare: the exact per-cell rule
        text = json.dumps({"rows": [[canon(v) for v in row] for row in rows], "meta": meta_c},
                          ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


MAX_MEAN = 11  # the widest answer scale (0..10 or 1..11); a mean above it is not a statistic


def _num(v) -> float | None:
    t = type(v)
    if t is float:
        return v if math.isfinite(v) else None
    if v == "" or v is None:
        return None
    return _number(v)


def _parse_rows(raw_rows: list[list], header_at: int, items: bool = True,
                version: int = submission.FORMAT_VERSION) -> tuple[list[tuple], list[int]]:
    """Rows in workspace.district.ROW_COLUMNS order, and the sheet row numbers that could not be read.

    Cells come from calamine as float or str (xlsx has no NaN or infinity); those are handled inline,
    anything else by _num/_text. Format 1 rows (twelve cells) get empty 영역-result fields."""
    out: list[tuple] = []
    bad: list[int] = []
    groups: dict[str, str] = {}
    kinds = set(KINDS_OF.get(version, KINDS))
    F = float
    blank = ("",) * (len(submission.COLUMNS) - len(submission.COLUMNS_OF[1]))
    for i, raw in enumerate(raw_rows):
        (kind, instrument, group, code, title, n, mean, sd, s100, pos, alpha, rating,
         answers, rounded, level, area) = raw if len(raw) == len(submission.COLUMNS) else (*raw, *blank)
        try:
            kind = kind.strip() if type(kind) is str else _text(kind)
            if kind not in kinds:
                raise ValueError(kind)
            if not items and kind == "item":
                continue
            if group:
                g = groups.get(group)
                if g is None:
                    g = groups[group] = canonical_group(_text(group))
            else:
                g = ""
            if type(n) is F:
                suppressed, n_val = 0, int(n)
            elif _text(n) == SUPPRESSED:
                suppressed, n_val = 1, None
            else:
                v = _num(n)
                suppressed, n_val = 0, None if v is None else int(v)
            if rating == "":
                rating_val = None
            else:
                r = _num(rating)
                rating_val = int(r) if r is not None else None
            if kind == "rating" and rating_val is None:
                raise ValueError(rating)
            mean_v = mean if type(mean) is F else _num(mean)
            sd_v = sd if type(sd) is F else _num(sd)
            s100_v = s100 if type(s100) is F else _num(s100)
            pos_v = pos if type(pos) is F else _num(pos)
            # values no statistic can take (an edited file): skipped with the unreadable rows
            if ((n_val is not None and n_val < 0) or (mean_v is not None and not 0 <= mean_v <= MAX_MEAN)
                    or (sd_v is not None and sd_v < 0) or (s100_v is not None and not 0 <= s100_v <= 100)
                    or (pos_v is not None and not 0 <= pos_v <= 1)):
                raise ValueError(n)
            if kind == submission.LEVEL_KIND:
                ans_v = _num(answers)
                answers_v = None if ans_v is None else int(ans_v)
                rounded_v = _num(rounded)
                if (answers_v is not None and answers_v < 0) or (rounded_v is not None
                                                                  and not 0 <= rounded_v <= MAX_MEAN):
                    raise ValueError(answers)
                level_v, area_v = _text(level) or None, _text(area)
            else:
                answers_v = rounded_v = level_v = None
                area_v = ""
            out.append((kind, instrument.strip() if type(instrument) is str else _text(instrument), g,
                        code.strip() if type(code) is str else _text(code),
                        title.strip() if type(title) is str else _text(title), n_val, suppressed,
                        mean_v, sd_v, s100_v, pos_v,
                        alpha if type(alpha) is F else _num(alpha), rating_val, answers_v, rounded_v, level_v,
                        area_v))
        except (ValueError, TypeError):
            bad.append(header_at + 2 + i)  # 1-based sheet row
    return out, bad
