"""The 학년 classification question (응답자 구분): recognising its column and reading its answers.

Student and parent results are read by 학년 (가이드북), so forms ask it: "학년", "몇 학년입니까?",
"자녀의 학년", "자녀 학년(복수 선택 가능)". Parents with several children tick several grades; Google
Forms and Naver Form put the ticked options in one cell ("1학년, 3학년"). A 학년 is a category many
respondents share, not an identifier, so it is kept as a respondent attribute; a column that mixes in
the class or the number in class (학년 반 번호) is not a 학년 column and is dropped as before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..forms.breakdown import GRADE
from .headers import clean_header

GRADE_MAX_HEADER = 30          # longer headers that mention 학년 are questions about something else
GRADE_SHORT_HEADER = 8         # "학년", "자녀 학년", "학생의 학년은": short enough to be the question itself
# how a longer header asks for the grade ("몇 학년", "학년을 선택", "자녀의 학년"), unlike an item sentence
# that mentions it ("이번 학년에 많이 배웠다")
_ASKS_GRADE = re.compile(r"몇학년|학년을|학년은|학년이|학년입니까|자녀|선택|체크|고르")
GRADE_COLUMN_SHARE = 0.8       # share of non-empty answers that must read as grades
MAX_GRADE = 6                  # 초 1~6, 중·고 1~3
INVALID = object()             # a non-empty answer that names no grade

_BRACKETS = re.compile(r"[(\[（【<〈][^)\]）】>〉]*[)\]）】>〉]")
_NON_WORD = re.compile(r"[\W_]+")
# 반 (class), 번호, 이름 …: a column asking these identifies a child; 학년도/학기 are dates, not grades
_NOT_GRADE = re.compile(r"(?<!일)반(?!드시)|번호|이름|성명|학년도|학기|담임")
_SEPARATORS = re.compile(r"[,，、;；/|\n]+")
_TOKEN = re.compile(r"^(?:(?:초|중|고)(?:등학교|등|학교)?)?(?:제)?([1-9])(?:학년|년|학년생)?$")


def is_grade_header(header: str) -> bool:
    """A short header asking the respondent's (or their child's) 학년, with no class or number in it."""
    text = _BRACKETS.sub("", clean_header(unicodedata.normalize("NFC", str(header))))
    key = _NON_WORD.sub("", text)
    if "학년" not in key or len(key) > GRADE_MAX_HEADER or _NOT_GRADE.search(key):
        return False
    return len(key) <= GRADE_SHORT_HEADER or bool(_ASKS_GRADE.search(key))


def parse_grades(cell) -> tuple[str, ...] | None | object:
    """('1학년', '3학년') from '1학년, 3학년', '3', 3, '중1', '고 2'; None for a blank cell; INVALID otherwise.

    In a checkbox answer a ticked "기타" (other) next to a grade is left out; a cell with no grade at all
    is INVALID."""
    if cell is None or cell is True or cell is False:
        return None if cell is None else INVALID
    if isinstance(cell, (int, float)):
        f = float(cell)
        return (f"{int(f)}학년",) if f.is_integer() and 1 <= f <= MAX_GRADE else INVALID
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if not text:
        return None
    found = set()
    for part in _SEPARATORS.split(text):
        token = _NON_WORD.sub("", _BRACKETS.sub("", part))
        if not token:
            continue
        m = _TOKEN.match(token)
        if m and 1 <= int(m.group(1)) <= MAX_GRADE:
            found.add(int(m.group(1)))
    if not found:
        return INVALID
    return tuple(f"{g}학년" for g in sorted(found))


def is_grade_column(header: str, values: Iterable) -> bool:
    """The header asks 학년 and most non-empty answers read as grades."""
    if not is_grade_header(header):
        return False
    parsed = [parse_grades(v) for v in values]
    given = [p for p in parsed if p is not None]
    return bool(given) and sum(1 for p in given if p is not INVALID) >= GRADE_COLUMN_SHARE * len(given)


__all__ = ["GRADE", "INVALID", "is_grade_column", "is_grade_header", "parse_grades"]
