"""Identifier columns are dropped and named in the summary: by header (after NFC normalisation) and by
content (phone numbers, e-mail addresses, Korean personal names) (issue 14, item 8)."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest
from _import_util import AGREE5, SODI, run_json, sodi_items, write_csv, write_xlsx

from schoolvault.importing.headers import is_personal_header, looks_personal

NFD = lambda t: unicodedata.normalize("NFD", t)  # headers as a Mac saves them


@pytest.mark.parametrize("header", [
    "Student ID", "Your full name (optional)", "Name", "E-mail address", "Phone number", "Please enter your full name",
    "성함을 적어 주세요(선택)", "연락처(휴대전화)", "학부모님 성함을 적어 주세요 (선택 사항입니다)",
    "비상시 연락 가능한 휴대전화 번호를 적어 주세요", "카카오톡 아이디", "카톡ID", "카톡 아이디(선택)",
    NFD("이메일 주소"), NFD("성명"), NFD("연락처"), "반", "학년 반", "몇 반입니까?", "학급"])
def test_identifier_headers_are_personal(header):
    assert is_personal_header(header)


@pytest.mark.parametrize("header", [
    "좋은 아이디어가 있으면 적어 주세요", "응답번호", "번호", "ID", "타임스탬프", "Timestamp", "학년", "일반 교과",
    "우리 학교는 학생의 이름을 불러 주며 존중한다고 생각하십니까?", "반드시 지켜야 할 규칙이 잘 안내된다."])
def test_questions_and_response_numbers_are_not_personal(header):
    assert not is_personal_header(header)


def test_columns_of_names_phones_or_e_mails_are_personal_whatever_the_header():
    assert looks_personal(["김민수", "이서연", "박지훈", None, "최유진", "정하은"])
    assert looks_personal([NFD("김민수"), NFD("이서연"), NFD("박지훈")])
    assert looks_personal(["010 1234 5678", "+82-10-9876-5432", "010.5555.1212"])
    for answers in (["없음", "보통", "만족", "가능"], ["매우 그렇다", "그렇다", "보통이다"], ["김치", "김치", "김치"],
                    ["급식이 맛있어요", "체험학습을 늘려 주세요", "없음"]):
        assert not looks_personal(answers)


def _stored_text(db) -> str:
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        parts = [str(v) for t in ("comments", "respondent_attributes", "administrations", "audit_log", "settings")
                 for row in c.execute(f"SELECT * FROM {t}") for v in row]
    return "\n".join(parts)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_identifier_columns_are_dropped_named_and_never_stored(fresh_ws_path, tmp_path, capsys, kind):
    items = sodi_items("교원")
    ident = ["Student ID", "Your full name (optional)", "성함을 적어 주세요(선택)", "연락처(휴대전화)", "카카오톡 아이디",
             NFD("이메일 주소"), "반", "작성자"]
    header = ["타임스탬프", *ident, "학년", "번호"] + [i.text for i in items]
    names = ["김민수", "이서연", "박지훈", "최유진", "정하은", "강도윤"]
    rows = [[f"2026/06/02 오전 9:00:{r:02d}", f"2030{r}", f"Kim Minsu{r}", f"홍길{chr(0xB3D9 + r)}",
             f"010-4321-00{r:02d}", f"kakao_id_{r}", f"parent{r}@mail.kr", f"{r + 1}반", names[r], "3학년", r + 1]
            + [AGREE5[(r + j) % 5] for j in range(len(items))] for r in range(6)]
    f = (write_csv(tmp_path / "a.csv", header, rows) if kind == "csv"
         else write_xlsx(tmp_path / "a.xlsx", {"응답": [header, *rows]}))
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    dropped = [unicodedata.normalize("NFC", c["header"]) for c in r["columns_dropped"]]
    assert dropped == [unicodedata.normalize("NFC", h) for h in ident]
    assert [c["header"] for c in r["columns_attributes"]] == ["학년"] and r["attributes"]["학년"] == {"3학년": 6}
    assert r["respondents"] == 6 and len(r["columns_mapped"]) == len(items)
    stored = _stored_text(fresh_ws_path)
    raw = fresh_ws_path.read_bytes()
    for row in rows:
        for value in row[1:9]:
            assert str(value) not in stored and str(value).encode() not in raw, value
