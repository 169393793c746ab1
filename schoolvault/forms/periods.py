"""Survey periods (설문 시기): the first-semester 중간평가 and the year-end 학년말 survey.

The guidebook (Q12) has the 학교평가서 use the year-end answers only; the 중간 survey is read inside
the school to adjust the year's work. Every import belongs to one period.
"""

from __future__ import annotations

from ..errors import SchoolVaultError

MIDYEAR = "중간"
YEAR_END = "학년말"
PERIODS = (MIDYEAR, YEAR_END)
DEFAULT_PERIOD = YEAR_END      # an import that names no period, and every import made before periods existed
DOCUMENT_PERIOD = YEAR_END     # what reports, the submission workbook and the district files read (가이드북 Q12)
PERIOD_LABELS = {MIDYEAR: "중간평가(1학기)", YEAR_END: "학년말평가"}

_ALIASES = {
    "중간": MIDYEAR, "중간평가": MIDYEAR, "중간점검": MIDYEAR, "1학기": MIDYEAR, "1학기평가": MIDYEAR,
    "학기중": MIDYEAR, "midyear": MIDYEAR, "mid": MIDYEAR, "middle": MIDYEAR,
    "학년말": YEAR_END, "학년말평가": YEAR_END, "연말": YEAR_END, "연말평가": YEAR_END, "2학기": YEAR_END,
    "2학기평가": YEAR_END, "기말": YEAR_END, "최종": YEAR_END, "yearend": YEAR_END, "final": YEAR_END,
    "end": YEAR_END,
}


def canonical_period(text: str | None) -> str | None:
    """'중간평가', '1학기' → '중간'; '학년말평가' → '학년말'; None for anything else (and for None)."""
    if text is None:
        return None
    key = "".join(str(text).split()).lower().replace("-", "").replace("_", "")
    return _ALIASES.get(key)


def require_period(period: str | None) -> str:
    """'중간평가', '1학기' → '중간'; '학년말평가' → '학년말'; None → DEFAULT_PERIOD; SchoolVaultError otherwise."""
    if period is None:
        return DEFAULT_PERIOD
    got = canonical_period(period)
    if got is None:
        raise SchoolVaultError(f"설문 시기 '{period}'을(를) 알 수 없습니다.",
                               hint="중간(1학기 중간평가) 또는 학년말 중 하나를 쓰세요. 예: --period 중간")
    return got
