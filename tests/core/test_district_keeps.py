"""What the district keeps: the submission and metadata sheets, never raw answers or comments
(issue 14, item 10)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from schoolvault import submission
from schoolvault.district.importer import import_submissions, stored_rows
from schoolvault.district.reader import read_submission
from schoolvault.workspace import district as district_db
from schoolvault.workspace import open_workspace

COMMENT = "급식 메뉴가 다양해졌으면 좋겠습니다 4417"


@pytest.fixture(scope="module")
def exported(_template_demo_ws, tmp_path_factory) -> Path:
    """The demo school's consultant workbook with a recognisable comment in it."""
    from schoolvault.reports.workbook import export_workbook
    d = tmp_path_factory.mktemp("keeps")
    db = Path(shutil.copy(_template_demo_ws, d / "demo.sqlite"))
    with open_workspace(db) as ws:
        with ws.transaction():
            ws.conn.execute("UPDATE comments SET text = ? WHERE id = (SELECT MIN(id) FROM comments)", (COMMENT,))
        export_workbook(ws, d / "제출.xlsx")
    return d / "제출.xlsx"


def _db_text(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        parts = []
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            for row in conn.execute(f"SELECT * FROM {table}"):
                parts += [bytes(v).decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in row]
        return "\n".join(parts)
    finally:
        conn.close()


def test_the_export_holds_a_comment_and_raw_answers(exported):
    import openpyxl
    wb = openpyxl.load_workbook(exported, read_only=True)
    assert any(COMMENT in str(c) for row in wb["의견"].iter_rows(values_only=True) for c in row)
    assert any(n.startswith("원자료") for n in wb.sheetnames)


def test_after_import_no_comment_or_raw_answer_is_in_the_district_db(exported, tmp_path):
    db = tmp_path / "교육청.sqlite"
    with open_workspace(db, create=True) as ws:
        assert import_submissions(ws, [exported], workers=1)["imported"] == 1
        (s,) = district_db.schools(ws)
        assert len(stored_rows(ws, s.id)) == len(read_submission(exported).rows)
        kept = json.loads(district_db.submission_file(ws, s.id))
    assert set(kept) == {"stored", "version", "meta", "body"}  # the two machine sheets, nothing else
    sheets = dict(submission.read_sheets(exported.read_bytes()))
    assert kept["body"] == sheets[submission.SUBMISSION_SHEET] and kept["meta"] == sheets[submission.META_SHEET]
    text = _db_text(db)
    assert COMMENT not in text
    assert "원자료" not in text and "PK\x03\x04" not in text


def test_a_whole_workbook_an_older_import_kept_is_slimmed_on_the_next_import(exported, tmp_path):
    db = tmp_path / "교육청.sqlite"
    with open_workspace(db, create=True) as ws:
        import_submissions(ws, [exported], workers=1)
        (s,) = district_db.schools(ws)
        with ws.transaction():  # as an older import stored it: the file as received
            district_db.set_submission_file(ws, s.id, exported.read_bytes())
        assert len(stored_rows(ws, s.id)) > 0
        other = Path(shutil.copy(exported, tmp_path / "다시.xlsx"))
        import_submissions(ws, [other], workers=1)
        assert district_db.whole_workbooks(ws) == []
    assert COMMENT not in _db_text(db)
