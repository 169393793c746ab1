"""The submission sheets of the consultant workbook: what a school submits and a district reads back.

The consultant workbook (reports issue) writes these two sheets; the district import reads them.
Both sides use this module so the format and the checksum cannot drift apart.

Sheet `제출자료` (SUBMISSION_SHEET): one header row (COLUMNS), then long rows:
  kind = "respondents": group's respondent count (n; "n<5" text when suppressed), code empty
  kind = "item" | "factor" | "domain": group statistics on scored values (mean, sd, score100,
         positive_rate for items; alpha for factors); groups with n<5 have no such rows
  kind = "rating": a self-evaluated indicator: code, title, rating (1..k), group empty
Sheet `메타데이터` (META_SHEET): rows (key, value) for META_KEYS, checksum last.
"""

from __future__ import annotations

import hashlib
import json
import math

FORMAT = "schoolvault-submission"
FORMAT_VERSION = 1
SUBMISSION_SHEET = "제출자료"
META_SHEET = "메타데이터"
COLUMNS = ("kind", "instrument", "group", "code", "title", "n", "mean", "sd", "score100",
           "positive_rate", "alpha", "rating")
COLUMN_LABELS = ("구분", "도구", "집단", "코드", "이름", "n", "평균", "표준편차", "100점 환산", "긍정률",
                 "신뢰도(α)", "등급")
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


SIGNIFICANT_DIGITS = 12  # the checksum compares numbers at this precision


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
    return [tuple(cell(v) for v in row) for row in rows]
