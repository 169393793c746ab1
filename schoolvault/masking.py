"""Personal data in free text (서술형 의견), masked before a comment is shown as a quote.

Why: the import drops name, e-mail and phone *columns*, but a respondent can still type "김철수 선생님께
감사드려요, 010-1234-5678로 연락 주세요" into an open question. Anything that quotes a comment outside the
comment list itself (theme quotes, keyword views, documents) passes it through `mask_personal` first — one
function, so the screen and every document mask the same way.

What is masked (replaced by a placeholder that still reads naturally):
- resident registration numbers (주민등록번호) 900101-1234567 / 9001011234567 → (주민등록번호)
- e-mail addresses → (전자우편)
- phone numbers: mobile 010-1234-5678 / 01012345678 / +82 10 …, and landlines 02-123-4567 → (전화번호)
- a person's name before a title or address term: 김철수 선생님, 이영희쌤, 박 선생님, 홍길동 학생,
  지민 어머님 → ○○○ 선생님 … (a word counts as a name when it is 2–4 Hangul syllables starting with a
  common surname and is not a common word such as 담임, 보건, 교장, 영양, 상담; before 어머님/아빠 … a
  child's given name alone, 2–3 syllables, is enough unless it is a relation such as 친구, 동생)
- class and number together (3반 15번, 2학년 3반 15번) → ○반 ○번, and 학번 12345 → 학번 ○

It errs on the side of masking: a non-name before 선생님 that starts like a surname is masked too.
Ordinary phrases stay: "3학년 2반 선생님", "담임 선생님", "우리반 선생님", and 이/한/나 followed by a space
("이 선생님" = this teacher, "한 선생님" = one teacher); "이선생님" and "김 선생님" are masked.

`personal_kinds(text)` names what was found (for the import summary and the comment picker's tooltip);
`has_personal` is the flag stored per comment at import (comments.personal).
"""

from __future__ import annotations

import re
from functools import lru_cache

RRN_MASK = "(주민등록번호)"
EMAIL_MASK = "(전자우편)"
PHONE_MASK = "(전화번호)"
NAME_MASK = "○○○"
PLACEHOLDERS = (RRN_MASK, EMAIL_MASK, PHONE_MASK, "○")  # what masking writes; never a keyword

# YYMMDD-GNNNNNN with a real month and day, hyphen optional; G = 1–8 (born 1900s/2000s, citizens or not)
_RRN = re.compile(r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?[-–]?\s?[1-8]\d{6}(?!\d)")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# mobile: 010-1234-5678, 010 1234 5678, 01012345678, +82-10-1234-5678; landline: 02-123-4567, 031-123-4567
_PHONE = re.compile(r"(?<!\d)(?:\+?82[-.\s]?)?0?(?:1[016789]|2|[3-6][1-5]|70)[-.\s)]?\d{3,4}[-.\s]?\d{4}(?!\d)")
_TITLES = ("선생님", "선생", "쌤", "샘", "교장", "교감", "부장", "주무관", "실무사", "강사", "코치", "학생",
           "어머님", "아버님", "어머니", "아버지", "엄마", "아빠", "님", "씨")
_WEAK_TITLES = ("님", "씨")  # also end ordinary words (부모님, 솜씨): a lone surname before them is not masked
# 피해 학생, 전학 학생, 우수 학생: before these only a full name (3–4 syllables) is taken for a name
_FULL_NAME_TITLES = ("학생",)
# 지민 엄마, 서연 어머님: a child's given name alone names the family, so 2 syllables are enough here
_FAMILY_TITLES = ("어머님", "아버님", "어머니", "아버지", "엄마", "아빠")
_RELATIONS = frozenset(("동생", "형", "누나", "언니", "오빠", "친구", "아들", "딸", "큰애", "작은애", "첫째", "둘째",
                        "셋째", "막내", "옆집", "반장", "회장", "부회장", "같은반", "친정", "시댁", "외가", "친가", "애들",
                        "애기", "아기"))
# determiners that are also family names: "이 선생님" is "this teacher", "한 선생님" "one teacher"
_DETERMINERS = ("이", "한", "나")
# Two-syllable family names first, so 남궁민 is not read as 남 + 궁민.
_SURNAMES = tuple(dict.fromkeys(
    ["남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황", "안", "송", "류", "유", "전", "홍", "고", "문", "양", "손", "배", "백", "허", "남", "심", "노", "하", "곽", "성", "차", "주", "우", "구", "민", "진", "나", "지", "엄", "채", "원", "천", "방", "공", "현", "함", "변", "염", "여", "추", "도", "소", "석", "선", "설", "마", "길", "연", "위", "표", "명", "기", "반", "왕", "금", "옥", "육", "인", "맹", "제", "모", "탁", "국", "어", "은", "편", "용", "예", "경", "봉", "사", "부", "태", "라", "빈", "견", "동", "온", "좌", "팽", "승", "간", "상", "시", "호", "감", "음", "피", "당", "범", "옹", "묵", "야", "운"]))
# Words that start like a surname but name a role, a subject, a relation or are everyday words: never masked.
_NOT_NAMES = frozenset((
    "담임 보건 영양 상담 교장 교감 부장 사서 특수 전담 기간제 원어민 체육 음악 미술 영어 수학 과학 국어 사회 "
    "도덕 기술 가정 정보 한문 진로 방과후 돌봄 교과 전문 행정 실무 학년 부모 학부모 우리 저희 모든 여러 다른 "
    "많은 좋은 새로운 어떤 이런 그런 저런 아이 자녀 주임 교무 연구 생활 학생 선배 후배 친구 신규 남자 여자 "
    "젊은 이번 올해 지난 작년 내년 각반 학급 교사 교원 직원 급식 조리 조리사 조리원 영양사 상담사 코치 강사 "
    "주무관 실장 지킴이 경비 청소 공익 보조 협력 수석 교육 지도 안전 인성 진학 입시 원로 명예 정교사 "
    "외부 선생 어머 아버 사모 원장 사장 소장 반장 기사 간호사 도우미 하느 정말 진짜 모두 고생 감사 최고 최근 "
    "방금 오늘 전부 전체 지금 여기 이제 이분 조금 항상 역시 계속 그리고 신경 모범 인기 유명 동네 이웃 "
    "주변 상냥 성실 친절 열정 무서운 엄격 다정 부드러운 피해 가해 전학 신입 우수 장애 고학년 " + " ".join(_TITLES)).split())
_NAME_ENDINGS = ("의", "들", "은", "는", "이", "가", "을", "를", "께", "도", "한", "운", "던", "신", "린", "에",
                 "와", "과", "런", "른", "된", "인", "적", "분")

_NAME_WORD = re.compile(
    r"(?<![가-힣A-Za-z0-9])(?P<name>[가-힣]{1,4})(?P<gap>\s?)(?P<title>"
    + "|".join(sorted(_TITLES, key=len, reverse=True)) + ")")
_CLASS_NUMBER = re.compile(r"(?:(\d{1,2})\s*학년\s*)?\d{1,2}\s*반\s*\d{1,2}\s*번")
_STUDENT_ID = re.compile(r"학번\s*[:：]?\s*\d{3,}")


def _looks_like_name(word: str, title: str) -> bool:
    """A 2–4 syllable word starting with a family name (or a family name alone before a real title)."""
    if word in _NOT_NAMES or word in _RELATIONS or word.startswith(("우리", "저희")):
        return False
    if title in _FULL_NAME_TITLES and len(word) < 3:
        return False
    if len(word) == 1:  # 김 선생님, 박쌤: a family name alone names a person at school
        return word in _SURNAMES and title not in _WEAK_TITLES and title not in _FAMILY_TITLES
    if word.endswith(_NAME_ENDINGS) and word[:-1] not in _SURNAMES:
        return False  # 좋은, 주신, 우리반의 …: a modifier, not a name (김은, 이린 stay names)
    if title in _FAMILY_TITLES and len(word) <= 3:
        return True
    return word.startswith(_SURNAMES)


def _name(m: re.Match) -> str:
    word, title = m.group("name"), m.group("title")
    if word in _DETERMINERS and m.group("gap"):
        return m.group(0)
    if not _looks_like_name(word, title):
        return m.group(0)
    return f"{NAME_MASK if len(word) > 1 else '○'}{m.group('gap')}{title}"


# The masking steps in order, each with the kind it finds: RRN first (its 13 digits would read as a phone
# number), 학번 before phones (an 8-digit 학번 would too).
_STEPS = (
    ("rrn", lambda t: _RRN.sub(RRN_MASK, t)),
    ("email", lambda t: _EMAIL.sub(EMAIL_MASK, t)),
    ("class", lambda t: _STUDENT_ID.sub("학번 ○", t)),
    ("phone", lambda t: _PHONE.sub(PHONE_MASK, t)),
    ("class", lambda t: _CLASS_NUMBER.sub(lambda m: ("○학년 " if m.group(1) else "") + "○반 ○번", t)),
    ("name", lambda t: _NAME_WORD.sub(_name, t)),
)
KIND_LABELS = {"rrn": "주민등록번호", "email": "전자우편", "phone": "전화번호", "name": "이름", "class": "반·번호"}


def _masked(text: str) -> tuple[str, set[str]]:
    found: set[str] = set()
    for kind, step in _STEPS:
        after = step(text)
        if after != text:
            found.add(kind)
        text = after
    return text, found


@lru_cache(maxsize=65536)  # pure; a workbook export masks every comment twice (quotes, keywords)
def mask_personal(text: str | None) -> str:
    """The text with resident numbers, e-mail addresses, phone numbers, names before a title and class
    numbers masked: the one masker for everything that quotes free text outside the comment list."""
    if not text:
        return text or ""
    return _masked(str(text))[0]


def has_personal(text: str | None) -> bool:
    """True when `mask_personal` would change the text: the flag stored per comment at import."""
    return bool(text) and mask_personal(text) != text


def personal_kinds(text: str | None) -> list[str]:
    """What kinds of personal data the text holds, in Korean (for the import note and the picker's tooltip)."""
    if not text:
        return []
    found = _masked(str(text))[1]
    return [label for kind, label in KIND_LABELS.items() if kind in found]
