"""A lean writer of the two machine-readable sheets of a submission workbook.

The consultant workbook (reports/workbook.py) writes the same two sheets among its formatted
ones; this writer writes only them, with xlsxwriter's constant_memory mode, for demo data at
district scale. Both follow `schoolvault.submission`: header row of COLUMNS, long rows, then the
metadata rows (key, value) with the checksum last.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .. import submission
from ..safe_text import neutralize_formula
from ..xlsx import new_workbook


def finish_meta(rows: Sequence[Sequence], meta: dict) -> dict:
    """Meta with format, version and checksum filled in, in META_KEYS order.

    This writer writes nothing but the two sheets, so their values are the whole workbook's
    (`submission.workbook_checksum` over exactly what `write_sheets` writes)."""
    m = {k: meta.get(k) for k in submission.META_KEYS}
    m["format"] = submission.FORMAT
    m["format_version"] = submission.FORMAT_VERSION
    m["checksum"] = submission.workbook_checksum(_sheets(rows, m))
    return m


def _sheets(rows: Sequence[Sequence], meta: dict) -> list[tuple[str, list]]:
    return [(submission.SUBMISSION_SHEET, [list(submission.COLUMNS), *rows]),
            (submission.META_SHEET, [[key, meta.get(key)] for key in submission.META_KEYS])]


def write_sheets(workbook, rows: Sequence[Sequence], meta: dict) -> None:
    """Add the 제출자료 and 메타데이터 sheets to an open xlsxwriter Workbook."""
    # neutralise and round first: the checksum must match what is read back, as the writer rule writes it
    rows = submission.cells([tuple(neutralize_formula(v) for v in row) for row in rows])
    m = finish_meta(rows, {k: neutralize_formula(v) for k, v in meta.items()})
    ws = workbook.add_worksheet(submission.SUBMISSION_SHEET)
    ws.write_row(0, 0, submission.COLUMNS)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v)
    meta_ws = workbook.add_worksheet(submission.META_SHEET)
    for r, key in enumerate(submission.META_KEYS):
        meta_ws.write_string(r, 0, key)
        v = m[key]
        if v is None or v == "":
            continue
        if isinstance(v, str):
            meta_ws.write_string(r, 1, v)
        else:
            meta_ws.write_number(r, 1, v)


def write_submission(path: str | Path, rows: Sequence[Sequence], meta: dict) -> Path:
    """A workbook holding only the two submission sheets."""
    path = Path(path)
    wb = new_workbook(path, {"constant_memory": True})
    try:
        write_sheets(wb, rows, meta)
    finally:
        wb.close()
    return path
