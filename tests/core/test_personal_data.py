"""Personal data inside free-text answers (issue 14, item 7): found at import, flagged, masked in every
document that leaves the school by the one masker (`masking.mask_personal`), never picked by the program."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from schoolvault.masking import has_personal, mask_personal, personal_kinds

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize("text, gone, kind", [
    ("제 주민번호는 900101-1234567 입니다", ["900101", "1234567"], "주민등록번호"),
    ("0512314123456로 확인해 주세요", ["0512314123456"], "주민등록번호"),
    ("연락은 010-2345-6789 또는 01023456789", ["2345", "6789"], "전화번호"),
    ("메일 parent.kim@naver.com 으로", ["parent.kim", "naver.com"], "전자우편"),
    ("김철수 선생님이 때렸어요", ["김철수"], "이름"),
    ("김 선생님 수업이 어려워요", ["김 선생님"], "이름"),
    ("홍길동 학생이 괴롭혀요", ["홍길동"], "이름"),
    ("지민 어머님께서 항의하셨어요", ["지민"], "이름"),
    ("박민수 아버님 감사합니다", ["박민수"], "이름"),
])
def test_personal_data_is_masked_and_named(text, gone, kind):
    masked = mask_personal(text)
    assert all(g not in masked for g in gone), masked
    assert kind in personal_kinds(text) and has_personal(text)


@pytest.mark.parametrize("text", [
    "3학년 2반 선생님 감사합니다", "이 선생님이 제일 좋아요", "한 선생님이 여러 반을 맡아요", "우리반 선생님 최고",
    "담임 선생님과 상담했어요", "친구 엄마가 알려줬어요", "동생 아빠", "모든 학생이 즐거워해요", "급식이 맛있어요",
    "2024년 12월 3일 행사", "전화 상담을 늘려 주세요", "수학 선생님 설명이 좋아요", "학부모 회장님 수고하셨습니다",
])
def test_ordinary_korean_is_not_taken_for_personal_data(text):
    assert mask_personal(text) == text and not has_personal(text) and personal_kinds(text) == []


def _insert_comment(conn, text: str) -> int:
    rid = conn.execute("SELECT MIN(respondent_id) FROM comments").fetchone()[0]
    return conn.execute("INSERT INTO comments (respondent_id, question, text) VALUES (?, 'C1', ?)",
                        (rid, text)).lastrowid


def test_upgrade_flags_earlier_comments_that_hold_personal_data(tmp_path):
    from schoolvault.workspace import migrations, open_workspace
    path = tmp_path / "v4.sqlite"
    shutil.copy(FIXTURES / "schema_v4.sqlite", path)
    conn = sqlite3.connect(path)
    bad = _insert_comment(conn, "이영희 선생님 번호 010-1111-2222")
    conn.commit()
    conn.close()
    with open_workspace(path) as ws:
        assert migrations.schema_version(ws.conn) == migrations.SCHEMA_VERSION >= 5
        flags = dict(ws.conn.execute("SELECT id, personal FROM comments"))
    assert flags.pop(bad) == 1
    assert flags and set(flags.values()) == {0}  # "회의가 짧아졌으면 좋겠습니다 (n)" stays unflagged


def test_schema_5_fixture_keeps_its_flags(tmp_path):
    from schoolvault.workspace import open_workspace
    path = tmp_path / "v5.sqlite"
    shutil.copy(FIXTURES / "schema_v5.sqlite", path)
    with open_workspace(path) as ws:
        rows = ws.conn.execute("SELECT text, personal FROM comments WHERE personal = 1").fetchall()
    assert rows and all(has_personal(t) for t, _ in rows)


def test_import_flags_comments_and_the_list_says_what_was_found(fresh_ws_path, tmp_path, capsys):
    from _import_util import AGREE5, SODI, run_json, sodi_items, write_csv

    from schoolvault.catalog import resolve
    from schoolvault.importing.comments import list_comments
    from schoolvault.workspace import open_workspace
    survey = resolve(None, SODI).instrument
    items = sodi_items("교원")
    q = next(q for q in survey.open_questions if q.applies_to("교원"))
    texts = ["회의가 짧아져서 좋습니다.", "최민호 선생님께 010-3333-4444로 연락 바랍니다", "업무 분장을 조정해 주세요."]
    header = ["타임스탬프"] + [i.text for i in items] + [q.text]
    f = write_csv(tmp_path / "a.csv", header, [[f"9:{n}"] + [AGREE5[n % 5]] * len(items) + [t]
                                               for n, t in enumerate(texts)])
    run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    with open_workspace(fresh_ws_path) as ws:
        assert dict(ws.conn.execute("SELECT text, personal FROM comments")) == {texts[0]: 0, texts[1]: 1, texts[2]: 0}
        rows = {r["text"]: r for r in list_comments(ws, SODI, "교원")}
    assert rows[texts[1]]["personal"] and rows[texts[1]]["personal_kinds"] == ["전화번호", "이름"]
    assert not rows[texts[0]]["personal"]
