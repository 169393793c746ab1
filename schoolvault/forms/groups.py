"""Respondent groups, school levels and districts, with the aliases people actually type."""

from __future__ import annotations

GROUPS = ("교원", "직원", "학생", "학부모")
_GROUP_ALIASES = {
    "교원용": "교원", "교사": "교원", "교사용": "교원", "교원": "교원",
    "직원용": "직원", "직원": "직원",
    "학생용": "학생", "학생": "학생",
    "학부모용": "학부모", "학부모": "학부모", "보호자": "학부모",
}

LEVELS = ("초", "중", "고", "특수")
_LEVEL_ALIASES = {
    "초": "초", "초등": "초", "초등학교": "초", "elementary": "초",
    "중": "중", "중학교": "중", "middle": "중",
    "고": "고", "고등": "고", "고등학교": "고", "high": "고",
    "특수": "특수", "특수학교": "특수", "special": "특수",
}

# The 11 Seoul 교육지원청 plus 본청 (to which Seoul high schools report).
DISTRICTS = ("동부", "서부", "남부", "북부", "중부", "강동송파", "강서양천", "강남서초", "동작관악",
             "성동광진", "성북강북", "본청")
_DISTRICT_ALIASES = {"강남": "강남서초", "강서": "강서양천", "성북": "성북강북"}
# A teacher may know the school's 자치구 rather than its 교육지원청: each 구 belongs to one office.
_GU_DISTRICT = {gu: office for office, gus in {
    "동부": ("동대문", "중랑"), "서부": ("은평", "서대문", "마포"), "남부": ("영등포", "구로", "금천"),
    "북부": ("노원", "도봉"), "중부": ("종로", "중구", "용산"), "강동송파": ("강동", "송파"), "강서양천": ("강서", "양천"),
    "강남서초": ("강남", "서초"), "동작관악": ("동작", "관악"), "성동광진": ("성동", "광진"), "성북강북": ("성북", "강북"),
}.items() for gu in gus}


def group_order(group: str) -> int:
    """Sort key of respondent groups: 교원, 직원, 학생, 학부모, then any other group (the one order of every
    screen and document; the 학교평가서 forms keep the office's own order, FORM_GROUPS)."""
    return GROUPS.index(group) if group in GROUPS else len(GROUPS)


def _plain(name: str) -> str:
    return "".join(str(name).split())


def canonical_group(name: str) -> str:
    """'교원용' and '교원' name the same group; unknown names pass through unchanged."""
    n = _plain(name)
    return _GROUP_ALIASES.get(n, n)


def canonical_level(name: str) -> str | None:
    return _LEVEL_ALIASES.get(_plain(name).lower())


def canonical_district(name: str) -> str | None:
    n = _plain(name)
    for prefix in ("서울특별시", "서울시", "서울"):  # the official names start with 서울특별시
        if n.startswith(prefix) and n != prefix:
            n = n[len(prefix):]
            break
    for suffix in ("교육지원청", "지원청"):
        if n.endswith(suffix):
            n = n[: -len(suffix)]
            break
    n = _DISTRICT_ALIASES.get(n, n)
    if n not in DISTRICTS:
        n = _GU_DISTRICT.get(n) or _GU_DISTRICT.get(n.removesuffix("구"), n)
    if n == "교육청":  # 서울특별시교육청 itself
        n = "본청"
    return n if n in DISTRICTS else None
