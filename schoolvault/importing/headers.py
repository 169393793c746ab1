"""Column headers: personal-data and metadata columns, and matching headers to item texts.

A header is whatever the teacher typed into the form: the item sentence with numbering (`1.`,
`1)`, `Q1.`, `(1)`, `①`), an area tag (`【영역】 Ⅰ-1. … –`) or different spacing in front. Matching
compares texts without those, and gives each column a confidence (0..1) so the wizard can show it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from rapidfuzz import fuzz

MATCH_ACCEPT = 0.80   # below this a column is left unmapped (the wizard offers the best guess)
MATCH_CONFIRM = 0.90  # accepted but shown as "확인 필요" below this
CONTAIN_MIN_CHARS = 12  # an item text this long found inside a header identifies the column

_TAGS = re.compile(r"^\s*(?:[【\[<〈《(（][^】\]>〉》)）]{0,20}[】\]>〉》)）]\s*)+")
_NUMBERING = re.compile(
    r"^\s*(?:(?:문항|문|Q|q|No\.?)\s*\d+\s*[.)．:]?|\d+\s*[.)．]|\(\d+\)|[①-⑳❶-❿]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\s*[-–.]?\s*\d*\s*[.)]?)\s*")
_NON_WORD = re.compile(r"[\W_]+")

# Columns whose header says they identify a person: dropped, never stored, reported.
PERSONAL_WORDS = ("이메일", "email", "e-mail", "메일주소", "이름", "성명", "성함", "전화", "연락처", "휴대폰",
                  "핸드폰", "휴대전화", "학번", "주민등록", "생년월일", "주소")
PERSONAL_MAX_HEADER = 20  # a long header mentioning 이름 is a question, not a name column…
PERSONAL_ASK_MAX_HEADER = 60  # …unless it asks for it ("학부모님 성함을 적어 주세요(선택 사항입니다)")
# Korean words of short identity headers beyond PERSONAL_WORDS (아이디 but not 아이디어)
_PERSONAL_KO = re.compile(r"아이디(?!어)|카카오톡|카톡|kakao|학생id|학생아이디|사용자id")
# English identity headers, on word boundaries ("Student ID", "Your full name (optional)", "E-mail")
_PERSONAL_EN = re.compile(r"\b(?:e-?mail(?:\s*address)?|(?:full|first|last|given|family|your)\s*name|name|"
                          r"(?:mobile|cell|tele)?phone(?:\s*(?:number|no\.?))?|mobile|kakao\s*(?:talk)?(?:\s*id)?|"
                          r"(?:student|user|line|kakao)\s*(?:id|no\.?|number))\b", re.IGNORECASE)
# a longer header that asks for a name, a phone number, an e-mail address or an ID
_ASKS_PERSONAL = re.compile(r"(?:이메일|메일주소|이름|성명|성함|연락처|전화번호|휴대전화|휴대폰|핸드폰|카카오톡|카톡|"
                            r"아이디(?!어)|학번)(?:번호)?(?:을|를|은|는|이|가|과|와)?(?:적|써|쓰|입력|기입|남겨|알려|기재)")
_ASKS_PERSONAL_EN = re.compile(r"\b(?:enter|write|type|provide|give|fill\s*in)\b.{0,30}\b(?:name|e-?mail|phone|id)\b"
                               r"|\byour\s+(?:full\s+)?name\b", re.IGNORECASE)
# 반 (class) asked on its own or with 학년/번호: with the grade it points at a couple of dozen children
_CLASS_PARTS = re.compile(r"귀하의|자녀의|자녀|학생의|학생|학년|몇|반|학급|번호|입니까|인가요|은|는|을|를|선택|기재|적어|주세요|\d")
CLASS_MAX_HEADER = 15
# a column of Korean personal names: a common surname and one to three syllables
_SURNAMES = "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나엄채원천방공현함변염여추도석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉"
_KOREAN_NAME = re.compile(rf"^[{_SURNAMES}][가-힣]{{1,3}}$")
NAME_SHARE = 0.7  # share of non-empty values that look like names …
NAME_MIN_VALUES = 3  # … among at least this many, mostly distinct
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^(?:\+?82[-\s]?)?0?1[016789][-\s.]?\d{3,4}[-\s.]?\d{4}$")
META_WORDS = ("타임스탬프", "timestamp", "제출시간", "제출일시", "응답일시", "응답시간", "작성일시", "응답번호",
              "응답자번호", "번호", "no", "순번", "id")
# Who answered, in categories (grade, class, sex, years of service): not questions, never items.
DEMOGRAPHIC_WORDS = ("학년", "반", "성별", "나이", "연령", "직위", "직급", "직종", "교과", "담당", "경력", "근무",
                     "자녀", "학교급", "소속")
DEMOGRAPHIC_MAX_HEADER = 12


def clean_header(text: str) -> str:
    """The header without leading tags and numbering (repeatedly: `【영역】 1. Q1.`)."""
    t = unicodedata.normalize("NFC", str(text)).strip()
    for _ in range(4):
        new = _NUMBERING.sub("", _TAGS.sub("", t), count=1).strip()
        if new == t:
            break
        t = new
    return t


def normalize(text: str) -> str:
    """Text for matching: no tags, numbering, spaces or punctuation; one kind of middle dot; lower case."""
    t = clean_header(text)
    return _NON_WORD.sub("", t).lower()


def _key(header: str) -> str:
    """The header for word tests: NFC (a Mac's NFD 이메일 is the same word), no spaces or punctuation."""
    return _NON_WORD.sub("", unicodedata.normalize("NFC", str(header))).lower()


def is_class_header(header: str) -> bool:
    """반, 학년 반, 몇 반입니까?, 학급 (not 일반): which class the respondent is in."""
    key = _key(header)
    return (bool(key) and len(key) <= CLASS_MAX_HEADER and ("반" in key or "학급" in key) and "일반" not in key
            and not _CLASS_PARTS.sub("", key))


def is_personal_header(header: str) -> bool:
    """이메일, 이름/성명, 전화/연락처, 학번, 카카오톡 아이디, Student ID, name … (after NFC), any short '…번호'
    column that is not a response number, a 반 column, and a longer header that asks for one of these."""
    text = unicodedata.normalize("NFC", str(header))
    key = _key(text)
    if not key:
        return False
    if len(key) > PERSONAL_MAX_HEADER:
        return len(key) <= PERSONAL_ASK_MAX_HEADER and bool(_ASKS_PERSONAL.search(key)
                                                              or _ASKS_PERSONAL_EN.search(text))
    if any(w.replace("-", "") in key for w in PERSONAL_WORDS) or _PERSONAL_KO.search(key):
        return True
    if _PERSONAL_EN.search(text) or is_class_header(text):
        return True
    return "번호" in key and not is_meta_header(text)  # 출석번호, 학생 번호, 학년 반 번호


def looks_personal(values) -> bool:
    """Most non-empty values are e-mail addresses or phone numbers, or Korean personal names."""
    vals = [unicodedata.normalize("NFC", str(v)).strip() for v in values if v is not None and str(v).strip()][:50]
    if not vals:
        return False
    hits = sum(1 for v in vals if _EMAIL.match(v) or _PHONE.match(v))
    return hits * 2 > len(vals) or looks_like_names(vals)


def looks_like_names(vals: list[str]) -> bool:
    """Most values are a common Korean surname and one to three syllables, nearly all different (김민수,
    이서연): a name column, whatever its header. Answers such as 없음, 보통, 만족 are not names."""
    names = [v for v in vals if _KOREAN_NAME.match(v.replace(" ", ""))]
    return (len(names) >= NAME_MIN_VALUES and len(names) >= NAME_SHARE * len(vals)
            and len(set(names)) >= NAME_SHARE * len(names))


def is_meta_header(header: str) -> bool:
    """Timestamp and response-number columns."""
    key = _key(header)
    return key in META_WORDS or key.startswith(("타임스탬프", "timestamp"))


def is_demographic_header(header: str) -> bool:
    """A short header asking who answered (학년, 반, 성별, 교직 경력 …)."""
    key = _NON_WORD.sub("", clean_header(header)).lower()
    return bool(key) and len(key) <= DEMOGRAPHIC_MAX_HEADER and any(w in key for w in DEMOGRAPHIC_WORDS)


@dataclass(frozen=True)
class Target:
    """Something a column can be mapped to: an item (kind 'item') or an open question ('comment')."""

    code: str
    text: str
    kind: str  # "item" | "comment"


@dataclass(frozen=True)
class Match:
    column: int
    target: Target | None
    confidence: float  # 0..1
    best_guess: Target | None = None  # for unmapped columns: the closest target, for the wizard


def similarity(header_key: str, target_key: str) -> float:
    """0..100: exact, contained (numbering/tags left over), or fuzzy."""
    if not header_key or not target_key:
        return 0.0
    if header_key == target_key:
        return 100.0
    if len(target_key) >= CONTAIN_MIN_CHARS and target_key in header_key:
        # the item sentence with an area tag or a note in front/behind: sure, a little less than exact
        return 97.0 - 5.0 * (1 - len(target_key) / len(header_key))
    if len(header_key) >= CONTAIN_MIN_CHARS and header_key in target_key:
        return 94.0 - 10.0 * (1 - len(header_key) / len(target_key))
    score = fuzz.ratio(header_key, target_key)
    if len(target_key) >= CONTAIN_MIN_CHARS and len(header_key) > len(target_key):
        score = max(score, fuzz.partial_ratio(target_key, header_key) * 0.95)
    return score


def match_columns(headers: list[str], targets: list[Target], skip: Collection[int] = frozenset()) -> dict[int, Match]:
    """Best one-to-one assignment of columns to targets (greedy on similarity).

    A target's code written as the header (`Q001`) is an exact match too.
    """
    keys = [normalize(h) for h in headers]
    tkeys = [normalize(t.text) for t in targets]
    codes = {t.code.lower(): ti for ti, t in enumerate(targets)}
    pairs: list[tuple[float, int, int]] = []
    best: dict[int, tuple[float, int]] = {}
    for ci, hk in enumerate(keys):
        if ci in skip:
            continue
        raw = _NON_WORD.sub("", str(headers[ci])).lower()
        if raw in codes:
            pairs.append((100.0, ci, codes[raw]))
            continue
        if not hk:
            continue
        for ti, tk in enumerate(tkeys):
            s = similarity(hk, tk)
            if s >= 50:
                pairs.append((s, ci, ti))
            if s > best.get(ci, (0.0, -1))[0]:
                best[ci] = (s, ti)
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_c: set[int] = set()
    used_t: set[int] = set()
    out: dict[int, Match] = {}
    for s, ci, ti in pairs:
        if ci in used_c or ti in used_t or s < MATCH_ACCEPT * 100:
            continue
        used_c.add(ci)
        used_t.add(ti)
        out[ci] = Match(ci, targets[ti], round(s / 100, 3))
    for ci, (s, ti) in best.items():
        if ci not in out:
            out[ci] = Match(ci, None, round(s / 100, 3), targets[ti] if ti >= 0 else None)
    return out


def area_tag(header: str) -> str | None:
    """The area code a form put in front of a question (`【영역】 Ⅰ-1. …` → 'Ⅰ-1'), if any."""
    t = _TAGS.sub("", unicodedata.normalize("NFC", str(header))).strip()
    m = re.match(r"^([ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\s*-\s*\d+)", t)
    return m.group(1).replace(" ", "") if m else None
