"""Scoring rules every number follows (DESIGN.md, 'Scoring definitions'). Named, not magic."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from math import floor

from .model import Factor, Item, SurveyLevels

MIN_GROUP_N = 5            # groups with fewer respondents are suppressed in anything that leaves the school
FACTOR_MIN_ANSWERED = 0.5  # a factor score needs at least half of the group's items of the factor answered
POSITIVE_TOP_VALUES = 2    # 긍정률 = share of the top two scale values
SCORE100_MAX = 100.0
MIN_ALPHA_ITEMS = 2        # no Cronbach's α below two items
ALPHA_MIN_N = 10           # an α from fewer respondents is flagged as unreliable
SUPPRESSED = "n<5"
SCORING_RULES = ("respondent", "guidebook")  # SODI-type surveys | 교육공동체 surveys (가이드북 p.51)
GUIDEBOOK_SCORING = "guidebook"  # factor and domain figures pooled over answers (가이드북 p.51)
GUIDEBOOK_DECIMALS = 1     # a pooled mean is rounded half up to one decimal when the year names no precision


def scored(item: Item, value: int, points: int) -> int:
    """A reverse item is scored k+1−v; others unchanged."""
    return points + 1 - value if item.reverse else value


def answered_counts(item: Item, counts: Mapping[str, int], points: int) -> dict[int, int]:
    """How many people *answered* each value 1..k, from the counts of scored values (stats counts after
    reverse scoring): a distribution labelled "5: 매우 그렇다" must mean people chose 매우 그렇다."""
    return {v: counts.get(str(scored(item, v, points)), 0) for v in range(1, points + 1)}


def score100(mean: float, points: int) -> float:
    """(mean − 1) / (k − 1) × 100."""
    return (mean - 1.0) / (points - 1) * SCORE100_MAX


def is_positive(value: int, points: int) -> bool:
    return value > points - POSITIVE_TOP_VALUES


def factor_score(factor: Factor, group: str, answers: Mapping[str, int], points: int) -> float | None:
    """Mean of the answered (scored) items of the factor for this group, or None when fewer
    than half of the group's items of the factor are answered."""
    items = factor.items_for(group)
    if not items:
        return None
    vals = [scored(i, answers[i.code], points) for i in items if answers.get(i.code) is not None]
    if not vals or len(vals) < FACTOR_MIN_ANSWERED * len(items):
        return None
    return sum(vals) / len(vals)


def suppressed(n: int) -> bool:
    return n < MIN_GROUP_N


def displayed_n(n: int, unit: str = "") -> str:
    """A group's size as anything that leaves the school prints it: "n<5" under MIN_GROUP_N (never the exact
    size of a hidden group), else the number with its unit ("44명")."""
    return SUPPRESSED if suppressed(n) else f"{n}{unit}"


def alpha_note(alpha: float | None, n: int | None) -> str | None:
    """The plain Korean warning printed beside a Cronbach α, or None when it reads as it is. The results
    page, the reports and the workbook all take it from here, so a doubtful α is never shown bare."""
    if alpha is None:
        return None
    if alpha < 0:
        return "α가 0보다 작음: 문항들의 응답이 서로 반대로 움직여 한 점수로 묶어 읽기 어렵습니다. 역문항 설정을 확인하세요."
    if (n or 0) < ALPHA_MIN_N:
        return f"응답자 {n or 0}명으로 계산한 α: {ALPHA_MIN_N}명 미만이라 믿기 어렵습니다. 참고로만 보세요."
    return None


def alpha_text(alpha: float | None, n: int | None) -> str:
    """How an α is printed: "0.82 (n=34)", with "※" when `alpha_note` has a warning, "–" without α."""
    if alpha is None:
        return "–"
    return f"{alpha:.2f} (n={n or 0})" + (" ※" if alpha_note(alpha, n) else "")


def round_half_up(x: float | Fraction, decimals: int) -> float:
    """x rounded half up to `decimals` places, as the guidebook rounds (3.95 → 4.0), where Python's
    round() works on the binary float and may go down. Pass the exact Fraction(sum, count) of a mean
    when there is one; a float is read through its shortest repr, so 3.95 is 3.95."""
    exact = x if isinstance(x, Fraction) else Fraction(repr(float(x)))
    scale = 10 ** decimals
    return floor(exact * scale + Fraction(1, 2)) / scale


def level_label(rounded: float, points: int, levels: SurveyLevels | None) -> str | None:
    """The year's 4단계 label of a rounded mean, or None when the year has none for this scale."""
    if levels is None or points != levels.scale_points:
        return None
    for lv in levels.levels:
        if lv.min is None or rounded >= lv.min:
            return lv.label
    return levels.levels[-1].label


def level_text(rounded: float | None, level: str | None) -> str:
    """How a guidebook-scored figure is shown everywhere: '4.4 매우 우수', '4.4' without the year's
    thresholds, '–' without answers."""
    if rounded is None:
        return "–"
    return f"{rounded:.1f} {level}" if level else f"{rounded:.1f}"


# ---------------------------------------------------------------- response rate (응답률)

MAX_ASKED = 10000  # more people than any school asks in one group: a typo, not a count
OVER_ASKED = "응답자가 대상자보다 많습니다"


def response_rate(respondents: int, asked: int | None) -> tuple[float | None, str | None]:
    """(rate in percent, warning): None when the count asked is not known; over 100% kept and flagged."""
    if not asked:
        return None, None
    return 100 * respondents / asked, (OVER_ASKED if respondents > asked else None)
